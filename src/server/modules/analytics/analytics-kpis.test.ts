/**
 * The headline KPIs on a hand-computed fixture, on both dialects: four cases of 企业开办 under two
 * process versions (a window submission completed in two days, an online one completed within half an
 * hour, one rejected, one completed in four hours), two department steps (one late), three ratings and
 * two rated appeals, appended to the ledger and drained into the rollups; every figure below is worked
 * out by hand from the definitions in analytics-kpis.model.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { ManualClock } from '../../clock.js'
import type { LedgerEvent } from '../ledger/index.js'
import { binBounds, DAY_MS, durationBin, HOUR_MS } from './analytics.model.js'
import { WORKING_DAY_MS } from './analytics-kpis.model.js'
import type { Kpis } from './analytics.service.js'

const MIN = 60_000
const STREET = '430102001'

/** A bin's geometric middle, as the histogram reports a quantile in it. */
const binned = (ms: number): number => {
  const [lower, upper] = binBounds(durationBin(ms))
  return Math.round(Math.sqrt(lower * upper))
}

describe.each(DIALECTS)('analytics KPIs (%s)', (dialect) => {
  let app: TestApp
  let admin: string
  let from: number

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    const clock = app.services.clock as ManualClock
    admin = await login(app, 'admin')
    await clock.advance(DAY_MS)
    from = Math.ceil(clock.now() / DAY_MS) * DAY_MS - 8 * HOUR_MS + DAY_MS
    const T = from + 9 * HOUR_MS
    const staff = { id: 'st-k', roles: ['official'], department: '430102-tax', region: '430102' }
    const citizen = { id: 'ci-k', roles: ['citizen'], department: null, region: STREET }
    const events: (LedgerEvent & { at: number })[] = []
    const ev = (
      at: number,
      type: string,
      subject: string,
      data: Record<string, unknown>,
      actor: LedgerEvent['actor'] = staff,
    ) => events.push({ at, type, subject, regionCode: STREET, actor, data })
    const submit = (id: string, version: number, channel: 'online' | 'window') =>
      ev(
        T,
        'case.submitted',
        `case:${id}`,
        { case: id, matter: 'BIZ_STARTUP', version, channel, region: STREET },
        channel === 'window' ? staff : citizen,
      )
    submit('kp1', 1, 'window')
    submit('kp2', 2, 'online')
    submit('kp3', 2, 'online')
    submit('kp4', 2, 'online')
    ev(T, 'task.created', 'case:kp1', {
      case: 'kp1',
      task: 'kt1',
      node: 'n',
      department: '430102-tax',
      dueAt: T + DAY_MS,
    })
    ev(T, 'task.created', 'case:kp2', {
      case: 'kp2',
      task: 'kt2',
      node: 'n',
      department: '430102-tax',
      dueAt: null,
    })
    ev(T + 10 * MIN, 'task.completed', 'case:kp2', {
      case: 'kp2',
      task: 'kt2',
      node: 'n',
      department: '430102-tax',
    })
    ev(T + 30 * MIN, 'case.completed', 'case:kp2', { case: 'kp2', endEvent: 'e' })
    ev(T + HOUR_MS, 'case.rejected', 'case:kp3', { case: 'kp3', endEvent: 'e' })
    ev(T + 4 * HOUR_MS, 'case.completed', 'case:kp4', { case: 'kp4', endEvent: 'e' })
    ev(T + 36 * HOUR_MS, 'task.completed', 'case:kp1', {
      case: 'kp1',
      task: 'kt1',
      node: 'n',
      department: '430102-tax',
    })
    ev(T + 2 * DAY_MS, 'case.completed', 'case:kp1', { case: 'kp1', endEvent: 'e' })
    const rate = (id: string, version: number, score: number, reformScore: number | null) =>
      ev(
        T + 2 * DAY_MS + HOUR_MS,
        'rating.submitted',
        `case:${id}`,
        { case: id, score, reformScore, matter: 'BIZ_STARTUP', version, department: '430102-tax' },
        citizen,
      )
    rate('kp1', 1, 2, 2)
    rate('kp2', 2, 5, 5)
    rate('kp4', 2, 4, null)
    for (const [id, satisfaction] of [
      ['kpa1', 'satisfied'],
      ['kpa2', 'dissatisfied'],
    ] as const) {
      const data = {
        appeal: id,
        kind: 'complaint',
        category: 'traffic',
        region: STREET,
        department: '4301-transport',
      }
      ev(T, 'appeal.filed', `appeal:${id}`, data, citizen)
      ev(T + DAY_MS, 'appeal.rated', `appeal:${id}`, { appeal: id, satisfaction, reopened: false }, citizen)
    }
    events.sort((a, b) => a.at - b.at)
    for (const { at, ...e } of events) {
      if (at > clock.now()) await clock.advance(at - clock.now())
      await app.database.db.transaction().execute((trx) => app.services.ledger.appendMany(trx, [e]))
    }
    await app.services.eventConsumers.drain()
  }, 120_000)
  afterAll(() => app?.dispose())

  const kpis = async (query: string, token = admin): Promise<Kpis> => {
    const res = await api(app, 'GET', `/api/analytics/kpis?${query}`, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as Kpis
  }
  const period = () => `from=${from}&to=${from + 3 * DAY_MS}`

  it('computes every KPI of the region as defined', async () => {
    const k = await kpis(`region=4301&${period()}`)
    expect(k).toMatchObject({
      region: '4301',
      matter: null,
      version: null,
      submitted: 4,
      completed: 3,
      rejected: 1,
    })
    // Completed in 30 min, 4 h and 2 days: the median is the 4 h, the 90th percentile the 2 days.
    expect(k.medianMs).toBe(binned(4 * HOUR_MS))
    expect(k.p90Ms).toBe(binned(2 * DAY_MS))
    expect(k.zeroTripShare).toBeCloseTo(3 / 4, 12)
    expect(k.instantShare).toBeCloseTo(1 / 3, 12)
    expect(k.onTimeRate).toBeCloseTo(1 / 2, 12)
    expect(k.satisfactionRate).toBeCloseTo(2 / 3, 12)
    // Σ承诺 = 22 (v1) + 3 × 2 (v2) = 28; Σ法定 = 45 + 3 × 20 = 105.
    expect(k.compression).toBeCloseTo(1 - 28 / 105, 12)
    expect(k.reformScore).toBeCloseTo(3.5, 12)
    // 法定 of the completed: 45 + 20 + 20 working days; actual: 2 days + 30 min + 4 h.
    const statutory = 85 * WORKING_DAY_MS
    const actual = 2 * DAY_MS + 30 * MIN + 4 * HOUR_MS
    expect(k.headline.efficiency).toMatchObject({ numerator: statutory, denominator: actual, claimed: 4.3 })
    expect(k.headline.efficiency.value).toBeCloseTo(statutory / actual, 9)
    // Two favourable case ratings and one satisfied appeal, of three case ratings and two appeals.
    expect(k.headline.satisfaction).toMatchObject({ numerator: 3, denominator: 5, claimed: 0.932 })
    expect(k.headline.satisfaction.value).toBeCloseTo(0.6, 12)
    expect(k.headline.efficiency.definition.zh).toContain('法定时限')
    expect(k.versions).toEqual([])
  })

  it('compares a matter’s process versions, and narrows to one', async () => {
    const k = await kpis(`region=430102&matter=BIZ_STARTUP&${period()}`)
    expect(k.submitted).toBe(4)
    const [v1, v2] = k.versions
    expect(v1).toMatchObject({
      version: 1,
      submitted: 1,
      completed: 1,
      zeroTripShare: 0,
      instantShare: 0,
      satisfactionRate: 0,
    })
    expect(v1!.compression).toBeCloseTo(1 - 22 / 45, 12)
    expect(v1!.medianMs).toBe(binned(2 * DAY_MS))
    expect(v2).toMatchObject({
      version: 2,
      submitted: 3,
      completed: 2,
      rejected: 1,
      zeroTripShare: 1,
      satisfactionRate: 1,
    })
    expect(v2!.instantShare).toBeCloseTo(1 / 2, 12)
    expect(v2!.compression).toBeCloseTo(0.9, 12)
    expect(v2!.reformScore).toBeCloseTo(5, 12)
    const only = await kpis(`region=430102&matter=BIZ_STARTUP&version=2&${period()}`)
    expect(only).toMatchObject({ version: 2, submitted: 3, completed: 2 })
    // Appeals carry no process version: the version's satisfaction is its case ratings alone.
    expect(only.headline.satisfaction).toMatchObject({ numerator: 2, denominator: 2, value: 1 })
  })

  it('exports the KPIs with each version side by side', async () => {
    const res = await api(
      app,
      'GET',
      `/api/analytics/export.xlsx?view=kpis&format=csv&region=4301&matter=BIZ_STARTUP&${period()}`,
      { token: admin },
    )
    expect(res.status, String(res.body).slice(0, 300)).toBe(200)
    const lines = String(res.body)
      .replace(/^\uFEFF/, '')
      .split('\r\n')
    const row = (name: string) => lines.find((l) => l.startsWith(`${name},`))?.split(',')
    expect(row('指标')).toEqual(['指标', '单位', 'BIZ_STARTUP', '第 1 版', '第 2 版'])
    expect(row('提交办件数')).toEqual(['提交办件数', '件', '4', '1', '3'])
    expect(row('零跑动占比')).toEqual(['零跑动占比', '%', '75', '0', '100'])
  })

  it('counts nothing outside the period or the region', async () => {
    const before = await kpis(`region=4301&from=${from - DAY_MS}&to=${from}`)
    expect(before).toMatchObject({ submitted: 0, completed: 0, medianMs: null, zeroTripShare: null })
    expect(before.headline.efficiency.value).toBeNull()
    expect(await kpis(`region=4302&${period()}`)).toMatchObject({ submitted: 0, satisfactionRate: null })
  })

  it('is scoped to the caller’s region and refuses bad input', async () => {
    const leader = await login(app, 'leader.4302')
    expectError(await api(app, 'GET', `/api/analytics/kpis?region=4301`, { token: leader }), 403, 'FORBIDDEN')
    const citizen = await login(app, 'citizen.demo')
    expectError(await api(app, 'GET', `/api/analytics/kpis?region=43`, { token: citizen }), 403, 'FORBIDDEN')
    expect((await kpis('region=4302', leader)).region).toBe('4302')
    const bad = (q: string) => api(app, 'GET', `/api/analytics/kpis?${q}`, { token: admin })
    expectError(await bad('region=43&matter=NO_SUCH'), 404, 'NOT_FOUND')
    expectError(await bad('region=43&matter=BIZ_STARTUP&version=99'), 404, 'NOT_FOUND')
    expectError(await bad('region=43&version=2'), 400, 'VALIDATION_FAILED')
    expectError(await bad('region=43&from=2026-02-31'), 400, 'VALIDATION_FAILED')
    expectError(await bad('region=43&from=10&to=5'), 400, 'VALIDATION_FAILED')
    expectError(await bad('region=4399'), 404, 'NOT_FOUND')
  })
})
