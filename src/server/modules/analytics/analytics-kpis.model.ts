/**
 * The headline KPIs by which a reform is judged, the pure part: read from the sums of a region's
 * rollups over a period (measure → dimension → Σn, Σtotal) and the time limits of the process versions
 * involved. Every KPI here is a ratio of two counters the rollups keep, so each can be checked against
 * the cases and ratings behind it; the definitions are written next to each, and returned with the
 * two headline figures the seed quotes for 星政通5.0 (治理效率 4.3 倍, 满意度 93.2%).
 * @module
 */
import type { Headline, KpiFigures, VersionFigures } from '../../../shared/api.js'
import { DAY_MS, FAVOURABLE_SCORE, INSTANT_MS, MEASURES, quantile } from './analytics.model.js'

/** Σn and Σtotal of one measure and dimension. */
export interface Sum {
  n: number
  total: number
}

/** measure → dim → sum, over one region and period. */
export type Sums = ReadonlyMap<string, ReadonlyMap<string, Sum>>

/** 承诺时限 and 法定时限 of a process version, in working days. */
export interface TimeLimits {
  slaDays: number
  legalSlaDays: number
}

/**
 * Working days to calendar time: five working days a week, so a working day is 7/5 of a calendar day.
 * (Holidays shift single deadlines, not a quarter's average; the factor is written in the definition.)
 */
export const WORKING_DAY_MS = (DAY_MS * 7) / 5

export const DEFINITIONS = {
  efficiency: {
    zh:
      '治理效率（倍）＝ 期内办结事项的法定时限之和 ÷ 其实际办理用时之和。法定时限按各事项办结时所用流程版本计，' +
      '工作日按每周五个工作日折合为日历时间（1 个工作日 = 1.4 天）；实际用时为提交至办结。',
    en:
      'Governance efficiency (×) = Σ statutory time limit of the cases completed in the period ÷ Σ their actual ' +
      'end-to-end time. The statutory limit is the process version’s, working days converted to calendar time at ' +
      'five working days a week (1 working day = 1.4 days); the actual time runs from submission to completion.',
  },
  satisfaction: {
    zh:
      '满意度 ＝（好评的办件评价 + 满意与基本满意的诉求评价）÷（全部办件评价 + 全部诉求评价）。' +
      `办件评价 ${FAVOURABLE_SCORE} 分及以上（满分 5 分）为好评。`,
    en:
      'Satisfaction = (favourable case ratings + satisfied and basically satisfied appeal ratings) ÷ (all case ' +
      `ratings + all appeal ratings). A case rating of ${FAVOURABLE_SCORE} or more of 5 is favourable.`,
  },
} as const

/** What the seed quotes for 星政通5.0. */
export const CLAIMED = { efficiency: 4.3, satisfaction: 0.932 } as const

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null)

const ZERO: Sum = { n: 0, total: 0 }

/** `matter:<m>@<v>` → [m, v], or null for any other dimension. */
export function parseMatterDim(dim: string): { matter: string; version: number } | null {
  const m = /^matter:(.+)@([0-9]+)$/.exec(dim)
  return m ? { matter: m[1]!, version: Number(m[2]) } : null
}

/**
 * Which dimensions a KPI reads: the whole (`''`, plain bins), one process version
 * (`matter:m@v`, `matter:m@v|bin`), or every version of a matter summed.
 */
export interface Slice {
  matter?: string
  version?: number
}

function inSlice(dim: string, slice: Slice): boolean {
  const p = parseMatterDim(dim)
  if (!p) return false
  return p.matter === slice.matter && (slice.version === undefined || p.version === slice.version)
}

/** Σ of a measure over a slice (the whole: dim ''). */
export function sumOf(sums: Sums, measure: string, slice: Slice): Sum {
  const dims = sums.get(measure)
  if (!dims) return ZERO
  if (slice.matter === undefined) return dims.get('') ?? ZERO
  let n = 0
  let total = 0
  for (const [dim, s] of dims)
    if (inSlice(dim, slice)) {
      n += s.n
      total += s.total
    }
  return { n, total }
}

/** The end-to-end histogram of a slice: bin → count. */
export function durationHistogram(sums: Sums, slice: Slice): Map<number, number> {
  const out = new Map<number, number>()
  for (const [dim, s] of sums.get(MEASURES.CASES_DURATION_BIN) ?? []) {
    const bar = dim.lastIndexOf('|')
    let bin: number
    if (slice.matter === undefined) {
      if (bar >= 0) continue
      bin = Number(dim)
    } else {
      if (bar < 0 || !inSlice(dim.slice(0, bar), slice)) continue
      bin = Number(dim.slice(bar + 1))
    }
    if (Number.isInteger(bin)) out.set(bin, (out.get(bin) ?? 0) + s.n)
  }
  return out
}

/** The process versions (`matter:m@v`) a measure has rows of, in the slice (all of them for the whole). */
function versionDims(sums: Sums, measure: string, slice: Slice): string[] {
  return [...(sums.get(measure)?.keys() ?? [])].filter(
    (d) => parseMatterDim(d) !== null && (slice.matter === undefined || inSlice(d, slice)),
  )
}

/**
 * Σ over process versions of a measure's n times a per-version weight; versions whose limits are
 * unknown are left out of both sides by the caller passing only known ones.
 */
