/**
 * The audit endpoint: auditors (and administrators) run the full check — every log recomputed from its
 * leaves, every checkpoint and cosignature verified, every event replayed against the live tables.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import type { AuditService } from './audit.service.js'

export function registerAuditRoutes(server: FastifyInstance, audit: AuditService): void {
  server.post(
    '/api/audit/run',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify every ledger and replay every event against the live state tables (auditor, admin)',
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
      },
    },
    (req) => audit.run(principalOf(req)),
  )
}
