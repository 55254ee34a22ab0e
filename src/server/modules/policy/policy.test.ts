/**
 * Governance policies on both dialects: the demo province starts with version 1 of every kind; the
 * province administrator publishes a new version, validated against its schema and ledgered in full;
 * a version published for later governs only from then, so what was computed before keeps its
 * version; a city administrator may not publish; the audit names a policy edited in the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult } from '../../../shared/api.js'
import { governingVersion, POLICY_KIND_NAMES, policyId } from './policy.model.js'

describe('which version governs', () => {
  const v = (version: number, effectiveAt: number) => ({ version, effectiveAt })
  it('is the latest published of those in effect', () => {
    const all = [v(1, 0), v(2, 100), v(3, 50)]
    expect(governingVersion(all, 10)?.version).toBe(1)
    expect(governingVersion(all, 60)?.version).toBe(3)
    expect(governingVersion(all, 100)?.version).toBe(3)
    expect(governingVersion([v(1, 100)], 10)).toBeUndefined()
    expect(policyId('appeal.routing', 2)).toBe('appeal.routing@2')
  })
})

describe.each(DIALECTS)('governance policies on %s', (dialect) => {
  let app: TestApp
  let admin: string
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
  })
  afterAll(() => app?.dispose())

  it('starts the demo province with version 1 of every kind, readable by anyone signed in', async () => {
    const citizen = await login(app, 'citizen.demo')
    const res = await api(app, 'GET', '/api/policies', { token: citizen })
    expect(res.status).toBe(200)
    expect(res.body.map((k: { kind: string }) => k.kind).sort()).toEqual([...POLICY_KIND_NAMES].sort())
    for (const k of res.body) expect(k.current).toMatchObject({ version: 1, ledger: { log: '43' } })
    expectError(await api(app, 'GET', '/api/policies'), 401, 'UNAUTHENTICATED')
  })

  it('publishes a validated version in the ledger; one for later governs only from then', async () => {
    const before = (await api(app, 'GET', '/api/policies/rating.rectification', { token: admin })).body
    const now = app.services.clock.now()
    const later = now + 7 * 86_400_000
    const res = await api(app, 'POST', '/api/policies/rating.rectification', {
      token: admin,
      body: {
        body: { badScoreMax: 2, deadlineWorkingDays: 3 },
        effectiveAt: later,
        note: '整改时限缩短为3个工作日',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ version: before.versions + 1, effectiveAt: later })
    // Until it takes effect the old version governs (what is computed now records that one).
    expect((await app.services.policies.governing('rating.rectification')).version).toBe(
      before.current.version,
    )
    expect((await app.services.policies.governing('rating.rectification', later)).version).toBe(
      res.body.version,
    )
    // The ledger holds the whole body, and its digest.
    const [entry] = await app.services.ledger.entries(
      res.body.ledger.log,
      res.body.ledger.index,
      res.body.ledger.index + 1,
    )
    const leaf = JSON.parse(Buffer.from(entry!.leaf, 'base64').toString('utf8'))
    expect(leaf).toMatchObject({
      type: 'policy.published',
      data: { version: res.body.version, digest: res.body.digest, body: { deadlineWorkingDays: 3 } },
    })
    const one = await api(app, 'GET', `/api/policies/rating.rectification/${res.body.version}`, {
      token: admin,
    })
    expect(one.body).toEqual(res.body)
  })

  it('refuses a body that fails the schema, an effective time in the past, an unknown kind, and a city administrator', async () => {
    const bad = await api(app, 'POST', '/api/policies/appeal.routing', {
      token: admin,
      body: {
        body: { rules: [{ id: 'x', to: { departmentKind: 'no-such-kind', level: 'city' } }], fallback: {} },
      },
    })
    expectError(bad, 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(bad.body.error.details)).toContain('/body/body/rules/0/to/departmentKind')
    expectError(
      await api(app, 'POST', '/api/policies/rating.rectification', {
        token: admin,
        body: {
          body: { badScoreMax: 2, deadlineWorkingDays: 5 },
          effectiveAt: app.services.clock.now() - 86_400_000,
        },
      }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(await api(app, 'GET', '/api/policies/no.such.kind', { token: admin }), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/policies/appeal.routing/999', { token: admin }), 404, 'NOT_FOUND')
    const city = await login(app, 'admin.4301')
    expectError(
      await api(app, 'POST', '/api/policies/rating.rectification', {
        token: city,
        body: { body: { badScoreMax: 2, deadlineWorkingDays: 5 } },
      }),
      403,
      'FORBIDDEN',
    )
  })

  it('is replayed by the audit, which names a policy edited in the table', async () => {
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    expect(clean.replay.byModule.policies).toBeGreaterThanOrEqual(POLICY_KIND_NAMES.length)
    const db = app.database.db
    await db
      .updateTable('policy_version')
      .set({ body: JSON.stringify({ badScoreMax: 4, deadlineWorkingDays: 60 }) })
      .where('kind', '=', 'rating.rectification')
      .where('version', '=', 1)
      .execute()
    const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(report.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'policy_version', key: 'rating.rectification@1', field: 'body' }),
    )
  })
})
