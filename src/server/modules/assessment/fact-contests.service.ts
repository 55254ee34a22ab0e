/**
 * Contests of scorecard facts (考核事实申诉): an official contests a fact counted on their own scorecard,
 * with a reason. The contest joins the chain-contest queue (`GET /api/chain-contests`) and is decided
 * there by the same rule (`ChainService.decide`: a superior in the official's department, never one's
 * own); an upheld contest leaves the fact out of every scorecard computation from then on, at every
 * level (`AssessmentService` drops the upheld keys as it gathers facts). Filing and deciding are ledger
 * events in the official's city log, the reasons only as salted commitments.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { isUniqueViolation } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { IndicatorCode } from '../../../shared/assessment.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan, can } from '../../../shared/permissions.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import type { FactRef } from './assessment.model.js'
import type { AssessmentService } from './assessment.service.js'
import type { FactContestEventData } from './fact-contests.events.js'
import { factContestReplayer } from './fact-contests.replayer.js'
import * as store from './fact-contests.store.js'

/** The longest reason (of a contest or its decision), as for chain contests. */
export const MAX_FACT_CONTEST_REASON = 1000

export interface FactContestInput {
  period: string
  indicator: IndicatorCode
  ref: FactRef
  key: string
  reason: string
}

type LedgerRef = { log: string; index: number }

/** A fact contest as the API shows it (beside chain contests in the queue: `subject: 'fact'`). */
export interface FactContestView {
  subject: 'fact'
  id: string
  status: store.FactContestStatus
  period: string
  indicator: string
  ref: FactRef
  key: string
  factAt: number
  /** The ledger entry proving the contested fact. */
  factLedger: LedgerRef
  staffId: string
  staffName: string
  departmentId: string
  reason: string
  decidedBy: string | null
  decision: string | null
  createdAt: number
  decidedAt: number | null
  ledger: LedgerRef
  decisionLedger: LedgerRef | null
}

/** What a fact shows of its latest contest (`contest` on the facts route's items). */
export interface FactContestSummary {
  id: string
  status: store.FactContestStatus
}

/** What the chain-contest flow needs of a fact contest to apply its rule (who decides). */
export type QueuedFactContest = Pick<store.FactContest, 'id' | 'staffId' | 'departmentId' | 'status'>

