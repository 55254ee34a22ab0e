/**
 * Assessment (考核): scorecards of officials, departments and regions for a period, and the facts
 * behind each number with their ledger entries (`assessment.read`).
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema, regionCodeSchema } from '../../http/schemas.js'
import {
  ASSESSMENT_DIMENSIONS,
  ASSESSMENT_LEVELS,
  INDICATOR_CODES,
  PERIOD_PATTERN,
  PROMOTION_PARTS,
  type AssessmentLevel,
  type IndicatorCode,
} from '../../../shared/assessment.js'
import type { AssessmentService } from './assessment.service.js'

const nullableNumber = { type: ['number', 'null'] } as const
const ledger = {
  type: 'object',
  required: ['log', 'index'],
  properties: { log: { type: 'string' }, index: { type: 'integer' } },
} as const

const indicatorSchema = {
  type: 'object',
  required: ['value', 'score', 'n', 'smallSample'],
  properties: {
    value: {
      ...nullableNumber,
      description: 'rate 0–1, mean score 1–5, per 1,000 records, or mean days; null: no facts',
    },
    score: {
      ...nullableNumber,
      description: '0–100 by the formula’s worst/best; null: no facts or not in the formula',
    },
    n: { type: 'integer', description: 'facts counted' },
    smallSample: { type: 'boolean', description: 'fewer facts than the formula’s minSample' },
  },
} as const

const promotionParts = Object.keys(PROMOTION_PARTS)

const rowSchema = {
  type: 'object',
  required: ['subject', 'indicators', 'dimensions', 'total', 'rank', 'trend', 'policyVersion'],
  properties: {
    subject: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    },
    indicators: {
      type: 'object',
      required: INDICATOR_CODES,
      properties: Object.fromEntries(INDICATOR_CODES.map((c) => [c, indicatorSchema])),
    },
    dimensions: {
      type: 'object',
      required: Object.keys(ASSESSMENT_DIMENSIONS),
      properties: Object.fromEntries(Object.keys(ASSESSMENT_DIMENSIONS).map((d) => [d, nullableNumber])),
    },
    total: nullableNumber,
    rank: {
      type: ['integer', 'null'],
      description: 'null: not ranked (every scored indicator a small sample)',
    },
    trend: { ...nullableNumber, description: 'total minus the previous period’s' },
    policyVersion: { type: 'string', description: 'the assessment.formula@N that produced the row' },
    promotionIndex: { ...nullableNumber, description: 'officials: the promotion index 0–100' },
    promotionParts: {
      type: 'object',
      required: promotionParts,
      properties: Object.fromEntries(promotionParts.map((p) => [p, nullableNumber])),
    },
    promotionMissing: { type: 'array', items: { type: 'string', enum: promotionParts } },
    promotionPolicy: { type: 'string', description: 'the assessment.promotion@N that weighed the index' },
  },
} as const

const factSchema = {
  type: 'object',
  required: [
    'key',
    'indicator',
    'ref',
    'at',
    'outcome',
    'staffId',
    'departmentId',
    'regionCode',
    'ledger',
    'contest',
  ],
  properties: {
    key: {
      type: 'string',
      description: 'the fact’s stable id (indicator, ref and proving entry): what a contest names',
    },
    indicator: { type: 'string', enum: INDICATOR_CODES },
    ref: {
      type: 'object',
      required: ['kind', 'id'],
      properties: { kind: { type: 'string' }, id: { type: 'string' } },
    },
    at: { type: 'integer' },
    outcome: {
      type: ['boolean', 'number'],
      description: 'a rate’s hit (true) or miss; a score’s or duration’s value',
    },
    staffId: { type: ['string', 'null'] },
    departmentId: { type: ['string', 'null'] },
    regionCode: { type: 'string' },
    ledger: {
      ...ledger,
      description:
        'the entry proving the fact: GET /api/ledger/{log}/entries/{index} (the leaf), /api/ledger/{log}/checkpoint and /api/ledger/{log}/proof/inclusion?index=&size= (its proof), or /api/ledger/{log}/receipt/{index} (offline)',
    },
    contest: {
      type: ['object', 'null'],
      description:
        'the fact’s latest contest (POST /api/assessment/fact-contests), null if never contested; an upheld one leaves the fact out of the list',
      required: ['id', 'status'],
      properties: {
        id: { type: 'string' },
        status: { type: 'string', enum: ['pending', 'upheld', 'rejected'] },
      },
    },
  },
} as const

const period = {
  type: 'string',
  pattern: PERIOD_PATTERN,
  description: 'a month 2026-11, a quarter 2026-Q4 or a year 2026 (Beijing time)',
} as const
const level = { type: 'string', enum: ASSESSMENT_LEVELS } as const

export function registerAssessmentRoutes(server: FastifyInstance, assessment: AssessmentService): void {
  const tags = ['assessment']
  server.get<{
    Querystring: { level: AssessmentLevel; region?: string; period: string; policyVersion?: number }
  }>(
    '/api/assessment/scorecards',
    {
      schema: {
        tags,
        summary:
          'Scorecards (assessment.read) of a level in a region for a period: level=official and level=department ' +
          'list the officials and departments anywhere in the region’s subtree, level=region its direct children ' +
          '(the cities of a province, the counties of a city…). Ranked within that list by total (ties share a ' +
          'rank; small samples unranked); the caller receives the rows they may read (an official only their ' +
          'own). Computed under the assessment.formula version governing at the period’s end, or under ' +
          'policyVersion=N (what-if).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['level', 'period'],
          properties: {
            level,
            region: { ...regionCodeSchema, description: 'the caller’s region by default' },
            period,
            policyVersion: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          },
        },
        response: { 200: { type: 'array', items: rowSchema }, ...errorResponses },
      },
    },
    (req) => assessment.scorecards(principalOf(req), req.query),
  )
  server.get<{
    Params: { level: AssessmentLevel; subjectId: string }
    Querystring: { period: string; indicator?: IndicatorCode }
  }>(
    '/api/assessment/scorecards/:level/:subjectId/facts',
    {
      schema: {
        tags,
        summary:
          'The facts counted for a subject’s indicator in a period (every indicator when none is named), each with ' +
          'its ledger entry {log, index}, provable with GET /api/ledger/{log}/proof/inclusion?index=&size= against the log’s checkpoint (assessment.read)',
        params: {
          type: 'object',
          required: ['level', 'subjectId'],
          properties: { level, subjectId: idSchema },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['period'],
          properties: { period, indicator: { type: 'string', enum: INDICATOR_CODES } },
        },
        response: { 200: { type: 'array', items: factSchema }, ...errorResponses },
      },
    },
    (req) => assessment.facts(principalOf(req), req.params.level, req.params.subjectId, req.query),
  )
}
