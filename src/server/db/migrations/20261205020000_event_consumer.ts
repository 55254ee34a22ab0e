/**
 * Durable consumers of the ledger's event tail (`event_consumer`): one row per named consumer (the
 * responsibility chains following their cases, later the command hall's rollups), holding the tail
 * cursor after the last event it was handed, in the text form of ledger.cursor.ts (`43:5,4301:120`; the
 * empty string is the start of every log). The consumer's effects and the move of its cursor commit in
 * one transaction, so a restart resumes exactly where the last commit left off.
 *
 * The cursor is derived bookkeeping, not a fact: it is not ledgered (moving it would append an event,
 * which it would then read), and the audit checks that it never runs ahead of the logs.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_consumer')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('tail_cursor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_consumer').execute()
}
