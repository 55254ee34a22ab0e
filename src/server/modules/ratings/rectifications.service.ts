/**
 * The rectification (整改) a bad rating opens, through its lifecycle by the national 好差评 rules: the
 * handling department calls the citizen back (回访), then records the measures it took (整改完成), by
 * the policy's deadline; a deadline missed escalates once to the department's leaders (the scheduler's
 * `rectification.deadline` job, scheduled in the rating's transaction); the citizen then answers
 * whether they are satisfied (满意/不满意) and it closes. The contest of a false review is
 * `rating-contests.service.ts`; how a step is checked and committed, `rectification-steps.service.ts`.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { scopeFor, SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { RectificationDetail, RectificationList, RectificationStatus } from '../../../shared/api.js'
import { AppError } from '../../../shared/errors.js'
import { actorOf, subjectOf } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { JobObsolete } from '../scheduler/index.js'
import type { SchedulerService } from '../scheduler/scheduler.service.js'
import type { RatingEventData } from './ratings.events.js'
import { stateOf, stepText, type RectificationSteps } from './rectification-steps.service.js'
import { leadersAmong } from '../org/index.js'
import { allows, RECTIFICATION_DEADLINE_JOB } from './rectifications.model.js'
import * as store from './rectifications.store.js'
import type { StoredRectificationChain } from './rectifications.store.js'
import type { Chain } from '../appeals/index.js'
import { ledgerLinks, linksDigest } from '../appeals/chains.service.js'
import type { RatedRectification } from './rectifications.store.js'

export interface RectificationQuery {
  status?: RectificationStatus
  departmentId?: string
  overdue?: boolean
  limit?: number
  offset?: number
}

/** The payload of a `rectification.deadline` job. */
export interface DeadlinePayload {
  rectificationId: string
}

/** What the deadline job read before its transaction. */
export interface PreparedEscalation {
  rect: RatedRectification
  leaders: string[]
}

