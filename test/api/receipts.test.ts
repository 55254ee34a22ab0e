/**
 * Who may read a case's receipts (issue 9): exactly who may read the case (`case.receipt` is the rule
 * of `case.read`), and a staff member's read is a recorded data access like a case read. Before, any
 * official in the case's region could download them, unrecorded, while the case answered 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseView } from '../../src/shared/api.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import { DIALECTS, createTestApp, type TestApp } from '../support/db.js'
import { api, expectError, login } from '../support/http.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

interface OwnAccess {
  staffId: string
  caseId: string
  what: string
  flagged: boolean
}

describe.each(DIALECTS)('case receipts (%s)', (dialect) => {
  let app: TestApp
  let citizen: string
  let caseId: string
  /** A clerk of the department whose acceptance task is open on the case. */
  let handler: { token: string; id: string }

  const receipt = (token?: string) =>
    api(app, 'GET', `/api/cases/${caseId}/receipt`, token === undefined ? {} : { token })
  const accesses = async (): Promise<OwnAccess[]> =>
    (await api(app, 'GET', '/api/me/data-access', { token: citizen })).body as OwnAccess[]
  const receiptReads = async (staffId: string): Promise<OwnAccess[]> =>
    (await accesses()).filter(
      (a) => a.caseId === caseId && a.staffId === staffId && a.what === 'case.receipt',
    )

  beforeAll(async () => {
    app = await createTestApp(dialect)
    citizen = await login(app, 'citizen.demo')
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'RESIDENCE_PERMIT',
        data: merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!),
        channel: 'online',
      },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const view = submitted.body as CaseView
    caseId = view.id
    const step = view.timeline.find((s) => s.node !== 'submit' && s.completedAt === null)!
    const created = await api(app, 'POST', '/api/staff', {
      token: await login(app, 'admin'),
      body: {
        username: 'receipt.clerk',
        password: 'test-password',
        name: '窗口受理员',
        departmentId: step.departmentId,
        roles: ['clerk'],
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    handler = { token: await login(app, 'receipt.clerk', 'test-password'), id: created.body.id as string }
  }, 120_000)
  afterAll(() => app?.dispose())

  it('refuses an official of the region without a task, as the case does', async () => {
    for (const username of ['official.demo', 'supervisor.demo', 'dataadmin']) {
      const token = await login(app, username)
      expectError(await api(app, 'GET', `/api/cases/${caseId}`, { token }), 403, 'FORBIDDEN')
      const res = await receipt(token)
      expectError(res, 403, 'FORBIDDEN')
      expect(res.body.error.details).toMatchObject({ permission: 'case.receipt' })
    }
    // Overseers of another city neither.
    expectError(await receipt(await login(app, 'admin.4302')), 403, 'FORBIDDEN')
    expectError(await receipt(), 401, 'UNAUTHENTICATED')
  })

  it('gives the applicant their receipts, and records nothing for them', async () => {
    const before = (await accesses()).length
    const res = await receipt(citizen)
    expect(res.status).toBe(200)
    expect(res.body.caseId).toBe(caseId)
    expect(res.body.entries.map((e: { type: string }) => e.type)).toContain('case.submitted')
    expect((await accesses()).length).toBe(before)
  })

  it('gives a handler the receipts and records the read as a data access', async () => {
    expect(await receiptReads(handler.id)).toEqual([])
    const res = await receipt(handler.token)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.entries.length).toBeGreaterThan(0)
    // Their task is open: recorded, not flagged.
    expect(await receiptReads(handler.id)).toEqual([expect.objectContaining({ flagged: false })])
  })

  it("gives the region's overseer the receipts, recorded and flagged (no open task)", async () => {
    const overseer = await login(app, 'admin.4301')
    const me = (await api(app, 'GET', '/api/auth/me', { token: overseer })).body as { id: string }
    expect((await receipt(overseer)).status).toBe(200)
    expect(await receiptReads(me.id)).toEqual([expect.objectContaining({ flagged: true })])
    const flagged = await api(app, 'GET', '/api/data-access/flagged', { token: overseer })
    expect(
      (flagged.body as { caseId: string; what: string }[]).some(
        (a) => a.caseId === caseId && a.what === 'case.receipt',
      ),
    ).toBe(true)
  })

  it('has no HEAD twin that would read without recording', async () => {
    const res = await app.server.inject({
      method: 'HEAD',
      url: `/api/cases/${caseId}/receipt`,
      headers: { authorization: `Bearer ${handler.token}` },
    })
    expect(res.statusCode).toBe(404)
  })

  it('keeps the audit clean: every recorded read replays', async () => {
    expect((await app.services.audit.replay()).differences).toEqual([])
  })
})
