/**
 * 好差评 at the window on both dialects, with the manual clock: a clerk whose window served a finished
 * case opens a one-time rating link; the citizen rates through it without signing in; the rating names
 * the link, the clerk and the team that published the process version; the link works once, expires,
 * and is refused to a window that did not serve the case; the audit replays links and ratings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher, type CaseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AuditRunResult, CaseView } from '../../../shared/api.js'
import { handlingDepartment } from './ratings.model.js'
import { INVITATION_TTL_MS } from './rating-invitations.service.js'

describe.each(DIALECTS)('counter ratings on %s', (dialect) => {
  let app: TestApp
  let citizen: string
  let admin: string
  let finisher: CaseFinisher
  /** The clerk of the department that decided `c` (a test desk: clerk and official). */
  const clerkOf = (c: CaseView) => finisher.desk(handlingDepartment(c.timeline)!.id)

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    citizen = await login(app, 'citizen.demo')
    admin = await login(app, 'admin')
    finisher = caseFinisher(app, 't.counter', { citizen, admin })
  })
  afterAll(() => app?.dispose())

  it('lets the citizen rate once through the link, attributed to the clerk, the unit and the publishing team', async () => {
    const c = await finisher.finishedCase()
    const clerk = await clerkOf(c)
    const opened = await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: clerk })
    expect(opened.status, JSON.stringify(opened.body)).toBe(201)
    const { token, path, expiresAt } = opened.body
    expect(path).toBe(`/rate/${token}`)
    expect(expiresAt).toBe(app.services.clock.now() + INVITATION_TTL_MS)
    // Only a hash of the token is kept.
    const rows = await app.database.db.selectFrom('rating_invitation').selectAll().execute()
    expect(JSON.stringify(rows)).not.toContain(token)

    // The page behind the link: no sign-in, nothing personal.
    const page = await api(app, 'GET', `/api/rating-invitations/${token}`)
    expect(page.status, JSON.stringify(page.body)).toBe(200)
    expect(page.body).toEqual({
      matterName: expect.any(String),
      status: 'completed',
      completedAt: c.completedAt,
      department: handlingDepartment(c.timeline),
      expiresAt,
      state: 'open',
      rectification: null,
    })
    const rated = await api(app, 'POST', `/api/rating-invitations/${token}/rating`, {
      body: { score: 5, reformScore: 5, tags: ['friendly'], comment: '窗口很耐心' },
    })
    expect(rated.status, JSON.stringify(rated.body)).toBe(201)
    expect(rated.body.state).toBe('used')

    // The applicant sees the rating as theirs, from the counter; the clerk is named, and the team.
    const rating = (await api(app, 'GET', `/api/cases/${c.id}/rating`, { token: citizen })).body
    const clerkId = (await api(app, 'GET', '/api/auth/me', { token: clerk })).body.id
    const engineer = await app.database.db
      .selectFrom('account')
      .innerJoin('staff', 'staff.account_id', 'account.id')
      .select(['account.id', 'staff.department_id'])
      .where('account.username', '=', 'engineer')
      .executeTakeFirstOrThrow()
    expect(rating).toMatchObject({
      score: 5,
      reformScore: 5,
      channel: 'counter',
      invitedBy: clerkId,
      team: { id: engineer.department_id, name: expect.any(String) },
      department: handlingDepartment(c.timeline),
    })
    // The ledger entry's actor is the link, not the clerk and not a signed-in citizen.
    const [entry] = await app.services.ledger.entries(
      rating.ledger.log,
      rating.ledger.index,
      rating.ledger.index + 1,
    )
    const leaf = Buffer.from(entry!.leaf, 'base64').toString('utf8')
    expect(leaf).toContain(`invitation:${opened.body.id}`)
    expect(leaf).not.toContain('耐心')

    // Once only: the link, a new link, and the online rating all refuse now.
    expectError(
      await api(app, 'POST', `/api/rating-invitations/${token}/rating`, { body: { score: 1 } }),
      409,
      'CONFLICT',
    )
    expectError(
      await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: clerk }),
      409,
      'CONFLICT',
    )
    expectError(
      await api(app, 'POST', `/api/cases/${c.id}/rating`, { token: citizen, body: { score: 3 } }),
      409,
      'CONFLICT',
    )
  })

  it('is opened only by a window that served the finished case, and expires', async () => {
    const c = await finisher.finishedCase()
    const stranger = await login(app, 'hotline.demo')
    expectError(
      await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: stranger }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: citizen }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/cases/no-such-case/rating/invitations', { token: await clerkOf(c) }),
      404,
      'NOT_FOUND',
    )
    expectError(await api(app, 'GET', '/api/rating-invitations/not-a-token'), 404, 'NOT_FOUND')
    expectError(
      await api(app, 'POST', '/api/rating-invitations/not-a-token/rating', { body: { score: 5 } }),
      404,
      'NOT_FOUND',
    )
    const { token } = (
      await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: await clerkOf(c) })
    ).body
    expectError(
      await api(app, 'POST', `/api/rating-invitations/${token}/rating`, { body: { score: 9 } }),
      400,
      'VALIDATION_FAILED',
    )
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'PT31M' } })
    expect((await api(app, 'GET', `/api/rating-invitations/${token}`)).body.state).toBe('expired')
    expectError(
      await api(app, 'POST', `/api/rating-invitations/${token}/rating`, { body: { score: 4 } }),
      409,
      'CONFLICT',
    )
    // The citizen can still rate online.
    const online = await api(app, 'POST', `/api/cases/${c.id}/rating`, { token: citizen, body: { score: 4 } })
    expect(online.status, JSON.stringify(online.body)).toBe(201)
    expect(online.body).toMatchObject({ channel: 'online', invitedBy: null })
  })

  it('opens a rectification for a bad counter rating', async () => {
    const c = await finisher.finishedCase()
    const { token } = (
      await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: await clerkOf(c) })
    ).body
    const rated = await api(app, 'POST', `/api/rating-invitations/${token}/rating`, {
      body: { score: 1, tags: ['long_wait'] },
    })
    expect(rated.status, JSON.stringify(rated.body)).toBe(201)
    const rating = (await api(app, 'GET', `/api/cases/${c.id}/rating`, { token: citizen })).body
    expect(rating.rectification).toMatchObject({ department: handlingDepartment(c.timeline) })
    // The citizen at the counter is told who calls back, and by when.
    expect(rated.body.rectification).toEqual({
      dueAt: rating.rectification.dueAt,
      department: handlingDepartment(c.timeline),
    })
  })

  it('is replayed by the audit, which names a link marked used by hand and a team changed after the fact', async () => {
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    const c = await finisher.finishedCase()
    const { id } = (
      await api(app, 'POST', `/api/cases/${c.id}/rating/invitations`, { token: await clerkOf(c) })
    ).body
    await app.database.db.updateTable('rating_invitation').set({ used_at: 1 }).where('id', '=', id).execute()
    await app.database.db
      .updateTable('matter_version')
      .set({ team_id: 'someone-else' })
      .where('matter_code', '=', c.matterCode)
      .where('version', '=', c.matterVersion)
      .execute()
    const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(report.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'rating_invitation', field: 'used', expected: false, actual: true }),
    )
    expect(report.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'matter_version', field: 'team', actual: 'someone-else' }),
    )
  })
})
