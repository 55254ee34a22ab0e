/**
 * 好差评 of a finished case: the applicant rates it once; a bad rating answers with the rectification it
 * opened.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { MAX_COMMENT_LENGTH, RATING_TAG_CODES } from './ratings.model.js'
import type { RatingInvitationService } from './rating-invitations.service.js'
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
    'channel',
    'invitedBy',
    'team',
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
    channel: {
      enum: ['online', 'counter'],
      description: 'online: the signed-in applicant; counter: at the window, through a one-time rating link',
    },
    invitedBy: {
      type: ['string', 'null'],
      description: 'the window clerk who opened the counter rating link',
    },
    team: {
      ...department,
      description: 'the team that published the rated process version: the reform score is attributed to it',
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

const ratingBody = {
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
} as const

const invitationSchema = {
  type: 'object',
  required: ['id', 'caseId', 'token', 'path', 'expiresAt'],
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    token: { type: 'string', description: 'one-time; only its hash is stored' },
    path: { type: 'string', description: 'the rating page behind the link, relative to the platform' },
    expiresAt: { type: 'integer', description: 'epoch ms' },
  },
} as const

const counterViewSchema = {
  type: 'object',
  required: ['matterName', 'status', 'completedAt', 'department', 'expiresAt', 'state', 'rectification'],
  properties: {
    matterName: { type: 'string' },
    status: { enum: ['completed', 'rejected'] },
    completedAt: { type: ['integer', 'null'] },
    department,
    expiresAt: { type: 'integer' },
    state: {
      enum: ['open', 'used', 'rated', 'expired'],
      description: 'open: rate now; used: this link rated it; rated: rated otherwise; expired',
    },
    rectification: {
      type: ['object', 'null'],
      required: ['dueAt', 'department'],
      properties: { dueAt: { type: 'integer' }, department },
      description: 'once this link gave a bad rating: the rectification it opened',
    },
  },
} as const

export function registerRatingRoutes(
  server: FastifyInstance,
  ratings: RatingService,
  invitations: RatingInvitationService,
): void {
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
        body: ratingBody,
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
  server.post<{ Params: { id: string } }>(
    '/api/cases/:id/rating/invitations',
    {
      schema: {
        tags,
        summary:
          '柜台评价: a window clerk who served a finished, unrated case opens a one-time rating link (30 minutes) ' +
          'for the counter tablet or a QR code; the citizen rates through it without signing in',
        params,
        response: { 201: invitationSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await invitations.invite(principalOf(req), req.params.id)),
  )
  const tokenParams = {
    type: 'object',
    required: ['token'],
    properties: { token: { type: 'string', minLength: 1, maxLength: 100 } },
  } as const
  server.get<{ Params: { token: string } }>(
    '/api/rating-invitations/:token',
    {
      schema: {
        tags,
        summary:
          'What a counter rating link is for (no sign-in; nothing personal): the matter, its unit, its state',
        params: tokenParams,
        response: { 200: counterViewSchema, ...errorResponses },
      },
    },
    (req) => invitations.open(req.params.token),
  )
  server.post<{ Params: { token: string }; Body: RatingInput }>(
    '/api/rating-invitations/:token/rating',
    {
      schema: {
        tags,
        summary:
          'Rates the case behind a counter rating link, once (no sign-in: the link is the credential); 409 when ' +
          'the link was used or has expired, or the case is rated already',
        params: tokenParams,
        body: ratingBody,
        response: { 201: counterViewSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await invitations.rate(req.params.token, req.body)),
  )
}
