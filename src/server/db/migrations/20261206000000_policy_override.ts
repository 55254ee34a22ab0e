/**
 * Overrides of governance policies by a city, county or street (各级调整): which fields, with which
 * values, from when, until retired. The province's version stays the one set of algorithms; an override
 * changes only the fields its kind allows, within their bounds (a county may shorten a time limit).
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_override')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    /** JSON array of `{path, value}`. */
    .addColumn('overrides', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('retired_by', 'text')
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('policy_override_seq', ['kind', 'region_code', 'seq'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_override').execute()
}
