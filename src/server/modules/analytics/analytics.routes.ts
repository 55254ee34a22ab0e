/**
 * The command hall's HTTP API (this increment: the demand heatmap).
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, regionCodeSchema } from '../../http/schemas.js'
import { INSTANT_PATTERN } from './analytics.model.js'
import { HEATMAP_METRICS, type AnalyticsService, type HeatmapQuery } from './analytics.service.js'

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
}
