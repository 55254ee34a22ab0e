/**
 * The organisation evaluation (组织评价): entered by the organisation department, read by the official
 * it is about and by the department.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { PERIOD_PATTERN } from '../../../shared/assessment.js'
import {
  MAX_ORG_COMMENT,
  type OrgEvaluationInput,
  type OrgEvaluationService,
} from './org-evaluations.service.js'

const evaluationSchema = {
  type: 'object',
  required: [
    'staffId',
    'staffName',
    'departmentId',
    'period',
    'score',
    'comment',
    'revision',
    'enteredBy',
    'enteredAt',
    'ledger',
  ],
  properties: {
    staffId: { type: 'string' },
    staffName: { type: 'string' },
    departmentId: { type: 'string' },
    period: { type: 'string' },
    score: { type: 'number', description: '0–100' },
    comment: { type: ['string', 'null'] },
    revision: { type: 'integer', description: '1, then 2, … for each correction' },
    enteredBy: { type: 'string' },
    enteredAt: { type: 'integer' },
    ledger: {
      type: 'object',
      required: ['log', 'index'],
      properties: { log: { type: 'string' }, index: { type: 'integer' } },
      description: 'the assessment.org_evaluated event of this revision',
    },
  },
} as const

export function registerOrgEvaluationRoutes(
  server: FastifyInstance,
  evaluations: OrgEvaluationService,
): void {
  const tags = ['assessment']
  server.post<{ Body: OrgEvaluationInput }>(
    '/api/assessment/org-evaluations',
    {
      schema: {
        tags,
        summary:
          '组织评价: the organisation department (assessment.org_evaluate) enters or corrects an official’s score 0–100 for a ' +
          'period (2026, 2026-Q4, 2026-11) begun already; never one’s own. Ledgered as assessment.org_evaluated; it is the ' +
          'promotion index’s organisation part',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['staffId', 'period', 'score'],
          properties: {
            staffId: idSchema,
            period: { type: 'string', pattern: PERIOD_PATTERN },
            score: { type: 'number', minimum: 0, maximum: 100 },
            comment: { type: 'string', maxLength: MAX_ORG_COMMENT },
          },
        },
        response: { 201: evaluationSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await evaluations.evaluate(principalOf(req), req.body)),
  )
  server.get<{ Querystring: { staffId?: string; period?: string } }>(
    '/api/assessment/org-evaluations',
    {
      schema: {
        tags,
        summary:
          'Organisation evaluations: an official’s own (or, for the organisation department, one official’s with staffId), ' +
          'or the organisation department’s region’s for a period; newest period first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { staffId: idSchema, period: { type: 'string', pattern: PERIOD_PATTERN } },
        },
        response: { 200: { type: 'array', items: evaluationSchema }, ...errorResponses },
      },
    },
    (req) => evaluations.list(principalOf(req), req.query),
  )
}
