/**
 * The service catalogue (事项, versioned, immutable once deployed) and the data platform's
 * authoritative records (数据中台).
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('matter')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('matter_version')
    .addColumn('matter_code', 'text', (c) => c.notNull().references('matter.code'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('form_schema', 'text', (c) => c.notNull())
    .addColumn('process_xml', 'text', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('matter_version_pk', ['matter_code', 'version'])
    .execute()

  await db.schema
    .createTable('data_record')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('citizen_id', 'text', (c) => c.notNull())
    .addColumn('owner_department_kind', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_record_pk', ['source', 'record_key'])
    .execute()
  await db.schema
    .createIndex('data_record_citizen_idx')
    .on('data_record')
    .columns(['citizen_id', 'source'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['data_record', 'matter_version', 'matter']) await db.schema.dropTable(t).execute()
}
