/**
 * Sending a stored file: its media type, a download disposition with the name in RFC 5987 form (so
 * Chinese names survive), its SHA-256, and headers that keep browsers from sniffing or caching it.
 * @module
 */
import type { FastifyReply } from 'fastify'

export interface DownloadFile {
  content: Buffer
  mediaType: string
  filename: string
  sha256: string
}

/** A binary response of the given media types, for OpenAPI (a Buffer is sent as it is, never serialised). */
export function binaryResponse(mediaTypes: readonly string[]): {
  description: string
  content: Record<string, { schema: typeof BINARY_SCHEMA }>
} {
  return {
    description: 'The file’s bytes',
    content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: BINARY_SCHEMA }])),
  }
}

/**
 * A raw binary request body of the given media types, for OpenAPI. The server's validator compiler
 * passes bodies of this schema unchecked: they are Buffers from the route's own content-type parser,
 * which has already refused every other type (see `isBinarySchema`).
 */
export function binaryBody(mediaTypes: readonly string[]): {
  content: Record<string, { schema: typeof BINARY_SCHEMA }>
} {
  return { content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: BINARY_SCHEMA }])) }
}

const BINARY_SCHEMA = { type: 'string', format: 'binary' } as const

/** Whether a body schema is {@link binaryBody}'s: raw bytes, not JSON to validate. */
export function isBinarySchema(schema: unknown): boolean {
  const s = schema as { type?: unknown; format?: unknown } | null
  return s !== null && typeof s === 'object' && s.type === 'string' && s.format === 'binary'
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 with the
 * RFC 5987 extended parameter): old clients get a readable ASCII name, current ones the real one.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'download'
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** Sends a file as a download. */
export function sendDownload(reply: FastifyReply, file: DownloadFile): FastifyReply {
  return reply
    .header('content-type', file.mediaType)
    .header('content-length', String(file.content.length))
    .header('content-disposition', contentDisposition(file.filename))
    .header('x-content-sha256', file.sha256)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.content)
}
