/**
 * Ledger figures, side by side on SQLite and PostgreSQL in one run:
 *  - appends/s through the ledger, one per transaction and 100 per transaction, against plain INSERTs
 *    of the same rows at the same durability (the limit; goal ≥ 50%);
 *  - full verification rate of a 1,000,000-entry log against raw SHA-256 of the same leaf bytes
 *    (goal ≥ 50%);
 *  - inclusion-proof latency p50/p99 at 1,000,000 entries against a primary-key read of one leaf row
 *    (goal p99 < 1 ms).
 */
import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { createApp, type App } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import { isPostgres } from '../../src/server/db/dialect.js'
import type { LedgerEvent } from '../../src/server/modules/ledger/index.js'
import { figure, tempDir, type Figure } from '../lib.js'

const SUITE = 'ledger'
const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined
const SINGLE = Number(process.env.XZT_BENCH_SINGLE ?? 2000)
const BATCHES = Number(process.env.XZT_BENCH_BATCHES ?? 200)
const BIG = Number(process.env.XZT_BENCH_BIG_LOG ?? 1_000_000)
const PROOFS = 5000

const actor = {
  id: 'st-4301-data_bureau-005',
  roles: ['admin'],
  department: '4301-data_bureau',
  region: '4301',
}

function event(i: number, log: string): LedgerEvent {
  return {
    type: 'department.created',
    subject: `department:${log}-bench-${i}`,
    regionCode: log,
    actor,
    data: { id: `${log}-bench-${i}`, name: `星城市基准测试局${i}`, regionCode: log, kind: 'tax' },
  }
}

/** The same row the ledger stores, minus what makes it a ledger (hash, tree nodes, lock, frontier). */
function plainRow(i: number, log: string) {
  const e = event(i, log)
  const leaf = Buffer.from(JSON.stringify({ v: 1, log, index: i, time: Date.now(), ...e }))
  return { log_id: log, idx: i, time: Date.now(), type: e.type, subject: e.subject, leaf }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}

