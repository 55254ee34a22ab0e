/**
 * Assessment figures: a whole province's quarter of scorecards over the province demo, on SQLite and
 * (when DATABASE_URL names a PostgreSQL server) PostgreSQL, each against one plain aggregate query over
 * the same rows in the same run.
 *
 * The data: the `province` demo (about a million citizens, every city, county and street with its
 * departments and staff) seeded at the quarter's start, then the quarter lived through the real
 * services: the traffic simulator's citizens apply and officials work their inboxes (SLA warnings and
 * breaches fire), and in its hourly hook the applicants rate most finished cases (a bad review opens a
 * rectification, which the department mostly calls back and rectifies), and citizens file appeals
 * which the routed department accepts (or returns), answers and resolves, the citizen then rating the
 * handling (an unsatisfied first rating reopens it). The rows assessed are counted and printed.
 *
 * Measured, through the service (`AssessmentService.scorecards`, as the route calls it), each pass
 * repeated ROUNDS times, p50 and p95:
 *  - every official of the province (`level=official&region=43`);
 *  - every department of the province (`level=department&region=43`);
 *  - the regions at every level: the province's cities, each city's counties and each county's
 *    streets, in one call (`level=region&region=43&depth=all`). In the warm-up round (untimed) its
 *    rows are checked equal to the per-parent calls (1 + cities + counties calls, each parent's
 *    direct children), and those calls timed once, printed for comparison (_CHECK=0 skips it);
 *  - the whole quarter: the three together.
 * The baseline, in the same run after each pass: one plain aggregate SQL statement over the same
 * quarter's rows (ratings GROUP BY department with count, mean and bad reviews; completed department
 * steps GROUP BY department with the on-time share; appeals GROUP BY region with the response share).
 *
 * Knobs (environment): XZT_BENCH_ASSESSMENT_SCALE (province | small), _PER_DAY (applications on a working
 * day, default 100), _DAYS (days simulated from the quarter's start, default the whole quarter),
 * _ROUNDS (default 5), _QUARTER (default 2026-Q3), _ONLY (sqlite | postgresql: one storage mode),
 * _PG_DURABLE=1 (PostgreSQL commits at full durability while seeding: slower, same reads),
 * _CACHE=0 (SQLite: seed afresh even when a cached database exists), _CHECK=0 (skip the per-parent
 * region calls of the warm-up round), _REGIONS=per-parent (time the regions as one call per parent,
 * as before depth=all existed: to measure older code on the same data).
 *
 * SQLite cache: the seeded and lived-through SQLite database (with its keys) is kept under
 * bench/.cache (gitignored), named by the settings that shape the data (scale, per day, days,
 * quarter), so a rerun skips the seeding and the quarter (at province scale most of the run). Delete
 * the folder, or set _CACHE=0, after changing what the seeding or the services write.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { SYSTEM, type Principal } from '../../src/server/access.js'
import { createApp, type App } from '../../src/server/app.js'
import { ManualClock } from '../../src/server/clock.js'
import { loadConfig } from '../../src/server/config.js'
import { parsePeriod } from '../../src/server/modules/assessment/index.js'
import type { ScorecardRow } from '../../src/server/modules/assessment/assessment.service.js'
import { DEFAULT_DEMO_SEED } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoScale } from '../../src/server/modules/sim/demo.model.js'
import { DemoService } from '../../src/server/modules/sim/demo.service.js'
import { Rng } from '../../src/server/modules/sim/rng.js'
import { runTraffic, type TrafficResult } from '../../src/cli/traffic.js'
import type { AppealSatisfaction } from '../../src/shared/domain.js'
import { isAppError } from '../../src/shared/errors.js'
import { figure, median, PG_URL, ROOT, tempDir, withPgDatabase, type Figure } from '../lib.js'

const SUITE = 'assessment'
const SCALE = (process.env.XZT_BENCH_ASSESSMENT_SCALE ?? 'province') as DemoScale
const PER_DAY = Number(process.env.XZT_BENCH_ASSESSMENT_PER_DAY ?? 100)
const ROUNDS = Number(process.env.XZT_BENCH_ASSESSMENT_ROUNDS ?? 5)
const QUARTER = process.env.XZT_BENCH_ASSESSMENT_QUARTER ?? '2026-Q3'
const PASSWORD = 'xzt-demo'
const SEED = 20261204
/** PostgreSQL: relaxed commit durability for the bench's own database (see relaxCommits). */
const RELAXED = process.env.XZT_BENCH_ASSESSMENT_PG_DURABLE !== '1'
/** Check the depth=all region rows against the per-parent calls in the warm-up round. */
const CHECK = process.env.XZT_BENCH_ASSESSMENT_CHECK !== '0'
/** Time the regions as one call per parent instead of depth=all (to compare with code before it). */
const PER_PARENT = process.env.XZT_BENCH_ASSESSMENT_REGIONS === 'per-parent'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const BEIJING = 8 * HOUR

