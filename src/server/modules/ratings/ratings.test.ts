/**
 * 好差评 on both dialects: the applicant rates a finished case once (a second rating and a rating of
 * an unfinished case are 409, another citizen's is refused); a score of 1–2 opens a rectification for
 * the handling department with its deadline in working days, both recording the policy version; a
 * policy published later does not change them; the audit replays ratings and names an edited score.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult, CaseView } from '../../../shared/api.js'
import { handlingDepartment, isBadRating } from './ratings.model.js'

describe('the rating model', () => {
  it('judges a bad rating by the policy and finds the deciding department', () => {
    expect(isBadRating(2, { badScoreMax: 2, deadlineWorkingDays: 5 })).toBe(true)
    expect(isBadRating(3, { badScoreMax: 2, deadlineWorkingDays: 5 })).toBe(false)
    const step = (departmentId: string | null, completedAt: number | null, index = 0) =>
      ({
        departmentId,
        department: departmentId && `部门${departmentId}`,
        completedAt,
        ledger: completedAt === null ? null : { log: '4301', index },
      }) as never
    expect(handlingDepartment([step(null, 1), step('a', 5), step('b', 9), step('c', null)])).toEqual({
      id: 'b',
      name: '部门b',
    })
    expect(handlingDepartment([step(null, 1)])).toBeNull()
    // Completed in the same millisecond (a manual clock): the later ledger entry decided.
    expect(handlingDepartment([step('late', 7, 12), step('early', 7, 10)])?.id).toBe('late')
  })
})

describe.each(DIALECTS)('好差评 on %s', (dialect) => {
  let app: TestApp
  let citizen: string
  let admin: string
  let finishedCase: () => Promise<CaseView>

  beforeAll(async () => {
    app = await createTestApp(dialect)
    citizen = await login(app, 'citizen.demo')
    admin = await login(app, 'admin')
    finishedCase = caseFinisher(app, 't.rate', { citizen, admin }).finishedCase
  })
  afterAll(() => app?.dispose())

  it('takes one good rating with a reform score, attributed to the deciding department and the process version', async () => {
    const c = await finishedCase()
    expect(c.status).toBe('completed')
    const res = await api(app, 'POST', `/api/cases/${c.id}/rating`, {
      token: citizen,
      body: { score: 5, reformScore: 4, tags: ['fast', 'no_trips'], comment: '一次都没跑，很方便' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({
      score: 5,
      reformScore: 4,
      tags: ['fast', 'no_trips'],
      matterCode: 'RESIDENCE_PERMIT',
      matterVersion: c.matterVersion,
      department: handlingDepartment(c.timeline),
      policy: 'rating.rectification@1',
      rectification: null,
    })
    expectError(
      await api(app, 'POST', `/api/cases/${c.id}/rating`, { token: citizen, body: { score: 4 } }),
      409,
      'CONFLICT',
    )
    expect((await api(app, 'GET', `/api/cases/${c.id}/rating`, { token: citizen })).body).toEqual(res.body)
    // The public ledger holds a commitment to the comment, never its text.
    const [entry] = await app.services.ledger.entries(
      res.body.ledger.log,
      res.body.ledger.index,
      res.body.ledger.index + 1,
    )
    expect(Buffer.from(entry!.leaf, 'base64').toString('utf8')).not.toContain('方便')
    // Only the applicant rates.
    const official = await login(app, 'official.demo')
    expectError(
      await api(app, 'POST', `/api/cases/${c.id}/rating`, { token: official, body: { score: 1 } }),
      403,
      'FORBIDDEN',
    )
  })

  it('opens a rectification for a bad rating, with the deadline and version of the policy in force', async () => {
    const c = await finishedCase()
    const res = await api(app, 'POST', `/api/cases/${c.id}/rating`, {
      token: citizen,
      body: { score: 2, tags: ['long_wait'] },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const rect = res.body.rectification
    expect(rect).toMatchObject({
      department: handlingDepartment(c.timeline),
      policy: 'rating.rectification@1',
    })
    // Its own responsibility chain: who decided the case in the handling department, and their superiors.
    const chain = await api(app, 'GET', `/api/rectifications/${rect.id}/responsibility`, { token: citizen })
    expect(chain.status, JSON.stringify(chain.body)).toBe(200)
    expect(chain.body).toMatchObject({ policyVersion: 'responsibility.chain@1', rule: 'bad-review' })
    const primary = chain.body.links.find((l: { primary: boolean }) => l.primary)
    expect(primary).toMatchObject({
      staffId: expect.any(String),
      departmentId: rect.department.id,
      function: 'step_handler',
      evidence: expect.arrayContaining([expect.objectContaining({ log: expect.any(String) })]),
    })
    expect(chain.body.links.some((l: { primary: boolean }) => !l.primary)).toBe(true)
    const now = app.services.clock.now()
    // Five working days: at least a week of calendar time minus the weekend days, never less than five days.
    expect(rect.dueAt).toBeGreaterThanOrEqual(now + 5 * 86_400_000 - 86_400_000)
    expect(rect.dueAt).toBeLessThan(now + 30 * 86_400_000)

    // A stricter policy published now governs the next bad rating, not this one.
    const published = await api(app, 'POST', '/api/policies/rating.rectification', {
      token: admin,
      body: { body: { badScoreMax: 3, deadlineWorkingDays: 2 } },
    })
    expect(published.status, JSON.stringify(published.body)).toBe(201)
    expect(
      (await api(app, 'GET', `/api/cases/${c.id}/rating`, { token: citizen })).body.rectification.policy,
    ).toBe('rating.rectification@1')
    const next = await finishedCase()
    const third = await api(app, 'POST', `/api/cases/${next.id}/rating`, {
      token: citizen,
      body: { score: 3 },
    })
    expect(third.body.rectification).toMatchObject({
      policy: `rating.rectification@${published.body.version}`,
    })
  })

  it('is replayed by the audit, which names a score edited in the table', async () => {
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    expect(clean.replay.byModule.ratings).toBeGreaterThanOrEqual(4)
    await app.database.db.updateTable('case_rating').set({ score: 5 }).where('score', '=', 2).execute()
    const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(report.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'case_rating', field: 'score', expected: 2, actual: 5 }),
    )
  })
})
