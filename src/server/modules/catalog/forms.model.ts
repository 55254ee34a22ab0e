/**
 * A matter's form: the subset of JSON Schema (draft-07) forms are written in, the `x-prefill` and
 * `x-verify` annotations, the formats forms use beyond ajv-formats, and pure walks over a form (field
 * paths, prefill fields, attachment fields). No I/O. Other modules reach these through `index.ts`.
 * @module
 */
import { UPLOAD_VALUE_PATTERN } from '../../../shared/attachments.js'
import { IDENTITY_FORMATS } from '../../../shared/identity-formats.js'
import type { DataSource } from '../dataplatform/index.js'

/** Where a form field is prefilled from: a data-platform source and a dotted path in a record's data. */
export interface PrefillAnnotation {
  source: DataSource
  path: string
}

/** The subset of JSON Schema (draft-07) forms use, plus the `x-` annotations. */
export interface FormSchema {
  $schema?: string
  type?: string
  title?: string
  description?: string
  properties?: Record<string, FormSchema>
  items?: FormSchema
  required?: string[]
  format?: string
  pattern?: string
  oneOf?: FormSchema[]
  allOf?: FormSchema[]
  const?: unknown
  enum?: unknown[]
  'x-prefill'?: PrefillAnnotation
  'x-verify'?: boolean
  [keyword: string]: unknown
}

/**
 * Formats forms use beyond ajv-formats. `data-url` (react-jsonschema-form's name for upload
 * fields) accepts a reference to an uploaded attachment (`attachment:<uuid>`) or, for API clients, an
 * inline data URL, which the case service stores as an attachment on submission. `cn-id-number` and
 * `cn-uscc` check identity numbers by their standards' check characters (`shared/identity-formats.ts`).
 */
export const FORM_FORMATS = {
  'data-url': UPLOAD_VALUE_PATTERN,
  ...IDENTITY_FORMATS,
} as const

/** The sub-schema at a dotted field path (array items are stepped through), or undefined. */
export function schemaAt(schema: FormSchema, path: string): FormSchema | undefined {
  let node: FormSchema | undefined = schema
  for (const part of path.split('.')) {
    while (node?.type === 'array' && node.items) node = node.items
    node = node?.properties?.[part]
    if (!node) return undefined
  }
  return node
}

export interface FormField {
  /** Dotted path, e.g. `company.name` (array items are not indexed). */
  path: string
  schema: FormSchema
  /** Whether the field is required by its parent object (unconditionally). */
  required: boolean
}

/** Every field of a form, depth first, objects before their children. */
export function formFields(schema: FormSchema): FormField[] {
  const out: FormField[] = []
  const visit = (node: FormSchema, prefix: string): void => {
    let obj = node
    while (obj.type === 'array' && obj.items) obj = obj.items
    for (const [key, child] of Object.entries(obj.properties ?? {})) {
      const path = prefix + key
      out.push({ path, schema: child, required: obj.required?.includes(key) ?? false })
      visit(child, `${path}.`)
    }
  }
  visit(schema, '')
  return out
}

export interface PrefillField {
  /** Dotted form path. */
  path: string
  source: DataSource
  /** Dotted path inside the record's data. */
  recordPath: string
  /** A submitted value differing from the record is a data discrepancy. */
  verify: boolean
}

/** The fields a form prefills from the data platform. */
export function prefillFields(schema: FormSchema): PrefillField[] {
  return formFields(schema)
    .filter((f) => f.schema['x-prefill'] !== undefined)
    .map((f) => {
      const p = f.schema['x-prefill'] as PrefillAnnotation
      return { path: f.path, source: p.source, recordPath: p.path, verify: f.schema['x-verify'] === true }
    })
}

export interface AttachmentField {
  path: string
  title: string
  /** An array of files rather than a single file. */
  multiple: boolean
  /** Required on every path from the form root (not counting conditional `if`/`then` requirements). */
  required: boolean
}

/** Upload fields (`format: data-url`, or an array of them). */
export function attachmentFields(schema: FormSchema): AttachmentField[] {
  const fields = formFields(schema)
  const requiredPath = (path: string): boolean => {
    const parts = path.split('.')
    return parts.every(
      (_, i) => fields.find((f) => f.path === parts.slice(0, i + 1).join('.'))?.required === true,
    )
  }
  return fields
    .filter(
      (f) =>
        f.schema.format === 'data-url' ||
        (f.schema.type === 'array' && f.schema.items?.format === 'data-url'),
    )
    .map((f) => ({
      path: f.path,
      title: f.schema.title ?? f.path,
      multiple: f.schema.type === 'array',
      required:
        requiredPath(f.path) &&
        (f.schema.type !== 'array' || ((f.schema.minItems as number | undefined) ?? 0) > 0),
    }))
}
