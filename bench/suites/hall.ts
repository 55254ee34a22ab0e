/**
 * Command hall figures (issue 12): the hall's reads at 1 and 10 million cases on SQLite and (when
 * DATABASE_URL names a PostgreSQL server) PostgreSQL, each next to the plain `GROUP BY` over the raw
 * case rows in the same run, and `AnalyticsService.rebuild()` per million ledger events.
 *
 * The data: living a quarter through the real services is far too slow at ten million cases, so a
 * synthetic but realistic, deterministic event stream (sim/rng.ts) is generated: cases submitted over
 * the quarter with weekday and office-hour rhythm, in the demo province's streets weighted by their
 * population, for the demo catalogue's matters and versions, online or at the street's window; one
 * department step per department the matter names (at the nearest level that has that department),
 * each opened, then completed by one of its officials; the case completed (or about 7 % rejected); an
 * appeal filed for about 5 %. The events have the event tail's shape and are folded with the real
 * `foldPage` in pages of XZT_BENCH_HALL_PAGE events (state loaded per page with `stateKeys`, as the
 * rollups consumer does), the increments summed per key over each Beijing day (the writes are
 * additive, so the rows are the same) and written with the real `addIncrements` into the
 * analytics_rollup table of a fresh database migrated by the real migrations, with the demo regions
 * imported: that is the rollup the hall reads. The same cases go, one row each, into a bench-only table
 * `bench_case` (id, region_code, submitted_at, completed_at, status, matter, channel) by multi-row
 * INSERTs in transactions, indexed as a DBA would for these questions: (region_code, submitted_at),
 * (submitted_at), (completed_at).
 *
 * Measured (ROUNDS rounds after one warm-up, p50 and p95), each next to the plain SQL over bench_case
 * that gives the same answer, the two checked equal (the run fails if not):
 *  - the heatmap of the province (its 14 cities) for the quarter, of a city (its counties) for a month,
 *    of a county (its streets) for a week with ragged hour ends: `AnalyticsService.heatmap`;
 *  - a KPI-like sum over a city and a month: cases submitted, completed, and the completed cases'
 *    duration (n and total ms): the KPI route's read (`AnalyticsService.kpis`) and `sumByDim`;
 *  - the hourly series of a city over a week: the series route's read (`AnalyticsHallService.series`).
 *
 * Rebuild: a fresh database with the demo regions and departments, XZT_BENCH_HALL_REBUILD_EVENTS events
 * of the same stream appended through the real ledger (`LedgerService.appendMany`, batches of 500, the
 * clock at each batch's first event), then `AnalyticsService.rebuild()` timed and reported per million
 * events; then the audit's `rollupsReplayer` fed every event and compared, its time and heap growth
 * reported (it holds every event in memory; run with NODE_OPTIONS=--expose-gc for a heap figure
 * taken after collections).
 *
 * Knobs (environment): XZT_BENCH_HALL_ONLY (sqlite | postgresql), _CASES (comma-separated, default
 * 1000000,10000000), _ROUNDS (default 20), _PAGE (events per fold, default 5000), _QUARTER (default
 * 2026-Q3), _REBUILD_EVENTS (default 300000; 0 skips the rebuild), _CACHE=0 (SQLite: generate afresh).
 *
 * SQLite cache: the generated database is kept under bench/.cache (gitignored) named by what shapes
 * it (cases, page, quarter, seed, generator version), and read in place by later runs.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { SYSTEM } from '../../src/server/access.js'
import { createApp, type App } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import type { Executor } from '../../src/server/db/database.js'
import type { DB } from '../../src/server/db/schema.js'
import { isPostgres } from '../../src/server/db/dialect.js'
import { parsePeriod } from '../../src/server/modules/assessment/index.js'
import { loadDemoCatalogue } from '../../src/server/modules/catalog/demo/index.js'
import type { TailEvent } from '../../src/server/modules/event-tail/index.js'
import { logIdForRegion, type LedgerEvent } from '../../src/server/modules/ledger/index.js'
// The bench drives the rollups' own fold and writes (the brief: the same rows the consumer writes).
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import {
  coverPeriod,
  DAY_MS,
  dayStart,
  foldPage,
  HOUR_MS,
  incrementKey,
  MEASURES,
  ROLLUP_EVENT_TYPES,
  stateKeys,
  type CaseState,
  type Increment,
  type TaskState,
} from '../../src/server/modules/analytics/analytics.model.js'
import { rollupsReplayer } from '../../src/server/modules/analytics/analytics.service.js'
// eslint-disable-next-line no-restricted-imports, @typescript-eslint/no-restricted-imports
import * as rollups from '../../src/server/modules/analytics/analytics.store.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoProvince } from '../../src/server/modules/sim/demo.model.js'
import { Rng, WeightedTable } from '../../src/server/modules/sim/rng.js'
import { figure, median, PG_URL, ROOT, tempDir, withPgDatabase, type Figure } from '../lib.js'

const SUITE = 'hall'
const CASES = (process.env.XZT_BENCH_HALL_CASES ?? '1000000,10000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
const ROUNDS = Number(process.env.XZT_BENCH_HALL_ROUNDS ?? 20)
const PAGE = Number(process.env.XZT_BENCH_HALL_PAGE ?? 5000)
const QUARTER = process.env.XZT_BENCH_HALL_QUARTER ?? '2026-Q3'
const REBUILD_EVENTS = Number(process.env.XZT_BENCH_HALL_REBUILD_EVENTS ?? 300_000)
const SEED = 20261204
/** Bump when the generator changes what it writes (the cache key). */
// 2: the fold counts process versions (in regions), zero-trip cases, step times, appeals and ratings.
const GENERATOR_VERSION = 2
const BEIJING = 8 * HOUR_MS
/** Raw rows per INSERT (7 parameters each) and per transaction. */
const RAW_CHUNK = 1000
const RAW_TX = 20_000
/** Summed increments written at the latest when this many are pending, and per transaction. */
const FLUSH_AT = 2_000_000
const FLUSH_TX = 50_000