/** Share of finished cases their applicant rates, and the scores they give (1..5). */
const RATE_SHARE = 0.7
const SCORES = [
  [5, 0.58],
  [4, 0.22],
  [3, 0.1],
  [2, 0.06],
  [1, 0.04],
] as const
/** Share of bad reviews the department calls back and rectifies (the rest run past their deadline). */
const RECTIFY_SHARE = 0.85
/** Appeals filed per application, and how they go. */
const APPEALS_PER_CASE = 0.15
const RETURN_SHARE = 0.05
const SATISFACTION: readonly [AppealSatisfaction, number][] = [
  ['satisfied', 0.62],
  ['basically_satisfied', 0.23],
  ['dissatisfied', 0.15],
]
const CATEGORIES = [
  'market/pricing',
  'urban/road',
  'environment/noise',
  'social_security/pension',
  'tax/invoice',
]

type Label = 'SQLite' | 'PostgreSQL'
type Action = 'accept' | 'respond' | 'resolve' | 'rate' | 'callback' | 'rectify'
interface Agenda {
  at: number
  action: Action
  id: string
  /** Who rates (the citizen who filed the appeal). */
  citizen?: Principal
  /** 0 for the first resolution, 1 after a reopening. */
  round?: number
}

interface Lived {
  traffic: TrafficResult
  ratings: number
  bad: number
  appeals: number
  appealActions: number
  rectifications: number
  skipped: number
}

function pick<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  let u = rng.next()
  for (const [v, p] of table) {
    if (u < p) return v
    u -= p
  }
  return table[table.length - 1]![0]
}

