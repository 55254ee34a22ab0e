/**
 * Ledger events of staff access to citizens' data (who looked at my data) and its review.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const DATA_ACCESS_EVENTS = {
  'data.accessed': "a staff member looked at a citizen's data (flagged without an open task)",
  'data.access_reviewed': 'a supervisor or administrator judged a flagged look',
  'data.looked_up':
    'a window clerk found a citizen by identity number or name (the query itself is not recorded)',
} as const satisfies EventDeclarations

/** Data of each data-access event. */
export interface DataAccessEventData {
  'data.accessed': { case: string; citizen: string; what: string; fields?: string[]; flagged: boolean }
  /** `what`: `lookup:idNumber` or `lookup:name`; the citizen was shown masked. */
  'data.looked_up': { citizen: string; what: string; flagged: false }
  'data.access_reviewed': {
    case: string
    access: string
    accessed: { log: string; index: number }
    verdict: 'justified' | 'unjustified'
    /** Salted commitment to the note, or null. */
    note: string | null
  }
}
