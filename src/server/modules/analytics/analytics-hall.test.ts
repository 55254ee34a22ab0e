/**
 * The command hall's read side over HTTP on both dialects: rollup rows written directly (as the
 * consumer would, in both grains) in a period of 2031 no demo event reaches, then series, topics,
 * response speed, the officials' spread and the export read back with hand-computed values; the drill
 * lists against the cases and appeals tables; scoping (a county leader, an official, a citizen) and bad
 * periods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { CaseView } from '../../../shared/api.js'
import {
  binBounds,
  bucketOf,
  durationBin,
  GRAINS,
  HOUR_MS,
  incrementKey,
  type Increment,
  type UnitKind,
} from './analytics.model.js'
import { addIncrements } from './analytics.store.js'
import type { DrillItem } from './analytics-drill.service.js'
import type { OfficialsSpread, ResponseSpeed, Series, Topics } from './analytics-hall.service.js'

const bj = (s: string) => Date.parse(`${s}+08:00`)

/** One event's counter in both grains, as the rollup consumer writes it. */
function inc(measure: string, dim: string, unitKind: UnitKind, unitId: string, t: number, n = 1, total = 0) {
  return GRAINS.map((grain): Increment => ({
    measure,
    dim,
    unitKind,
    unitId,
    grain,
    bucket: bucketOf(grain, t),
    n,
    total,
  }))
}

/** The geometric middle of a duration bin: what the quantiles answer. */
const middle = (bin: number) => {
  const [lo, hi] = binBounds(bin)
  return Math.round(Math.sqrt(lo * hi))
}

// The period: 10:00 on 1 March to 15:00 on 4 March 2031 (Beijing): ragged hours at both ends.
const FROM = '2031-03-01T10:00:00%2B08:00'
const TO = '2031-03-04T15:00:00%2B08:00'
const INSIDE = [bj('2031-03-01T10:30:00'), bj('2031-03-02T12:00:00'), bj('2031-03-04T14:59:00')]
const OUTSIDE = [bj('2031-03-01T09:59:00'), bj('2031-03-04T15:00:00'), bj('2031-03-05T08:00:00')]

