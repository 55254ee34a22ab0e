/**
 * The command hall's read side beyond the heatmap: a region's series of cases and appeals by hour or
 * Beijing day, the opinion topics of its appeals, response and handling speed by child region or
 * department, and the spread of a department's officials. Every figure is read from the rollups
 * (analytics-hall.store.ts, one grouped query per view), never from the live tables; the lists behind
 * the charts are analytics-drill.service.ts. Every use case checks `analytics.read` over the region
 * first.
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { OrgService } from '../org/org.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { coverPeriod, MEASURES as M, parseInstant, quantile, type Grain } from './analytics.model.js'
import {
  bucketCount,
  fillSeries,
  histogramOf,
  isOutlier,
  MAX_POINTS,
  medianAndP90,
  periodBuckets,
  rangeBins,
  rateBins,
  share,
  spreadOf,
  topicLabel,
  type HistogramBin,
  type Point,
} from './analytics-hall.model.js'
import * as store from './analytics-hall.store.js'
import type { UnitSum } from './analytics-hall.store.js'

export const SERIES_METRICS = [
  'cases_submitted',
  'cases_completed',
  'appeals_filed',
  'appeals_resolved',
] as const
export type SeriesMetric = (typeof SERIES_METRICS)[number]
const SERIES_MEASURE: Record<SeriesMetric, string> = {
  cases_submitted: M.CASES_SUBMITTED,
  cases_completed: M.CASES_COMPLETED,
  appeals_filed: M.APPEALS_FILED,
  appeals_resolved: M.APPEALS_RESOLVED,
}
export const RESPONSE_BY = ['region', 'department'] as const
export type ResponseBy = (typeof RESPONSE_BY)[number]
export const OFFICIAL_MEASURES = ['step_p50', 'on_time_rate'] as const
export type OfficialMeasure = (typeof OFFICIAL_MEASURES)[number]
/** A period as asked: epoch ms, a Beijing date or an ISO date-time with zone (see `parseInstant`). */
export interface PeriodQuery {
  region: string
  from?: string
  to?: string
}

export interface SeriesQuery extends PeriodQuery {
  metric: SeriesMetric
  grain?: Grain
}
export interface Series {
  region: string
  metric: SeriesMetric
  grain: Grain
  from: number
  to: number
  points: Point[]
}

export interface TopicsQuery extends PeriodQuery {
  grain?: Grain
  limit?: number
}
export interface Topics {
  region: string
  from: number
  to: number
  grain: Grain
  topics: { topic: string; label: string; n: number }[]
  series: { topic: string; points: Point[] }[]
}

export interface ResponseQuery extends PeriodQuery {
  by: ResponseBy
}
export interface ResponseRow {
  id: string
  name: string
  responded: number
  responseP50Ms: number | null
  responseP90Ms: number | null
  resolved: number
  resolutionP50Ms: number | null
  resolutionP90Ms: number | null
  stepsCompleted: number
  stepP50Ms: number | null
  stepP90Ms: number | null
  onTimeRate: number | null
}
export interface ResponseSpeed {
  region: string
  from: number
  to: number
  by: ResponseBy
  rows: ResponseRow[]
}

export interface OfficialsQuery extends PeriodQuery {
  department: string
  measure: OfficialMeasure
}
export interface OfficialFigure {
  id: string
  name: string
  /** The official's median step time (ms) or on-time rate (0..1); null without completed steps. */
  value: number | null
  /** Steps the official completed in the period. */
  n: number
  outlier: boolean
}
export interface OfficialsSpread {
  department: string
  name: string
  from: number
  to: number
  measure: OfficialMeasure
  bins: HistogramBin[]
  officials: OfficialFigure[]
  mean: number | null
  stddev: number | null
}

