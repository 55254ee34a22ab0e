/**
 * Ledger events of the data platform.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const DATAPLATFORM_EVENTS = {
  'record.registered_batch': 'authoritative records of one city registered in bulk: count and digest',
} as const satisfies EventDeclarations

/** Data of each data-platform event. */
export interface DataPlatformEventData {
  'record.registered_batch': { count: number; digest: string }
}
