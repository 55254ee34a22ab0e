/**
 * Catalogue rules: what a matter is (its `matter.json`, checked by {@link parseMatterDefinition}), what
 * it looks like to its users, and how the data platform's records fill its form. Pure. Forms are in
 * `forms.model.ts`; other modules reach both through `index.ts`.
 * @module
 */
import type { MatterDetail, MatterSummary, PrefillResult } from '../../../shared/api.js'
import { valueAtPath } from '../../../shared/dotted-path.js'
import {
  DEPARTMENT_KINDS,
  REGION_LEVELS,
  type DepartmentKind,
  type RegionLevel,
} from '../../../shared/domain.js'
import { DATA_SOURCES, type DataSource } from '../dataplatform/index.js'
import { summarizeProcess, type ProcessDefinition } from '../workflow/engine/index.js'
import { prefillFields, type FormSchema } from './forms.model.js'

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
// Deployed versions, as users see them, and prefill

/** A deployed version: what the store keeps. */
export interface MatterVersionRecord {
  code: string
  version: number
  definition: MatterDefinition
  formSchema: FormSchema
  processXml: string
  process: ProcessDefinition
  deployedAt: number
  /** The staff member who published it; null for versions the system deployed (seeding, imports). */
  publishedBy: string | null
  /** The publishing team (the publisher's department): reform scores of the version go to it. */
  teamId: string | null
}

export function toSummary(v: MatterVersionRecord): MatterSummary {
  const d = v.definition
  const summary = summarizeProcess(v.process)
  return {
    code: d.code,
    name: d.name,
    nameEn: d.nameEn,
    description: d.description,
    version: v.version,
    ownerLevel: d.ownerLevel,
    departments: [...d.departments],
    slaDays: d.slaDays,
    legalSlaDays: d.legalSlaDays,
    channels: [...d.channels],
    fullyOnline: d.fullyOnline,
    trips: d.trips,
    process: {
      key: summary.key,
      steps: summary.userTasks.map((t) => ({
        id: t.id,
        name: t.name,
        departmentKind: t.assignment.kind === 'department' ? t.assignment.departmentKind : null,
        level: t.assignment.kind === 'department' ? t.assignment.level : null,
        applicant: t.assignment.kind === 'applicant',
        slaDays: t.slaDays,
      })),
      departments: summary.departments.map((x) => ({ departmentKind: x.departmentKind, level: x.level })),
      parallel: summary.parallel,
      supplement: summary.supplement,
    },
  }
}

export function toDetail(v: MatterVersionRecord, versions: number[]): MatterDetail {
  return {
    ...toSummary(v),
    formSchema: v.formSchema,
    materials: v.definition.materials.map((m) => ({ ...m })),
    versions,
  }
}

/** A record as prefill needs it. */
export interface PrefillRecord {
  source: string
  key: string
  ownerDepartmentKind: string
  data: Record<string, unknown>
  updatedAt: number
}

/**
 * Fills every `x-prefill` field of a form from the citizen's records (the first record of each
 * source), naming the record each value came from.
 */
export function prefillForm(formSchema: FormSchema, records: readonly PrefillRecord[]): PrefillResult {
  const bySource = new Map<string, PrefillRecord>()
  for (const r of records) if (!bySource.has(r.source)) bySource.set(r.source, r)
  const data: Record<string, unknown> = {}
  const sources: PrefillResult['sources'] = {}
  for (const field of prefillFields(formSchema)) {
    const record = bySource.get(field.source)
    const value = record ? valueAtPath(record.data, field.recordPath) : undefined
    if (!record || value === undefined || value === null) continue
    setAt(data, field.path, value)
    sources[field.path] = {
      source: record.source,
      department: record.ownerDepartmentKind,
      recordKey: record.key,
      path: field.recordPath,
      updatedAt: record.updatedAt,
      verify: field.verify,
    }
  }
  return { data, sources }
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let node = target
  for (const part of parts.slice(0, -1)) {
    const next = node[part]
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {}
    node = node[part] as Record<string, unknown>
  }
  node[parts[parts.length - 1] as string] = value
}
