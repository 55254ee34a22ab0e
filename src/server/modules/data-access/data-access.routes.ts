/**
 * Flagged data accesses (数据访问预警): supervisors, administrators and auditors list the accesses to
 * citizens' data that officials made without an open task; supervisors and administrators record a
 * verdict on each, once.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { ACCESS_VERDICTS } from '../../../shared/api.js'
import type { DataAccessService, FlaggedListQuery, ReviewInput } from './data-access.service.js'

const ledgerPosition = {
  type: 'object',
  required: ['log', 'index'],
  properties: { log: { type: 'string' }, index: { type: 'integer' } },
} as const

const flaggedAccessSchema = {
  type: 'object',
  required: [
    'id',
    'staff',
    'citizenId',
    'caseId',
    'matterCode',
    'matterName',
    'what',
    'at',
    'ledger',
    'review',
  ],
  properties: {
    id: { type: 'string' },
    staff: {
      type: 'object',
      required: ['id', 'name', 'departmentId'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        departmentId: { type: ['string', 'null'] },
      },
    },
    citizenId: { type: 'string', description: 'the citizen whose data it was (by id only)' },
    caseId: { type: 'string' },
    matterCode: { type: ['string', 'null'] },
    matterName: { type: ['string', 'null'] },
    what: { type: 'string', description: 'comma-separated form fields shown, `*` for the whole case' },
    at: { type: 'integer', description: 'epoch milliseconds' },
    ledger: { ...ledgerPosition, description: 'the `data.accessed` event' },
    review: {
      type: ['object', 'null'],
      required: ['verdict', 'note', 'reviewedAt', 'reviewer', 'ledger'],
      properties: {
        verdict: { type: 'string', enum: ACCESS_VERDICTS },
        note: { type: ['string', 'null'] },
        reviewedAt: { type: 'integer' },
        reviewer: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' } },
        },
        ledger: {
          ...ledgerPosition,
          type: ['object', 'null'],
          description: 'the `data.access_reviewed` event',
        },
      },
    },
  },
} as const

export function registerDataAccessRoutes(server: FastifyInstance, dataAccess: DataAccessService): void {
  const tags = ['cases']
  server.get<{ Querystring: FlaggedListQuery }>(
    '/api/data-access/flagged',
    {
      schema: {
        tags,
        summary:
          'Flagged accesses to citizens’ data (an official looked without an open task): a supervisor’s department’s, or an ' +
          'administrator’s or auditor’s region subtree’s; newest first, total in x-total-count',
        querystring: {
          type: 'object',
          properties: {
            status: {
              type: 'string',
              enum: ['open', 'reviewed', 'all'],
              default: 'open',
              description: 'open: not yet reviewed',
            },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: { type: 'array', items: flaggedAccessSchema }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { items, total } = await dataAccess.listFlagged(principalOf(req), req.query)
      return reply.header('x-total-count', String(total)).send(items)
    },
  )
  server.post<{ Params: { id: string }; Body: ReviewInput }>(
    '/api/data-access/:id/review',
    {
      schema: {
        tags,
        summary:
          'Review a flagged access once (the official’s department supervisor, or an administrator covering them): ' +
          'recorded in the ledger as data.access_reviewed; a second review is 409',
        params: { type: 'object', required: ['id'], properties: { id: idSchema } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['verdict'],
          properties: {
            verdict: { type: 'string', enum: ACCESS_VERDICTS },
            note: {
              type: 'string',
              maxLength: 2000,
              description: 'kept off the ledger, which holds its salted commitment',
            },
          },
        },
        response: { 200: flaggedAccessSchema, ...errorResponses },
      },
    },
    (req) => dataAccess.review(principalOf(req), req.params.id, req.body),
  )
  server.get(
    '/api/me/data-access',
    {
      schema: {
        tags,
        summary: 'Who looked at my data: officials’ recorded accesses (citizen)',
        response: {
          200: { type: 'array', items: { type: 'object', additionalProperties: true } },
          ...errorResponses,
        },
      },
    },
    (req) => dataAccess.listOwn(principalOf(req)),
  )
}
