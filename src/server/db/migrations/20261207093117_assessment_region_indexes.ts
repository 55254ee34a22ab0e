/**
 * Indexes for assessment's traceability facts (`trace.store.ts`):
 * - the records held (`listHoldings`): every scorecard counts the records of its region by source,
 *   owning kind and keeper, which without it read the whole `data_record` table (millions of rows at
 *   province scale) whatever the region. The region leads, so a region's subtree is a range (the stores
 *   filter region codes by range, not LIKE); the grouped and aggregated columns follow, so the count is
 *   answered from the index alone;
 * - each case's submission entry (`listTraceSteps`, `listDiscrepancies`): a partial index, one small
 *   entry per case, where the join otherwise read every event of the case for each step.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('data_record_holding_idx')
    .on('data_record')
    .columns([
      'region_code',
      'source',
      'owner_department_kind',
      'updated_by',
      'ledger_log',
      'updated_at',
      'ledger_index',
    ])
    .execute()
  await db.schema
    .createIndex('case_event_submitted_idx')
    .on('case_event')
    .columns(['case_id', 'ledger_log', 'ledger_index'])
    .where(sql.ref('type'), '=', 'case.submitted')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_event_submitted_idx').execute()
  await db.schema.dropIndex('data_record_holding_idx').execute()
}
