/**
 * Case rules: the status a case shows for its workflow state, where a task's department sits, which
 * submitted values contradict the records, and the form's field paths in error details; and the
 * case and task objects the store returns. Pure.
 * @module
 */
import type { CaseStatus, TaskView } from '../../../shared/api.js'
import { REGION_CODE_LENGTH, type RegionLevel } from '../../../shared/domain.js'
import type { InstanceState, JsonObject } from '../workflow/engine/index.js'
import { prefillFields, type FormSchema } from '../catalog/index.js'
import { valueAtPath } from '../../../shared/dotted-path.js'
import { commitment } from '../ledger/formats/index.js'

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
  // The step's assigned role (xzt:role) says it is the window's acceptance, not who is calling.
  // eslint-disable-next-line no-restricted-syntax
  if (tasks.some((t) => t.assignment.kind === 'department' && t.assignment.role === 'clerk'))
    return 'submitted'
  if (tasks.length > 0) return 'in_progress'
  return 'accepted'
}

/** A submitted value contradicting the authoritative record it prefills from. */
export interface Discrepancy {
  path: string
  source: string
  recordKey: string
}

/**
 * A case (办件) as the module works with it: the `case_file` row with its JSON columns parsed and
 * its times as numbers (the store converts, in one place each way). Field names are the columns'.
 */
export interface CaseFile {
  id: string
  matter_code: string
  matter_version: number
  applicant_id: string
  region_code: string
  channel: 'online' | 'window'
  /** What {@link caseStatusOf} said of the instance state when it was last written. */
  status: CaseStatus
  /** The form data: personal, never in the ledger (which holds its salted commitment). */
  data: JsonObject
  salt: string
  /** The workflow engine's instance state. */
  instance: InstanceState
  /** The instance state's revision: optimistic concurrency for every workflow command. */
  revision: number
  /** Submitted values contradicting a record, found at submission. */
  discrepancies: Discrepancy[]
  submitted_by: string
  submitted_at: number
  accepted_at: number | null
  completed_at: number | null
  due_at: number
  trips: number
  updated_at: number
}

/** A task of a case (a user task of its process, open or closed), the `case_task` row parsed. */
export interface CaseTask {
  id: string
  case_id: string
  node_id: string
  name: string | null
  kind: 'department' | 'applicant'
  department_id: string | null
  role: string | null
  status: 'open' | 'completed' | 'cancelled'
  outcome: string | null
  comment: string | null
  /** The form fields the step sees (`*`: all of them). */
  fields: string[]
  /** The outcomes the step allows. */
  outcomes: string[]
  iteration: number
  /** `ok`, `warned` or `breached`. */
  sla: string
  assignee_id: string | null
  created_at: number
  due_at: number | null
  completed_at: number | null
  /** Ledger position of the event that closed the task (or opened it while open). */
  ledger_log: string | null
  ledger_index: number | null
}

/** What changes on a task after it is created (its fields and outcomes are the step's, for good). */
export type CaseTaskPatch = Partial<
  Pick<
    CaseTask,
    'status' | 'outcome' | 'comment' | 'sla' | 'assignee_id' | 'completed_at' | 'ledger_log' | 'ledger_index'
  >
>

/** A case's timeline event (the `case_event` row parsed), with the ledger position of its entry. */
export interface CaseEvent {
  id: string
  case_id: string
  type: string
  at: number
  actor_id: string
  task_id: string | null
  data: Record<string, unknown>
  ledger_log: string
  ledger_index: number
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

/** The sources whose records a submission is compared with: those of `x-verify` fields the citizen has a record of. */
export function discrepancySources(formSchema: FormSchema, records: readonly { source: string }[]): string[] {
  const held = new Set(records.map((r) => r.source))
  return [
    ...new Set(
      prefillFields(formSchema)
        .filter((f) => f.verify && held.has(f.source))
        .map((f) => f.source),
    ),
  ]
}

/**
 * What the ledger's `case.submitted` event holds of the discrepancies: a salted commitment (with the
 * case's salt) to their paths and sources. The ledger is public, and which of a person's fields differ
 * from the household record is theirs; the commitment still proves what was flagged when.
 */
export function discrepancyCommitment(list: readonly Discrepancy[], salt: string): string {
  return commitment({ discrepancies: list.map((d) => ({ path: d.path, source: d.source })) }, salt)
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

/**
 * The discrepancies among `fields` (as a step sees them: `*`, a field, or a parent of it): a handling
 * department learns only of the differing values it is shown.
 */
export function discrepanciesIn(
  list: readonly Discrepancy[],
  fields: 'all' | readonly string[],
): Discrepancy[] {
  if (fields === 'all' || fields.includes('*')) return [...list]
  return list.filter((d) => fields.some((f) => d.path === f || d.path.startsWith(`${f}.`)))
}

/** A task as the inbox shows it. */
export function toTaskView(t: CaseTask & { matter_code: string }): TaskView {
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
    outcomes: t.outcomes,
  }
}

/**
 * A case's facts as responsibility chains read them: who did what and when, each step against its time
 * limit, each with the ledger entry that proves it. System use (no scoping, no personal data: no form
 * values, only which record a submitted value contradicted).
 */
export interface CaseFacts {
  id: string
  matterCode: string
  matterVersion: number
  regionCode: string
  channel: 'online' | 'window'
  status: string
  applicantId: string
  submittedBy: string
  submittedAt: number
  acceptedAt: number | null
  completedAt: number | null
  dueAt: number
  discrepancies: { path: string; source: string; recordKey: string }[]
  tasks: {
    id: string
    nodeId: string
    name: string | null
    kind: 'department' | 'applicant'
    departmentId: string | null
    status: 'open' | 'completed' | 'cancelled'
    outcome: string | null
    /** The official's reason given with the outcome (a rejection's or a supplement request's why). */
    comment: string | null
    assigneeId: string | null
    createdAt: number
    dueAt: number | null
    completedAt: number | null
    sla: string
  }[]
  events: {
    type: string
    at: number
    actorId: string
    taskId: string | null
    data: Record<string, unknown>
    ledger: { log: string; index: number }
  }[]
}

/**
 * What an event records of the calendar that computed a due time: `{ calendar: 'calendar.holidays@N' }`
 * when there is a due time and a governed calendar computed it, else nothing.
 */
export function calendarOf(
  calendar: { readonly policyRef: string | null },
  dueAt: number | null | undefined,
): { calendar?: string } {
  const ref = calendar.policyRef
  return dueAt === null || dueAt === undefined || ref === null ? {} : { calendar: ref }
}
