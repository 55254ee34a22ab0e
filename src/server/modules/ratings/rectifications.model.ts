/**
 * The rectification (整改) lifecycle after a bad rating, as pure rules: which step may follow which,
 * and what each does to the rectification's state. The service guards every step with these twice:
 * before its transaction (for a precise error), and inside it by committing only against the revision
 * it read (two officials recording the same step at once: one wins, the other gets CONFLICT).
 *
 * ```
 * open ──callback──► called_back ──rectify──► rectified ──citizen rates──► closed
 *   └───────────────────┴──────────────────────┴── contest upheld ──► void
 * ```
 * - A contest may be filed once, while the rectification is open, called back or rectified; it leaves
 *   the status as it is until decided. Rejected: the lifecycle goes on. Upheld: void, the rating kept
 *   and excluded.
 * - The citizen rates only a rectified one whose contest is not pending (the decision might void it).
 * - The deadline escalates once, while open or called back; it sets `overdue`, not the status.
 * @module
 */
import type { RectificationContest, RectificationStatus } from '../../../shared/api.js'
import { AppError } from '../../../shared/errors.js'

/** The scheduler's job kind that escalates a rectification whose deadline passed (keyed by its id). */
export const RECTIFICATION_DEADLINE_JOB = 'rectification.deadline'

/** Longest call-back summary, measures text or reason, in characters. */
export const MAX_STEP_TEXT_LENGTH = 2000

export type RectificationAction = 'callback' | 'rectify' | 'contest' | 'decide' | 'rate' | 'escalate'

export interface RectificationState {
  status: RectificationStatus
  contest: RectificationContest | null
  escalated: boolean
}

/** The state after `action` (and, for a decision, whether it was upheld). @throws CONFLICT */
export function nextState(
  state: RectificationState,
  action: RectificationAction,
  upheld = false,
): RectificationState {
  const refuse = (why: string): never => {
    throw new AppError('CONFLICT', why, {
      details: { status: state.status, contest: state.contest, action },
    })
  }
  switch (action) {
    case 'callback':
      if (state.status !== 'open')
        refuse(`the call-back is recorded once, on an open rectification (this one is ${state.status})`)
      return { ...state, status: 'called_back' }
    case 'rectify':
      if (state.status === 'open') refuse('record the call-back (回访) before the measures taken')
      if (state.status !== 'called_back')
        refuse(`the measures are recorded once, after the call-back (this one is ${state.status})`)
      return { ...state, status: 'rectified' }
    case 'contest':
      if (state.contest !== null) refuse(`this rating was contested already (${state.contest})`)
      if (state.status === 'closed' || state.status === 'void')
        refuse(`a ${state.status} rectification can no longer be contested`)
      return { ...state, contest: 'pending' }
    case 'decide':
      if (state.contest !== 'pending')
        refuse(
          state.contest === null ? 'this rating has not been contested' : 'this contest is decided already',
        )
      return upheld ? { ...state, status: 'void', contest: 'upheld' } : { ...state, contest: 'rejected' }
    case 'rate':
      if (state.status !== 'rectified')
        refuse(
          state.status === 'closed'
            ? 'this rectification is rated already'
            : `a rectification is rated once the department has rectified it (this one is ${state.status})`,
        )
      if (state.contest === 'pending') refuse('the department contested the rating; wait for the decision')
      return { ...state, status: 'closed' }
    case 'escalate':
      if (state.escalated) refuse('this rectification was escalated already')
      if (state.status !== 'open' && state.status !== 'called_back')
        refuse(`a ${state.status} rectification has nothing overdue`)
      return { ...state, escalated: true }
  }
}

/** True when `action` may follow now (the escalation job asks before it runs). */
export function allows(state: RectificationState, action: RectificationAction): boolean {
  try {
    nextState(state, action)
    return true
  } catch {
    return false
  }
}