type Label = 'SQLite' | 'PostgreSQL'
type Actor = TailEvent['actor']

// ---- the synthetic world and stream ------------------------------------------------------------

interface Matter {
  code: string
  versions: number[]
  departments: string[]
  slaDays: number
  window: boolean
}

interface World {
  province: DemoProvince
  streets: string[]
  streetTable: WeightedTable
  matters: Matter[]
  /** department id → its officials' ids (科员, else anyone). */
  officials: Map<string, string[]>
  departmentIds: Set<string>
}

function buildWorld(): World {
  const province = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'province' })
  const streets = province.regions.filter((r) => r.level === 'street')
  const officials = new Map<string, string[]>()
  for (const s of province.staff) {
    if (!s.roles.includes('official')) continue
    const list = officials.get(s.departmentId)
    if (list) list.push(s.id)
    else officials.set(s.departmentId, [s.id])
  }
  for (const s of province.staff) if (!officials.has(s.departmentId)) officials.set(s.departmentId, [s.id])
  const matters = loadDemoCatalogue().map((m) => ({
    code: m.matter.code,
    versions: m.versions.map((v) => v.version),
    departments: [...m.matter.departments],
    slaDays: Math.max(1, m.matter.slaDays),
    window: m.matter.channels.includes('window'),
  }))
  return {
    province,
    streets: streets.map((s) => s.code),
    streetTable: new WeightedTable(streets.map((s) => Math.max(1, s.population))),
    matters,
    officials,
    departmentIds: new Set(province.departments.map((d) => d.id)),
  }
}

/** The department of `kind` nearest a street: the street's, its county's, its city's, the province's. */
function departmentFor(world: World, kind: string, street: string): string | null {
  for (const len of [9, 6, 4, 2]) {
    const id = `${street.slice(0, len)}-${kind}`
    if (world.departmentIds.has(id)) return id
  }
  return null
}

/** One case as the raw table holds it. */
interface RawCase {
  id: string
  region_code: string
  submitted_at: number
  completed_at: number | null
  status: 'open' | 'completed' | 'rejected'
  matter: string
  channel: 'online' | 'window'
}

/** An event before it has its place in a log. */
type Pending = Omit<TailEvent, 'log' | 'index'> & { region: string; seq: number }

/** Relative rate of submissions by Beijing hour of day and by weekday (0 = Sunday). */
const HOUR_WEIGHT = [
  0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.6, 1, 1, 1, 0.6, 0.6, 1, 1, 1, 1, 0.6, 0.35, 0.35, 0.3,
  0.1, 0.05,
]
const DAY_WEIGHT = [0.25, 1, 1, 1, 1, 1, 0.35]
const CATEGORIES = [
  'market/pricing',
  'urban/road',
  'environment/noise',
  'social_security/pension',
  'tax/invoice',
  'housing/property',
]
const APPEAL_KINDS = ['complaint', 'complaint', 'complaint', 'suggestion', 'inquiry'] as const

/** A binary min-heap of pending events by (time, seq). */
class Heap {
  private readonly items: Pending[] = []
  get size(): number {
    return this.items.length
  }
  peek(): Pending | undefined {
    return this.items[0]
  }
  private less(a: Pending, b: Pending): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq)
  }
  push(x: Pending): void {
    const a = this.items
    a.push(x)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(a[i]!, a[p]!)) break
      ;[a[i], a[p]] = [a[p]!, a[i]!]
      i = p
    }
  }
  pop(): Pending | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m]!, a[i]!]
        i = m
      }
    }
    return top
  }
}

/**
 * The stream of `n` cases over [from, to): chunks of events in time order (each with its log and
 * index) and the raw rows of the cases submitted meanwhile. Deterministic for (n, from, to, SEED).
 * Events at or after `to` are dropped (those cases stay open in the raw table).
 */
