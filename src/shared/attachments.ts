/**
 * Attachments (附件) as both sides see them: the media types the platform stores, the form value that
 * refers to a stored file (`attachment:<uuid>`), and the one pattern an upload field of a form accepts
 * (a reference, or an inline data URL kept for API compatibility). Pure.
 * @module
 */

/**
 * Media types an attachment may have: what government documents come as (PDF, OFD, the Chinese
 * standard for electronic documents) and photos or scans. Anything else is refused (415 on upload).
 */
export const ATTACHMENT_MEDIA_TYPES = [
  'application/pdf',
  'application/ofd',
  'image/png',
  'image/jpeg',
  'image/webp',
] as const
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number]

/** Default largest attachment, in bytes (`XZT_ATTACHMENT_MAX_BYTES` overrides it on the server). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

export function isAttachmentMediaType(value: string): value is AttachmentMediaType {
  return (ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(value)
}

/** The usual file extension of each media type (a name for files that came without one). */
export const ATTACHMENT_EXTENSIONS: Readonly<Record<AttachmentMediaType, string>> = {
  'application/pdf': 'pdf',
  'application/ofd': 'ofd',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
}

export const ATTACHMENT_REF_PREFIX = 'attachment:'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

/** A form value referring to a stored attachment: `attachment:<uuid>`. */
export const ATTACHMENT_REF_PATTERN = new RegExp(`^${ATTACHMENT_REF_PREFIX}${UUID}$`)

/** An RFC 2397 data URL, as react-jsonschema-form's file widget produced (`data:<type>;name=<n>;base64,…`). */
export const DATA_URL_PATTERN = /^data:[\w.+-]*\/?[\w.+-]*(;[\w.+-]+=[^;,]*)*(;base64)?,[\s\S]*$/

/**
 * What an upload field (`format: "data-url"`) of a matter's form accepts: a reference to an uploaded
 * attachment, or an inline data URL (which the server turns into an attachment when the case is
 * submitted, so stored cases hold references only).
 */
export const UPLOAD_VALUE_PATTERN = new RegExp(
  `^(?:${ATTACHMENT_REF_PREFIX}${UUID}$|${DATA_URL_PATTERN.source.slice(1)})`,
)

/** The form value referring to attachment `id`. */
export function attachmentRef(id: string): string {
  return `${ATTACHMENT_REF_PREFIX}${id}`
}

/** The attachment id of a reference, or undefined when `value` is not one. */
export function parseAttachmentRef(value: unknown): string | undefined {
  return typeof value === 'string' && ATTACHMENT_REF_PATTERN.test(value)
    ? value.slice(ATTACHMENT_REF_PREFIX.length)
    : undefined
}
