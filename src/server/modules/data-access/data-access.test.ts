/**
 * Flagged data accesses reach the right supervisors and nobody else: an official who opens a case
 * without an open task on it is flagged to their own department's supervisor (and to administrators
 * and auditors over their region), whose one verdict is recorded in the ledger and shown to the
 * citizen; the audit names a flag deleted or a verdict changed behind the service. Both storage modes.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, createTestDatabase, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { loadConfig } from '../../config.js'
import { openDatabase } from '../../db/database.js'
import { MIGRATIONS, MIGRATION_NAMES, migrateToLatest } from '../../db/migrate.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { FlaggedAccess } from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import type { DemoCitizen } from '../sim/demo.model.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]
const MARKET = '4301-market_regulation'

describe.each(DIALECTS)('flagged data accesses on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let citizen: string
  /** Supervisors of the market regulation bureau (supervisor.demo) and of the tax bureau. */
  let supervisor: string
  let otherSupervisor: string
  /**
   * A leader of the market regulation bureau: a region overseer who opens a case without a task on it
   * (a supervisor oversees only their department's cases, so cannot look at all).
   */
  let overseer: { token: string; id: string }
  let caseId: string

  const flagged = async (
    token: string,
    query = '',
  ): Promise<{ status: number; items: FlaggedAccess[]; total: number }> => {
    const res = await api(app, 'GET', `/api/data-access/flagged${query}`, { token })
    return {
      status: res.status,
      items: res.body as FlaggedAccess[],
      total: Number(res.headers['x-total-count']),
    }
  }

  const staff = async (
    username: string,
    departmentId: string,
    roles: string[],
  ): Promise<{ token: string; id: string }> => {
    const res = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: { username, password: 'test-password', name: `监督${username.slice(-1)}`, departmentId, roles },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return { token: await login(app, username, 'test-password'), id: res.body.id as string }
  }

  beforeAll(async () => {
    app = await createTestApp(dialect)
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
    supervisor = await login(app, 'supervisor.demo')
    otherSupervisor = (await staff('flag.sup.t', '4301-tax', ['supervisor'])).token
    overseer = await staff('flag.lead.m', MARKET, ['leader'])
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    caseId = submitted.body.id as string
    // A supervisor without a task of their department on the case is refused: they oversee their
    // department, not the region.
    expectError(await api(app, 'GET', `/api/cases/${caseId}`, { token: supervisor }), 403, 'FORBIDDEN')
    // The market regulation bureau has no task on a residence permit: this look is flagged.
    expect((await api(app, 'GET', `/api/cases/${caseId}`, { token: overseer.token })).status).toBe(200)
  })
  afterAll(() => app?.dispose())

  it('shows the flag to the official’s own supervisor and to overseers of their region only', async () => {
    const mine = await flagged(supervisor)
    expect(mine.status).toBe(200)
    const item = mine.items.find((a) => a.caseId === caseId)
    expect(item).toMatchObject({
      staff: { id: overseer.id, name: '监督m', departmentId: MARKET },
      citizenId: expect.any(String),
      matterCode: 'RESIDENCE_PERMIT',
      matterName: expect.any(String),
      what: '*',
      at: expect.any(Number),
      ledger: { log: '4301', index: expect.any(Number) },
      review: null,
    })
    expect(mine.total).toBeGreaterThanOrEqual(1)
    // The citizen is named by id only.
    expect(JSON.stringify(item)).not.toContain(citizenDemo.name)

    expect((await flagged(otherSupervisor)).items.find((a) => a.caseId === caseId)).toBeUndefined()
    expect(
      (await flagged(await login(app, 'admin.4302'))).items.find((a) => a.caseId === caseId),
    ).toBeUndefined()
    expect(
      (await flagged(await login(app, 'admin.4301'))).items.find((a) => a.caseId === caseId),
    ).toBeDefined()
    expect(
      (await flagged(await login(app, 'auditor.4301'))).items.find((a) => a.caseId === caseId),
    ).toBeDefined()
    expect((await flagged(admin)).items.find((a) => a.caseId === caseId)).toBeDefined()
  })

  it('refuses officials and citizens, and bad queries, in the one error shape', async () => {
    expectError(
      await api(app, 'GET', '/api/data-access/flagged', { token: await login(app, 'official.demo') }),
      403,
      'FORBIDDEN',
    )
    expectError(await api(app, 'GET', '/api/data-access/flagged', { token: citizen }), 403, 'FORBIDDEN')
    expectError(await api(app, 'GET', '/api/data-access/flagged'), 401, 'UNAUTHENTICATED')
    expectError(
      await api(app, 'GET', '/api/data-access/flagged?status=closed', { token: supervisor }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(app, 'GET', '/api/data-access/flagged?limit=0', { token: supervisor }),
      400,
      'VALIDATION_FAILED',
    )
    const id = (await flagged(supervisor)).items.find((a) => a.caseId === caseId)!.id
    expectError(
      await api(app, 'POST', `/api/data-access/${id}/review`, {
        token: await login(app, 'official.demo'),
        body: { verdict: 'justified' },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', `/api/data-access/${id}/review`, {
        token: otherSupervisor,
        body: { verdict: 'justified' },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', `/api/data-access/${id}/review`, {
        token: await login(app, 'admin.4302'),
        body: { verdict: 'justified' },
      }),
      403,
      'FORBIDDEN',
    )
    // Auditors watch the judging; they do not judge.
    expectError(
      await api(app, 'POST', `/api/data-access/${id}/review`, {
        token: await login(app, 'auditor.4301'),
        body: { verdict: 'justified' },
      }),
      403,
      'FORBIDDEN',
    )
    // Nobody judges their own look.
    expectError(
      await api(app, 'POST', `/api/data-access/${id}/review`, {
        token: overseer.token,
        body: { verdict: 'justified' },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', `/api/data-access/${id}/review`, {
        token: supervisor,
        body: { verdict: 'maybe' },
      }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(app, 'POST', '/api/data-access/no-such-access/review', {
        token: supervisor,
        body: { verdict: 'justified' },
      }),
      404,
      'NOT_FOUND',
    )
  })

  it('records one verdict in the ledger, refuses a second, and shows it to the citizen', async () => {
    const before = await flagged(supervisor)
    const item = before.items.find((a) => a.caseId === caseId)!
    const note = '未经授权查看，已约谈当事人。'
    const res = await api(app, 'POST', `/api/data-access/${item.id}/review`, {
      token: supervisor,
      body: { verdict: 'unjustified', note: `  ${note} ` },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const reviewed = res.body as FlaggedAccess
    expect(reviewed.review).toMatchObject({
      verdict: 'unjustified',
      note,
      reviewedAt: expect.any(Number),
      reviewer: { name: expect.any(String) },
      ledger: { log: '4301' },
    })

    // The event: subject the case, the note only as a commitment.
    const entry = await api(app, 'GET', `/api/ledger/4301/entries/${reviewed.review!.ledger!.index}`)
    expect(entry.status).toBe(200)
    expect(entry.body.leaf).toMatchObject({
      type: 'data.access_reviewed',
      subject: `case:${caseId}`,
      data: {
        access: item.id,
        accessed: item.ledger,
        verdict: 'unjustified',
        note: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      },
    })
    expect(JSON.stringify(entry.body.leaf)).not.toContain(note)

    expectError(
      await api(app, 'POST', `/api/data-access/${item.id}/review`, {
        token: supervisor,
        body: { verdict: 'justified' },
      }),
      409,
      'CONFLICT',
    )
    expectError(
      await api(app, 'POST', `/api/data-access/${item.id}/review`, {
        token: await login(app, 'admin.4301'),
        body: { verdict: 'justified' },
      }),
      409,
      'CONFLICT',
    )

    // Open by default; the reviewed list and `all` have it.
    expect((await flagged(supervisor)).items.find((a) => a.id === item.id)).toBeUndefined()
    expect((await flagged(supervisor)).total).toBe(before.total - 1)
    expect(
      (await flagged(supervisor, '?status=reviewed')).items.find((a) => a.id === item.id)?.review?.verdict,
    ).toBe('unjustified')
    expect(
      (await flagged(supervisor, '?status=all&limit=200')).items.find((a) => a.id === item.id),
    ).toBeDefined()

    const mine = (await api(app, 'GET', '/api/me/data-access', { token: citizen })).body as {
      caseId: string
      flagged: boolean
      review: unknown
    }[]
    const seen = mine.filter((a) => a.caseId === caseId && a.flagged)
    expect(seen).toEqual([
      expect.objectContaining({
        review: { verdict: 'unjustified', reviewedAt: reviewed.review!.reviewedAt },
      }),
    ])
  })

  it('pages with limit and offset, the total unchanged', async () => {
    // Two more flagged looks by the overseer.
    await api(app, 'GET', `/api/cases/${caseId}`, { token: overseer.token })
    await api(app, 'GET', `/api/cases/${caseId}`, { token: overseer.token })
    const all = await flagged(supervisor, '?status=all')
    expect(all.total).toBeGreaterThanOrEqual(3)
    const first = await flagged(supervisor, '?status=all&limit=1')
    const second = await flagged(supervisor, '?status=all&limit=1&offset=1')
    expect(first.total).toBe(all.total)
    expect([first.items[0]!.id, second.items[0]!.id]).toEqual(all.items.slice(0, 2).map((a) => a.id))
    expect(all.items.map((a) => a.at)).toEqual([...all.items.map((a) => a.at)].sort((a, b) => b - a))
  })

  it('the audit replays accesses and reviews and names a flag or verdict changed behind the service', async () => {
    const clean = await app.services.audit.replay()
    expect(clean.differences).toEqual([])
    expect(clean.byModule['data-access']).toBeGreaterThanOrEqual(4)
    const db = app.database.db
    const [reviewed] = (
      await sql<{
        id: string
        ledger_log: string
        ledger_index: number
      }>`select id, ledger_log, ledger_index from data_access where reviewed_at is not null limit 1`.execute(
        db,
      )
    ).rows
    const [open] = (
      await sql<{
        id: string
        ledger_log: string
        ledger_index: number
      }>`select id, ledger_log, ledger_index from data_access where flagged = 1 and reviewed_at is null limit 1`.execute(
        db,
      )
    ).rows
    await sql`update data_access set review_verdict = 'justified' where id = ${reviewed!.id}`.execute(db)
    await sql`delete from data_access where id = ${open!.id}`.execute(db)
    const report = await app.services.audit.replay()
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          table: 'data_access',
          key: `${reviewed!.ledger_log}#${Number(reviewed!.ledger_index)}`,
          problem: 'differs',
          field: 'review',
        }),
        expect.objectContaining({
          table: 'data_access',
          key: `${open!.ledger_log}#${Number(open!.ledger_index)}`,
          problem: 'missing',
        }),
      ]),
    )
  })
})

