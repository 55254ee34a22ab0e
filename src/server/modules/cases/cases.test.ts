/**
 * One submission, one acceptance, end to end over HTTP on both storage modes: a citizen applies with a
 * prefilled form, the case flows through the departments (in parallel where the process says so), the
 * supplement loop and rejections work, SLA timers fire on the working-day calendar as the manual clock
 * advances, every step has its ledger entry, and the receipts verify offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { createApp } from '../../app.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult, CaseView, TaskView } from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import { verifyReceipt } from '../ledger/ledger.signing.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import type { DemoCitizen } from '../sim/demo.model.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]

/** Logs in (creating once) a staff member of `departmentId` with `role`, to work that department's tasks. */
async function worker(
  app: TestApp,
  admin: string,
  departmentId: string,
  role: string,
  cache: Map<string, string>,
): Promise<string> {
  const key = `${departmentId}/${role}`
  const known = cache.get(key)
  if (known) return known
  const username = `t.${role}.${cache.size}.${departmentId.replace(/[^a-z0-9]/gi, '').toLowerCase()}`.slice(
    0,
    60,
  )
  // `desk` staff hold both window and review roles, so they can take whatever the step needs.
  const roles = role === 'desk' ? ['clerk', 'official'] : [role]
  const res = await api(app, 'POST', '/api/staff', {
    token: admin,
    body: { username, password: 'test-password', name: '测试人员', departmentId, roles },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const token = await login(app, username, 'test-password')
  cache.set(key, token)
  return token
}

const openSteps = (c: CaseView) =>
  c.timeline.filter((s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled')

describe.each(DIALECTS)('cases on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let citizen: string
  const workers = new Map<string, string>()

  beforeAll(async () => {
    app = await createTestApp(dialect)
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
  })
  afterAll(() => app?.dispose())

  /** Completes every open department task of a case with `outcome` until none is left or it ends. */
  async function workThrough(caseId: string, outcome = 'approve'): Promise<CaseView> {
    for (let round = 0; round < 20; round++) {
      const current = (await api(app, 'GET', `/api/cases/${caseId}`, { token: citizen })).body as CaseView
      const open = openSteps(current).filter((s) => s.departmentId)
      if (open.length === 0) return current
      for (const step of open) {
        const token = await worker(app, admin, step.departmentId!, 'desk', workers)
        const inbox = (await api(app, 'GET', '/api/tasks', { token })).body as TaskView[]
        const task = inbox.find((t) => t.caseId === caseId && t.node === step.node)
        expect(task, `${step.node} in the inbox of ${step.departmentId}`).toBeDefined()
        const done = await api(app, 'POST', `/api/tasks/${task!.id}/complete`, {
          token,
          body: { outcome, comment: '材料齐全，同意。' },
        })
        expect(done.status, JSON.stringify(done.body)).toBe(200)
      }
    }
    throw new Error('the case did not finish')
  }

  it('business start-up: prefilled form, parallel departments, completed with a provable timeline', async () => {
    const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    expect(prefill.status).toBe(200)
    const data = merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!)
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'BIZ_STARTUP', data, channel: 'online' },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const id = submitted.body.id as string
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      matterCode: 'BIZ_STARTUP',
      matterVersion: 2,
      discrepancies: [],
    })

    // The window acceptance first, then the four departments at once.
    const accepting = openSteps(submitted.body)
    expect(accepting).toHaveLength(1)
    const clerk = await worker(app, admin, accepting[0]!.departmentId!, 'clerk', workers)
    const inbox = (await api(app, 'GET', '/api/tasks', { token: clerk })).body as TaskView[]
    expect(inbox.find((t) => t.caseId === id)).toMatchObject({
      node: accepting[0]!.node,
      dueAt: expect.any(Number),
    })
    await api(app, 'POST', `/api/tasks/${inbox.find((t) => t.caseId === id)!.id}/complete`, {
      token: clerk,
      body: { outcome: 'approve' },
    })
    const parallel = (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body as CaseView
    expect(parallel.status).toBe('in_progress')
    const kinds = openSteps(parallel).map((s) => s.departmentId!.split('-').slice(1).join('-'))
    expect(kinds.sort()).toEqual([
      'human_resources_social_security',
      'market_regulation',
      'public_security',
      'tax',
    ])

    const done = await workThrough(id)
    expect(done.status).toBe('completed')
    expect(done.completedAt).toEqual(expect.any(Number))
    for (const step of done.timeline) {
      expect(step).toMatchObject({
        node: expect.any(String),
        startedAt: expect.any(Number),
        ledger: { log: '4301', index: expect.any(Number) },
      })
      expect(step.completedAt).not.toBeNull()
    }
    const reviews = done.timeline.filter((s) => s.departmentId && !s.departmentId.endsWith('service_center'))
    expect(
      reviews.every((s) => s.assignee?.name === '测试人员' && s.outcome === 'approve' && s.department),
    ).toBe(true)

    // Receipts: every ledger entry of the case verifies offline with the published keys only.
    const receipt = await api(app, 'GET', `/api/cases/${id}/receipt`, { token: citizen })
    expect(receipt.status).toBe(200)
    expect(receipt.body.entries.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['case.submitted', 'task.completed', 'case.completed']),
    )
    for (const e of receipt.body.entries) {
      const verified = verifyReceipt(e.receipt, receipt.body.keys)
      expect(verified.leaf).toMatchObject({ subject: `case:${id}`, type: e.type })
      expect(JSON.stringify(verified.leaf)).not.toContain(citizenDemo.name)
    }
    // Another citizen cannot see it.
    expectError(
      await api(app, 'GET', `/api/cases/${id}`, { token: await login(app, 'official.demo') }),
      403,
      'FORBIDDEN',
    )
  })

  it('supplement loop: the official asks, the citizen supplements, the official approves', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const id = res.body.id as string
    // Accept at the window, then the review asks for a supplement.
    let c = res.body as CaseView
    for (let i = 0; i < 5 && !openSteps(c).some((s) => s.departmentId?.endsWith('public_security')); i++) {
      const step = openSteps(c)[0]!
      const token = await worker(app, admin, step.departmentId!, 'clerk', workers)
      const task = ((await api(app, 'GET', '/api/tasks', { token })).body as TaskView[]).find(
        (t) => t.caseId === id,
      )!
      await api(app, 'POST', `/api/tasks/${task.id}/complete`, { token, body: { outcome: 'approve' } })
      c = (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body
    }
    const review = openSteps(c).find((s) => s.departmentId?.endsWith('public_security'))!
    const official = await worker(app, admin, review.departmentId!, 'official', workers)
    const task = ((await api(app, 'GET', '/api/tasks', { token: official })).body as TaskView[]).find(
      (t) => t.caseId === id,
    )!
    expect(task.outcomes).toContain('supplement')
    const asked = await api(app, 'POST', `/api/tasks/${task.id}/complete`, {
      token: official,
      body: { outcome: 'supplement', comment: '请补充居住证明。' },
    })
    expect(asked.body.status).toBe('supplement_requested')

    const mine = (await api(app, 'GET', '/api/tasks', { token: citizen })).body as TaskView[]
    const supplement = mine.find((t) => t.caseId === id && t.kind === 'applicant')!
    expect(supplement).toBeDefined()
    expectError(
      await api(app, 'POST', `/api/tasks/${supplement.id}/complete`, {
        token: official,
        body: { outcome: 'approve' },
      }),
      403,
      'FORBIDDEN',
    )
    const back = await api(app, 'POST', `/api/tasks/${supplement.id}/complete`, {
      token: citizen,
      body: { outcome: 'approve' },
    })
    expect(back.status, JSON.stringify(back.body)).toBe(200)
    expect(back.body.status).toBe('in_progress')
    const done = await workThrough(id)
    expect(done.status).toBe('completed')
    expect(
      done.timeline.filter((s) => s.departmentId?.endsWith('public_security')).map((s) => s.outcome),
    ).toEqual(['supplement', 'approve'])
  })

  it('rejection ends the case and leaves no task open', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const id = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
      })
    ).body.id as string
    const c = await workThrough(id, 'reject')
    expect(c.status).toBe('rejected')
    const closed = c.timeline.find((s) => s.outcome === 'reject')!
    const types = (await api(app, 'GET', `/api/cases/${id}/receipt`, { token: citizen })).body.entries.map(
      (e: { type: string }) => e.type,
    )
    expect(types).toContain('case.rejected')
    expect(closed.ledger).not.toBeNull()
    const task = (
      await app.services.caseViews.listTasks(
        (await app.services.org.findLoginAccount({ username: 'citizen.demo' }))!.principal,
      )
    ).find((t) => t.caseId === id)
    expect(task).toBeUndefined()
  })

  it('claim, release and reassign: a claimed task is the claimant’s until released or reassigned by a supervisor', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const id = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: {
          matterCode: 'RESIDENCE_PERMIT',
          data: merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!),
          channel: 'online',
        },
      })
    ).body.id as string
    const step = openSteps((await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body)[0]!
    const dept = step.departmentId!
    const mk = async (username: string, roles: string[]): Promise<{ token: string; id: string }> => {
      const res = await api(app, 'POST', '/api/staff', {
        token: admin,
        body: { username, password: 'test-password', name: '同事', departmentId: dept, roles },
      })
      return { token: await login(app, username, 'test-password'), id: res.body.id }
    }
    const a = await mk('claim.a', ['clerk'])
    const b = await mk('claim.b', ['clerk'])
    const sup = await mk('claim.sup', ['supervisor'])
    const task = ((await api(app, 'GET', '/api/tasks', { token: a.token })).body as TaskView[]).find(
      (t) => t.caseId === id,
    )!
    expect((await api(app, 'POST', `/api/tasks/${task.id}/claim`, { token: a.token })).body).toMatchObject({
      id: task.id,
      assigneeId: a.id,
    })
    expectError(await api(app, 'POST', `/api/tasks/${task.id}/claim`, { token: b.token }), 409, 'CONFLICT')
    expectError(
      await api(app, 'POST', `/api/tasks/${task.id}/complete`, {
        token: b.token,
        body: { outcome: 'approve' },
      }),
      409,
      'CONFLICT',
    )
    expectError(await api(app, 'POST', `/api/tasks/${task.id}/release`, { token: b.token }), 403, 'FORBIDDEN')
    expect(
      (await api(app, 'POST', `/api/tasks/${task.id}/release`, { token: a.token })).body.assigneeId,
    ).toBeNull()
    expectError(
      await api(app, 'POST', `/api/tasks/${task.id}/reassign`, {
        token: a.token,
        body: { assigneeId: b.id },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', `/api/tasks/${task.id}/reassign`, {
        token: sup.token,
        body: { assigneeId: 'st-4302-tax-001' },
      }),
      403,
      'FORBIDDEN',
    )
    expect(
      (
        await api(app, 'POST', `/api/tasks/${task.id}/reassign`, {
          token: sup.token,
          body: { assigneeId: b.id },
        })
      ).body.assigneeId,
    ).toBe(b.id)
    const done = await api(app, 'POST', `/api/tasks/${task.id}/complete`, {
      token: b.token,
      body: { outcome: 'approve' },
    })
    expect(done.status).toBe(200)
    const types = (await api(app, 'GET', `/api/cases/${id}/receipt`, { token: citizen })).body.entries.map(
      (e: { type: string }) => e.type,
    )
    expect(types).toEqual(
      expect.arrayContaining(['task.claimed', 'task.released', 'task.reassigned', 'task.completed']),
    )
  })

  it('conditional branch: a large construction project adds the ecology review, a small one does not', async () => {
    const prefill = await api(app, 'GET', '/api/matters/CONSTRUCTION_PERMIT/prefill', { token: citizen })
    const base = merge(prefill.body.data, typed(citizenDemo).CONSTRUCTION_PERMIT!)
    const withArea = (area: number) => merge(base, { project: { floorArea: area } })
    const ecologyOf = async (area: number): Promise<boolean> => {
      const res = await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'CONSTRUCTION_PERMIT', data: withArea(area), channel: 'online' },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      const done = await workThrough(res.body.id)
      expect(done.status).toBe('completed')
      return done.timeline.some((s) => s.departmentId?.endsWith('ecology_environment'))
    }
    expect(await ecologyOf(25_000)).toBe(true)
    expect(await ecologyOf(3_000)).toBe(false)
  })

  it('social-security transfer: the destination city accepts and records, the source city transfers', async () => {
    const prefill = await api(app, 'GET', '/api/matters/SOCIAL_SECURITY_TRANSFER/prefill', { token: citizen })
    expect(prefill.status).toBe(200)
    const data = merge(prefill.body.data, typed(citizenDemo).SOCIAL_SECURITY_TRANSFER!) as {
      transfer: { fromCity: string; toCity: string }
    }
    // Moving into a city other than where the applicant lives and was insured.
    const toCity = ['4302', '4303'].find(
      (c) => c !== data.transfer.fromCity && !citizenDemo.regionCode.startsWith(c),
    ) as string
    data.transfer.toCity = toCity
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'SOCIAL_SECURITY_TRANSFER', data, channel: 'online' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const first = openSteps(res.body as CaseView)
    expect(first.map((s) => s.node)).toEqual(['target_accept'])
    expect(first[0]!.departmentId).toMatch(new RegExp(`^${toCity}-human_resources_social_security`))
    expect((res.body as CaseView).regionCode.startsWith(toCity)).toBe(false)

    // The destination's official finds it in their inbox although the case is filed elsewhere.
    const done = await workThrough(res.body.id)
    expect(done.status).toBe('completed')
    const cityOf = (node: string) => done.timeline.find((s) => s.node === node)?.departmentId?.slice(0, 4)
    expect({
      accept: cityOf('target_accept'),
      transfer: cityOf('source_transfer'),
      record: cityOf('target_record'),
    }).toEqual({
      accept: toCity,
      transfer: data.transfer.fromCity,
      record: toCity,
    })
  })
  it('versioning: a new version never changes a case already running on the old one', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const old = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
      })
    ).body as CaseView
    const current = (await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT')).body
    const xml = (
      await app.server.inject({ method: 'GET', url: '/api/matters/RESIDENCE_PERMIT/process.bpmn' })
    ).body
    const next = current.version + 1
    const deployed = await api(app, 'POST', '/api/matters', {
      token: admin,
      body: {
        matter: {
          code: current.code,
          name: current.name,
          nameEn: current.nameEn,
          description: current.description,
          ownerLevel: current.ownerLevel,
          departments: current.departments,
          materials: current.materials,
          slaDays: current.slaDays,
          legalSlaDays: current.legalSlaDays,
          channels: current.channels,
          fullyOnline: current.fullyOnline,
          trips: current.trips,
          version: next,
          previousVersion: current.version,
        },
        formSchema: current.formSchema,
        processXml: xml.replace(`xzt:version="${current.version}"`, `xzt:version="${next}"`),
      },
    })
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201)
    const fresh = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
      })
    ).body as CaseView
    expect(fresh.matterVersion).toBe(next)
    const finished = await workThrough(old.id)
    expect(finished).toMatchObject({ status: 'completed', matterVersion: old.matterVersion })
  })

  it('the audit replays cases and tasks and names a form or an outcome changed behind the service', async () => {
    const clean = await app.services.audit.replay()
    expect(clean.differences).toEqual([])
    expect(clean.byModule.cases).toBeGreaterThan(10)
    const db = app.database.db
    const { sql } = await import('kysely')
    const [row] = (
      await sql<{
        id: string
        data: string
      }>`select id, data from case_file order by submitted_at limit 1`.execute(db)
    ).rows
    const changed = JSON.parse(row!.data)
    changed.declaration = !changed.declaration
    await sql`update case_file set data = ${JSON.stringify(changed)} where id = ${row!.id}`.execute(db)
    const [task] = (
      await sql<{
        id: string
      }>`select id from case_task where outcome = 'approve' order by created_at limit 1`.execute(db)
    ).rows
    await sql`update case_task set outcome = 'reject' where id = ${task!.id}`.execute(db)
    const report = await app.services.audit.replay()
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'case_file', key: row!.id, field: 'data' }),
        expect.objectContaining({
          table: 'case_task',
          key: task!.id,
          field: 'outcome',
          expected: 'approve',
          actual: 'reject',
        }),
      ]),
    )
    await sql`update case_file set data = ${row!.data} where id = ${row!.id}`.execute(db)
    await sql`update case_task set outcome = 'approve' where id = ${task!.id}`.execute(db)
  })

  it('the audit names a due date pushed back, a time moved and an SLA state reset behind the service', async () => {
    const db = app.database.db
    const { sql } = await import('kysely')
    const month = 30 * 86_400_000
    const [c] = (
      await sql<{ id: string }>`select id from case_file order by submitted_at desc limit 1`.execute(db)
    ).rows
    const [t] = (
      await sql<{
        id: string
        sla: string
        node_id: string
      }>`select id, sla, node_id from case_task where due_at is not null order by created_at desc limit 1`.execute(
        db,
      )
    ).rows
    await sql`update case_file set due_at = due_at + ${month}, submitted_at = submitted_at + ${month} where id = ${c!.id}`.execute(
      db,
    )
    await sql`update case_task set due_at = due_at + ${month}, sla = 'breached', node_id = 'elsewhere' where id = ${t!.id}`.execute(
      db,
    )
    const fields = (await app.services.audit.replay()).differences
      .filter((d) => d.key === c!.id || d.key === t!.id)
      .map((d) => `${d.table}.${d.field}`)
      .sort()
    expect(fields).toEqual(
      [
        'case_file.dueAt',
        'case_file.submittedAt',
        'case_task.dueAt',
        'case_task.node',
        ...(t!.sla === 'breached' ? [] : ['case_task.sla']),
      ].sort(),
    )
    await sql`update case_file set due_at = due_at - ${month}, submitted_at = submitted_at - ${month} where id = ${c!.id}`.execute(
      db,
    )
    await sql`update case_task set due_at = due_at - ${month}, sla = ${t!.sla}, node_id = ${t!.node_id} where id = ${t!.id}`.execute(
      db,
    )
    expect((await app.services.audit.replay()).differences).toEqual([])
  })

  it('refuses a form that violates the schema with the failing field paths, and a matter that does not exist', async () => {
    const bad = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'BIZ_STARTUP',
        data: { company: { registeredCapital: 'lots' } },
        channel: 'online',
      },
    })
    expectError(bad, 400, 'VALIDATION_FAILED')
    const paths = bad.body.error.details.map((d: { path: string }) => d.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/body\/data\/company\/registeredCapital$/),
        expect.stringMatching(/^\/body\/data\/applicant/),
      ]),
    )
    expectError(
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'NO_SUCH', data: {}, channel: 'online' },
      }),
      404,
      'NOT_FOUND',
    )
    expectError(
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'BIZ_STARTUP', data: {}, channel: 'mail' },
      }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(app, 'POST', '/api/cases', {
        token: await login(app, 'official.demo'),
        body: { matterCode: 'BIZ_STARTUP', data: {}, channel: 'online' },
      }),
      403,
      'FORBIDDEN',
    )
  })

  it('flags a value that contradicts the authoritative record, and records who looked at the data', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    // The applicant's name is prefilled from the household register and verified against it.
    expect(prefill.body.sources['applicant.name']).toMatchObject({ source: 'household', verify: true })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const changed = merge(data, { applicant: { name: `${(data.applicant as { name: string }).name}改` } })
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'RESIDENCE_PERMIT', data: changed, channel: 'online' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.discrepancies).toEqual([
      expect.objectContaining({ path: 'applicant.name', source: 'household' }),
    ])
    const clean = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
    })
    expect(clean.body.discrepancies).toEqual([])
    // An official with a task on a case sees only their fields; the access is recorded for the citizen.
    const id = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: {
          matterCode: 'RESIDENCE_PERMIT',
          data: merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!),
          channel: 'online',
        },
      })
    ).body.id as string
    const step = openSteps((await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body)[0]!
    const clerk = await worker(app, admin, step.departmentId!, 'clerk', workers)
    expect((await api(app, 'GET', `/api/cases/${id}`, { token: clerk })).status).toBe(200)
    const overseer = await login(app, 'admin.4301')
    expect((await api(app, 'GET', `/api/cases/${id}`, { token: overseer })).status).toBe(200)
    // A HEAD request reads nothing and records nothing: there is no HEAD twin of the recorded GET.
    expect(
      (
        await app.server.inject({
          method: 'HEAD',
          url: `/api/cases/${id}`,
          headers: { authorization: `Bearer ${overseer}` },
        })
      ).statusCode,
    ).toBe(404)
    const log = (await api(app, 'GET', '/api/me/data-access', { token: citizen })).body as {
      caseId: string
      flagged: boolean
    }[]
    const forCase = log.filter((a) => a.caseId === id)
    expect(forCase.map((a) => a.flagged).sort()).toEqual([false, true])
  })
})