function weighted(
  sums: Sums,
  measure: string,
  dims: readonly string[],
  weight: (limits: TimeLimits) => number,
  limits: ReadonlyMap<string, TimeLimits>,
): { sum: number; n: number; total: number } {
  let sum = 0
  let n = 0
  let total = 0
  for (const d of dims) {
    const l = limits.get(d)
    const s = sums.get(measure)?.get(d)
    if (!l || !s) continue
    sum += s.n * weight(l)
    n += s.n
    total += s.total
  }
  return { sum, n, total }
}

/** The KPIs of a slice. `limits` holds the time limits of every `matter:m@v` in the sums. */
export function kpiFigures(sums: Sums, slice: Slice, limits: ReadonlyMap<string, TimeLimits>): KpiFigures {
  const s = (m: string) => sumOf(sums, m, slice)
  const submitted = s(MEASURES.CASES_SUBMITTED).n
  const completed = s(MEASURES.CASES_COMPLETED).n
  const histogram = durationHistogram(sums, slice)
  const reform = s(MEASURES.RATINGS_REFORM)
  const versions = versionDims(sums, MEASURES.CASES_SUBMITTED, slice)
  const sla = weighted(sums, MEASURES.CASES_SUBMITTED, versions, (l) => l.slaDays, limits)
  const legal = weighted(sums, MEASURES.CASES_SUBMITTED, versions, (l) => l.legalSlaDays, limits)
  return {
    submitted,
    completed,
    rejected: s(MEASURES.CASES_REJECTED).n,
    medianMs: quantile(histogram, 0.5),
    p90Ms: quantile(histogram, 0.9),
    zeroTripShare: ratio(s(MEASURES.CASES_ZERO_TRIP).n, submitted),
    instantShare: ratio(s(MEASURES.CASES_INSTANT).n, completed),
    onTimeRate: ratio(s(MEASURES.STEPS_ON_TIME).n, s(MEASURES.STEPS_COMPLETED).n),
    satisfactionRate: ratio(s(MEASURES.RATINGS_FAVOURABLE).n, s(MEASURES.RATINGS_SUBMITTED).n),
    compression: legal.sum > 0 ? 1 - sla.sum / legal.sum : null,
    reformScore: reform.n > 0 ? reform.total / reform.n : null,
  }
}

/** The figures of each version of the slice's matter, oldest first. */
export function versionFigures(
  sums: Sums,
  matter: string,
  limits: ReadonlyMap<string, TimeLimits>,
): VersionFigures[] {
  const versions = new Set<number>()
  for (const measure of [MEASURES.CASES_SUBMITTED, MEASURES.CASES_COMPLETED])
    for (const d of versionDims(sums, measure, { matter })) versions.add(parseMatterDim(d)!.version)
  return [...versions]
    .sort((a, b) => a - b)
    .map((version) => ({ version, ...kpiFigures(sums, { matter, version }, limits) }))
}

/** The seed's two headline figures over a slice, with their parts. */
export function headlines(
  sums: Sums,
  slice: Slice,
  limits: ReadonlyMap<string, TimeLimits>,
): { efficiency: Headline; satisfaction: Headline } {
  const versions = versionDims(sums, MEASURES.CASES_DURATION, slice)
  const done = weighted(
    sums,
    MEASURES.CASES_DURATION,
    versions,
    (l) => l.legalSlaDays * WORKING_DAY_MS,
    limits,
  )
  const rated = sumOf(sums, MEASURES.RATINGS_SUBMITTED, slice).n
  const favourable = sumOf(sums, MEASURES.RATINGS_FAVOURABLE, slice).n
  // Appeals carry no process version: they count in the whole only.
  const appeals = slice.matter === undefined ? sums.get(MEASURES.APPEALS_RATED) : undefined
  const appealsRated = appeals?.get('')?.n ?? 0
  const appealsSatisfied =
    (appeals?.get('satisfaction:satisfied')?.n ?? 0) +
    (appeals?.get('satisfaction:basically_satisfied')?.n ?? 0)
  return {
    efficiency: {
      value: done.total > 0 ? done.sum / done.total : null,
      numerator: Math.round(done.sum),
      denominator: done.total,
      claimed: CLAIMED.efficiency,
      definition: DEFINITIONS.efficiency,
    },
    satisfaction: {
      value: ratio(favourable + appealsSatisfied, rated + appealsRated),
      numerator: favourable + appealsSatisfied,
      denominator: rated + appealsRated,
      claimed: CLAIMED.satisfaction,
      definition: DEFINITIONS.satisfaction,
    },
  }
}

/** The measures the KPIs read. */
export const KPI_MEASURES = [
  MEASURES.CASES_SUBMITTED,
  MEASURES.CASES_COMPLETED,
  MEASURES.CASES_REJECTED,
  MEASURES.CASES_DURATION,
  MEASURES.CASES_DURATION_BIN,
  MEASURES.CASES_INSTANT,
  MEASURES.CASES_ZERO_TRIP,
  MEASURES.STEPS_COMPLETED,
  MEASURES.STEPS_ON_TIME,
  MEASURES.RATINGS_SUBMITTED,
  MEASURES.RATINGS_FAVOURABLE,
  MEASURES.RATINGS_REFORM,
  MEASURES.APPEALS_RATED,
] as const

/** For the definitions' readers: an instant completion is one within this time of submission. */
export const INSTANT_WITHIN_MS = INSTANT_MS
