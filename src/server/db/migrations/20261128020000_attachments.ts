/**
 * Attachments (附件): files citizens hand in with a case, kept in the database so an upload and the case
 * that binds it commit together and every app instance sees the same files. `attachment_blob` holds
 * each distinct content once, keyed by its SHA-256; `attachment` is one upload (owner, name, type),
 * bound to a case when the case is submitted.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

export async function up(db: Kysely<any>): Promise<void> {
  const bytes = isPostgres(db) ? sql`bytea` : sql`blob`

  await db.schema
    .createTable('attachment_blob')
    .addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`length(sha256) = 64`))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().references('attachment_blob.sha256'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.references('case_file.id'))
    .addColumn('bound_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('attachment_owner_idx')
    .on('attachment')
    .columns(['owner_id', 'created_at'])
    .execute()
  await db.schema.createIndex('attachment_case_idx').on('attachment').column('case_id').execute()
  await db.schema.createIndex('attachment_sha256_idx').on('attachment').column('sha256').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attachment', 'attachment_blob']) await db.schema.dropTable(t).execute()
}
