/**
 * The scheduler: durable jobs and timers for every module, in one table on either dialect.
 *
 * An owner schedules jobs in its own transaction (so a job exists exactly when the change that wants it
 * committed) and registers one handler per kind. A worker claims due jobs (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, one writer on SQLite), then runs each: the handler's `prepare` outside any transaction,
 * its `run` inside the transaction that also marks the job done, and only while this worker still
 * holds the job's lease. So with any number of server processes a job's changes commit exactly once.
 *
 * A handler that throws is retried with exponential backoff and, after `maxAttempts`, dead-lettered:
 * logged, counted on `/metrics`, listed for administrators, who may send it back. Only
 * {@link JobObsolete} retires a job without running it. Every outcome is a ledger event in the job's
 * region's log, so the audit replays the table.
 * @module
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import { actorOf, subjectOf, type LedgerEvent, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import {
  DEFAULT_MAX_ATTEMPTS,
  JOB_STATUSES,
  JobContended,
  JobObsolete,
  LEASE_MS,
  afterFailure,
  errorText,
  type Job,
  type JobHandler,
  type JobStatus,
  type NewJob,
} from './scheduler.model.js'
import { schedulerReplayer } from './scheduler.replayer.js'
import * as store from './scheduler.store.js'

/** Jobs claimed per statement. */
const CLAIM_BATCH = 20
/** Jobs one `job.scheduled` event lists at most. */
const SCHEDULED_PER_EVENT = 50
/** Jobs one `runDue` call works through at most (the next call goes on). */
const MAX_PER_RUN = 10_000

export interface SchedulerLogger {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** What one `runDue` call did. */
export interface RunResult {
  done: number
  failed: number
  dead: number
  cancelled: number
}

/** Where an owner's jobs belong: the region whose log records them, and what they are about. */
export interface JobOwner {
  regionCode: string
  subject: string
}

export interface JobList {
  jobs: (Job & { kindLabel: { zh: string; en: string } })[]
  total: number
  /** Jobs in each status in the caller's region subtree (whatever the filter). */
  counts: Record<JobStatus, number>
}

/** A job's handler ran, but another worker took the job over meanwhile (its lease ran out). */
class LeaseLost extends Error {}

export class SchedulerService {
  private readonly handlers = new Map<string, JobHandler<any, any>>()
  /** This worker's name on the jobs it holds. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  private log: SchedulerLogger = { warn: () => {}, error: () => {} }
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined
  /** Totals since this process started, for `/metrics`. */
  readonly totals: Record<'done' | 'failed' | 'dead' | 'cancelled', number> = {
    done: 0,
    failed: 0,
    dead: 0,
    cancelled: 0,
  }

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    /** Wall-clock time for leases (the platform clock may be manual). */
    private readonly wallNow: () => number = Date.now,
  ) {}

  setLogger(log: SchedulerLogger): void {
    this.log = log
  }

  /** Registers the handler of one kind of job (once per kind). */
  register<P, R>(handler: JobHandler<P, R>): void {
    if (this.handlers.has(handler.kind)) {
      throw new Error(`a handler for jobs of kind ${handler.kind} is already registered`)
    }
    this.handlers.set(handler.kind, handler)
  }

  /** Display names of the registered kinds. */
  kinds(): { kind: string; label: { zh: string; en: string } }[] {
    return [...this.handlers.values()].map((h) => ({
      kind: h.kind,
      label: h.label ?? { zh: h.kind, en: h.kind },
    }))
  }

  // ---- owners ------------------------------------------------------------------------------------

  /**
   * Schedules jobs in the owner's transaction, with one ledger event for those it created (a job whose
   * kind and key exist already is left as it is). @returns the jobs created
   */
  async schedule(trx: Executor, where: JobOwner, jobs: readonly NewJob[]): Promise<string[]> {
    const { ids, events } = await this.scheduleRows(trx, where, jobs)
    if (events.length) await this.ledger.appendMany(trx, events)
    return ids
  }

  /**
   * Inserts the jobs' rows and returns the ledger events that record them, for an owner that appends
   * them with its own events in one append (the owner must append them in the same transaction).
   */
  async scheduleRows(
    trx: Executor,
    where: JobOwner,
    jobs: readonly NewJob[],
  ): Promise<{ ids: string[]; events: LedgerEvent[] }> {
    if (!jobs.length) return { ids: [], events: [] }
    const now = this.clock.now()
    const rows = jobs.map((j) => {
      const id = randomUUID()
      return {
        job: {
          id,
          kind: j.kind,
          key: j.key ?? id,
          dueAt: j.dueAt,
          maxAttempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          // As stored (JSON: no undefined), which is what the replay compares.
          payload: JSON.parse(JSON.stringify(j.payload ?? null)) as unknown,
        },
        row: {
          id,
          kind: j.kind,
          key: j.key ?? id,
          payload: JSON.stringify(j.payload ?? null),
          region_code: where.regionCode,
          due_at: j.dueAt,
          status: 'pending' as const,
          attempts: 0,
          max_attempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          last_error: null,
          lease_owner: null,
          lease_until: null,
          created_at: now,
          finished_at: null,
        },
      }
    })
    const inserted = await store.insertJobs(
      trx,
      rows.map((r) => r.row),
    )
    const created = rows.filter((r) => inserted.has(r.row.id)).map((r) => r.job)
    const events: LedgerEvent[] = []
    // One event per batch of jobs (a leaf stays well under the ledger's size limit).
    for (let i = 0; i < created.length; i += SCHEDULED_PER_EVENT)
      events.push({
        type: 'job.scheduled',
        subject: where.subject,
        regionCode: where.regionCode,
        actor: actorOf(SYSTEM),
        data: { regionCode: where.regionCode, jobs: created.slice(i, i + SCHEDULED_PER_EVENT) },
      })
    return { ids: created.map((j) => j.id), events }
  }

