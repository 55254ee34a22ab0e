/**
 * Governance policies (治理规则): everyone who signs in reads them; province administrators publish new
 * versions, each recorded in the ledger in full.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import { OVERRIDE_LEVELS, POLICY_KIND_NAMES, POLICY_TYPES } from './policy.model.js'
import {
  MAX_NOTE_LENGTH,
  type OverrideInput,
  type PolicyService,
  type PublishInput,
} from './policy.service.js'

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

const overrideSchema = {
  type: 'object',
  required: [
    'id',
    'kind',
    'regionCode',
    'regionName',
    'level',
    'seq',
    'values',
    'effectiveAt',
    'note',
    'publishedBy',
    'publishedAt',
    'retiredAt',
    'retiredBy',
    'ledger',
  ],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: POLICY_KIND_NAMES },
    regionCode: { type: 'string' },
    regionName: { type: 'string' },
    level: { enum: [...OVERRIDE_LEVELS] },
    seq: {
      type: 'integer',
      description: 'the region’s nth override of the kind: results name it kind@v+region.seq',
    },
    values: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'value'],
        properties: { path: { type: 'string' }, value: {} },
      },
    },
    effectiveAt: { type: 'integer' },
    note: { type: ['string', 'null'] },
    publishedBy: { type: 'string' },
    publishedAt: { type: 'integer' },
    retiredAt: { type: ['integer', 'null'] },
    retiredBy: { type: ['string', 'null'] },
    ledger: {
      type: 'object',
      required: ['log', 'index'],
      properties: { log: { type: 'string' }, index: { type: 'integer' } },
      description: 'the policy.overridden event',
    },
  },
} as const

const summary = {
  id: {
    type: 'string',
    enum: POLICY_KIND_NAMES,
    description: 'the kind: what URLs name (the type works too)',
  },
  type: { type: 'string', enum: Object.values(POLICY_TYPES) },
  currentVersion: { type: ['integer', 'null'], description: 'the version governing now' },
  effectiveAt: { type: ['integer', 'null'], description: 'when the version governing now took effect' },
  kind: { type: 'string', enum: POLICY_KIND_NAMES },
  title: label,
  description: { type: 'string' },
  current: { ...versionSchema, type: ['object', 'null'] },
  versions: { type: 'integer' },
} as const

/** A kind's name or type (an unknown one is 404). */
const kindParam = { type: 'string', pattern: '^[a-z][a-z0-9_.]{0,63}$' } as const
const kindParams = { type: 'object', required: ['kind'], properties: { kind: kindParam } } as const
const effectiveAtSchema = { type: 'integer', minimum: 0, maximum: 32503680000000 } as const

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
              required: [
                'id',
                'type',
                'currentVersion',
                'effectiveAt',
                'kind',
                'title',
                'description',
                'current',
                'versions',
              ],
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
            required: [
              'id',
              'type',
              'currentVersion',
              'effectiveAt',
              'kind',
              'title',
              'description',
              'schema',
              'current',
              'versions',
              'history',
              'overrideRules',
              'overrides',
            ],
            properties: {
              ...summary,
              schema: { type: 'object', additionalProperties: true },
              history: { type: 'array', items: versionSchema },
              overrideRules: {
                type: 'array',
                description: 'the fields a city, county or street may override, and within which bound',
                items: {
                  type: 'object',
                  required: ['path', 'levels', 'bound', 'title'],
                  properties: {
                    path: { type: 'string', description: 'a JSON pointer; * is any one key or index' },
                    levels: { type: 'array', items: { enum: [...OVERRIDE_LEVELS] } },
                    bound: {
                      enum: ['max', 'min', 'any'],
                      description: 'max: may not exceed the inherited value; min: may not go below it',
                    },
                    title: label,
                  },
                },
              },
              overrides: { type: 'array', items: overrideSchema },
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
  server.get<{ Params: { kind: string } }>(
    '/api/policies/:kind/versions',
    {
      schema: {
        tags,
        summary: 'Every version of a policy, newest first',
        params: kindParams,
        response: { 200: { type: 'array', items: versionSchema }, ...errorResponses },
      },
    },
    (req) => policies.history(principalOf(req), req.params.kind),
  )
  server.post<{ Params: { kind: string }; Body: { document: unknown; effectiveAt?: number; note?: string } }>(
    '/api/policies/:kind/versions',
    {
      schema: {
        tags,
        summary:
          'Publish the next version of a policy (a province administrator or data administrator): the document is validated ' +
          'against the kind’s schema (400 naming each violation under /body/document), ledgered as policy.published. ' +
          'effectiveAt defaults to now and is never in the past',
        params: kindParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['document'],
          properties: {
            document: { type: 'object' },
            effectiveAt: effectiveAtSchema,
            note: { type: 'string', maxLength: MAX_NOTE_LENGTH },
          },
        },
        response: { 201: versionSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { document, ...rest } = req.body
      return reply
        .code(201)
        .send(
          await policies.publish(
            principalOf(req),
            req.params.kind,
            { ...rest, body: document },
            undefined,
            'document',
          ),
        )
    },
  )
  server.get<{ Params: { kind: string }; Querystring: { region: string } }>(
    '/api/policies/:kind/effective',
    {
      schema: {
        tags,
        summary:
          'A policy as it governs a region now: the province’s version with the overrides in force along the region’s chain, ' +
          'and the id a result computed there records (kind@version+region.seq)',
        params: kindParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['region'],
          properties: { region: { type: 'string', pattern: '^[0-9]{2,12}$' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['kind', 'version', 'document', 'overrides', 'policy'],
            properties: {
              kind: { type: 'string', enum: POLICY_KIND_NAMES },
              version: { type: 'integer' },
              effectiveAt: { type: 'integer' },
              document: { description: 'the document after the overrides' },
              overrides: {
                type: 'array',
                items: { type: 'string' },
                description: 'ids of the overrides applied',
              },
              policy: { type: 'string', description: 'the id a result computed there records' },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => policies.effective(principalOf(req), req.params.kind, req.query.region),
  )
  server.post<{ Params: { kind: string }; Body: OverrideInput }>(
    '/api/policies/:kind/overrides',
    {
      schema: {
        tags,
        summary:
          '各级调整: a city, county or street (its administrator or data administrator, policy.override) overrides the fields ' +
          'the kind allows at its level, within their bounds (a county may shorten a time limit, never lengthen it); 400 names ' +
          'each value refused. Ledgered as policy.overridden',
        params: kindParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['regionCode', 'values'],
          properties: {
            regionCode: { type: 'string', pattern: '^[0-9]{2,12}$' },
            values: {
              type: 'array',
              minItems: 1,
              maxItems: 50,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['path', 'value'],
                properties: {
                  path: { type: 'string', pattern: '^(/[^/]{1,64}){1,8}$' },
                  value: { type: ['number', 'string', 'boolean'] },
                },
              },
            },
            effectiveAt: effectiveAtSchema,
            note: { type: 'string', maxLength: MAX_NOTE_LENGTH },
          },
        },
        response: { 201: overrideSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await policies.override(principalOf(req), req.params.kind, req.body)),
  )
  server.post<{ Params: { kind: string; id: string } }>(
    '/api/policies/:kind/overrides/:id/retire',
    {
      schema: {
        tags,
        summary:
          'Retire an override (policy.override): the region inherits again. Ledgered as policy.override_retired',
        params: {
          type: 'object',
          required: ['kind', 'id'],
          properties: { kind: kindParam, id: { type: 'string', minLength: 1, maxLength: 120 } },
        },
        response: { 200: overrideSchema, ...errorResponses },
      },
    },
    (req) => policies.retire(principalOf(req), req.params.kind, req.params.id),
  )
}
