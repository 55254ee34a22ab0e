/**
 * The command hall's rollups on both dialects: after a random sequence of submissions, steps,
 * completions, rejections and appeals, drained live in several passes and across restarts (a new
 * consumer service with a small page on the same database), the rollups equal a rebuild from the whole
 * ledger, and the heatmap's counts equal the submissions of each child region in the period; a real
 * submission is counted in its city; and the heatmap is scoped to the caller's region.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { ManualClock } from '../../clock.js'
import type { CaseView } from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import { EventConsumerService } from '../event-tail/event-consumer.service.js'
import type { LedgerEvent } from '../ledger/index.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import { rollupsConsumer } from './analytics.consumer.js'
import { DAY_MS, HOUR_MS } from './analytics.model.js'
import type { Heatmap } from './analytics.service.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

/** Regions of the synthetic events: streets, a county and a city of two cities, and the province. */
const REGIONS = ['430102001', '430102002', '430103001', '430102', '4301', '430202001', '4302', '43'] as const
const KINDS = ['complaint', 'suggestion'] as const
const APPEAL_STEPS = [
  'appeal.accepted',
  'appeal.returned',
  'appeal.responded',
  'appeal.resolved',
  'appeal.rated',
  'appeal.escalated',
  'appeal.merged',
] as const

type Op =
  | { op: 'submit'; region: number; staff: boolean }
  | { op: 'task'; of: number; due: number | null }
  | { op: 'step'; of: number; lateBy: number }
  | { op: 'end'; of: number; completed: boolean }
  | { op: 'appeal'; region: number; kind: number }
  | { op: 'handle'; of: number; step: number; reopen: boolean }
  | { op: 'rate'; of: number; score: number; reform: boolean }
  | { op: 'contest'; of: number; upheld: boolean }
  | { op: 'advance'; ms: number }
  | { op: 'drain' }
  | { op: 'restart'; page: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('submit' as const),
      region: fc.nat(REGIONS.length - 1),
      staff: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('task' as const),
      of: fc.nat(),
      due: fc.option(fc.integer({ min: 0, max: 2 * DAY_MS })),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('step' as const),
      of: fc.nat(),
      lateBy: fc.integer({ min: -HOUR_MS, max: HOUR_MS }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('end' as const), of: fc.nat(), completed: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('appeal' as const),
      region: fc.nat(REGIONS.length - 1),
      kind: fc.nat(1),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 30 * HOUR_MS }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('handle' as const),
      of: fc.nat(),
      step: fc.nat(APPEAL_STEPS.length - 1),
      reopen: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('rate' as const),
      of: fc.nat(),
      score: fc.integer({ min: 1, max: 5 }),
      reform: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('contest' as const), of: fc.nat(), upheld: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'drain' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('restart' as const), page: fc.integer({ min: 1, max: 7 }) }),
  },
)

