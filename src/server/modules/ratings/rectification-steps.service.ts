/**
 * How every step of a rectification (整改) is read, checked and committed, for the two services that
 * take steps (`rectifications.service.ts`: the department's steps, the deadline, the citizen's verdict;
 * `rating-contests.service.ts`: the contest of a false review) and the views they answer with.
 *
 * A step is one transaction: the rectification's new state, committed only against the revision it
 * read (the lifecycle rule is checked before the transaction for a precise error, and again by that
 * compare-and-set, so two officials recording the same step at once get one success and one CONFLICT);
 * the step's row with its text; its ledger event with the text as a salted commitment, appended with
 * the events of whatever else the step changes (the deadline job withdrawn, the rating excluded).
 * @module
 */
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import { isUniqueViolation, type Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { RectificationDetail, RectificationStep, RectificationView } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan, type Permission, type Target } from '../../../shared/permissions.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type LedgerEvent } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import type { SchedulerService } from '../scheduler/scheduler.service.js'
import type { RatingEventData } from './ratings.events.js'
import {
  MAX_STEP_TEXT_LENGTH,
  nextState,
  RECTIFICATION_DEADLINE_JOB,
  type RectificationAction,
  type RectificationState,
} from './rectifications.model.js'
import * as store from './rectifications.store.js'
import type { RatedRectification, StepKind, StoredStep } from './rectifications.store.js'

/** One step as it is committed. */
export interface Change {
  action: RectificationAction
  upheld?: boolean
  kind: StepKind
  text: string | null
  calledAt?: number
  verdict?: boolean
  staffIds?: string[]
  now: number
  /** The step's ledger event, given the commitment to its text (null without text). */
  event: (committed: string | null) => { type: keyof RatingEventData; data: Record<string, unknown> }
  /** More writes of the step in its transaction, returning ledger events to append after its own. */
  also?: (trx: Executor) => Promise<LedgerEvent[]>
}

type Names = { departments: Map<string, string>; accounts: Map<string, string> }

export const stateOf = (r: RatedRectification): RectificationState => ({
  status: r.status,
  contest: r.contest,
  escalated: r.escalatedAt !== null,
})

/** A rectification as permission checks see it: the citizen's, in the case's region, the department's. */
const targetOf = (r: RatedRectification): Target => ({
  ownerId: r.rating.applicantId,
  regionCode: r.regionCode,
  departmentId: r.departmentId,
})

/** Trimmed step text. @throws VALIDATION_FAILED naming the body field when only spaces are left */
export function stepText(value: string, field: string): string {
  const text = value.trim()
  if (!text || text.length > MAX_STEP_TEXT_LENGTH)
    throw new AppError('VALIDATION_FAILED', `${field} must be 1 to ${MAX_STEP_TEXT_LENGTH} characters`, {
      details: [{ path: `/body/${field}`, message: 'must not be empty or only spaces' }],
    })
  return text
}

