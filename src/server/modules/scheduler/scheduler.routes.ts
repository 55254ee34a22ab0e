/**
 * Administration of the scheduler (后台任务): administrators list the jobs of their region subtree, the
 * dead-lettered ones first of all, and send a failed or dead job back to the queue once its cause is
 * fixed.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { JOB_STATUSES, type JobStatus } from './scheduler.model.js'
import type { SchedulerService } from './scheduler.service.js'

const label = {
  type: 'object',
  required: ['zh', 'en'],
  properties: { zh: { type: 'string' }, en: { type: 'string' } },
} as const

const jobSchema = {
  type: 'object',
  required: [
    'id',
    'kind',
    'kindLabel',
    'key',
    'payload',
    'regionCode',
    'dueAt',
    'status',
    'attempts',
    'maxAttempts',
    'lastError',
    'createdAt',
    'finishedAt',
  ],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', description: 'e.g. case.timer' },
    kindLabel: label,
    key: { type: 'string', description: 'unique per kind (a case timer: the timer id)' },
    payload: { description: 'what the handler needs (JSON)' },
    regionCode: { type: 'string', description: 'whose log records the job' },
    dueAt: { type: 'integer', description: 'epoch ms: when it runs (next, for a failed job)' },
    status: { type: 'string', enum: JOB_STATUSES },
    attempts: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    leaseOwner: { type: ['string', 'null'], description: 'the worker running it' },
    createdAt: { type: 'integer' },
    finishedAt: { type: ['integer', 'null'] },
  },
} as const

const countsSchema = {
  type: 'object',
  required: [...JOB_STATUSES],
  properties: Object.fromEntries(JOB_STATUSES.map((s) => [s, { type: 'integer' }])),
} as const

export function registerSchedulerRoutes(server: FastifyInstance, scheduler: SchedulerService): void {
  const tags = ['admin']
  server.get<{ Querystring: { status?: JobStatus; kind?: string; limit?: number; offset?: number } }>(
    '/api/admin/jobs',
    {
      schema: {
        tags,
        summary:
          'Scheduled jobs and timers of the caller’s region subtree, newest first (scheduler.read: administrators); ' +
          '`counts` has every status, `dead` is the dead letter',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: JOB_STATUSES },
            kind: { type: 'string', minLength: 1, maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['jobs', 'total', 'counts'],
            properties: {
              jobs: { type: 'array', items: jobSchema },
              total: { type: 'integer' },
              counts: countsSchema,
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => scheduler.list(principalOf(req), req.query),
  )
  server.post<{ Params: { id: string } }>(
    '/api/admin/jobs/:id/retry',
    {
      schema: {
        tags,
        summary:
          'Send a failed or dead job back to the queue, due now, with fresh attempts (scheduler.manage); ' +
          'recorded as job.retried. 409 for a job in any other status',
        params: { type: 'object', required: ['id'], properties: { id: idSchema } },
        response: { 200: jobSchema, ...errorResponses },
      },
    },
    (req) => scheduler.retry(principalOf(req), req.params.id),
  )
}