/** Lives through the quarter: traffic, ratings, rectifications and appeals, all through the services. */
async function liveQuarter(
  app: App,
  from: number,
  days: number,
  label: Label,
  log: (s: string) => void,
): Promise<Lived> {
  const { services } = app
  const db = app.database.db
  const citizens = (await services.org.counts()).citizens
  const workers = new Map<string, Principal | null>()
  const agenda: Agenda[] = []
  const lived: Omit<Lived, 'traffic'> = {
    ratings: 0,
    bad: 0,
    appeals: 0,
    appealActions: 0,
    rectifications: 0,
    skipped: 0,
  }
  let lastRated = from
  let serial = 0

  /** An official (or supervisor) of the department, who works its appeals and rectifications. */
  const workerOf = async (departmentId: string): Promise<Principal | null> => {
    if (workers.has(departmentId)) return workers.get(departmentId)!
    const members = (await services.org.membersOf([departmentId])).get(departmentId) ?? []
    const m =
      members.find((x) => x.roles.includes('official')) ?? members.find((x) => x.roles.includes('supervisor'))
    const p = (m && (await services.org.findLoginAccount({ id: m.id }))?.principal) ?? null
    workers.set(departmentId, p)
    return p
  }
  const later = (now: number, rng: Rng, minH: number, maxH: number) => now + rng.float(minH, maxH) * HOUR

  /** Runs one agenda item; an AppError (the appeal moved on, escalated meanwhile) skips it. */
  const act = async (a: Agenda, now: number): Promise<void> => {
    const rng = Rng.for(SEED, `${a.action}:${a.id}:${a.round ?? 0}`)
    try {
      if (a.action === 'callback' || a.action === 'rectify') {
        const rect = await services.rectifications.get(SYSTEM, a.id)
        const by = rect.department && (await workerOf(rect.department.id))
        if (!by) return void lived.skipped++
        if (a.action === 'callback') {
          await services.rectifications.callback(by, a.id, {
            calledAt: now - 10 * 60_000,
            summary: '已电话回访群众，了解不满意原因。',
          })
          agenda.push({ at: later(now, rng, 12, 72), action: 'rectify', id: a.id })
        } else {
          await services.rectifications.rectify(by, a.id, { measures: '已优化办理流程并加强窗口培训。' })
          lived.rectifications++
        }
        return
      }
      const appeal = await services.appealViews.get(SYSTEM, a.id)
      if (a.action === 'rate') {
        await services.appealHandling.rate(a.citizen!, a.id, {
          satisfaction: a.round ? pick(rng, SATISFACTION.slice(0, 2)) : pick(rng, SATISFACTION),
        })
        lived.appealActions++
        const after = await services.appealViews.get(SYSTEM, a.id)
        if (after.status === 'accepted')
          agenda.push({
            at: later(now, rng, 24, 120),
            action: 'resolve',
            id: a.id,
            citizen: a.citizen,
            round: 1,
          })
        return
      }
      const by = await workerOf(appeal.department.id)
      if (!by) return void lived.skipped++
      if (a.action === 'accept') {
        if (rng.chance(RETURN_SHARE) && (a.round ?? 0) === 0) {
          await services.appealHandling.return(by, a.id, { reason: '不属于本部门职责，请重新分派。' })
          agenda.push({
            at: later(now, rng, 2, 20),
            action: 'accept',
            id: a.id,
            citizen: a.citizen,
            round: 1,
          })
        } else {
          await services.appealHandling.accept(by, a.id)
          agenda.push({ at: later(now, rng, 1, 30), action: 'respond', id: a.id, citizen: a.citizen })
        }
      } else if (a.action === 'respond') {
        await services.appealHandling.respond(by, a.id, { text: '已收到您的诉求，正在核实处理。' })
        agenda.push({ at: later(now, rng, 24, 160), action: 'resolve', id: a.id, citizen: a.citizen })
      } else {
        await services.appealHandling.resolve(by, a.id, { text: '经核实已处理完毕，感谢您的监督。' })
        agenda.push({
          at: later(now, rng, 4, 48),
          action: 'rate',
          id: a.id,
          citizen: a.citizen,
          round: a.round,
        })
      }
      lived.appealActions++
    } catch (err) {
      if (!isAppError(err)) throw err
      lived.skipped++
    }
  }

  /** The applicants rate the cases finished since the last pass (a bad review opens a rectification). */
  const rateFinished = async (now: number): Promise<void> => {
    const rows = await db
      .selectFrom('case_file as c')
      .leftJoin('case_rating as r', 'r.case_id', 'c.id')
      .select(['c.id', 'c.applicant_id'])
      .where('c.status', 'in', ['completed', 'rejected'])
      .where('c.completed_at', '>=', lastRated)
      .where('c.completed_at', '<', now)
      .where('r.case_id', 'is', null)
      .orderBy('c.id')
      .execute()
    lastRated = now
    for (const row of rows) {
      const rng = Rng.for(SEED, `rate:${row.id}`)
      if (!rng.chance(RATE_SHARE)) continue
      const account = await services.org.findLoginAccount({ id: row.applicant_id })
      if (!account) continue
      const score = pick(rng, SCORES)
      try {
        const view = await services.ratings.rate(account.principal, row.id, {
          score,
          ...(rng.chance(0.4) ? { reformScore: pick(rng, SCORES) } : {}),
        })
        lived.ratings++
        if (view.rectification) {
          lived.bad++
          if (rng.chance(RECTIFY_SHARE))
            agenda.push({ at: later(now, rng, 2, 40), action: 'callback', id: view.rectification.id })
        }
      } catch (err) {
        if (!isAppError(err)) throw err
        lived.skipped++
      }
    }
  }

  /** Citizens file this hour's appeals (about APPEALS_PER_CASE per application, in waking hours). */
  const fileAppeals = async (now: number): Promise<void> => {
    const hour = new Date(now + BEIJING).getUTCHours()
    if (hour < 8 || hour > 21) return
    const rng = Rng.for(SEED, `appeals:${now}`)
    const n = Math.floor((PER_DAY * APPEALS_PER_CASE) / 14 + rng.next())
    for (let i = 0; i < n; i++) {
      const id = `ct-${String(rng.int(1, citizens)).padStart(7, '0')}`
      const account = await services.org.findLoginAccount({ id })
      if (!account || account.principal.kind !== 'citizen') continue
      const k = serial++
      try {
        const appeal = await services.appeals.file(account.principal, {
          kind: 'complaint',
          category: CATEGORIES[k % CATEGORIES.length]!,
          text: `考核基准诉求 ${k}：问题反映多次仍未解决，请尽快处理`,
          regionCode: account.principal.regionCode,
        })
        lived.appeals++
        agenda.push({
          at: later(now, rng, 1, 40),
          action: 'accept',
          id: appeal.id,
          citizen: account.principal,
        })
      } catch (err) {
        if (!isAppError(err)) throw err
        lived.skipped++
      }
    }
  }

  const onHour = async (now: number): Promise<void> => {
    await fileAppeals(now)
    const due = agenda.filter((a) => a.at <= now).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
    for (const a of due) agenda.splice(agenda.indexOf(a), 1)
    for (const a of due) await act(a, now)
    // Applicants rate in the evening, Beijing time, what finished since the evening before.
    if (new Date(now + BEIJING).getUTCHours() === 20) await rateFinished(now)
  }

  const started = performance.now()
  let lastWeek = -1
  const traffic = await runTraffic(app, {
    seed: SEED,
    days,
    casesPerDay: PER_DAY,
    onHour,
    onProgress: (done, total) => {
      const week = Math.floor(done / (7 * 24))
      if (week === lastWeek && done < total) return
      lastWeek = week
      log(
        `${label}: simulated ${Math.round(done / 24)}/${Math.round(total / 24)} days (${((performance.now() - started) / 1000).toFixed(0)} s): ` +
          `${lived.ratings} ratings, ${lived.appeals} appeals, ${lived.rectifications} rectified`,
      )
    },
  })
  return { traffic, ...lived }
}

