/**
 * Supervisors review flagged data accesses. Each `data_access` row gains the department and region of
 * the official at the time of the access (so the flag stays with the department the official was in
 * when they looked, even if they move later), backfilled from `staff` for rows recorded before; and
 * the review: who, when, the verdict, the note and where the review event is in the ledger.
 *
 * Flagged accesses are a small share of all accesses, so the two indexes are partial (`flagged = 1`):
 * a supervisor lists their department's newest flags, an administrator or auditor their region
 * subtree's (prefix match, hence `text_pattern_ops` on PostgreSQL).
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('data_access').addColumn('department_id', 'text').execute()
  await db.schema.alterTable('data_access').addColumn('region_code', 'text').execute()
  await db.schema.alterTable('data_access').addColumn('reviewed_by', 'text').execute()
  await db.schema.alterTable('data_access').addColumn('reviewed_at', 'bigint').execute()
  await db.schema
    .alterTable('data_access')
    .addColumn('review_verdict', 'text', (c) => c.check(sql`review_verdict in ('justified','unjustified')`))
    .execute()
  await db.schema.alterTable('data_access').addColumn('review_note', 'text').execute()
  // The review event's index; it is in the access's own log (both events belong to the case's city).
  await db.schema.alterTable('data_access').addColumn('review_ledger_index', 'bigint').execute()

  // Rows recorded before this migration: the official's department and region as they are now.
  await sql`
    update data_access set
      department_id = (select s.department_id from staff s where s.account_id = data_access.staff_id),
      region_code = (select a.region_code from account a where a.id = data_access.staff_id)
    where department_id is null`.execute(db)

  await db.schema
    .createIndex('data_access_flagged_dept_idx')
    .on('data_access')
    .columns(['department_id', 'at'])
    .where(sql<boolean>`flagged = 1`)
    .execute()
  if (isPostgres(db)) {
    await sql`create index data_access_flagged_region_idx on data_access (region_code text_pattern_ops, at) where flagged = 1`.execute(
      db,
    )
  } else {
    await db.schema
      .createIndex('data_access_flagged_region_idx')
      .on('data_access')
      .columns(['region_code', 'at'])
      .where(sql<boolean>`flagged = 1`)
      .execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('data_access_flagged_region_idx').execute()
  await db.schema.dropIndex('data_access_flagged_dept_idx').execute()
  for (const c of [
    'review_ledger_index',
    'review_note',
    'review_verdict',
    'reviewed_at',
    'reviewed_by',
    'region_code',
    'department_id',
  ]) {
    await db.schema.alterTable('data_access').dropColumn(c).execute()
  }
}