  /** Withdraws the waiting jobs of a kind with these keys, in the owner's transaction. @returns their ids */
  async cancel(
    trx: Executor,
    where: JobOwner,
    kind: string,
    keys: readonly string[],
    reason: string,
  ): Promise<string[]> {
    const { ids, events } = await this.cancelRows(trx, where, kind, keys, reason)
    if (events.length) await this.ledger.appendMany(trx, events)
    return ids
  }

  /** As {@link cancel}, returning the ledger event for the owner to append (see {@link scheduleRows}). */
  async cancelRows(
    trx: Executor,
    where: JobOwner,
    kind: string,
    keys: readonly string[],
    reason: string,
  ): Promise<{ ids: string[]; events: LedgerEvent[] }> {
    const ids = await store.cancelByKeys(trx, kind, keys, this.clock.now())
    const events: LedgerEvent[] = ids.length
      ? [
          {
            type: 'job.cancelled',
            subject: where.subject,
            regionCode: where.regionCode,
            actor: actorOf(SYSTEM),
            data: { ids, reason },
          },
        ]
      : []
    return { ids, events }
  }

  /** The job of a kind with a key, if scheduled. */
  findByKey(kind: string, key: string): Promise<Job | undefined> {
    return store.findByKey(this.db, kind, key)
  }

  /** Which of these keys of a kind have a job (whatever its status). */
  existingKeys(kind: string, keys: readonly string[]): Promise<Set<string>> {
    return store.existingKeys(this.db, kind, keys)
  }

  // ---- workers -----------------------------------------------------------------------------------