/** Rows of the quarter the scorecards read, by kind (what is assessed). */
async function rowsAssessed(app: App, from: number, to: number): Promise<Record<string, number>> {
  const db = app.database.db
  const n = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n)
  return {
    ratings: await n(
      db
        .selectFrom('case_rating')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('rated_at', '>=', from)
        .where('rated_at', '<', to),
    ),
    'department steps completed': await n(
      db
        .selectFrom('case_task')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('kind', '=', 'department')
        .where('status', '=', 'completed')
        .where('completed_at', '>=', from)
        .where('completed_at', '<', to),
    ),
    'cases finished': await n(
      db
        .selectFrom('case_file')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', 'in', ['completed', 'rejected'])
        .where('completed_at', '>=', from)
        .where('completed_at', '<', to),
    ),
    appeals: await n(
      db
        .selectFrom('appeal')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('created_at', '<', to),
    ),
    'appeal steps': await n(db.selectFrom('appeal_step').select((eb) => eb.fn.countAll().as('n'))),
    'rectifications due': await n(
      db
        .selectFrom('rectification')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('due_at', '>=', from)
        .where('due_at', '<', to),
    ),
  }
}

/**
 * The baseline: one plain aggregate statement over the quarter's rows, what a hand-written report
 * would run: ratings and completed steps by department, appeals by region.
 */
