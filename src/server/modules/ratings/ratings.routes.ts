/**
 * 好差评 of a finished case: the applicant rates it once; a bad rating answers with the rectification it
 * opened.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { MAX_COMMENT_LENGTH, RATING_TAG_CODES } from './ratings.model.js'
import type { RatingInput, RatingService } from './ratings.service.js'

const department = {
  type: ['object', 'null'],
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const

const ratingSchema = {
  type: 'object',
  required: [
    'caseId',
    'score',
    'reformScore',
    'tags',
    'comment',
    'ratedAt',
    'department',
    'matterCode',
    'matterVersion',
    'policy',
    'ledger',
    'excluded',
    'rectification',
  ],
  properties: {
    caseId: { type: 'string' },
    score: { type: 'integer' },
    reformScore: { type: ['integer', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    comment: { type: ['string', 'null'] },
    ratedAt: { type: 'integer' },
    department: { ...department, description: 'the handling unit: the department of the step that decided' },
    matterCode: { type: 'string' },
    matterVersion: { type: 'integer', description: 'the process version the reform score is about' },
    policy: { type: 'string', description: 'the rating.rectification policy version that judged the score' },
    ledger: {
      type: 'object',
      required: ['log', 'index'],
      properties: { log: { type: 'string' }, index: { type: 'integer' } },
    },
    excluded: {
      type: 'boolean',
      description: 'a contest found the review false: the rating is kept, and assessment skips it',
    },
    rectification: {
      type: ['object', 'null'],
      required: ['id', 'dueAt', 'department', 'policy'],
      properties: {
        id: { type: 'string' },
        dueAt: { type: 'integer', description: 'epoch ms: the deadline in working days by policy' },
        department,
        policy: { type: 'string' },
      },
    },
  },
} as const

export function registerRatingRoutes(server: FastifyInstance, ratings: RatingService): void {
  const tags = ['cases']
  const params = { type: 'object', required: ['id'], properties: { id: idSchema } } as const
  server.post<{ Params: { id: string }; Body: RatingInput }>(
    '/api/cases/:id/rating',
    {
      schema: {
        tags,
        summary:
          '好差评: the applicant rates a finished case once (409 when unfinished or rated already); a score of 1–2 ' +
          '(by the rating.rectification policy) opens a rectification for the handling department',
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['score'],
          properties: {
            score: { type: 'integer', minimum: 1, maximum: 5 },
            reformScore: {
              type: 'integer',
              minimum: 1,
              maximum: 5,
              description: 'how much the redesigned process helped',
            },
            tags: { type: 'array', maxItems: RATING_TAG_CODES.length, items: { enum: RATING_TAG_CODES } },
            comment: { type: 'string', maxLength: MAX_COMMENT_LENGTH },
          },
        },
        response: { 201: ratingSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await ratings.rate(principalOf(req), req.params.id, req.body)),
  )
  server.get<{ Params: { id: string } }>(
    '/api/cases/:id/rating',
    {
      schema: {
        tags,
        summary: 'The rating of a case, for whoever may read the case (404 before the applicant rates it)',
        params,
        response: { 200: ratingSchema, ...errorResponses },
      },
    },
    (req) => ratings.rating(principalOf(req), req.params.id),
  )
}
