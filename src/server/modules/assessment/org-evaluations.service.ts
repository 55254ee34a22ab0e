/**
 * The organisation evaluation (组织评价): the organisation department enters each official's score
 * (0–100) for a period, one of the promotion index's three parts beside the reform score and citizen
 * satisfaction. Every entry and correction is a ledger event in the official's city log (the comment only
 * as a salted commitment), and the official sees their own.
 *
 * Who may: the organisation department (`assessment.org_evaluate`) of a region for the officials
 * serving in it, never for themselves; an official reads their own; the organisation department reads
 * its region's (`assessment.org_read`).
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { isUniqueViolation } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan, grantFor } from '../../../shared/permissions.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import type { OrgEvaluationEventData } from './org-evaluations.events.js'
import { orgEvaluationReplayer } from './org-evaluations.replayer.js'
import * as store from './org-evaluations.store.js'
import { parsePeriod } from './assessment.model.js'

export const MAX_ORG_COMMENT = 1000

export interface OrgEvaluationInput {
  staffId: string
  period: string
  score: number
  comment?: string
}

export interface OrgEvaluationView {
  staffId: string
  staffName: string
  departmentId: string
  period: string
  score: number
  comment: string | null
  revision: number
  enteredBy: string
  enteredAt: number
  ledger: { log: string; index: number }
}

/** Above this many officials, `scores` reads a period's evaluations whole and filters them. */
const MANY_IDS = 500

export class OrgEvaluationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
  ) {}

  /**
   * Enters or corrects an official's organisation evaluation for a period.
   * @throws NOT_FOUND (no such official), FORBIDDEN (outside the caller's region, or one's own),
   *   VALIDATION_FAILED (a period not begun yet, a comment too long), CONFLICT (a correction raced)
   */
  async evaluate(principal: Principal, input: OrgEvaluationInput): Promise<OrgEvaluationView> {
    const member = await this.org.member(input.staffId)
    if (!member) throw notFound('staff', input.staffId)
    assertCan(principal, 'assessment.org_evaluate', { regionCode: member.regionCode })
    if (principal.accountId === member.id)
      throw new AppError('FORBIDDEN', 'nobody enters their own organisation evaluation', {
        details: { permission: 'assessment.org_evaluate', rule: 'own_evaluation' },
      })
    const now = this.clock.now()
    if (parsePeriod(input.period).from > now)
      throw new AppError('VALIDATION_FAILED', `the period ${input.period} has not begun`, {
        details: [{ path: '/body/period', message: 'not begun yet' }],
      })
    const comment = input.comment?.trim() || null
    if (comment && comment.length > MAX_ORG_COMMENT)
      throw new AppError('VALIDATION_FAILED', `the comment is longer than ${MAX_ORG_COMMENT} characters`, {
        details: [{ path: '/body/comment', message: 'too long' }],
      })
    const salt = newSalt()
    try {
      const saved = await this.db.transaction().execute(async (trx) => {
        const previous = await store.findEvaluation(trx, member.id, input.period)
        const revision = (previous?.revision ?? 0) + 1
        const ledger = await this.ledger.append(trx, {
          type: 'assessment.org_evaluated',
          subject: subjectOf('staff', member.id),
          regionCode: member.regionCode,
          actor: actorOf(principal),
          data: {
            staff: member.id,
            period: input.period,
            score: input.score,
            revision,
            comment: comment === null ? null : commitment(comment, salt),
          } satisfies OrgEvaluationEventData['assessment.org_evaluated'],
        })
        const e: store.OrgEvaluation = {
          staffId: member.id,
          period: input.period,
          score: input.score,
          comment,
          salt,
          revision,
          enteredBy: principal.accountId,
          enteredAt: now,
          ledger,
        }
        if (!(await store.saveEvaluation(trx, e)))
          throw new AppError('CONFLICT', 'the evaluation was corrected meanwhile; enter it again')
        return e
      })
      return this.view(saved, member)
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('CONFLICT', 'the evaluation was entered meanwhile; enter it again')
      throw err
    }
  }

  /**
   * Evaluations: one official's (their own, or for the organisation department over them), or those of
   * the caller's region for a period. @throws NOT_FOUND, FORBIDDEN
   */
  async list(principal: Principal, q: { staffId?: string; period?: string }): Promise<OrgEvaluationView[]> {
    if (q.staffId) {
      const member = await this.org.member(q.staffId)
      if (!member) throw notFound('staff', q.staffId)
      assertCan(principal, 'assessment.org_read', { regionCode: member.regionCode, ownerId: member.id })
      const rows = await store.listEvaluations(this.db, {
        staffIds: [member.id],
        ...(q.period ? { period: q.period } : {}),
      })
      return rows.map((r) => this.view(r, member))
    }
    const grant = grantFor(principal, 'assessment.org_read', { regionCode: principal.regionCode })
    if (!grant || grant.scope === 'own') {
      // An official without a region grant sees only their own.
      return this.list(principal, { staffId: principal.accountId, ...(q.period ? { period: q.period } : {}) })
    }
    const rows = await store.listInRegion(
      this.db,
      grant.scope === 'any' ? '' : principal.regionCode,
      q.period,
    )
    const names = await this.org.namesOf({ departments: [], accounts: rows.map((r) => r.staffId) })
    return rows.map((r) =>
      this.view(r, {
        id: r.staffId,
        name: names.accounts.get(r.staffId) ?? r.staffId,
        departmentId: r.departmentId,
      }),
    )
  }

  /**
   * The organisation evaluation each of these officials has for a period (the promotion index's
   * organisation part): the one entered for that period, else the one for its year.
   */
  async scores(staffIds: readonly string[], period: string): Promise<Map<string, store.OrgEvaluation>> {
    const year = period.slice(0, 4)
    // Many officials (a province's): read the period's evaluations, at most one each, and keep theirs,
    // rather than bind thousands of ids into the query.
    const wanted = staffIds.length > MANY_IDS ? new Set(staffIds) : undefined
    const ids = wanted ? undefined : staffIds
    const of = (p: string) => store.listEvaluations(this.db, { ...(ids ? { staffIds: ids } : {}), period: p })
    const [exact, yearly] = await Promise.all([of(period), period === year ? Promise.resolve([]) : of(year)])
    return new Map(
      [...yearly, ...exact].filter((r) => !wanted || wanted.has(r.staffId)).map((r) => [r.staffId, r]),
    )
  }

  private view(
    e: store.OrgEvaluation,
    member: { id: string; name: string; departmentId: string },
  ): OrgEvaluationView {
    return {
      staffId: e.staffId,
      staffName: member.name,
      departmentId: member.departmentId,
      period: e.period,
      score: e.score,
      comment: e.comment,
      revision: e.revision,
      enteredBy: e.enteredBy,
      enteredAt: e.enteredAt,
      ledger: e.ledger,
    }
  }

  /** The audit's replay of organisation evaluations. */
  replayer(): Replayer {
    return orgEvaluationReplayer(() => store.listAllEvaluations(this.db))
  }
}
