/**
 * Responsibility chains follow their cases, on both dialects, with the manual clock: a delay complaint
 * filed while its step is unclaimed names the official on duty; once an official claims the step and
 * completes it late, the chain (rebuilt by the event-tail consumer, `cause: 'case'`) names that
 * handler. A chain the case's events do not change is not recorded again, a closed appeal keeps its
 * chain, and the audit replays the rebuilt revisions and checks the consumer's cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseFinisher } from '../../../../test/support/cases.js'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, login } from '../../../../test/support/http.js'
import type {
  AppealView,
  AuditRunResult,
  CaseView,
  ResponsibilityChainView,
  TaskView,
} from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import type { DemoCitizen } from '../sim/demo.model.js'
import { casesOf, CHAINS_CONSUMER } from './chains.follow.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]

describe('the cases a page of events is about', () => {
  it('reads case subjects only, each once', () => {
    expect(
      casesOf([{ subject: 'case:a' }, { subject: 'job:x' }, { subject: 'case:b' }, { subject: 'case:a' }]),
    ).toEqual(['a', 'b'])
    expect(casesOf([{ subject: 'case:' }, { subject: 'appeal:a' }])).toEqual([])
  })
})

describe.each(DIALECTS)('chains following their cases on %s', (dialect) => {
  let app: TestApp
  let citizen: string
  let admin: string

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    citizen = await login(app, 'citizen.demo')
    admin = await login(app, 'admin')
  })
  afterAll(() => app?.dispose())

  const chainOf = async (appealId: string): Promise<ResponsibilityChainView> => {
    const res = await api(app, 'GET', `/api/appeals/${appealId}/responsibility`, { token: admin })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as ResponsibilityChainView
  }

  const complain = async (caseId: string, text: string): Promise<AppealView> => {
    const res = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: { kind: 'complaint', caseId, text },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as AppealView
  }

  const post = async (token: string, url: string, body?: object): Promise<void> => {
    const res = await api(app, 'POST', url, { token, ...(body ? { body } : {}) })
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200)
  }

  it('names the late handler once the unclaimed step is claimed and completed', async () => {
    const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!),
        channel: 'online',
      },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const caseId = (submitted.body as CaseView).id
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P30D' } })

    // Filed while the step is unclaimed: the official on duty in its department answers for it.
    const appeal = await complain(caseId, '提交一个月了还没人受理')
    const filed = await chainOf(appeal.id)
    const onDuty = filed.links.find((l) => l.primary)!
    expect(filed).toMatchObject({ revision: 1, cause: 'filed', rule: 'delay' })
    expect(onDuty).toMatchObject({ function: 'on_duty', departmentId: appeal.department.id })
    // A second complaint about the case, closed before the case moves on (resolved, the citizen
    // satisfied): it keeps the chain it was judged by.
    const closed = await complain(caseId, '再次投诉：一个月没人受理')

    // The case's events up to now (its submission, the limits it passed) change nothing.
    const caughtUp = await app.services.eventConsumers.drain()
    expect(caughtUp[CHAINS_CONSUMER]).toBeGreaterThan(0)
    expect(await chainOf(appeal.id)).toMatchObject({ revision: 1, cause: 'filed' })

    const desk = await caseFinisher(app, 'follow', { citizen, admin }).desk(appeal.department.id)
    const handler = (await api(app, 'GET', '/api/auth/me', { token: desk })).body as { id: string }
    for (const step of ['accept', 'respond', 'resolve'] as const)
      await post(
        desk,
        `/api/appeals/${closed.id}/${step}`,
        step === 'accept' ? undefined : { text: '已督促办理' },
      )
    await post(citizen, `/api/appeals/${closed.id}/rating`, { satisfaction: 'satisfied' })
    const closedChain = await chainOf(closed.id)
    expect(
      ((await api(app, 'GET', `/api/appeals/${closed.id}`, { token: admin })).body as AppealView).status,
    ).toBe('closed')

    // An official of the department claims the step…
    const task = ((await api(app, 'GET', '/api/tasks', { token: desk })).body as TaskView[]).find(
      (t) => t.caseId === caseId && t.departmentId === appeal.department.id,
    )!
    expect(task, 'the unclaimed step').toBeDefined()
    await post(desk, `/api/tasks/${task.id}/claim`)
    // …which the chain does not know until the consumer reads the case's new event.
    expect((await chainOf(appeal.id)).revision).toBe(1)
    await app.services.eventConsumers.drain()
    const claimed = await chainOf(appeal.id)
    expect(claimed).toMatchObject({ revision: 2, cause: 'case', rule: 'delay' })
    expect(claimed.links.find((l) => l.primary)).toMatchObject({
      staffId: handler.id,
      function: 'step_handler',
      explain: { code: 'held_past_limit' },
    })
    expect(claimed.links.some((l) => l.staffId === onDuty.staffId && l.primary)).toBe(false)

    // …and completes it, a month late: the chain names them, citing the completion too.
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'PT1H' } })
    await post(desk, `/api/tasks/${task.id}/complete`, { outcome: 'approve', comment: '同意' })
    await app.services.eventConsumers.drain()
    const completed = await chainOf(appeal.id)
    expect(completed).toMatchObject({ revision: 3, cause: 'case' })
    const late = completed.links.find((l) => l.primary)!
    expect(late).toMatchObject({ staffId: handler.id, function: 'step_handler' })
    expect(late.evidence.length).toBeGreaterThan(claimed.links.find((l) => l.primary)!.evidence.length)
    // The revision is on the ledger like any other: chain.built, cause case, by the system.
    const { leaf } = await app.services.ledger.entryWithProof(completed.ledger.log, completed.ledger.index)
    expect(leaf).toMatchObject({
      type: 'chain.built',
      subject: `appeal:${appeal.id}`,
      actor: { id: 'system' },
      data: { appeal: appeal.id, revision: 3, cause: 'case' },
    })

    // Nothing new about the case: draining again records nothing.
    await app.services.eventConsumers.drain()
    expect((await chainOf(appeal.id)).revision).toBe(3)
    // The closed complaint kept its chain.
    expect(await chainOf(closed.id)).toEqual(closedChain)

    // The audit replays the rebuilt revisions, and checks the consumer's cursor.
    const run = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(run.ok, JSON.stringify(run.replay.differences)).toBe(true)
  })
})