function* stream(
  world: World,
  n: number,
  from: number,
  to: number,
  chunk: number,
): Generator<{ events: TailEvent[]; rows: RawCase[] }> {
  const rng = Rng.for(SEED, `hall:${n}:${from}:${to}`)
  const heap = new Heap()
  const logSize = new Map<string, number>()
  let seq = 0
  let events: TailEvent[] = []
  let rows: RawCase[] = []
  const emit = (p: Pending): void => {
    const log = logIdForRegion(p.region)
    const index = logSize.get(log) ?? 0
    logSize.set(log, index + 1)
    events.push({
      log,
      index,
      time: p.time,
      type: p.type,
      subject: p.subject,
      actor: p.actor,
      data: p.data,
    })
  }
  const push = (p: Omit<Pending, 'seq'>): void => {
    if (p.time < to) heap.push({ ...p, seq: seq++ })
  }
  const official = (department: string): Actor => {
    const ids = world.officials.get(department) ?? ['system']
    return {
      id: rng.pick(ids),
      roles: ['official'],
      department,
      region: department.slice(0, department.indexOf('-')),
    }
  }

  const hours = Math.round((to - from) / HOUR_MS)
  const weights = Array.from({ length: hours }, (_, h) => {
    const t = new Date(from + h * HOUR_MS + BEIJING)
    return (HOUR_WEIGHT[t.getUTCHours()] as number) * (DAY_WEIGHT[t.getUTCDay()] as number)
  })
  const sum = weights.reduce((a, b) => a + b, 0)
  let acc = 0
  let made = 0
  for (let h = 0; h < hours; h++) {
    acc += (n * (weights[h] as number)) / sum
    const k = h === hours - 1 ? n - made : Math.min(n - made, Math.floor(acc) - made)
    const offsets = Array.from({ length: k }, () => Math.floor(rng.next() * HOUR_MS)).sort((a, b) => a - b)
    for (const off of offsets) {
      const t0 = from + h * HOUR_MS + off
      while (heap.size > 0 && (heap.peek() as Pending).time <= t0) emit(heap.pop() as Pending)
      rows.push(makeCase(made++, t0))
      if (events.length >= chunk) {
        yield { events, rows }
        events = []
        rows = []
      }
    }
  }
  while (heap.size > 0) emit(heap.pop() as Pending)
  yield { events, rows }

  function makeCase(i: number, t0: number): RawCase {
    const id = `hb-${String(i).padStart(8, '0')}`
    const subject = `case:${id}`
    const street = world.streets[world.streetTable.draw(rng)] as string
    const m = world.matters[rng.int(0, world.matters.length - 1)] as Matter
    const version =
      m.versions.length > 1 && rng.chance(0.3)
        ? (m.versions[rng.int(0, m.versions.length - 2)] as number)
        : (m.versions.at(-1) as number)
    const channel = m.window && rng.chance(0.3) ? 'window' : 'online'
    const clerkDept = `${street}-service_center`
    const submitter: Actor =
      channel === 'window' && world.departmentIds.has(clerkDept)
        ? { ...official(clerkDept), roles: ['clerk'] }
        : {
            id: `ct-${String(rng.int(1, 1_000_000)).padStart(7, '0')}`,
            roles: ['citizen'],
            department: null,
            region: street,
          }
    const dueAt = t0 + m.slaDays * DAY_MS
    push({
      region: street,
      time: t0,
      type: 'case.submitted',
      subject,
      actor: submitter,
      data: {
        case: id,
        matter: m.code,
        version,
        channel,
        applicant:
          submitter.roles[0] === 'citizen'
            ? submitter.id
            : `ct-${String(rng.int(1, 1_000_000)).padStart(7, '0')}`,
        region: street,
        dueAt,
        data: 'bench',
        attachments: [],
        discrepancies: 'bench',
        window: channel === 'window',
      },
    })
    const rejectAt = rng.chance(0.07) ? rng.int(0, m.departments.length - 1) : -1
    let t = t0 + rng.int(1, 30) * 60_000
    let firstDept: string | null = null
    let step = 0
    for (const kind of m.departments) {
      const department = departmentFor(world, kind, street)
      if (!department) continue
      firstDept ??= department
      const task = `${id}-t${step}`
      const node = `step_${kind}`
      const limit = (m.slaDays * DAY_MS) / m.departments.length
      push({
        region: street,
        time: t,
        type: 'task.created',
        subject,
        actor: submitter,
        data: { case: id, task, node, department, dueAt: t + limit },
      })
      // Log-normal working time around a few hours; about one step in ten overruns its limit.
      const ms = Math.min(limit * 3, Math.exp(Math.log(limit / 6) + 1.1 * rng.normal()))
      const done = t + Math.max(60_000, Math.round(ms))
      push({
        region: street,
        time: done,
        type: 'task.completed',
        subject,
        actor: official(department),
        data: {
          case: id,
          task,
          node,
          department,
          outcome: step === rejectAt ? 'reject' : 'approve',
          comment: null,
          changedFields: [],
        },
      })
      t = done + rng.int(1, 20) * 60_000
      if (step === rejectAt) break
      step++
    }
    const rejected = rejectAt >= 0
    const endActor = firstDept ? official(firstDept) : submitter
    push({
      region: street,
      time: t,
      type: rejected ? 'case.rejected' : 'case.completed',
      subject,
      actor: endActor,
      data: { case: id, endEvent: rejected ? 'end_rejected' : 'end_approved' },
    })
    if (rng.chance(0.05)) {
      const at = t0 + rng.int(1, 14 * 24) * HOUR_MS - rng.int(0, 59) * 60_000
      const department = firstDept ?? `${street}-street_office`
      push({
        region: street,
        time: at,
        type: 'appeal.filed',
        subject: `appeal:ha-${id}`,
        actor: submitter.roles[0] === 'citizen' ? submitter : { ...submitter, roles: ['operator'] },
        data: {
          appeal: `ha-${id}`,
          kind: rng.pick(APPEAL_KINDS),
          category: rng.pick(CATEGORIES),
          channel: 'app',
          region: street,
          case: id,
          citizen: null,
          content: 'bench',
          concern: 'bench',
          department,
          rule: 'bench',
          routingPolicy: 'appeal.routing@1',
          respondDueAt: at + 2 * DAY_MS,
          resolveDueAt: at + 15 * DAY_MS,
          deadlinePolicy: 'appeal.deadlines@1',
          escalationPolicy: 'appeal.escalation@1',
        },
      })
    }
    const ended = t < to
    return {
      id,
      region_code: street,
      submitted_at: t0,
      completed_at: ended ? t : null,
      status: ended ? (rejected ? 'rejected' : 'completed') : 'open',
      matter: `${m.code}@${version}`,
      channel,
    }
  }
}