export class RectificationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
    private readonly scheduler: SchedulerService,
    private readonly steps: RectificationSteps,
  ) {}

  // ---- opening (in the rating's transaction) ------------------------------------------------------

  /**
   * Opens the rectification of a bad rating in the rating's transaction, with the job that escalates
   * it when its deadline passes unrectified. @returns its id
   */
  async open(
    trx: Executor,
    principal: Principal,
    o: {
      caseId: string
      departmentId: string | null
      regionCode: string
      dueAt: number
      policy: string
      now: number
      /** Its responsibility chain, built before the transaction (see ChainService.forRectification). */
      chain: Chain | null
    },
  ): Promise<string> {
    const id = randomUUID()
    const owner = { regionCode: o.regionCode, subject: subjectOf('case', o.caseId) }
    const { events: jobEvents } = await this.scheduler.scheduleRows(trx, owner, [
      {
        kind: RECTIFICATION_DEADLINE_JOB,
        key: id,
        dueAt: o.dueAt,
        payload: { rectificationId: id } satisfies DeadlinePayload,
      },
    ])
    const positions = await this.ledger.appendMany(trx, [
      {
        type: 'rectification.opened',
        ...owner,
        actor: actorOf(principal),
        data: {
          id,
          case: o.caseId,
          department: o.departmentId,
          dueAt: o.dueAt,
          policy: o.policy,
        } satisfies RatingEventData['rectification.opened'],
      },
      ...(o.chain
        ? [
            {
              type: 'rectification.chain_built',
              ...owner,
              actor: actorOf(principal),
              data: {
                id,
                case: o.caseId,
                policy: o.chain.policyVersion,
                rule: o.chain.rule,
                links: ledgerLinks(o.chain.links),
                digest: linksDigest(o.chain.links),
              } satisfies RatingEventData['rectification.chain_built'],
            },
          ]
        : []),
      ...jobEvents,
    ])
    await store.insertRectification(trx, {
      id,
      caseId: o.caseId,
      departmentId: o.departmentId,
      regionCode: o.regionCode,
      status: 'open',
      dueAt: o.dueAt,
      policy: o.policy,
      createdAt: o.now,
      ledger: positions[0]!,
      contest: null,
      escalatedAt: null,
      revision: 0,
    })
    if (o.chain) {
      const [, built] = positions
      await store.insertChain(trx, { rectificationId: id, chain: o.chain, builtAt: o.now, ledger: built! })
    }
    return id
  }

  /**
   * A rectification's responsibility chain, for whoever may read the rectification.
   * @throws NOT_FOUND (also when it has none: opened before chains existed), FORBIDDEN
   */
  async responsibility(principal: Principal, id: string): Promise<StoredRectificationChain> {
    await this.steps.load(principal, id, 'rectification.read')
    const found = await store.findChain(this.db, id)
    if (!found)
      throw new AppError('NOT_FOUND', `rectification ${id} has no responsibility chain`, { details: { id } })
    return found
  }

  /**
   * Schedules the deadline job of every rectification that may still escalate and has none (those
   * opened before the job existed), so none is silently never escalated. @returns how many
   */
  async adoptDeadlines(): Promise<number> {
    const waiting = await store.listAwaitingDeadline(this.db)
    const known = await this.scheduler.existingKeys(
      RECTIFICATION_DEADLINE_JOB,
      waiting.map((r) => r.id),
    )
    const orphans = waiting.filter((r) => !known.has(r.id))
    for (const r of orphans)
      await this.db.transaction().execute((trx) =>
        this.scheduler.schedule(trx, { regionCode: r.regionCode, subject: subjectOf('case', r.caseId) }, [
          {
            kind: RECTIFICATION_DEADLINE_JOB,
            key: r.id,
            dueAt: r.dueAt,
            payload: { rectificationId: r.id } satisfies DeadlinePayload,
          },
        ]),
      )
    return orphans.length
  }

  // ---- reading ----------------------------------------------------------------------------------

  /**
   * Rectifications in the caller's scope (`rectification.read`), soonest deadline first: the citizen's
   * own, a department's staff their department's, overseers their region subtree's. @throws FORBIDDEN
   */
  async list(principal: Principal, query: RectificationQuery): Promise<RectificationList> {
    const scope = scopeFor(principal, 'rectification.read')
    const page = await store.listRectifications(this.db, scope, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.departmentId ? { departmentId: query.departmentId } : {}),
      ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    })
    return { items: await this.steps.views(page.items), total: page.total }
  }

  /** One rectification with its timeline. @throws NOT_FOUND (also another citizen's), FORBIDDEN */
  async get(principal: Principal, id: string): Promise<RectificationDetail> {
    return this.steps.detail(await this.steps.load(principal, id, 'rectification.read'))
  }

  // ---- the department's steps --------------------------------------------------------------------

  /**
   * Records the call-back (回访): when the department called the citizen, and what was said.
   * @throws NOT_FOUND, FORBIDDEN (not the handling department's official or supervisor),
   *   VALIDATION_FAILED (a call before the rectification opened or in the future), CONFLICT (not open)
   */
  async callback(
    principal: Principal,
    id: string,
    input: { calledAt: number; summary: string },
  ): Promise<RectificationDetail> {
    const rect = await this.steps.load(principal, id, 'rectification.handle')
    const summary = stepText(input.summary, 'summary')
    const now = this.clock.now()
    if (input.calledAt < rect.createdAt || input.calledAt > now)
      throw new AppError('VALIDATION_FAILED', 'the call took place between the bad rating and now', {
        details: [{ path: '/body/calledAt', message: `must lie between ${rect.createdAt} and ${now}` }],
      })
    return this.steps.apply(principal, rect, {
      action: 'callback',
      kind: 'called_back',
      text: summary,
      calledAt: input.calledAt,
      now,
      event: (committed) => ({
        type: 'rectification.called_back',
        data: {
          id,
          case: rect.caseId,
          at: now,
          calledAt: input.calledAt,
          summary: committed!,
        } satisfies RatingEventData['rectification.called_back'],
      }),
    })
  }

  /**
   * Records the measures taken (整改完成), after the call-back; the deadline job is withdrawn.
   * @throws NOT_FOUND, FORBIDDEN, CONFLICT (not called back yet, or rectified already)
   */
  async rectify(principal: Principal, id: string, input: { measures: string }): Promise<RectificationDetail> {
    const rect = await this.steps.load(principal, id, 'rectification.handle')
    const measures = stepText(input.measures, 'measures')
    const now = this.clock.now()
    return this.steps.apply(principal, rect, {
      action: 'rectify',
      kind: 'rectified',
      text: measures,
      now,
      event: (committed) => ({
        type: 'rectification.rectified',
        data: {
          id,
          case: rect.caseId,
          at: now,
          measures: committed!,
        } satisfies RatingEventData['rectification.rectified'],
      }),
      also: (trx) => this.steps.withdrawDeadline(trx, rect, 'the rectification was rectified'),
    })
  }

  // ---- the citizen -------------------------------------------------------------------------------

  /**
   * The citizen whose bad rating opened it answers satisfied or not (满意/不满意), once, after the
   * department rectified; it closes. @throws NOT_FOUND, FORBIDDEN, CONFLICT (not rectified yet,
   *   rated already, or a contest pending)
   */
  async rate(
    principal: Principal,
    id: string,
    input: { satisfied: boolean; comment?: string },
  ): Promise<RectificationDetail> {
    const rect = await this.steps.load(principal, id, 'rectification.rate')
    const comment = input.comment?.trim() || null
    const now = this.clock.now()
    return this.steps.apply(principal, rect, {
      action: 'rate',
      kind: 'rated',
      text: comment,
      verdict: input.satisfied,
      now,
      event: (committed) => ({
        type: 'rectification.rated',
        data: {
          id,
          case: rect.caseId,
          at: now,
          satisfied: input.satisfied,
          comment: committed,
        } satisfies RatingEventData['rectification.rated'],
      }),
    })
  }

  // ---- the deadline (the scheduler's job) ----------------------------------------------------------

  /**
   * What the deadline job reads before its transaction: the rectification and the department's
   * leaders. @throws JobObsolete when nothing is overdue (rectified, closed, void, or escalated already)
   */
  /**
   * Whom an overdue rectification goes to: the department's leaders, or, for a department without
   * any (a service centre's clerks), the leaders of the office that leads its region.
   */
  private async leadersOver(departmentId: string): Promise<string[]> {
    const own = leadersAmong((await this.org.membersOf([departmentId])).get(departmentId) ?? [])
    if (own.length) return own.map((m) => m.id)
    const dept = (await this.org.findDepartments([departmentId])).get(departmentId)
    const office = dept ? await this.org.leadingOfficeOf(dept.regionCode) : undefined
    return office
      ? leadersAmong((await this.org.membersOf([office.id])).get(office.id) ?? []).map((m) => m.id)
      : []
  }

  async prepareEscalation(id: string): Promise<PreparedEscalation> {
    const rect = await this.steps.find(id)
    if (!rect) throw new Error(`rectification ${id} of a deadline job does not exist`)
    if (!allows(stateOf(rect), 'escalate'))
      throw new JobObsolete(`rectification ${id} is ${rect.status}: nothing is overdue`)
    return { rect, leaders: rect.departmentId ? await this.leadersOver(rect.departmentId) : [] }
  }

  /**
   * Marks the rectification overdue and escalates it to the leaders, in the job's transaction.
   * @returns false when the rectification changed since it was read (the job runs again)
   */
  async escalate(trx: Executor, prepared: PreparedEscalation, now: number): Promise<boolean> {
    const { rect, leaders } = prepared
    return this.steps.commit(trx, SYSTEM, rect, {
      action: 'escalate',
      kind: 'escalated',
      text: null,
      staffIds: leaders,
      now,
      event: () => ({
        type: 'rectification.escalated',
        data: {
          id: rect.id,
          case: rect.caseId,
          department: rect.departmentId,
          at: now,
          dueAt: rect.dueAt,
          leaders,
          policy: rect.policy,
        } satisfies RatingEventData['rectification.escalated'],
      }),
    })
  }
}
