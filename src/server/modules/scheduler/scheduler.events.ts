/**
 * Ledger events of the scheduler: every change of a job's meaning (scheduled, done, failed and when it
 * runs again, dead, cancelled, retried by an administrator) is on the ledger, in the job's region's log
 * and in the transaction that makes it. Claims (a worker's lease) are not: they change no outcome.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const SCHEDULER_EVENTS = {
  'job.scheduled': 'jobs or timers were scheduled',
  'job.completed': 'a job ran and its changes committed',
  'job.failed': 'an attempt of a job failed; it runs again later',
  'job.dead': 'every attempt of a job failed (dead letter)',
  'job.cancelled': 'jobs were withdrawn by their owner or found obsolete',
  'job.retried': 'an administrator sent a failed or dead job back to the queue',
} as const satisfies EventDeclarations

export interface ScheduledJobData {
  id: string
  kind: string
  key: string
  dueAt: number
  maxAttempts: number
  payload: unknown
}

/** Data of each scheduler event. */
export interface SchedulerEventData {
  'job.scheduled': { regionCode: string; jobs: ScheduledJobData[] }
  'job.completed': { id: string; attempt: number }
  'job.failed': { id: string; attempt: number; error: string; retryAt: number }
  'job.dead': { id: string; attempt: number; error: string }
  'job.cancelled': { ids: string[]; reason: string }
  'job.retried': { id: string; dueAt: number }
}
