/**
 * The event tail over HTTP: pages (`GET /api/events`) and server-sent events (`GET /api/events/stream`,
 * resumable with `Last-Event-ID`). Auditors and administrators, for the logs of their jurisdiction.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import { MAX_CURSOR_LENGTH } from '../ledger/ledger.cursor.js'
import { DEFAULT_PAGE, MAX_PAGE, type EventTailService, type StreamEvent } from './event-tail.service.js'

/** A comment line the stream sends while idle, so proxies keep the connection open. */
const HEARTBEAT_MS = 15_000
/**
 * How often a stream checks that its session still holds and still reaches the same logs: a stream
 * ends within this time of a logout, an expiry or a change of the account's jurisdiction or roles.
 */
export const SESSION_RECHECK_MS = 5_000

const cursorSchema = {
  type: 'string',
  maxLength: MAX_CURSOR_LENGTH,
  description: 'a cursor (`next` of a page, `id:` of a streamed event); empty or omitted: from the start',
} as const

export const tailEventSchema = {
  type: 'object',
  required: ['log', 'index', 'time', 'type', 'subject', 'data'],
  properties: {
    log: { type: 'string', description: 'log id (province or city code)' },
    index: { type: 'integer', description: 'position in its log' },
    time: { type: 'integer', description: 'epoch milliseconds' },
    type: { type: 'string', description: '`<module>.<verb>`' },
    subject: { type: 'string', description: '`<kind>:<id>`' },
    actor: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        roles: { type: 'array', items: { type: 'string' } },
        department: { type: ['string', 'null'] },
        region: { type: 'string' },
      },
    },
    data: { type: 'object', additionalProperties: true },
  },
} as const

export function registerEventTailRoutes(server: FastifyInstance, tail: EventTailService): void {
  const tags = ['events']
  server.get<{ Querystring: { after?: string; limit?: number } }>(
    '/api/events',
    {
      schema: {
        tags,
        summary:
          'Committed ledger events of the logs in your jurisdiction after a cursor (auditor, admin); follow `next`',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: cursorSchema,
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['events', 'next'],
            properties: {
              events: { type: 'array', items: tailEventSchema },
              next: { type: 'string', description: 'the cursor after the last event of this page' },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => tail.page(principalOf(req), req.query.after, req.query.limit),
  )

  server.get<{ Querystring: { after?: string }; Headers: { 'last-event-id'?: string } }>(
    '/api/events/stream',
    {
      schema: {
        tags,
        summary:
          'Server-sent events (text/event-stream): every committed event of your jurisdiction as it commits; `id:` is a cursor, reconnect with Last-Event-ID',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { after: cursorSchema },
        },
        headers: {
          type: 'object',
          properties: { 'last-event-id': cursorSchema },
        },
        response: {
          200: { description: 'text/event-stream', type: 'string' },
          ...errorResponses,
        },
      },
    },
    (req, reply) => {
      const principal = principalOf(req)
      const raw = reply.raw
      let heartbeat: NodeJS.Timeout | undefined
      const write = (text: string): Promise<void> | void => {
        if (raw.destroyed) throw new Error('the client went away')
        if (!raw.write(text)) return new Promise((resolve) => raw.once('drain', () => resolve()))
      }
      const unsubscribe = tail.subscribe(principal, req.headers['last-event-id'] ?? req.query.after, {
        send: (events: readonly StreamEvent[]) =>
          write(events.map((e) => `id: ${e.id}\ndata: ${JSON.stringify(e.event)}\n\n`).join('')),
        close: () => raw.end(),
      })
      reply.hijack()
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      })
      raw.write('retry: 2000\n\n')
      heartbeat = setInterval(() => {
        if (!raw.destroyed) raw.write(': heartbeat\n\n')
      }, HEARTBEAT_MS)
      heartbeat.unref()
      const scope = tail.scopeOf(principal).key
      let recheck: NodeJS.Timeout | undefined = setInterval(() => {
        void (async () => {
          const now = await req.reauthenticate?.().catch(() => undefined)
          let same = false
          try {
            same = now !== undefined && tail.scopeOf(now).key === scope
          } catch {
            same = false
          }
          if (!same && !raw.destroyed) {
            raw.write(': session ended\n\n')
            raw.end()
          }
        })()
      }, SESSION_RECHECK_MS)
      recheck.unref()
      const close = (): void => {
        if (heartbeat) clearInterval(heartbeat)
        if (recheck) clearInterval(recheck)
        heartbeat = undefined
        recheck = undefined
        unsubscribe()
      }
      req.raw.on('close', close)
      raw.on('close', close)
    },
  )
}
