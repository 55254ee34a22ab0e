/**
 * The command hall's live feed over HTTP: server-sent events of the ledger placed in the caller's
 * region (`GET /api/analytics/stream`) and the latest of them to fill a screen's ticker first
 * (`GET /api/analytics/ticker`). analytics.read over the region; no personal data in either.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, regionCodeSchema } from '../../http/schemas.js'
import {
  DEFAULT_TICKER,
  MAX_TICKER,
  stillReaches,
  type AnalyticsStreamHub,
  type StreamQuery,
  type TickerQuery,
} from './analytics.stream.js'

/** A comment line sent while idle, so proxies keep the connection open. */
export const PING_MS = 15_000
/** How long EventSource waits before reconnecting. */
export const RETRY_MS = 2_000
/** How often a stream checks that its session still reaches its region (ends within this of a logout). */
export const SESSION_RECHECK_MS = 5_000

export const streamItemSchema = {
  type: 'object',
  required: ['log', 'index', 'type', 'label', 'region', 'regionName', 'time'],
  additionalProperties: false,
  properties: {
    log: { type: 'string', description: 'ledger log (city or province code)' },
    index: { type: 'integer', description: 'position in its log' },
    type: { type: 'string', description: 'event type, `<module>.<verb>`' },
    label: { type: 'string', description: 'the type’s Chinese display name' },
    region: { type: 'string', description: 'region the event happened in' },
    regionName: { type: 'string' },
    time: { type: 'integer', description: 'epoch ms' },
  },
} as const

export function registerAnalyticsStreamRoutes(server: FastifyInstance, hub: AnalyticsStreamHub): void {
  const tags = ['analytics']
  server.get<{ Querystring: StreamQuery }>(
    '/api/analytics/stream',
    {
      schema: {
        tags,
        summary:
          '指挥大厅实时事件流 (text/event-stream): each ledger event placed in `region` (default: your jurisdiction) ' +
          'as it commits, `event: ledger` with data as a ticker item; `: ping` every 15 s (analytics.read over the region)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { region: regionCodeSchema },
        },
        response: {
          200: { description: 'text/event-stream', type: 'string' },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req)
      const raw = reply.raw
      // Frames the hub sends before the headers are written wait here (at most one poll's worth).
      let pending: string | undefined = ''
      const unsubscribe = await hub.subscribe(principal, req.query, {
        write: (text) => {
          if (pending !== undefined) pending += text
          // Throwing tells the hub the screen is gone (it drops the subscription).
          else if (raw.destroyed) throw new Error('the client went away')
          else raw.write(text)
        },
        buffered: () => (pending?.length ?? 0) + raw.writableLength,
        close: () => raw.end(),
      })
      const root = hub.rootOf(principal, req.query.region)
      reply.hijack()
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      })
      raw.write(`retry: ${RETRY_MS}\n\n${pending}`)
      pending = undefined
      const ping = setInterval(() => {
        if (!raw.destroyed) raw.write(': ping\n\n')
      }, PING_MS)
      ping.unref()
      const recheck = setInterval(() => {
        void (async () => {
          const now = await req.reauthenticate?.().catch(() => undefined)
          if (!stillReaches(now, root) && !raw.destroyed) {
            raw.write(': session ended\n\n')
            raw.end()
          }
        })()
      }, SESSION_RECHECK_MS)
      recheck.unref()
      const close = (): void => {
        clearInterval(ping)
        clearInterval(recheck)
        unsubscribe()
      }
      req.raw.on('close', close)
      raw.on('close', close)
      // The client may have left while the subscription was being set up.
      if (raw.destroyed || !raw.socket || raw.socket.destroyed) close()
    },
  )

  server.get<{ Querystring: TickerQuery }>(
    '/api/analytics/ticker',
    {
      schema: {
        tags,
        summary:
          '指挥大厅滚动事件: the latest ledger events placed in `region` (default: your jurisdiction), latest first, ' +
          'as the stream sends them (analytics.read over the region)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            region: regionCodeSchema,
            limit: { type: 'integer', minimum: 1, maximum: MAX_TICKER, default: DEFAULT_TICKER },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            additionalProperties: false,
            properties: { items: { type: 'array', items: streamItemSchema } },
          },
          ...errorResponses,
        },
      },
    },
    (req) => hub.ticker(principalOf(req), req.query),
  )
}
