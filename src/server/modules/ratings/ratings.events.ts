/**
 * Ledger events of ratings: a citizen's rating of a finished case (the comment only as a salted
 * commitment), the rectification a bad rating opened and every later step of it, and the contest of a
 * rating as a false review. Free text (summaries, measures, reasons, comments) enters the ledger only
 * as salted commitments; the text stays in the tables, which the audit checks against them.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const RATING_EVENTS = {
  'rating.submitted': 'the applicant rated a finished case (好差评), with a reform score for its process',
  'rating.invited':
    'a window clerk opened a one-time rating link for a finished case (the counter tablet or a QR code)',
  'rectification.opened': 'a bad rating opened a rectification (整改) for the handling department',
  'rectification.chain_built':
    'the responsibility chain of a rectification: who decided the badly reviewed case, and their superiors',
  'rectification.called_back': 'the handling department recorded its call-back (回访) of the citizen',
  'rectification.rectified': 'the handling department recorded the measures it took (整改完成)',
  'rectification.escalated':
    'a rectification passed its deadline unrectified and went to the department’s leaders (超期督办)',
  'rectification.rated': 'the citizen answered whether they are satisfied with the rectification',
  'rating.contested': 'the handling department contested a rating as a false review (申诉不实评价)',
  'rating.contest_decided':
    'a region overseer decided a contest: upheld (the rating is excluded, the rectification void) or rejected',
} as const satisfies EventDeclarations

/** Data of each rating event. `at` is when the step was recorded (epoch ms, the platform clock). */
export interface RatingEventData {
  'rating.submitted': {
    case: string
    score: number
    reformScore: number | null
    tags: string[]
    /** Salted commitment to the comment, or null. */
    comment: string | null
    matter: string
    version: number
    department: string | null
    policy: string
    /**
     * `online` (the signed-in applicant) or `counter` (a window's rating link, tablet or QR code; the
     * entry's actor is then the link, `invitation:<id>`, for nobody signed in). Absent before counters.
     */
    channel?: 'online' | 'counter'
    /** The case's applicant, on whose behalf a counter rating is recorded. */
    applicant?: string
    /** The counter rating link used, and the clerk who opened it. */
    invitation?: string
    invitedBy?: string
    /** The team that published the rated process version (the reform score's attribution). */
    team?: string | null
  }
  'rating.invited': {
    id: string
    case: string
    expiresAt: number
  }
  'rectification.chain_built': {
    id: string
    case: string
    policy: string
    rule: string | null
    links: {
      staff: string
      department: string
      primary: boolean
      rule: string
      function: string
      evidence: { log: string; index: number }[]
    }[]
    /** base64 SHA-256 of the canonical JSON of the links in full (reasons included). */
    digest: string
  }
  'rectification.opened': {
    id: string
    case: string
    department: string | null
    dueAt: number
    policy: string
  }
  'rectification.called_back': {
    id: string
    case: string
    at: number
    /** When the call took place. */
    calledAt: number
    /** Salted commitment to the call's summary. */
    summary: string
  }
  'rectification.rectified': {
    id: string
    case: string
    at: number
    /** Salted commitment to the measures taken. */
    measures: string
  }
  'rectification.escalated': {
    id: string
    case: string
    department: string | null
    at: number
    dueAt: number
    /** Account ids of the department's leaders it went to (empty when the department has none). */
    leaders: string[]
    /** The rating.rectification version whose deadline was missed. */
    policy: string
  }
  'rectification.rated': {
    id: string
    case: string
    at: number
    satisfied: boolean
    comment: string | null
  }
  'rating.contested': {
    /** The rectification. */
    id: string
    case: string
    department: string | null
    at: number
    reason: string
  }
  'rating.contest_decided': {
    id: string
    case: string
    at: number
    upheld: boolean
    reason: string
  }
}
