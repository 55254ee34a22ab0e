/**
 * Handling appeals, the 接诉即办 loop: the department accepts an appeal, or returns it as not its own
 * with a reason (it is routed again, to a department that has not returned it; a return counts against
 * nobody but is ledgered); the handler answers the citizen, then resolves it; the citizen says how
 * satisfied they are, and 不满意 reopens it once, with a new resolution deadline and an escalation to
 * the handler's superiors. A duplicate is merged into another appeal. Missing a deadline escalates by
 * the escalation policy's ladder (an `appeal.deadline` job per rung): the handler's superiors, then the
 * region's leaders.
 *
 * Every action is one transaction with its ledger event (and its jobs' events, in the same append),
 * guarded by the appeal's `updated_at` so that two handlers acting at once cannot both win.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { AppealView } from '../../../shared/api.js'
import type { AppealSatisfaction } from '../../../shared/domain.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import { commitment } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type LedgerEvent } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import { leadersAmong, superiorsAmong } from '../org/index.js'
import type { OrgService } from '../org/org.service.js'
import type { PolicyService } from '../policy/policy.service.js'
import { JobContended, JobObsolete, type JobHandler } from '../scheduler/index.js'
import type { SchedulerService } from '../scheduler/scheduler.service.js'
import {
  closesOnResolve,
  deadlineDays,
  MAX_REASON_LENGTH,
  MAX_REPLY_LENGTH,
  mayTake,
  stageDone,
  type Appeal,
  type AppealAction,
  type DeadlineJob,
  type DeadlinePolicy,
  type EscalationPolicy,
  type RoutingPolicy,
} from './appeals.model.js'
import {
  APPEAL_DEADLINE_JOB,
  cancelDeadlines,
  recordSteps,
  scheduleDeadlines,
  type StepRecord,
} from './appeals.journal.js'
import type { AppealService } from './appeals.service.js'
import type { AppealViewService } from './appeal-views.service.js'
import * as store from './appeals.store.js'
import type { ChainCause, ChainService } from './chains.service.js'

export const APPEAL_DISCREPANCY_JOB = 'appeal.discrepancy'

const invalid = (path: string, message: string): AppError =>
  new AppError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] })

function text(value: string | undefined, path: string, max: number): string {
  const t = (value ?? '').trim()
  if (!t) throw invalid(path, 'is required')
  if (t.length > max) throw invalid(path, `is longer than ${max} characters`)
  return t
}

/** A policy's document by the id the appeal recorded (`kind@version`, with any local overrides). */
function bodyOf<B>(policies: PolicyService, id: string, db?: Executor): Promise<B> {
  return policies.resolve<B>(id, db)
}

