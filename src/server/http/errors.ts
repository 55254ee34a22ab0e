/**
 * The one path from any failure to an HTTP response: `{"error":{"code","message","details"}}`.
 * AppErrors keep their code; Ajv validation failures become VALIDATION_FAILED with field paths;
 * Fastify's own client errors (bad JSON, wrong content type, body too large) keep a 4xx; anything else
 * is logged with the request id and answered as a generic INTERNAL 500.
 * @module
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ERROR_CODES, isAppError, type ErrorCode } from '../../shared/errors.js'

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown }
}

/** JSON Schema of the error body, for OpenAPI. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        details: {},
      },
    },
  },
} as const

interface AjvLikeError {
  instancePath?: string
  message?: string
  keyword?: string
  params?: Record<string, unknown>
}

/** Converts whatever was thrown into an AppError (never throws). */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  const e = err as FastifyError & { validation?: AjvLikeError[]; validationContext?: string }
  if (Array.isArray(e?.validation)) {
    const part = e.validationContext ?? 'body'
    const details = e.validation.map((v) => {
      const missing = typeof v.params?.missingProperty === 'string' ? `/${v.params.missingProperty}` : ''
      const extra = typeof v.params?.additionalProperty === 'string' ? `/${v.params.additionalProperty}` : ''
      return {
        path: `/${part}${v.instancePath ?? ''}${missing}${extra}`,
        message: v.message ?? 'is invalid',
        keyword: v.keyword,
      }
    })
    const first = details[0]
    return new AppError(
      'VALIDATION_FAILED',
      first ? `${first.path} ${first.message}` : 'the request is invalid',
      {
        details,
      },
    )
  }
  const code = typeof e?.code === 'string' ? e.code : ''
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large')
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported content type: send application/json')
  }
  if (code.startsWith('FST_ERR_CTP_') || (err instanceof SyntaxError && e.statusCode === 400)) {
    return new AppError('MALFORMED_REQUEST', `the request body could not be parsed: ${e.message}`)
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500
  if (status === 404) return new AppError('NOT_FOUND', e.message)
  if (status === 405) return new AppError('METHOD_NOT_ALLOWED', e.message)
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', e.message)
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', e.message)
  if (status === 429) return new AppError('RATE_LIMITED', e.message)
  if (status >= 400 && status < 500) return new AppError('MALFORMED_REQUEST', e.message)
  return new AppError('INTERNAL', 'an internal error occurred', { cause: err })
}

/** Fastify error handler. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(err)
  const status = appError.status
  if (status >= 500) {
    request.log.error({ err, requestId: request.id }, 'request failed')
  } else {
    request.log.info({ code: appError.code, message: appError.message }, 'request rejected')
  }
  const details = status >= 500 ? { requestId: request.id } : appError.details
  const body: ErrorBody = { error: { code: appError.code, message: appError.message, details } }
  return reply.status(status).type('application/json; charset=utf-8').send(body)
}
