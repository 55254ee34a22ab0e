/**
 * Ledger endpoints: public by design (leaves hold no personal data), so anyone can audit the
 * government's record. JSON API plus the C2SP tlog-tiles layout under `/api/ledger/{id}/`.
 * @module
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { errorResponses } from '../../http/schemas.js'
import { AppError } from '../../../shared/errors.js'
import { parseTilePath } from './formats/index.js'
import { MAX_ENTRIES_PAGE, type LedgerService } from './ledger.service.js'

const logIdSchema = {
  type: 'string',
  pattern: '^[0-9]{2}([0-9]{2})?$',
  description: 'log id: the province code or a city code',
} as const
const idParams = { type: 'object', required: ['id'], properties: { id: logIdSchema } } as const
const count = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const
const hashesSchema = { type: 'array', items: { type: 'string', description: 'base64 SHA-256' } } as const

function text(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(body)
}

export function registerLedgerRoutes(server: FastifyInstance, ledger: LedgerService): void {
  const tags = ['ledger']

  server.get(
    '/api/ledger/logs',
    {
      schema: {
        tags,
        summary: 'Every log with its size, verifier key(s), latest checkpoint and witnesses',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                origin: { type: 'string' },
                size: { type: 'integer' },
                verifierKey: { type: 'string', description: 'name+hash+base64 (C2SP signed-note)' },
                verifierKeys: { type: 'array', items: { type: 'string' } },
                checkpoint: {
                  type: ['object', 'null'],
                  properties: { size: { type: 'integer' }, time: { type: 'integer' } },
                },
                witnesses: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { name: { type: 'string' }, size: { type: 'integer' } },
                  },
                },
              },
            },
          },
        },
      },
    },
    () => ledger.listLogs(),
  )
  server.get(
    '/api/ledger/witnesses',
    {
      schema: {
        tags,
        summary: 'Verifier keys of the province witness and the configured external witnesses',
        response: {
          200: {
            type: 'object',
            properties: {
              province: { type: 'string' },
              external: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    () => ledger.witnessKeys(),
  )
  server.get<{ Params: { id: string } }>(
    '/api/ledger/:id/checkpoint',
    {
      schema: {
        tags,
        summary: 'Latest signed checkpoint (C2SP signed note, with cosignatures)',
        params: idParams,
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (req, reply) => text(reply, await ledger.checkpointText(req.params.id)),
  )
  server.get<{ Params: { id: string }; Querystring: { start: number; end: number } }>(
    '/api/ledger/:id/entries',
    {
      schema: {
        tags,
        summary: `Entries [start, end) of a log, at most ${MAX_ENTRIES_PAGE} per page`,
        params: idParams,
        querystring: { type: 'object', required: ['start', 'end'], properties: { start: count, end: count } },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                index: { type: 'integer' },
                leaf: { type: 'string', description: 'base64 of the canonical JSON' },
                time: { type: 'integer' },
                type: { type: 'string' },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => ledger.entries(req.params.id, req.query.start, req.query.end),
  )
  server.get<{ Params: { id: string; index: number } }>(
    '/api/ledger/:id/entries/:index',
    {
      schema: {
        tags,
        summary: 'One entry, decoded, with its inclusion proof against the latest checkpoint',
        params: { type: 'object', required: ['id', 'index'], properties: { id: logIdSchema, index: count } },
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
      },
    },
    (req) => ledger.entryWithProof(req.params.id, req.params.index),
  )
  server.get<{ Params: { id: string }; Querystring: { index: number; size: number } }>(
    '/api/ledger/:id/proof/inclusion',
    {
      schema: {
        tags,
        summary: 'RFC 6962 inclusion proof of entry `index` in the tree of `size`',
        params: idParams,
        querystring: {
          type: 'object',
          required: ['index', 'size'],
          properties: { index: count, size: count },
        },
        response: {
          200: {
            type: 'object',
            properties: { index: { type: 'integer' }, size: { type: 'integer' }, hashes: hashesSchema },
          },
          ...errorResponses,
        },
      },
    },
    (req) => ledger.inclusionProof(req.params.id, req.query.index, req.query.size),
  )
  server.get<{ Params: { id: string }; Querystring: { from: number; to: number } }>(
    '/api/ledger/:id/proof/consistency',
    {
      schema: {
        tags,
        summary: 'RFC 6962 consistency proof between tree sizes `from` and `to`',
        params: idParams,
        querystring: { type: 'object', required: ['from', 'to'], properties: { from: count, to: count } },
        response: {
          200: {
            type: 'object',
            properties: { from: { type: 'integer' }, to: { type: 'integer' }, hashes: hashesSchema },
          },
          ...errorResponses,
        },
      },
    },
    (req) => ledger.consistencyProof(req.params.id, req.query.from, req.query.to),
  )
  server.get<{ Params: { id: string; index: number } }>(
    '/api/ledger/:id/receipt/:index',
    {
      schema: {
        tags,
        summary: 'Offline receipt of an entry: c2sp.org/tlog-proof@v1 text (the leaf is in the `extra` line)',
        params: { type: 'object', required: ['id', 'index'], properties: { id: logIdSchema, index: count } },
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (req, reply) => text(reply, await ledger.receipt(req.params.id, req.params.index)),
  )
  server.get<{ Params: { id: string; '*': string } }>(
    '/api/ledger/:id/tile/*',
    {
      schema: {
        tags,
        summary: 'C2SP tlog-tiles: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]',
        params: { type: 'object', properties: { id: logIdSchema, '*': { type: 'string' } } },
      },
    },
    async (req, reply) => {
      let tile: ReturnType<typeof parseTilePath>
      try {
        tile = parseTilePath(`tile/${req.params['*']}`)
      } catch (err) {
        throw new AppError('VALIDATION_FAILED', `not a tlog-tiles path: ${(err as Error).message}`)
      }
      const body =
        tile.kind === 'entries'
          ? await ledger.entryBundle(req.params.id, tile.index, tile.width)
          : await ledger.tile(req.params.id, tile.level, tile.index, tile.width)
      // Full tiles never change; partial ones grow until full.
      const cache = tile.width === 256 ? 'public, max-age=31536000, immutable' : 'no-cache'
      return reply.type('application/octet-stream').header('cache-control', cache).send(body)
    },
  )
  server.post<{ Params: { id: string }; Body: { size: number; cosignature: string } }>(
    '/api/ledger/:id/cosignatures',
    {
      schema: {
        tags,
        summary: 'An external witness submits its cosignature/v1 line for a checkpoint',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['size', 'cosignature'],
          properties: {
            size: { type: 'integer', minimum: 1 },
            cosignature: {
              type: 'string',
              minLength: 1,
              maxLength: 1000,
              description: 'the signature line, "— <name> <base64>"',
            },
          },
        },
        response: { 201: { type: 'object', properties: { witness: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await ledger.addCosignature(req.params.id, req.body.size, req.body.cosignature)),
  )
  server.post<{ Body: { receipt: string; keys?: string[] } }>(
    '/api/ledger/verify-receipt',
    {
      schema: {
        tags,
        summary: 'Verify a tlog-proof receipt against the published keys (or the keys given)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['receipt'],
          properties: {
            receipt: { type: 'string', minLength: 1, maxLength: 200_000 },
            keys: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } },
          },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
      },
    },
    (req) => ledger.verifyReceiptText(req.body.receipt, req.body.keys),
  )
}