export class FactContestService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
    private readonly assessment: AssessmentService,
  ) {}

  /**
   * The official contests a fact on their own scorecard: the fact (by its key, indicator and ref) must
   * be one counted for them in the period, recomputed now.
   * @throws FORBIDDEN (not staff of a department), VALIDATION_FAILED (period, reason), NOT_FOUND (no such
   *   fact on the caller's card in the period), CONFLICT (the fact has a pending or upheld contest)
   */
  async file(principal: Principal, input: FactContestInput): Promise<FactContestView> {
    if (principal.kind !== 'staff' || !principal.departmentId)
      throw new AppError('FORBIDDEN', 'only an official contests a fact of their own scorecard', {
        details: { permission: 'chain.contest' },
      })
    assertCan(principal, 'chain.contest', { departmentId: principal.departmentId })
    const reason = checkReason(input.reason)
    const active = await store.findActive(this.db, input.key)
    if (active)
      throw new AppError('CONFLICT', `this fact’s contest is ${active.status} already`, {
        details: { contest: active.id, status: active.status },
      })
    const facts = await this.assessment.facts(principal, 'official', principal.accountId, {
      period: input.period,
      indicator: input.indicator,
    })
    const fact = facts.find(
      (f) => f.key === input.key && f.ref.kind === input.ref.kind && f.ref.id === input.ref.id,
    )
    if (!fact || fact.staffId !== principal.accountId)
      throw notFound(`fact on your scorecard for ${input.period}`, input.key)
    const salt = newSalt()
    const c: store.FactContest = {
      id: randomUUID(),
      staffId: principal.accountId,
      departmentId: principal.departmentId,
      regionCode: principal.regionCode,
      period: input.period,
      indicator: fact.indicator,
      ref: fact.ref,
      key: fact.key,
      factAt: fact.at,
      factLedger: fact.ledger,
      reason,
      salt,
      status: 'pending',
      decidedBy: null,
      decision: null,
      createdAt: this.clock.now(),
      decidedAt: null,
      ledger: { log: '', index: 0 },
      decisionLedger: null,
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        c.ledger = await this.ledger.append(trx, {
          type: 'assessment.fact_contested',
          subject: subjectOf('staff', c.staffId),
          regionCode: c.regionCode,
          actor: actorOf(principal),
          data: {
            contest: c.id,
            staff: c.staffId,
            department: c.departmentId,
            period: c.period,
            indicator: c.indicator,
            ref: { kind: c.ref.kind, id: c.ref.id },
            key: c.key,
            fact: c.factLedger,
            reason: commitment(reason, salt),
          } satisfies FactContestEventData['assessment.fact_contested'],
        })
        await store.insertContest(trx, c)
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'this fact was contested meanwhile')
      throw err
    }
    return (await this.views([c]))[0]!
  }

  /** A fact contest by id, for the chain-contest flow's decision. */
  find(id: string): Promise<store.FactContest | undefined> {
    return store.findContest(this.db, id)
  }

  /**
   * Records the decision of a fact contest. Called by the chain-contest flow (`ChainService.decide`),
   * which has applied its rule (a superior in the official's department, not the official, a pending
   * contest) and checked the reason; the update is guarded again (still pending) in the transaction.
   * @throws NOT_FOUND, CONFLICT (decided meanwhile)
   */
  async recordDecision(
    principal: Principal,
    contestId: string,
    input: { upheld: boolean; reason: string },
  ): Promise<FactContestView> {
    const contest = await store.findContest(this.db, contestId)
    if (!contest) throw notFound('contest', contestId)
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      const ledger = await this.ledger.append(trx, {
        type: 'assessment.fact_contest_decided',
        subject: subjectOf('staff', contest.staffId),
        regionCode: contest.regionCode,
        actor: actorOf(principal),
        data: {
          contest: contest.id,
          staff: contest.staffId,
          key: contest.key,
          upheld: input.upheld,
          decision: commitment(input.reason, contest.salt),
        } satisfies FactContestEventData['assessment.fact_contest_decided'],
      })
      const ok = await store.decideContest(trx, contest.id, {
        status: input.upheld ? 'upheld' : 'rejected',
        decidedBy: principal.accountId,
        decision: input.reason,
        decidedAt: now,
        ledger,
      })
      if (!ok) throw new AppError('CONFLICT', 'the contest was decided meanwhile')
    })
    const decided = await store.findContest(this.db, contestId)
    return (await this.views([decided!]))[0]!
  }

  /**
   * Fact contests the caller may decide (`chain.decide` in their department) and their own, newest
   * first (the chain-contest queue puts pending ones first). @throws FORBIDDEN (not staff)
   */
  async list(principal: Principal, status?: store.FactContestStatus): Promise<FactContestView[]> {
    if (principal.kind !== 'staff' || !principal.departmentId)
      throw new AppError('FORBIDDEN', 'contests are listed for staff', {
        details: { permission: 'chain.decide' },
      })
    const departments = can(principal, 'chain.decide', { departmentId: principal.departmentId })
      ? [principal.departmentId]
      : []
    const rows = await store.listContests(this.db, {
      departmentIds: departments,
      staffId: principal.accountId,
      ...(status ? { status } : {}),
      limit: 500,
    })
    return this.views(rows)
  }

  /** The audit's replay of fact contests. */
  replayer(): Replayer {
    return factContestReplayer(() => store.listAllContests(this.db))
  }

  private async views(rows: readonly store.FactContest[]): Promise<FactContestView[]> {
    const names = await this.org.namesOf({ departments: [], accounts: rows.map((r) => r.staffId) })
    return rows.map((c) => ({
      subject: 'fact',
      id: c.id,
      status: c.status,
      period: c.period,
      indicator: c.indicator,
      ref: c.ref,
      key: c.key,
      factAt: c.factAt,
      factLedger: c.factLedger,
      staffId: c.staffId,
      staffName: names.accounts.get(c.staffId) ?? c.staffId,
      departmentId: c.departmentId,
      reason: c.reason,
      decidedBy: c.decidedBy,
      decision: c.decision,
      createdAt: c.createdAt,
      decidedAt: c.decidedAt,
      ledger: c.ledger,
      decisionLedger: c.decisionLedger,
    }))
  }
}

function checkReason(reason: string): string {
  const text = reason.trim()
  if (!text || text.length > MAX_FACT_CONTEST_REASON)
    throw new AppError(
      'VALIDATION_FAILED',
      `a reason of 1 to ${MAX_FACT_CONTEST_REASON} characters is required`,
      {
        details: [
          { path: '/body/reason', message: `required, at most ${MAX_FACT_CONTEST_REASON} characters` },
        ],
      },
    )
  return text
}