  /** Runs due jobs every `intervalMs` (the system clock; a manual clock runs them on advance). */
  start(intervalMs: number, onError: (err: unknown) => void): void {
    if (intervalMs <= 0 || this.timer) return
    this.timer = setInterval(() => {
      if (this.running) return
      this.running = this.runDue()
        .catch(onError)
        .finally(() => {
          this.running = undefined
        })
    }, intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }

  /** Claims and runs every job due at `now`, one at a time. */
  async runDue(now = this.clock.now()): Promise<RunResult> {
    const result: RunResult = { done: 0, failed: 0, dead: 0, cancelled: 0 }
    let handled = 0
    while (handled < MAX_PER_RUN) {
      const claimed = await store.claimDue(
        this.db,
        now,
        this.wallNow(),
        this.owner,
        this.wallNow() + LEASE_MS,
        CLAIM_BATCH,
      )
      if (!claimed.length) break
      for (const job of claimed) {
        handled++
        const outcome = await this.runOne(job, now)
        if (outcome !== 'contended' && outcome !== 'lost') {
          result[outcome]++
          this.totals[outcome]++
        }
      }
    }
    return result
  }

  /**
   * Runs these jobs now, if they are due and nobody has claimed them: for an owner that scheduled work
   * in its transaction and wants it done before it answers (it stays scheduled, and is retried, if
   * this run fails or the process stops first).
   */
  async runNow(ids: readonly string[], now = this.clock.now()): Promise<RunResult> {
    const result: RunResult = { done: 0, failed: 0, dead: 0, cancelled: 0 }
    const claimed = await store.claimByIds(this.db, ids, now, this.owner, this.wallNow() + LEASE_MS)
    for (const job of claimed) {
      const outcome = await this.runOne(job, now)
      if (outcome !== 'contended' && outcome !== 'lost') {
        result[outcome]++
        this.totals[outcome]++
      }
    }
    return result
  }

  private async runOne(
    job: Job,
    now: number,
  ): Promise<'done' | 'failed' | 'dead' | 'cancelled' | 'contended' | 'lost'> {
    const handler = this.handlers.get(job.kind)
    try {
      if (!handler) throw new Error(`no handler is registered for jobs of kind ${job.kind}`)
      const prepared: unknown = handler.prepare ? await handler.prepare(job, now) : undefined
      await this.db.transaction().execute(async (trx) => {
        await handler.run(trx, job, prepared, now)
        if (!(await store.complete(trx, job.id, this.owner, now))) throw new LeaseLost()
        await this.append(trx, job, 'job.completed', { id: job.id, attempt: job.attempts })
      })
      return 'done'
    } catch (err) {
      if (err instanceof LeaseLost) return 'lost'
      if (err instanceof JobContended) {
        await store.release(this.db, job.id, this.owner, { status: 'pending', uncount: true })
        return 'contended'
      }
      if (err instanceof JobObsolete) {
        await this.db.transaction().execute(async (trx) => {
          if (!(await store.release(trx, job.id, this.owner, { status: 'cancelled', finishedAt: now })))
            return
          await this.append(trx, job, 'job.cancelled', { ids: [job.id], reason: err.message })
        })
        return 'cancelled'
      }
      return this.fail(job, now, err)
    }
  }

  /** Records a failed attempt: retried after a backoff, or dead after the last one. */
  private async fail(job: Job, now: number, err: unknown): Promise<'failed' | 'dead'> {
    const error = errorText(err)
    const next = afterFailure(job.attempts, job.maxAttempts, now)
    await this.db.transaction().execute(async (trx) => {
      if (next.status === 'dead') {
        if (
          !(await store.release(trx, job.id, this.owner, {
            status: 'dead',
            lastError: error,
            finishedAt: now,
          }))
        )
          return
        await this.append(trx, job, 'job.dead', { id: job.id, attempt: job.attempts, error })
      } else {
        if (
          !(await store.release(trx, job.id, this.owner, {
            status: 'failed',
            lastError: error,
            dueAt: next.dueAt,
          }))
        )
          return
        await this.append(trx, job, 'job.failed', {
          id: job.id,
          attempt: job.attempts,
          error,
          retryAt: next.dueAt,
        })
      }
    })
    const fields = { job: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts, err }
    if (next.status === 'dead') this.log.error(fields, 'job is dead after its last attempt')
    else this.log.warn({ ...fields, retryAt: next.dueAt }, 'job attempt failed; it will be retried')
    return next.status
  }

  private async append(trx: Executor, job: Job, type: string, data: Record<string, unknown>): Promise<void> {
    await this.ledger.append(trx, {
      type,
      subject: subjectOf('job', job.id),
      regionCode: job.regionCode,
      actor: actorOf(SYSTEM),
      data,
    })
  }

  // ---- administrators ----------------------------------------------------------------------------

  /** Jobs in the caller's region subtree, newest first. @throws FORBIDDEN */
  async list(
    principal: Principal,
    query: { status?: JobStatus; kind?: string; limit?: number; offset?: number },
  ): Promise<JobList> {
    assertCan(principal, 'scheduler.read')
    const [page, counts] = await Promise.all([
      store.listJobs(this.db, {
        region: principal.regionCode,
        ...(query.status ? { status: query.status } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        limit: query.limit ?? 50,
        offset: query.offset ?? 0,
      }),
      this.counts(principal.regionCode),
    ])
    return {
      jobs: page.jobs.map((j) => ({ ...j, kindLabel: this.labelOf(j.kind) })),
      total: page.total,
      counts,
    }
  }

  private labelOf(kind: string): { zh: string; en: string } {
    return this.handlers.get(kind)?.label ?? { zh: '其他任务', en: kind }
  }

  /**
   * Sends a failed or dead job back to the queue, due now, with a fresh set of attempts (after its
   * cause was fixed). @throws NOT_FOUND, FORBIDDEN (outside the caller's region), CONFLICT (not failed
   * or dead)
   */
  async retry(principal: Principal, id: string): Promise<JobList['jobs'][number]> {
    assertCan(principal, 'scheduler.manage')
    const job = await store.findJob(this.db, id)
    if (!job) throw notFound('job', id)
    assertCan(principal, 'scheduler.manage', { regionCode: job.regionCode })
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.requeue(trx, id, now))) {
        throw new AppError(
          'CONFLICT',
          `job ${id} is ${job.status}; only a failed or dead job can be retried`,
          {
            details: { status: job.status },
          },
        )
      }
      await this.ledger.append(trx, {
        type: 'job.retried',
        subject: subjectOf('job', id),
        regionCode: job.regionCode,
        actor: actorOf(principal),
        data: { id, dueAt: now },
      })
    })
    const requeued = (await store.findJob(this.db, id)) as Job
    return { ...requeued, kindLabel: this.labelOf(requeued.kind) }
  }

  /** Jobs in each status in a region subtree (every region by default: `/metrics`). */
  async counts(region = ''): Promise<Record<JobStatus, number>> {
    const counts = await store.countByStatus(this.db, region)
    return Object.fromEntries(JOB_STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<JobStatus, number>
  }

  /** The soonest due time of a waiting job. */
  nextDue(): Promise<number | undefined> {
    return store.nextDue(this.db)
  }

  replayer(): Replayer {
    return schedulerReplayer(() => store.listAllJobs(this.db))
  }
}
