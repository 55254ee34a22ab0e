/**
 * A rectification's own responsibility chain (整改责任链): who decided the badly reviewed case in the
 * handling department, and their superiors, built by the chain policy when the rectification opens.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rectification_chain')
    .addColumn('rectification_id', 'text', (c) => c.primaryKey().references('rectification.id'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('trace', 'text', (c) => c.notNull())
    .addColumn('built_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rectification_chain').execute()
}