// ---- writing the hall's database ---------------------------------------------------------------

async function createRawTable(db: Kysely<DB>): Promise<void> {
  await sql`create table bench_case (
    id text primary key, region_code text not null, submitted_at bigint not null,
    completed_at bigint, status text not null, matter text not null, channel text not null)`.execute(db)
}

async function indexRawTable(db: Kysely<DB>): Promise<void> {
  await sql`create index bench_case_region_submitted on bench_case (region_code, submitted_at)`.execute(db)
  await sql`create index bench_case_submitted on bench_case (submitted_at)`.execute(db)
  await sql`create index bench_case_completed on bench_case (completed_at)`.execute(db)
  await sql`analyze`.execute(db)
}

async function insertRaw(db: Executor, rows: readonly RawCase[]): Promise<void> {
  for (let i = 0; i < rows.length; i += RAW_CHUNK)
    await db
      .insertInto('bench_case' as never)
      .values(rows.slice(i, i + RAW_CHUNK))
      .execute()
}

interface Generated {
  events: number
  increments: number
  /** Increments handed to addIncrements (those of a day summed per key). */
  writes: number
  rollupRows: number
  foldMs: number
  writeMs: number
  rawMs: number
  totalMs: number
}

/**
 * Generates `n` cases into the app's database: the rollups through foldPage and addIncrements, page by
 * page, and the raw rows, then the raw table's indexes.
 */