async function plainAggregate(app: App, from: number, to: number): Promise<number> {
  const { rows } = await sql<{ kind: string; key: string; n: number; v: number }>`
    select 'rating' as kind, department_id as key, count(*) as n, avg(score) as v,
           sum(case when score <= 2 then 1 else 0 end) as bad
      from case_rating where rated_at >= ${from} and rated_at < ${to} and excluded = 0
      group by department_id
    union all
    select 'step', department_id, count(*),
           avg(case when sla <> 'breached' and (due_at is null or completed_at <= due_at) then 1.0 else 0.0 end), 0
      from case_task where kind = 'department' and status = 'completed'
       and completed_at >= ${from} and completed_at < ${to}
      group by department_id
    union all
    select 'appeal', region_code, count(*),
           avg(case when responded_at is not null and responded_at <= respond_due_at then 1.0 else 0.0 end), 0
      from appeal where created_at < ${to} and (closed_at is null or closed_at >= ${from})
      group by region_code`.execute(app.database.db)
  return rows.length
}

/**
 * The depth=all rows against the per-parent calls: each parent's direct children, row for row
 * (without the `parent` and `level` only depth=all names). @throws when any differs
 */
async function checkRegions(
  app: App,
  all: readonly ScorecardRow[],
  parents: readonly string[],
  log: (s: string) => void,
): Promise<void> {
  const t0 = performance.now()
  let rows = 0
  for (const parent of parents) {
    const own = await app.services.assessment.scorecards(SYSTEM, {
      period: QUARTER,
      level: 'region',
      region: parent,
    })
    rows += own.length
    const below = all.filter((r) => r.parent === parent).map(({ parent: _p, level: _l, ...r }) => r)
    if (JSON.stringify(below) !== JSON.stringify(own))
      throw new Error(`depth=all rows under ${parent} differ from its own call`)
  }
  if (rows !== all.length) throw new Error(`depth=all: ${all.length} rows, the per-parent calls ${rows}`)
  log(
    `regions: the ${all.length} depth=all rows equal the ${parents.length} per-parent calls' ` +
      `(those took ${(performance.now() - t0).toFixed(0)} ms)`,
  )
}

const p95 = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] as number
}

/** Where the SQLite data of these settings is cached (see the header); undefined: no cache. */
function cacheDir(days: number): string | undefined {
  if (process.env.XZT_BENCH_ASSESSMENT_CACHE === '0') return undefined
  return path.join(ROOT, 'bench', '.cache', `assessment-sqlite-${SCALE}-${PER_DAY}-${days}-${QUARTER}`)
}

async function benchDialect(label: Label, env: Record<string, string>, log: (s: string) => void) {
  const period = parsePeriod(QUARTER)
  const days = Number(process.env.XZT_BENCH_ASSESSMENT_DAYS ?? Math.round((period.to - period.from) / DAY))
  const cache = label === 'SQLite' ? cacheDir(days) : undefined
  const cached = cache !== undefined && fs.existsSync(path.join(cache, 'xzt.db'))
  if (cached) {
    fs.cpSync(cache, env.XZT_DATA_DIR as string, { recursive: true })
    log(`${label}: the seeded quarter read from ${path.relative(ROOT, cache)}`)
  }
  const app = await createApp(
    loadConfig({ ...env, XZT_LOG_LEVEL: 'silent', XZT_CLOCK: 'manual', XZT_DEMO_PASSWORD: PASSWORD }),
    { logger: false, clock: new ManualClock(cached ? period.to : period.from) },
  )
  const figures: Figure[] = []
  try {
    if (!cached) await seedAndLive(app, label, period, days, log)
    if (!cached && cache !== undefined) {
      fs.mkdirSync(cache, { recursive: true })
      const file = path.join(cache, 'xzt.db')
      await sql`vacuum into ${file}`.execute(app.database.db)
      fs.cpSync(path.join(env.XZT_DATA_DIR as string, 'keys'), path.join(cache, 'keys'), { recursive: true })
      log(`${label}: the seeded quarter kept in ${path.relative(ROOT, cache)}`)
    }
    figures.push(...(await measure(app, label, period, log)))
  } finally {
    await app.close()
  }
  return figures
}

