/**
 * Catalogue endpoints: the public list of matters, one matter with its form and process summary, its
 * BPMN, the citizen's prefilled form, and deployment of new versions (admin, process engineer).
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import type { CatalogService } from './catalog.service.js'

const codeParams = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$' } },
} as const
const versionQuery = {
  type: 'object',
  properties: { version: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
} as const
const summarySchema = {
  type: 'object',
  additionalProperties: true,
  required: ['code', 'name', 'version', 'slaDays', 'departments', 'process'],
} as const

export function registerCatalogRoutes(server: FastifyInstance, catalog: CatalogService): void {
  const tags = ['catalogue']
  server.get(
    '/api/matters',
    {
      schema: {
        tags,
        summary: 'Every matter (current version) with its time limits, departments and process summary',
        response: { 200: { type: 'array', items: summarySchema } },
      },
    },
    () => catalog.listMatters(),
  )
  server.get<{ Params: { code: string }; Querystring: { version?: number } }>(
    '/api/matters/:code',
    {
      schema: {
        tags,
        summary:
          'One matter: form schema, materials, time limits, departments, process summary (current version or ?version=)',
        params: codeParams,
        querystring: versionQuery,
        response: {
          200: {
            ...summarySchema,
            required: [...summarySchema.required, 'formSchema', 'materials', 'versions'],
          },
          ...errorResponses,
        },
      },
    },
    (req) => catalog.getMatter(req.params.code, req.query.version),
  )
  server.get<{ Params: { code: string }; Querystring: { version?: number } }>(
    '/api/matters/:code/process.bpmn',
    {
      schema: {
        tags,
        summary: 'The BPMN 2.0 XML of a matter version',
        params: codeParams,
        querystring: versionQuery,
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .type('application/xml; charset=utf-8')
        .send(await catalog.processXml(req.params.code, req.query.version)),
  )
  server.get<{ Params: { code: string } }>(
    '/api/matters/:code/prefill',
    {
      schema: {
        tags,
        summary:
          'As a citizen: the form data the government already holds about you, with the source of each value',
        params: codeParams,
        response: {
          200: {
            type: 'object',
            required: ['data', 'sources'],
            properties: {
              data: { type: 'object', additionalProperties: true },
              sources: { type: 'object', additionalProperties: true },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => catalog.prefill(principalOf(req), req.params.code),
  )
  server.post<{ Body: { matter: unknown; formSchema: unknown; processXml: string } }>(
    '/api/matters',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Deploy a matter version (admin, process engineer); versions are immutable',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['matter', 'formSchema', 'processXml'],
          properties: {
            matter: { type: 'object' },
            formSchema: { type: 'object' },
            processXml: { type: 'string', minLength: 1 },
          },
        },
        response: { 201: summarySchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await catalog.deploy(principalOf(req), req.body)),
  )
}
