/**
 * Case rules: the status a case shows for its workflow state, where a task's department sits, which
 * submitted values contradict the records, and the form's field paths in error details. Pure.
 * @module
 */
import type { Principal } from '../../access.js'
import type { CaseTaskTable } from '../../db/schema.js'
import type { CaseStatus, TaskView } from '../../../shared/api.js'
import { REGION_CODE_LENGTH, type RegionLevel } from '../../../shared/domain.js'
import type { InstanceState } from '../workflow/engine/index.js'
import { prefillFields, type FormSchema } from '../catalog/index.js'
import { valueAtPath } from '../../../shared/dotted-path.js'

/** Ancestor (or self) of `regionCode` at `level`; undefined when the code is above that level. */
export function regionAtLevel(regionCode: string, level: RegionLevel): string | undefined {
  const len = REGION_CODE_LENGTH[level]
  return regionCode.length >= len ? regionCode.slice(0, len) : undefined
}

/**
 * The status a case shows: terminal results first; then a citizen's supplement; a window clerk's
 * acceptance step still open means `submitted`; departments at work mean `in_progress`.
 */
export function caseStatusOf(state: InstanceState): CaseStatus {
  if (state.status === 'completed') return 'completed'
  if (state.status === 'rejected' || state.status === 'cancelled') return 'rejected'
  const tasks = Object.values(state.tasks)
  if (tasks.some((t) => t.assignment.kind === 'applicant')) return 'supplement_requested'
  if (tasks.some((t) => t.assignment.kind === 'department' && t.assignment.role === 'clerk'))
    return 'submitted'
  if (tasks.length > 0) return 'in_progress'
  return 'accepted'
}

export interface Discrepancy {
  path: string
  source: string
  recordKey: string
}

/** Submitted values of `x-verify` fields that differ from the authoritative record they prefill from. */
export function findDiscrepancies(
  formSchema: FormSchema,
  data: Record<string, unknown>,
  records: readonly { source: string; key: string; data: Record<string, unknown> }[],
): Discrepancy[] {
  const out: Discrepancy[] = []
  for (const field of prefillFields(formSchema)) {
    if (!field.verify) continue
    const record = records.find((r) => r.source === field.source)
    if (!record) continue
    const submitted = valueAtPath(data, field.path)
    const held = valueAtPath(record.data, field.recordPath)
    if (submitted === undefined || held === undefined || held === null) continue
    if (JSON.stringify(submitted) !== JSON.stringify(held))
      out.push({ path: field.path, source: record.source, recordKey: record.key })
  }
  return out
}

/** The first `creditCode` string in the form data (the input of credit-code lookups), depth first. */
export function findCreditCode(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined
  for (const [key, value] of Object.entries(data)) {
    if (key === 'creditCode' && typeof value === 'string') return value
    const inner = findCreditCode(value)
    if (inner) return inner
  }
  return undefined
}

/** Task roles a staff member works: their own; a supervisor also takes their officials' and clerks' tasks. */
export function workableRoles(p: Principal): string[] {
  const roles = new Set<string>(p.roles)
  if (roles.has('supervisor')) {
    roles.add('official')
    roles.add('clerk')
  }
  return [...roles]
}

/** A task row as the inbox shows it. */
export function toTaskView(t: CaseTaskTable & { matter_code: string }): TaskView {
  return {
    id: t.id,
    caseId: t.case_id,
    node: t.node_id,
    name: t.name,
    kind: t.kind,
    matterCode: t.matter_code,
    departmentId: t.department_id,
    assigneeId: t.assignee_id,
    createdAt: t.created_at,
    dueAt: t.due_at,
    sla: t.sla,
    outcomes: JSON.parse(t.outcomes) as string[],
  }
}
