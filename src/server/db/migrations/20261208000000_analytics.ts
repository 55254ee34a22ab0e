/**
 * The command hall's rollups (analytics module), kept from the ledger's event tail by the
 * `analytics.rollups` consumer:
 * - `analytics_rollup`: one counter per (measure, dimension, unit, grain, bucket). A unit is a region at
 *   any level, a department or an official; a grain is an hour or a Beijing day. `n` counts, `total`
 *   sums a value (milliseconds of a duration). Histograms are rows too (a measure's bins as its
 *   dimension), so every write is an additive upsert and any period or unit set merges with `SUM`. A
 *   new measure is new rows, never a new table.
 * - `analytics_case`, `analytics_task`: what the consumer remembers of open cases and department steps
 *   (a case's region and submission time, a step's department and due time), so later events, which
 *   carry only ids, can be attributed and timed without reading the cases module's tables.
 * All three are derived: `xzt analytics rebuild` empties them and replays the whole ledger.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('analytics_rollup')
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('unit_kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_rollup_pk', [
      'measure',
      'unit_kind',
      'unit_id',
      'grain',
      'bucket',
      'dim',
    ])
    .execute()
  await db.schema
    .createTable('analytics_case')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addColumn('ended', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('analytics_task')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_task').execute()
  await db.schema.dropTable('analytics_case').execute()
  await db.schema.dropTable('analytics_rollup').execute()
}
