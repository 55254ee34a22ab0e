/**
 * Open311 (GeoReport v2) clients and what they filed:
 * - `open311_key`: an API key issued by an administrator, with the region it files in (the issuer's),
 *   only the SHA-256 of the key itself (shown once, at issue), and its revocation;
 * - `open311_request`: which key filed which appeal, and the token the client may look the request up by.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('open311_key')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull().unique())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'bigint')
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('open311_request')
    .addColumn('appeal_id', 'text', (c) => c.primaryKey().references('appeal.id'))
    .addColumn('key_id', 'text', (c) => c.notNull().references('open311_key.id'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('open311_request').execute()
  await db.schema.dropTable('open311_key').execute()
}
