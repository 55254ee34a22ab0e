/**
 * Attachment rules: where a form's files sit in its data, how an inline data URL decodes, whether
 * content is what its media type says, and what a stored file may be called. Pure.
 * @module
 */
import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_MEDIA_TYPES,
  isAttachmentMediaType,
  type AttachmentMediaType,
} from '../../../shared/attachments.js'
import { attachmentFields, type FormSchema } from '../catalog/index.js'

/** One value of an upload field in form data. */
export interface UploadValue {
  /** Dotted path with list items by index: `attachments.premisesProof.0`. */
  path: string
  /** The same as a JSON Pointer (`/attachments/premisesProof/0`), for error details. */
  pointer: string
  /** The field's leaf name (`premisesProof`), to name a file that came without a name. */
  field: string
  value: unknown
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Every value of the form's upload fields (`format: "data-url"` or lists of them) present in `data`, in
 * form order. Lists of objects are stepped through by index. Only the schema's upload fields count: a
 * text field that happens to hold `attachment:…` is text.
 */
export function uploadValues(schema: FormSchema, data: unknown): UploadValue[] {
  const out: UploadValue[] = []
  for (const field of attachmentFields(schema)) {
    const parts = field.path.split('.')
    const leaf = parts[parts.length - 1] as string
    const visit = (node: unknown, i: number, at: string[]): void => {
      if (i === parts.length) {
        if (field.multiple && Array.isArray(node)) node.forEach((v, k) => push([...at, String(k)], v))
        else if (node !== undefined) push(at, node)
        return
      }
      if (Array.isArray(node)) node.forEach((item, k) => visit(item, i, [...at, String(k)]))
      else if (isRecord(node) && Object.hasOwn(node, parts[i] as string))
        visit(node[parts[i] as string], i + 1, [...at, parts[i] as string])
    }
    const push = (at: string[], value: unknown): void => {
      out.push({
        path: at.join('.'),
        pointer: `/${at.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
        field: leaf,
        value,
      })
    }
    visit(data, 0, [])
  }
  return out
}

/**
 * A copy of `data` with the value at each dotted path (as {@link uploadValues} names them) replaced.
 * Objects and lists on the way are copied, everything else is shared.
 */
export function replaceValues(
  data: Record<string, unknown>,
  replacements: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const root: Record<string, unknown> = { ...data }
  for (const [path, value] of replacements) {
    const parts = path.split('.')
    let node: Record<string, unknown> | unknown[] = root
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1
      if (Array.isArray(node)) {
        const k = Number(part)
        if (last) node[k] = value
        else node = node[k] = copy(node[k])
      } else if (last) {
        node[part] = value
      } else {
        node = node[part] = copy(node[part])
      }
    }
  }
  return root
}

function copy(v: unknown): Record<string, unknown> | unknown[] {
  return Array.isArray(v) ? [...(v as unknown[])] : { ...(v as Record<string, unknown>) }
}

export type DecodedDataUrl =
  | { ok: true; mediaType: string; filename: string | undefined; content: Buffer }
  | { ok: false; problem: string }

/**
 * Decodes an RFC 2397 data URL: its media type (lowercase, without parameters), the `name=` parameter
 * react-jsonschema-form adds, and the bytes (base64, or percent-encoded text).
 */
export function decodeDataUrl(url: string): DecodedDataUrl {
  const comma = url.indexOf(',')
  if (!url.startsWith('data:') || comma < 0) return { ok: false, problem: 'is not a data URL' }
  const params = url.slice(5, comma).split(';')
  const mediaType = (params.shift() ?? '').trim().toLowerCase()
  let base64 = false
  let filename: string | undefined
  for (const p of params) {
    if (p === 'base64') base64 = true
    else if (p.startsWith('name=')) filename = safeDecode(p.slice(5))
  }
  const payload = url.slice(comma + 1)
  if (base64) {
    const clean = payload.replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1)
      return { ok: false, problem: 'has invalid base64 content' }
    return { ok: true, mediaType, filename, content: Buffer.from(clean, 'base64') }
  }
  const text = safeDecode(payload)
  if (text === undefined) return { ok: false, problem: 'has invalid percent-encoded content' }
  return { ok: true, mediaType, filename, content: Buffer.from(text, 'utf8') }
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s)
  } catch {
    return undefined
  }
}

/** Whether `content` starts the way files of `mediaType` do (magic numbers), so a type cannot be faked. */
export function contentMatches(mediaType: AttachmentMediaType, content: Uint8Array): boolean {
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => content[i] === b)
  const ascii = (s: string, at = 0): boolean => [...s].every((c, i) => content[at + i] === c.charCodeAt(0))
  switch (mediaType) {
    case 'application/pdf':
      return ascii('%PDF-')
    case 'application/ofd':
      // OFD (GB/T 33190) is a ZIP container.
      return starts(0x50, 0x4b, 0x03, 0x04)
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff)
    case 'image/webp':
      return ascii('RIFF') && ascii('WEBP', 8)
  }
}

/**
 * Checks a file's media type, size and content against the rules for attachments.
 * @returns the problem in a few words (for error messages), or undefined when acceptable
 */
export function fileProblem(
  mediaType: string,
  content: Uint8Array,
  maxBytes: number,
): { kind: 'type' | 'size' | 'empty' | 'content'; message: string } | undefined {
  if (!isAttachmentMediaType(mediaType)) {
    return {
      kind: 'type',
      message: `has media type ${JSON.stringify(mediaType)}; accepted are ${ATTACHMENT_MEDIA_TYPES.join(', ')}`,
    }
  }
  if (content.length === 0) return { kind: 'empty', message: 'is empty' }
  if (content.length > maxBytes)
    return { kind: 'size', message: `is ${content.length} bytes, more than the ${maxBytes} allowed` }
  if (!contentMatches(mediaType, content))
    return { kind: 'content', message: `does not look like ${mediaType} content` }
  return undefined
}

/**
 * The name a file is stored under: the last segment of what the client sent (no directories), without
 * control characters, at most 255 characters; `fallback.<ext>` when nothing usable remains.
 */
export function storedFilename(
  name: string | undefined,
  mediaType: AttachmentMediaType,
  fallback: string,
): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  if (clean === '' || clean === '.' || clean === '..')
    return `${fallback}.${ATTACHMENT_EXTENSIONS[mediaType]}`
  return [...clean].slice(0, 255).join('')
}
