/**
 * 好差评: the applicant of a finished case rates it once (1–5, an optional reform score for the
 * redesigned process, tags, a comment). The rating is attributed to the handling department and to the
 * matter's process version, and ledgered with the comment as a salted commitment. A bad rating (by the
 * `rating.rectification` policy: 1–2 by default) opens a rectification for the handling department with
 * a deadline in working days; both record the policy version that decided them.
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { isUniqueViolation, type Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { CaseViewService } from '../cases/case-views.service.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { PolicyService } from '../policy/policy.service.js'
import { chinaWorkCalendar } from '../workflow/calendar/index.js'
import { handlingDepartment, isBadRating, type RectificationPolicy } from './ratings.model.js'
import { ratingsReplayer } from './ratings.replayer.js'
import type { RatingEventData } from './ratings.events.js'
import * as store from './ratings.store.js'
import type { ChainService } from '../appeals/chains.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import type { OrgService } from '../org/org.service.js'
import type { RectificationService } from './rectifications.service.js'
import { findRectificationOf } from './rectifications.store.js'

export interface RatingInput {
  score: number
  reformScore?: number
  tags?: string[]
  comment?: string
}

export interface RatingView {
  caseId: string
  score: number
  reformScore: number | null
  tags: string[]
  comment: string | null
  ratedAt: number
  department: { id: string; name: string } | null
  matterCode: string
  matterVersion: number
  /** The rectification policy version that judged the score. */
  policy: string
  ledger: { log: string; index: number }
  /** A contest found the review false: the rating is kept but assessment skips it. */
  excluded: boolean
  /** `online` (the applicant signed in) or `counter` (at the window: tablet or QR code). */
  channel: 'online' | 'counter'
  /** The window clerk who opened the counter rating link. */
  invitedBy: string | null
  /** The team that published the rated process version: the reform score is attributed to it. */
  team: { id: string; name: string } | null
  rectification: {
    id: string
    dueAt: number
    department: { id: string; name: string } | null
    policy: string
  } | null
}

/** A finished case as a rating needs it, and who rates it through which channel. */
export interface RatedCase {
  caseId: string
  status: string
  applicantId: string
  regionCode: string
  matterCode: string
  matterVersion: number
  /** The handling unit (see `handlingDepartment`). */
  department: { id: string; name: string } | null
  rater: Principal
  channel: 'online' | 'counter'
  /** The counter rating link, marked used in the rating's transaction (false: used or expired meanwhile). */
  invitation: {
    id: string
    invitedBy: string
    inTransaction(trx: Executor, now: number): Promise<boolean>
  } | null
}

