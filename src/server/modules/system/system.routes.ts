/**
 * Administration endpoints of the platform itself: the controllable clock.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import type { SystemService } from './system.service.js'

const clockSchema = {
  type: 'object',
  required: ['mode', 'now'],
  properties: {
    mode: { type: 'string', enum: ['system', 'manual'] },
    now: { type: 'integer', description: 'epoch ms' },
  },
} as const

export function registerSystemRoutes(server: FastifyInstance, system: SystemService): void {
  const tags = ['admin']
  server.get(
    '/api/admin/clock',
    { schema: { tags, summary: 'The platform clock', response: { 200: clockSchema, ...errorResponses } } },
    () => system.clockState(),
  )
  server.post<{ Body: { advance: string } }>(
    '/api/admin/clock',
    {
      schema: {
        tags,
        summary:
          'Advance the manual clock (XZT_CLOCK=manual; admin); timers due in between fire. 409 on the system clock',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['advance'],
          properties: {
            advance: {
              type: 'string',
              minLength: 2,
              maxLength: 40,
              description: 'ISO 8601 duration, e.g. P3D, PT4H',
            },
          },
        },
        response: { 200: clockSchema, ...errorResponses },
      },
    },
    (req) => system.advanceClock(principalOf(req), req.body.advance),
  )
}
