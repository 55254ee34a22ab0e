/**
 * Ledger events of ratings: a citizen's rating of a finished case (the comment only as a salted
 * commitment) and the rectification a bad rating opened.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const RATING_EVENTS = {
  'rating.submitted': 'the applicant rated a finished case (好差评), with a reform score for its process',
  'rectification.opened': 'a bad rating opened a rectification (整改) for the handling department',
} as const satisfies EventDeclarations

/** Data of each rating event. */
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
  }
  'rectification.opened': {
    id: string
    case: string
    department: string | null
    dueAt: number
    policy: string
  }
}