async function openApp(dialect: 'sqlite' | 'postgres', pgDb?: string): Promise<App> {
  const dir = tempDir(`ledger-${dialect}`)
  const env: Record<string, string> =
    dialect === 'sqlite'
      ? { XZT_DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}` }
      : { XZT_DATA_DIR: dir, DATABASE_URL: pgDb as string }
  return createApp(loadConfig({ ...env, XZT_LOG_LEVEL: 'silent' }), { logger: false })
}

async function benchDialect(
  dialect: 'sqlite' | 'postgres',
  app: App,
  log: (s: string) => void,
): Promise<Figure[]> {
  const db = app.database.db
  const ledger = app.services.ledger
  const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'
  const bytes = isPostgres(db) ? sql`bytea` : sql`blob`
  await sql`create table bench_plain (log_id text not null, idx bigint not null, time bigint not null, type text not null, subject text not null, leaf ${bytes} not null, primary key (log_id, idx))`.execute(
    db,
  )

  // Ledger and plain inserts alternate in rounds, so a change in machine load hits both alike.
  const ROUNDS = 10
  let ledgerMs = 0
  let plainMs = 0
  let next = 0
  for (let round = 0; round < ROUNDS; round++) {
    const from = next
    let t = performance.now()
    for (let i = from; i < from + SINGLE / ROUNDS; i++)
      await db.transaction().execute((trx) => ledger.append(trx, event(i, '4301')))
    ledgerMs += performance.now() - t
    t = performance.now()
    for (let i = from; i < from + SINGLE / ROUNDS; i++) {
      const row = plainRow(i, '4301')
      await db.transaction().execute((trx) =>
        trx
          .insertInto('bench_plain' as never)
          .values(row as never)
          .execute(),
      )
    }
    plainMs += performance.now() - t
    next += SINGLE / ROUNDS
  }
  const ledgerSingle = SINGLE / (ledgerMs / 1000)
  const plainSingle = SINGLE / (plainMs / 1000)
  log(`${label}: single appends measured`)

  ledgerMs = 0
  plainMs = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (let b = 0; b < BATCHES / ROUNDS; b++) {
      const base = next + b * 100
      const events = Array.from({ length: 100 }, (_, k) => event(base + k, '4301'))
      let t = performance.now()
      await db.transaction().execute((trx) => ledger.appendMany(trx, events))
      ledgerMs += performance.now() - t
      const rows = Array.from({ length: 100 }, (_, k) => plainRow(base + k, '4301'))
      t = performance.now()
      await db.transaction().execute((trx) =>
        trx
          .insertInto('bench_plain' as never)
          .values(rows as never)
          .execute(),
      )
      plainMs += performance.now() - t
    }
    next += (BATCHES / ROUNDS) * 100
  }
  const ledgerBatch = (BATCHES * 100) / (ledgerMs / 1000)
  const plainBatch = (BATCHES * 100) / (plainMs / 1000)
  log(`${label}: batched appends measured`)

  // --- concurrency (PostgreSQL): does one city's log lock serialise writers, and do cities block each other? ---
  const extra: Figure[] = []
  if (isPostgres(db)) {
    const CLIENTS = 8
    const PER_CLIENT = 150
    const concurrent = async (work: (client: number, i: number) => Promise<unknown>): Promise<number> => {
      const t0 = performance.now()
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let i = 0; i < PER_CLIENT; i++) await work(c, i)
        }),
      )
      return (CLIENTS * PER_CLIENT) / ((performance.now() - t0) / 1000)
    }
    const cities = Array.from({ length: CLIENTS }, (_, c) => `43${String(c + 3).padStart(2, '0')}`)
    const oneCity = await concurrent((c, i) =>
      db.transaction().execute((trx) => ledger.append(trx, event(100_000 + c * PER_CLIENT + i, '4301'))),
    )
    const manyCities = await concurrent((c, i) =>
      db.transaction().execute((trx) => ledger.append(trx, event(c * PER_CLIENT + i, cities[c] as string))),
    )
    const plainConcurrent = await concurrent((c, i) => {
      const row = plainRow(1_000_000 + c * PER_CLIENT + i, '4301')
      return db.transaction().execute((trx) =>
        trx
          .insertInto('bench_plain' as never)
          .values(row as never)
          .execute(),
      )
    })
    extra.push(
      figure({
        suite: SUITE,
        name: `${label}: ${CLIENTS} concurrent writers, all to one city's log, appends/s`,
        value: oneCity,
        unit: '/s',
        baseline: { name: `plain INSERTs from ${CLIENTS} concurrent writers`, value: plainConcurrent },
        better: 'higher',
      }),
      figure({
        suite: SUITE,
        name: `${label}: ${CLIENTS} concurrent writers, each to its own city's log, appends/s`,
        value: manyCities,
        unit: '/s',
        baseline: { name: `plain INSERTs from ${CLIENTS} concurrent writers`, value: plainConcurrent },
        better: 'higher',
      }),
    )
    log(`${label}: concurrency measured`)
  }

  // --- a big log for verification and proof latency ---
  const big = '4302'
  for (let i = 0; i < BIG; i += 5000) {
    const events = Array.from({ length: Math.min(5000, BIG - i) }, (_, k) => event(i + k, big))
    await db.transaction().execute((trx) => ledger.appendMany(trx, events))
    if (i % 200_000 === 0) log(`${label}: big log ${i}/${BIG}`)
  }
  await ledger.checkpointLog(big)

  let t = performance.now()
  const [result] = await ledger.verify(big)
  const verifySeconds = (performance.now() - t) / 1000
  if (result?.problem) throw new Error(`verification failed: ${result.problem.problem}`)
  const verifyRate = BIG / verifySeconds
  // Baseline: raw SHA-256 over exactly the same leaf bytes, already in memory.
  const leaves: Buffer[] = []
  for (let i = 0; i < BIG; i += 10_000) {
    const rows = await sql<{
      leaf: Uint8Array
    }>`select leaf from ledger_leaf where log_id = ${big} and idx >= ${i} and idx < ${i + 10_000} order by idx`.execute(
      db,
    )
    for (const r of rows.rows) leaves.push(Buffer.from(r.leaf))
  }
  t = performance.now()
  for (const leaf of leaves) createHash('sha256').update(leaf).digest()
  const rawRate = leaves.length / ((performance.now() - t) / 1000)
  log(`${label}: verification measured`)

  const size = BIG
  const proofTimes: number[] = []
  const readTimes: number[] = []
  for (let k = 0; k < PROOFS; k++) {
    const index = randomBytes(4).readUInt32BE(0) % size
    let s = performance.now()
    await ledger.inclusionProof(big, index, size)
    proofTimes.push(performance.now() - s)
    s = performance.now()
    await db
      .selectFrom('ledger_leaf')
      .select(['hash'])
      .where('log_id', '=', big)
      .where('idx', '=', index)
      .executeTakeFirst()
    readTimes.push(performance.now() - s)
  }
  proofTimes.sort((a, b) => a - b)
  readTimes.sort((a, b) => a - b)
  log(`${label}: proofs measured`)

  return [
    ...extra,
    figure({
      suite: SUITE,
      name: `${label}: ledger appends/s, 1 per transaction`,
      value: ledgerSingle,
      unit: '/s',
      baseline: { name: 'plain INSERT of the same row, 1 per transaction', value: plainSingle },
      better: 'higher',
    }),
    figure({
      suite: SUITE,
      name: `${label}: ledger appends/s, 100 per transaction`,
      value: ledgerBatch,
      unit: '/s',
      baseline: { name: 'plain INSERT of the same rows, 100 per transaction', value: plainBatch },
      better: 'higher',
    }),
    figure({
      suite: SUITE,
      name: `${label}: full verification, entries/s (${BIG} entries)`,
      value: verifyRate,
      unit: '/s',
      baseline: { name: 'raw SHA-256 of the same leaf bytes in memory', value: rawRate },
      better: 'higher',
    }),
    figure({
      suite: SUITE,
      name: `${label}: inclusion proof p50 at ${BIG} entries`,
      value: quantile(proofTimes, 0.5),
      unit: 'ms',
      baseline: { name: 'p50 of one primary-key leaf read', value: quantile(readTimes, 0.5) },
      better: 'lower',
    }),
    figure({
      suite: SUITE,
      name: `${label}: inclusion proof p99 at ${BIG} entries`,
      value: quantile(proofTimes, 0.99),
      unit: 'ms',
      baseline: { name: 'p99 of one primary-key leaf read', value: quantile(readTimes, 0.99) },
      better: 'lower',
    }),
  ]
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = []
  const sqliteApp = await openApp('sqlite')
  try {
    figures.push(...(await benchDialect('sqlite', sqliteApp, log)))
  } finally {
    await sqliteApp.close()
  }
  if (PG_URL) {
    const name = `xzt_bench_ledger_${randomBytes(4).toString('hex')}`
    const admin = async (q: string): Promise<void> => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(q)
      await c.end()
    }
    await admin(`create database ${name}`)
    const u = new URL(PG_URL)
    u.pathname = `/${name}`
    const pgApp = await openApp('postgres', u.toString())
    try {
      figures.push(...(await benchDialect('postgres', pgApp, log)))
    } finally {
      await pgApp.close()
      await admin(`drop database if exists ${name} with (force)`)
    }
  }
  return figures
}