/** Seeds the demo and lives through the quarter (or the days asked), leaving the clock at its end. */
async function seedAndLive(
  app: App,
  label: Label,
  period: ReturnType<typeof parsePeriod>,
  days: number,
  log: (s: string) => void,
): Promise<void> {
  let t = performance.now()
  let lastPhase = ''
  let lastShown = 0
  const seeded = await new DemoService(app.services).seed({
    scale: SCALE,
    seed: DEFAULT_DEMO_SEED,
    password: PASSWORD,
    onProgress: (phase, done, total) => {
      const now = performance.now()
      if (phase === lastPhase && now - lastShown < 10_000 && done < total) return
      lastPhase = phase
      lastShown = now
      log(`${label}: seeding ${phase} ${done}/${total} (${((now - t) / 1000).toFixed(0)} s)`)
    },
  })
  log(
    `${label}: ${SCALE} demo seeded in ${((performance.now() - t) / 1000).toFixed(0)} s: ${seeded.regions} regions, ` +
      `${seeded.departments} departments, ${seeded.staff} staff, ${seeded.citizens} citizens`,
  )

  t = performance.now()
  const lived = await liveQuarter(app, period.from, days, label, log)
  const r = lived.traffic
  log(
    `${label}: ${QUARTER} lived through in ${((performance.now() - t) / 1000).toFixed(0)} s (${days} days, ${PER_DAY} applications a working day): ` +
      `${r.submitted} cases submitted, ${r.completed} completed, ${r.rejected} rejected, ${r.open} open, ${r.tasksCompleted} tasks, ` +
      `${r.warned} SLA warnings, ${r.breached} breaches; ${lived.ratings} ratings (${lived.bad} bad, ${lived.rectifications} rectified), ` +
      `${lived.appeals} appeals filed, ${lived.appealActions} appeal steps taken, ${lived.skipped} actions skipped`,
  )
  if (app.services.clock.now() < period.to) {
    // A shortened run (XZT_BENCH_ASSESSMENT_DAYS): the scorecards are computed at the quarter's end.
    await (app.services.clock as ManualClock).advance(period.to - app.services.clock.now())
  }
}