describe.each(DIALECTS)('analytics rollups (%s)', (dialect) => {
  let app: TestApp
  let clock: ManualClock
  let admin: string
  let run = 0

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    clock = app.services.clock as ManualClock
    admin = await login(app, 'admin')
  }, 120_000)
  afterAll(() => app?.dispose())

  const heatmap = async (query: string, token = admin): Promise<Heatmap> => {
    const res = await api(app, 'GET', `/api/analytics/heatmap?${query}`, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as Heatmap
  }

  /** Every rollup row and the consumer's memory, in a stable order. */
  const snapshot = async () => {
    const db = app.database.db
    const rollups = await db.selectFrom('analytics_rollup').selectAll().execute()
    const cases = await db.selectFrom('analytics_case').selectAll().orderBy('case_id').execute()
    const tasks = await db.selectFrom('analytics_task').selectAll().orderBy('task_id').execute()
    const appeals = await db.selectFrom('analytics_appeal').selectAll().orderBy('appeal_id').execute()
    const norm = (r: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))
    return {
      rollups: rollups
        .map(norm)
        .map((r) => JSON.stringify(r))
        .sort(),
      cases: cases.map(norm),
      tasks: tasks.map(norm),
      appeals: appeals.map(norm),
    }
  }

  it('counts each child region’s cases in the heatmap, as the cases table has them', async () => {
    await app.services.eventConsumers.drain()
    const before = await heatmap('region=43&metric=cases_per_10k')
    expect(before.values).toHaveLength(14)
    const citizen = await login(app, 'citizen.demo')
    const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!),
        channel: 'online',
      },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const region = (submitted.body as CaseView).regionCode
    await app.services.eventConsumers.drain()
    const after = await heatmap('region=43&metric=cases_per_10k')
    const rows = await app.database.db.selectFrom('case_file').select('region_code').execute()
    for (const v of after.values) {
      expect(v.count, v.code).toBe(rows.filter((r) => r.region_code.startsWith(v.code)).length)
      expect(v.count - (before.values.find((b) => b.code === v.code)?.count ?? 0)).toBe(
        region.startsWith(v.code) ? 1 : 0,
      )
      if (v.population > 0) expect(v.value).toBeCloseTo((v.count * 10_000) / v.population, 9)
    }
  })

  it('equals a rebuild from the whole ledger after any sequence of events, drains and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        run++
        // Each run starts on a fresh Beijing day, so its period holds only its own events.
        await clock.advance(DAY_MS - (clock.now() % HOUR_MS))
        const start = clock.now()
        const cases: { id: string; region: string; ended: boolean }[] = []
        const appeals: { id: string; region: string }[] = []
        const tasks: { id: string; case: string; dueAt: number | null; done: boolean }[] = []
        const submittedIn = new Map<string, number>()
        const appealsIn = new Map<string, number>()
        const staff = { id: 'st-a', roles: ['official'], department: '430102-tax', region: '430102' }
        const citizen = { id: 'ci-a', roles: ['citizen'], department: null, region: '430102001' }
        const append = (events: LedgerEvent[]) =>
          app.database.db.transaction().execute((trx) => app.services.ledger.appendMany(trx, events))
        const caseEvent = (
          c: { id: string; region: string },
          type: string,
          data: object,
          actor: LedgerEvent['actor'],
        ) => ({
          type,
          subject: `case:${c.id}`,
          regionCode: c.region,
          actor,
          data: { case: c.id, ...data },
        })
        for (const op of ops) {
          switch (op.op) {
            case 'submit': {
              const c = {
                id: `an-${dialect}-${run}-${cases.length}`,
                region: REGIONS[op.region]!,
                ended: false,
              }
              cases.push(c)
              await append([
                caseEvent(
                  c,
                  'case.submitted',
                  {
                    region: c.region,
                    matter: 'M',
                    version: 1 + (cases.length % 2),
                    channel: op.staff ? 'window' : 'online',
                  },
                  op.staff ? staff : citizen,
                ),
              ])
              submittedIn.set(c.region, (submittedIn.get(c.region) ?? 0) + 1)
              break
            }
            case 'task': {
              const c = cases.length ? cases[op.of % cases.length]! : undefined
              if (!c || c.ended) break
              const t = {
                id: `${c.id}-t${tasks.length}`,
                case: c.id,
                dueAt: op.due === null ? null : clock.now() + op.due,
                done: false,
              }
              tasks.push(t)
              await append([
                caseEvent(
                  c,
                  'task.created',
                  { task: t.id, node: 'n', department: '430102-tax', dueAt: t.dueAt },
                  staff,
                ),
              ])
              break
            }
            case 'step': {
              const open = tasks.filter((t) => !t.done)
              const t = open.length ? open[op.of % open.length]! : undefined
              if (!t) break
              const c = cases.find((x) => x.id === t.case)!
              t.done = true
              await append([
                caseEvent(
                  c,
                  'task.completed',
                  { task: t.id, node: 'n', department: '430102-tax', outcome: 'approve' },
                  staff,
                ),
              ])
              break
            }
            case 'end': {
              const open = cases.filter((c) => !c.ended)
              const c = open.length ? open[op.of % open.length]! : undefined
              if (!c) break
              c.ended = true
              await append([
                caseEvent(c, op.completed ? 'case.completed' : 'case.rejected', { endEvent: 'end' }, staff),
              ])
              break
            }
            case 'appeal': {
              const region = REGIONS[op.region]!
              const id = `ap-${dialect}-${run}-${appeals.length}`
              appeals.push({ id, region })
              await append([
                {
                  type: 'appeal.filed',
                  subject: `appeal:${id}`,
                  regionCode: region,
                  actor: citizen,
                  data: {
                    appeal: id,
                    kind: KINDS[op.kind],
                    category: 'traffic',
                    region,
                    department: '4301-transport',
                  },
                },
              ])
              appealsIn.set(region, (appealsIn.get(region) ?? 0) + 1)
              break
            }
            case 'handle': {
              // Any step in any order, repeated too: the fold must stay a function of the events.
              const a = appeals.length ? appeals[op.of % appeals.length]! : undefined
              if (!a) break
              const type = APPEAL_STEPS[op.step]!
              // In the appeal's own log, as the appeals module writes them.
              await append([
                {
                  type,
                  subject: `appeal:${a.id}`,
                  regionCode: a.region,
                  actor: type === 'appeal.rated' ? citizen : staff,
                  data: {
                    appeal: a.id,
                    satisfaction: op.reopen ? 'dissatisfied' : 'satisfied',
                    reopened: op.reopen,
                    department: '4301-police',
                  },
                },
              ])
              break
            }
            case 'contest': {
              const c = cases.length ? cases[op.of % cases.length]! : undefined
              if (!c) break
              await append([
                caseEvent(c, 'rating.contest_decided', { id: 'r', upheld: op.upheld, reason: 'x' }, staff),
              ])
              break
            }
            case 'rate': {
              const c = cases.length ? cases[op.of % cases.length]! : undefined
              if (!c) break
              await append([
                caseEvent(
                  c,
                  'rating.submitted',
                  {
                    score: op.score,
                    reformScore: op.reform ? op.score * 20 : null,
                    matter: 'M',
                    version: 1,
                    department: '430102-tax',
                  },
                  citizen,
                ),
              ])
              break
            }
            case 'advance':
              await clock.advance(op.ms)
              break
            case 'drain':
              await app.services.eventConsumers.drain()
              break
            case 'restart': {
              // A process that starts after the last one stopped mid-stream, reading small pages.
              const restarted = new EventConsumerService(
                app.database.db,
                clock,
                app.services.ledger,
                Date.now,
                op.page,
              )
              restarted.register(rollupsConsumer(app.services.appealTopics))
              await restarted.drain()
              break
            }
          }
        }
        await app.services.eventConsumers.drain()
        const live = await snapshot()

        // The heatmap over the run's period counts exactly the run's submissions and appeals.
        const to = clock.now() + 1
        const expectIn = (m: Map<string, number>, code: string) =>
          [...m].filter(([r]) => r.startsWith(code)).reduce((s, [, n]) => s + n, 0)
        for (const [metric, m] of [
          ['cases_per_10k', submittedIn],
          ['appeals_per_10k', appealsIn],
        ] as const) {
          const province = await heatmap(`region=43&metric=${metric}&from=${start}&to=${to}`)
          for (const v of province.values) expect(v.count, `${metric} ${v.code}`).toBe(expectIn(m, v.code))
          const city = await heatmap(`region=4301&metric=${metric}&from=${start}&to=${to}`)
          for (const v of city.values) expect(v.count, `${metric} ${v.code}`).toBe(expectIn(m, v.code))
        }

        await app.services.analytics.rebuild()
        expect(await snapshot()).toEqual(live)
      }),
      { numRuns: 8 },
    )
  }, 600_000)

  it('is checked by the audit: a counter edited in the table is named', async () => {
    await app.services.eventConsumers.drain()
    const mine = (r: { table: string }) => r.table === 'analytics_rollup'
    expect((await app.services.audit.replay()).differences.filter(mine)).toEqual([])
    await app.database.db
      .updateTable('analytics_rollup')
      .set({ n: 999 })
      .where('measure', '=', 'cases.submitted')
      .where('unit_kind', '=', 'region')
      .where('unit_id', '=', '43')
      .where('grain', '=', 'd')
      .where('dim', '=', '')
      .execute()
    const found = (await app.services.audit.replay()).differences.filter(mine)
    expect(found.length).toBeGreaterThan(0)
    expect(
      found.every((d) => d.problem === 'differs' && d.key.startsWith('cases.submitted||region|43|d|')),
    ).toBe(true)
    await app.services.analytics.rebuild()
    expect((await app.services.audit.replay()).differences.filter(mine)).toEqual([])
  })

  it('is scoped to the caller’s region', async () => {
    const leader = await login(app, 'leader.4302')
    expectError(
      await api(app, 'GET', '/api/analytics/heatmap?region=4301&metric=cases_per_10k', { token: leader }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'GET', '/api/analytics/heatmap?region=43&metric=cases_per_10k', { token: leader }),
      403,
      'FORBIDDEN',
    )
    const own = await heatmap('region=4302&metric=appeals_per_10k', leader)
    expect(own.values.length).toBeGreaterThan(0)
    expect(own.values.every((v) => v.code.startsWith('4302'))).toBe(true)
    const county = await login(app, 'leader.430101')
    expectError(
      await api(app, 'GET', '/api/analytics/heatmap?region=4301&metric=cases_per_10k', { token: county }),
      403,
      'FORBIDDEN',
    )
    await heatmap('region=430101&metric=cases_per_10k', county)
    for (const user of ['citizen.demo', 'official.demo']) {
      const token = await login(app, user)
      expectError(
        await api(app, 'GET', '/api/analytics/heatmap?region=4301&metric=cases_per_10k', { token }),
        403,
        'FORBIDDEN',
      )
    }
    expectError(
      await api(app, 'GET', '/api/analytics/heatmap?region=4301&metric=cases_per_10k'),
      401,
      'UNAUTHENTICATED',
    )
  })

  it('refuses bad input with a 4xx', async () => {
    const get = (q: string) => api(app, 'GET', `/api/analytics/heatmap?${q}`, { token: admin })
    expectError(await get('region=43&metric=people'), 400, 'VALIDATION_FAILED')
    expectError(await get('region=43&metric=cases_per_10k&from=yesterday'), 400, 'VALIDATION_FAILED')
    expectError(await get('region=43&metric=cases_per_10k&from=2026-02-31'), 400, 'VALIDATION_FAILED')
    expectError(
      await get('region=43&metric=cases_per_10k&from=2026-12-02&to=2026-12-01'),
      400,
      'VALIDATION_FAILED',
    )
    expectError(await get('region=4399&metric=cases_per_10k'), 404, 'NOT_FOUND')
    const street = await heatmap(
      'region=430102001&metric=cases_per_10k&from=2026-12-01&to=2026-12-02T08:00:00%2B08:00',
    )
    expect(street.values).toEqual([])
    expect(street.from).toBe(Date.parse('2026-12-01T00:00:00+08:00'))
  })
})