describe.each(DIALECTS)('the hall’s read side (%s)', (dialect) => {
  let app: TestApp
  let admin: string
  let dept: { id: string; name: string }
  let members: { id: string; name: string }[]
  /** A finished case of citizen.demo, and the city the drill lists read. */
  let finished: CaseView
  let city: string

  const get = async <T>(url: string, token = admin): Promise<T> => {
    const res = await api(app, 'GET', url, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as T
  }

  beforeAll(async () => {
    app = await createTestApp(dialect)
    admin = await login(app, 'admin')
    // Cases and appeals for the drill lists: a finished case, one just submitted, two appeals.
    const citizen = await login(app, 'citizen.demo')
    const finisher = caseFinisher(app, `t.hall.${dialect}`, { citizen, admin })
    finished = await finisher.finishedCase()
    city = finished.regionCode.slice(0, 4)
    for (const [kind, category] of [
      ['complaint', 'market/pricing'],
      ['suggestion', 'service/delay'],
    ]) {
      const filed = await api(app, 'POST', '/api/appeals', {
        token: citizen,
        body: { kind, category, text: '测试诉求', regionCode: finished.regionCode },
      })
      expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    }
    // The county tax bureau, with three more officials than the demo gives it (six or more in all).
    dept = await app.services.org.getDepartment('430101-tax')
    for (let i = 0; i < 3; i++) {
      const res = await api(app, 'POST', '/api/staff', {
        token: admin,
        body: {
          username: `hall.${dialect}.${i}`,
          password: 'xzt-demo-hall',
          name: `测试${'甲乙丙'[i]}`,
          departmentId: dept.id,
          roles: ['official'],
        },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
    members = [...((await app.services.org.membersOf([dept.id])).get(dept.id) ?? [])]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, 6)
    expect(members).toHaveLength(6)

    const rows: Increment[] = []
    // Series: cases submitted in 4301, 1 / 2 / 3 at the three inside times, 5 at each outside one.
    INSIDE.forEach((t, i) => rows.push(...inc('cases.submitted', '', 'region', '4301', t, i + 1)))
    for (const t of OUTSIDE) rows.push(...inc('cases.submitted', '', 'region', '4301', t, 5))
    rows.push(...inc('cases.submitted', 'channel:online', 'region', '4301', INSIDE[1]!, 9))
    // Topics of 4301: 停车 4 (3 + 1), the category 2, 噪音 1, and 施工 only days before.
    rows.push(...inc('appeals.topic', '停车', 'region', '4301', INSIDE[0]!, 3))
    rows.push(...inc('appeals.topic', '停车', 'region', '4301', INSIDE[2]!, 1))
    rows.push(...inc('appeals.topic', 'category:service/delay', 'region', '4301', INSIDE[1]!, 2))
    rows.push(...inc('appeals.topic', '噪音', 'region', '4301', INSIDE[1]!, 1))
    rows.push(...inc('appeals.topic', '施工', 'region', '4301', bj('2031-02-27T12:00:00'), 50))
    // Response speed of 4301's children 430102 and 430103 (and the department, below).
    for (const unit of [
      ['region', '430102'],
      ['department', dept.id],
    ] as const) {
      // Responses after 10 min, 10 min, 5 h; resolutions after 2 days; three steps of 1 h, one of 1 day,
      // three on time.
      for (const ms of [600_000, 600_000, 5 * HOUR_MS]) {
        rows.push(...inc('appeals.responded', '', unit[0], unit[1], INSIDE[1]!, 1, ms))
        rows.push(...inc('appeals.responded.bin', String(durationBin(ms)), unit[0], unit[1], INSIDE[1]!))
      }
      rows.push(...inc('appeals.resolved', '', unit[0], unit[1], INSIDE[2]!, 1, 48 * HOUR_MS))
      rows.push(
        ...inc('appeals.resolved.bin', String(durationBin(48 * HOUR_MS)), unit[0], unit[1], INSIDE[2]!),
      )
      for (const ms of [HOUR_MS, HOUR_MS, HOUR_MS, 24 * HOUR_MS]) {
        rows.push(...inc('steps.completed', '', unit[0], unit[1], INSIDE[0]!))
        rows.push(...inc('steps.duration.bin', String(durationBin(ms)), unit[0], unit[1], INSIDE[0]!))
        rows.push(
          ...inc('steps.duration.bin', `matter:X@1|${durationBin(ms)}`, unit[0], unit[1], INSIDE[0]!, 7),
        )
      }
      rows.push(...inc('steps.on_time', '', unit[0], unit[1], INSIDE[0]!, 3))
      // Outside the period: must not count.
      rows.push(...inc('steps.completed', '', unit[0], unit[1], OUTSIDE[1]!, 100))
    }
    // Officials: five with ten steps each, on time 9, 9, 9, 9, 2; the first four's steps in bin 40, the
    // fifth's in bin 60; the sixth without steps.
    members.slice(0, 5).forEach((m, i) => {
      rows.push(...inc('steps.completed', '', 'official', m.id, INSIDE[1]!, 10))
      rows.push(...inc('steps.on_time', '', 'official', m.id, INSIDE[1]!, i < 4 ? 9 : 2))
      rows.push(...inc('steps.duration.bin', String(i < 4 ? 40 : 60), 'official', m.id, INSIDE[1]!, 10))
    })
    // One row per counter (as a folded page has them: PostgreSQL's upsert takes each key once).
    const summed = new Map<string, Increment>()
    for (const r of rows) {
      const key = incrementKey(r)
      const seen = summed.get(key)
      if (seen) {
        seen.n += r.n
        seen.total += r.total
      } else summed.set(key, { ...r })
    }
    await app.database.db.transaction().execute((trx) => addIncrements(trx, [...summed.values()]))
  }, 120_000)
  afterAll(() => app?.dispose())

  it('shows every bucket of a series, zeros included, by day and by hour', async () => {
    const days = await get<Series>(
      `/api/analytics/series?region=4301&metric=cases_submitted&from=${FROM}&to=${TO}`,
    )
    expect(days).toMatchObject({ region: '4301', grain: 'd', from: bj('2031-03-01T00:00:00') })
    expect(days.to).toBe(bj('2031-03-05T00:00:00'))
    // A day series reads whole days: 09:59 and 15:00 fall in the first and last day.
    expect(days.points).toEqual([
      { t: bj('2031-03-01T00:00:00'), n: 1 + 5 },
      { t: bj('2031-03-02T00:00:00'), n: 2 },
      { t: bj('2031-03-03T00:00:00'), n: 0 },
      { t: bj('2031-03-04T00:00:00'), n: 3 + 5 },
    ])
    const hours = await get<Series>(
      `/api/analytics/series?region=4301&metric=cases_submitted&grain=h&from=2031-03-01T09:00:00%2B08:00&to=2031-03-01T12:00:00%2B08:00`,
    )
    expect(hours.points).toEqual([
      { t: bj('2031-03-01T09:00:00'), n: 5 },
      { t: bj('2031-03-01T10:00:00'), n: 1 },
      { t: bj('2031-03-01T11:00:00'), n: 0 },
    ])
    const none = await get<Series>(
      `/api/analytics/series?region=4301&metric=appeals_resolved&from=${FROM}&to=${TO}`,
    )
    expect(none.points.map((p) => p.n)).toEqual([0, 0, 0, 0])
    // Without from, the series starts at the region's first day with data.
    const first = await app.database.db
      .selectFrom('analytics_rollup')
      .select((eb) => eb.fn.min('bucket').as('b'))
      .where('measure', '=', 'cases.submitted')
      .where('unit_kind', '=', 'region')
      .where('unit_id', '=', '4301')
      .where('grain', '=', 'd')
      .executeTakeFirstOrThrow()
    const all = await get<Series>(`/api/analytics/series?region=4301&metric=cases_submitted&to=${TO}`)
    expect(all.from).toBe(Number(first.b))
    expect(all.points.reduce((s, p) => s + p.n, 0)).toBeGreaterThanOrEqual(1 + 2 + 3 + 5 + 5)
  })

  it('ranks the topics of the period with Chinese labels and their series', async () => {
    const t = await get<Topics>(`/api/analytics/topics?region=4301&from=${FROM}&to=${TO}&grain=d&limit=2`)
    expect(t.topics).toEqual([
      { topic: '停车', label: '停车', n: 4 },
      { topic: 'category:service/delay', label: '政务服务 / 办理超时', n: 2 },
    ])
    expect(t.series).toEqual([
      {
        topic: '停车',
        points: [3, 0, 0, 1].map((n, i) => ({ t: bj('2031-03-01T00:00:00') + i * 24 * HOUR_MS, n })),
      },
      {
        topic: 'category:service/delay',
        points: [0, 2, 0, 0].map((n, i) => ({ t: bj('2031-03-01T00:00:00') + i * 24 * HOUR_MS, n })),
      },
    ])
    const all = await get<Topics>(`/api/analytics/topics?region=4301&from=${FROM}&to=${TO}`)
    expect(all.topics.map((x) => x.topic)).toEqual(['停车', 'category:service/delay', '噪音'])
  })

  it('gives response speed by child region and by department, from the bins of the period', async () => {
    const expected = {
      responded: 3,
      responseP50Ms: middle(durationBin(600_000)),
      responseP90Ms: middle(durationBin(5 * HOUR_MS)),
      resolved: 1,
      resolutionP50Ms: middle(durationBin(48 * HOUR_MS)),
      resolutionP90Ms: middle(durationBin(48 * HOUR_MS)),
      stepsCompleted: 4,
      stepP50Ms: middle(durationBin(HOUR_MS)),
      stepP90Ms: middle(durationBin(24 * HOUR_MS)),
      onTimeRate: 0.75,
    }
    const r = await get<ResponseSpeed>(`/api/analytics/response?region=4301&by=region&from=${FROM}&to=${TO}`)
    expect(r).toMatchObject({
      region: '4301',
      by: 'region',
      from: bj('2031-03-01T10:00:00'),
      to: bj('2031-03-04T15:00:00'),
    })
    expect(r.rows.find((x) => x.id === '430102')).toMatchObject({ ...expected, name: expect.any(String) })
    expect(r.rows.find((x) => x.id === '430103')).toMatchObject({
      responded: 0,
      responseP50Ms: null,
      stepsCompleted: 0,
      onTimeRate: null,
    })
    expect(r.rows.every((x) => x.id.startsWith('4301') && x.id.length === 6)).toBe(true)
    const d = await get<ResponseSpeed>(
      `/api/analytics/response?region=430101&by=department&from=${FROM}&to=${TO}`,
    )
    expect(d.rows.find((x) => x.id === dept.id)).toMatchObject({ ...expected, name: dept.name })
  })

  it('spreads a department’s officials, with the outlier and the ones without steps', async () => {
    const base = `/api/analytics/officials?region=430101&department=${dept.id}&from=${FROM}&to=${TO}`
    const rate = await get<OfficialsSpread>(`${base}&measure=on_time_rate`)
    expect(rate).toMatchObject({ department: dept.id, name: dept.name, measure: 'on_time_rate' })
    // 0.9 ×4 and 0.2: mean 0.76, σ 0.28, z(0.2) = −2.
    expect(rate.mean).toBeCloseTo(0.76, 9)
    expect(rate.stddev).toBeCloseTo(0.28, 9)
    const mine = rate.officials.filter((o) => members.some((m) => m.id === o.id))
    expect(mine.map((o) => [o.id, o.value, o.n, o.outlier])).toEqual([
      ...members.slice(0, 4).map((m) => [m.id, 0.9, 10, false]),
      [members[4]!.id, 0.2, 10, true],
      [members[5]!.id, null, 0, false],
    ])
    expect(rate.bins.map((b) => b.count)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 4])
    const p50 = await get<OfficialsSpread>(`${base}&measure=step_p50`)
    const [m40, m60] = [middle(40), middle(60)]
    expect(p50.mean).toBeCloseTo((4 * m40 + m60) / 5, 6)
    expect(p50.officials.slice(0, 5).map((o) => [o.value, o.outlier])).toEqual([
      [m40, false],
      [m40, false],
      [m40, false],
      [m40, false],
      [m60, true],
    ])
    expect(p50.bins.map((b) => b.count)).toEqual([4, 0, 0, 1])
    expect(p50.bins[0]!.lower).toBe(m40)
    expect(p50.bins[3]!.upper).toBe(m60)
    // A department outside the region asked for is not found there.
    expectError(
      await api(app, 'GET', `/api/analytics/officials?region=430102&department=${dept.id}&measure=step_p50`, {
        token: admin,
      }),
      404,
      'NOT_FOUND',
    )
  })

  it('lists the cases and appeals behind a chart, without personal data', async () => {
    const db = app.database.db
    const cases = await db
      .selectFrom('case_file')
      .select(['id', 'status'])
      .where('region_code', 'like', `${city}%`)
      .execute()
    const list = await get<{ total: number; items: DrillItem[] }>(
      `/api/analytics/drill?region=${city}&kind=cases&limit=200`,
    )
    expect(cases.length).toBeGreaterThan(0)
    expect(list.total).toBe(cases.length)
    for (const item of list.items) {
      expect(Object.keys(item).sort()).toEqual([
        'at',
        'department',
        'id',
        'region',
        'regionName',
        'status',
        'title',
      ])
      expect(item.region.startsWith(city)).toBe(true)
      expect(/[\u4e00-\u9fff]/.test(item.regionName)).toBe(true)
    }
    const mine = list.items.find((i) => i.id === finished.id)!
    const lastStep = finished.timeline.filter((t) => t.departmentId).at(-1)!
    expect(mine).toMatchObject({
      status: 'completed',
      region: finished.regionCode,
      department: lastStep.departmentId,
    })
    expect(mine.title).toBe(finished.matterName)
    const done = await get<{ total: number; items: DrillItem[] }>(
      `/api/analytics/drill?region=${city}&kind=cases&status=completed`,
    )
    expect(done.items.map((i) => i.id)).toContain(finished.id)
    expect(done.items.every((i) => i.status === 'completed')).toBe(true)
    const sorted = [...list.items].sort((a, b) => b.at - a.at)
    expect(list.items.map((i) => i.at)).toEqual(sorted.map((i) => i.at))
    // By department: the cases with a step of it; each item names its latest department step's.
    const task = await db
      .selectFrom('case_task')
      .innerJoin('case_file', 'case_file.id', 'case_task.case_id')
      .select('case_task.department_id')
      .where('case_file.region_code', 'like', `${city}%`)
      .where('case_task.department_id', 'is not', null)
      .executeTakeFirst()
    if (task?.department_id) {
      const withStep = await db
        .selectFrom('case_file')
        .select('id')
        .where('region_code', 'like', `${city}%`)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('case_task')
              .select('case_task.id')
              .whereRef('case_task.case_id', '=', 'case_file.id')
              .where('case_task.department_id', '=', task.department_id),
          ),
        )
        .execute()
      const byDept = await get<{ total: number; items: DrillItem[] }>(
        `/api/analytics/drill?region=${city}&kind=cases&department=${task.department_id}&limit=200`,
      )
      expect(byDept.total).toBe(withStep.length)
      expect(byDept.items.map((i) => i.id).sort()).toEqual(
        withStep
          .map((c) => c.id)
          .sort()
          .slice(0, 200),
      )
    }
    expect(list.items.some((i) => i.department !== null) || cases.length === 0).toBe(true)
    const appeals = await db
      .selectFrom('appeal')
      .select(['id', 'department_id'])
      .where('region_code', 'like', `${city}%`)
      .execute()
    const a = await get<{ total: number; items: DrillItem[] }>(
      `/api/analytics/drill?region=${city}&kind=appeals&limit=5`,
    )
    expect(appeals.length).toBeGreaterThan(0)
    expect(task).toBeDefined()
    expect(a.total).toBe(appeals.length)
    expect(a.items.length).toBe(Math.min(5, appeals.length))
    for (const item of a.items) expect(item.title).toMatch(/^[\u4e00-\u9fff]+·/)
    if (appeals.length > 0) {
      const department = appeals[0]!.department_id
      const byDept = await get<{ total: number }>(
        `/api/analytics/drill?region=${city}&kind=appeals&department=${department}`,
      )
      expect(byDept.total).toBe(appeals.filter((x) => x.department_id === department).length)
    }
    // A period with nothing, and a status the kind has not.
    const empty = await get<{ total: number }>(
      `/api/analytics/drill?region=${city}&kind=cases&from=${FROM}&to=${TO}`,
    )
    expect(empty.total).toBe(0)
    expectError(
      await api(app, 'GET', `/api/analytics/drill?region=${city}&kind=cases&status=dispatched`, {
        token: admin,
      }),
      400,
      'VALIDATION_FAILED',
    )
  })

  it('exports a view as a workbook and as CSV, with Chinese names', async () => {
    const region = await app.services.regions.getRegion('4301')
    const url = `/api/analytics/export.xlsx?view=response&region=4301&by=region&from=${FROM}&to=${TO}`
    const res = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const name = `指挥大厅-响应速度-${region.name}-2031-03-01至2031-03-04.xlsx`
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('响应速度')!
    const header = ws.getRow(6).values as unknown[]
    expect(header.slice(1, 4)).toEqual(['区划代码', '区划名称', '首次响应诉求数'])
    const row = ws.getRows(7, ws.rowCount - 6)!.find((r) => r.getCell(1).value === '430102')!
    expect(row.getCell(3).value).toBe(3)
    // Hours to the hundredth, in the workbook as in the CSV.
    expect(row.getCell(4).value).toBeCloseTo(middle(durationBin(600_000)) / HOUR_MS, 2)
    expect(row.getCell(12).value).toBe(0.75)

    const csv = await app.server.inject({
      method: 'GET',
      url: `/api/analytics/export.xlsx?view=officials&format=csv&region=430101&department=${dept.id}&measure=on_time_rate&from=${FROM}&to=${TO}`,
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(csv.statusCode, csv.body).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const lines = csv.rawPayload.toString('utf8').slice(1).split('\r\n')
    expect(lines[0]).toBe('人员编号,姓名,环节按时率,完成办理环节数,是否异常')
    expect(lines).toContain(`${members[4]!.id},${members[4]!.name},0.2,10,是`)
    expectError(
      await api(app, 'GET', '/api/analytics/export.xlsx?view=officials&region=430101', { token: admin }),
      400,
      'VALIDATION_FAILED',
    )
  })

  it('is scoped to the caller’s region, and refuses bad periods', async () => {
    const county = await login(app, 'leader.430101')
    const urls = (region: string) => [
      `/api/analytics/series?region=${region}&metric=cases_submitted&from=${FROM}&to=${TO}`,
      `/api/analytics/topics?region=${region}&from=${FROM}&to=${TO}`,
      `/api/analytics/response?region=${region}&by=region&from=${FROM}&to=${TO}`,
      `/api/analytics/officials?region=${region}&department=${dept.id}&measure=step_p50&from=${FROM}&to=${TO}`,
      `/api/analytics/drill?region=${region}&kind=appeals&from=${FROM}&to=${TO}`,
      `/api/analytics/export.xlsx?view=topics&region=${region}&from=${FROM}&to=${TO}`,
    ]
    for (const url of urls('430101'))
      expect((await api(app, 'GET', url, { token: county })).status, url).toBe(200)
    for (const region of ['430102', '4301', '43'])
      for (const url of urls(region))
        expectError(await api(app, 'GET', url, { token: county }), 403, 'FORBIDDEN')
    for (const user of ['official.demo', 'citizen.demo']) {
      const token = await login(app, user)
      for (const url of urls('4301')) expectError(await api(app, 'GET', url, { token }), 403, 'FORBIDDEN')
    }
    expectError(await api(app, 'GET', urls('4301')[0]!), 401, 'UNAUTHENTICATED')

    const bad = (q: string) =>
      api(app, 'GET', `/api/analytics/series?region=4301&metric=cases_submitted&${q}`, { token: admin })
    expectError(await bad('from=yesterday'), 400, 'VALIDATION_FAILED')
    expectError(await bad('from=2031-02-30'), 400, 'VALIDATION_FAILED')
    expectError(await bad('from=2031-03-02&to=2031-03-01'), 400, 'VALIDATION_FAILED')
    expectError(await bad('grain=h&from=2020-01-01&to=2031-01-01'), 400, 'VALIDATION_FAILED')
    expectError(await bad('grain=w'), 400, 'VALIDATION_FAILED')
    for (const url of [
      '/api/analytics/response?region=4301&by=street',
      '/api/analytics/topics?region=4301&limit=0',
      '/api/analytics/drill?region=4301&kind=people',
      '/api/analytics/officials?region=4301&measure=step_p50',
      `/api/analytics/response?region=4301&by=region&from=2031-03-02&to=2031-03-01`,
      `/api/analytics/drill?region=4301&kind=cases&from=2031-03-02&to=2031-03-01`,
      `/api/analytics/officials?region=430101&department=${dept.id}&measure=step_p50&from=x`,
    ])
      expectError(await api(app, 'GET', url, { token: admin }), 400, 'VALIDATION_FAILED')
    expectError(
      await api(app, 'GET', '/api/analytics/response?region=4399&by=region', { token: admin }),
      404,
      'NOT_FOUND',
    )
  })
})