async function generate(
  app: App,
  world: World,
  n: number,
  period: { from: number; to: number },
  label: Label,
  log: (s: string) => void,
): Promise<Generated> {
  const db = app.database.db
  await app.services.regions.importValidated(world.province.regions)
  await createRawTable(db)
  // Generation only (a fresh app measures): a page cache that holds the growing rollup B-tree, so
  // millions of upserts in key order unrelated to insertion order do not thrash SQLite's default 2 MiB.
  if (!isPostgres(db)) await sql`pragma cache_size = -2000000`.execute(db)
  const started = performance.now()
  const cases = new Map<string, CaseState>()
  const tasks = new Map<string, TaskState>()
  const g = {
    events: 0,
    increments: 0,
    writes: 0,
    rollupRows: 0,
    foldMs: 0,
    writeMs: 0,
    rawMs: 0,
    totalMs: 0,
  }
  let rawPending: RawCase[] = []
  // The pages' increments summed per key until the Beijing day turns, then written: the upserts are
  // additive, so the rows are those page-by-page writes would give, with one upsert per row and day.
  const pending = new Map<string, Increment>()
  let day = dayStart(period.from)
  const flush = async (): Promise<void> => {
    const t = performance.now()
    const all = [...pending.values()]
    pending.clear()
    for (let i = 0; i < all.length; i += FLUSH_TX) {
      const part = all.slice(i, i + FLUSH_TX)
      await db.transaction().execute((trx) => rollups.addIncrements(trx, part))
    }
    g.writes += all.length
    g.writeMs += performance.now() - t
  }
  let submitted = 0
  let lastShown = 0
  for (const chunk of stream(world, n, period.from, period.to, PAGE)) {
    let t = performance.now()
    const keys = stateKeys(chunk.events)
    const knownCases = new Map<string, CaseState>()
    for (const id of keys.cases) {
      const c = cases.get(id)
      if (c) knownCases.set(id, c)
    }
    const knownTasks = new Map<string, TaskState>()
    for (const id of keys.tasks) {
      const x = tasks.get(id)
      if (x) knownTasks.set(id, x)
    }
    const result = foldPage(chunk.events, knownCases, knownTasks)
    for (const c of result.cases) {
      // An ended case is never read again by the fold (an appeal names only its region).
      if (c.ended) cases.delete(c.id)
      else cases.set(c.id, c)
    }
    for (const x of result.tasksPut) tasks.set(x.id, x)
    for (const id of result.tasksDropped) tasks.delete(id)
    for (const x of result.increments) {
      const key = incrementKey(x)
      const had = pending.get(key)
      if (had) {
        had.n += x.n
        had.total += x.total
      } else pending.set(key, { ...x })
    }
    g.foldMs += performance.now() - t
    g.events += chunk.events.length
    g.increments += result.increments.length
    const last = chunk.events.at(-1)
    if (last && (dayStart(last.time) !== day || pending.size >= FLUSH_AT)) {
      day = dayStart(last.time)
      await flush()
    }
    rawPending.push(...chunk.rows)
    submitted += chunk.rows.length
    if (rawPending.length >= RAW_TX) {
      t = performance.now()
      const rows = rawPending
      rawPending = []
      await db.transaction().execute((trx) => insertRaw(trx, rows))
      g.rawMs += performance.now() - t
    }
    const now = performance.now()
    if (now - lastShown > 10_000) {
      lastShown = now
      const s = (now - started) / 1000
      log(
        `${label}: ${submitted}/${n} cases, ${g.events} events folded into ${g.increments} increments, ${g.writes} written ` +
          `(${s.toFixed(0)} s, ${Math.round(submitted / s)} cases/s; fold ${(g.foldMs / 1000).toFixed(0)} s, ` +
          `rollup writes ${(g.writeMs / 1000).toFixed(0)} s, raw rows ${(g.rawMs / 1000).toFixed(0)} s)`,
      )
    }
  }
  await flush()
  const t = performance.now()
  await db.transaction().execute((trx) => insertRaw(trx, rawPending))
  await indexRawTable(db)
  await sql`analyze analytics_rollup`.execute(db)
  g.rawMs += performance.now() - t
  g.rollupRows = Number(
    (
      await db
        .selectFrom('analytics_rollup')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  g.totalMs = performance.now() - started
  return g
}

// ---- the queries -------------------------------------------------------------------------------

interface Query {
  name: string
  /** The hall's answer, reduced to comparable numbers (key → count). */
  hall: () => Promise<Map<string, number>>
  /** The same answer from the raw rows. */
  plain: () => Promise<Map<string, number>>
}

const beijing = (date: string, hh = 0): number =>
  Date.parse(`${date}T${String(hh).padStart(2, '0')}:00:00+08:00`)

/** Upper bound of the codes below `code` (digits sort before ':'). */
const below = (code: string): string => `${code}:`

function queries(app: App, db: Kysely<DB>, period: { from: number; to: number }): Query[] {
  const analytics = app.services.analytics
  const q = new Date(period.from + BEIJING).toISOString().slice(0, 7)
  const month = { from: beijing(`${q}-01`), to: 0 }
  month.to =
    Date.parse(new Date(Date.UTC(Number(q.slice(0, 4)), Number(q.slice(5, 7)), 1)).toISOString()) - BEIJING
  // A week from a Monday 09:00 to the next Monday 15:00 (ragged hour ends), in the quarter's second month.
  const second = new Date(month.to + BEIJING)
  const monday = (8 - second.getUTCDay()) % 7
  const weekStart = month.to + monday * DAY_MS + 9 * HOUR_MS
  const week = { from: weekStart, to: weekStart + 7 * DAY_MS + 6 * HOUR_MS }
  const city = '4301'
  const county = '430102'

  const heatmap = (region: string, p: { from: number; to: number }) => async () => {
    const h = await analytics.heatmap(SYSTEM, {
      region,
      metric: 'cases_per_10k',
      from: String(p.from),
      to: String(p.to),
    })
    return new Map(h.values.filter((v) => v.count > 0).map((v) => [v.code, v.count]))
  }
  const plainHeatmap = (region: string, len: number, p: { from: number; to: number }) => async () => {
    const { rows } = await sql<{ code: string; n: number | string }>`
      select substr(region_code, 1, ${sql.lit(len)}) as code, count(*) as n from bench_case
       where region_code >= ${region} and region_code < ${below(region)}
         and submitted_at >= ${p.from} and submitted_at < ${p.to}
       group by substr(region_code, 1, ${sql.lit(len)})`.execute(db)
    return new Map(rows.map((r) => [r.code, Number(r.n)]))
  }

  return [
    {
      name: `heatmap of 43 (14 cities), ${QUARTER}`,
      hall: heatmap('43', period),
      plain: plainHeatmap('43', 4, period),
    },
    {
      name: `heatmap of city ${city} (its counties), ${q}`,
      hall: heatmap(city, month),
      plain: plainHeatmap(city, 6, month),
    },
    {
      name: `heatmap of county ${county} (its streets), a week Mon 09:00 → Mon 15:00`,
      hall: heatmap(county, week),
      plain: plainHeatmap(county, 9, week),
    },
    {
      name: `KPI sums of city ${city}, ${q}: submitted, completed, duration n + total`,
      // The KPI route's own read: its one grouped query of every KPI measure and dimension, then the
      // ratios; compared on the counts and the duration total it divides.
      hall: async () => {
        const k = await analytics.kpis(SYSTEM, {
          region: city,
          from: String(month.from),
          to: String(month.to),
        })
        const { ranges } = coverPeriod(k.from, k.to)
        const sums = await rollups.sumByDim(db, 'region', city, [MEASURES.CASES_DURATION], ranges)
        const duration = sums.get(MEASURES.CASES_DURATION)?.get('') ?? { n: 0, total: 0 }
        return new Map([
          [MEASURES.CASES_SUBMITTED, k.submitted],
          [MEASURES.CASES_COMPLETED, k.completed],
          [MEASURES.CASES_DURATION, duration.n],
          ['duration.total', duration.total],
        ])
      },
      plain: async () => {
        const { rows } = await sql<{ s: number | string; c: number | string; d: number | string | null }>`
          select
            (select count(*) from bench_case where region_code >= ${city} and region_code < ${below(city)}
               and submitted_at >= ${month.from} and submitted_at < ${month.to}) as s,
            count(*) as c, sum(completed_at - submitted_at) as d
            from bench_case where status = 'completed' and completed_at >= ${month.from} and completed_at < ${month.to}
             and region_code >= ${city} and region_code < ${below(city)}`.execute(db)
        const r = rows[0]!
        return new Map([
          [MEASURES.CASES_SUBMITTED, Number(r.s)],
          [MEASURES.CASES_COMPLETED, Number(r.c)],
          [MEASURES.CASES_DURATION, Number(r.c)],
          ['duration.total', Number(r.d ?? 0)],
        ])
      },
    },
    {
      name: `hourly series of city ${city}, cases submitted over the same week (174 hours)`,
      hall: async () => {
        const series = await app.services.analyticsHall.series(SYSTEM, {
          region: city,
          metric: 'cases_submitted',
          grain: 'h',
          from: String(week.from),
          to: String(week.to),
        })
        return new Map(series.points.filter((p) => p.n > 0).map((p) => [String(p.t), p.n]))
      },
      plain: async () => {
        const { rows } = await sql<{ b: number | string; n: number | string }>`
          select (submitted_at / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)} as b, count(*) as n from bench_case
           where region_code >= ${city} and region_code < ${below(city)}
             and submitted_at >= ${week.from} and submitted_at < ${week.to}
           group by (submitted_at / ${sql.lit(HOUR_MS)})`.execute(db)
        return new Map(rows.map((r) => [String(Number(r.b)), Number(r.n)]))
      },
    },
  ]
}

const p95 = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] as number
}

