/**
 * Window clerks find a citizen by full name (intake module): without an index each look-up scans every
 * account, a million rows at province scale. `(kind, name)` serves `kind = 'citizen' and name = ?`.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('account_kind_name_idx').on('account').columns(['kind', 'name']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('account_kind_name_idx').execute()
}
