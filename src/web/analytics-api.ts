/**
 * The command hall's API (数据指挥大厅, `/api/analytics`) as the hall and the leaders' desk use it: the
 * demand heatmap, the headline KPIs, time series, opinion topics, response speed, officials'
 * distributions, the list behind a chart (drill), the workbook / CSV export, and the live ledger
 * ticker (a page to fill, server-sent events to follow). Shapes as in the hall's contract; every
 * period is `[from, to)` in epoch ms (the server widens it to whole hours).
 * @module
 */
import { http, request } from './api.js'
import type { RequestOptions } from './api.js'
import { fileNameOf } from './promotion-api.js'
import type { Kpis } from '../shared/api.js'

export type HeatmapMetric = 'cases_per_10k' | 'appeals_per_10k'
export const HEATMAP_METRICS: readonly HeatmapMetric[] = ['cases_per_10k', 'appeals_per_10k']

/** A period asked for: epoch ms; `to` omitted is now. */
export interface Period {
  from: number
  to?: number
}

export type Grain = 'h' | 'd'

export interface HeatmapValue {
  code: string
  name: string
  /** Per 10,000 residents; null without a population on record. */
  value: number | null
  count: number
  population: number
}

export interface Heatmap {
  region: string
  metric: HeatmapMetric
  from: number
  to: number
  values: HeatmapValue[]
}

/** The KPI shapes, as the server produces them (src/shared/api.ts). */
export type { Headline as HeadlineFigure, Kpis, VersionFigures as KpiVersion } from '../shared/api.js'

export type SeriesMetric = 'cases_submitted' | 'cases_completed' | 'appeals_filed' | 'appeals_resolved'

export interface Point {
  t: number
  n: number
}

export interface Series {
  region: string
  metric: SeriesMetric
  grain: Grain
  from: number
  to: number
  points: Point[]
}

export interface Topic {
  /** A topic word, or `category:<c>`. */
  topic: string
  /** Its Chinese display name. */
  label: string
  n: number
}

export interface Topics {
  region: string
  from: number
  to: number
  grain: Grain
  topics: Topic[]
  series: { topic: string; points: Point[] }[]
}

export type ResponseBy = 'region' | 'department'

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

export type OfficialMeasure = 'step_p50' | 'on_time_rate'

export interface OfficialValue {
  id: string
  name: string
  value: number | null
  n: number
  outlier: boolean
}

export interface OfficialsDistribution {
  department: string
  name: string
  from: number
  to: number
  measure: OfficialMeasure
  bins: { lower: number; upper: number; count: number }[]
  officials: OfficialValue[]
  mean: number | null
  stddev: number | null
}

export type DrillKind = 'cases' | 'appeals'

export interface DrillItem {
  id: string
  title: string
  region: string
  regionName: string
  status: string
  at: number
  department: string | null
}

export interface DrillQuery extends Period {
  region: string
  kind: DrillKind
  department?: string
  status?: string
  limit?: number
  offset?: number
}

export interface DrillList {
  total: number
  items: DrillItem[]
}

/** One ledger event of the caller's region subtree, as the stream and the ticker give it. */
export interface TickerItem {
  log: string
  index: number
  type: string
  /** The event's Chinese display name. */
  label: string
  region: string
  regionName: string
  time: number
}

export type ExportView = 'heatmap' | 'kpis' | 'response' | 'officials' | 'topics'

const periodQuery = (p: Period) => ({
  from: String(p.from),
  to: p.to === undefined ? undefined : String(p.to),
})

export const analyticsApi = {
  heatmap: (q: Period & { region: string; metric: HeatmapMetric }, o?: RequestOptions) =>
    http.get<Heatmap>(
      `/api/analytics/heatmap${http.query({ region: q.region, metric: q.metric, ...periodQuery(q) })}`,
      o,
    ),
  kpis: (q: Period & { region: string; matter?: string; version?: number }, o?: RequestOptions) =>
    http.get<Kpis>(
      `/api/analytics/kpis${http.query({ region: q.region, matter: q.matter, version: q.version, ...periodQuery(q) })}`,
      o,
    ),
  series: (q: Period & { region: string; metric: SeriesMetric; grain: Grain }, o?: RequestOptions) =>
    http.get<Series>(
      `/api/analytics/series${http.query({ region: q.region, metric: q.metric, grain: q.grain, ...periodQuery(q) })}`,
      o,
    ),
  topics: (q: Period & { region: string; grain: Grain; limit?: number }, o?: RequestOptions) =>
    http.get<Topics>(
      `/api/analytics/topics${http.query({ region: q.region, grain: q.grain, limit: q.limit, ...periodQuery(q) })}`,
      o,
    ),
  response: (q: Period & { region: string; by: ResponseBy }, o?: RequestOptions) =>
    http.get<ResponseSpeed>(
      `/api/analytics/response${http.query({ region: q.region, by: q.by, ...periodQuery(q) })}`,
      o,
    ),
  officials: (
    q: Period & { region: string; department: string; measure: OfficialMeasure },
    o?: RequestOptions,
  ) =>
    http.get<OfficialsDistribution>(
      `/api/analytics/officials${http.query({
        region: q.region,
        department: q.department,
        measure: q.measure,
        ...periodQuery(q),
      })}`,
      o,
    ),
  drill: (q: DrillQuery, o?: RequestOptions) =>
    http.get<DrillList>(
      `/api/analytics/drill${http.query({
        region: q.region,
        kind: q.kind,
        department: q.department,
        status: q.status,
        limit: q.limit,
        offset: q.offset,
        ...periodQuery(q),
      })}`,
      o,
    ),
  ticker: (q: { region: string; limit?: number }, o?: RequestOptions) =>
    http.get<{ items: TickerItem[] }>(`/api/analytics/ticker${http.query(q)}`, o),
  /** A view as an Excel workbook or a CSV file, with the file name the server suggests. */
  async export(
    q: Period & {
      view: ExportView
      region: string
      format?: 'csv'
      metric?: string
      by?: ResponseBy
      department?: string
      measure?: OfficialMeasure
    },
    o?: RequestOptions,
  ): Promise<{ blob: Blob; fileName: string | null }> {
    const { from, to, ...rest } = q
    const { data, headers } = await request<Blob>(
      'GET',
      `/api/analytics/export.xlsx${http.query({ ...rest, ...periodQuery({ from, to }) })}`,
      undefined,
      o,
      'blob',
    )
    return { blob: data, fileName: fileNameOf(headers.get('content-disposition')) }
  },
}

/**
 * Follows `/api/analytics/stream` (server-sent events, the session cookie): each `ledger` event is
 * handed to `onEvent`; `onState` says whether the stream is open. EventSource reconnects by itself.
 * @returns a function that closes the stream
 */
export function followLedger(
  onEvent: (item: TickerItem) => void,
  onState: (open: boolean) => void,
): () => void {
  if (typeof EventSource === 'undefined') {
    onState(false)
    return () => undefined
  }
  const source = new EventSource('/api/analytics/stream', { withCredentials: true })
  source.addEventListener('open', () => onState(true))
  source.addEventListener('error', () => onState(source.readyState === EventSource.OPEN))
  source.addEventListener('ledger', (e) => {
    try {
      onEvent(JSON.parse((e as MessageEvent<string>).data) as TickerItem)
    } catch {
      // A malformed event is skipped; the next refetch shows the figures anyway.
    }
  })
  return () => source.close()
}
