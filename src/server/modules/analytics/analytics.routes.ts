/**
 * The command hall's HTTP API: the demand heatmap and the headline KPIs.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, regionCodeSchema } from '../../http/schemas.js'
import { INSTANT_PATTERN } from './analytics.model.js'
import {
  HEATMAP_METRICS,
  type AnalyticsService,
  type HeatmapQuery,
  type KpiQuery,
} from './analytics.service.js'

const instantSchema = {
  type: 'string',
  pattern: INSTANT_PATTERN,
  description: 'epoch ms, a date YYYY-MM-DD (Beijing midnight) or an ISO 8601 date-time with zone',
} as const

const heatmapSchema = {
  type: 'object',
  required: ['region', 'metric', 'from', 'to', 'values'],
  properties: {
    region: { type: 'string' },
    metric: { enum: [...HEATMAP_METRICS] },
    from: { type: 'integer', description: 'start of the period counted (epoch ms, whole hour)' },
    to: { type: 'integer', description: 'end of the period counted, exclusive (epoch ms, whole hour)' },
    values: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'value', 'count', 'population'],
        properties: {
          code: { type: 'string' },
          name: { type: 'string' },
          value: { type: ['number', 'null'], description: 'count per 10,000 residents' },
          count: { type: 'integer' },
          population: { type: 'integer' },
        },
      },
    },
  },
} as const

const nullableNumber = { type: ['number', 'null'] } as const
const figureProperties = {
  submitted: { type: 'integer', description: 'cases submitted in the period' },
  completed: { type: 'integer', description: 'cases completed (办结) in the period' },
  rejected: { type: 'integer' },
  medianMs: { ...nullableNumber, description: 'median end-to-end time of the completed cases (ms)' },
  p90Ms: { ...nullableNumber, description: '90th percentile of the same (ms)' },
  zeroTripShare: {
    ...nullableNumber,
    description: 'share of cases submitted with no trip in person (零跑动)',
  },
  instantShare: {
    ...nullableNumber,
    description: 'share of completed cases completed within an hour of submission (当场办结)',
  },
  onTimeRate: { ...nullableNumber, description: 'share of department steps completed within their limit' },
  satisfactionRate: { ...nullableNumber, description: 'share of case ratings of 4 or 5 (of 5)' },
  compression: {
    ...nullableNumber,
    description: '时限压缩: 1 − Σ承诺时限 / Σ法定时限 over the cases submitted, by their process version',
  },
  reformScore: { ...nullableNumber, description: 'mean reform score given with the ratings (1–5)' },
} as const
const figureRequired = Object.keys(figureProperties)

const headlineSchema = {
  type: 'object',
  required: ['value', 'numerator', 'denominator', 'claimed', 'definition'],
  properties: {
    value: nullableNumber,
    numerator: { type: 'number' },
    denominator: { type: 'number' },
    claimed: { type: 'number', description: 'what the seed quotes for 星政通5.0' },
    definition: {
      type: 'object',
      required: ['zh', 'en'],
      properties: { zh: { type: 'string' }, en: { type: 'string' } },
    },
  },
} as const

const kpisSchema = {
  type: 'object',
  required: ['region', 'name', 'from', 'to', 'matter', 'version', ...figureRequired, 'headline', 'versions'],
  properties: {
    region: { type: 'string' },
    name: { type: 'string' },
    from: { type: 'integer' },
    to: { type: 'integer' },
    matter: { type: ['string', 'null'] },
    version: { type: ['integer', 'null'] },
    ...figureProperties,
    headline: {
      type: 'object',
      required: ['efficiency', 'satisfaction'],
      properties: {
        efficiency: { ...headlineSchema, description: '治理效率 (×): Σ statutory limit ÷ Σ actual time' },
        satisfaction: { ...headlineSchema, description: '满意度: favourable ratings of cases and appeals' },
      },
    },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', ...figureRequired],
        properties: { version: { type: 'integer' }, ...figureProperties },
      },
    },
  },
} as const

export function registerAnalyticsRoutes(server: FastifyInstance, analytics: AnalyticsService): void {
  const tags = ['analytics']
  server.get<{ Querystring: HeatmapQuery }>(
    '/api/analytics/heatmap',
    {
      schema: {
        tags,
        summary:
          '需求热力图: for each child region of `region`, the cases submitted (cases_per_10k) or appeals filed ' +
          '(appeals_per_10k) in it during [from, to) widened to whole hours (default: all until now), and per 10,000 ' +
          'residents; read from the hour/day rollups kept from the ledger (analytics.read over the region)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['region', 'metric'],
          properties: {
            region: regionCodeSchema,
            metric: { enum: [...HEATMAP_METRICS] },
            from: instantSchema,
            to: instantSchema,
          },
        },
        response: { 200: heatmapSchema, ...errorResponses },
      },
    },
    async (req) => analytics.heatmap(principalOf(req), req.query),
  )

  server.get<{ Querystring: KpiQuery }>(
    '/api/analytics/kpis',
    {
      schema: {
        tags,
        summary:
          'Headline KPIs of a region subtree over [from, to) widened to whole hours: median end-to-end time, ' +
          'zero-trip and instant shares, on-time and satisfaction rates, time-limit compression, reform score; with ' +
          '`matter` its cases only and each of its process versions compared; and the seed’s 治理效率 and 满意度 ' +
          'with their definitions. Read from the rollups (analytics.read over the region)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['region'],
          properties: {
            region: regionCodeSchema,
            from: instantSchema,
            to: instantSchema,
            matter: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
            version: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          },
        },
        response: { 200: kpisSchema, ...errorResponses },
      },
    },
    async (req) => analytics.kpis(principalOf(req), req.query),
  )
}
