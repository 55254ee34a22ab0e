/**
 * The organisation evaluation (组织评价) on both dialects: the province's organisation department
 * enters an official's score for a period and corrects it (each revision ledgered), the official sees
 * their own, nobody else's region or themselves; the score becomes the promotion index's organisation
 * part; the audit names a score raised in the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult } from '../../../shared/api.js'

describe.each(DIALECTS)('organisation evaluations on %s', (dialect) => {
  let app: TestApp
  let orgdept: string
  let officialId: string
  const year = String(new Date().getUTCFullYear())

  beforeAll(async () => {
    app = await createTestApp(dialect)
    orgdept = await login(app, 'orgdept.demo')
    officialId = (await api(app, 'GET', '/api/auth/me', { token: await login(app, 'official.demo') })).body.id
  })
  afterAll(() => app?.dispose())

  it('is entered and corrected by the organisation department, each revision ledgered', async () => {
    const first = await api(app, 'POST', '/api/assessment/org-evaluations', {
      token: orgdept,
      body: { staffId: officialId, period: year, score: 82, comment: '工作扎实，群众评价好' },
    })
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    expect(first.body).toMatchObject({ staffId: officialId, period: year, score: 82, revision: 1 })
    const [entry] = await app.services.ledger.entries(
      first.body.ledger.log,
      first.body.ledger.index,
      first.body.ledger.index + 1,
    )
    const leaf = Buffer.from(entry!.leaf, 'base64').toString('utf8')
    expect(leaf).toContain('assessment.org_evaluated')
    expect(leaf).not.toContain('扎实')
    const second = await api(app, 'POST', '/api/assessment/org-evaluations', {
      token: orgdept,
      body: { staffId: officialId, period: year, score: 86 },
    })
    expect(second.body).toMatchObject({ score: 86, revision: 2, comment: null })

    // The official sees their own; not someone else's.
    const official = await login(app, 'official.demo')
    const own = await api(app, 'GET', '/api/assessment/org-evaluations', { token: official })
    expect(own.status, JSON.stringify(own.body)).toBe(200)
    expect(own.body).toEqual([expect.objectContaining({ staffId: officialId, score: 86, revision: 2 })])
    const orgdeptId = (await api(app, 'GET', '/api/auth/me', { token: orgdept })).body.id
    expectError(
      await api(app, 'GET', `/api/assessment/org-evaluations?staffId=${orgdeptId}`, { token: official }),
      403,
      'FORBIDDEN',
    )
    const listed = await api(app, 'GET', `/api/assessment/org-evaluations?period=${year}`, { token: orgdept })
    expect(listed.body.map((e: { staffId: string }) => e.staffId)).toContain(officialId)
  })

  it('refuses one’s own, another region’s, a period not begun, and a bad score', async () => {
    const orgdeptId = (await api(app, 'GET', '/api/auth/me', { token: orgdept })).body.id
    expectError(
      await api(app, 'POST', '/api/assessment/org-evaluations', {
        token: orgdept,
        body: { staffId: orgdeptId, period: year, score: 100 },
      }),
      403,
      'FORBIDDEN',
    )
    // Another city's organisation department does not reach an official of 4301.
    const otherCity = await login(app, 'u4302org001')
    expectError(
      await api(app, 'POST', '/api/assessment/org-evaluations', {
        token: otherCity,
        body: { staffId: officialId, period: year, score: 50 },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/assessment/org-evaluations', {
        token: await login(app, 'official.demo'),
        body: { staffId: orgdeptId, period: year, score: 50 },
      }),
      403,
      'FORBIDDEN',
    )
    for (const body of [
      { staffId: officialId, period: `${Number(year) + 1}`, score: 50 },
      { staffId: officialId, period: '2026-Q5', score: 50 },
      { staffId: officialId, period: year, score: 101 },
    ])
      expectError(
        await api(app, 'POST', '/api/assessment/org-evaluations', { token: orgdept, body }),
        400,
        'VALIDATION_FAILED',
      )
    expectError(
      await api(app, 'POST', '/api/assessment/org-evaluations', {
        token: orgdept,
        body: { staffId: 'no-such-staff', period: year, score: 50 },
      }),
      404,
      'NOT_FOUND',
    )
  })

  it('is the promotion index’s organisation part, and the audit names a score raised in the table', async () => {
    const rows = await api(
      app,
      'GET',
      `/api/assessment/scorecards?level=official&region=4301&period=${year}`,
      {
        token: orgdept,
      },
    )
    expect(rows.status, JSON.stringify(rows.body)).toBe(200)
    const row = rows.body.find((r: { subject: { id: string } }) => r.subject.id === officialId)
    expect(row.promotionParts.organisation).toBe(86)
    expect(row.promotionMissing).not.toContain('organisation')
    // A quarter without its own evaluation uses the year's.
    const quarter = await api(
      app,
      'GET',
      `/api/assessment/scorecards?level=official&region=4301&period=${year}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`,
      {
        token: orgdept,
      },
    )
    expect(quarter.status, JSON.stringify(quarter.body)).toBe(200)
    expect(
      quarter.body.find((r: { subject: { id: string } }) => r.subject.id === officialId).promotionParts
        .organisation,
    ).toBe(86)

    const admin = await login(app, 'admin')
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    await app.database.db.updateTable('org_evaluation').set({ score: 99 }).execute()
    const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(report.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'org_evaluation', field: 'score', expected: 86, actual: 99 }),
    )
  })
})