/** The scorecards measured against the plain aggregate, ROUNDS times after a warm-up. */
async function measure(
  app: App,
  label: Label,
  period: ReturnType<typeof parsePeriod>,
  log: (s: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = []
  const rows = await rowsAssessed(app, period.from, period.to)
  log(
    `${label}: rows assessed in ${QUARTER}: ${Object.entries(rows)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  )

  const province = await app.services.regions.provinceCode()
  const cities = await app.services.regions.listChildren(province)
  const counties = (await Promise.all(cities.map((c) => app.services.regions.listChildren(c.code)))).flat()
  const parents = [province, ...cities.map((c) => c.code), ...counties.map((c) => c.code)]
  const q = { period: QUARTER }
  const times = { official: [] as number[], department: [] as number[], region: [] as number[] }
  const totals: number[] = []
  const baseline: number[] = []
  const counted = { official: 0, department: 0, region: 0, groups: 0 }
  for (let round = 0; round <= ROUNDS; round++) {
    // Round 0 warms up (untimed in the figures).
    let t0 = performance.now()
    counted.official = (
      await app.services.assessment.scorecards(SYSTEM, { ...q, level: 'official', region: province })
    ).length
    const official = performance.now() - t0
    t0 = performance.now()
    counted.department = (
      await app.services.assessment.scorecards(SYSTEM, { ...q, level: 'department', region: province })
    ).length
    const department = performance.now() - t0
    t0 = performance.now()
    if (PER_PARENT) {
      counted.region = 0
      for (const region of parents)
        counted.region += (
          await app.services.assessment.scorecards(SYSTEM, { ...q, level: 'region', region })
        ).length
    } else {
      const regions = await app.services.assessment.scorecards(SYSTEM, {
        ...q,
        level: 'region',
        region: province,
        depth: 'all',
      })
      counted.region = regions.length
      if (round === 0 && CHECK) await checkRegions(app, regions, parents, log)
    }
    const region = performance.now() - t0
    t0 = performance.now()
    counted.groups = await plainAggregate(app, period.from, period.to)
    const plain = performance.now() - t0
    if (round === 0) continue
    times.official.push(official)
    times.department.push(department)
    times.region.push(region)
    totals.push(official + department + region)
    baseline.push(plain)
    log(
      `${label}: round ${round}/${ROUNDS}: officials ${official.toFixed(0)} ms, departments ${department.toFixed(0)} ms, ` +
        `regions ${region.toFixed(0)} ms; plain aggregate ${plain.toFixed(0)} ms`,
    )
  }
  const base = median(baseline)
  const baseName = `one plain aggregate SQL statement over the quarter’s rows (${counted.groups} groups), p50`
  const notes = (v: number[]) => `p95 ${p95(v).toFixed(0)} ms over ${v.length} rounds`
  const fig = (name: string, v: number[]) =>
    figure({
      suite: SUITE,
      name: `${label}: ${name}`,
      value: median(v),
      unit: 'ms',
      baseline: { name: baseName, value: base },
      better: 'lower',
      notes: `${notes(v)}; baseline p95 ${p95(baseline).toFixed(0)} ms`,
    })
  figures.push(
    fig(`scorecards of all ${counted.official} officials of the province, ${QUARTER} (p50)`, times.official),
    fig(
      `scorecards of all ${counted.department} departments of the province, ${QUARTER} (p50)`,
      times.department,
    ),
    fig(
      `scorecards of regions at every level: ${PER_PARENT ? `${parents.length} calls (one per parent)` : '1 call (depth=all)'}, ${counted.region} rows (p50)`,
      times.region,
    ),
    fig(`the whole province's ${QUARTER}: officials + departments + regions (p50)`, totals),
  )
  log(
    `${label}: whole quarter p50 ${median(totals).toFixed(0)} ms, p95 ${p95(totals).toFixed(0)} ms; ` +
      `plain aggregate p50 ${base.toFixed(1)} ms`,
  )
  return figures
}

/**
 * The bench's own PostgreSQL database commits without waiting for the WAL flush (synchronous_commit
 * off): seeding and living through a quarter write millions of rows, which at full durability take
 * most of the run; the figures are reads, which this does not change.
 */
async function relaxCommits(url: string, log: (s: string) => void): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`alter database ${name} set synchronous_commit = off`)
  } finally {
    await client.end()
  }
  log(`PostgreSQL: ${name} commits with synchronous_commit off while seeding and simulating`)
}

function envFor(label: Label, pgUrl?: string): Record<string, string> {
  const dir = tempDir(`assessment-${label === 'SQLite' ? 'sqlite' : 'pg'}`)
  return label === 'SQLite'
    ? { XZT_DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}` }
    : { XZT_DATA_DIR: dir, DATABASE_URL: pgUrl as string }
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const only = process.env.XZT_BENCH_ASSESSMENT_ONLY?.toLowerCase()
  const figures = only === 'postgresql' ? [] : await benchDialect('SQLite', envFor('SQLite'), log)
  if (PG_URL && only !== 'sqlite')
    figures.push(
      ...(await withPgDatabase(async (url) => {
        if (RELAXED) await relaxCommits(url, log)
        return benchDialect('PostgreSQL', envFor('PostgreSQL', url), log)
      })),
    )
  return figures
}