export class RatingService {
  private readonly calendar = chinaWorkCalendar()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly caseViews: CaseViewService,
    private readonly policies: PolicyService,
    private readonly rectifications: RectificationService,
    private readonly chains: ChainService,
    private readonly catalog: CatalogService,
    private readonly org: OrgService,
  ) {}

  /**
   * Rates a finished case, once.
   * @throws FORBIDDEN (not the applicant), NOT_FOUND, CONFLICT (not finished yet, or rated already)
   */
  async rate(principal: Principal, caseId: string, input: RatingInput): Promise<RatingView> {
    assertCan(principal, 'case.rate', { ownerId: principal.accountId })
    const view = await this.caseViews.getCase(principal, caseId)
    if (view.applicantId !== principal.accountId)
      throw new AppError('FORBIDDEN', 'only the applicant rates a case', {
        details: { permission: 'case.rate' },
      })
    const department = handlingDepartment(view.timeline)
    await this.record(
      { ...view, caseId, department, rater: principal, channel: 'online', invitation: null },
      input,
    )
    return (await this.get(caseId, department)) as RatingView
  }

  /**
   * Records a rating of a finished case in one transaction with its ledger entry, and the rectification
   * a bad score opens. `rater` is the signed-in applicant, or for a counter rating the link itself
   * (`invitation:<id>`, nobody is signed in), whose `inTransaction` step marks the link used.
   * @throws CONFLICT (not finished yet, rated already, or the link was used meanwhile)
   */
  async record(c: RatedCase, input: RatingInput): Promise<void> {
    if (c.status !== 'completed' && c.status !== 'rejected')
      throw new AppError('CONFLICT', 'a case is rated once it is finished (completed or rejected)', {
        details: { status: c.status },
      })
    if (await store.findRating(this.db, c.caseId))
      throw new AppError('CONFLICT', 'this case is rated already')
    const now = this.clock.now()
    // The deadline as it governs the case's region (a city or county may shorten it).
    const policy = await this.policies.governingFor<RectificationPolicy>(
      'rating.rectification',
      c.regionCode,
      now,
    )
    const policyRef = policy.id
    const { teamId } = await this.catalog.getVersion(c.matterCode, c.matterVersion)
    const department = c.department
    const comment = input.comment?.trim() || null
    const salt = newSalt()
    const tags = [...new Set(input.tags ?? [])].sort()
    const bad = isBadRating(input.score, policy.body)
    const counter = c.invitation
    // The rectification's own chain: who decided the case, read before the rating's transaction.
    const chain = bad ? await this.chains.forRectification(c.caseId, department?.id ?? null, now) : null
    try {
      await this.db.transaction().execute(async (trx) => {
        if (counter && !(await counter.inTransaction(trx, now)))
          throw new AppError('CONFLICT', 'this rating link was used or has expired')
        const position = await this.ledger.append(trx, {
          type: 'rating.submitted',
          subject: subjectOf('case', c.caseId),
          regionCode: c.regionCode,
          actor: actorOf(c.rater),
          data: {
            case: c.caseId,
            score: input.score,
            reformScore: input.reformScore ?? null,
            tags,
            comment: comment === null ? null : commitment(comment, salt),
            matter: c.matterCode,
            version: c.matterVersion,
            department: department?.id ?? null,
            policy: policyRef,
            channel: c.channel,
            ...(counter
              ? { applicant: c.applicantId, invitation: counter.id, invitedBy: counter.invitedBy }
              : {}),
            team: teamId,
          } satisfies RatingEventData['rating.submitted'],
        })
        await store.insertRating(trx, {
          caseId: c.caseId,
          applicantId: c.applicantId,
          score: input.score,
          reformScore: input.reformScore ?? null,
          tags,
          comment,
          salt,
          matterCode: c.matterCode,
          matterVersion: c.matterVersion,
          departmentId: department?.id ?? null,
          regionCode: c.regionCode,
          policy: policyRef,
          ratedAt: now,
          ledger: position,
          excluded: false,
          channel: c.channel,
          invitedBy: counter?.invitedBy ?? null,
          teamId,
        })
        if (!bad) return
        await this.rectifications.open(trx, c.rater, {
          caseId: c.caseId,
          departmentId: department?.id ?? null,
          regionCode: c.regionCode,
          dueAt: this.calendar.addWorkingDays(now, policy.body.deadlineWorkingDays),
          policy: policyRef,
          now,
          chain,
        })
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'this case is rated already')
      throw err
    }
  }

  /**
   * The rating of a case, for whoever may read the case (the applicant, its handling departments, the
   * region's overseers; a staff look is recorded as the case read is). @throws FORBIDDEN, NOT_FOUND
   */
  async rating(principal: Principal, caseId: string): Promise<RatingView> {
    const view = await this.caseViews.getCase(principal, caseId)
    const found = await this.get(caseId, handlingDepartment(view.timeline))
    if (!found) throw new AppError('NOT_FOUND', `case ${caseId} has no rating yet`)
    return found
  }

  private async get(
    caseId: string,
    department: { id: string; name: string } | null,
  ): Promise<RatingView | undefined> {
    const r = await store.findRating(this.db, caseId)
    if (!r) return undefined
    const rect = await findRectificationOf(this.db, caseId)
    const teams = r.teamId === null ? new Map<string, never>() : await this.org.findDepartments([r.teamId])
    const named = (id: string | null) =>
      id && department?.id === id ? department : id ? { id, name: id } : null
    return {
      caseId,
      score: r.score,
      reformScore: r.reformScore,
      tags: r.tags,
      comment: r.comment,
      ratedAt: r.ratedAt,
      department: named(r.departmentId),
      matterCode: r.matterCode,
      matterVersion: r.matterVersion,
      policy: r.policy,
      ledger: r.ledger,
      excluded: r.excluded,
      channel: r.channel,
      invitedBy: r.invitedBy,
      team: r.teamId === null ? null : { id: r.teamId, name: teams.get(r.teamId)?.name ?? r.teamId },
      rectification: rect
        ? { id: rect.id, dueAt: rect.dueAt, department: named(rect.departmentId), policy: rect.policy }
        : null,
    }
  }

  /** The audit's replay of ratings and rectifications. */
  replayer(): Replayer {
    return ratingsReplayer(this.db)
  }
}
