/**
 * Ledger events of cases (办件) and their tasks. Every event's data carries `case` (the case id); form
 * contents and comments appear only as salted commitments.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const CASE_EVENTS = {
  'case.submitted': 'a case was submitted (commitment to the form, files by SHA-256)',
  'case.accepted': 'a case was accepted (受理), automatically or by an official',
  'case.incident': 'the process hit an incident (a failing data lookup)',
  'case.completed': 'a case ended with approval (办结)',
  'case.rejected': 'a case ended with rejection',
  'task.created': 'a task was opened for a department or the applicant',
  'task.completed': 'a task was completed with an outcome',
  'task.cancelled': 'a task was cancelled (boundary timer, termination)',
  'task.claimed': 'an official claimed a task',
  'task.released': 'a task was released back to its department',
  'task.reassigned': 'a supervisor reassigned a task',
  'task.escalated': 'an overdue task was escalated',
  'sla.warned': 'a task neared its time limit',
  'sla.breached': 'a task passed its time limit',
} as const satisfies EventDeclarations

interface TaskRef {
  case: string
  task: string
  node: string
}

/** Data of each case event. */
export interface CaseEventData {
  'case.submitted': {
    case: string
    matter: string
    version: number
    channel: 'online' | 'window'
    /** The applicant's account, the case's region and its promised due date (recorded since the scheduler). */
    applicant?: string
    region?: string
    dueAt?: number
    /** The `calendar.holidays@N` that computed `dueAt` (recorded since the holiday-calendar policy). */
    calendar?: string
    data: string
    attachments: { path: string; sha256: string }[]
    /**
     * Salted commitment to the paths and sources that differ from the records (`discrepancyCommitment`);
     * entries written before it list them in the clear.
     */
    discrepancies: string | { path: string; source: string }[]
    window: boolean
  }
  'case.accepted': { case: string; automatic: boolean }
  'case.incident': { case: string; node: string; kind: string }
  'case.completed': { case: string; endEvent: string }
  'case.rejected': { case: string; endEvent: string }
  'task.created': TaskRef & {
    department: string | null
    dueAt: number | null
    /** The `calendar.holidays@N` that computed `dueAt`, when there is one (since the calendar policy). */
    calendar?: string
  }
  'task.completed': TaskRef & {
    department: string | null
    outcome: string
    comment: string | null
    changedFields: string[]
    data?: string
    attachments?: { path: string; sha256: string }[]
  }
  'task.cancelled': TaskRef & { reason: string }
  'task.claimed': TaskRef & { assignee: string | null }
  'task.released': TaskRef & { assignee: string | null }
  'task.reassigned': TaskRef & { assignee: string | null }
  'task.escalated': TaskRef & { to: unknown; taskOpen: boolean }
  'sla.warned': TaskRef & { taskDueAt: number }
  'sla.breached': TaskRef & { taskDueAt: number }
}
