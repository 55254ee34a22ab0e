/**
 * The ledger: one RFC 6962 log per city plus the province log. Leaf rows carry their leaf hash and the
 * hashes of the tree nodes the leaf completes, so appending is one INSERT and any node is one row read.
 * Every ledger table is append-only in the database itself: triggers reject UPDATE and DELETE.
 * Also adds the per-account salt used for commitments to personal data.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

export const LEDGER_TABLES = [
  'ledger_log',
  'ledger_key',
  'ledger_leaf',
  'ledger_checkpoint',
  'ledger_cosignature',
] as const

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  const bytes = pg ? sql`bytea` : sql`blob`

  await db.schema
    .createTable('ledger_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('ledger_key')
    .addColumn('log_id', 'text', (c) => c.notNull().references('ledger_log.id'))
    .addColumn('vkey', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_key_pk', ['log_id', 'vkey'])
    .execute()

  await db.schema
    .createTable('ledger_leaf')
    .addColumn('log_id', 'text', (c) => c.notNull().references('ledger_log.id'))
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('leaf', bytes, (c) => c.notNull())
    .addColumn('hash', bytes, (c) => c.notNull())
    .addColumn('nodes', bytes)
    .addPrimaryKeyConstraint('ledger_leaf_pk', ['log_id', 'idx'])
    .execute()
  await db.schema
    .createIndex('ledger_leaf_subject_idx')
    .on('ledger_leaf')
    .columns(['subject', 'log_id', 'idx'])
    .execute()

  await db.schema
    .createTable('ledger_checkpoint')
    .addColumn('log_id', 'text', (c) => c.notNull().references('ledger_log.id'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('root', bytes, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_checkpoint_pk', ['log_id', 'size'])
    .execute()

  await db.schema
    .createTable('ledger_cosignature')
    .addColumn('log_id', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('witness', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_cosignature_pk', ['log_id', 'size', 'witness'])
    .addForeignKeyConstraint('ledger_cosignature_checkpoint_fk', ['log_id', 'size'], 'ledger_checkpoint', [
      'log_id',
      'size',
    ])
    .execute()

  if (pg) {
    await sql`
      create function xzt_ledger_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger table % is append-only: % refused', tg_table_name, tg_op using errcode = 'P0001';
      end $$`.execute(db)
    for (const table of LEDGER_TABLES) {
      await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.id(table)}
        for each row execute function xzt_ledger_append_only()`.execute(db)
      await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.id(table)}
        for each statement execute function xzt_ledger_append_only()`.execute(db)
    }
  } else {
    for (const table of LEDGER_TABLES) {
      for (const op of ['update', 'delete'] as const) {
        await sql`create trigger ${sql.id(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.id(table)}
          begin select raise(abort, ${sql.lit(`ledger table ${table} is append-only: ${op.toUpperCase()} refused`)}); end`.execute(
          db,
        )
      }
    }
  }

  await db.schema.alterTable('account').addColumn('salt', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('account').dropColumn('salt').execute()
  for (const table of [...LEDGER_TABLES].reverse()) await db.schema.dropTable(table).execute()
  if (isPostgres(db)) await sql`drop function xzt_ledger_append_only()`.execute(db)
}
