/**
 * 好差评 (rating a finished case) and the rectification (整改) a bad rating opens: the tags a citizen
 * may pick (a fixed list, so the public ledger can name them; kept with their names in shared/domain.ts
 * and re-exported here), what counts as a bad rating under the rectification policy, and who the
 * handling unit is. Pure.
 * @module
 */
import type { TimelineStep } from '../../../shared/api.js'
import type { CaseFacts } from '../cases/index.js'

export { RATING_TAGS, RATING_TAG_CODES, type RatingTag } from '../../../shared/domain.js'

export const MAX_COMMENT_LENGTH = 500

/** The rectification policy's body (`rating.rectification`). */
export interface RectificationPolicy {
  badScoreMax: number
  deadlineWorkingDays: number
}

export function isBadRating(score: number, policy: RectificationPolicy): boolean {
  return score <= policy.badScoreMax
}

/**
 * The handling unit of a finished case: the department of the step that completed last (the one that
 * decided), or null when no department step completed (a case ended at submission). Steps completed at
 * the same millisecond (a manual clock stands still; parallel steps) are told apart by their completion's
 * ledger entry, which the case's one log orders; the timeline's own order cannot (tasks created at the
 * same time are listed by id).
 */
export function handlingDepartment(timeline: readonly TimelineStep[]): { id: string; name: string } | null {
  let last: TimelineStep | undefined
  const later = (a: TimelineStep, b: TimelineStep) =>
    (a.completedAt as number) > (b.completedAt as number) ||
    (a.completedAt === b.completedAt && (a.ledger?.index ?? -1) > (b.ledger?.index ?? -1))
  for (const s of timeline)
    if (s.departmentId && s.completedAt !== null && (!last || later(s, last))) last = s
  return last ? { id: last.departmentId as string, name: last.department ?? last.departmentId! } : null
}

/**
 * {@link handlingDepartment} over a case's facts (for a counter rating, where nobody signed in reads the
 * case): the department of the department step that completed last, ties told apart by the ledger
 * entry of the completion. @returns its id, or null
 */
export function handlingDepartmentOf(facts: Pick<CaseFacts, 'tasks' | 'events'>): string | null {
  const completion = new Map<string, number>()
  for (const e of facts.events)
    if (e.type === 'task.completed' && e.taskId !== null) completion.set(e.taskId, e.ledger.index)
  let last: CaseFacts['tasks'][number] | undefined
  for (const t of facts.tasks) {
    if (t.kind !== 'department' || !t.departmentId || t.completedAt === null) continue
    if (
      !last ||
      t.completedAt > (last.completedAt as number) ||
      (t.completedAt === last.completedAt && (completion.get(t.id) ?? -1) > (completion.get(last.id) ?? -1))
    )
      last = t
  }
  return last?.departmentId ?? null
}
