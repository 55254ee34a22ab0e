/**
 * Attachment endpoints: upload a file as the raw request body (its Content-Type is its media type), and
 * fetch one's own upload back. Files of a case are downloaded through the case
 * (`GET /api/cases/{id}/attachments/{attachmentId}`), where access is checked and recorded.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { binaryBody, binaryResponse, sendDownload } from '../../http/download.js'
import { errorResponses, idSchema } from '../../http/schemas.js'
import { ATTACHMENT_MEDIA_TYPES } from '../../../shared/attachments.js'
import { AppError } from '../../../shared/errors.js'
import type { AttachmentService } from './attachments.service.js'

const attachmentSchema = {
  type: 'object',
  required: ['id', 'ref', 'sha256', 'size', 'mediaType', 'filename'],
  properties: {
    id: { type: 'string' },
    ref: { type: 'string', description: '`attachment:<id>`: the value to put into the form’s upload field' },
    sha256: { type: 'string', description: 'SHA-256 of the content, lowercase hex' },
    size: { type: 'integer' },
    mediaType: { type: 'string' },
    filename: { type: 'string' },
  },
} as const

const ACCEPTED = ATTACHMENT_MEDIA_TYPES.join(', ')

/**
 * Registers the attachment routes in their own plugin scope: only there does a request body of an
 * accepted file type arrive as raw bytes (a Buffer), and any other body is refused with 415.
 */
export async function registerAttachmentRoutes(
  server: FastifyInstance,
  attachments: AttachmentService,
): Promise<void> {
  const tags = ['attachments']
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(
      [...ATTACHMENT_MEDIA_TYPES],
      { parseAs: 'buffer', bodyLimit: attachments.maxBytes },
      (_req, body, done) => done(null, body),
    )
    scope.addContentTypeParser('*', (req, _payload, done) => {
      done(
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `upload the file as the raw body with its Content-Type, one of ${ACCEPTED} (got ${JSON.stringify(req.headers['content-type'] ?? '')})`,
        ),
        undefined,
      )
    })

    scope.post<{ Querystring: { filename: string; applicantId?: string } }>(
      '/api/attachments',
      {
        bodyLimit: attachments.maxBytes,
        schema: {
          tags,
          summary:
            'Upload a file (the raw body; its Content-Type is the media type) for yourself, or as a window clerk for applicantId',
          description:
            `Accepted media types: ${ACCEPTED}; at most XZT_ATTACHMENT_MAX_BYTES (default 20 MiB). Put the returned \`ref\` into the ` +
            'form’s upload field; submitting the case binds the file to it and records its SHA-256 in the ledger. ' +
            'Too large → 413, another type (or content not of the declared type) → 415, empty → 400.',
          querystring: {
            type: 'object',
            required: ['filename'],
            properties: {
              filename: {
                type: 'string',
                minLength: 1,
                maxLength: 255,
                description: 'The file’s name (directories are dropped)',
              },
              applicantId: { ...idSchema, description: 'Window clerks: the citizen the file is for' },
            },
          },
          body: binaryBody([...ATTACHMENT_MEDIA_TYPES]),
          response: { 201: attachmentSchema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const view = await attachments.upload(principalOf(req), {
          filename: req.query.filename,
          mediaType: String(req.headers['content-type'] ?? ''),
          // No body at all arrives as undefined: the service refuses it as empty.
          content: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          ...(req.query.applicantId === undefined ? {} : { applicantId: req.query.applicantId }),
        })
        return reply.status(201).send(view)
      },
    )

    scope.get<{ Params: { id: string } }>(
      '/api/attachments/:id',
      {
        schema: {
          tags,
          summary:
            'One of your own uploads (the citizen it belongs to, or the clerk who uploaded it until a case binds it)',
          description:
            'The bytes, with Content-Type, Content-Disposition and x-content-sha256. Content that no longer matches its SHA-256 is refused with INTEGRITY_VIOLATION.',
          params: { type: 'object', required: ['id'], properties: { id: idSchema } },
          response: { 200: binaryResponse(ATTACHMENT_MEDIA_TYPES), ...errorResponses },
        },
      },
      async (req, reply) => sendDownload(reply, await attachments.download(principalOf(req), req.params.id)),
    )
  })
}
