/**
 * The command hall's read API beyond the heatmap: series, topics, response speed, the officials'
 * spread, drill lists, and their export (workbook or CSV). Every route reads `analytics.read` over
 * `region` (the export `analytics.export`); periods as the heatmap's.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { binaryResponse, contentDisposition } from '../../http/download.js'
import { errorResponses, idSchema, regionCodeSchema } from '../../http/schemas.js'
import { GRAINS, INSTANT_PATTERN } from './analytics.model.js'
import { HEATMAP_METRICS } from './analytics.service.js'
import {
  OFFICIAL_MEASURES,
  RESPONSE_BY,
  SERIES_METRICS,
  type AnalyticsHallService,
  type OfficialsQuery,
  type ResponseQuery,
  type SeriesQuery,
  type TopicsQuery,
} from './analytics-hall.service.js'
import {
  DRILL_KINDS,
  DRILL_STATUSES,
  type AnalyticsDrillService,
  type DrillQuery,
} from './analytics-drill.service.js'
import {
  EXPORT_FORMATS,
  EXPORT_VIEWS,
  XLSX_MEDIA_TYPE,
  type AnalyticsExportService,
  type ExportQuery,
} from './analytics-export.service.js'

const instant = {
  type: 'string',
  pattern: INSTANT_PATTERN,
  description: 'epoch ms, a date YYYY-MM-DD (Beijing midnight) or an ISO 8601 date-time with zone',
} as const
const grain = { enum: [...GRAINS], description: 'h: hours; d: Beijing days (default)' } as const
const nullableNumber = { type: ['number', 'null'] } as const
const periodOut = {
  from: { type: 'integer', description: 'start of the period read (epoch ms, whole bucket)' },
  to: { type: 'integer', description: 'end of the period read, exclusive (epoch ms, whole bucket)' },
} as const
const points = {
  type: 'array',
  items: {
    type: 'object',
    required: ['t', 'n'],
    properties: { t: { type: 'integer', description: 'bucket start, epoch ms' }, n: { type: 'integer' } },
  },
} as const
const query = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: ['region', ...required],
  properties: { region: regionCodeSchema, from: instant, to: instant, ...properties },
})

const seriesSchema = {
  type: 'object',
  required: ['region', 'metric', 'grain', 'from', 'to', 'points'],
  properties: {
    region: { type: 'string' },
    metric: { enum: [...SERIES_METRICS] },
    grain,
    ...periodOut,
    points,
  },
} as const

const topicsSchema = {
  type: 'object',
  required: ['region', 'from', 'to', 'grain', 'topics', 'series'],
  properties: {
    region: { type: 'string' },
    ...periodOut,
    grain,
    topics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['topic', 'label', 'n'],
        properties: { topic: { type: 'string' }, label: { type: 'string' }, n: { type: 'integer' } },
      },
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['topic', 'points'],
        properties: { topic: { type: 'string' }, points },
      },
    },
  },
} as const

const responseRow = {
  type: 'object',
  required: [
    'id',
    'name',
    'responded',
    'responseP50Ms',
    'responseP90Ms',
    'resolved',
    'resolutionP50Ms',
    'resolutionP90Ms',
    'stepsCompleted',
    'stepP50Ms',
    'stepP90Ms',
    'onTimeRate',
  ],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    responded: { type: 'integer' },
    responseP50Ms: nullableNumber,
    responseP90Ms: nullableNumber,
    resolved: { type: 'integer' },
    resolutionP50Ms: nullableNumber,
    resolutionP90Ms: nullableNumber,
    stepsCompleted: { type: 'integer' },
    stepP50Ms: nullableNumber,
    stepP90Ms: nullableNumber,
    onTimeRate: { ...nullableNumber, description: 'steps on time / steps completed (0..1)' },
  },
} as const

const responseSchema = {
  type: 'object',
  required: ['region', 'from', 'to', 'by', 'rows'],
  properties: {
    region: { type: 'string' },
    ...periodOut,
    by: { enum: [...RESPONSE_BY] },
    rows: { type: 'array', items: responseRow },
  },
} as const

const officialsSchema = {
  type: 'object',
  required: ['department', 'name', 'from', 'to', 'measure', 'bins', 'officials', 'mean', 'stddev'],
  properties: {
    department: { type: 'string' },
    name: { type: 'string' },
    ...periodOut,
    measure: { enum: [...OFFICIAL_MEASURES] },
    bins: {
      type: 'array',
      items: {
        type: 'object',
        required: ['lower', 'upper', 'count'],
        properties: { lower: { type: 'number' }, upper: { type: 'number' }, count: { type: 'integer' } },
      },
    },
    officials: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'value', 'n', 'outlier'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          value: nullableNumber,
          n: { type: 'integer' },
          outlier: { type: 'boolean' },
        },
      },
    },
    mean: nullableNumber,
    stddev: nullableNumber,
  },
} as const

const drillSchema = {
  type: 'object',
  required: ['total', 'items'],
  properties: {
    total: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'region', 'regionName', 'status', 'at', 'department'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          region: { type: 'string' },
          regionName: { type: 'string' },
          status: { type: 'string' },
          at: { type: 'integer' },
          department: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const

export function registerAnalyticsHallRoutes(
  server: FastifyInstance,
  hall: AnalyticsHallService,
  drill: AnalyticsDrillService,
  exporter: AnalyticsExportService,
): void {
  const tags = ['analytics']
  server.get<{ Querystring: SeriesQuery }>(
    '/api/analytics/series',
    {
      schema: {
        tags,
        summary:
          '趋势: a region’s cases submitted or completed, or appeals filed or resolved, per hour or Beijing day, every ' +
          'bucket of the period with zeros (without from: from the first bucket with data; at most 10,000 points)',
        querystring: query(['metric'], { metric: { enum: [...SERIES_METRICS] }, grain }),
        response: { 200: seriesSchema, ...errorResponses },
      },
    },
    async (req) => hall.series(principalOf(req), req.query),
  )
  server.get<{ Querystring: TopicsQuery }>(
    '/api/analytics/topics',
    {
      schema: {
        tags,
        summary:
          '诉求热点: the region’s most frequent opinion topics of the period (words of the appeals and their categories, ' +
          'labelled in Chinese), each with its series per hour or Beijing day',
        querystring: query([], { grain, limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 } }),
        response: { 200: topicsSchema, ...errorResponses },
      },
    },
    async (req) => hall.topics(principalOf(req), req.query),
  )
  server.get<{ Querystring: ResponseQuery }>(
    '/api/analytics/response',
    {
      schema: {
        tags,
        summary:
          '响应速度: for each child region (by=region) or each department of the region itself (by=department), appeals ' +
          'responded and resolved with p50/p90 of the time from filing, and department steps completed with their ' +
          'p50/p90 and on-time rate, over [from, to) widened to whole hours',
        querystring: query(['by'], { by: { enum: [...RESPONSE_BY] } }),
        response: { 200: responseSchema, ...errorResponses },
      },
    },
    async (req) => hall.response(principalOf(req), req.query),
  )
  server.get<{ Querystring: OfficialsQuery }>(
    '/api/analytics/officials',
    {
      schema: {
        tags,
        summary:
          '人员分布: the serving officials of a department of the region on one measure (median step time, on-time rate): ' +
          'each official’s value and steps, the histogram, mean and standard deviation, and outliers (|z| ≥ 2 or outside ' +
          'Tukey’s fences); officials without a completed step have value null and are left out of the spread',
        querystring: query(['department', 'measure'], {
          department: idSchema,
          measure: { enum: [...OFFICIAL_MEASURES] },
        }),
        response: { 200: officialsSchema, ...errorResponses },
      },
    },
    async (req) => hall.officials(principalOf(req), req.query),
  )
  server.get<{ Querystring: DrillQuery }>(
    '/api/analytics/drill',
    {
      schema: {
        tags,
        summary:
          '明细: the cases submitted (or appeals filed) in the region’s subtree during the period, newest first, ' +
          'optionally of one status or department (a case: with a step of it): what a chart stands for. Digests only: ' +
          'no applicant, no text',
        querystring: query(['kind'], {
          kind: { enum: [...DRILL_KINDS] },
          department: idSchema,
          status: { enum: DRILL_STATUSES },
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
        }),
        response: { 200: drillSchema, ...errorResponses },
      },
    },
    async (req) => drill.drill(principalOf(req), req.query),
  )
  server.get<{ Querystring: ExportQuery }>(
    '/api/analytics/export.xlsx',
    {
      schema: {
        tags,
        summary:
          '导出: one view of the hall (heatmap, kpis, response, officials, topics) as an Excel workbook, or as CSV with ' +
          'format=csv (UTF-8 with BOM), with Chinese sheet and column names (analytics.export over the region). ' +
          'The view’s own parameters: metric (heatmap), by (response), department and measure (officials), grain and ' +
          'limit (topics), matter and version (kpis)',
        description:
          'Content-Disposition an attachment named 指挥大厅-{view}-{region}-{period}.xlsx (or .csv), RFC 5987 filename*.',
        querystring: query(['view'], {
          view: { enum: [...EXPORT_VIEWS] },
          format: { enum: [...EXPORT_FORMATS], default: 'xlsx' },
          metric: { enum: [...HEATMAP_METRICS] },
          by: { enum: [...RESPONSE_BY] },
          department: idSchema,
          measure: { enum: [...OFFICIAL_MEASURES] },
          grain,
          limit: { type: 'integer', minimum: 1, maximum: 50 },
          matter: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
          version: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        }),
        response: { 200: binaryResponse([XLSX_MEDIA_TYPE, 'text/csv']), ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await exporter.file(principalOf(req), req.query)
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.content)
    },
  )
}
