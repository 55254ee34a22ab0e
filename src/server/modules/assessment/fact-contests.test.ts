/**
 * Contests of scorecard facts on both dialects, over three residence-permit cases decided by one
 * test desk of the county police and rated 5, 2 and 4: the official contests the rating 2 on their own
 * card; another official and a citizen cannot; the official cannot decide it; the police supervisor
 * upholds it in the chain-contest queue, ledgered, and the card's rating average, experience and total
 * change exactly as computed by hand (so do the department's and the county's); a rejected contest
 * changes nothing; the audit replays the contests and names a pending one marked upheld in the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult, CaseView } from '../../../shared/api.js'
import { DEMO_POLICIES } from '../sim/demo.policies.js'
import { scale } from './assessment.model.js'
import type { FactView, ScorecardRow } from './assessment.service.js'

const formula = DEMO_POLICIES['assessment.formula'] as {
  dimensions: Record<string, number>
  indicators: { code: string; weight: number; worst: number; best: number }[]
}
const weight = (code: string) => formula.indicators.find((x) => x.code === code)!.weight
const s1 = (code: string, value: number) => {
  const i = formula.indicators.find((x) => x.code === code)!
  return scale(value, i.worst, i.best)
}

describe.each(DIALECTS)('fact contests on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let citizen: string
  let period: string
  let cases: CaseView[]
  let police: { department: string; staff: string; token: string }
  let other: string
  let supervisor: string
  let county: string
  let city: string

  const me = async (token: string) => (await api(app, 'GET', '/api/auth/me', { token })).body.id as string
  const card = async () => {
    const res = await api(
      app,
      'GET',
      `/api/assessment/scorecards?level=official&region=${county}&period=${period}`,
      {
        token: admin,
      },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return (res.body as ScorecardRow[]).find((r) => r.subject.id === police.staff)!
  }
  const rowOf = async (level: string, region: string, id: string) => {
    const res = await api(
      app,
      'GET',
      `/api/assessment/scorecards?level=${level}&region=${region}&period=${period}`,
      {
        token: admin,
      },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return (res.body as ScorecardRow[]).find((r) => r.subject.id === id)!
  }
  const facts = async (indicator: string, token = police.token) => {
    const res = await api(
      app,
      'GET',
      `/api/assessment/scorecards/official/${police.staff}/facts?period=${period}&indicator=${indicator}`,
      { token },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as FactView[]
  }
  /** The fact of a case's rating for an indicator. */
  const ratingFact = async (indicator: string, caseId: string) =>
    (await facts(indicator)).find((f) => f.ref.id === caseId)!
  const contest = (token: string, f: FactView, reason = '该评价针对窗口排队，非本环节办理') =>
    api(app, 'POST', '/api/assessment/fact-contests', {
      token,
      body: { period, indicator: f.indicator, ref: f.ref, key: f.key, reason },
    })
  const decide = (token: string, id: string, upheld: boolean, reason: string) =>
    api(app, 'POST', `/api/chain-contests/${id}/decision`, { token, body: { upheld, reason } })

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
    const finisher = caseFinisher(app, 't.contest', { citizen, admin })
    period = String(new Date(app.services.clock.now() + 8 * 3_600_000).getUTCFullYear())
    cases = [await finisher.finishedCase(), await finisher.finishedCase(), await finisher.finishedCase()]
    const last = cases[0]!.timeline.find((s) => s.node === 'police_review')!
    const first = cases[0]!.timeline.find((s) => s.node === 'accept')!
    const token = await finisher.desk(last.departmentId!)
    police = { department: last.departmentId!, token, staff: await me(token) }
    other = await finisher.desk(first.departmentId!)
    county = cases[0]!.regionCode.slice(0, 6)
    city = cases[0]!.regionCode.slice(0, 4)
    for (const [i, score] of [5, 2, 4].entries()) {
      const res = await api(app, 'POST', `/api/cases/${cases[i]!.id}/rating`, {
        token: citizen,
        body: { score },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
    const created = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: {
        username: 't.contest.supervisor',
        password: 'test-password',
        name: '测试科长',
        departmentId: police.department,
        roles: ['official', 'supervisor'],
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    supervisor = await login(app, 't.contest.supervisor', 'test-password')
  })
  afterAll(() => app?.dispose())

  it('gives every fact a key and no contest until one is filed', async () => {
    const list = await facts('rating_avg')
    expect(list).toHaveLength(3)
    for (const f of list) {
      expect(f.key).toBe(`rating_avg:case:${f.ref.id}@${f.ledger.log}#${f.ledger.index}`)
      expect(f.contest).toBeNull()
    }
    // The same rating is two facts (two indicators), told apart by their keys.
    const bad = await ratingFact('bad_review_rate', cases[1]!.id)
    expect(bad.key).not.toBe((await ratingFact('rating_avg', cases[1]!.id)).key)
  })

  it('is filed only by the official the fact is attributed to, on their own card', async () => {
    const f = await ratingFact('rating_avg', cases[1]!.id)
    // Another official: the fact is not on their card.
    expectError(await contest(other, f), 404, 'NOT_FOUND')
    expectError(await contest(citizen, f), 403, 'FORBIDDEN')
    // A key that names no fact, or names it under another ref.
    expectError(await contest(police.token, { ...f, key: `${f.key}x` }), 404, 'NOT_FOUND')
    expectError(
      await contest(police.token, { ...f, ref: { kind: 'case', id: cases[0]!.id } }),
      404,
      'NOT_FOUND',
    )
    expectError(await contest(police.token, f, '   '), 400, 'VALIDATION_FAILED')
    const before = await card()
    expect(before.indicators.rating_avg).toMatchObject({ value: 11 / 3, n: 3 })
  })

  it('is upheld by the supervisor, not the official, ledgered; the card changes exactly', async () => {
    const before = await card()
    const department = await rowOf('department', county, police.department)
    const countyRow = await rowOf('region', city, county)
    const f = await ratingFact('rating_avg', cases[1]!.id)
    const filed = await contest(police.token, f)
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    expect(filed.body).toMatchObject({
      subject: 'fact',
      status: 'pending',
      indicator: 'rating_avg',
      ref: f.ref,
      key: f.key,
      staffId: police.staff,
      departmentId: police.department,
      factLedger: f.ledger,
    })
    expectError(await contest(police.token, f), 409, 'CONFLICT')
    expect((await ratingFact('rating_avg', cases[1]!.id)).contest).toEqual({
      id: filed.body.id,
      status: 'pending',
    })
    // Pending changes nothing.
    expect((await card()).total).toBe(before.total)

    // The queue of chain contests lists it, for the supervisor and for the official.
    for (const token of [supervisor, police.token]) {
      const queue = await api(app, 'GET', '/api/chain-contests?status=pending', { token })
      expect(queue.status, JSON.stringify(queue.body)).toBe(200)
      expect(queue.body).toContainEqual(
        expect.objectContaining({ id: filed.body.id, subject: 'fact', indicator: 'rating_avg', key: f.key }),
      )
    }
    const mine = await api(app, 'GET', '/api/assessment/fact-contests', { token: police.token })
    expect(mine.body.map((c: { id: string }) => c.id)).toContain(filed.body.id)

    // The official cannot decide (no superior, and never their own); the supervisor upholds.
    expectError(await decide(police.token, filed.body.id, true, '本人'), 403, 'FORBIDDEN')
    const upheld = await decide(supervisor, filed.body.id, true, '经核实该差评与本环节无关')
    expect(upheld.status, JSON.stringify(upheld.body)).toBe(200)
    expect(upheld.body).toMatchObject({
      subject: 'fact',
      status: 'upheld',
      decision: '经核实该差评与本环节无关',
    })
    expectError(await decide(supervisor, filed.body.id, false, '再议'), 409, 'CONFLICT')
    const [entry] = await app.services.ledger.entries(
      upheld.body.decisionLedger.log,
      upheld.body.decisionLedger.index,
      upheld.body.decisionLedger.index + 1,
    )
    const leaf = Buffer.from(entry!.leaf, 'base64').toString('utf8')
    expect(leaf).toContain('assessment.fact_contest_decided')
    expect(leaf).toContain(f.key)
    expect(leaf).not.toContain('核实')

    // By hand: the ratings 5 and 4 remain; the bad-review rate still counts all three ratings.
    const after = await card()
    expect(after.indicators.rating_avg).toMatchObject({ value: 4.5, score: s1('rating_avg', 4.5), n: 2 })
    expect(after.indicators.bad_review_rate).toEqual(before.indicators.bad_review_rate)
    const experience =
      (s1('rating_avg', 4.5) * weight('rating_avg') +
        s1('bad_review_rate', 1 / 3) * weight('bad_review_rate')) /
      (weight('rating_avg') + weight('bad_review_rate'))
    expect(after.dimensions.experience).toBeCloseTo(experience, 9)
    expect(after.dimensions.traceability).toBe(100)
    const d = formula.dimensions
    expect(after.total).toBeCloseTo(
      (experience * d.experience! + 100 * d.traceability!) / (d.experience! + d.traceability!),
      9,
    )
    expect(after.total).not.toBeCloseTo(before.total!, 6)
    // The drill-down lists what is counted: the upheld fact is gone.
    expect((await facts('rating_avg')).map((x) => x.ref.id).sort()).toEqual(
      [cases[0]!.id, cases[2]!.id].sort(),
    )
    // Every level leaves it out: the department's card and the county's.
    const departmentAfter = await rowOf('department', county, police.department)
    expect(departmentAfter.indicators.rating_avg.n).toBe(department.indicators.rating_avg.n - 1)
    const countyAfter = await rowOf('region', city, county)
    const { value: v0, n: n0 } = countyRow.indicators.rating_avg
    expect(countyAfter.indicators.rating_avg.n).toBe(n0 - 1)
    expect(countyAfter.indicators.rating_avg.value).toBeCloseTo((v0! * n0 - 2) / (n0 - 1), 9)
    // Upheld: the fact cannot be contested again.
    expectError(await contest(police.token, f), 409, 'CONFLICT')
  })

  it('changes nothing when rejected, and may then be contested again', async () => {
    const before = await card()
    const f = await ratingFact('bad_review_rate', cases[1]!.id)
    const filed = await contest(police.token, f, '差评系群众误操作')
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    const rejected = await decide(supervisor, filed.body.id, false, '群众已确认评价属实')
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200)
    expect(rejected.body).toMatchObject({ status: 'rejected' })
    const after = await card()
    expect(after.indicators).toEqual(before.indicators)
    expect(after.total).toBe(before.total)
    expect((await ratingFact('bad_review_rate', cases[1]!.id)).contest).toEqual({
      id: filed.body.id,
      status: 'rejected',
    })
    const decided = await api(app, 'GET', '/api/chain-contests', { token: supervisor })
    expect(decided.body).toContainEqual(expect.objectContaining({ id: filed.body.id, status: 'rejected' }))
    const again = await contest(police.token, f, '补充材料：群众来电更正')
    expect(again.status, JSON.stringify(again.body)).toBe(201)
    expect(again.body.id).not.toBe(filed.body.id)
  })

  it('is replayed by the audit, which names a pending contest marked upheld in the table (a fact quietly dropped)', async () => {
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    const pending = await app.database.db
      .selectFrom('fact_contest')
      .select('id')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
    try {
      await app.database.db
        .updateTable('fact_contest')
        .set({ status: 'upheld' })
        .where('id', '=', pending.id)
        .execute()
      const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
      expect(report.ok).toBe(false)
      expect(report.replay.differences).toContainEqual(
        expect.objectContaining({
          table: 'fact_contest',
          key: pending.id,
          field: 'status',
          expected: 'pending',
          actual: 'upheld',
        }),
      )
    } finally {
      await app.database.db
        .updateTable('fact_contest')
        .set({ status: 'pending' })
        .where('id', '=', pending.id)
        .execute()
    }
  })
})
