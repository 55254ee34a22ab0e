/**
 * Gathering the facts of scorecards: every fact of one or more periods in a region, a few set-based
 * queries per period (`facts.model.ts` and `trace-facts.model.ts` say what each counts). What does not
 * depend on the period (the records held and who holds them, the upheld contests) is read once for all
 * the periods asked, so a scorecard's current and previous periods share it.
 * @module
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { PolicyService } from '../policy/policy.service.js'
import { keyed, parsePolicyRef, type Fact } from './assessment.model.js'
import * as store from './assessment.store.js'
import * as contests from './fact-contests.store.js'
import {
  appealFacts,
  ratingFacts,
  rectificationFacts,
  reformFacts,
  stepFacts,
  supplementFacts,
} from './facts.model.js'
import {
  accessFacts,
  correctionFacts,
  discrepancyFacts,
  ledgerTrailFacts,
  reworkFacts,
} from './trace-facts.model.js'
import * as trace from './trace.store.js'

/** Where facts are gathered: a region's subtree, by place or by the department attributed (`store.Where`). */
export type Scope = Pick<store.Where, 'prefix' | 'by'>

export class AssessmentFactService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly policies: PolicyService,
  ) {}

  /**
   * Every fact of each period in the scope, in the order of `periods`. An indicator without facts is
   * null, never 0, and left out of its dimension. Facts an upheld contest took out
   * (`fact-contests.service.ts`) are dropped here, so no level counts them.
   */
  async gather(scope: Scope, periods: readonly { from: number; to: number }[]): Promise<Fact[][]> {
    const [holdings, holders, excluded] = await Promise.all([
      trace.listHoldings(this.db, scope),
      trace.listHolders(this.db, scope),
      contests.upheldKeys(this.db),
    ])
    const lists = await Promise.all(
      periods.map((p) => this.ofPeriod({ ...scope, from: p.from, to: p.to }, holdings, holders)),
    )
    return lists.map((facts) => facts.filter((f) => !excluded.has(f.key)))
  }

  private async ofPeriod(
    w: store.Where,
    holdings: Awaited<ReturnType<typeof trace.listHoldings>>,
    holders: Awaited<ReturnType<typeof trace.listHolders>>,
  ): Promise<Fact[]> {
    const now = this.clock.now()
    const [ratings, ratedSteps, reforms, steps, finished, appeals, rectifications] = await Promise.all([
      store.listRatings(this.db, w),
      store.listStepsOfRatedCases(this.db, w),
      store.listRatings(this.db, w, 'team'),
      store.listStepsCompleted(this.db, w),
      store.listFinishedCases(this.db, w),
      store.listAppeals(this.db, w),
      store.listRectificationsDue(this.db, w),
    ])
    const [traced, accesses, discrepancies, corrections] = await Promise.all([
      trace.listTraceSteps(this.db, w),
      trace.listAccessReviews(this.db, w),
      trace.listDiscrepancies(this.db, w),
      trace.listCorrections(this.db, w),
    ])
    return [
      ...ratingFacts(ratings, ratedSteps, await this.badScoreMax(ratings.map((r) => r.policy))),
      ...reformFacts(reforms),
      ...stepFacts(steps),
      ...supplementFacts(finished.cases, finished.steps),
      ...appealFacts(appeals.appeals, appeals.steps, w, now),
      ...rectificationFacts(rectifications, now),
      ...ledgerTrailFacts(traced),
      ...reworkFacts(traced),
      ...accessFacts(accesses),
      ...discrepancyFacts(discrepancies.cases, discrepancies.records, holdings, holders, w),
      ...correctionFacts(corrections),
    ].map(keyed)
  }

  /** The bad-score line of each `rating.rectification` version that judged a rating, by its id. */
  private async badScoreMax(ids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    for (const id of new Set(ids)) {
      const { kind, version } = parsePolicyRef(id)
      const v = await this.policies.byId<{ badScoreMax: number }>(kind, version)
      out.set(id, v.body.badScoreMax)
    }
    return out
  }
}
