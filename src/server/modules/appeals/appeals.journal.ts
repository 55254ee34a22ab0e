/**
 * Writing an appeal's steps: each step is a ledger event and a timeline row with that event's
 * position, appended together with whatever other events the step brings (its deadline jobs), in the
 * caller's transaction. And the deadline jobs themselves: one per step of the escalation ladder, for
 * the response and the resolution, keyed by appeal, round, stage and step.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Principal } from '../../access.js'
import type { Executor } from '../../db/database.js'
import { actorOf, subjectOf, type LedgerEvent } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { SchedulerService } from '../scheduler/scheduler.service.js'
import type { WorkCalendar } from '../workflow/calendar/index.js'
import {
  deadlineJobKey,
  type Appeal,
  type DeadlineJob,
  type DeadlineStage,
  type EscalationPolicy,
} from './appeals.model.js'
import * as store from './appeals.store.js'

export const APPEAL_DEADLINE_JOB = 'appeal.deadline'
/** Ladder steps a policy may have (its schema's maximum): the keys a withdrawal names. */
const MAX_LADDER = 10

/** One step to record: its event's data (as the ledger holds it) and the timeline's (as written). */
export interface StepRecord {
  type: string
  ledger: Record<string, unknown>
  row: Record<string, unknown>
}

/**
 * Appends the steps' events (then `also`) in one append and writes their timeline rows.
 * @returns the steps' ledger positions, in order
 */
export async function recordSteps(
  trx: Executor,
  ledger: LedgerService,
  appeal: Pick<Appeal, 'id' | 'regionCode'>,
  actor: Principal,
  at: number,
  steps: readonly StepRecord[],
  also: readonly LedgerEvent[] = [],
): Promise<{ log: string; index: number }[]> {
  const events: LedgerEvent[] = steps.map((s) => ({
    type: s.type,
    subject: subjectOf('appeal', appeal.id),
    regionCode: appeal.regionCode,
    actor: actorOf(actor),
    data: { appeal: appeal.id, ...s.ledger },
  }))
  const positions = await ledger.appendMany(trx, [...events, ...also])
  await store.insertSteps(
    trx,
    steps.map((s, i) => ({
      id: randomUUID(),
      appealId: appeal.id,
      type: s.type,
      at,
      actorId: actor.accountId,
      data: s.row,
      ledger: positions[i]!,
    })),
  )
  return positions.slice(0, steps.length)
}

/** The deadline jobs of an appeal's round: each ladder step of each stage still open. */
export function deadlineJobs(
  appeal: Pick<Appeal, 'id' | 'round' | 'respondDueAt' | 'resolveDueAt' | 'respondedAt' | 'resolvedAt'>,
  policy: EscalationPolicy,
  calendar: WorkCalendar,
  stages: readonly DeadlineStage[] = ['respond', 'resolve'],
) {
  return stages
    .filter((stage) => (stage === 'respond' ? appeal.respondedAt === null : appeal.resolvedAt === null))
    .flatMap((stage) =>
      policy.ladder.map((rung, step) => {
        const due = stage === 'respond' ? appeal.respondDueAt : appeal.resolveDueAt
        const payload: DeadlineJob = { appealId: appeal.id, round: appeal.round, stage, step }
        return {
          kind: APPEAL_DEADLINE_JOB,
          key: deadlineJobKey(payload),
          dueAt: rung.afterWorkingDays === 0 ? due : calendar.addWorkingDays(due, rung.afterWorkingDays),
          payload,
        }
      }),
    )
}

/** The keys of every deadline job an appeal's round may have, for withdrawing them. */
export function deadlineKeys(
  appealId: string,
  round: number,
  stages: readonly DeadlineStage[] = ['respond', 'resolve'],
): string[] {
  return stages.flatMap((stage) =>
    Array.from({ length: MAX_LADDER }, (_, step) => deadlineJobKey({ appealId, round, stage, step })),
  )
}

/** Schedules the round's deadline jobs: the rows now, the events for the caller's append. */
export async function scheduleDeadlines(
  trx: Executor,
  scheduler: SchedulerService,
  appeal: Appeal,
  policy: EscalationPolicy,
  calendar: WorkCalendar,
  stages?: readonly DeadlineStage[],
): Promise<LedgerEvent[]> {
  const { events } = await scheduler.scheduleRows(
    trx,
    { regionCode: appeal.regionCode, subject: subjectOf('appeal', appeal.id) },
    deadlineJobs(appeal, policy, calendar, stages),
  )
  return events
}

/** Withdraws a round's waiting deadline jobs: the rows now, the event for the caller's append. */
export async function cancelDeadlines(
  trx: Executor,
  scheduler: SchedulerService,
  appeal: Pick<Appeal, 'id' | 'regionCode'>,
  round: number,
  reason: string,
  stages?: readonly DeadlineStage[],
): Promise<LedgerEvent[]> {
  const { events } = await scheduler.cancelRows(
    trx,
    { regionCode: appeal.regionCode, subject: subjectOf('appeal', appeal.id) },
    APPEAL_DEADLINE_JOB,
    deadlineKeys(appeal.id, round, stages),
    reason,
  )
  return events
}
