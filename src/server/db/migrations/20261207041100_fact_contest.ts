/**
 * Contests of scorecard facts (考核事实申诉): an official contests a fact counted on their own
 * scorecard, with a reason; it joins the chain-contest queue and a superior in their department
 * decides. An upheld contest leaves the fact out of every scorecard computation. At most one pending
 * or upheld contest per fact (a partial unique index: a rejected one may be followed by another).
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fact_contest')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) => c.notNull())
    .addColumn('ref_kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('fact_key', 'text', (c) => c.notNull())
    .addColumn('fact_at', 'bigint', (c) => c.notNull())
    .addColumn('fact_ledger_log', 'text', (c) => c.notNull())
    .addColumn('fact_ledger_index', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decision', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .addColumn('decision_ledger_log', 'text')
    .addColumn('decision_ledger_index', 'bigint')
    .execute()
  await db.schema
    .createIndex('fact_contest_active_key')
    .on('fact_contest')
    .column('fact_key')
    .unique()
    .where(sql<boolean>`status in ('pending', 'upheld')`)
    .execute()
  await db.schema
    .createIndex('fact_contest_department_idx')
    .on('fact_contest')
    .columns(['department_id', 'status'])
    .execute()
  await db.schema.createIndex('fact_contest_staff_idx').on('fact_contest').column('staff_id').execute()
  await db.schema.createIndex('fact_contest_status_idx').on('fact_contest').column('status').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fact_contest').execute()
}
