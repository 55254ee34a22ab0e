/**
 * The five traceability and consistency indicators on both dialects, over a small fixture: a residence
 * permit submitted with a name that contradicts the household record (a discrepancy: the platform opens
 * its appeal, which the record's department closes two days later), whose police review asked for a
 * supplement and was done again; a second permit finished straight through; and a market-regulation
 * leader looking at both without a task, flagged, the one look judged unjustified and the other
 * justified. Each indicator is computed here by hand from what the fixture did and the records the
 * demo holds, and compared with the service's; then a step's row is made to claim an entry that names
 * something else, and one that does not exist: the trail is incomplete, by hand too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher, type CaseFinisher } from '../../../../test/support/cases.js'
import { api, login } from '../../../../test/support/http.js'
import type { AppealView, CaseView, FlaggedAccess, TaskView } from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import type { DemoCitizen } from '../sim/demo.model.js'
import type { Fact } from './assessment.model.js'
import type { ScorecardRow } from './assessment.service.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]
const MARKET = '4301-market_regulation'
const DAY = 86_400_000

describe.each(DIALECTS)('traceability and consistency indicators on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let citizen: string
  let finisher: CaseFinisher
  let period: string
  /** The discrepant case (its police review redone) and the straight one. */
  let redone: CaseView
  let straight: CaseView
  let police: { department: string; token: string; staff: string }
  let window: { department: string; staff: string }
  let overseer: { id: string; token: string }
  let appeal: AppealView
  let county: string

  const me = async (token: string) => (await api(app, 'GET', '/api/auth/me', { token })).body.id as string
  const cards = async (query: string) => {
    const res = await api(app, 'GET', `/api/assessment/scorecards?${query}&period=${period}`, {
      token: admin,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as ScorecardRow[]
  }
  const card = async (level: string, region: string, id: string) => {
    const found = (await cards(`level=${level}&region=${region}`)).find((r) => r.subject.id === id)
    expect(found, `${level} ${id}`).toBeDefined()
    return found!
  }
  const factsOf = async (level: string, id: string, indicator: string) => {
    const res = await api(
      app,
      'GET',
      `/api/assessment/scorecards/${level}/${id}/facts?indicator=${indicator}&period=${period}`,
      { token: admin },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as Fact[]
  }
  const view = async (id: string) =>
    (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body as CaseView

  /** Completes the open task of `node` in a case as `token`. */
  async function complete(token: string, caseId: string, node: string, outcome: string) {
    const task = ((await api(app, 'GET', '/api/tasks', { token })).body as TaskView[]).find(
      (t) => t.caseId === caseId && t.node === node,
    )
    expect(task, `${node} open`).toBeDefined()
    const res = await api(app, 'POST', `/api/tasks/${task!.id}/complete`, {
      token,
      body: { outcome, comment: outcome === 'supplement' ? '请补充居住证明。' : '同意' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
    finisher = caseFinisher(app, 't.trace', { citizen, admin })
    straight = await finisher.finishedCase()
    const accept = straight.timeline.find((s) => s.node === 'accept')!
    const review = straight.timeline.find((s) => s.node === 'police_review')!
    window = { department: accept.departmentId!, staff: await me(await finisher.desk(accept.departmentId!)) }
    const token = await finisher.desk(review.departmentId!)
    police = { department: review.departmentId!, token, staff: await me(token) }
    county = straight.regionCode.slice(0, 6)

    // The discrepant case: the name differs from the household record's.
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const changed = merge(data, { applicant: { name: `${(data.applicant as { name: string }).name}改` } })
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'RESIDENCE_PERMIT', data: changed, channel: 'online' },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const id = submitted.body.id as string
    await complete(await finisher.desk(window.department), id, 'accept', 'approve')
    await complete(police.token, id, 'police_review', 'supplement')
    const supplement = ((await api(app, 'GET', '/api/tasks', { token: citizen })).body as TaskView[]).find(
      (t) => t.caseId === id && t.kind === 'applicant',
    )!
    const back = await api(app, 'POST', `/api/tasks/${supplement.id}/complete`, {
      token: citizen,
      body: { outcome: 'approve' },
    })
    expect(back.status, JSON.stringify(back.body)).toBe(200)
    await complete(police.token, id, 'police_review', 'approve')
    redone = await view(id)
    expect(redone.status).toBe('completed')

    // A market-regulation leader looks at both cases without a task: both looks are flagged, and their
    // supervisor judges one unjustified, the other justified.
    const leader = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: {
        username: 't.trace.lead',
        password: 'test-password',
        name: '测试领导',
        departmentId: MARKET,
        roles: ['leader'],
      },
    })
    expect(leader.status, JSON.stringify(leader.body)).toBe(201)
    overseer = { id: leader.body.id as string, token: await login(app, 't.trace.lead', 'test-password') }
    for (const c of [redone, straight])
      expect((await api(app, 'GET', `/api/cases/${c.id}`, { token: overseer.token })).status).toBe(200)
    const supervisor = await login(app, 'supervisor.demo')
    const flagged = (await api(app, 'GET', '/api/data-access/flagged', { token: supervisor }))
      .body as FlaggedAccess[]
    for (const [c, verdict] of [
      [redone, 'unjustified'],
      [straight, 'justified'],
    ] as const) {
      const access = flagged.find((a) => a.caseId === c.id && a.staff.id === overseer.id)!
      const res = await api(app, 'POST', `/api/data-access/${access.id}/review`, {
        token: supervisor,
        body: { verdict },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
    }

    // The discrepancy's appeal, closed by the record's department two days after the submission.
    const list = (await api(app, 'GET', `/api/appeals?caseId=${id}`, { token: admin })).body as AppealView[]
    const opened = list.find((a) => a.kind === 'discrepancy')!
    expect(opened).toBeDefined()
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P2D' } })
    const handler = await finisher.desk(opened.department.id)
    for (const step of ['accept', 'resolve'] as const) {
      const r = await api(app, 'POST', `/api/appeals/${opened.id}/${step}`, {
        token: handler,
        ...(step === 'accept' ? {} : { body: { text: '已核实并更正户籍记录' } }),
      })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      appeal = r.body as AppealView
    }
    expect(appeal.status).toBe('closed')
    period = String(new Date(app.services.clock.now() + 8 * 3_600_000).getUTCFullYear())
    expect(String(new Date(straight.submittedAt + 8 * 3_600_000).getUTCFullYear())).toBe(period)
  })
  afterAll(() => app?.dispose())

  it('counts redone steps and a complete ledger trail per step, as counted by hand', async () => {
    // The police desk completed three reviews: the straight case's, and the discrepant case's twice
    // (the first asked for a supplement, so it was done again).
    const p = await card('official', county, police.staff)
    expect(p.indicators.rework_rate).toMatchObject({ value: 1 / 3, n: 3 })
    expect(p.indicators.ledger_complete).toMatchObject({ value: 1, score: 100, n: 3 })
    const w = await card('official', county, window.staff)
    expect(w.indicators.rework_rate).toMatchObject({ value: 0, n: 2 })
    // The region counts its steps once each: two accepts, three reviews.
    const r = await card('region', county.slice(0, 4), county)
    expect(r.indicators.rework_rate).toMatchObject({ value: 1 / 5, n: 5 })
    const facts = await factsOf('official', police.staff, 'rework_rate')
    expect(facts.filter((f) => f.outcome === true)).toHaveLength(1)
    for (const f of facts) {
      const [entry] = await app.services.ledger.entries(f.ledger.log, f.ledger.index, f.ledger.index + 1)
      expect(JSON.parse(Buffer.from(entry!.leaf, 'base64').toString('utf8'))).toMatchObject({
        type: 'task.completed',
        data: { task: f.ref.id },
      })
    }
  })

  it('counts flagged accesses judged unjustified among those reviewed', async () => {
    const o = await card('official', '4301', overseer.id)
    expect(o.indicators.unjustified_access).toMatchObject({ value: 1 / 2, n: 2 })
    const d = await card('department', '4301', MARKET)
    expect(d.indicators.unjustified_access).toMatchObject({ value: 1 / 2, n: 2 })
    // Where the cases are.
    const r = await card('region', county.slice(0, 4), county)
    expect(r.indicators.unjustified_access).toMatchObject({ value: 1 / 2, n: 2 })
    const facts = await factsOf('official', overseer.id, 'unjustified_access')
    const hit = facts.find((f) => f.outcome === true)!
    expect(hit.ref).toEqual({ kind: 'data_access', id: expect.any(String) })
    const [entry] = await app.services.ledger.entries(hit.ledger.log, hit.ledger.index, hit.ledger.index + 1)
    expect(JSON.parse(Buffer.from(entry!.leaf, 'base64').toString('utf8'))).toMatchObject({
      type: 'data.access_reviewed',
    })
  })

  it('counts discrepancies per 1,000 records the department, the keeper and the region hold', async () => {
    const db = app.database.db
    const [d] = redone.discrepancies
    expect(d).toBeDefined()
    const record = await db
      .selectFrom('data_record')
      .selectAll()
      .where('source', '=', d!.source)
      .where('record_key', '=', d!.recordKey)
      .executeTakeFirstOrThrow()
    // The holder: the department of the record's owning kind at its region or the nearest level above
    // (the one the discrepancy appeal was routed to); nothing below it of the same kind.
    const holder = appeal.department.id
    const h = await db.selectFrom('department').selectAll().where('id', '=', holder).executeTakeFirstOrThrow()
    expect(h.kind).toBe(record.owner_department_kind)
    expect(record.region_code.startsWith(h.region_code)).toBe(true)
    const below = await db
      .selectFrom('department')
      .select('id')
      .where('kind', '=', h.kind)
      .where('region_code', 'like', `${h.region_code}_%`)
      .execute()
    expect(below).toEqual([])
    const count = async (where: (q: any) => any) =>
      Number(
        (
          await where(
            db
              .selectFrom('data_record')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('ledger_log', 'is not', null),
          ).executeTakeFirstOrThrow()
        ).n,
      )
    const heldByDepartment = await count((q) =>
      q.where('owner_department_kind', '=', h.kind).where('region_code', 'like', `${h.region_code}%`),
    )
    const dep = await card('department', h.region_code, holder)
    expect(dep.indicators.discrepancies_per_1k).toMatchObject({
      value: 1000 / heldByDepartment,
      n: heldByDepartment,
    })
    // The keeper: who last changed the record, before the submission.
    expect(record.updated_by).not.toBeNull()
    expect(Number(record.updated_at)).toBeLessThanOrEqual(redone.submittedAt)
    const keeperHolds = await count((q) => q.where('updated_by', '=', record.updated_by))
    const keeperDepartment = (await app.services.org.findLoginAccount({ id: record.updated_by! }))!.principal
    const k = await card('official', keeperDepartment.regionCode, record.updated_by!)
    expect(k.indicators.discrepancies_per_1k).toMatchObject({ value: 1000 / keeperHolds, n: keeperHolds })
    // The record's county holds every source's records there.
    const heldInCounty = await count((q) =>
      q.where('region_code', 'like', `${record.region_code.slice(0, 6)}%`),
    )
    const r = await card('region', record.region_code.slice(0, 4), record.region_code.slice(0, 6))
    expect(r.indicators.discrepancies_per_1k).toMatchObject({ value: 1000 / heldInCounty, n: heldInCounty })
    // A department holding records none contradicted: 0 per 1,000, not null.
    const other = (await cards(`level=department&region=${county}`)).find(
      (x) => x.subject.id !== holder && x.indicators.discrepancies_per_1k.n > 0,
    )
    expect(other).toBeDefined()
    expect(other!.indicators.discrepancies_per_1k.value).toBe(0)
    // The drill-down: the discrepancy, proven by the submission, and the holdings behind the denominator.
    const facts = await factsOf('department', holder, 'discrepancies_per_1k')
    const found = facts.filter((f) => f.outcome === true)
    expect(found).toEqual([
      expect.objectContaining({
        ref: { kind: 'discrepancy', id: `${redone.id}/${d!.source}` },
        staffId: record.updated_by,
      }),
    ])
    const [entry] = await app.services.ledger.entries(
      found[0]!.ledger.log,
      found[0]!.ledger.index,
      found[0]!.ledger.index + 1,
    )
    expect(JSON.parse(Buffer.from(entry!.leaf, 'base64').toString('utf8'))).toMatchObject({
      type: 'case.submitted',
      data: { case: redone.id },
    })
    expect(facts.filter((f) => f.ref.kind === 'holding').reduce((s, f) => s + Number(f.outcome), 0)).toBe(
      heldByDepartment,
    )
  })

  it('averages the days from detection to the closing of discrepancy appeals', async () => {
    const days = (appeal.closedAt! - redone.submittedAt) / DAY
    expect(days).toBeCloseTo(2, 5)
    const d = await card('department', county.slice(0, 4), appeal.department.id)
    expect(d.indicators.correction_days).toMatchObject({ value: days, n: 1 })
    const r = await card('region', county.slice(0, 4), county)
    expect(r.indicators.correction_days).toMatchObject({ value: days, n: 1 })
    const [fact] = await factsOf('department', appeal.department.id, 'correction_days')
    expect(fact).toMatchObject({ ref: { kind: 'appeal', id: appeal.id }, outcome: days })
    expect(fact!.ledger).toEqual(appeal.timeline.find((s) => s.type === 'appeal.resolved')!.ledger)
  })

  it('finds a trail broken behind the service: an entry naming another thing, or none', async () => {
    const db = app.database.db
    const reviews = await db
      .selectFrom('case_task')
      .select(['id', 'ledger_log', 'ledger_index'])
      .where('case_id', '=', redone.id)
      .where('node_id', '=', 'police_review')
      .orderBy('iteration')
      .execute()
    const submission = redone.timeline.find((s) => s.node === 'submit')!.ledger!
    // The first review now claims the case's submission entry; the second a position past the log's end.
    await db
      .updateTable('case_task')
      .set({ ledger_index: submission.index })
      .where('id', '=', reviews[0]!.id)
      .execute()
    await db
      .updateTable('case_task')
      .set({ ledger_index: 1_000_000_000 })
      .where('id', '=', reviews[1]!.id)
      .execute()
    const p = await card('official', county, police.staff)
    expect(p.indicators.ledger_complete).toMatchObject({ value: 1 / 3, n: 3 })
    const facts = await factsOf('official', police.staff, 'ledger_complete')
    const byTask = new Map(facts.map((f) => [f.ref.id, f]))
    // The entry it claims is shown (it names the submission); where there is none, the case's submission.
    expect(byTask.get(reviews[0]!.id)).toMatchObject({ outcome: false, ledger: submission })
    expect(byTask.get(reviews[1]!.id)).toMatchObject({ outcome: false, ledger: submission })
    const r = await card('region', county.slice(0, 4), county)
    expect(r.indicators.ledger_complete).toMatchObject({ value: 3 / 5, n: 5 })
  })
})
