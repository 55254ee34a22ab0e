/**
 * What-if (假如): a level's scorecards recomputed under a candidate `assessment.formula` and/or
 * `assessment.promotion` (an older or newer published version, or a draft document checked against the
 * kind's schema), side by side with the versions governing the period, row by row with the deltas.
 * The facts are gathered once and scored twice through the scorecards' own path, so the candidate
 * column under a published version N is exactly `GET /api/assessment/scorecards?policyVersion=N`.
 * @module
 */
import type { Principal } from '../../access.js'
import type { AssessmentDimension, AssessmentLevel } from '../../../shared/assessment.js'
import { policyId, type PolicyKind } from '../policy/index.js'
import type { PolicyService } from '../policy/policy.service.js'
import type { FormulaPolicy, PromotionPolicy } from './assessment.model.js'
import type { AssessmentService, ScorecardRow, Scoring } from './assessment.service.js'

/** A candidate policy: a published version by number, or a draft document (never stored). */
export type Candidate<B> = { version: number } | { document: B }

export interface WhatIfQuery {
  level: AssessmentLevel
  region?: string
  period: string
  formula?: Candidate<FormulaPolicy>
  promotion?: Candidate<PromotionPolicy>
}

/** One side of a comparison: the numbers a ranking turns on. */
export interface WhatIfSide {
  total: number | null
  rank: number | null
  dimensions: Record<AssessmentDimension, number | null>
  /** Officials only. */
  promotionIndex?: number | null
  promotionRank?: number | null
}

export interface WhatIfRow {
  subject: { id: string; name: string }
  current: WhatIfSide
  candidate: WhatIfSide
  /** Candidate minus current; null when either is null. A negative rank delta is a move up. */
  delta: { total: number | null; rank: number | null; promotionIndex?: number | null }
}

export interface WhatIfResult {
  current: { policyVersion: string; promotionPolicy?: string }
  candidate: { policyVersion: string; promotionPolicy?: string }
  rows: WhatIfRow[]
}

/** The id a draft's results record: `assessment.formula@draft`. */
const draftId = (kind: PolicyKind) => `${kind}@draft`

const minus = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : a - b

function side(row: ScorecardRow): WhatIfSide {
  const out: WhatIfSide = { total: row.total, rank: row.rank, dimensions: row.dimensions }
  if (row.promotionPolicy === undefined) return out
  return { ...out, promotionIndex: row.promotionIndex ?? null, promotionRank: row.promotionRank ?? null }
}

export class AssessmentWhatIfService {
  constructor(
    private readonly assessment: AssessmentService,
    private readonly policies: PolicyService,
  ) {}

  /**
   * The comparison: scoping as for scorecards (`assessment.read`; ranks among all subjects, the caller
   * receives the rows they may read). A candidate left out is the governing version (so asking only
   * for a promotion draft compares promotion alone).
   * @throws VALIDATION_FAILED (period; a draft failing its kind's schema, each violation named under
   *   `/body/formula/document` or `/body/promotion/document`), FORBIDDEN, NOT_FOUND (region, version)
   */
  async compare(principal: Principal, q: WhatIfQuery): Promise<WhatIfResult> {
    // Drafts are checked before anything is read: a bad draft is the caller's error whatever the data.
    if (q.formula && 'document' in q.formula)
      this.policies.assertValid('assessment.formula', q.formula.document, '/body/formula/document')
    if (q.promotion && 'document' in q.promotion)
      this.policies.assertValid('assessment.promotion', q.promotion.document, '/body/promotion/document')
    const basis = await this.assessment.basis(principal, q)
    const current = await this.assessment.governingScoring(basis)
    const candidate: Scoring = {
      formula: q.formula ? await this.resolve('assessment.formula', q.formula) : current.formula,
      ...(current.promotion
        ? {
            promotion: q.promotion
              ? await this.resolve('assessment.promotion', q.promotion)
              : current.promotion,
          }
        : {}),
    }
    const before = this.assessment.score(basis, current)
    const after = this.assessment.score(basis, candidate)
    const rows = before.map((b, i): WhatIfRow => {
      const a = after[i]!
      const delta: WhatIfRow['delta'] = { total: minus(a.total, b.total), rank: minus(a.rank, b.rank) }
      if (current.promotion) delta.promotionIndex = minus(a.promotionIndex, b.promotionIndex)
      return { subject: b.subject, current: side(b), candidate: side(a), delta }
    })
    const names = (s: Scoring) => ({
      policyVersion: s.formula.id,
      ...(s.promotion ? { promotionPolicy: s.promotion.id } : {}),
    })
    return {
      current: names(current),
      candidate: names(candidate),
      rows: this.assessment.visible(principal, basis, rows),
    }
  }

  /** A candidate's body and id. @throws NOT_FOUND (an unpublished version) */
  private async resolve<B>(kind: PolicyKind, c: Candidate<B>): Promise<{ id: string; body: B }> {
    if ('document' in c) return { id: draftId(kind), body: c.document }
    const v = await this.policies.byId<B>(kind, c.version)
    return { id: policyId(kind, v.version), body: v.body }
  }
}
