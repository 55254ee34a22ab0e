/**
 * Ledger events of fact contests (考核事实申诉): an official contests a fact on their own scorecard, and
 * a superior in their department decides it. Reasons only as salted commitments.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const FACT_CONTEST_EVENTS = {
  'assessment.fact_contested': 'an official contested a fact counted on their own scorecard, with a reason',
  'assessment.fact_contest_decided':
    'a superior in the official’s department upheld (the fact leaves every scorecard) or rejected a fact contest',
} as const satisfies EventDeclarations

export interface FactContestEventData {
  'assessment.fact_contested': {
    contest: string
    staff: string
    department: string
    period: string
    indicator: string
    ref: { kind: string; id: string }
    /** The fact's key (indicator, ref and proving entry). */
    key: string
    /** The entry proving the fact. */
    fact: { log: string; index: number }
    /** Salted commitment to the reason. */
    reason: string
  }
  'assessment.fact_contest_decided': {
    contest: string
    staff: string
    key: string
    upheld: boolean
    /** Salted commitment to the decision's reason. */
    decision: string
  }
}
