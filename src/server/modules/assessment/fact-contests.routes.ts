/**
 * Contests of facts on one's own scorecard (考核事实申诉): filed here, listed here (the caller's own and
 * those they may decide), and decided in the chain-contest queue (`POST /api/chain-contests/{id}/decision`).
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { INDICATOR_CODES, PERIOD_PATTERN } from '../../../shared/assessment.js'
import {
  MAX_FACT_CONTEST_REASON,
  type FactContestInput,
  type FactContestService,
} from './fact-contests.service.js'

const ledgerRef = {
  type: 'object',
  required: ['log', 'index'],
  properties: { log: { type: 'string' }, index: { type: 'integer' } },
} as const
const nullableString = { type: ['string', 'null'] } as const
const FACT_REF_KINDS = ['case', 'task', 'appeal', 'rectification'] as const
const factRef = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'id'],
  properties: { kind: { type: 'string', enum: FACT_REF_KINDS }, id: idSchema },
} as const
const STATUSES = ['pending', 'upheld', 'rejected'] as const

/** A fact contest as filed, listed and decided (also in the chain-contest queue, `subject: 'fact'`). */
export const factContestSchema = {
  type: 'object',
  required: [
    'subject',
    'id',
    'status',
    'period',
    'indicator',
    'ref',
    'key',
    'factAt',
    'factLedger',
    'staffId',
    'staffName',
    'departmentId',
    'reason',
    'decidedBy',
    'decision',
    'createdAt',
    'decidedAt',
    'ledger',
    'decisionLedger',
  ],
  properties: {
    subject: { type: 'string', enum: ['fact'] },
    id: { type: 'string' },
    status: { type: 'string', enum: STATUSES },
    period: { type: 'string' },
    indicator: { type: 'string', enum: INDICATOR_CODES },
    ref: factRef,
    key: { type: 'string', description: 'the contested fact’s key (indicator, ref and proving entry)' },
    factAt: { type: 'integer' },
    factLedger: { ...ledgerRef, description: 'the entry proving the contested fact' },
    staffId: { type: 'string', description: 'the contesting official (the fact is attributed to them)' },
    staffName: { type: 'string' },
    departmentId: { type: 'string', description: 'the official’s department, where a superior decides' },
    reason: { type: 'string' },
    decidedBy: nullableString,
    decision: nullableString,
    createdAt: { type: 'integer' },
    decidedAt: { type: ['integer', 'null'] },
    ledger: { ...ledgerRef, description: 'assessment.fact_contested' },
    decisionLedger: {
      ...ledgerRef,
      type: ['object', 'null'],
      description: 'assessment.fact_contest_decided',
    },
  },
} as const

export function registerFactContestRoutes(server: FastifyInstance, factContests: FactContestService): void {
  const tags = ['assessment']
  server.post<{ Body: FactContestInput }>(
    '/api/assessment/fact-contests',
    {
      schema: {
        tags,
        summary:
          'An official contests a fact counted on their own scorecard (chain.contest), naming it by the facts ' +
          'route’s key, indicator and ref, with a reason. It joins the chain-contest queue (GET /api/chain-contests), ' +
          'where a superior in their department decides (POST /api/chain-contests/{id}/decision); upheld, the fact ' +
          'is left out of every scorecard from then on. 404: no such fact on the caller’s card in the period; ' +
          '409: the fact has a pending or upheld contest',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['period', 'indicator', 'ref', 'key', 'reason'],
          properties: {
            period: { type: 'string', pattern: PERIOD_PATTERN },
            indicator: { type: 'string', enum: INDICATOR_CODES },
            ref: factRef,
            key: { type: 'string', minLength: 1, maxLength: 400 },
            reason: { type: 'string', minLength: 1, maxLength: MAX_FACT_CONTEST_REASON },
          },
        },
        response: { 201: factContestSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await factContests.file(principalOf(req), req.body)),
  )
  server.get<{ Querystring: { status?: (typeof STATUSES)[number] } }>(
    '/api/assessment/fact-contests',
    {
      schema: {
        tags,
        summary:
          'Fact contests: the caller’s own, and those they may decide (a superior of the department), newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: STATUSES } },
        },
        response: { 200: { type: 'array', items: factContestSchema }, ...errorResponses },
      },
    },
    (req) => factContests.list(principalOf(req), req.query.status),
  )
}
