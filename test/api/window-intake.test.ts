/**
 * Window service across cities (跨域通办, issue 9): a window clerk may submit and upload for any
 * citizen of the province, but which of the citizen's values differ from the authoritative records
 * reaches only the applicant and the departments handling the case (`case.read_discrepancies`); the
 * clerk learns that the data does not match (`recordMismatch`). The comparison is a recorded data
 * access, flagged when the clerk's department does not handle the case; the public ledger carries only
 * a commitment to the discrepancies.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseView } from '../../src/shared/api.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoCitizen } from '../../src/server/modules/sim/demo.model.js'
import { DIALECTS, createTestApp, type TestApp } from '../support/db.js'
import { api, expectError, login } from '../support/http.js'

const province = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
const citizens: DemoCitizen[] = [...province.citizens(1000)].flat()
/** citizen.demo lives in the street of clerk.demo's service centre (430101001). */
const local = citizens[0]!
/** A citizen of another city (潇江市, 4302). */
const remote = citizens.find((c) => c.regionCode.startsWith('4302'))!
const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

interface OwnAccess {
  staffId: string
  caseId: string
  what: string
  flagged: boolean
}

describe.each(DIALECTS)('window intake across cities (%s)', (dialect) => {
  let app: TestApp
  let clerk: string
  let clerkId: string

  /** The form as the citizen's documents give it (their own prefill), with a name that differs. */
  async function formOf(c: DemoCitizen, token: string, name?: string): Promise<Record<string, unknown>> {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token })
    expect(prefill.status).toBe(200)
    const data = merge(prefill.body.data, typed(c).RESIDENCE_PERMIT!)
    return name === undefined ? data : merge(data, { applicant: { name } })
  }
  const idOf = async (token: string): Promise<string> =>
    ((await api(app, 'GET', '/api/auth/me', { token })).body as { id: string }).id
  const accessesOf = async (token: string, caseId: string): Promise<OwnAccess[]> =>
    ((await api(app, 'GET', '/api/me/data-access', { token })).body as OwnAccess[]).filter(
      (a) => a.caseId === caseId,
    )

  beforeAll(async () => {
    app = await createTestApp(dialect)
    clerk = await login(app, 'clerk.demo')
    clerkId = await idOf(clerk)
  }, 120_000)
  afterAll(() => app?.dispose())

  describe('a clerk of 4301 for a citizen of 4302', () => {
    let citizen: string
    let view: CaseView

    beforeAll(async () => {
      citizen = await login(app, remote.username)
      const res = await api(app, 'POST', '/api/cases', {
        token: clerk,
        body: {
          matterCode: 'RESIDENCE_PERMIT',
          channel: 'window',
          applicantId: await idOf(citizen),
          data: await formOf(remote, citizen, `${remote.name}改`),
        },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      view = res.body as CaseView
    })

    it('is allowed (跨域通办): the case belongs to the citizen’s own region', () => {
      expect(view.channel).toBe('window')
      expect(view.regionCode.startsWith('4302')).toBe(true)
    })

    it('tells the clerk that the data does not match, never which field', () => {
      expect(view.recordMismatch).toBe(true)
      expect(view.discrepancies).toEqual([])
      expect(JSON.stringify(view)).not.toMatch(/"(source|recordKey)"/)
      // Nor can the clerk open the case afterwards: their department has no task on it.
      return api(app, 'GET', `/api/cases/${view.id}`, { token: clerk }).then((r) =>
        expectError(r, 403, 'FORBIDDEN'),
      )
    })

    it('shows the applicant which values differ', async () => {
      const own = (await api(app, 'GET', `/api/cases/${view.id}`, { token: citizen })).body as CaseView
      expect(own.recordMismatch).toBe(true)
      expect(own.discrepancies).toEqual([
        expect.objectContaining({ path: 'applicant.name', source: 'household' }),
      ])
    })

    it('shows the handling department the discrepancies of the fields its step sees', async () => {
      const step = view.timeline.find((s) => s.node === 'accept')!
      const created = await api(app, 'POST', '/api/staff', {
        token: await login(app, 'admin'),
        body: {
          username: 'intake.clerk.4302',
          password: 'test-password',
          name: '受理员',
          departmentId: step.departmentId,
          roles: ['clerk'],
        },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const handler = await login(app, 'intake.clerk.4302', 'test-password')
      const seen = (await api(app, 'GET', `/api/cases/${view.id}`, { token: handler })).body as CaseView
      expect(seen.discrepancies).toEqual([expect.objectContaining({ path: 'applicant.name' })])
      // An overseer sees the case whole, but the discrepancies are not theirs to see.
      const overseer = (
        await api(app, 'GET', `/api/cases/${view.id}`, { token: await login(app, 'admin.4302') })
      ).body as CaseView
      expect(overseer.recordMismatch).toBe(true)
      expect(overseer.discrepancies).toEqual([])
    })

    it('records the comparison with the records as a flagged data access of the clerk', async () => {
      expect(await accessesOf(citizen, view.id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ staffId: clerkId, what: 'intake:household', flagged: true }),
        ]),
      )
      // The clerk's overseers see the flag (the clerk's region, 4301), not the citizen's city's.
      const flaggedBy = async (username: string) =>
        (
          (await api(app, 'GET', '/api/data-access/flagged', { token: await login(app, username) })).body as {
            caseId: string
            what: string
          }[]
        ).filter((a) => a.caseId === view.id && a.what === 'intake:household')
      expect(await flaggedBy('admin.4301')).toHaveLength(1)
      expect(await flaggedBy('admin.4302')).toHaveLength(0)
    })

    it('puts only a commitment to the discrepancies in the public ledger, and the audit checks it', async () => {
      const at = view.timeline[0]!.ledger!
      const entry = await api(app, 'GET', `/api/ledger/${at.log}/entries/${at.index}`)
      expect(entry.status).toBe(200)
      expect(entry.body.leaf).toMatchObject({
        type: 'case.submitted',
        data: { discrepancies: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) },
      })
      expect(JSON.stringify(entry.body.leaf)).not.toContain('applicant.name')

      expect((await app.services.audit.replay()).differences).toEqual([])
      const db = app.database.db
      const [row] = (
        await sql<{
          discrepancies: string
        }>`select discrepancies from case_file where id = ${view.id}`.execute(db)
      ).rows
      try {
        await sql`update case_file set discrepancies = '[]' where id = ${view.id}`.execute(db)
        expect((await app.services.audit.replay()).differences).toEqual([
          expect.objectContaining({ table: 'case_file', key: view.id, field: 'discrepancies' }),
        ])
      } finally {
        await sql`update case_file set discrepancies = ${row!.discrepancies} where id = ${view.id}`.execute(
          db,
        )
      }
    })

    it('lets the clerk upload the citizen’s files, and nobody else on staff', async () => {
      const applicantId = await idOf(citizen)
      const upload = (token: string) =>
        app.server.inject({
          method: 'POST',
          url: `/api/attachments?filename=photo.png&applicantId=${applicantId}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
          payload: Buffer.from(ONE_PIXEL_PNG, 'base64'),
        })
      expect((await upload(clerk)).statusCode).toBe(201)
      const refused = await upload(await login(app, 'official.demo'))
      expect(refused.statusCode).toBe(403)
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN')
    })
  })

  it('shows the discrepancies to a clerk whose own centre handles the case, recorded unflagged', async () => {
    const citizen = await login(app, local.username)
    const res = await api(app, 'POST', '/api/cases', {
      token: clerk,
      body: {
        matterCode: 'RESIDENCE_PERMIT',
        channel: 'window',
        applicantId: await idOf(citizen),
        data: await formOf(local, citizen, `${local.name}改`),
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const view = res.body as CaseView
    expect(view.recordMismatch).toBe(true)
    expect(view.discrepancies).toEqual([
      expect.objectContaining({ path: 'applicant.name', source: 'household' }),
    ])
    expect(await accessesOf(citizen, view.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ staffId: clerkId, what: 'intake:household', flagged: false }),
      ]),
    )
  })

  it('refuses window prefill: a clerk never reads a citizen’s records', async () => {
    expectError(
      await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: clerk }),
      403,
      'FORBIDDEN',
    )
  })
})
