/**
 * Foundation: regions, departments, accounts (staff and citizens), sessions, meta.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('region')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','city','county','street')`))
    .addColumn('parent_code', 'text', (c) => c.references('region.code'))
    .addColumn('population', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`population >= 0`),
    )
    .addColumn('centroid_lon', 'double precision')
    .addColumn('centroid_lat', 'double precision')
    .addColumn('geometry', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('region_parent_idx').on('region').column('parent_code').execute()

  await db.schema
    .createTable('department')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  // Subtree queries are `region_code LIKE '<prefix>%'`: text_pattern_ops lets PostgreSQL use the index.
  await createPrefixIndex(db, 'department_region_idx', 'department', 'region_code')
  await db.schema
    .createIndex('department_region_name_uq')
    .on('department')
    .columns(['region_code', 'name'])
    .unique()
    .execute()

  await db.schema
    .createTable('account')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('staff','citizen')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await createPrefixIndex(db, 'account_region_idx', 'account', 'region_code')

  await db.schema
    .createTable('staff')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('account.id').onDelete('cascade'))
    .addColumn('department_id', 'text', (c) => c.notNull().references('department.id'))
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('staff_department_idx').on('staff').column('department_id').execute()

  await db.schema
    .createTable('citizen')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('account.id').onDelete('cascade'))
    .addColumn('id_number', 'text', (c) => c.notNull().unique())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('session_account_idx').on('session').column('account_id').execute()
  await db.schema.createIndex('session_expires_idx').on('session').column('expires_at').execute()
}

async function createPrefixIndex(
  db: Kysely<any>,
  name: string,
  table: string,
  column: string,
): Promise<void> {
  if (isPostgres(db)) {
    await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.id(column)} text_pattern_ops)`.execute(
      db,
    )
  } else {
    await db.schema.createIndex(name).on(table).column(column).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['session', 'citizen', 'staff', 'account', 'department', 'region', 'meta']) {
    await db.schema.dropTable(t).execute()
  }
}