function sameAnswer(name: string, hall: Map<string, number>, plain: Map<string, number>): void {
  const keys = new Set([...hall.keys(), ...plain.keys()])
  const bad = [...keys].filter((k) => (hall.get(k) ?? 0) !== (plain.get(k) ?? 0))
  if (bad.length > 0 || hall.size === 0)
    throw new Error(
      `${name}: the hall and the plain GROUP BY disagree on ${bad.length} of ${keys.size} keys, e.g. ` +
        bad
          .slice(0, 3)
          .map((k) => `${k}: hall ${hall.get(k) ?? 0}, plain ${plain.get(k) ?? 0}`)
          .join('; '),
    )
}

async function measureQueries(
  app: App,
  label: Label,
  n: number,
  period: { from: number; to: number },
  log: (s: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const query of queries(app, app.database.db, period)) {
    const hallTimes: number[] = []
    const plainTimes: number[] = []
    for (let round = 0; round <= ROUNDS; round++) {
      let t = performance.now()
      const hall = await query.hall()
      const h = performance.now() - t
      t = performance.now()
      const plain = await query.plain()
      const p = performance.now() - t
      if (round === 0) {
        sameAnswer(`${label} ${query.name}`, hall, plain)
        const total = [...hall.values()].reduce((a, b) => a + b, 0)
        log(
          `${label} ${fmtCases(n)}: ${query.name}: ${hall.size} keys agree (Σ ${total}); warm-up ${h.toFixed(1)} ms, plain ${p.toFixed(1)} ms`,
        )
        continue
      }
      hallTimes.push(h)
      plainTimes.push(p)
    }
    const name = `${label}, ${fmtCases(n)} cases: ${query.name}`
    log(
      `${name}: p50 ${median(hallTimes).toFixed(2)} ms, p95 ${p95(hallTimes).toFixed(2)} ms; ` +
        `plain GROUP BY p50 ${median(plainTimes).toFixed(1)} ms, p95 ${p95(plainTimes).toFixed(1)} ms`,
    )
    const base = { name: 'plain GROUP BY over the raw case rows, same run' }
    figures.push(
      figure({
        suite: SUITE,
        name: `${name} (p50)`,
        value: median(hallTimes),
        unit: 'ms',
        baseline: { ...base, value: median(plainTimes) },
        better: 'lower',
        notes: `${hallTimes.length} rounds`,
      }),
      figure({
        suite: SUITE,
        name: `${name} (p95)`,
        value: p95(hallTimes),
        unit: 'ms',
        baseline: { ...base, value: p95(plainTimes) },
        better: 'lower',
        notes: `${hallTimes.length} rounds; goal p95 < 100 ms at 10 million`,
      }),
    )
  }
  return figures
}

const fmtCases = (n: number): string =>
  n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1000 === 0 ? `${n / 1000}k` : String(n)

// ---- running a storage mode ----------------------------------------------------------------------

