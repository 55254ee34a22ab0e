/**
 * Catalogue rules: what a matter looks like to its users, and how the data platform's records fill a
 * form. Pure.
 * @module
 */
import type { MatterDetail, MatterSummary, PrefillResult } from '../../../shared/api.js'
import { summarizeProcess, type ProcessDefinition } from '../workflow/engine/index.js'
import { valueAtPath } from '../../../shared/dotted-path.js'
import { prefillFields, type FormSchema, type MatterDefinition } from './demo/catalogue.model.js'

export type { FormSchema, MatterDefinition }

/** A deployed version: what the store keeps. */
export interface MatterVersionRecord {
  code: string
  version: number
  definition: MatterDefinition
  formSchema: FormSchema
  processXml: string
  process: ProcessDefinition
  deployedAt: number
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
