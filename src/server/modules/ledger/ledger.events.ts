/**
 * The ledger's own events: the province witness recording a city checkpoint it cosigned.
 * @module
 */
import type { EventDeclarations } from './ledger.registry.js'

export const LEDGER_EVENTS = {
  'ledger.checkpoint_witnessed':
    'the province witness cosigned a city checkpoint (recorded in the province log)',
} as const satisfies EventDeclarations

/** Data of each ledger event. */
export interface LedgerEventData {
  'ledger.checkpoint_witnessed': { log: string; origin: string; size: number; root: string }
}