describe.each(DIALECTS)('a step that opens and closes a task at once (%s)', (dialect) => {
  let app: TestApp
  afterAll(() => app?.dispose())

  it('stores the task as cancelled, not open: a parallel branch reaching a rejecting end', async () => {
    app = await createTestApp(dialect)
    const admin = await login(app, 'admin')
    const citizen = await login(app, 'citizen.demo')
    const current = (await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT')).body
    const next = current.version + 1
    // One branch opens the police review while the other ends the case as rejected, in the same step.
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xzt="https://xingzhengtong.gov.cn/schema/bpmn/1" id="d" targetNamespace="https://xingzhengtong.gov.cn/bpmn/test">
  <bpmn:process id="p" isExecutable="true" xzt:matter="RESIDENCE_PERMIT" xzt:version="${next}" xzt:slaDays="${current.slaDays}">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="split" />
    <bpmn:userTask id="police_review" name="公安审核" xzt:department="public_security" xzt:level="county" xzt:slaDays="2" xzt:fields="*" xzt:outcomes="approve" />
    <bpmn:endEvent id="end_ok" />
    <bpmn:endEvent id="end_rejected" xzt:result="rejected" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="police_review" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="end_rejected" />
    <bpmn:sequenceFlow id="f4" sourceRef="police_review" targetRef="end_ok" />
  </bpmn:process>
</bpmn:definitions>`
    const deployed = await api(app, 'POST', '/api/matters', {
      token: admin,
      body: {
        matter: {
          code: current.code,
          name: current.name,
          nameEn: current.nameEn,
          description: current.description,
          ownerLevel: current.ownerLevel,
          departments: current.departments,
          materials: current.materials,
          slaDays: current.slaDays,
          legalSlaDays: current.legalSlaDays,
          channels: current.channels,
          fullyOnline: current.fullyOnline,
          trips: current.trips,
          version: next,
          previousVersion: current.version,
        },
        formSchema: current.formSchema,
        processXml: xml,
      },
    })
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201)
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'RESIDENCE_PERMIT',
        data: merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!),
        channel: 'online',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const view = res.body as CaseView
    expect(view.status).toBe('rejected')
    const review = view.timeline.find((s) => s.node === 'police_review')
    expect(review).toMatchObject({
      outcome: 'cancelled',
      completedAt: expect.any(Number),
      ledger: expect.objectContaining({ log: expect.any(String) }),
    })
    // Nobody finds it in an inbox, and the audit's replay agrees with the stored row.
    const reviewer = await worker(app, admin, review!.departmentId!, 'official', new Map())
    expect(
      ((await api(app, 'GET', '/api/tasks', { token: reviewer })).body as TaskView[]).some(
        (t) => t.caseId === view.id,
      ),
    ).toBe(false)
    const audit = await api(app, 'POST', '/api/audit/run', { token: admin })
    expect(audit.status, JSON.stringify(audit.body).slice(0, 500)).toBe(200)
    expect((audit.body as AuditRunResult).replay.differences).toEqual([])
    expect((audit.body as AuditRunResult).ok).toBe(true)
  })
})

describe.each(DIALECTS)('SLA timers on the working-day calendar (%s)', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
  })
  afterAll(() => app?.dispose())

  it('warns and then breaches an open task as the clock advances, once each', async () => {
    const citizen = await login(app, 'citizen.demo')
    const admin = await login(app, 'admin')
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const id = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
      })
    ).body.id as string
    const before = (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body as CaseView
    const step = openSteps(before)[0]!
    expect(step.sla).toBe('ok')
    expect(step.dueAt).toBeGreaterThan(before.submittedAt)

    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P30D' } })
    const after = (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body as CaseView
    expect(after.timeline.find((s) => s.node === step.node)!.sla).toBe('breached')
    const slaEvents = async (): Promise<string[]> =>
      (await api(app, 'GET', `/api/cases/${id}/receipt`, { token: citizen })).body.entries
        .map((e: { type: string }) => e.type)
        .filter((t: string) => t.startsWith('sla.'))
    const types = await slaEvents()
    expect(types.filter((t) => t === 'sla.breached').length).toBeGreaterThanOrEqual(1)
    expect(types.filter((t) => t === 'sla.warned').length).toBeGreaterThanOrEqual(1)
    // Advancing again fires nothing twice.
    const count = types.length
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P1D' } })
    expect((await slaEvents()).length).toBe(count)
  })
})

describe.skipIf(!DIALECTS.includes('postgres'))('timers with two instances on PostgreSQL', () => {
  let app: TestApp
  let other: Awaited<ReturnType<typeof createApp>>
  beforeAll(async () => {
    app = await createTestApp('postgres')
    other = await createApp(app.config, { logger: false })
  })
  afterAll(async () => {
    await other?.close()
    await app?.dispose()
  })

  it('fires every due timer exactly once when two instances race', async () => {
    const citizen = await login(app, 'citizen.demo')
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
      ids.push(
        (
          await api(app, 'POST', '/api/cases', {
            token: citizen,
            body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online' },
          })
        ).body.id,
      )
    }
    const later = app.services.clock.now() + 60 * 86_400_000
    const [a, b] = await Promise.all([
      app.services.scheduler.runDue(later),
      other.services.scheduler.runDue(later),
    ])
    expect(a.done + b.done).toBeGreaterThan(0)
    expect(a.failed + b.failed + a.dead + b.dead).toBe(0)
    for (const id of ids) {
      const types = (await api(app, 'GET', `/api/cases/${id}/receipt`, { token: citizen })).body.entries.map(
        (e: { type: string }) => e.type,
      )
      // One warning and one breach per timed task: never twice.
      const warned = types.filter((t: string) => t === 'sla.warned').length
      const breached = types.filter((t: string) => t === 'sla.breached').length
      expect(warned).toBe(1)
      expect(breached).toBe(1)
    }
    expect((await app.services.scheduler.runDue(later)).done).toBe(0)
    expect((await other.services.scheduler.runDue(later)).done).toBe(0)
  })
})
