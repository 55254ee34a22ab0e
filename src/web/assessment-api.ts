/**
 * The assessment API (考核, `/api/assessment`) as the scorecards pages use it: the scorecards of a level
 * in a region for a period, the facts behind a number, and contests of one's own facts; and the pure
 * helpers the pages share (periods in Beijing time, policy ids read back). Fields the server adds in
 * later increments (a fact's `key` and `contest`, an official's `promotionRank`) are optional here: the
 * pages show them when they come and work without them.
 * @module
 */
import { http } from './api.js'
import type { RequestOptions } from './api.js'
import type {
  AssessmentDimension,
  AssessmentLevel,
  IndicatorCode,
  PromotionPart,
} from '../shared/assessment.js'
import { beijingWallClock } from './time.js'

/** One indicator of a subject. */
export interface IndicatorResult {
  /** Rate 0–1, mean score 1–5, per 1,000 records, or mean days; null without facts. */
  value: number | null
  /** 0–100 by the formula's worst/best; null without facts or outside the formula. */
  score: number | null
  n: number
  /** Fewer facts than the formula's `minSample`. */
  smallSample: boolean
}

/** `GET /api/assessment/scorecards`: one row. */
export interface ScorecardRow {
  subject: { id: string; name: string }
  indicators: Record<IndicatorCode, IndicatorResult>
  dimensions: Record<AssessmentDimension, number | null>
  total: number | null
  rank: number | null
  trend: number | null
  /** `assessment.formula@N`. */
  policyVersion: string
  promotionIndex?: number | null
  promotionParts?: Record<PromotionPart, number | null>
  promotionMissing?: PromotionPart[]
  /** `assessment.promotion@N`. */
  promotionPolicy?: string
  /** Among officials with enough facts by the promotion policy (null: small sample or no index). */
  promotionRank?: number | null
  promotionSmallSample?: boolean
}

export type FactContestStatus = 'pending' | 'upheld' | 'rejected'

/** What a fact is about: a case, a step of one (task), an appeal, a rectification. */
export interface FactRef {
  kind: string
  id: string
}

/** `GET …/facts`: one counted fact with the ledger entry proving it. */
export interface Fact {
  indicator: IndicatorCode
  ref: FactRef
  at: number
  /** A rate's hit (true) or miss; a score's or duration's value. */
  outcome: boolean | number
  staffId: string | null
  departmentId: string | null
  regionCode: string
  ledger: { log: string; index: number }
  /** Stable id of the fact (indicator + ref + ledger entry): what a contest names. */
  key?: string
  contest?: { id: string; status: FactContestStatus } | null
}

export interface FactContestInput {
  period: string
  indicator: IndicatorCode
  ref: FactRef
  key: string
  reason: string
}

export interface FactContest {
  id: string
  status: FactContestStatus
  indicator: IndicatorCode
  ref: FactRef
  key: string
  reason: string
  createdAt: number
}

export interface ScorecardQuery {
  level: AssessmentLevel
  region?: string
  period: string
}

const enc = encodeURIComponent

export const assessmentApi = {
  scorecards: (q: ScorecardQuery, o?: RequestOptions) =>
    http.get<ScorecardRow[]>(`/api/assessment/scorecards${http.query({ ...q })}`, o),
  facts: (
    level: AssessmentLevel,
    subjectId: string,
    q: { period: string; indicator?: IndicatorCode },
    o?: RequestOptions,
  ) =>
    http.get<Fact[]>(
      `/api/assessment/scorecards/${enc(level)}/${enc(subjectId)}/facts${http.query({ ...q })}`,
      o,
    ),
  contestFact: (input: FactContestInput) =>
    http.send<FactContest>('POST', '/api/assessment/fact-contests', input),
}

// ---- periods -----------------------------------------------------------------------------------------

export type PeriodKind = 'month' | 'quarter' | 'year'

/** A period code read back: `2026-11`, `2026-Q4`, `2026`. */
export interface PeriodParts {
  kind: PeriodKind
  year: number
  /** Month 1–12 or quarter 1–4; 0 for a year. */
  part: number
}

export function parsePeriodCode(code: string): PeriodParts | null {
  const m = /^([0-9]{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/.exec(code)
  if (!m) return null
  const year = Number(m[1])
  if (m[2]) return { kind: 'month', year, part: Number(m[2]) }
  if (m[3]) return { kind: 'quarter', year, part: Number(m[3]) }
  return { kind: 'year', year, part: 0 }
}

export function periodCode(p: PeriodParts): string {
  switch (p.kind) {
    case 'month':
      return `${p.year}-${String(p.part).padStart(2, '0')}`
    case 'quarter':
      return `${p.year}-Q${p.part}`
    case 'year':
      return String(p.year)
  }
}

/** The period of a kind that contains an instant, in Beijing time. */
export function periodAt(kind: PeriodKind, ms: number): string {
  const c = beijingWallClock(ms)
  const month = c.month + 1
  return periodCode({
    kind,
    year: c.year,
    part: kind === 'month' ? month : kind === 'quarter' ? Math.ceil(month / 3) : 0,
  })
}

// ---- policy ids ----------------------------------------------------------------------------------------

/** `assessment.formula@3` → `{kind, version: 3}`; a draft (what-if) → version null. */
export function parsePolicyId(id: string): { kind: string; version: number | null } | null {
  const m = /^([a-z][a-z0-9_.]*)@([0-9]+|draft)/.exec(id)
  if (!m) return null
  return { kind: m[1]!, version: m[2] === 'draft' ? null : Number(m[2]) }
}
