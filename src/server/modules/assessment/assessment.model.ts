/**
 * Assessment (考核) as pure rules: what a period is in Beijing time, how counted facts become an
 * indicator's value, how the `assessment.formula` policy scales and weighs values into dimension scores
 * and a total, how subjects are ranked, and the promotion index of officials. Pure.
 *
 * - A **fact** is one counted thing (a rating, a completed step, an appeal's response…) with the ledger
 *   entry that proves it, attributed to an official, a department and a region (see `facts.model.ts`).
 * - **Small samples**: an indicator counted over fewer facts than the formula's `minSample` (for a
 *   count per 1,000 records: fewer records held) is marked `smallSample`. It still counts in its dimension and in the total (its facts are real), but a subject
 *   whose every scored indicator (in the formula, with data) is a small sample gets no rank: three cases
 *   are not ranked against three hundred. A minimum count, not a credible interval: it is what the
 *   policy states and what an official can check by counting the facts listed.
 * - An indicator with no facts has the value `null` (never 0): it is left out of its dimension, and its
 *   weight out of the division.
 * @module
 */
import {
  ASSESSMENT_DIMENSIONS,
  INDICATORS,
  INDICATOR_CODES,
  type AssessmentDimension,
  type IndicatorCode,
  type PromotionPart,
} from '../../../shared/assessment.js'
import { AppError } from '../../../shared/errors.js'

// ---- periods ---------------------------------------------------------------------------------------

/** Asia/Shanghai is UTC+8 all year (no daylight saving time). */
const BEIJING_OFFSET_MS = 8 * 3_600_000

export type PeriodKind = 'month' | 'quarter' | 'year'

/** An assessment period: `[from, to)` in epoch ms, its bounds at Beijing midnight. */
export interface Period {
  code: string
  kind: PeriodKind
  from: number
  to: number
}

const beijingMidnight = (year: number, month0: number) => Date.UTC(year, month0, 1) - BEIJING_OFFSET_MS