export class AppealHandlingService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
    private readonly policies: PolicyService,
    private readonly scheduler: SchedulerService,
    private readonly intake: AppealService,
    private readonly views: AppealViewService,
    private readonly chains: ChainService,
  ) {}

  private async load(principal: Principal, id: string, action: AppealAction): Promise<Appeal> {
    const appeal = await store.findAppeal(this.db, id)
    if (!appeal) throw notFound('appeal', id)
    if (action === 'rate') {
      if (!this.views.mayRate(principal, appeal))
        throw new AppError(
          'FORBIDDEN',
          'the citizen rates their appeal (or the operator who took their call)',
          {
            details: { permission: 'appeal.rate' },
          },
        )
    } else {
      assertCan(principal, action === 'merge' ? 'appeal.merge' : 'appeal.handle', {
        departmentId: appeal.departmentId,
      })
    }
    if (!mayTake(action, appeal.status))
      throw new AppError(
        'CONFLICT',
        `the action ${action} is not open to an appeal that is ${appeal.status}`,
        {
          details: { status: appeal.status, action },
        },
      )
    return appeal
  }

  /**
   * Writes the appeal's new state with its steps (and the jobs' events) in one transaction; the chain
   * is rebuilt in it when `rebuild` says why.
   */
  private async commit(
    principal: Principal,
    before: Appeal,
    after: Appeal,
    steps: StepRecord[],
    jobs?: (trx: Executor) => Promise<LedgerEvent[]>,
    rebuild?: ChainCause,
    then?: (trx: Executor) => Promise<void>,
  ): Promise<void> {
    const context = rebuild
      ? await this.chains.context(after, [after.departmentId], after.updatedAt)
      : undefined
    const refs = rebuild ? await this.chains.refsOf(after.id) : undefined
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.updateAppeal(trx, after, before.updatedAt)))
        throw new AppError('CONFLICT', 'the appeal changed meanwhile; look again')
      const also = (await jobs?.(trx)) ?? []
      const positions = await recordSteps(trx, this.ledger, after, principal, after.updatedAt, steps, also)
      if (rebuild && context && refs) {
        const accepted = steps.findIndex((s) => s.type === 'appeal.accepted')
        const chain = this.chains.build(after, context, {
          filed: refs.filed,
          accepted: accepted >= 0 ? (positions[accepted] ?? null) : refs.accepted,
        })
        await this.chains.record(trx, after, chain, rebuild, principal)
      }
      await then?.(trx)
    })
  }

  private stamp(a: Appeal): number {
    // Strictly later than the last change, so the optimistic guard tells every change apart.
    return Math.max(this.clock.now(), a.updatedAt + 1)
  }

  /** The department takes the appeal: the caller becomes its handler. @throws NOT_FOUND, FORBIDDEN, CONFLICT */
  async accept(principal: Principal, id: string): Promise<AppealView> {
    const a = await this.load(principal, id, 'accept')
    const now = this.stamp(a)
    const after: Appeal = { ...a, status: 'accepted', handlerId: principal.accountId, updatedAt: now }
    await this.commit(
      principal,
      a,
      after,
      [
        {
          type: 'appeal.accepted',
          ledger: { handler: principal.accountId },
          row: { handler: principal.accountId },
        },
      ],
      undefined,
      'accepted',
    )
    return this.views.get(principal, id)
  }

  /**
   * Returns the appeal as not the department's own: it is routed again by the routing policy in force,
   * to a department that has not returned it, with fresh deadlines; the old round's jobs are withdrawn.
   * @throws NOT_FOUND, FORBIDDEN, CONFLICT (no other department can take it), VALIDATION_FAILED
   */
  async return(principal: Principal, id: string, input: { reason: string }): Promise<AppealView> {
    const a = await this.load(principal, id, 'return')
    const reason = text(input.reason, '/body/reason', MAX_REASON_LENGTH)
    const steps = await store.listSteps(this.db, id)
    const excluded = new Set([
      a.departmentId,
      ...steps.filter((s) => s.type === 'appeal.returned').map((s) => String(s.data.from)),
    ])
    const now = this.stamp(a)
    const routing = await this.policies.governing<RoutingPolicy>('appeal.routing', now)
    const routed = await this.intake.route(
      routing,
      {
        kind: a.kind,
        category: a.category,
        regionCode: a.regionCode,
        text: a.text,
        withCase: a.caseId !== null,
      },
      null,
      excluded,
    )
    if (!routed)
      throw new AppError(
        'CONFLICT',
        'no other department can take this appeal: ask the region’s government office to assign it',
        {
          details: { returnedBy: [...excluded] },
        },
      )
    const deadlines = await this.policies.governingFor<DeadlinePolicy>('appeal.deadlines', a.regionCode, now)
    const days = deadlineDays(deadlines.body, a.kind)
    const escalation = await bodyOf<EscalationPolicy>(this.policies, a.escalationPolicy)
    const after: Appeal = {
      ...a,
      status: 'dispatched',
      departmentId: routed.department.id,
      handlerId: null,
      round: a.round + 1,
      respondDueAt: this.intake.calendar.addWorkingDays(now, days.respondDays),
      resolveDueAt: this.intake.calendar.addWorkingDays(now, days.resolveDays),
      respondedAt: null,
      response: null,
      routingRule: routed.rule,
      routingPolicy: routed.routingPolicy,
      deadlinePolicy: deadlines.id,
      updatedAt: now,
    }
    await this.commit(
      principal,
      a,
      after,
      [
        {
          type: 'appeal.returned',
          ledger: {
            from: a.departmentId,
            reason: commitment(reason, a.salt),
            department: after.departmentId,
            rule: after.routingRule,
            routingPolicy: after.routingPolicy,
            round: after.round,
            respondDueAt: after.respondDueAt,
            resolveDueAt: after.resolveDueAt,
            deadlinePolicy: after.deadlinePolicy,
          },
          row: { from: a.departmentId, reason, department: after.departmentId, rule: after.routingRule },
        },
      ],
      async (trx) => [
        ...(await cancelDeadlines(
          trx,
          this.scheduler,
          a,
          a.round,
          'the appeal was returned and routed again',
        )),
        ...(await scheduleDeadlines(trx, this.scheduler, after, escalation, this.intake.calendar)),
      ],
      'rerouted',
    )
    return this.views.get(principal, id)
  }

  /** The handler's first answer to the citizen. @throws NOT_FOUND, FORBIDDEN, CONFLICT, VALIDATION_FAILED */
  async respond(principal: Principal, id: string, input: { text: string }): Promise<AppealView> {
    const a = await this.load(principal, id, 'respond')
    const reply = text(input.text, '/body/text', MAX_REPLY_LENGTH)
    const now = this.stamp(a)
    const after: Appeal = { ...a, status: 'responded', respondedAt: now, response: reply, updatedAt: now }
    await this.commit(
      principal,
      a,
      after,
      [{ type: 'appeal.responded', ledger: { response: commitment(reply, a.salt) }, row: { text: reply } }],
      (trx) => cancelDeadlines(trx, this.scheduler, a, a.round, 'the appeal was answered', ['respond']),
    )
    return this.views.get(principal, id)
  }

  /**
   * The handler resolves the appeal; the citizen is then asked how satisfied they are (a discrepancy
   * closes at once). @throws NOT_FOUND, FORBIDDEN, CONFLICT, VALIDATION_FAILED
   */
  async resolve(principal: Principal, id: string, input: { text: string }): Promise<AppealView> {
    const a = await this.load(principal, id, 'resolve')
    const resolution = text(input.text, '/body/text', MAX_REPLY_LENGTH)
    const now = this.stamp(a)
    const closes = closesOnResolve(a.kind)
    const after: Appeal = {
      ...a,
      status: closes ? 'closed' : 'resolved',
      handlerId: a.handlerId ?? principal.accountId,
      respondedAt: a.respondedAt ?? now,
      response: a.response ?? resolution,
      resolvedAt: now,
      resolution,
      closedAt: closes ? now : null,
      updatedAt: now,
    }
    await this.commit(
      principal,
      a,
      after,
      [
        {
          type: 'appeal.resolved',
          ledger: { resolution: commitment(resolution, a.salt), closed: closes },
          row: { text: resolution },
        },
      ],
      (trx) => cancelDeadlines(trx, this.scheduler, a, a.round, 'the appeal was resolved'),
    )
    return this.views.get(principal, id)
  }

  /**
   * The citizen's satisfaction. 满意 and 基本满意 close the appeal; 不满意 reopens it once (a new
   * resolution deadline, its ladder scheduled, and the handler's superiors told at once), and closes
   * it the second time. @throws NOT_FOUND, FORBIDDEN, CONFLICT, VALIDATION_FAILED
   */
  async rate(
    principal: Principal,
    id: string,
    input: { satisfaction: AppealSatisfaction; comment?: string },
  ): Promise<AppealView> {
    const a = await this.load(principal, id, 'rate')
    const comment = input.comment?.trim() || null
    if (comment && comment.length > MAX_REASON_LENGTH)
      throw invalid('/body/comment', `is longer than ${MAX_REASON_LENGTH} characters`)
    const now = this.stamp(a)
    const reopen = input.satisfaction === 'dissatisfied' && !a.reopened
    let after: Appeal = { ...a, satisfaction: input.satisfaction, updatedAt: now }
    if (reopen) {
      const days = deadlineDays(await bodyOf<DeadlinePolicy>(this.policies, a.deadlinePolicy), a.kind)
      after = {
        ...after,
        status: 'accepted',
        reopened: true,
        round: a.round + 1,
        resolvedAt: null,
        resolveDueAt: this.intake.calendar.addWorkingDays(now, days.resolveDays),
      }
    } else after = { ...after, status: 'closed', closedAt: now }
    const escalation = reopen ? await bodyOf<EscalationPolicy>(this.policies, a.escalationPolicy) : undefined
    const superiors = reopen ? await this.recipients(after, 'supervisor') : []
    await this.commit(
      principal,
      a,
      after,
      [
        {
          type: 'appeal.rated',
          ledger: {
            satisfaction: input.satisfaction,
            reopened: reopen,
            round: after.round,
            resolveDueAt: reopen ? after.resolveDueAt : null,
            ...(comment ? { comment: commitment(comment, a.salt) } : {}),
          },
          row: { satisfaction: input.satisfaction, reopened: reopen, comment },
        },
      ],
      async (trx) =>
        reopen && escalation
          ? scheduleDeadlines(trx, this.scheduler, after, escalation, this.intake.calendar, ['resolve'])
          : [],
      undefined,
      reopen
        ? (trx) =>
            this.escalate(trx, after, { stage: 'satisfaction', step: 0, level: 'supervisor', to: superiors })
        : undefined,
    )
    return this.views.get(principal, id)
  }

  /**
   * Merges a duplicate into another open appeal of the same category, which carries it on; the
   * duplicate's deadlines are withdrawn. @throws NOT_FOUND, FORBIDDEN, CONFLICT, VALIDATION_FAILED
   */
  async merge(principal: Principal, id: string, input: { into: string }): Promise<AppealView> {
    const a = await this.load(principal, id, 'merge')
    if (input.into === id) throw invalid('/body/into', 'an appeal is not merged into itself')
    const into = await store.findAppeal(this.db, input.into)
    if (!into) throw notFound('appeal', input.into)
    if (into.status === 'closed' || into.status === 'merged')
      throw new AppError('CONFLICT', `appeal ${into.id} is ${into.status}: merge into an open one`)
    if (into.category !== a.category) throw invalid('/body/into', 'a duplicate has the same category')
    const now = this.stamp(a)
    const after: Appeal = { ...a, status: 'merged', mergedInto: into.id, closedAt: now, updatedAt: now }
    await this.commit(
      principal,
      a,
      after,
      [{ type: 'appeal.merged', ledger: { into: into.id }, row: { into: into.id } }],
      (trx) => cancelDeadlines(trx, this.scheduler, a, a.round, `merged into ${into.id}`),
    )
    return this.views.get(principal, id)
  }

  // ---- escalation ------------------------------------------------------------------------------------

  /** Who an escalation goes to: the handler's (or the department's) superiors, or the region's leaders. */
  private async recipients(a: Appeal, level: 'supervisor' | 'leader'): Promise<string[]> {
    const ladder = {
      // The handler's (or, unclaimed, the department's) superiors.
      supervisor: async () => {
        const members = (await this.org.membersOf([a.departmentId])).get(a.departmentId) ?? []
        return superiorsAmong(members, a.handlerId)
      },
      // The leaders of the office that leads the department's region.
      leader: async () => {
        const dept = (await this.org.findDepartments([a.departmentId])).get(a.departmentId)
        const office = dept ? await this.org.leadingOfficeOf(dept.regionCode) : undefined
        return office ? leadersAmong((await this.org.membersOf([office.id])).get(office.id) ?? []) : []
      },
    }
    return (await ladder[level]()).map((m) => m.id)
  }

  private async escalate(
    trx: Executor,
    a: Appeal,
    e: {
      stage: 'respond' | 'resolve' | 'satisfaction'
      step: number
      level: 'supervisor' | 'leader'
      to: string[]
    },
  ): Promise<void> {
    const ledger = await this.ledger.append(trx, {
      type: 'appeal.escalated',
      subject: subjectOf('appeal', a.id),
      regionCode: a.regionCode,
      actor: actorOf(SYSTEM),
      data: {
        appeal: a.id,
        round: a.round,
        stage: e.stage,
        step: e.step,
        level: e.level,
        to: e.to,
        policy: a.escalationPolicy,
      },
    })
    await store.insertEscalation(trx, {
      id: randomUUID(),
      appealId: a.id,
      round: a.round,
      stage: e.stage,
      step: e.step,
      level: e.level,
      to: e.to,
      at: this.clock.now(),
      policy: a.escalationPolicy,
      ledger,
    })
  }

  /** The handler of `appeal.deadline` jobs: one rung of the ladder, unless the stage is done by then. */
  deadlineHandler(): JobHandler<
    DeadlineJob,
    { appeal: Appeal; level: 'supervisor' | 'leader'; to: string[] }
  > {
    return {
      kind: APPEAL_DEADLINE_JOB,
      label: { zh: '诉求超期督办', en: 'Appeal deadline escalation' },
      prepare: async (job) => {
        const { appealId, round, stage, step } = job.payload
        const appeal = await store.findAppeal(this.db, appealId)
        if (!appeal) throw new JobObsolete(`appeal ${appealId} does not exist`)
        if (appeal.round !== round)
          throw new JobObsolete(`appeal ${appealId} moved on to round ${appeal.round}`)
        if (stageDone(appeal, stage))
          throw new JobObsolete(`the ${stage} stage of appeal ${appealId} is done`)
        const rung = (await bodyOf<EscalationPolicy>(this.policies, appeal.escalationPolicy)).ladder[step]
        if (!rung)
          throw new JobObsolete(`the escalation ladder of ${appeal.escalationPolicy} has no rung ${step}`)
        return { appeal, level: rung.to, to: await this.recipients(appeal, rung.to) }
      },
      run: async (trx, job, prepared) => {
        const now = await store.findAppeal(trx, prepared.appeal.id)
        if (!now || now.updatedAt !== prepared.appeal.updatedAt)
          throw new JobContended(`appeal ${prepared.appeal.id} changed`)
        await this.escalate(trx, now, {
          stage: job.payload.stage,
          step: job.payload.step,
          level: prepared.level,
          to: prepared.to,
        })
      },
    }
  }

  /** The handler of `appeal.discrepancy` jobs: opens the discrepancy appeal of a submitted case. */
  discrepancyHandler(): JobHandler<{ caseId: string }> {
    return {
      kind: APPEAL_DISCREPANCY_JOB,
      label: { zh: '数据差异自动立案', en: 'Discrepancy appeal' },
      // Its own transaction, not the job's: opening an appeal reads through the root connection.
      prepare: async (job) => this.intake.openDiscrepancy(job.payload.caseId),
      run: async () => {},
    }
  }
}
