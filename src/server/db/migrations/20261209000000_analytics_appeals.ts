/**
 * The command hall's rollups follow appeals and process versions too:
 * - `analytics_case.matter`: the case's process version (`matter:<matter>@<version>`), so a completion,
 *   which carries only the case id, counts in its version's KPIs ('' for a case submitted without one);
 * - `analytics_case.rating`: the case's rating as counted (JSON: when, score, reform score, department,
 *   version), so a contest upheld as a false review takes exactly that out again;
 * - `analytics_appeal`: what the consumer remembers of an appeal (its region, the department it is with,
 *   when it was filed, whether it has been answered and resolved), so later appeal events, which carry
 *   only the appeal id, are attributed and timed without reading the appeals module's tables.
 * Derived like the rest: `xzt analytics rebuild` empties and refills them.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('analytics_case')
    .addColumn('matter', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.alterTable('analytics_case').addColumn('rating', 'text').execute()
  await db.schema
    .createTable('analytics_appeal')
    .addColumn('appeal_id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('filed_at', 'bigint', (c) => c.notNull())
    .addColumn('responded', 'integer', (c) => c.notNull())
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_appeal').execute()
  await db.schema.alterTable('analytics_case').dropColumn('rating').execute()
  await db.schema.alterTable('analytics_case').dropColumn('matter').execute()
}
