/**
 * The scheduler's one table of durable jobs and timers, for every module: what to run (`kind`, a JSON
 * `payload`), when (`due_at`, platform-clock ms), and how it went (`status`, `attempts`, `last_error`).
 * `key` makes scheduling idempotent per kind (a case timer's id, a rollup's period); it defaults to the
 * job's id. `lease_owner`/`lease_until` (wall-clock ms) mark a running job's worker, so a job whose
 * worker died is claimed again once the lease runs out.
 *
 * Claiming reads `(status, due_at)`; the admin list filters by status and orders by time.
 *
 * Pending SLA timers of cases recorded before this migration become jobs when the server starts (the
 * cases module schedules each through the scheduler, so the adoption is on the ledger like any other
 * scheduling); the migration itself writes no rows, because it cannot write ledger events.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scheduler_job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','running','done','failed','dead','cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('scheduler_job_key_idx')
    .on('scheduler_job')
    .columns(['kind', 'key'])
    .unique()
    .execute()
  await db.schema
    .createIndex('scheduler_job_due_idx')
    .on('scheduler_job')
    .columns(['status', 'due_at'])
    .execute()
  await db.schema
    .createIndex('scheduler_job_list_idx')
    .on('scheduler_job')
    .columns(['region_code', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduler_job').execute()
}
