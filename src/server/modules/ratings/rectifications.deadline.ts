/**
 * The deadline of a rectification on the scheduler: a `rectification.deadline` job (keyed by the
 * rectification's id) is scheduled in the transaction that opens it, due at its deadline, and withdrawn
 * when the department rectifies it or a contest voids it. When it fires on a rectification still open
 * or called back, the rectification is marked overdue and escalated to the handling department's
 * leaders, in the transaction that completes the job.
 *
 * Only "nothing is overdue any more" retires the job unrun (JobObsolete). Anything else that goes
 * wrong fails it: retried, then dead-lettered, never silently dropped.
 * @module
 */
import { JobContended, type JobHandler } from '../scheduler/index.js'
import { RECTIFICATION_DEADLINE_JOB } from './rectifications.model.js'
import type { DeadlinePayload, PreparedEscalation, RectificationService } from './rectifications.service.js'

/** The handler of `rectification.deadline` jobs. */
export function rectificationDeadlineHandler(
  rectifications: RectificationService,
): JobHandler<DeadlinePayload, PreparedEscalation> {
  return {
    kind: RECTIFICATION_DEADLINE_JOB,
    label: { zh: '差评整改时限', en: 'Rectification deadline' },
    prepare: (job) => rectifications.prepareEscalation(job.payload.rectificationId),
    async run(trx, job, prepared, now) {
      if (!(await rectifications.escalate(trx, prepared, now)))
        throw new JobContended(
          `rectification ${job.payload.rectificationId} changed while its deadline fired`,
        )
    },
  }
}
