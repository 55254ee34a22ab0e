/**
 * Baseline for province seeding: the same demo rows — regions, departments, staff, citizens and the
 * data platform's authoritative records — (same generators, same schema, same durability)
 * inserted with the raw driver — better-sqlite3 prepared statements, or pg multi-row INSERTs — in
 * transactions of the same size. The floor our service-layer seeding is compared with.
 * Usage: raw-insert.ts sqlite <dir> | raw-insert.ts postgres <url>
 */
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from '../../src/server/db/migrate.js'
import { hashPassword } from '../../src/server/security/password.js'
import { createDemoRecordGenerator } from '../../src/server/modules/dataplatform/demo/records.generator.js'
import { generateDemoProvince, DEFAULT_DEMO_SEED } from '../../src/server/modules/sim/demo.generator.js'

const [dialect, target] = process.argv.slice(2) as [string, string]
const province = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'province' })
const hash = await hashPassword('xzt-demo')
const now = Date.now()
const deptRegion = new Map(province.departments.map((d) => [d.id, d.regionCode]))

type Row = unknown[]
const tables: { table: string; columns: string[]; rows: () => Iterable<Row[]> }[] = [
  {
    table: 'region',
    columns: [
      'code',
      'name',
      'level',
      'parent_code',
      'population',
      'centroid_lon',
      'centroid_lat',
      'geometry',
      'updated_at',
    ],
    rows: function* () {
      yield province.regions.map((r) => [
        r.code,
        r.name,
        r.level,
        r.parentCode,
        r.population,
        r.centroid?.[0] ?? null,
        r.centroid?.[1] ?? null,
        JSON.stringify(r.geometry),
        now,
      ])
    },
  },
  {
    table: 'department',
    columns: ['id', 'name', 'region_code', 'kind', 'created_at', 'updated_at'],
    rows: function* () {
      yield province.departments.map((d) => [d.id, d.name, d.regionCode, d.kind, now, now])
    },
  },
  {
    table: 'account',
    columns: [
      'id',
      'username',
      'password_hash',
      'kind',
      'name',
      'region_code',
      'active',
      'created_at',
      'updated_at',
    ],
    rows: function* () {
      for (let i = 0; i < province.staff.length; i += 2000) {
        yield province.staff
          .slice(i, i + 2000)
          .map((s) => [s.id, s.username, hash, 'staff', s.name, deptRegion.get(s.departmentId), 1, now, now])
      }
    },
  },
  {
    table: 'data_record',
    columns: [
      'source',
      'record_key',
      'citizen_id',
      'owner_department_kind',
      'region_code',
      'data',
      'updated_at',
    ],
    rows: function* () {
      for (const batch of createDemoRecordGenerator(province, DEFAULT_DEMO_SEED).batches(5000)) {
        yield batch.map((r) => [
          r.source,
          r.key,
          r.citizenId,
          r.ownerDepartmentKind,
          r.regionCode,
          JSON.stringify(r.data),
          r.updatedAt,
        ])
      }
    },
  },
  {
    table: 'staff',
    columns: ['account_id', 'department_id', 'position', 'roles'],
    rows: function* () {
      for (let i = 0; i < province.staff.length; i += 2000) {
        yield province.staff
          .slice(i, i + 2000)
          .map((s) => [s.id, s.departmentId, s.position, JSON.stringify(s.roles)])
      }
    },
  },
]

async function main(): Promise<void> {
  if (dialect === 'sqlite') {
    const sqlite = new SQLite(path.join(target, 'raw.db'))
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = FULL')
    sqlite.pragma('foreign_keys = ON')
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) })
    await migrateToLatest(db)
    const insertAll = (table: string, columns: string[], batches: Iterable<Row[]>): void => {
      const stmt = sqlite.prepare(
        `insert into ${table} (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`,
      )
      const tx = sqlite.transaction((rows: Row[]) => rows.forEach((r) => stmt.run(...r)))
      for (const batch of batches) tx(batch)
    }
    for (const t of tables) insertAll(t.table, t.columns, t.rows())
    const acc = sqlite.prepare(
      'insert into account (id,username,password_hash,kind,name,region_code,active,created_at,updated_at) values (?,?,?,?,?,?,?,?,?)',
    )
    const cit = sqlite.prepare(
      'insert into citizen (account_id,id_number,gender,birth_date,phone) values (?,?,?,?,?)',
    )
    const tx = sqlite.transaction(
      (batch: ReturnType<typeof province.citizens> extends Generator<infer B> ? B : never) => {
        for (const c of batch) acc.run(c.id, c.username, hash, 'citizen', c.name, c.regionCode, 1, now, now)
        for (const c of batch) cit.run(c.id, c.idNumber, c.gender, c.birthDate, c.phone)
      },
    )
    for (const batch of province.citizens(5000)) tx(batch)
    await db.destroy()
    return
  }
  const pool = new pg.Pool({ connectionString: target, max: 1 })
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  await migrateToLatest(db)
  const client = await pool.connect()
  const insertBatch = async (table: string, columns: string[], rows: Row[]): Promise<void> => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500)
      const values = chunk
        .map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(',')})`)
        .join(',')
      await client.query(`insert into ${table} (${columns.join(',')}) values ${values}`, chunk.flat())
    }
  }
  for (const t of tables) {
    for (const batch of t.rows()) {
      await client.query('begin')
      await insertBatch(t.table, t.columns, batch)
      await client.query('commit')
    }
  }
  for (const batch of province.citizens(5000)) {
    await client.query('begin')
    await insertBatch(
      'account',
      tables[2]!.columns,
      batch.map((c) => [c.id, c.username, hash, 'citizen', c.name, c.regionCode, 1, now, now]),
    )
    await insertBatch(
      'citizen',
      ['account_id', 'id_number', 'gender', 'birth_date', 'phone'],
      batch.map((c) => [c.id, c.idNumber, c.gender, c.birthDate, c.phone]),
    )
    await client.query('commit')
  }
  client.release()
  await db.destroy()
}

await main()
