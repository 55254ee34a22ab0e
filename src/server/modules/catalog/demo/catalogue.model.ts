/**
 * Types of the demo service catalogue (事项) and pure helpers over its files: validation of a
 * `matter.json`, and walks over a form's JSON Schema (field paths, prefill annotations, attachment
 * fields). No I/O; the loader is in `index.ts`.
 * @module
 */
import {
  DEPARTMENT_KINDS,
  REGION_LEVELS,
  type DepartmentKind,
  type RegionLevel,
} from '../../../../shared/domain.js'
import { UPLOAD_VALUE_PATTERN } from '../../../../shared/attachments.js'
import { IDENTITY_FORMATS } from '../../../../shared/identity-formats.js'
import { DATA_SOURCES, type DataSource } from '../../dataplatform/index.js'

export const CHANNELS = ['online', 'window'] as const
export type Channel = (typeof CHANNELS)[number]

export interface MatterMaterial {
  code: string
  /** Chinese name, as the citizen sees it. */
  name: string
  required: boolean
  /** The government holds it and fetches it itself (免提交): never an upload in the form. */
  fetchable: boolean
  /** The data-platform source a fetchable material comes from. */
  source?: DataSource
  /** For an uploaded material: the dotted path of its attachment field in the form. */
  field?: string
}

/** The contents of `matter.json` (current version) or `matter.v<N>.json` (an older version). */
export interface MatterDefinition {
  code: string
  name: string
  nameEn: string
  /** One or two sentences, Chinese. */
  description: string
  /** The level of the department that owns the matter. */
  ownerLevel: RegionLevel
  /** Department kinds involved, as in the process's user tasks. */
  departments: DepartmentKind[]
  materials: MatterMaterial[]
  /** 承诺时限: committed working days. */
  slaDays: number
  /** 法定时限: statutory working days (larger). */
  legalSlaDays: number
  channels: Channel[]
  fullyOnline: boolean
  /** 跑动次数: times the applicant must come in person at most. */
  trips: number
  version: number
  previousVersion?: number
}

/** Where a form field is prefilled from: a data-platform source and a dotted path in a record's data. */
export interface PrefillAnnotation {
  source: DataSource
  path: string
}

/** The subset of JSON Schema (draft-07) the demo forms use, plus the `x-` annotations. */
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
 * Formats the demo forms use beyond ajv-formats. `data-url` (react-jsonschema-form's name for upload
 * fields) accepts a reference to an uploaded attachment (`attachment:<uuid>`) or, for API clients, an
 * inline data URL, which the case service stores as an attachment on submission. `cn-id-number` and
 * `cn-uscc` check identity numbers by their standards' check characters (`shared/identity-formats.ts`).
 */
export const FORM_FORMATS = {
  'data-url': UPLOAD_VALUE_PATTERN,
  ...IDENTITY_FORMATS,
} as const

// ---------------------------------------------------------------------------------------------
// matter.json validation

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Checks the shape of a parsed `matter*.json` and returns it typed.
 * @param where file name used in error messages
 * @throws Error naming the file and the offending property
 */
export function parseMatterDefinition(json: unknown, where: string): MatterDefinition {
  if (!isRecord(json)) fail(where, 'not a JSON object')
  const str = (k: string): void => {
    if (typeof json[k] !== 'string' || json[k].trim() === '') fail(where, `${k} must be a non-empty string`)
  }
  const pos = (k: string, integer: boolean): void => {
    const v = json[k]
    if (typeof v !== 'number' || !(v >= 0) || (integer && !Number.isInteger(v)))
      fail(where, `${k} must be a non-negative ${integer ? 'integer' : 'number'}`)
  }
  for (const k of ['code', 'name', 'nameEn', 'description']) str(k)
  if (!/^[A-Z][A-Z0-9_]*$/.test(json.code as string))
    fail(where, `code ${String(json.code)} must be UPPER_SNAKE_CASE`)
  if (!(REGION_LEVELS as readonly unknown[]).includes(json.ownerLevel))
    fail(where, `ownerLevel ${String(json.ownerLevel)} is not a region level`)
  if (!Array.isArray(json.departments) || json.departments.length === 0)
    fail(where, 'departments must be a non-empty array')
  for (const d of json.departments)
    if (typeof d !== 'string' || !(d in DEPARTMENT_KINDS)) fail(where, `unknown department kind ${String(d)}`)
  if (!Array.isArray(json.materials)) fail(where, 'materials must be an array')
  json.materials.forEach((m: unknown, i) => {
    if (!isRecord(m)) fail(where, `materials[${i}] is not an object`)
    if (typeof m.code !== 'string' || typeof m.name !== 'string')
      fail(where, `materials[${i}] needs code and name`)
    if (typeof m.required !== 'boolean' || typeof m.fetchable !== 'boolean')
      fail(where, `materials[${i}] needs boolean required and fetchable`)
    if (m.source !== undefined && !(DATA_SOURCES as readonly unknown[]).includes(m.source))
      fail(where, `materials[${i}].source ${JSON.stringify(m.source)} is not a data-platform source`)
    if (m.field !== undefined && typeof m.field !== 'string')
      fail(where, `materials[${i}].field must be a string`)
  })
  pos('slaDays', false)
  pos('legalSlaDays', false)
  pos('trips', true)
  pos('version', true)
  if ((json.version as number) < 1) fail(where, 'version must be ≥ 1')
  if (json.previousVersion !== undefined) pos('previousVersion', true)
  if (
    !Array.isArray(json.channels) ||
    json.channels.length === 0 ||
    json.channels.some((c) => !(CHANNELS as readonly unknown[]).includes(c))
  )
    fail(where, `channels must be a non-empty subset of ${CHANNELS.join(', ')}`)
  if (typeof json.fullyOnline !== 'boolean') fail(where, 'fullyOnline must be a boolean')
  return json as unknown as MatterDefinition
}

// ---------------------------------------------------------------------------------------------
// Form-schema walks

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
