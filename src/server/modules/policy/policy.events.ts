/**
 * Ledger events of governance policies: each published version, in full, in the province log.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const POLICY_EVENTS = {
  'policy.published': 'the province published a version of a governance policy',
} as const satisfies EventDeclarations

/** Data of each policy event. */
export interface PolicyEventData {
  'policy.published': {
    kind: string
    version: number
    effectiveAt: number
    /** base64 SHA-256 of the body's canonical JSON. */
    digest: string
    body: unknown
    note: string | null
  }
}
