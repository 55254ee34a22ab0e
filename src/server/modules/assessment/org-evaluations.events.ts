/**
 * Ledger events of organisation evaluations (组织评价): each revision of an official's score for a
 * period, the comment only as a salted commitment.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const ORG_EVALUATION_EVENTS = {
  'assessment.org_evaluated':
    'the organisation department entered (or corrected) an official’s organisation evaluation for a period',
} as const satisfies EventDeclarations

export interface OrgEvaluationEventData {
  'assessment.org_evaluated': {
    staff: string
    period: string
    score: number
    revision: number
    /** Salted commitment to the comment, or null. */
    comment: string | null
  }
}