export class AnalyticsHallService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly regions: RegionService,
    private readonly org: OrgService,
  ) {}

  /**
   * A region's cases submitted or completed, or appeals filed or resolved, per hour or Beijing day
   * (default), every bucket of the period with zeros. Without `from` the series starts at the region's
   * first bucket holding the measure. @throws FORBIDDEN, NOT_FOUND (region), VALIDATION_FAILED (period,
   * or more than {@link MAX_POINTS} buckets)
   */
  async series(principal: Principal, q: SeriesQuery): Promise<Series> {
    assertCan(principal, 'analytics.read', { regionCode: q.region })
    await this.regions.getRegion(q.region)
    const grain = q.grain ?? 'd'
    const measure = SERIES_MEASURE[q.metric]
    const unit = { unitKind: 'region' as const, unitId: q.region }
    const p = await this.bucketPeriod(q, grain, () => store.firstBucket(this.db, { measure, ...unit, grain }))
    const counts = await store.sumSeries(this.db, { measure, ...unit, dim: '', grain, ...p })
    return {
      region: q.region,
      metric: q.metric,
      grain,
      ...p,
      points: fillSeries(grain, p.from, p.to, counts),
    }
  }

  /**
   * The region's most frequent opinion topics of the period (words of the appeals' text and their
   * categories), each with its series. @throws as {@link series}
   */
  async topics(principal: Principal, q: TopicsQuery): Promise<Topics> {
    assertCan(principal, 'analytics.read', { regionCode: q.region })
    await this.regions.getRegion(q.region)
    const grain = q.grain ?? 'd'
    const unit = { measure: M.APPEALS_TOPIC, unitKind: 'region' as const, unitId: q.region }
    const p = await this.bucketPeriod(q, grain, () => store.firstBucket(this.db, { ...unit, grain }))
    // The ranking covers exactly the buckets the series show, so each topic's n is its points' sum.
    const top = await store.topDims(this.db, {
      ...unit,
      ranges: coverPeriod(p.from, p.to).ranges,
      limit: q.limit ?? 10,
    })
    const dims = top.map((t) => t.dim)
    const series = await store.sumSeriesByDim(this.db, { ...unit, dims, grain, ...p })
    return {
      region: q.region,
      ...p,
      grain,
      topics: top.map((t) => ({ topic: t.dim, label: topicLabel(t.dim), n: t.n })),
      series: dims.map((topic) => ({
        topic,
        points: fillSeries(grain, p.from, p.to, series.get(topic) ?? new Map()),
      })),
    }
  }

  /**
   * Response and handling speed of the period for each child region (`by=region`) or each department
   * of the region itself (`by=department`): appeals responded and resolved with the p50/p90 of the time
   * from filing, department steps completed with their p50/p90 and on-time rate. One rollup query for
   * all rows. @throws FORBIDDEN, NOT_FOUND (region), VALIDATION_FAILED (period)
   */
  async response(principal: Principal, q: ResponseQuery): Promise<ResponseSpeed> {
    assertCan(principal, 'analytics.read', { regionCode: q.region })
    await this.regions.getRegion(q.region)
    const period = this.period(q)
    const units =
      q.by === 'region'
        ? (await this.regions.listChildren(q.region)).map((r) => ({ id: r.code, name: r.name }))
        : (await this.org.listDepartments(q.region))
            .filter((d) => d.regionCode === q.region)
            .map((d) => ({ id: d.id, name: d.name }))
    const sums = await store.sumUnits(this.db, {
      measures: [
        M.APPEALS_RESPONDED,
        M.APPEALS_RESPONDED_BIN,
        M.APPEALS_RESOLVED,
        M.APPEALS_RESOLVED_BIN,
        M.STEPS_COMPLETED,
        M.STEPS_ON_TIME,
        M.STEPS_DURATION_BIN,
      ],
      unitKind: q.by,
      unitIds: units.map((u) => u.id),
      ranges: period.ranges,
    })
    const cells = cellsByUnit(sums)
    return {
      region: q.region,
      from: period.from,
      to: period.to,
      by: q.by,
      rows: units.map((u) => {
        const c = cells.get(u.id)
        const whole = (measure: string) => c?.whole.get(measure) ?? 0
        const response = medianAndP90(c?.bins.get(M.APPEALS_RESPONDED_BIN) ?? new Map())
        const resolution = medianAndP90(c?.bins.get(M.APPEALS_RESOLVED_BIN) ?? new Map())
        const step = medianAndP90(c?.bins.get(M.STEPS_DURATION_BIN) ?? new Map())
        return {
          id: u.id,
          name: u.name,
          responded: whole(M.APPEALS_RESPONDED),
          responseP50Ms: response.p50,
          responseP90Ms: response.p90,
          resolved: whole(M.APPEALS_RESOLVED),
          resolutionP50Ms: resolution.p50,
          resolutionP90Ms: resolution.p90,
          stepsCompleted: whole(M.STEPS_COMPLETED),
          stepP50Ms: step.p50,
          stepP90Ms: step.p90,
          onTimeRate: share(whole(M.STEPS_ON_TIME), whole(M.STEPS_COMPLETED)),
        }
      }),
    }
  }

  /**
   * The spread of a department's serving officials on one measure of the period: each official's
   * median step time or on-time rate with the steps behind it, the histogram of those values, their
   * mean and standard deviation, and who stands out (|z| ≥ 2 or outside Tukey's fences). Officials
   * without a completed step have no value and are left out of the spread. The department must lie in
   * the region. @throws FORBIDDEN, NOT_FOUND (region, department), VALIDATION_FAILED (period)
   */
  async officials(principal: Principal, q: OfficialsQuery): Promise<OfficialsSpread> {
    assertCan(principal, 'analytics.read', { regionCode: q.region })
    await this.regions.getRegion(q.region)
    const period = this.period(q)
    const department = await this.org.getDepartment(q.department)
    if (!department.regionCode.startsWith(q.region)) throw notFound('department', q.department)
    const members = (await this.org.membersOf([department.id])).get(department.id) ?? []
    const sums = await store.sumUnits(this.db, {
      measures:
        q.measure === 'step_p50'
          ? [M.STEPS_COMPLETED, M.STEPS_DURATION_BIN]
          : [M.STEPS_COMPLETED, M.STEPS_ON_TIME],
      unitKind: 'official',
      unitIds: members.map((m) => m.id),
      ranges: period.ranges,
    })
    const cells = cellsByUnit(sums)
    const figures = members.map((m) => {
      const c = cells.get(m.id)
      const n = c?.whole.get(M.STEPS_COMPLETED) ?? 0
      const value =
        q.measure === 'step_p50'
          ? quantile(c?.bins.get(M.STEPS_DURATION_BIN) ?? new Map(), 0.5)
          : share(c?.whole.get(M.STEPS_ON_TIME) ?? 0, n)
      return { id: m.id, name: m.name, value, n }
    })
    const values = figures.flatMap((f) => (f.value === null ? [] : [f.value]))
    const spread = spreadOf(values)
    // Best first: the fastest median, the highest on-time rate; officials without a value last.
    const sign = q.measure === 'step_p50' ? 1 : -1
    figures.sort((a, b) =>
      a.value === null || b.value === null
        ? (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || cmp(a.id, b.id)
        : sign * (a.value - b.value) || cmp(a.id, b.id),
    )
    return {
      department: department.id,
      name: department.name,
      from: period.from,
      to: period.to,
      measure: q.measure,
      bins: q.measure === 'on_time_rate' ? rateBins(values) : rangeBins(values),
      officials: figures.map((f) => ({ ...f, outlier: f.value !== null && isOutlier(f.value, spread) })),
      mean: spread.mean,
      stddev: spread.stddev,
    }
  }

  private period(q: { from?: string | undefined; to?: string | undefined }): ReturnType<typeof coverPeriod> {
    return askedPeriod(q, this.clock.now())
  }

  /**
   * The period of a series at `grain`, widened to whole buckets; without `from`, from the first bucket
   * holding data (`first`), or empty. @throws VALIDATION_FAILED (order, or more than MAX_POINTS buckets)
   */
  private async bucketPeriod(
    q: { from?: string | undefined; to?: string | undefined },
    grain: Grain,
    first: () => Promise<number | undefined>,
  ): Promise<{ from: number; to: number }> {
    const to = q.to === undefined ? this.clock.now() : instant(q.to, 'to')
    const from = q.from === undefined ? Math.min(to, (await first()) ?? to) : instant(q.from, 'from')
    assertOrdered(from, to)
    const p = periodBuckets(grain, from, to)
    if (bucketCount(grain, p.from, p.to) > MAX_POINTS)
      throw new AppError(
        'VALIDATION_FAILED',
        `the period has more than ${MAX_POINTS} buckets of this grain`,
        {
          details: [
            { path: '/querystring/from', message: `at most ${MAX_POINTS} points: shorten it or use grain=d` },
          ],
        },
      )
    return p
  }
}

