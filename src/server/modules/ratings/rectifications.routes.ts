/**
 * Rectifications (整改) after a bad rating: the lists and the timeline, the handling department's
 * call-back, measures and contest, the overseer's decision on a contest, and the citizen's verdict.
 * Every step answers with the rectification as it now is, its timeline included.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import {
  RECTIFICATION_STATUSES,
  RECTIFICATION_STEP_KINDS,
  type RectificationStatus,
} from '../../../shared/api.js'
import { MAX_COMMENT_LENGTH } from './ratings.model.js'
import { MAX_STEP_TEXT_LENGTH } from './rectifications.model.js'
import type { RatingContestService } from './rating-contests.service.js'
import type { RectificationService } from './rectifications.service.js'

const ledger = {
  type: 'object',
  required: ['log', 'index'],
  properties: { log: { type: 'string' }, index: { type: 'integer' } },
} as const

const person = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const

const viewProperties = {
  id: { type: 'string' },
  caseId: { type: 'string' },
  matterCode: { type: 'string' },
  status: { type: 'string', enum: RECTIFICATION_STATUSES },
  department: { ...person, type: ['object', 'null'], description: 'the handling unit' },
  regionCode: { type: 'string', description: 'the case’s region (whose log records the steps)' },
  rating: {
    type: 'object',
    required: ['score', 'tags', 'comment', 'excluded'],
    properties: {
      score: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
      comment: { type: ['string', 'null'] },
      excluded: { type: 'boolean', description: 'a contest found the review false' },
    },
  },
  createdAt: { type: 'integer' },
  dueAt: { type: 'integer', description: 'epoch ms: the deadline in working days by policy' },
  overdue: { type: 'boolean', description: 'the deadline passed unrectified: escalated to `escalatedTo`' },
  escalatedTo: { type: 'array', items: person },
  contest: { type: ['string', 'null'], enum: ['pending', 'upheld', 'rejected', null] },
  satisfied: { type: ['boolean', 'null'], description: 'the citizen’s verdict, once closed' },
  policy: { type: 'string', description: 'the rating.rectification version that set the deadline' },
  ledger,
} as const

const viewSchema = {
  type: 'object',
  required: Object.keys(viewProperties),
  properties: viewProperties,
} as const

const stepSchema = {
  type: 'object',
  required: ['kind', 'at', 'actor', 'text', 'calledAt', 'upheld', 'satisfied', 'staff', 'ledger'],
  properties: {
    kind: { type: 'string', enum: RECTIFICATION_STEP_KINDS },
    at: { type: 'integer' },
    actor: { ...person, type: ['object', 'null'], description: 'null: the system (the deadline)' },
    text: { type: ['string', 'null'], description: 'summary, measures, reason or comment' },
    calledAt: { type: ['integer', 'null'] },
    upheld: { type: ['boolean', 'null'] },
    satisfied: { type: ['boolean', 'null'] },
    staff: { type: 'array', items: person, description: 'escalated: the leaders it went to' },
    ledger,
  },
} as const

const detailSchema = {
  type: 'object',
  required: [...Object.keys(viewProperties), 'timeline'],
  properties: { ...viewProperties, timeline: { type: 'array', items: stepSchema } },
} as const

const stepText = { type: 'string', minLength: 1, maxLength: MAX_STEP_TEXT_LENGTH } as const

export function registerRectificationRoutes(
  server: FastifyInstance,
  rectifications: RectificationService,
  contests: RatingContestService,
): void {
  const tags = ['ratings']
  const params = { type: 'object', required: ['id'], properties: { id: idSchema } } as const
  const post = <B>(
    path: string,
    summary: string,
    body: Record<string, unknown>,
    run: (principal: ReturnType<typeof principalOf>, id: string, body: B) => Promise<unknown>,
  ) =>
    server.post<{ Params: { id: string }; Body: B }>(
      `/api/rectifications/:id/${path}`,
      {
        schema: {
          tags,
          summary,
          params,
          body: { type: 'object', additionalProperties: false, ...body },
          response: { 200: detailSchema, ...errorResponses },
        },
      },
      (req) => run(principalOf(req), req.params.id, req.body as B),
    )

  server.get<{
    Querystring: {
      status?: RectificationStatus
      departmentId?: string
      overdue?: boolean
      limit?: number
      offset?: number
    }
  }>(
    '/api/rectifications',
    {
      schema: {
        tags,
        summary:
          'Rectifications in the caller’s scope (rectification.read), soonest deadline first: a citizen’s own, ' +
          'the handling department’s for its staff, the region subtree’s for overseers',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: RECTIFICATION_STATUSES },
            departmentId: idSchema,
            overdue: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', 'total'],
            properties: { items: { type: 'array', items: viewSchema }, total: { type: 'integer' } },
          },
          ...errorResponses,
        },
      },
    },
    (req) => rectifications.list(principalOf(req), req.query),
  )
  server.get<{ Params: { id: string } }>(
    '/api/rectifications/:id',
    {
      schema: {
        tags,
        summary: 'A rectification with its timeline, each step with its ledger entry (rectification.read)',
        params,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    (req) => rectifications.get(principalOf(req), req.params.id),
  )
  server.get<{ Params: { id: string } }>(
    '/api/rectifications/:id/responsibility',
    {
      schema: {
        tags,
        summary:
          'The rectification’s responsibility chain (整改责任链): who decided the badly reviewed case and their ' +
          'superiors, each link with the rule, the reason and the ledger entries {log, index} proving it',
        params,
        response: {
          200: {
            type: 'object',
            required: ['rectificationId', 'policyVersion', 'rule', 'builtAt', 'ledger', 'links', 'trace'],
            properties: {
              rectificationId: { type: 'string' },
              policyVersion: { type: 'string' },
              rule: { type: ['string', 'null'] },
              builtAt: { type: 'integer' },
              ledger: {
                type: 'object',
                properties: { log: { type: 'string' }, index: { type: 'integer' } },
              },
              links: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: true,
                  required: [
                    'staffId',
                    'name',
                    'role',
                    'department',
                    'primary',
                    'rule',
                    'reason',
                    'evidence',
                  ],
                  properties: {
                    staffId: { type: 'string' },
                    name: { type: 'string' },
                    role: { type: 'string' },
                    department: { type: 'string' },
                    departmentId: { type: 'string' },
                    primary: { type: 'boolean' },
                    rule: { type: 'string' },
                    function: { type: 'string' },
                    reason: { type: 'string' },
                    explain: { type: 'object', additionalProperties: true },
                    evidence: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { log: { type: 'string' }, index: { type: 'integer' } },
                      },
                    },
                  },
                },
              },
              trace: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const found = await rectifications.responsibility(principalOf(req), req.params.id)
      return {
        rectificationId: found.rectificationId,
        builtAt: found.builtAt,
        ledger: found.ledger,
        ...found.chain,
      }
    },
  )
  post<{ calledAt: number; summary: string }>(
    'callback',
    'The handling department records its call-back (回访) of the citizen: when, and a summary ' +
      '(rectification.handle); open → called_back, else 409',
    {
      required: ['calledAt', 'summary'],
      properties: {
        calledAt: { type: 'integer', minimum: 0, description: 'epoch ms: when the call took place' },
        summary: stepText,
      },
    },
    (p, id, body) => rectifications.callback(p, id, body),
  )
  post<{ measures: string }>(
    'rectify',
    'The handling department records the measures it took (整改完成, rectification.handle); called_back → ' +
      'rectified (409 before the call-back)',
    { required: ['measures'], properties: { measures: stepText } },
    (p, id, body) => rectifications.rectify(p, id, body),
  )
  post<{ reason: string }>(
    'contest',
    'The handling department contests the rating as a false review (申诉不实评价, rating.contest), once; ' +
      'a region overseer decides',
    { required: ['reason'], properties: { reason: stepText } },
    (p, id, body) => contests.contest(p, id, body),
  )
  post<{ upheld: boolean; reason: string }>(
    'contest/decision',
    'A region overseer decides the contest (rating.contest_decide; never the contester, never of the ' +
      'handling department): upheld → the rating is excluded and the rectification void; rejected → it goes on',
    {
      required: ['upheld', 'reason'],
      properties: { upheld: { type: 'boolean' }, reason: stepText },
    },
    (p, id, body) => contests.decide(p, id, body),
  )
  post<{ satisfied: boolean; comment?: string }>(
    'rating',
    'The citizen whose rating opened it answers satisfied or not (满意/不满意, rectification.rate), once, ' +
      'after the department rectified; → closed',
    {
      required: ['satisfied'],
      properties: {
        satisfied: { type: 'boolean' },
        comment: { type: 'string', maxLength: MAX_COMMENT_LENGTH },
      },
    },
    (p, id, body) => rectifications.rate(p, id, body),
  )
}
