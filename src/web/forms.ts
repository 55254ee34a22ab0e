/**
 * Helpers for the matters' JSON Schema forms (draft-07, Chinese titles), shared by the form renderer
 * (react-jsonschema-form, loaded lazily) and the read-only views: titles and option labels along a
 * path, files (attachment references, and the inline data URLs older cases hold), paths and nested
 * values, and the difference between two versions of a form. Nothing here imports rjsf, so pages can
 * use it without loading the form chunk.
 */
import { ATTACHMENT_EXTENSIONS, isAttachmentMediaType } from '../shared/attachments.js'
import type { AttachmentMediaType } from '../shared/attachments.js'

/** The parts of a JSON Schema the UI reads. */
export interface JsonSchema {
  type?: string | string[]
  title?: string
  description?: string
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  required?: string[]
  oneOf?: JsonSchema[]
  anyOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  format?: string
  maxLength?: number
  minItems?: number
  uniqueItems?: boolean
  [key: string]: unknown
}

export type FormData = Record<string, unknown>

export function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The sub-schema at a path of property names and array indices, or null. */
export function schemaAt(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema | null {
  let node: JsonSchema | undefined = schema
  for (const part of path) {
    if (!node) return null
    if (typeof part === 'number' || /^\d+$/.test(part)) node = node.items
    else node = node.properties?.[part]
  }
  return node ?? null
}

/** Titles along a path (`['personnel', 'supervisor', 'name']` → `['主要人员', '监事', '姓名']`), array indices as `#n`. */
export function titlesAt(schema: JsonSchema, path: readonly (string | number)[]): string[] {
  const out: string[] = []
  let node: JsonSchema | undefined = schema
  for (const part of path) {
    if (typeof part === 'number' || /^\d+$/.test(String(part))) {
      node = node?.items
      out.push(`#${Number(part) + 1}`)
    } else {
      node = node?.properties?.[part]
      out.push(node?.title ?? String(part))
    }
  }
  return out
}

/** A readable label for a dotted or slash path: the titles joined by ` · `. */
export function fieldLabel(schema: JsonSchema, path: string | readonly (string | number)[]): string {
  const parts = typeof path === 'string' ? path.split(/[./]/).filter(Boolean) : path
  return titlesAt(schema, parts).join(' · ')
}

/** The `{const, title}` options of a schema (`oneOf` / `anyOf` of consts, or `enum`). */
export function optionsOf(schema: JsonSchema | null | undefined): { value: unknown; title: string }[] | null {
  if (!schema) return null
  const list = schema.oneOf ?? schema.anyOf
  if (list && list.length > 0 && list.every((o) => 'const' in o)) {
    return list.map((o) => ({ value: o.const, title: o.title ?? String(o.const) }))
  }
  if (schema.enum) return schema.enum.map((v) => ({ value: v, title: String(v) }))
  return null
}

/** The label of an option value, or the value itself. */
export function optionTitle(schema: JsonSchema | null | undefined, value: unknown): string {
  const found = optionsOf(schema)?.find((o) => o.value === value)
  return found ? found.title : String(value)
}

export function isFileSchema(schema: JsonSchema | null | undefined): boolean {
  if (!schema) return false
  if (schema.format === 'data-url') return true
  return schema.type === 'array' && schema.items?.format === 'data-url'
}

/** A data-URL file (`data:<type>;name=<name>;base64,<data>`): its name, type and size in bytes. */
export interface FileInfo {
  name: string
  type: string
  size: number
  dataUrl: string
}

export function parseDataUrl(dataUrl: string): FileInfo | null {
  const match = /^data:([^;,]*)((?:;[^;,]*)*?);base64,(.*)$/s.exec(dataUrl)
  if (!match) return null
  const type = match[1] || 'application/octet-stream'
  let name = ''
  for (const param of (match[2] ?? '').split(';')) {
    if (param.startsWith('name=')) {
      try {
        name = decodeURIComponent(param.slice(5))
      } catch {
        name = param.slice(5)
      }
    }
  }
  const data = match[3] ?? ''
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
  return { name: name || type, type, size: Math.max(0, Math.floor((data.length * 3) / 4) - padding), dataUrl }
}

/** Saves a data-URL file under its name (through a Blob: browsers refuse to navigate to data: URLs). */
export function downloadDataUrl(file: FileInfo): void {
  const comma = file.dataUrl.indexOf(',')
  const binary = atob(file.dataUrl.slice(comma + 1))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  downloadBlob(new Blob([bytes], { type: file.type }), file.name)
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * The media type a picked file is uploaded as: what the browser says, or (browsers know no type for
 * OFD, and some none at all) what its extension says; null when the platform does not take it.
 */
export function uploadMediaType(file: { name: string; type: string }): AttachmentMediaType | null {
  const declared = file.type.toLowerCase()
  if (isAttachmentMediaType(declared)) return declared
  const ext = file.name.toLowerCase().split('.').pop() ?? ''
  const byExt = (Object.entries(ATTACHMENT_EXTENSIONS) as [AttachmentMediaType, string][]).find(
    ([, e]) => e === ext || (ext === 'jpeg' && e === 'jpg'),
  )
  return byExt ? byExt[0] : null
}

/** The first 12 hex digits of a SHA-256: enough to compare by eye with the ledger or `sha256sum`. */
export function shortSha(sha256: string): string {
  return sha256.slice(0, 12)
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** The value at a path inside form data. */
export function getIn(data: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = data
  for (const part of path) {
    if (Array.isArray(node)) node = node[Number(part)]
    else if (isRecord(node)) node = node[String(part)]
    else return undefined
  }
  return node
}

/**
 * The schema restricted to what `data` holds (an official sees only their step's fields): top-level
 * properties that are absent are dropped, and so are the requirements on them.
 */
export function restrictSchema(schema: JsonSchema, data: FormData): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (key in data) properties[key] = sub
  }
  return { ...schema, properties, required: (schema.required ?? []).filter((k) => k in data) }
}

/** Top-level properties whose value differs (for a supplement: only what the applicant changed). */
export function changedTopLevel(before: FormData, after: FormData): FormData {
  const out: FormData = {}
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key])) out[key] = value
  }
  return out
}

/** Number of leaf values in form data (what prefill filled in, for the banner). */
export function countLeaves(data: unknown): number {
  if (Array.isArray(data)) return data.reduce<number>((n, v) => n + countLeaves(v), 0)
  if (isRecord(data)) return Object.values(data).reduce<number>((n, v) => n + countLeaves(v), 0)
  return data === undefined || data === null || data === '' ? 0 : 1
}

/**
 * A copy of the schema in which every plain boolean (a checkbox: on or off) defaults to `false`, so
 * an untouched required checkbox is an answer, not a missing value. Booleans with a `const` (a
 * declaration that must be ticked) stay without a default.
 */
export function withBooleanDefaults(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema }
  if (schema.type === 'boolean' && !('const' in schema) && !('default' in schema)) out.default = false
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, withBooleanDefaults(v)]),
    )
  }
  if (schema.items) out.items = withBooleanDefaults(schema.items)
  return out
}
