/**
 * Open311 over HTTP. The key routes (`/api/open311/keys`) are the platform's own API, with its error
 * shape. GeoReport v2 lives under `/open311/v2/` in a scope of its own: every resource as `.json` or
 * `.xml` (another extension → 404), form-urlencoded or JSON bodies, and the spec's error documents
 * (`[{"code","description"}]` or `<errors><error>…`) with its statuses (404 not found, 403 for the
 * api_key, 400 otherwise; the body's code keeps ours when it says more, e.g. 415). Neither the form
 * parser nor the error shape leaks out of the prefix.
 * @module
 */
import querystring from 'node:querystring'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { toAppError } from '../../http/errors.js'
import { AppError } from '../../../shared/errors.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { isoBeijing } from './open311.model.js'
import { CONTENT_TYPES, render, renderErrors, type Open311Format } from './open311.format.js'
import {
  definitionSchema,
  discoverySchema,
  formatOnly,
  formatParam,
  issuedKeySchema,
  jurisdictionQuery,
  keyBody,
  keySchema,
  nullableText,
  open311ErrorResponses,
  requestSchema,
  serviceSchema,
  submitBody,
  text,
} from './open311.schemas.js'
import { digestOf, type Open311Service, type RequestsQuery, type SubmitInput } from './open311.service.js'

/** Where GeoReport v2 is served. */
export const OPEN311_PREFIX = '/open311/v2'

/** When this endpoint's contract last changed (discovery's `changeset`). */
const CHANGESET = Date.parse('2026-12-04T00:00:00+08:00')

// ---- errors -------------------------------------------------------------------------------------

/** The format a request asked for, for its answer and its errors (JSON when it named none we serve). */
function formatOf(request: FastifyRequest): Open311Format {
  const asked = (request.params as { format?: unknown } | undefined)?.format
  if (asked === 'json' || asked === 'xml') return asked
  const m = /\.(json|xml)$/.exec((request.url.split('?')[0] ?? '').toLowerCase())
  return m ? (m[1] as Open311Format) : 'json'
}

function isUnknownFormat(err: unknown): boolean {
  const e = err as FastifyError & { validation?: { instancePath?: string }[]; validationContext?: string }
  return e?.validationContext === 'params' && (e.validation ?? []).some((v) => v.instancePath === '/format')
}

/**
 * Answers any failure inside the prefix with the spec's error document. Also used for the framework's
 * own errors (a bad URL) on paths under the prefix.
 */
export function sendOpen311Error(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const format = formatOf(request)
  if (isUnknownFormat(err)) {
    return reply
      .status(404)
      .type(CONTENT_TYPES[format])
      .send(renderErrors(format, [{ code: 404, description: 'unknown format: ask for .json or .xml' }]))
  }
  const e = toAppError(err)
  const status =
    e.status === 404
      ? 404
      : e.status === 401 || e.status === 403
        ? 403
        : e.status === 429 || e.status >= 500
          ? e.status
          : 400
  if (status >= 500) request.log.error({ err, requestId: request.id }, 'request failed')
  else request.log.info({ code: e.code, message: e.message }, 'request rejected')
  const code = status === 400 ? e.status : status
  const details = Array.isArray(e.details) ? (e.details as { path?: unknown; message?: unknown }[]) : []
  const fieldErrors = details.every((d) => typeof d.path === 'string' && typeof d.message === 'string')
  const errors =
    status >= 500
      ? [{ code, description: `an internal error occurred (request ${request.id})` }]
      : e.code === 'VALIDATION_FAILED' && details.length > 0 && fieldErrors
        ? details.map((d) => ({ code, description: `${d.path as string} ${d.message as string}` }))
        : [{ code, description: e.message }]
  return reply.status(status).type(CONTENT_TYPES[format]).send(renderErrors(format, errors))
}

function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown): FastifyReply {
  return reply.type(CONTENT_TYPES[format]).send(render(format, root, value))
}

// ---- routes -------------------------------------------------------------------------------------

type FormatParams = { format: Open311Format }
type Jurisdiction = { jurisdiction_id?: string }

/** Collects `attribute[CODE]` (and `attribute[CODE][]`) fields and a JSON `attribute` object. */
function attributesOf(body: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const nested = body.attribute
  if (nested && typeof nested === 'object' && !Array.isArray(nested))
    for (const [k, v] of Object.entries(nested as Record<string, unknown>))
      if (typeof v === 'string' || Array.isArray(v)) out[k] = v as string | string[]
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k)
    if (!m) continue
    if (typeof v === 'string') out[m[1] as string] = m[2] ? [v] : v
    else if (Array.isArray(v)) out[m[1] as string] = v.map(String)
  }
  return out
}

const stringField = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * @param options.rateLimit requests one API key may file per minute (`XZT_OPEN311_RATE_LIMIT`): a client
 *   that loops cannot flood a department's inbox; more → 429 in the spec's error shape, with when to retry
 */
