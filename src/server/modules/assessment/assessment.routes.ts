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
import { REGION_LEVELS } from '../../../shared/domain.js'
import { binaryResponse, contentDisposition } from '../../http/download.js'
import {
  XLSX_MEDIA_TYPE,
  type AssessmentExportService,
  type ExportQuery,
} from './assessment-export.service.js'
import type { AssessmentService, ScorecardDepth } from './assessment.service.js'
import type { AssessmentWhatIfService, WhatIfQuery } from './assessment-whatif.service.js'

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

const dimensionsSchema = {
  type: 'object',
  required: Object.keys(ASSESSMENT_DIMENSIONS),
  properties: Object.fromEntries(Object.keys(ASSESSMENT_DIMENSIONS).map((d) => [d, nullableNumber])),
} as const

const rowSchema = {
  type: 'object',
  required: ['subject', 'indicators', 'dimensions', 'total', 'rank', 'trend', 'policyVersion'],
  properties: {
    subject: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    },
    parent: { type: 'string', description: 'level=region&depth=all only: the parent region’s code' },
    level: {
      type: 'string',
      enum: REGION_LEVELS,
      description: 'level=region&depth=all only: the region’s level',
    },
    indicators: {
      type: 'object',
      required: INDICATOR_CODES,
      properties: Object.fromEntries(INDICATOR_CODES.map((c) => [c, indicatorSchema])),
    },
    dimensions: dimensionsSchema,
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
    promotionRank: {
      type: ['integer', 'null'],
      description:
        'officials: rank by promotion index among the level’s officials (ties share); null: no index, or fewer facts behind it than the promotion policy’s minSample',
    },
    promotionSample: {
      type: 'integer',
      description:
        'officials: the facts behind the reform and satisfaction parts (scored reform_score, rating_avg and appeal_satisfaction facts), which minSample counts',
    },
    promotionSmallSample: { type: 'boolean', description: 'officials: promotionSample below minSample' },
    promotionPolicy: { type: 'string', description: 'the assessment.promotion@N that weighed the index' },
  },
} as const

const whatIfSide = {
  type: 'object',
  required: ['total', 'rank', 'dimensions'],
  properties: {
    total: nullableNumber,
    rank: { type: ['integer', 'null'] },
    dimensions: dimensionsSchema,
    promotionIndex: { ...nullableNumber, description: 'officials' },
    promotionRank: { type: ['integer', 'null'], description: 'officials' },
  },
} as const

const policyNames = {
  type: 'object',
  required: ['policyVersion'],
  properties: {
    policyVersion: { type: 'string', description: 'assessment.formula@N, or assessment.formula@draft' },
    promotionPolicy: {
      type: 'string',
      description: 'officials: assessment.promotion@N, or assessment.promotion@draft',
    },
  },
} as const

const whatIfSchema = {
  type: 'object',
  required: ['current', 'candidate', 'rows'],
  properties: {
    current: policyNames,
    candidate: policyNames,
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['subject', 'current', 'candidate', 'delta'],
        properties: {
          subject: {
            type: 'object',
            required: ['id', 'name'],
            properties: { id: { type: 'string' }, name: { type: 'string' } },
          },
          current: whatIfSide,
          candidate: whatIfSide,
          delta: {
            type: 'object',
            required: ['total', 'rank'],
            description: 'candidate minus current; null when either is null (a negative rank delta moves up)',
            properties: {
              total: nullableNumber,
              rank: { type: ['integer', 'null'] },
              promotionIndex: nullableNumber,
            },
          },
        },
      },
    },
  },
} as const

/** A candidate policy: a published version by number, or a draft document checked against the kind’s schema. */
const candidate = (kind: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: `{"version":N} for a published ${kind} version, or {"document":{…}} for a draft (checked against the kind’s schema: 400 naming each violation)`,
    properties: {
      version: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      document: { type: 'object' },
    },
  }) as const

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

export function registerAssessmentRoutes(
  server: FastifyInstance,
  assessment: AssessmentService,
  whatIf: AssessmentWhatIfService,
  exporter: AssessmentExportService,
): void {
  const tags = ['assessment']
  server.get<{ Querystring: ExportQuery }>(
    '/api/assessment/scorecards/export.xlsx',
    {
      schema: {
        tags,
        summary:
          'The scorecards of a level in a region for a period as an Excel workbook (assessment.export: the organisation ' +
          'department and administrators of the region): sheets 考核结果 (the level asked), 晋升指数排名 (officials: ' +
          'promotion rank, index, its three parts, missing parts, sample and small-sample mark) and 指标说明 (definitions, ' +
          'weights, scaling), each opening with the period, region, policy versions and when it was generated (Beijing time)',
        description:
          'Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; Content-Disposition an ' +
          'attachment named 考核结果-{region}-{period}.xlsx (RFC 5987 filename*, with an ASCII fallback).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['level', 'period'],
          properties: {
            level,
            region: { ...regionCodeSchema, description: 'the caller’s region by default' },
            period,
          },
        },
        response: { 200: binaryResponse([XLSX_MEDIA_TYPE]), ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await exporter.workbook(principalOf(req), req.query)
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.content)
    },
  )
  server.post<{ Body: WhatIfQuery }>(
    '/api/assessment/what-if',
    {
      schema: {
        tags,
        summary:
          'What-if (assessment.read, scoped as the scorecards): a level’s scorecards for a period recomputed under a ' +
          'candidate assessment.formula and/or assessment.promotion (a published version, older or newer, or a draft ' +
          'document checked against the kind’s schema) side by side with the versions governing the period, each ' +
          'row with the deltas (candidate minus current). Under a published version N the candidate column equals ' +
          'GET /api/assessment/scorecards?policyVersion=N. A candidate left out is the governing version; promotion ' +
          'applies to officials only.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['level', 'period'],
          properties: {
            level,
            region: { ...regionCodeSchema, description: 'the caller’s region by default' },
            period,
            formula: candidate('assessment.formula'),
            promotion: candidate('assessment.promotion'),
          },
        },
        response: { 200: whatIfSchema, ...errorResponses },
      },
    },
    (req) => whatIf.compare(principalOf(req), req.body),
  )
  server.get<{
    Querystring: {
      level: AssessmentLevel
      region?: string
      period: string
      policyVersion?: number
      depth?: ScorecardDepth
    }
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
          'policyVersion=N (what-if). level=region&depth=all lists every region below the region at every ' +
          'level instead (parents first), each row naming its parent and level and ranked among its siblings, ' +
          'exactly as depth=children (the default) under that parent ranks it.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['level', 'period'],
          properties: {
            level,
            region: { ...regionCodeSchema, description: 'the caller’s region by default' },
            period,
            policyVersion: { type: 'integer', minimum: 1, maximum: 1_000_000 },
            depth: {
              type: 'string',
              enum: ['children', 'all'],
              default: 'children',
              description:
                'level=region: the direct children (default) or every region below, at every level',
            },
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