/** A period by its code: a month `2026-11`, a quarter `2026-Q4`, a year `2026`. @throws VALIDATION_FAILED */
export function parsePeriod(code: string): Period {
  const m = /^([0-9]{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/.exec(code)
  if (!m) {
    throw new AppError('VALIDATION_FAILED', 'a period is a month 2026-11, a quarter 2026-Q4 or a year 2026', {
      details: [{ path: '/querystring/period', message: 'not a period' }],
    })
  }
  const year = Number(m[1])
  if (m[2]) {
    const month = Number(m[2]) - 1
    return { code, kind: 'month', from: beijingMidnight(year, month), to: beijingMidnight(year, month + 1) }
  }
  if (m[3]) {
    const q = Number(m[3]) - 1
    return { code, kind: 'quarter', from: beijingMidnight(year, q * 3), to: beijingMidnight(year, q * 3 + 3) }
  }
  return { code, kind: 'year', from: beijingMidnight(year, 0), to: beijingMidnight(year + 1, 0) }
}

/** The period before, of the same kind (`2026-01` → `2025-12`, `2026-Q1` → `2025-Q4`, `2026` → `2025`). */
export function previousPeriod(p: Period): Period {
  const year = Number(p.code.slice(0, 4))
  switch (p.kind) {
    case 'month': {
      const month = Number(p.code.slice(5, 7))
      return parsePeriod(month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`)
    }
    case 'quarter': {
      const q = Number(p.code.slice(6))
      return parsePeriod(q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`)
    }
    case 'year':
      return parsePeriod(String(year - 1))
  }
}

// ---- policies as this module reads them ------------------------------------------------------------

/** The `assessment.formula` body. */
export interface FormulaPolicy {
  dimensions: Record<AssessmentDimension, number>
  indicators: { code: IndicatorCode; weight: number; worst: number; best: number }[]
  minSample: number
}

/** The `assessment.promotion` body. */
export interface PromotionPolicy {
  weights: Record<PromotionPart, number>
  minSample: number
}

/** A result's policy id `<kind>@<version>` read back. @throws VALIDATION_FAILED when malformed */
export function parsePolicyRef(ref: string): { kind: string; version: number } {
  const at = ref.lastIndexOf('@')
  const version = ref.slice(at + 1)
  if (at <= 0 || !/^[0-9]+$/.test(version)) throw new AppError('VALIDATION_FAILED', `not a policy id: ${ref}`)
  return { kind: ref.slice(0, at), version: Number(version) }
}

// ---- facts and values ------------------------------------------------------------------------------

/**
 * What a fact is about, for the drill-down: a case, a step, an appeal, a rectification, a flagged data
 * access, a discrepancy (`<case id>/<source>`) or a holding of records (`<source>/<region>/<keeper>`).
 */
export interface FactRef {
  kind: 'case' | 'task' | 'appeal' | 'rectification' | 'data_access' | 'discrepancy' | 'holding'
  id: string
}

/**
 * One counted fact: a hit or miss of a rate (`outcome` boolean), or a value (a score, days); for a
 * `per_1k` indicator, a thing counted (`true`) or a holding of records (their number). Attributed
 * to the official who did it, the department it was done in, and the region where it happened (the
 * case's or the appeal's region); proven by its ledger entry.
 */
export interface Fact {
  /**
   * The fact's stable id ({@link factKey}): what a contest of it names, and what an upheld contest
   * leaves out of every computation.
   */
  key: string
  indicator: IndicatorCode
  ref: FactRef
  at: number
  outcome: boolean | number
  staffId: string | null
  departmentId: string | null
  regionCode: string
  ledger: { log: string; index: number }
}

/**
 * A fact's stable id: its indicator, what it is about and the ledger entry proving it
 * (`rating_avg:case:<id>@4301#17`). Two facts never share all three (a rating's `rating_avg` and
 * `bad_review_rate` differ by indicator; an appeal's stretches at two departments by their entries).
 * A fact whose proof changes (an unanswered appeal answered later) is another fact, with another key.
 */
export function factKey(f: Pick<Fact, 'indicator' | 'ref' | 'ledger'>): string {
  return `${f.indicator}:${f.ref.kind}:${f.ref.id}@${f.ledger.log}#${f.ledger.index}`
}

/** A fact as the builders make it, before it is given its key. */
export type UnkeyedFact = Omit<Fact, 'key'>

/** The fact with its key. */
export const keyed = (f: UnkeyedFact): Fact => ({ key: factKey(f), ...f })

/** An indicator of one subject: its value, its 0–100 score by the formula, and how many facts it rests on. */
export interface IndicatorResult {
  /** The rate (0–1), mean score (1–5), count per 1,000 records or mean days; null without facts. */
  value: number | null
  /** 0–100 by the formula's worst/best; null without facts or when the formula leaves it out. */
  score: number | null
  /** The facts counted; for a `per_1k` indicator the records held (what the count is per). */
  n: number
  /** Fewer facts than the formula's `minSample`. */
  smallSample: boolean
}

/**
 * The value of an indicator from its facts: a rate is hits / n, a score or days the mean, `per_1k` the
 * things counted (`true` facts) per 1,000 records held: `held`, or by default the sum of the holding
 * facts' numbers. @returns null when there are no facts (or no records held)
 */
export function indicatorValue(
  code: IndicatorCode,
  facts: readonly UnkeyedFact[],
  held?: number,
): number | null {
  if (facts.length === 0) return null
  switch (INDICATORS[code].unit) {
    case 'rate':
      return facts.filter((f) => f.outcome === true).length / facts.length
    case 'score':
    case 'days':
      return facts.reduce((s, f) => s + Number(f.outcome), 0) / facts.length
    case 'per_1k': {
      const records = held ?? sampleSize(code, facts)
      return records > 0 ? (facts.filter((f) => f.outcome === true).length * 1000) / records : null
    }
  }
}

/** What an indicator's value rests on: its facts, or for `per_1k` the records held. */
export function sampleSize(code: IndicatorCode, facts: readonly UnkeyedFact[]): number {
  if (INDICATORS[code].unit !== 'per_1k') return facts.length
  return facts.reduce((s, f) => s + (typeof f.outcome === 'number' ? f.outcome : 0), 0)
}

/**
 * A value scaled to 0–100, linear between `worst` (0) and `best` (100) and clamped; `best` may be
 * below `worst` (a rate where less is better). Equal bounds: 100 at (or beyond) `best`, 0 otherwise.
 */
export function scale(value: number, worst: number, best: number): number {
  if (best === worst) return value === best ? 100 : 0
  const s = ((value - worst) / (best - worst)) * 100
  return Math.min(100, Math.max(0, s))
}

/** A weighted mean of the entries with a value (weights relative: divided by their sum); null when none weigh. */
export function weightedMean(entries: readonly { value: number | null; weight: number }[]): number | null {
  let sum = 0
  let weights = 0
  for (const e of entries) {
    if (e.value === null || e.weight <= 0) continue
    sum += e.value * e.weight
    weights += e.weight
  }
  return weights > 0 ? sum / weights : null
}

// ---- scorecards -------------------------------------------------------------------------------------

export interface ScoreSheet {
  indicators: Record<IndicatorCode, IndicatorResult>
  dimensions: Record<AssessmentDimension, number | null>
  total: number | null
  /** False when every scored indicator is a small sample (or none has data): no rank. */
  rankable: boolean
}

/**
 * A subject's indicators, dimension scores and total under a formula, from its facts (grouped by
 * indicator). Indicators outside the formula still show their value, without a score.
 */
export function scoreSheet(
  facts: ReadonlyMap<IndicatorCode, readonly Fact[]>,
  formula: FormulaPolicy,
): ScoreSheet {
  const inFormula = new Map(formula.indicators.map((i) => [i.code, i]))
  const indicators = {} as Record<IndicatorCode, IndicatorResult>
  for (const code of INDICATOR_CODES) {
    const list = facts.get(code) ?? []
    const value = indicatorValue(code, list)
    const f = inFormula.get(code)
    const n = sampleSize(code, list)
    indicators[code] = {
      value,
      score: value === null || !f ? null : scale(value, f.worst, f.best),
      n,
      smallSample: n < formula.minSample,
    }
  }
  const dimensions = {} as Record<AssessmentDimension, number | null>
  for (const d of Object.keys(ASSESSMENT_DIMENSIONS) as AssessmentDimension[]) {
    dimensions[d] = weightedMean(
      formula.indicators
        .filter((i) => INDICATORS[i.code].dimension === d)
        .map((i) => ({ value: indicators[i.code].score, weight: i.weight })),
    )
  }
  const total = weightedMean(
    (Object.keys(dimensions) as AssessmentDimension[]).map((d) => ({
      value: dimensions[d],
      weight: formula.dimensions[d],
    })),
  )
  const scored = formula.indicators.filter((i) => i.weight > 0 && indicators[i.code].score !== null)
  const rankable = total !== null && scored.some((i) => !indicators[i.code].smallSample)
  return { indicators, dimensions, total, rankable }
}

/** Totals this close are a tie (sums of the same fractions in another order differ in the last bits). */
const TIE_EPSILON = 1e-9

/**
 * Ranks by total, descending, among the rankable: equal totals share a rank and the next rank skips
 * (1, 1, 3). @returns each entry's rank (null: not ranked), in the input's order
 */
export function rank(entries: readonly { total: number | null; rankable: boolean }[]): (number | null)[] {
  const ranked = entries
    .map((e, i) => ({ i, total: e.total }))
    .filter((e): e is { i: number; total: number } => e.total !== null && entries[e.i]!.rankable)
    .sort((a, b) => b.total - a.total)
  const out: (number | null)[] = entries.map(() => null)
  ranked.forEach((e, k) => {
    const prev = ranked[k - 1]
    out[e.i] = prev && Math.abs(prev.total - e.total) < TIE_EPSILON ? (out[prev.i] as number) : k + 1
  })
  return out
}

/** This period's total minus the previous one's; null when either is missing. */
export function trend(total: number | null, previous: number | null | undefined): number | null {
  return total === null || previous === null || previous === undefined ? null : total - previous
}

// ---- the promotion index ----------------------------------------------------------------------------

export interface PromotionIndex {
  /** The weighted mean of the parts present; null when none is. */
  value: number | null
  /** Each part's 0–100 score, null when missing (left out of the mean, never counted as 0). */
  parts: Record<PromotionPart, number | null>
  /** The parts that were missing, by name. */
  missing: PromotionPart[]
  /** The facts behind the index (see {@link promotionIndex}): what the policy's `minSample` counts. */
  sample: number
  /** Fewer facts than the promotion policy's `minSample`: the index is shown but not ranked. */
  smallSample: boolean
}

/** The indicators behind the promotion index's computed parts (the organisation part is entered). */
const PROMOTION_INDICATORS = ['reform_score', 'rating_avg', 'appeal_satisfaction'] as const

/**
 * The promotion index of an official: the reform score (the `reform_score` indicator's 0–100 score),
 * the organisation department's evaluation (0–100, entered period by period: null until entered) and
 * citizen satisfaction (the weighted mean of the `rating_avg` and `appeal_satisfaction` scores, by the
 * formula's weights), weighted by the promotion policy. A missing part is left out and named.
 *
 * **Small samples**: the promotion policy's `minSample` counts the facts behind the two computed parts,
 * the ratings, appeal ratings and reform scores that were scored (`n` of `reform_score`, `rating_avg`
 * and `appeal_satisfaction`, each only when the formula scores it). The organisation evaluation is one
 * judgement, not a sample, so it never makes an official rankable alone. An official below `minSample`
 * keeps their index (it is real) but gets no promotion rank (see {@link promotionRanks}).
 */
export function promotionIndex(
  sheet: Pick<ScoreSheet, 'indicators'>,
  formula: FormulaPolicy,
  policy: PromotionPolicy,
  organisation: number | null,
): PromotionIndex {
  const weightOf = (code: IndicatorCode) => formula.indicators.find((i) => i.code === code)?.weight ?? 1
  const satisfaction = weightedMean(
    (['rating_avg', 'appeal_satisfaction'] as const).map((code) => ({
      value: sheet.indicators[code].score,
      weight: weightOf(code),
    })),
  )
  const parts: Record<PromotionPart, number | null> = {
    reform: sheet.indicators.reform_score.score,
    organisation,
    satisfaction,
  }
  const names = Object.keys(parts) as PromotionPart[]
  const sample = PROMOTION_INDICATORS.reduce(
    (n, code) => n + (sheet.indicators[code].score === null ? 0 : sheet.indicators[code].n),
    0,
  )
  return {
    value: weightedMean(names.map((p) => ({ value: parts[p], weight: policy.weights[p] }))),
    parts,
    missing: names.filter((p) => parts[p] === null),
    sample,
    smallSample: sample < policy.minSample,
  }
}

/**
 * Promotion ranks among officials by index, descending, as {@link rank} does totals: ties share a rank
 * (1, 1, 3); an official without an index or with a small sample is not ranked (null).
 */
export function promotionRanks(
  entries: readonly Pick<PromotionIndex, 'value' | 'smallSample'>[],
): (number | null)[] {
  return rank(entries.map((e) => ({ total: e.value, rankable: !e.smallSample })))
}

// ---- grouping ---------------------------------------------------------------------------------------

/** The region codes a fact counts for: its region at each of the four levels (2, 4, 6, 9 digits). */
export function regionLevels(regionCode: string): string[] {
  return [2, 4, 6, 9].filter((n) => n <= regionCode.length).map((n) => regionCode.slice(0, n))
}

/**
 * Facts as a region counts them: one per indicator and thing counted (a case three departments worked
 * on is one case of the region). Merged facts are a hit when any was; a value keeps the first.
 */
export function onePerRef(facts: readonly Fact[]): Fact[] {
  const seen = new Map<string, Fact>()
  for (const f of facts) {
    const key = `${f.indicator}\u0000${f.ref.kind}\u0000${f.ref.id}`
    const prev = seen.get(key)
    if (!prev) seen.set(key, f)
    else if (f.outcome === true && prev.outcome === false) seen.set(key, { ...prev, outcome: true })
  }
  return [...seen.values()]
}

/** Facts grouped by subject and indicator; a fact without a subject key is left out. */
export function groupFacts(
  facts: readonly Fact[],
  keysOf: (f: Fact) => readonly string[],
): Map<string, Map<IndicatorCode, Fact[]>> {
  const out = new Map<string, Map<IndicatorCode, Fact[]>>()
  for (const f of facts) {
    for (const key of keysOf(f)) {
      let byIndicator = out.get(key)
      if (!byIndicator) out.set(key, (byIndicator = new Map<IndicatorCode, Fact[]>()))
      const list = byIndicator.get(f.indicator)
      if (list) list.push(f)
      else byIndicator.set(f.indicator, [f])
    }
  }
  return out
}