export async function registerOpen311Routes(
  server: FastifyInstance,
  open311: Open311Service,
  options: { rateLimit: number },
): Promise<void> {
  const keyTags = ['open311']
  server.post<{ Body: { name: string } }>(
    '/api/open311/keys',
    {
      schema: {
        tags: keyTags,
        summary:
          'Issue an Open311 API key (administrators, open311.keys) for the administrator’s region. The key (api_key) is shown ' +
          'in this answer only; the platform keeps its SHA-256. Ledgered as open311.key_issued',
        body: keyBody,
        response: { 201: issuedKeySchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { apiKey, ...key } = await open311.issueKey(principalOf(req), req.body.name)
      return reply.code(201).send({ ...key, api_key: apiKey })
    },
  )
  server.get(
    '/api/open311/keys',
    {
      schema: {
        tags: keyTags,
        summary:
          'The Open311 API keys of the administrator’s region subtree, newest first (never the keys themselves)',
        response: { 200: { type: 'array', items: keySchema }, ...errorResponses },
      },
    },
    (req) => open311.listKeys(principalOf(req)),
  )
  server.delete<{ Params: { id: string } }>(
    '/api/open311/keys/:id',
    {
      schema: {
        tags: keyTags,
        summary:
          'Revoke an Open311 API key: it files nothing from now on (open311.key_revoked). Revoking again changes nothing',
        params: { type: 'object', required: ['id'], properties: { id: idSchema } },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      await open311.revokeKey(principalOf(req), req.params.id)
      return reply.status(204).send()
    },
  )

  await server.register(
    async (scope) => {
      scope.setErrorHandler(sendOpen311Error)
      scope.setNotFoundHandler((request, reply) =>
        sendOpen311Error(
          Object.assign(new Error(`no resource ${request.method} ${request.url.split('?')[0] ?? ''}`), {
            statusCode: 404,
          }),
          request,
          reply,
        ),
      )
      // The spec's POST bodies are forms. The parser is this scope's alone: the rest of the API stays JSON.
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => done(null, querystring.parse(body as string)),
      )
      const tags = ['open311']

      scope.get<{ Params: FormatParams }>(
        '/discovery.:format',
        {
          schema: {
            tags,
            summary: 'GeoReport v2 service discovery: the endpoint, its formats and where keys come from',
            params: formatOnly,
            response: { 200: discoverySchema, ...open311ErrorResponses },
          },
        },
        (req, reply) => {
          const changeset = isoBeijing(CHANGESET)
          return send(reply, req.params.format, 'discovery', {
            changeset,
            contact:
              '12345 政务服务便民热线；接口事宜请联系平台管理员 (12345 hotline; for the API, the platform’s administrators)',
            key_service:
              '密钥由平台管理员签发 (API keys are issued by the platform’s administrators: POST /api/open311/keys)',
            endpoints: [
              {
                specification: 'http://wiki.open311.org/GeoReport_v2',
                url: `${req.protocol}://${req.host}${OPEN311_PREFIX}`,
                changeset,
                type: 'production',
                formats: ['text/xml', 'application/json'],
              },
            ],
          })
        },
      )

      scope.get<{ Params: FormatParams; Querystring: Jurisdiction }>(
        '/services.:format',
        {
          schema: {
            tags,
            summary: 'GeoReport v2 services: one per appeal category (service_code = category code)',
            params: formatOnly,
            querystring: jurisdictionQuery,
            response: { 200: { type: 'array', items: serviceSchema }, ...open311ErrorResponses },
          },
        },
        async (req, reply) =>
          send(reply, req.params.format, 'services', await open311.services(req.query.jurisdiction_id)),
      )

      const definition = async (
        req: FastifyRequest<{ Querystring: Jurisdiction }>,
        reply: FastifyReply,
        code: string,
        format: Open311Format,
      ) =>
        send(reply, format, 'service_definition', await open311.definition(code, req.query.jurisdiction_id))
      scope.get<{ Params: FormatParams & { service_code: string }; Querystring: Jurisdiction }>(
        '/services/:service_code.:format',
        {
          schema: {
            tags,
            summary: 'GeoReport v2 service definition (the code URL-encoded: services/urban%2Froad.json)',
            params: {
              type: 'object',
              required: ['service_code', 'format'],
              properties: { service_code: text(100), format: formatParam },
            },
            querystring: jurisdictionQuery,
            response: { 200: definitionSchema, ...open311ErrorResponses },
          },
        },
        (req, reply) => definition(req, reply, req.params.service_code, req.params.format),
      )
      scope.get<{ Params: FormatParams & { group: string; service: string }; Querystring: Jurisdiction }>(
        '/services/:group/:service.:format',
        {
          schema: {
            tags,
            summary:
              'GeoReport v2 service definition, the two-level code as written (services/urban/road.json)',
            params: {
              type: 'object',
              required: ['group', 'service', 'format'],
              properties: { group: text(50), service: text(50), format: formatParam },
            },
            querystring: jurisdictionQuery,
            response: { 200: definitionSchema, ...open311ErrorResponses },
          },
        },
        (req, reply) =>
          definition(req, reply, `${req.params.group}/${req.params.service}`, req.params.format),
      )

      scope.post<{
        Params: FormatParams
        Body: Record<string, unknown> | undefined
        Querystring: Jurisdiction & { api_key?: string }
      }>(
        '/requests.:format',
        {
          // The api_key is the credential here, not a session: no CSRF token applies.
          config: {
            csrf: false,
            rateLimit: {
              max: options.rateLimit,
              timeWindow: 60_000,
              // After body parsing: the key is in the form or JSON body (or the query).
              hook: 'preHandler',
              keyGenerator: (req) => {
                const body = (req.body ?? {}) as Record<string, unknown>
                const query = req.query as { api_key?: unknown }
                const key = stringField(body.api_key) ?? stringField(query.api_key) ?? ''
                return `open311|${digestOf(key)}`
              },
              errorResponseBuilder: (_req, ctx) =>
                new AppError(
                  'RATE_LIMITED',
                  `this api_key files at most ${options.rateLimit} requests a minute; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
                  { details: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) } },
                ),
            },
          },
          schema: {
            tags,
            summary:
              'GeoReport v2: file a service request (an appeal, routed like every appeal). api_key required (403 when missing, ' +
              'unknown or revoked); service_code; lat+long, address_id (a region code) or address_string with jurisdiction_id. ' +
              'Answers service_request_id and a token at once',
            consumes: ['application/x-www-form-urlencoded', 'application/json'],
            params: formatOnly,
            querystring: {
              type: 'object',
              properties: { ...jurisdictionQuery.properties, api_key: text(200) },
            },
            body: submitBody,
            response: {
              200: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    service_request_id: { type: 'string' },
                    token: { type: 'string' },
                    service_notice: { type: 'string' },
                    account_id: nullableText,
                  },
                },
              },
              ...open311ErrorResponses,
            },
          },
        },
        async (req, reply) => {
          const body = req.body ?? {}
          const field = (name: string) => stringField(body[name])
          const coordinateOf = (name: string) => {
            const v = body[name]
            return typeof v === 'number' || typeof v === 'string' ? v : undefined
          }
          const input: SubmitInput = {
            api_key: field('api_key') ?? req.query.api_key,
            jurisdiction_id: field('jurisdiction_id') ?? req.query.jurisdiction_id,
            service_code: field('service_code'),
            lat: coordinateOf('lat'),
            long: coordinateOf('long'),
            address_string: field('address_string'),
            address_id: field('address_id'),
            email: field('email'),
            device_id: field('device_id'),
            account_id: field('account_id'),
            first_name: field('first_name'),
            last_name: field('last_name'),
            phone: field('phone'),
            description: field('description'),
            media_url: field('media_url'),
            attributes: attributesOf(body),
          }
          return send(reply, req.params.format, 'service_requests', [await open311.submit(input)])
        },
      )

      scope.get<{ Params: FormatParams; Querystring: RequestsQuery }>(
        '/requests.:format',
        {
          schema: {
            tags,
            summary:
              'GeoReport v2 service requests, newest first, at most 1000: service_request_id (comma list) overrides the other ' +
              'filters; else service_code (comma list), start_date/end_date (ISO 8601, at most 90 days apart; the last 90 days ' +
              'by default), status=open,closed',
            params: formatOnly,
            querystring: {
              type: 'object',
              properties: {
                ...jurisdictionQuery.properties,
                service_request_id: text(40_000),
                service_code: text(2000),
                start_date: text(40),
                end_date: text(40),
                status: text(20),
              },
            },
            response: { 200: { type: 'array', items: requestSchema }, ...open311ErrorResponses },
          },
        },
        async (req, reply) =>
          send(reply, req.params.format, 'service_requests', await open311.requests(req.query)),
      )

      scope.get<{ Params: FormatParams & { id: string }; Querystring: Jurisdiction }>(
        '/requests/:id.:format',
        {
          schema: {
            tags,
            summary: 'GeoReport v2: one service request, as a one-element list (unknown → 404)',
            params: {
              type: 'object',
              required: ['id', 'format'],
              properties: { id: idSchema, format: formatParam },
            },
            querystring: jurisdictionQuery,
            response: { 200: { type: 'array', items: requestSchema }, ...open311ErrorResponses },
          },
        },
        async (req, reply) =>
          send(
            reply,
            req.params.format,
            'service_requests',
            await open311.request(req.params.id, req.query.jurisdiction_id),
          ),
      )

      scope.get<{ Params: FormatParams & { token: string }; Querystring: Jurisdiction }>(
        '/tokens/:token.:format',
        {
          schema: {
            tags,
            summary: 'GeoReport v2: the service request a token stands for (unknown → 404)',
            params: {
              type: 'object',
              required: ['token', 'format'],
              properties: { token: idSchema, format: formatParam },
            },
            querystring: jurisdictionQuery,
            response: {
              200: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { service_request_id: { type: 'string' }, token: { type: 'string' } },
                },
              },
              ...open311ErrorResponses,
            },
          },
        },
        async (req, reply) =>
          send(
            reply,
            req.params.format,
            'service_requests',
            await open311.token(req.params.token, req.query.jurisdiction_id),
          ),
      )
    },
    { prefix: OPEN311_PREFIX },
  )
}
