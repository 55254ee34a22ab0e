/**
 * Who last changed an authoritative record, and the ledger entry that registered that change: a data
 * discrepancy's responsibility chain names the record's keeper and proves when the record was set.
 * Records from before this migration have neither (their chains name the department's official on
 * duty instead, and say why).
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('data_record').addColumn('updated_by', 'text').execute()
  await db.schema.alterTable('data_record').addColumn('ledger_log', 'text').execute()
  await db.schema.alterTable('data_record').addColumn('ledger_index', 'bigint').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('data_record').dropColumn('ledger_index').execute()
  await db.schema.alterTable('data_record').dropColumn('ledger_log').execute()
  await db.schema.alterTable('data_record').dropColumn('updated_by').execute()
}
