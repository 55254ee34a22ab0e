/**
 * Ledger events of the system module (the controllable clock).
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const SYSTEM_EVENTS = {
  'system.clock_advanced': 'the manual clock was moved forward',
} as const satisfies EventDeclarations

/** Data of each system event. */
export interface SystemEventData {
  'system.clock_advanced': { from: number; to: number; duration: string }
}