/** Summed cells by unit: each measure's whole, and each histogram measure's bins. */
function cellsByUnit(
  sums: readonly UnitSum[],
): Map<string, { whole: Map<string, number>; bins: Map<string, Map<number, number>> }> {
  const out = new Map<string, { whole: Map<string, number>; bins: Map<string, Map<number, number>> }>()
  for (const s of sums) {
    let c = out.get(s.unitId)
    if (!c) out.set(s.unitId, (c = { whole: new Map(), bins: new Map() }))
    if (s.dim === '') c.whole.set(s.measure, (c.whole.get(s.measure) ?? 0) + s.n)
    else {
      const bins = c.bins.get(s.measure) ?? new Map<number, number>()
      for (const [bin, n] of histogramOf([s])) bins.set(bin, (bins.get(bin) ?? 0) + n)
      c.bins.set(s.measure, bins)
    }
  }
  return out
}

/**
 * The period asked (default: from the beginning until `now`), widened to whole hours, as rollup ranges.
 * @throws VALIDATION_FAILED (not an instant, or ends before it begins)
 */
export function askedPeriod(
  q: { from?: string | undefined; to?: string | undefined },
  now: number,
): ReturnType<typeof coverPeriod> {
  const from = q.from === undefined ? 0 : instant(q.from, 'from')
  const to = q.to === undefined ? now : instant(q.to, 'to')
  assertOrdered(from, to)
  return coverPeriod(from, to)
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function assertOrdered(from: number, to: number): void {
  if (to < from)
    throw new AppError('VALIDATION_FAILED', 'the period ends before it begins', {
      details: [{ path: '/querystring/to', message: 'must not be before from' }],
    })
}

function instant(text: string, field: 'from' | 'to'): number {
  const t = parseInstant(text)
  if (t === null)
    throw new AppError('VALIDATION_FAILED', `${field} is not an instant`, {
      details: [
        {
          path: `/querystring/${field}`,
          message:
            'expected epoch milliseconds, a date (YYYY-MM-DD, Beijing) or an ISO 8601 date-time with zone',
        },
      ],
    })
  return t
}
