/**
 * The rectification (整改) lifecycle after a bad rating, on both dialects with the manual clock: the
 * handling department calls back, then rectifies, then the citizen rates the rectification (each once,
 * in order, each ledgered with its text only as a commitment); a deadline passed unrectified escalates
 * once to the department's leaders, a rectified one never; a contest of a false review is decided by
 * a region overseer who neither filed it nor belongs to the department: upheld voids the rectification
 * and excludes the rating, rejected lets it go on; who may do what follows the permission table; the
 * audit replays every step and names rows edited in SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseFinisher, type CaseFinisher } from '../../../../test/support/cases.js'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type {
  AuditRunResult,
  RectificationDetail,
  RectificationList,
  StaffView,
} from '../../../shared/api.js'
import { allows, nextState, type RectificationState } from './rectifications.model.js'

const DAY = 86_400_000

describe('the rectification lifecycle model', () => {
  const open: RectificationState = { status: 'open', contest: null, escalated: false }
  const conflict = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'CONFLICT' }))

  it('calls back, then rectifies, then lets the citizen close it, each once and in order', () => {
    conflict(() => nextState(open, 'rectify'))
    conflict(() => nextState(open, 'rate'))
    const calledBack = nextState(open, 'callback')
    expect(calledBack.status).toBe('called_back')
    conflict(() => nextState(calledBack, 'callback'))
    const rectified = nextState(calledBack, 'rectify')
    expect(rectified.status).toBe('rectified')
    conflict(() => nextState(rectified, 'rectify'))
    expect(allows(rectified, 'escalate')).toBe(false)
    const closed = nextState(rectified, 'rate')
    expect(closed.status).toBe('closed')
    conflict(() => nextState(closed, 'rate'))
    conflict(() => nextState(closed, 'contest'))
  })

  it('contests once; an upheld contest voids, a rejected one goes on; no verdict while one is pending', () => {
    const contested = nextState(open, 'contest')
    expect(contested).toEqual({ status: 'open', contest: 'pending', escalated: false })
    conflict(() => nextState(contested, 'contest'))
    conflict(() => nextState(open, 'decide', true))
    expect(nextState(contested, 'decide', true)).toMatchObject({ status: 'void', contest: 'upheld' })
    const rejected = nextState(contested, 'decide', false)
    expect(rejected).toMatchObject({ status: 'open', contest: 'rejected' })
    conflict(() => nextState(rejected, 'decide', true))
    conflict(() => nextState(rejected, 'contest'))
    const pendingRectified = { status: 'rectified', contest: 'pending', escalated: false } as const
    conflict(() => nextState(pendingRectified, 'rate'))
  })

  it('escalates once, while open or called back', () => {
    expect(allows(open, 'escalate')).toBe(true)
    const escalated = nextState(open, 'escalate')
    expect(escalated).toEqual({ ...open, escalated: true })
    expect(allows(escalated, 'escalate')).toBe(false)
    expect(nextState(escalated, 'callback')).toMatchObject({ status: 'called_back', escalated: true })
    expect(allows({ ...open, status: 'void' }, 'escalate')).toBe(false)
  })
})

describe.each(DIALECTS)('rectifications on %s', (dialect) => {
  let app: TestApp
  let citizen: string
  let admin: string
  let finisher: CaseFinisher
  let staffSeq = 0

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    citizen = await login(app, 'citizen.demo')
    admin = await login(app, 'admin')
    finisher = caseFinisher(app, 't.rect', { citizen, admin })
  })
  afterAll(() => app?.dispose())

  /** A finished case rated 1 by citizen.demo: its rectification and the handling department's desk. */
  async function badRating(): Promise<{ id: string; caseId: string; departmentId: string; desk: string }> {
    const c = await finisher.finishedCase()
    const res = await api(app, 'POST', `/api/cases/${c.id}/rating`, {
      token: citizen,
      body: { score: 1, tags: ['long_wait', 'repeat_trips'], comment: '跑了三趟，等了两周' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.excluded).toBe(false)
    const departmentId = res.body.rectification.department.id as string
    return {
      id: res.body.rectification.id,
      caseId: c.id,
      departmentId,
      desk: await finisher.desk(departmentId),
    }
  }

  /** A new staff account of a department with these roles. */
  async function staff(departmentId: string, roles: string[]): Promise<{ id: string; token: string }> {
    const username = `t.rect.staff.${staffSeq++}`
    const res = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: { username, password: 'test-password', name: '测试人员', departmentId, roles },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return { id: res.body.id, token: await login(app, username, 'test-password') }
  }

  const get = async (id: string, token = citizen) => {
    const res = await api(app, 'GET', `/api/rectifications/${id}`, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as RectificationDetail
  }

  /** The ledger leaf of an entry, decoded. */
  async function leaf(at: {
    log: string
    index: number
  }): Promise<{ type: string; data: any; text: string }> {
    const [entry] = await app.services.ledger.entries(at.log, at.index, at.index + 1)
    const text = Buffer.from(entry!.leaf, 'base64').toString('utf8')
    return { ...(JSON.parse(text) as { type: string; data: unknown }), text }
  }

  /** Advances the manual clock past a deadline (the deadline jobs due by then run). */
  async function passDeadline(dueAt: number): Promise<void> {
    const days = Math.ceil((dueAt - app.services.clock.now()) / DAY) + 1
    const res = await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: `P${days}D` } })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }

  const deadlineJob = (id: string) => app.services.scheduler.findByKey('rectification.deadline', id)

  it('takes the call-back, then the measures, then the citizen’s verdict, each once and ledgered', async () => {
    const r = await badRating()
    const opened = await get(r.id)
    expect(opened).toMatchObject({
      status: 'open',
      caseId: r.caseId,
      matterCode: 'RESIDENCE_PERMIT',
      department: { id: r.departmentId },
      rating: { score: 1, tags: ['long_wait', 'repeat_trips'], excluded: false },
      overdue: false,
      escalatedTo: [],
      contest: null,
      satisfied: null,
      policy: 'rating.rectification@1',
    })
    expect(opened.timeline.map((s) => s.kind)).toEqual(['opened'])
    expect((await deadlineJob(r.id))?.status).toBe('pending')

    // Out of order, or by the wrong people.
    const callback = { calledAt: app.services.clock.now(), summary: '电话回访：群众反映窗口排队过久' }
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/rectify`, {
        token: r.desk,
        body: { measures: '增设窗口' },
      }),
      409,
      'CONFLICT',
    )
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/rating`, {
        token: citizen,
        body: { satisfied: true },
      }),
      409,
      'CONFLICT',
    )
    for (const token of [citizen, await login(app, 'official.demo'), await login(app, 'leader.4301')]) {
      const refused = await api(app, 'POST', `/api/rectifications/${r.id}/callback`, {
        token,
        body: callback,
      })
      expectError(refused, 403, 'FORBIDDEN')
      expect(refused.body.error.details.permission).toBe('rectification.handle')
    }
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/callback`, {
        token: r.desk,
        body: { ...callback, calledAt: app.services.clock.now() + 60_000 },
      }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/callback`, {
        token: r.desk,
        body: { ...callback, summary: '   ' },
      }),
      400,
      'VALIDATION_FAILED',
    )

    // Two at once (a double click, two officials): one records it, the other is told it changed.
    const [first, second] = await Promise.all(
      [r.desk, r.desk].map((token) =>
        api(app, 'POST', `/api/rectifications/${r.id}/callback`, { token, body: callback }),
      ),
    )
    expect([first!.status, second!.status].sort()).toEqual([200, 409])
    const calledBack = first!.status === 200 ? first! : second!
    expect(calledBack.body.status).toBe('called_back')
    const step = (calledBack.body as RectificationDetail).timeline[1]!
    expect(step).toMatchObject({ kind: 'called_back', text: callback.summary, calledAt: callback.calledAt })
    expect(step.actor?.name).toBe('测试人员')
    const called = await leaf(step.ledger)
    expect(called.type).toBe('rectification.called_back')
    expect(called.data).toMatchObject({ id: r.id, calledAt: callback.calledAt })
    expect(called.text).not.toContain('排队')
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/callback`, { token: r.desk, body: callback }),
      409,
      'CONFLICT',
    )

    // A supervisor of the department records the measures; the deadline job is withdrawn.
    const supervisor = await staff(r.departmentId, ['supervisor'])
    const rectified = await api(app, 'POST', `/api/rectifications/${r.id}/rectify`, {
      token: supervisor.token,
      body: { measures: '高峰时段增开两个窗口，推行预约办理' },
    })
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(200)
    expect(rectified.body.status).toBe('rectified')
    expect((await leaf(rectified.body.timeline[2].ledger)).text).not.toContain('窗口')
    expect((await deadlineJob(r.id))?.status).toBe('cancelled')

    // The citizen answers once; the rectification closes.
    const other = await api(app, 'POST', `/api/rectifications/${r.id}/rating`, {
      token: r.desk,
      body: { satisfied: true },
    })
    expectError(other, 403, 'FORBIDDEN')
    const rated = await api(app, 'POST', `/api/rectifications/${r.id}/rating`, {
      token: citizen,
      body: { satisfied: true, comment: '改进明显' },
    })
    expect(rated.status, JSON.stringify(rated.body)).toBe(200)
    expect(rated.body).toMatchObject({ status: 'closed', satisfied: true })
    const final = rated.body as RectificationDetail
    expect(final.timeline.map((s) => s.kind)).toEqual(['opened', 'called_back', 'rectified', 'rated'])
    expect(final.timeline[3]).toMatchObject({ satisfied: true, text: '改进明显' })
    expect(new Set(final.timeline.map((s) => `${s.ledger.log}/${s.ledger.index}`)).size).toBe(4)
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/rating`, {
        token: citizen,
        body: { satisfied: false },
      }),
      409,
      'CONFLICT',
    )

    // A rectified one never escalates.
    await passDeadline(final.dueAt)
    expect(await get(r.id)).toMatchObject({ status: 'closed', overdue: false })
  })

  it('lists what each caller may see, and hides another citizen’s rectification', async () => {
    const r = await badRating()
    const ids = async (token: string, query = '') => {
      const res = await api(app, 'GET', `/api/rectifications${query}`, { token })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return (res.body as RectificationList).items.map((i) => i.id)
    }
    expect(await ids(citizen)).toContain(r.id)
    expect(await ids(r.desk)).toContain(r.id)
    expect(await ids(r.desk, '?status=open')).toContain(r.id)
    expect(await ids(r.desk, '?status=closed')).not.toContain(r.id)
    expect(await ids(await login(app, 'leader.4301'), `?departmentId=${r.departmentId}`)).toContain(r.id)
    expect(await ids(await login(app, 'official.demo'))).not.toContain(r.id)
    expectError(
      await api(app, 'GET', '/api/rectifications', { token: await login(app, 'clerk.demo') }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'GET', '/api/rectifications?status=nope', { token: admin }),
      400,
      'VALIDATION_FAILED',
    )

    // Another citizen learns nothing of it; staff outside the department are refused.
    const other = await login(app, 'c0000002')
    expectError(await api(app, 'GET', `/api/rectifications/${r.id}`, { token: other }), 404, 'NOT_FOUND')
    expect(await ids(other)).not.toContain(r.id)
    expectError(
      await api(app, 'GET', `/api/rectifications/${r.id}`, { token: await login(app, 'official.demo') }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'GET', '/api/rectifications/no-such-thing', { token: admin }),
      404,
      'NOT_FOUND',
    )
  })

  it('escalates an overdue rectification once to the department’s leaders, by the manual clock', async () => {
    const r = await badRating()
    await api(app, 'POST', `/api/rectifications/${r.id}/callback`, {
      token: r.desk,
      body: { calledAt: app.services.clock.now(), summary: '已电话联系群众' },
    })
    const before = await get(r.id, r.desk)
    const departmentStaff = (
      await api(app, 'GET', `/api/staff?region=43&departmentId=${r.departmentId}`, { token: admin })
    ).body as StaffView[]
    const leaders = departmentStaff
      .filter((s) => s.active && s.roles.includes('leader'))
      .map((s) => s.id)
      .sort()
    expect(leaders.length).toBeGreaterThan(0)

    await passDeadline(before.dueAt)
    const overdue = await get(r.id, r.desk)
    expect(overdue).toMatchObject({ status: 'called_back', overdue: true })
    expect(overdue.escalatedTo.map((l) => l.id)).toEqual(leaders)
    const escalated = overdue.timeline.find((s) => s.kind === 'escalated')!
    expect(escalated).toMatchObject({ actor: null, text: null })
    expect(escalated.staff.map((l) => l.id)).toEqual(leaders)
    const event = await leaf(escalated.ledger)
    expect(event.type).toBe('rectification.escalated')
    expect(event.data).toMatchObject({
      id: r.id,
      leaders,
      policy: 'rating.rectification@1',
      dueAt: before.dueAt,
    })
    expect((await deadlineJob(r.id))?.status).toBe('done')
    expect(
      (await api(app, 'GET', `/api/rectifications?overdue=true`, { token: r.desk })).body.items,
    ).toContainEqual(expect.objectContaining({ id: r.id }))

    // Once only; the department still rectifies, late.
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P10D' } })
    expect((await get(r.id)).timeline.filter((s) => s.kind === 'escalated')).toHaveLength(1)
    const late = await api(app, 'POST', `/api/rectifications/${r.id}/rectify`, {
      token: r.desk,
      body: { measures: '已整改' },
    })
    expect(late.status, JSON.stringify(late.body)).toBe(200)
    expect(late.body).toMatchObject({ status: 'rectified', overdue: true })
  })

  it('excludes the rating and voids the rectification when a contest is upheld, by nobody of the department', async () => {
    const r = await badRating()
    // A supervisor who also leads: holds both permissions, so the service's own rules must refuse them.
    const both = await staff(r.departmentId, ['supervisor', 'leader'])
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/contest`, {
        token: citizen,
        body: { reason: '不实' },
      }),
      403,
      'FORBIDDEN',
    )
    const contested = await api(app, 'POST', `/api/rectifications/${r.id}/contest`, {
      token: both.token,
      body: { reason: '申请人所述排队情况与叫号记录不符' },
    })
    expect(contested.status, JSON.stringify(contested.body)).toBe(200)
    expect(contested.body).toMatchObject({ status: 'open', contest: 'pending' })
    expect((await leaf(contested.body.timeline[1].ledger)).text).not.toContain('叫号')
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/contest`, {
        token: r.desk,
        body: { reason: '再次申诉' },
      }),
      409,
      'CONFLICT',
    )

    const decision = { upheld: true, reason: '经核查叫号记录，评价不实' }
    const decide = (token: string) =>
      api(app, 'POST', `/api/rectifications/${r.id}/contest/decision`, { token, body: decision })
    const own = await decide(both.token)
    expectError(own, 403, 'FORBIDDEN')
    expect(own.body.error.details.rule).toBe('own_contest')
    const departmentLeader = await staff(r.departmentId, ['leader'])
    const sameDepartment = await decide(departmentLeader.token)
    expectError(sameDepartment, 403, 'FORBIDDEN')
    expect(sameDepartment.body.error.details.rule).toBe('own_department')
    for (const token of [r.desk, citizen, await login(app, 'auditor.4301')])
      expectError(await decide(token), 403, 'FORBIDDEN')

    const upheld = await decide(await login(app, 'leader.4301'))
    expect(upheld.status, JSON.stringify(upheld.body)).toBe(200)
    expect(upheld.body).toMatchObject({ status: 'void', contest: 'upheld', rating: { excluded: true } })
    expect(upheld.body.timeline.at(-1)).toMatchObject({ kind: 'contest_decided', upheld: true })
    expect((await deadlineJob(r.id))?.status).toBe('cancelled')
    // The rating stays, excluded.
    const rating = await api(app, 'GET', `/api/cases/${r.caseId}/rating`, { token: citizen })
    expect(rating.body).toMatchObject({ score: 1, excluded: true })
    expectError(await decide(admin), 409, 'CONFLICT')
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/callback`, {
        token: r.desk,
        body: { calledAt: app.services.clock.now(), summary: '回访' },
      }),
      409,
      'CONFLICT',
    )
    await passDeadline(upheld.body.dueAt)
    expect(await get(r.id)).toMatchObject({ status: 'void', overdue: false })
  })

  it('goes on when a contest is rejected, and the citizen rates it once rectified', async () => {
    const r = await badRating()
    await api(app, 'POST', `/api/rectifications/${r.id}/contest`, {
      token: r.desk,
      body: { reason: '评价不实' },
    })
    const rejected = await api(app, 'POST', `/api/rectifications/${r.id}/contest/decision`, {
      token: await login(app, 'admin.4301'),
      body: { upheld: false, reason: '群众反映属实' },
    })
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200)
    expect(rejected.body).toMatchObject({ status: 'open', contest: 'rejected', rating: { excluded: false } })
    expect((await leaf(rejected.body.timeline.at(-1).ledger)).data).toMatchObject({ upheld: false })
    expect((await deadlineJob(r.id))?.status).toBe('pending')
    expectError(
      await api(app, 'POST', `/api/rectifications/${r.id}/contest`, {
        token: r.desk,
        body: { reason: '再诉' },
      }),
      409,
      'CONFLICT',
    )
    for (const [path, body] of [
      ['callback', { calledAt: app.services.clock.now(), summary: '已回访' }],
      ['rectify', { measures: '已整改' }],
    ] as const) {
      const res = await api(app, 'POST', `/api/rectifications/${r.id}/${path}`, { token: r.desk, body })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
    }
    const rated = await api(app, 'POST', `/api/rectifications/${r.id}/rating`, {
      token: citizen,
      body: { satisfied: false },
    })
    expect(rated.body).toMatchObject({ status: 'closed', satisfied: false, contest: 'rejected' })
  })

  it('is replayed by the audit, which names a step, a state and an exclusion edited in SQL', async () => {
    const r = await badRating()
    for (const [path, body] of [
      ['callback', { calledAt: app.services.clock.now(), summary: '已回访' }],
      ['rectify', { measures: '增设自助终端' }],
    ] as const)
      await api(app, 'POST', `/api/rectifications/${r.id}/${path}`, { token: r.desk, body })
    const audit = async () =>
      (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    const clean = await audit()
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)

    const db = app.database.db
    await db
      .updateTable('rectification_step')
      .set({ text: '增设自助终端两台' })
      .where('rectification_id', '=', r.id)
      .where('kind', '=', 'rectified')
      .execute()
    await db.updateTable('rectification').set({ status: 'closed' }).where('id', '=', r.id).execute()
    await db.updateTable('case_rating').set({ excluded: 1 }).where('case_id', '=', r.caseId).execute()
    try {
      const report = await audit()
      expect(report.ok).toBe(false)
      expect(report.replay.differences).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ table: 'rectification_step', key: `${r.id}/rectified`, field: 'text' }),
          expect.objectContaining({
            table: 'rectification',
            key: r.id,
            field: 'status',
            expected: 'rectified',
            actual: 'closed',
          }),
          expect.objectContaining({
            table: 'case_rating',
            key: r.caseId,
            field: 'excluded',
            expected: false,
          }),
        ]),
      )
    } finally {
      await db
        .updateTable('rectification_step')
        .set({ text: '增设自助终端' })
        .where('rectification_id', '=', r.id)
        .where('kind', '=', 'rectified')
        .execute()
      await db.updateTable('rectification').set({ status: 'rectified' }).where('id', '=', r.id).execute()
      await db.updateTable('case_rating').set({ excluded: 0 }).where('case_id', '=', r.caseId).execute()
    }
    expect((await audit()).ok).toBe(true)
  })

  it('schedules the deadline of a rectification that has no job (opened before the job existed)', async () => {
    const r = await badRating()
    expect(await app.services.adoptPendingTimers()).toBe(0)
    await app.database.db
      .deleteFrom('scheduler_job')
      .where('kind', '=', 'rectification.deadline')
      .where('key', '=', r.id)
      .execute()
    expect(await deadlineJob(r.id)).toBeUndefined()
    expect(await app.services.adoptPendingTimers()).toBe(1)
    expect(await deadlineJob(r.id)).toMatchObject({ status: 'pending', dueAt: (await get(r.id)).dueAt })
    expect(await app.services.adoptPendingTimers()).toBe(0)
  })
})
