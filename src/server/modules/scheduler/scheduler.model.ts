/**
 * The scheduler's pure part: what a job is, what a handler promises, how long a failed job waits before
 * its next attempt, and the errors a handler throws to say something other than "this failed".
 * @module
 */
import type { Executor } from '../../db/database.js'

import { SCHEDULER_JOB_STATUSES } from '../../../shared/api.js'

export const JOB_STATUSES = SCHEDULER_JOB_STATUSES
/**
 * - `pending`: waits for its due time;
 * - `running`: claimed by a worker (until `leaseUntil`);
 * - `done`: the handler's transaction committed;
 * - `failed`: the last attempt threw; it runs again at `dueAt` (backoff);
 * - `dead`: every attempt failed (dead letter): an administrator looks, fixes the cause and retries it;
 * - `cancelled`: its owner withdrew it, or the handler found it obsolete (the timer's task closed).
 */
export type JobStatus = (typeof JOB_STATUSES)[number]

/** Attempts before a job goes dead, unless its owner says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5
/** The first retry waits this long; each further one twice as long as the one before. */
export const BACKOFF_BASE_MS = 30_000
/** No retry waits longer than this. */
export const BACKOFF_MAX_MS = 3_600_000
/** A running job whose worker has not finished within this (wall-clock) time may be claimed again. */
export const LEASE_MS = 5 * 60_000
/** Kept of a failed attempt's error message. */
export const MAX_ERROR_LENGTH = 2000

export interface Job<P = unknown> {
  id: string
  kind: string
  /** Unique per kind; scheduling a second job with the same kind and key does nothing. */
  key: string
  payload: P
  /** Region whose log records the job's events (and whose administrators see it). */
  regionCode: string
  dueAt: number
  status: JobStatus
  attempts: number
  maxAttempts: number
  lastError: string | null
  leaseOwner: string | null
  leaseUntil: number | null
  createdAt: number
  finishedAt: number | null
}

/** A job as its owner asks for it. */
export interface NewJob {
  kind: string
  /** Defaults to the job's id (no deduplication). */
  key?: string
  payload: unknown
  dueAt: number
  maxAttempts?: number
}

/**
 * What a module registers for one kind of job. `prepare` reads what it needs outside any transaction
 * (through the root connection); `run` then makes the job's changes in the transaction that also marks
 * the job done, so a job's effects commit exactly once.
 */
export interface JobHandler<P = unknown, R = unknown> {
  readonly kind: string
  /** Display name of the kind (zh, en) for the admin list. */
  readonly label?: { zh: string; en: string }
  prepare?(job: Job<P>, now: number): Promise<R>
  run(trx: Executor, job: Job<P>, prepared: R, now: number): Promise<void>
}

/**
 * Thrown by a handler when the job no longer has anything to do (a timer whose task has closed). The
 * job is retired as `cancelled` with the reason. Any other error is a failure: retried, then dead.
 */
export class JobObsolete extends Error {
  override readonly name = 'JobObsolete'
}

/**
 * Thrown by a handler when what it read changed under it before it could commit (another writer won a
 * race): the job runs again at once and the attempt does not count.
 */
export class JobContended extends Error {
  override readonly name = 'JobContended'
}

/** How long a job waits after its `attempt`-th failure (1-based): exponential, capped. */
export function backoffMs(attempt: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30)
  return Math.min(BACKOFF_BASE_MS * 2 ** exponent, BACKOFF_MAX_MS)
}

/** The outcome of a failed attempt: retry at a time, or the dead letter. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  now: number,
): { status: 'failed'; dueAt: number } | { status: 'dead' } {
  return attempts >= maxAttempts ? { status: 'dead' } : { status: 'failed', dueAt: now + backoffMs(attempts) }
}

/** An error's message as a job keeps it (bounded). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text
}
