/**
 * SLA timers of cases on the scheduler: the engine's `timer.scheduled` effect becomes a `case.timer`
 * job (keyed by the timer's id) in the transaction of the step that opened the task, `timer.cancelled`
 * withdraws it, and the job's handler fires the timer through the workflow engine in the transaction
 * that completes the job.
 *
 * Only "this timer is no longer pending" (its task closed before it fell due) retires a job without
 * firing it. Anything else that goes wrong, such as an escalation to a department the region does not
 * have, fails the job: it is retried, then dead-lettered, logged and counted, never silently dropped.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SYSTEM } from '../../access.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../../shared/errors.js'
import { subjectOf, type LedgerEvent } from '../ledger/index.js'
import { JobContended, JobObsolete, type JobHandler } from '../scheduler/index.js'
import type { SchedulerService } from '../scheduler/scheduler.service.js'
import { fireTimer as engineFireTimer } from '../workflow/engine/index.js'
import type { CaseEngine, Prepared } from './cases.engine.js'
import * as store from './cases.store.js'

export const CASE_TIMER_JOB = 'case.timer'

export interface CaseTimerPayload {
  caseId: string
  timerId: string
}

/**
 * A case's timers as the scheduler keeps them: each call writes the job rows and returns the ledger
 * events recording them, which the engine appends with the step's own events (one append per step).
 */
export interface CaseTimerJobs {
  schedule(
    trx: Executor,
    c: { id: string; regionCode: string },
    timers: { id: string; dueAt: number }[],
  ): Promise<LedgerEvent[]>
  cancel(trx: Executor, c: { id: string; regionCode: string }, timerIds: string[]): Promise<LedgerEvent[]>
}

/** What the engine calls to schedule and withdraw a case's timers. */
export function caseTimerJobs(scheduler: SchedulerService): CaseTimerJobs {
  const owner = (c: { id: string; regionCode: string }) => ({
    regionCode: c.regionCode,
    subject: subjectOf('case', c.id),
  })
  return {
    async schedule(trx, c, timers) {
      const { events } = await scheduler.scheduleRows(
        trx,
        owner(c),
        timers.map((t) => ({
          kind: CASE_TIMER_JOB,
          key: t.id,
          dueAt: t.dueAt,
          payload: { caseId: c.id, timerId: t.id } satisfies CaseTimerPayload,
        })),
      )
      return events
    },
    async cancel(trx, c, timerIds) {
      const { events } = await scheduler.cancelRows(
        trx,
        owner(c),
        CASE_TIMER_JOB,
        timerIds,
        'the task of the timer closed',
      )
      return events
    },
  }
}

/** The handler of `case.timer` jobs. */
export function caseTimerHandler(engine: CaseEngine): JobHandler<CaseTimerPayload, Prepared> {
  return {
    kind: CASE_TIMER_JOB,
    label: { zh: '办件时限计时', en: 'Case SLA timer' },
    async prepare(job, now) {
      const { caseId, timerId } = job.payload
      try {
        return await engine.prepare(caseId, (def, state) =>
          engineFireTimer(def, state, { timerId, now, newId: () => randomUUID(), calendar: engine.calendar }),
        )
      } catch (err) {
        const engineCode =
          err instanceof AppError ? (err.details as { engine?: unknown } | null)?.engine : undefined
        if (engineCode === 'TIMER_NOT_PENDING') {
          throw new JobObsolete(`timer ${timerId} of case ${caseId} is no longer pending (its task closed)`)
        }
        throw err
      }
    },
    async run(trx, job, prepared) {
      if (!(await engine.persist(trx, prepared, SYSTEM, null))) {
        throw new JobContended(`case ${job.payload.caseId} changed while its timer fired`)
      }
    },
  }
}

/**
 * Schedules a job for every pending timer that has none (timers recorded before the scheduler existed).
 * @returns how many were adopted
 */
export async function adoptPendingTimers(db: Kysely<DB>, scheduler: SchedulerService): Promise<number> {
  const pending = await store.listPendingTimers(db)
  const known = await scheduler.existingKeys(
    CASE_TIMER_JOB,
    pending.map((t) => t.id),
  )
  const orphans = pending.filter((t) => !known.has(t.id))
  const byCase = new Map<string, typeof orphans>()
  for (const t of orphans) byCase.set(t.case_id, [...(byCase.get(t.case_id) ?? []), t])
  const jobs = caseTimerJobs(scheduler)
  for (const [caseId, timers] of byCase) {
    await db.transaction().execute(async (trx) => {
      await jobs.schedule(
        trx,
        { id: caseId, regionCode: timers[0]!.region_code },
        timers.map((t) => ({ id: t.id, dueAt: t.due_at })),
      )
    })
  }
  return orphans.length
}
