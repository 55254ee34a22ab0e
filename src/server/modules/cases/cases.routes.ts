/**
 * Case endpoints: submit once, follow the case and its timeline, work the inbox, get receipts.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { binaryResponse, sendDownload } from '../../http/download.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { ATTACHMENT_MEDIA_TYPES } from '../../../shared/attachments.js'
import type { CaseCommandService, CompleteInput, SubmitInput } from './case-commands.service.js'
import type { CaseViewService } from './case-views.service.js'

const caseSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['id', 'status', 'attachments', 'timeline'],
} as const
const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } } as const

export function registerCaseRoutes(
  server: FastifyInstance,
  cases: CaseCommandService,
  views: CaseViewService,
): void {
  const tags = ['cases']
  server.post<{ Body: SubmitInput }>(
    '/api/cases',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Submit a case once: as a citizen (online), or as a window clerk for a citizen (window, applicantId)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['matterCode', 'data', 'channel'],
          properties: {
            matterCode: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$' },
            data: { type: 'object' },
            channel: { type: 'string', enum: ['online', 'window'] },
            applicantId: idSchema,
          },
        },
        response: { 201: caseSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await cases.submit(principalOf(req), req.body)),
  )
  server.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'My cases (citizen), newest first',
        response: { 200: { type: 'array', items: caseSchema }, ...errorResponses },
      },
    },
    (req) => views.listMyCases(principalOf(req)),
  )
  server.get<{ Params: { id: string } }>(
    '/api/cases/:id',
    // No HEAD twin: an official's read is a recorded data access, and a HEAD would record one too.
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'A case: status and timeline (each step with its ledger position)',
        params: idParams,
        response: { 200: caseSchema, ...errorResponses },
      },
    },
    (req) => views.getCase(principalOf(req), req.params.id),
  )
  server.get<{ Params: { id: string; attachmentId: string } }>(
    '/api/cases/:id/attachments/:attachmentId',
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary:
          'Download a file of a case (the applicant, or staff who may see its field; every staff download is recorded)',
        description:
          'The bytes, with Content-Type, Content-Disposition (RFC 5987 `filename*` for non-ASCII names) and x-content-sha256. ' +
          'A file whose content no longer matches its SHA-256 is refused with INTEGRITY_VIOLATION, never served.',
        params: {
          type: 'object',
          required: ['id', 'attachmentId'],
          properties: { id: idSchema, attachmentId: idSchema },
        },
        response: { 200: binaryResponse(ATTACHMENT_MEDIA_TYPES), ...errorResponses },
      },
    },
    async (req, reply) =>
      sendDownload(
        reply,
        await views.getAttachment(principalOf(req), req.params.id, req.params.attachmentId),
      ),
  )
  server.get<{ Params: { id: string } }>(
    '/api/cases/:id/receipt',
    // No HEAD twin: a staff member's read is a recorded data access, as for the case itself.
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary:
          'The ledger entries of a case, each an offline-verifiable tlog-proof, with the keys to verify them (who may: as for the case; staff reads are recorded)',
        params: idParams,
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
      },
    },
    (req) => views.receipt(principalOf(req), req.params.id),
  )
  server.get(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: 'My open tasks (department inbox, or a citizen’s supplements)',
        response: {
          200: { type: 'array', items: { type: 'object', additionalProperties: true } },
          ...errorResponses,
        },
      },
    },
    (req) => views.listTasks(principalOf(req)),
  )
  server.post<{ Params: { id: string }; Body: CompleteInput }>(
    '/api/tasks/:id/complete',
    {
      schema: {
        tags,
        summary:
          'Complete a task (claiming it) with an outcome: approve, reject or supplement (applicant: approve)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['outcome'],
          properties: {
            outcome: { type: 'string', enum: ['approve', 'reject', 'supplement', 'submit'] },
            comment: { type: 'string', maxLength: 2000 },
            data: { type: 'object' },
          },
        },
        response: { 200: caseSchema, ...errorResponses },
      },
    },
    (req) => cases.completeTask(principalOf(req), req.params.id, req.body),
  )
  const taskSchema = { type: 'object', additionalProperties: true } as const
  server.post<{ Params: { id: string } }>(
    '/api/tasks/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim an open department task',
        params: idParams,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    (req) => cases.claimTask(principalOf(req), req.params.id),
  )
  server.post<{ Params: { id: string } }>(
    '/api/tasks/:id/release',
    {
      schema: {
        tags,
        summary: 'Give a claimed task back to the department (assignee or supervisor)',
        params: idParams,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    (req) => cases.releaseTask(principalOf(req), req.params.id),
  )
  server.post<{ Params: { id: string }; Body: { assigneeId: string } }>(
    '/api/tasks/:id/reassign',
    {
      schema: {
        tags,
        summary: 'Reassign an open task to another member of its department (supervisor)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['assigneeId'],
          properties: { assigneeId: idSchema },
        },
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    (req) => cases.reassignTask(principalOf(req), req.params.id, req.body.assigneeId),
  )
}
