/**
 * Scorecards on both dialects, over a small fixture: three residence-permit cases finished by test
 * desks and rated 5, 2 (a bad review, called back and rectified) and 4, and a market complaint
 * accepted, answered, resolved and rated satisfied. Every indicator is computed here by hand and
 * compared with the service's; a what-if under a formula published for later changes the total as
 * computed by hand while the default stays the governing version; scoping: an official sees their
 * own row, a county leader not another county's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher, type CaseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { CaseView } from '../../../shared/api.js'
import { DEMO_POLICIES } from '../sim/demo.policies.js'
import { scale } from './assessment.model.js'
import type { ScorecardRow } from './assessment.service.js'

const formulaV1 = DEMO_POLICIES['assessment.formula'] as {
  dimensions: Record<string, number>
  indicators: { code: string; weight: number; worst: number; best: number }[]
  minSample: number
}
/** Scaling of an indicator by the demo formula (version 1). */
const s1 = (code: string, value: number) => {
  const i = formulaV1.indicators.find((x) => x.code === code)!
  return scale(value, i.worst, i.best)
}

describe.each(DIALECTS)('scorecards on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let citizen: string
  let finisher: CaseFinisher
  let period: string
  let cases: CaseView[]
  let police: { department: string; staff: string; token: string }
  let window: { department: string; staff: string }
  let market: { department: string; staff: string; token: string }
  let county: string

  const me = async (token: string) => (await api(app, 'GET', '/api/auth/me', { token })).body.id as string
  const cards = async (query: string, token = admin) => {
    const res = await api(app, 'GET', `/api/assessment/scorecards?${query}`, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as ScorecardRow[]
  }
  const row = (rows: ScorecardRow[], id: string) => rows.find((r) => r.subject.id === id)!

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
    finisher = caseFinisher(app, 't.assess', { citizen, admin })
    period = String(new Date(app.services.clock.now() + 8 * 3_600_000).getUTCFullYear())
    cases = [await finisher.finishedCase(), await finisher.finishedCase(), await finisher.finishedCase()]
    // The residence permit: the street's window accepts, the county's police decide.
    const last = cases[0]!.timeline.find((s) => s.node === 'police_review')!
    const first = cases[0]!.timeline.find((s) => s.node === 'accept')!
    police = {
      department: last.departmentId!,
      token: await finisher.desk(last.departmentId!),
      staff: '',
    }
    police.staff = await me(police.token)
    window = { department: first.departmentId!, staff: await me(await finisher.desk(first.departmentId!)) }
    county = cases[0]!.regionCode.slice(0, 6)
    const scores = [{ score: 5, reformScore: 4 }, { score: 2, reformScore: 3 }, { score: 4 }]
    for (const [i, c] of cases.entries()) {
      const res = await api(app, 'POST', `/api/cases/${c.id}/rating`, { token: citizen, body: scores[i] })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      if (res.body.rectification) {
        const id = res.body.rectification.id as string
        const now = app.services.clock.now()
        for (const [step, body] of [
          ['callback', { calledAt: now, summary: '已电话回访' }],
          ['rectify', { measures: '已加快制证' }],
        ] as const) {
          const r = await api(app, 'POST', `/api/rectifications/${id}/${step}`, { token: police.token, body })
          expect(r.status, JSON.stringify(r.body)).toBe(200)
        }
      }
    }
    const filed = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: {
        kind: 'complaint',
        category: 'market/pricing',
        text: '价格标签不符',
        regionCode: cases[0]!.regionCode,
      },
    })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    const appeal = filed.body.id as string
    const marketDepartment = filed.body.department.id as string
    const token = await finisher.desk(marketDepartment)
    market = { department: marketDepartment, token, staff: await me(token) }
    for (const step of ['accept', 'respond', 'resolve'] as const) {
      const r = await api(app, 'POST', `/api/appeals/${appeal}/${step}`, {
        token,
        ...(step === 'accept' ? {} : { body: { text: '已处理' } }),
      })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }
    const rated = await api(app, 'POST', `/api/appeals/${appeal}/rating`, {
      token: citizen,
      body: { satisfaction: 'satisfied' },
    })
    expect(rated.status, JSON.stringify(rated.body)).toBe(200)
  })
  afterAll(() => app?.dispose())

  it('computes each indicator of the official who decided the cases as counted by hand', async () => {
    const rows = await cards(`level=official&region=${county}&period=${period}`)
    const r = row(rows, police.staff)
    expect(r.policyVersion).toBe('assessment.formula@1')
    expect(r.indicators.rating_avg).toEqual({
      value: 11 / 3,
      score: s1('rating_avg', 11 / 3),
      n: 3,
      smallSample: true,
    })
    expect(r.indicators.bad_review_rate).toMatchObject({ value: 1 / 3, score: 0, n: 3 })
    expect(r.indicators.rectification_on_time).toMatchObject({ value: 1, score: 100, n: 1 })
    expect(r.indicators.step_on_time).toMatchObject({ value: 1, score: 100, n: 3 })
    expect(r.indicators.supplement_rate).toMatchObject({ value: 0, score: 100, n: 3 })
    // Each step's completion is in the ledger, none was redone; no appeals: null, never 0.
    expect(r.indicators.ledger_complete).toEqual({ value: 1, score: 100, n: 3, smallSample: true })
    expect(r.indicators.rework_rate).toMatchObject({ value: 0, score: 100, n: 3 })
    expect(r.indicators.appeal_response_rate.value).toBeNull()
    const experience = (s1('rating_avg', 11 / 3) * 3 + 0 * 2 + 100 * 1) / 6
    expect(r.dimensions.experience).toBeCloseTo(experience, 9)
    expect(r.dimensions.traceability).toBe(100)
    expect(r.dimensions.consistency).toBeNull()
    expect(r.total).toBeCloseTo((experience * 4 + 100 * 4) / 8, 9)
    // Ten facts are the smallest ranked sample of version 1: none of the desks is ranked (the keepers
    // of the demo's records are: they hold more than ten records, none contradicted).
    for (const id of [police.staff, window.staff, market.staff]) expect(row(rows, id).rank).toBeNull()
    expect(r.trend).toBeNull()
    // No organisation evaluation yet: left out and named, not counted as 0.
    expect(r.promotionMissing).toContain('organisation')
    expect(r.promotionPolicy).toBe('assessment.promotion@1')
    expect(r.promotionParts!.satisfaction).toBeCloseTo(s1('rating_avg', 11 / 3), 9)

    const w = row(rows, window.staff)
    expect(w.indicators.step_on_time).toMatchObject({ value: 1, n: 3 })
    expect(w.indicators.rating_avg.value).toBeNull()
    expect(w.total).toBe(100)

    const m = row(rows, market.staff)
    for (const code of [
      'appeal_response_rate',
      'appeal_resolution_rate',
      'appeal_satisfaction_rate',
      'appeal_satisfaction',
    ] as const)
      expect(m.indicators[code], code).toMatchObject({ value: 1, n: 1 })
    expect(m.indicators.appeal_return_rate).toMatchObject({ value: 0, n: 1 })
  })

  it('counts a region’s cases once however many departments worked on them', async () => {
    const rows = await cards(`level=region&region=${county.slice(0, 4)}&period=${period}`)
    const r = row(rows, county)
    expect(r.indicators.step_on_time).toMatchObject({ value: 1, n: 6 })
    expect(r.indicators.supplement_rate).toMatchObject({ value: 0, n: 3 })
    expect(r.indicators.rating_avg).toMatchObject({ value: 11 / 3, n: 3 })
    expect(r.indicators.appeal_satisfaction).toMatchObject({ value: 1, n: 1 })
    const experience = (s1('rating_avg', 11 / 3) * 3 + 0 * 2 + 100 * 2 + 100 + 100 + 100) / 10
    // The county holds records and none was contradicted: 0 per 1,000, the best.
    expect(r.indicators.discrepancies_per_1k.value).toBe(0)
    expect(r.total).toBeCloseTo((experience * 4 + 100 * 4 + 100 * 2) / 10, 9)
    // The department level counts by attribution.
    const d = row(await cards(`level=department&region=${county}&period=${period}`), police.department)
    expect(d.indicators.rating_avg).toMatchObject({ value: 11 / 3, n: 3 })
    expect(d.indicators.step_on_time).toMatchObject({ value: 1, n: 3 })
  })

  it('lists the regions at every level in one call, each row as its parent’s own list has it', async () => {
    const province = await app.services.regions.provinceCode()
    const city = county.slice(0, 4)
    const strip = ({ parent: _parent, level: _level, ...r }: ScorecardRow) => r
    const all = await cards(`level=region&region=${city}&depth=all&period=${period}`)
    const counties = await cards(`level=region&region=${city}&period=${period}`)
    expect(counties.length).toBeGreaterThan(1)
    // Parents first: the city's counties, then each county's streets.
    expect(all.slice(0, counties.length).map(strip)).toEqual(counties)
    for (const c of counties) {
      expect(row(all, c.subject.id)).toMatchObject({ parent: city, level: 'county' })
      const streets = await cards(`level=region&region=${c.subject.id}&period=${period}`)
      const below = all.filter((r) => r.parent === c.subject.id)
      expect(below.map(strip)).toEqual(streets)
      for (const r of below) expect(r.level).toBe('street')
    }
    expect(all).toHaveLength(counties.length + all.filter((r) => r.level === 'street').length)
    // Some are ranked (the records held make a sample), among their siblings only.
    expect(all.some((r) => r.rank !== null)).toBe(true)
    // From the province: its cities as its own list has them, and below the city the same rows.
    const everywhere = await cards(`level=region&region=${province}&depth=all&period=${period}`)
    const cities = await cards(`level=region&region=${province}&period=${period}`)
    expect(everywhere.filter((r) => r.parent === province).map(strip)).toEqual(cities)
    expect(everywhere.filter((r) => r.subject.id.startsWith(city) && r.subject.id !== city)).toEqual(all)
    // The default stays the direct children, without parent or level.
    expect(counties.every((r) => r.parent === undefined && r.level === undefined)).toBe(true)
    expect(await cards(`level=region&region=${city}&depth=children&period=${period}`)).toEqual(counties)
  })

  it('lists the facts behind a number, each with a ledger entry that proves it', async () => {
    const res = await api(
      app,
      'GET',
      `/api/assessment/scorecards/official/${police.staff}/facts?indicator=rating_avg&period=${period}`,
      { token: police.token },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.map((f: { ref: { id: string } }) => f.ref.id).sort()).toEqual(
      cases.map((c) => c.id).sort(),
    )
    expect(res.body.map((f: { outcome: number }) => f.outcome).sort()).toEqual([2, 4, 5])
    const [fact] = res.body as { ledger: { log: string; index: number } }[]
    const [entry] = await app.services.ledger.entries(
      fact!.ledger.log,
      fact!.ledger.index,
      fact!.ledger.index + 1,
    )
    expect(JSON.parse(Buffer.from(entry!.leaf, 'base64').toString('utf8'))).toMatchObject({
      type: 'rating.submitted',
    })
    expectError(
      await api(app, 'GET', `/api/assessment/scorecards/official/nobody/facts?period=${period}`, {
        token: admin,
      }),
      404,
      'NOT_FOUND',
    )
    expectError(
      await api(app, 'GET', `/api/assessment/scorecards?level=official&period=2026-Q5`, { token: admin }),
      400,
      'VALIDATION_FAILED',
    )
  })

  it('recomputes under another formula version on demand, the governing one staying the default', async () => {
    const v2 = {
      ...formulaV1,
      dimensions: { experience: 1, traceability: 3, consistency: 1 },
      minSample: 1,
    }
    const later = app.services.clock.now() + 3 * 366 * 86_400_000
    const res = await api(app, 'POST', '/api/policies/assessment.formula', {
      token: admin,
      body: { body: v2, effectiveAt: later, note: '征求意见稿' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const version = res.body.version as number
    const current = row(await cards(`level=official&region=${county}&period=${period}`), police.staff)
    expect(current.policyVersion).toBe('assessment.formula@1')
    // It governs only from its effective time on: the year it takes effect, not the year before.
    const year = new Date(later + 8 * 3_600_000).getUTCFullYear()
    const at = async (p: number) =>
      row(await cards(`level=official&region=${county}&period=${p}`), police.staff).policyVersion
    expect(await at(year)).toBe(`assessment.formula@${version}`)
    expect(await at(year - 1)).toBe('assessment.formula@1')
    const rows = await cards(`level=official&region=${county}&period=${period}&policyVersion=${version}`)
    const r = row(rows, police.staff)
    expect(r.policyVersion).toBe(`assessment.formula@${version}`)
    const experience = (s1('rating_avg', 11 / 3) * 3 + 100) / 6
    expect(r.total).toBeCloseTo((experience * 1 + 100 * 3) / 4, 9)
    // A minimum sample of one ranks everyone with data: those at 100 (the desks, and the keepers of
    // records none contradicted) share rank 1, the police desk comes after them.
    const top = rows.filter((x) => x.total === 100)
    expect(top.length).toBeGreaterThanOrEqual(2)
    expect(row(rows, window.staff).rank).toBe(1)
    expect(row(rows, market.staff).rank).toBe(1)
    expect(r.rank).toBe(top.length + 1)
  })

  it('shows an official only their own card and keeps a county leader in their county', async () => {
    const own = await cards(`level=official&region=${county}&period=${period}`, police.token)
    expect(own.map((r) => r.subject.id)).toEqual([police.staff])
    expectError(
      await api(app, 'GET', `/api/assessment/scorecards?level=region&region=${county}&period=${period}`, {
        token: police.token,
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'GET', `/api/assessment/scorecards/official/${window.staff}/facts?period=${period}`, {
        token: police.token,
      }),
      403,
      'FORBIDDEN',
    )
    const leader = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: {
        username: 't.assess.leader',
        password: 'test-password',
        name: '测试领导',
        departmentId: police.department,
        roles: ['leader'],
      },
    })
    expect(leader.status, JSON.stringify(leader.body)).toBe(201)
    const token = await login(app, 't.assess.leader', 'test-password')
    const other = (await app.services.regions.listChildren(county.slice(0, 4))).find(
      (c) => c.code !== county,
    )!
    expectError(
      await api(
        app,
        'GET',
        `/api/assessment/scorecards?level=official&region=${other.code}&period=${period}`,
        {
          token,
        },
      ),
      403,
      'FORBIDDEN',
    )
    const mine = await cards(`level=official&region=${county}&period=${period}`, token)
    expect(mine.map((r) => r.subject.id)).toContain(window.staff)
    // The demo's county leader (README) likewise: their county's streets, not a neighbour's.
    const demoLeader = await login(app, `leader.${county}`)
    const streets = await cards(`level=region&region=${county}&period=${period}`, demoLeader)
    expect(streets.map((r) => r.subject.id)).toContain(cases[0]!.regionCode)
    expectError(
      await api(app, 'GET', `/api/assessment/scorecards?level=region&region=${other.code}&period=${period}`, {
        token: demoLeader,
      }),
      403,
      'FORBIDDEN',
    )
  })
})
