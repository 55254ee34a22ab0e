/**
 * Governance policies (治理规则): everyone who signs in reads them; province administrators publish new
 * versions, each recorded in the ledger in full.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import { POLICY_KIND_NAMES } from './policy.model.js'
import { MAX_NOTE_LENGTH, type PolicyService, type PublishInput } from './policy.service.js'

const label = {
  type: 'object',
  required: ['zh', 'en'],
  properties: { zh: { type: 'string' }, en: { type: 'string' } },
} as const

const versionSchema = {
  type: 'object',
  required: [
    'kind',
    'version',
    'effectiveAt',
    'body',
    'digest',
    'note',
    'publishedBy',
    'publishedAt',
    'ledger',
  ],
  properties: {
    kind: { type: 'string', enum: POLICY_KIND_NAMES },
    version: { type: 'integer' },
    effectiveAt: { type: 'integer', description: 'epoch ms from which it governs' },
    body: { description: 'the policy document (JSON), valid against the kind’s schema' },
    digest: { type: 'string', description: 'base64 SHA-256 of the body’s canonical JSON (RFC 8785)' },
    note: { type: ['string', 'null'] },
    publishedBy: { type: 'string' },
    publishedAt: { type: 'integer' },
    ledger: {
      type: 'object',
      required: ['log', 'index'],
      properties: { log: { type: 'string' }, index: { type: 'integer' } },
      description: 'the policy.published event',
    },
  },
} as const

const summary = {
  kind: { type: 'string', enum: POLICY_KIND_NAMES },
  title: label,
  description: { type: 'string' },
  current: { ...versionSchema, type: ['object', 'null'] },
  versions: { type: 'integer' },
} as const

/** A kind's name (an unknown one is 404). */
const kindParam = { type: 'string', pattern: '^[a-z][a-z0-9_.]{0,63}$' } as const

export function registerPolicyRoutes(server: FastifyInstance, policies: PolicyService): void {
  const tags = ['policies']
  server.get(
    '/api/policies',
    {
      schema: {
        tags,
        summary: 'Every governance policy kind with the version governing now (policy.read)',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'title', 'description', 'current', 'versions'],
              properties: summary,
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => policies.kinds(principalOf(req)),
  )
  server.get<{ Params: { kind: string } }>(
    '/api/policies/:kind',
    {
      schema: {
        tags,
        summary: 'A policy kind: its JSON Schema, the version governing now, and every version, newest first',
        params: { type: 'object', required: ['kind'], properties: { kind: kindParam } },
        response: {
          200: {
            type: 'object',
            required: ['kind', 'title', 'description', 'schema', 'current', 'versions', 'history'],
            properties: {
              ...summary,
              schema: { type: 'object', additionalProperties: true },
              history: { type: 'array', items: versionSchema },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => policies.versions(principalOf(req), req.params.kind),
  )
  server.get<{ Params: { kind: string; version: number } }>(
    '/api/policies/:kind/:version',
    {
      schema: {
        tags,
        summary: 'One version of a policy',
        params: {
          type: 'object',
          required: ['kind', 'version'],
          properties: { kind: kindParam, version: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
        },
        response: { 200: versionSchema, ...errorResponses },
      },
    },
    (req) => policies.version(principalOf(req), req.params.kind, req.params.version),
  )
  server.post<{ Params: { kind: string }; Body: PublishInput }>(
    '/api/policies/:kind',
    {
      schema: {
        tags,
        summary:
          'Publish the next version of a policy (province administrators): validated against its schema, ledgered as policy.published. ' +
          'effectiveAt defaults to now and is never in the past, so results already computed keep their version',
        params: { type: 'object', required: ['kind'], properties: { kind: kindParam } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['body'],
          properties: {
            body: { type: 'object' },
            effectiveAt: { type: 'integer', minimum: 0, maximum: 32503680000000 },
            note: { type: 'string', maxLength: MAX_NOTE_LENGTH },
          },
        },
        response: { 201: versionSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await policies.publish(principalOf(req), req.params.kind, req.body)),
  )
}