describe.each(DIALECTS)('the access review migration on %s', (dialect) => {
  it('backfills the official’s department and region into accesses recorded before it, and undoes cleanly', async () => {
    const target = await createTestDatabase(dialect, true)
    const database = await openDatabase(loadConfig({ XZT_LOG_LEVEL: 'silent', ...target.env }))
    try {
      const db = database.db
      // The database as it was before this migration shipped: undo it and those after it, and forget
      // they ran.
      for (const name of [...MIGRATION_NAMES].reverse().filter((n) => n >= '20261128030000_access_review'))
        await MIGRATIONS[name]!.down!(db)
      await sql`delete from kysely_migration where name >= '20261128030000_access_review'`.execute(db)
      const [official] = (
        await sql<{
          account_id: string
          department_id: string
        }>`select account_id, department_id from staff where account_id = (select id from account where username = 'official.demo')`.execute(
          db,
        )
      ).rows
      await sql`insert into data_access (id, citizen_id, staff_id, case_id, what, at, flagged, ledger_log, ledger_index) values ('legacy', 'c', ${official!.account_id}, 'k', '*', 1, 1, '4301', 0)`.execute(
        db,
      )
      expect(await migrateToLatest(db)).toEqual(
        MIGRATION_NAMES.filter((n) => n >= '20261128030000_access_review'),
      )
      const [row] = (
        await sql<{
          department_id: string
          region_code: string
          reviewed_at: number | null
        }>`select department_id, region_code, reviewed_at from data_access where id = 'legacy'`.execute(db)
      ).rows
      expect(row).toEqual({ department_id: MARKET, region_code: '4301', reviewed_at: null })
    } finally {
      await database.close()
      await target.drop()
    }
  })
})