async function openApp(dir: string, databaseUrl: string): Promise<App> {
  return createApp(loadConfig({ XZT_DATA_DIR: dir, DATABASE_URL: databaseUrl, XZT_LOG_LEVEL: 'silent' }), {
    logger: false,
  })
}

function cacheDir(n: number): string | undefined {
  if (process.env.XZT_BENCH_HALL_CACHE === '0') return undefined
  return path.join(
    ROOT,
    'bench',
    '.cache',
    `hall-sqlite-${n}-${PAGE}-${QUARTER}-${SEED}-v${GENERATOR_VERSION}`,
  )
}

function reportGenerated(label: Label, n: number, g: Generated, log: (s: string) => void): Figure {
  log(
    `${label}: ${fmtCases(n)} cases generated in ${(g.totalMs / 1000).toFixed(0)} s: ${g.events} events folded ` +
      `(${(g.foldMs / 1000).toFixed(0)} s) into ${g.increments} increments, summed per day into ${g.writes} written by addIncrements ` +
      `(${(g.writeMs / 1000).toFixed(0)} s) into ${g.rollupRows} rollup rows; raw rows and indexes ${(g.rawMs / 1000).toFixed(0)} s`,
  )
  return figure({
    suite: SUITE,
    name: `${label}, ${fmtCases(n)} cases: generation, events folded and written per second (foldPage + addIncrements)`,
    value: g.events / ((g.foldMs + g.writeMs) / 1000),
    unit: '/s',
    baseline: {
      name: 'raw case rows inserted per second (multi-row INSERTs + indexes)',
      value: n / (g.rawMs / 1000),
    },
    better: 'higher',
    notes: `${g.events} events, ${g.increments} increments, ${g.rollupRows} rollup rows, total ${(g.totalMs / 1000).toFixed(0)} s`,
  })
}

async function benchSqlite(
  world: World,
  n: number,
  period: { from: number; to: number },
  log: (s: string) => void,
) {
  const figures: Figure[] = []
  const cache = cacheDir(n)
  let dir: string
  if (cache && fs.existsSync(path.join(cache, 'done'))) {
    dir = cache
    log(`SQLite: ${fmtCases(n)} cases read in place from ${path.relative(ROOT, cache)}`)
  } else {
    dir = cache ? `${cache}.partial` : tempDir('hall-sqlite')
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    const app = await openApp(dir, `sqlite:${path.join(dir, 'xzt.db')}`)
    try {
      figures.push(reportGenerated('SQLite', n, await generate(app, world, n, period, 'SQLite', log), log))
    } finally {
      await app.close()
    }
    if (cache) {
      fs.writeFileSync(path.join(dir, 'done'), new Date().toISOString())
      fs.rmSync(cache, { recursive: true, force: true })
      fs.renameSync(dir, cache)
      dir = cache
      log(`SQLite: kept in ${path.relative(ROOT, cache)}`)
    }
  }
  const app = await openApp(dir, `sqlite:${path.join(dir, 'xzt.db')}`)
  try {
    figures.push(...(await measureQueries(app, 'SQLite', n, period, log)))
  } finally {
    await app.close()
  }
  return figures
}

/** The bench's own PostgreSQL database commits without waiting for the WAL flush (writes only). */
async function relaxCommits(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`alter database ${name} set synchronous_commit = off`)
  } finally {
    await client.end()
  }
}

async function benchPostgres(
  world: World,
  n: number,
  period: { from: number; to: number },
  log: (s: string) => void,
) {
  return withPgDatabase(async (url) => {
    await relaxCommits(url)
    const app = await openApp(tempDir('hall-pg'), url)
    try {
      const g = reportGenerated(
        'PostgreSQL',
        n,
        await generate(app, world, n, period, 'PostgreSQL', log),
        log,
      )
      await sql`vacuum analyze`.execute(app.database.db)
      return [g, ...(await measureQueries(app, 'PostgreSQL', n, period, log))]
    } finally {
      await app.close()
    }
  })
}

// ---- rebuild -----------------------------------------------------------------------------------

/** A clock the bench sets: the ledger stamps each batch with its first event's time. */
class SetClock {
  constructor(public t: number) {}
  now(): number {
    return this.t
  }
}

