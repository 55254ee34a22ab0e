/**
 * Governance policies on both dialects: the demo province starts with version 1 of every kind; the
 * province administrator publishes a new version, validated against its schema and ledgered in full;
 * a version published for later governs only from then, so what was computed before keeps its
 * version; a city administrator may not publish; the audit names a policy edited in the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult } from '../../../shared/api.js'
import {
  applyOverrides,
  effectivePolicyId,
  governingVersion,
  overrideProblems,
  parsePolicyId,
  POLICY_KIND_NAMES,
  policyId,
  ruleFor,
} from './policy.model.js'

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

describe('overrides by a lower level', () => {
  const override = (regionCode: string, seq: number, values: { path: string; value: unknown }[]) =>
    ({
      id: `x:${regionCode}:${seq}`,
      kind: 'appeal.deadlines',
      regionCode,
      level: 'county',
      seq,
      values,
    }) as never
  const doc = {
    default: { respondDays: 2, resolveDays: 10 },
    byKind: { complaint: { respondDays: 1, resolveDays: 5 } },
  }

  it('allows only the declared fields at the declared levels, within their bounds', () => {
    expect(ruleFor('appeal.deadlines', '/byKind/complaint/resolveDays')?.bound).toBe('max')
    expect(ruleFor('appeal.deadlines', '/byKind/complaint')).toBeUndefined()
    expect(ruleFor('appeal.routing', '/fallback/level')).toBeUndefined()
    const ok = [{ path: '/default/resolveDays', value: 8 }]
    expect(overrideProblems('appeal.deadlines', 'county', doc, ok)).toEqual([])
    expect(
      overrideProblems('appeal.deadlines', 'county', doc, [{ path: '/default/resolveDays', value: 11 }]),
    ).toEqual([
      { path: '/body/values/0/value', message: 'may not exceed the inherited 10 (it may only be lowered)' },
    ])
    expect(
      overrideProblems('rating.rectification', 'street', { deadlineWorkingDays: 5 }, [
        { path: '/deadlineWorkingDays', value: 3 },
      ])[0]?.message,
    ).toMatch(/street may not override/)
    expect(
      overrideProblems('appeal.deadlines', 'county', doc, [
        { path: '/byKind/praise/resolveDays', value: 3 },
      ])[0]?.message,
    ).toMatch(/not in the policy/)
    expect(
      overrideProblems('appeal.deadlines', 'county', doc, [{ path: '/default/resolveDays', value: '3' }])[0]
        ?.path,
    ).toBe('/body/values/0/value')
  })

  it('applies the chain outermost first, and drops a value that no longer keeps its bound', () => {
    const city = override('4301', 1, [{ path: '/default/resolveDays', value: 8 }])
    const county = override('430102', 2, [
      { path: '/default/resolveDays', value: 6 },
      { path: '/byKind/complaint/resolveDays', value: 4 },
    ])
    const { document, applied } = applyOverrides('appeal.deadlines', doc, [city, county])
    expect(document).toEqual({
      default: { respondDays: 2, resolveDays: 6 },
      byKind: { complaint: { respondDays: 1, resolveDays: 4 } },
    })
    expect(doc.default.resolveDays).toBe(10)
    expect(effectivePolicyId('appeal.deadlines', 3, applied)).toBe('appeal.deadlines@3+4301.1+430102.2')
    expect(parsePolicyId('appeal.deadlines@3+4301.1+430102.2')).toEqual({
      kind: 'appeal.deadlines',
      version: 3,
      overrides: [
        { regionCode: '4301', seq: 1 },
        { regionCode: '430102', seq: 2 },
      ],
    })
    expect(parsePolicyId('appeal.deadlines@x')).toBeUndefined()
    // The province later sets 3 days: the county's 6 would lengthen it, so it no longer applies.
    const stricter = { ...doc, default: { respondDays: 1, resolveDays: 3 } }
    const after = applyOverrides('appeal.deadlines', stricter, [county])
    expect((after.document as typeof doc).default.resolveDays).toBe(3)
    expect((after.document as typeof doc).byKind.complaint.resolveDays).toBe(4)
  })
})

describe.each(DIALECTS)('policy types, versions and local overrides on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let cityAdmin: string
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
    cityAdmin = await login(app, 'admin.4301')
  })
  afterAll(() => app?.dispose())

  it('lists every kind with its id, type, current version and effective time; versions by id or type', async () => {
    const list = (await api(app, 'GET', '/api/policies', { token: admin })).body as {
      id: string
      type: string
      currentVersion: number
      effectiveAt: number
    }[]
    expect(list.map((p) => p.type)).toEqual(
      expect.arrayContaining([
        'routing',
        'time_limits',
        'escalation',
        'responsibility',
        'assessment',
        'promotion',
      ]),
    )
    for (const p of list)
      expect(p).toMatchObject({ id: expect.any(String), currentVersion: 1, effectiveAt: expect.any(Number) })
    const byType = await api(app, 'GET', '/api/policies/time_limits/versions', { token: admin })
    expect(byType.status, JSON.stringify(byType.body)).toBe(200)
    expect(byType.body[0]).toMatchObject({ kind: 'appeal.deadlines', version: 1 })
    expectError(await api(app, 'GET', '/api/policies/nothing/versions', { token: admin }), 404, 'NOT_FOUND')
  })

  it('lets the province data administrator publish a document; names each schema violation; refuses a city', async () => {
    const dataAdmin = await login(app, 'dataadmin')
    const now = app.services.clock.now()
    const res = await api(app, 'POST', '/api/policies/rectification/versions', {
      token: dataAdmin,
      body: { document: { badScoreMax: 2, deadlineWorkingDays: 4 }, effectiveAt: now },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ kind: 'rating.rectification', version: 2, effectiveAt: now })
    const bad = await api(app, 'POST', '/api/policies/rating.rectification/versions', {
      token: dataAdmin,
      body: { document: { badScoreMax: 9, deadlineWorkingDays: 4, extra: 1 } },
    })
    expectError(bad, 400, 'VALIDATION_FAILED')
    const paths = (bad.body.error.details as { path: string }[]).map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['/body/document/badScoreMax', '/body/document']))
    expectError(
      await api(app, 'POST', '/api/policies/rating.rectification/versions', {
        token: cityAdmin,
        body: { document: { badScoreMax: 2, deadlineWorkingDays: 3 } },
      }),
      403,
      'FORBIDDEN',
    )
  })

  it('lets a city shorten a time limit but not lengthen it; appeals there follow it and record it', async () => {
    const refused = await api(app, 'POST', '/api/policies/appeal.deadlines/overrides', {
      token: cityAdmin,
      body: { regionCode: '4301', values: [{ path: '/byKind/complaint/resolveDays', value: 9 }] },
    })
    expectError(refused, 400, 'VALIDATION_FAILED')
    expect(refused.body.error.details[0]).toMatchObject({ path: '/body/values/0/value' })
    expectError(
      await api(app, 'POST', '/api/policies/appeal.routing/overrides', {
        token: cityAdmin,
        body: { regionCode: '4301', values: [{ path: '/fallback/level', value: 'city' }] },
      }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(app, 'POST', '/api/policies/appeal.deadlines/overrides', {
        token: cityAdmin,
        body: { regionCode: '4302', values: [{ path: '/byKind/complaint/resolveDays', value: 3 }] },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/policies/appeal.deadlines/overrides', {
        token: admin,
        body: { regionCode: '43', values: [{ path: '/byKind/complaint/resolveDays', value: 3 }] },
      }),
      400,
      'VALIDATION_FAILED',
    )
    const made = await api(app, 'POST', '/api/policies/appeal.deadlines/overrides', {
      token: cityAdmin,
      body: {
        regionCode: '4301',
        values: [{ path: '/byKind/complaint/resolveDays', value: 3 }],
        note: '星城市承诺三日办结',
      },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body).toMatchObject({ id: 'appeal.deadlines:4301:1', level: 'city', seq: 1, retiredAt: null })

    const effective = await api(app, 'GET', '/api/policies/appeal.deadlines/effective?region=430101001', {
      token: cityAdmin,
    })
    expect(effective.body).toMatchObject({
      policy: 'appeal.deadlines@1+4301.1',
      overrides: ['appeal.deadlines:4301:1'],
      document: { byKind: { complaint: { resolveDays: 3 } } },
    })
    const elsewhere = await api(app, 'GET', '/api/policies/appeal.deadlines/effective?region=4302', {
      token: cityAdmin,
    })
    expect(elsewhere.body).toMatchObject({
      policy: 'appeal.deadlines@1',
      document: { byKind: { complaint: { resolveDays: 5 } } },
    })
    const kind = (await api(app, 'GET', '/api/policies/appeal.deadlines', { token: admin })).body
    expect(kind.overrides).toEqual([
      expect.objectContaining({ regionCode: '4301', regionName: expect.any(String) }),
    ])
    expect(kind.overrideRules.length).toBeGreaterThan(0)

    // An appeal filed in the city: three working days, and the override named with the result.
    const citizen = await login(app, 'citizen.demo')
    const filed = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: {
        kind: 'complaint',
        category: 'market/pricing',
        text: '超市价签与结算价不一致',
        regionCode: '430101001',
      },
    })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    const appeal = (await api(app, 'GET', `/api/appeals/${filed.body.id}`, { token: citizen })).body
    expect(appeal.deadlinePolicy).toBe('appeal.deadlines@1+4301.1')
    const days = app.services.appeals.calendar.workingDaysBetween(appeal.createdAt, appeal.resolveDueAt)
    expect(days).toBe(3)

    // Retired: the city inherits the province's five days again; the appeal keeps what it was given.
    const retired = await api(
      app,
      'POST',
      `/api/policies/appeal.deadlines/overrides/${made.body.id}/retire`,
      { token: cityAdmin },
    )
    expect(retired.status, JSON.stringify(retired.body)).toBe(200)
    expect(retired.body.retiredAt).toEqual(expect.any(Number))
    expect(
      (await api(app, 'GET', '/api/policies/appeal.deadlines/effective?region=4301', { token: cityAdmin }))
        .body.policy,
    ).toBe('appeal.deadlines@1')
    expect(
      (await api(app, 'GET', `/api/appeals/${filed.body.id}`, { token: citizen })).body.resolveDueAt,
    ).toBe(appeal.resolveDueAt)
  })

  it('is replayed by the audit, which names an override edited in the table', async () => {
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    await app.database.db
      .updateTable('policy_override')
      .set({ overrides: JSON.stringify([{ path: '/byKind/complaint/resolveDays', value: 1 }]) })
      .execute()
    const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(report.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'policy_override', field: 'values' }),
    )
  })
})

describe.each(DIALECTS)('the holiday calendar as a policy on %s', (dialect) => {
  let app: TestApp
  let admin: string
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
  })
  afterAll(() => app?.dispose())

  it('governs every time limit from its effective time; a calendar that is not one is refused', async () => {
    const calendar = app.services.policies.calendar
    const current = (await api(app, 'GET', '/api/policies/holidays', { token: admin })).body
    expect(current).toMatchObject({ kind: 'calendar.holidays', type: 'holidays', currentVersion: 1 })
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false)

    // A provincial day off on a working Monday at least a week ahead, published now.
    const now = app.services.clock.now()
    let monday = now + 7 * 86_400_000
    const weekday = (t: number) => new Date(t + 8 * 3_600_000).getUTCDay()
    while (weekday(monday) !== 1 || !calendar.isWorkingDay(monday)) monday += 86_400_000
    const day = calendar.localDate(monday)
    const friday = Date.parse(`${calendar.localDate(monday - 3 * 86_400_000)}T10:00:00+08:00`)
    expect(calendar.isWorkingDay(day)).toBe(true)
    const dueBefore = calendar.addWorkingDays(friday, 1)
    const years = structuredClone(current.current.body.years) as {
      year: number
      status: string
      periods: { name: string; zh: string; from: string; to: string; makeupWorkdays: string[] }[]
    }[]
    const year = Number(day.slice(0, 4))
    let schedule = years.find((y) => y.year === year)
    if (!schedule) years.push((schedule = { year, status: 'official', periods: [] }))
    schedule.periods.push({ name: 'Provincial day', zh: '省庆日', from: day, to: day, makeupWorkdays: [] })
    const res = await api(app, 'POST', '/api/policies/holidays/versions', {
      token: admin,
      body: { document: { years }, note: '潇湘省庆日放假一天' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(calendar.isWorkingDay(day)).toBe(false)
    // From the Friday before, one working day now ends on Tuesday, not Monday.
    expect(calendar.addWorkingDays(friday, 1)).toBe(dueBefore + 86_400_000)
    // A due time counted from before the version took effect stays what version 1 gives.
    expect(calendar.versionAt(now - 1000)?.version).toBe(1)
    expect(calendar.versionAt(now + 1000)?.version).toBe(2)

    // Every due time counted from now on names the schedules that counted it: the case's promised date
    // and each step's, and an appeal's deadlines.
    expect(calendar.policyRef).toBe('calendar.holidays@2')
    const citizen = await login(app, 'citizen.demo')
    const submitted = await caseFinisher(app, 't.calendar', { citizen, admin }).finishedCase()
    const at = submitted.timeline.find((s) => s.node === 'submit')!.ledger!
    const last = Math.max(...submitted.timeline.map((s) => s.ledger?.index ?? 0))
    const leaves = (await app.services.ledger.entries(at.log, at.index, last + 1))
      .map((e) => Buffer.from(e.leaf, 'base64').toString('utf8'))
      .filter((l) => l.includes(submitted.id))
    const dated = leaves.filter((l) => /"(case\.submitted|task\.created)"/.test(l))
    expect(dated.length, leaves.join('\n')).toBeGreaterThanOrEqual(2)
    for (const l of dated) expect(l).toContain('"calendar":"calendar.holidays@2"')

    // Loaded again (another process starting): the same versions.
    calendar.use([])
    expect(calendar.isWorkingDay(day)).toBe(true)
    await app.services.policies.loadCalendar()
    expect(calendar.isWorkingDay(day)).toBe(false)

    const weekdayMakeup = structuredClone(years)
    weekdayMakeup[0]!.periods[0]!.makeupWorkdays = ['2025-01-02']
    const bad = await api(app, 'POST', '/api/policies/calendar.holidays/versions', {
      token: admin,
      body: { document: { years: weekdayMakeup } },
    })
    expectError(bad, 400, 'VALIDATION_FAILED')
    expect(bad.body.error.message).toMatch(/not a Saturday or Sunday/)
    const backwards = structuredClone(years)
    backwards[0]!.periods[0]!.to = '2024-12-31'
    expectError(
      await api(app, 'POST', '/api/policies/calendar.holidays/versions', {
        token: admin,
        body: { document: { years: backwards } },
      }),
      400,
      'VALIDATION_FAILED',
    )
  })
})
