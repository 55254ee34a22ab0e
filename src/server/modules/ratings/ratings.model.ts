/**
 * 好差评 (rating a finished case) and the rectification (整改) a bad rating opens: the tags a citizen
 * may pick (a fixed list, so the public ledger can name them), what counts as a bad rating under the
 * rectification policy, and who the handling unit is. Pure.
 * @module
 */
import type { TimelineStep } from '../../../shared/api.js'
import type { CaseFacts } from '../cases/index.js'

/** The tags of a rating, good and bad. */
export const RATING_TAGS = {
  fast: { zh: '办理快捷', en: 'Fast' },
  friendly: { zh: '态度热情', en: 'Friendly' },
  professional: { zh: '业务专业', en: 'Professional' },
  no_trips: { zh: '不用跑腿', en: 'No trips needed' },
  too_many_documents: { zh: '材料繁琐', en: 'Too many documents' },
  long_wait: { zh: '等待过久', en: 'Long wait' },
  rude: { zh: '态度不佳', en: 'Unfriendly' },
  repeat_trips: { zh: '多次跑动', en: 'Several trips' },
  unclear: { zh: '指引不清', en: 'Unclear guidance' },
} as const
export type RatingTag = keyof typeof RATING_TAGS
export const RATING_TAG_CODES = Object.keys(RATING_TAGS) as RatingTag[]

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