async function benchRebuild(
  label: Label,
  world: World,
  dir: string,
  url: string,
  period: { from: number; to: number },
  log: (s: string) => void,
): Promise<Figure[]> {
  const clock = new SetClock(period.from - DAY_MS)
  const app = await createApp(loadConfig({ XZT_DATA_DIR: dir, DATABASE_URL: url, XZT_LOG_LEVEL: 'silent' }), {
    logger: false,
    clock,
  })
  try {
    const db = app.database.db
    await app.services.regions.importValidated(world.province.regions)
    const now = clock.now()
    await app.services.org.insertDepartmentsBulk(
      world.province.departments.map((d) => ({
        id: d.id,
        name: d.name,
        region_code: d.regionCode,
        kind: d.kind,
        created_at: now,
        updated_at: now,
      })),
    )
    // Enough cases for about REBUILD_EVENTS events (about six events a case).
    const cases = Math.ceil(REBUILD_EVENTS / 6)
    let appended = 0
    let t = performance.now()
    let lastShown = t
    for (const chunk of stream(world, cases, period.from, period.to, 500)) {
      if (chunk.events.length === 0) continue
      clock.t = Math.max(clock.t, chunk.events[0]!.time)
      const events: LedgerEvent[] = chunk.events.map((e) => ({
        type: e.type,
        subject: e.subject,
        regionCode: regionOf(e),
        actor: e.actor,
        data: e.data,
      }))
      await db.transaction().execute((trx) => app.services.ledger.appendMany(trx, events))
      appended += events.length
      if (performance.now() - lastShown > 10_000) {
        lastShown = performance.now()
        log(`${label}: rebuild data: ${appended} events appended (${((lastShown - t) / 1000).toFixed(0)} s)`)
      }
    }
    const appendMs = performance.now() - t
    const inLedger = await app.services.ledger.totalSize()
    log(
      `${label}: ${appended} case events appended through the ledger in ${(appendMs / 1000).toFixed(0)} s (${inLedger} events in the ledger)`,
    )

    t = performance.now()
    let lastRebuildShown = t
    const result = await app.services.analytics.rebuild((done, total) => {
      if (performance.now() - lastRebuildShown > 10_000) {
        lastRebuildShown = performance.now()
        log(`${label}: rebuild ${done}/${total}`)
      }
    })
    const rebuildMs = performance.now() - t
    const perMillion = (rebuildMs * 1_000_000) / result.events
    const rows = Number(
      (
        await db
          .selectFrom('analytics_rollup')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    log(
      `${label}: rebuild of ${result.events} events in ${(rebuildMs / 1000).toFixed(1)} s → ${rows} rollup rows: ${(perMillion / 1000).toFixed(1)} s per million events`,
    )

    // The audit's replayer: every rollup event in memory, then one fold and a comparison.
    const replayer = rollupsReplayer(db, app.services.eventConsumers)
    const types = new Set<string>(ROLLUP_EVENT_TYPES)
    globalThis.gc?.()
    const heapBefore = process.memoryUsage().heapUsed
    t = performance.now()
    let fed = 0
    for await (const e of app.services.ledger.events()) {
      if (!types.has(e.type)) continue
      replayer.apply(e)
      fed++
    }
    globalThis.gc?.()
    const heapHeld = process.memoryUsage().heapUsed - heapBefore
    const differences = await replayer.compare()
    const auditMs = performance.now() - t
    const rss = process.memoryUsage().rss
    log(
      `${label}: audit replayer: ${fed} events held (heap +${(heapHeld / 2 ** 20).toFixed(0)} MiB, ` +
        `${(heapHeld / fed) | 0} bytes an event; rss ${(rss / 2 ** 20).toFixed(0)} MiB), folded and compared in ` +
        `${(auditMs / 1000).toFixed(1)} s: ${differences.length} differences`,
    )
    if (differences.length > 0)
      throw new Error(`${label}: the audit finds ${differences.length} rollup differences after a rebuild`)
    return [
      figure({
        suite: SUITE,
        name: `${label}: xzt analytics rebuild, ms per million ledger events (${result.events} events)`,
        value: perMillion,
        unit: 'ms',
        baseline: {
          name: 'appending the same events through the ledger, ms per million',
          value: (appendMs * 1_000_000) / appended,
        },
        better: 'lower',
        notes: `${rows} rollup rows; rebuild ${(rebuildMs / 1000).toFixed(1)} s`,
      }),
      figure({
        suite: SUITE,
        name: `${label}: audit rollupsReplayer, ms per million events (held in memory: ${Math.round(heapHeld / fed)} B/event)`,
        value: (auditMs * 1_000_000) / fed,
        unit: 'ms',
        baseline: { name: 'the rebuild, ms per million events', value: perMillion },
        better: 'lower',
        notes: `${fed} events, heap +${(heapHeld / 2 ** 20).toFixed(0)} MiB`,
      }),
    ]
  } finally {
    await app.close()
  }
}

/** Where an event is recorded: its region (the data's `region`), else its case's city (the log). */
function regionOf(e: TailEvent): string {
  return typeof e.data.region === 'string' ? e.data.region : e.log
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const only = process.env.XZT_BENCH_HALL_ONLY?.toLowerCase()
  const period = parsePeriod(QUARTER)
  const world = buildWorld()
  const figures: Figure[] = []
  for (const n of CASES) {
    if (only !== 'postgresql') figures.push(...(await benchSqlite(world, n, period, log)))
    if (PG_URL && only !== 'sqlite') figures.push(...(await benchPostgres(world, n, period, log)))
  }
  if (REBUILD_EVENTS > 0) {
    if (only !== 'postgresql') {
      const dir = tempDir('hall-rebuild-sqlite')
      figures.push(
        ...(await benchRebuild('SQLite', world, dir, `sqlite:${path.join(dir, 'xzt.db')}`, period, log)),
      )
    }
    if (PG_URL && only !== 'sqlite')
      figures.push(
        ...(await withPgDatabase(async (url) => {
          await relaxCommits(url)
          return benchRebuild('PostgreSQL', world, tempDir('hall-rebuild-pg'), url, period, log)
        })),
      )
  }
  return figures
}
