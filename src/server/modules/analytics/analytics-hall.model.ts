/**
 * The command hall's read side, the pure part: the buckets of a period at one grain (a series shows
 * every one of them, zeros included), histograms read back from rollup rows, the spread of officials'
 * figures (mean, standard deviation, quartiles, outliers by z-score and by Tukey's fences) and the bins
 * of the officials' histogram, and the Chinese label of an opinion topic.
 * @module
 */
import { APPEAL_CATEGORIES, appealCategoryLabel, type AppealKind } from '../../../shared/domain.js'
import { DAY_MS, HOUR_MS, bucketOf, quantile, type Grain } from './analytics.model.js'

/** The most points a series (or each topic's series) may have: 10,000 hours is over a year. */
export const MAX_POINTS = 10_000

export interface Point {
  /** Start of the bucket, epoch ms (a whole hour, or a Beijing midnight for grain `d`). */
  t: number
  n: number
}

const grainMs = (grain: Grain): number => (grain === 'h' ? HOUR_MS : DAY_MS)

/**
 * The buckets of `grain` that cover [from, to): from rounded down to its bucket, to rounded up to the
 * next bucket start (unless it is one). Empty when the period is.
 */
export function periodBuckets(grain: Grain, from: number, to: number): { from: number; to: number } {
  const f = bucketOf(grain, from)
  const start = bucketOf(grain, to)
  const t = start === to ? to : start + grainMs(grain)
  return { from: f, to: Math.max(f, t) }
}

/** How many buckets of `grain` lie in [from, to) (both bucket starts). */
export function bucketCount(grain: Grain, from: number, to: number): number {
  return Math.max(0, Math.round((to - from) / grainMs(grain)))
}

/** Every bucket of [from, to) with its count from `counts` (0 where there is none), oldest first. */
export function fillSeries(
  grain: Grain,
  from: number,
  to: number,
  counts: ReadonlyMap<number, number>,
): Point[] {
  const step = grainMs(grain)
  const out: Point[] = []
  for (let t = from; t < to; t += step) out.push({ t, n: counts.get(t) ?? 0 })
  return out
}

/**
 * A histogram from rollup rows of a `*.bin` measure: the dimension is the bin number. Rows whose
 * dimension is not a bin number (a matter's split, `matter:…|<bin>`) are not part of the whole.
 */
export function histogramOf(rows: Iterable<{ dim: string; n: number }>): Map<number, number> {
  const out = new Map<number, number>()
  for (const r of rows) {
    if (!/^[0-9]+$/.test(r.dim) || r.n === 0) continue
    const bin = Number(r.dim)
    out.set(bin, (out.get(bin) ?? 0) + r.n)
  }
  return out
}

/** p50 and p90 of a histogram (null when empty). */
export function medianAndP90(bins: ReadonlyMap<number, number>): { p50: number | null; p90: number | null } {
  return { p50: quantile(bins, 0.5), p90: quantile(bins, 0.9) }
}

/** part / whole, or null when there is nothing to divide. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

// ---- spread of officials' figures ---------------------------------------------------------------

/**
 * The q-quantile of sorted values by linear interpolation between closest ranks (the "R-7" method of
 * spreadsheets and NumPy's default). @returns null for no values
 */
export function sortedQuantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

export interface Spread {
  mean: number | null
  /** Population standard deviation (the officials shown are the whole department, not a sample). */
  stddev: number | null
  /** Tukey's fences: Q1 − 1.5·IQR and Q3 + 1.5·IQR (null under four values: quartiles mean little). */
  fences: { lower: number; upper: number } | null
}

/** Mean, standard deviation and Tukey's fences of a set of values. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: null, stddev: null, fences: null }
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  const stddev = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length)
  let fences: Spread['fences'] = null
  if (values.length >= 4) {
    const sorted = [...values].sort((a, b) => a - b)
    const q1 = sortedQuantile(sorted, 0.25)!
    const q3 = sortedQuantile(sorted, 0.75)!
    fences = { lower: q1 - 1.5 * (q3 - q1), upper: q3 + 1.5 * (q3 - q1) }
  }
  return { mean, stddev, fences }
}

/** Whether a value stands out: |z| ≥ 2 (when the values spread at all), or outside Tukey's fences. */
export function isOutlier(value: number, spread: Spread): boolean {
  if (spread.mean !== null && spread.stddev !== null && spread.stddev > 0) {
    if (Math.abs(value - spread.mean) / spread.stddev >= 2 - 1e-12) return true
  }
  return spread.fences !== null && (value < spread.fences.lower || value > spread.fences.upper)
}

export interface HistogramBin {
  lower: number
  /** Exclusive, except for the last bin, which holds its upper bound too. */
  upper: number
  count: number
}

/** Bins of a rate (0..1): ten of width 0.1, the last one closed. */
export function rateBins(values: readonly number[]): HistogramBin[] {
  const bins: HistogramBin[] = Array.from({ length: 10 }, (_, i) => ({
    lower: i / 10,
    upper: (i + 1) / 10,
    count: 0,
  }))
  for (const v of values) bins[Math.min(9, Math.max(0, Math.floor(v * 10 + 1e-9)))]!.count++
  return bins
}

/**
 * Equal-width bins between the smallest and the largest value, as many as Sturges' rule gives
 * (⌈log2 n⌉ + 1, at most 20); one bin [v, v] when every value is the same, none for no values.
 */
export function rangeBins(values: readonly number[]): HistogramBin[] {
  if (values.length === 0) return []
  const min = Math.min(...values)
  const max = Math.max(...values)
  if (min === max) return [{ lower: min, upper: max, count: values.length }]
  const k = Math.min(20, Math.ceil(Math.log2(values.length)) + 1)
  const width = (max - min) / k
  const bins: HistogramBin[] = Array.from({ length: k }, (_, i) => ({
    lower: min + i * width,
    upper: i === k - 1 ? max : min + (i + 1) * width,
    count: 0,
  }))
  for (const v of values) bins[Math.min(k - 1, Math.floor((v - min) / width))]!.count++
  return bins
}

// ---- topics ------------------------------------------------------------------------------------

/**
 * The Chinese label of an opinion topic: the word itself, or for `category:<code>` the category's name
 * (`category:service/delay` → 政务服务 / 办理超时; a top-level code its top name).
 */
export function topicLabel(topic: string): string {
  if (!topic.startsWith('category:')) return topic
  const code = topic.slice('category:'.length)
  return appealCategoryLabel(code) ?? APPEAL_CATEGORIES[code]?.zh ?? '其他类别'
}

/** Chinese names of the appeal kinds, for the drill list's titles. */
export const APPEAL_KIND_NAMES: Record<AppealKind, string> = {
  complaint: '投诉',
  suggestion: '建议',
  inquiry: '咨询',
  praise: '表扬',
  discrepancy: '数据纠错',
}