export class RectificationSteps {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
    private readonly scheduler: SchedulerService,
  ) {}

  /**
   * The rectification, if the caller may exercise `permission` on it. Another citizen's is NOT_FOUND
   * (a citizen learns nothing of others' ratings); staff outside the grant get FORBIDDEN.
   */
  async load(principal: Principal, id: string, permission: Permission): Promise<RatedRectification> {
    const rect = await store.findRectification(this.db, id)
    if (!rect || (principal.kind === 'citizen' && rect.rating.applicantId !== principal.accountId))
      throw notFound('rectification', id)
    assertCan(principal, permission, targetOf(rect))
    return rect
  }

  /** The rectification whatever the caller (the system's deadline job). */
  find(id: string): Promise<RatedRectification | undefined> {
    return store.findRectification(this.db, id)
  }

  steps(id: string): Promise<StoredStep[]> {
    return store.listSteps(this.db, id)
  }

  /** Commits a step in its own transaction and answers with the rectification as it now is. */
  async apply(principal: Principal, rect: RatedRectification, change: Change): Promise<RectificationDetail> {
    nextState(stateOf(rect), change.action, change.upheld)
    let committed: boolean
    try {
      committed = await this.db.transaction().execute((trx) => this.commit(trx, principal, rect, change))
    } catch (err) {
      // The step's row exists already: another request recorded the same step first.
      if (isUniqueViolation(err)) committed = false
      else throw err
    }
    if (!committed)
      throw new AppError('CONFLICT', 'the rectification changed meanwhile; reload it and try again', {
        details: { id: rect.id },
      })
    return this.detail((await store.findRectification(this.db, rect.id))!)
  }

  /**
   * The writes of one step in `trx`: the new state against the revision read, the step row, the
   * ledger event (with those of `also`). @returns false when the revision moved on
   */
  async commit(
    trx: Executor,
    principal: Principal,
    rect: RatedRectification,
    change: Change,
  ): Promise<boolean> {
    const next = nextState(stateOf(rect), change.action, change.upheld)
    const updated = await store.updateRectification(trx, rect.id, rect.revision, {
      status: next.status,
      contest: next.contest,
      escalated_at: next.escalated && rect.escalatedAt === null ? change.now : rect.escalatedAt,
    })
    if (!updated) return false
    const salt = change.text === null ? null : newSalt()
    const { type, data } = change.event(change.text === null ? null : commitment(change.text, salt!))
    const more = change.also ? await change.also(trx) : []
    const [position] = await this.ledger.appendMany(trx, [
      {
        type,
        subject: subjectOf('case', rect.caseId),
        regionCode: rect.regionCode,
        actor: actorOf(principal),
        data,
      },
      ...more,
    ])
    await store.insertStep(trx, {
      rectificationId: rect.id,
      kind: change.kind,
      at: change.now,
      actorId: principal.accountId,
      text: change.text,
      salt,
      calledAt: change.calledAt ?? null,
      verdict: change.verdict ?? null,
      staffIds: change.staffIds ?? [],
      ledger: position!,
    })
    return true
  }

  /** Withdraws the deadline job in `trx`, returning its ledger events for the step to append. */
  async withdrawDeadline(trx: Executor, rect: RatedRectification, reason: string): Promise<LedgerEvent[]> {
    const { events } = await this.scheduler.cancelRows(
      trx,
      { regionCode: rect.regionCode, subject: subjectOf('case', rect.caseId) },
      RECTIFICATION_DEADLINE_JOB,
      [rect.id],
      reason,
    )
    return events
  }

  /** Views of a page of rectifications. */
  async views(rects: readonly RatedRectification[]): Promise<RectificationView[]> {
    const steps = await store.listStepsOf(
      this.db,
      rects.map((r) => r.id),
    )
    const names = await this.names(rects, steps)
    const byId = new Map<string, StoredStep[]>()
    for (const s of steps) byId.set(s.rectificationId, [...(byId.get(s.rectificationId) ?? []), s])
    return rects.map((r) => viewOf(r, byId.get(r.id) ?? [], names))
  }

  /** A rectification with its timeline: its opening, then every step, each with its ledger entry. */
  async detail(rect: RatedRectification): Promise<RectificationDetail> {
    const steps = await store.listSteps(this.db, rect.id)
    const names = await this.names([rect], steps)
    const person = (id: string) => ({ id, name: names.accounts.get(id) ?? id })
    const timeline: RectificationStep[] = [
      {
        kind: 'opened',
        at: rect.createdAt,
        actor: person(rect.rating.applicantId),
        text: null,
        calledAt: null,
        upheld: null,
        satisfied: null,
        staff: [],
        ledger: rect.ledger,
      },
      ...steps.map((s) => ({
        kind: s.kind,
        at: s.at,
        actor: s.actorId === SYSTEM.accountId ? null : person(s.actorId),
        text: s.text,
        calledAt: s.calledAt,
        upheld: s.kind === 'contest_decided' ? s.verdict : null,
        satisfied: s.kind === 'rated' ? s.verdict : null,
        staff: s.staffIds.map(person),
        ledger: s.ledger,
      })),
    ]
    return { ...viewOf(rect, steps, names), timeline }
  }

  private names(rects: readonly RatedRectification[], steps: readonly StoredStep[]): Promise<Names> {
    return this.org.namesOf({
      departments: [...new Set(rects.flatMap((r) => (r.departmentId ? [r.departmentId] : [])))],
      accounts: [
        ...new Set([
          ...rects.map((r) => r.rating.applicantId),
          ...steps.flatMap((s) => [s.actorId, ...s.staffIds]),
        ]),
      ],
    })
  }
}

function viewOf(r: RatedRectification, steps: readonly StoredStep[], names: Names): RectificationView {
  const escalated = steps.find((s) => s.kind === 'escalated')
  const rated = steps.find((s) => s.kind === 'rated')
  return {
    id: r.id,
    caseId: r.caseId,
    matterCode: r.rating.matterCode,
    status: r.status,
    department: r.departmentId
      ? { id: r.departmentId, name: names.departments.get(r.departmentId) ?? r.departmentId }
      : null,
    regionCode: r.regionCode,
    rating: {
      score: r.rating.score,
      tags: r.rating.tags,
      comment: r.rating.comment,
      excluded: r.rating.excluded,
    },
    createdAt: r.createdAt,
    dueAt: r.dueAt,
    overdue: r.escalatedAt !== null,
    escalatedTo: (escalated?.staffIds ?? []).map((id) => ({ id, name: names.accounts.get(id) ?? id })),
    contest: r.contest,
    satisfied: rated?.verdict ?? null,
    policy: r.policy,
    ledger: r.ledger,
  }
}
