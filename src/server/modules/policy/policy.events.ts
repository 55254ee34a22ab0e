/**
 * Ledger events of governance policies: each published version, in full, in the province log.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const POLICY_EVENTS = {
  'policy.published': 'the province published a version of a governance policy',
  'policy.overridden':
    'a city, county or street overrode fields of a governance policy for its region, within their bounds',
  'policy.override_retired': 'an override of a governance policy was retired: the region inherits again',
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
  'policy.overridden': {
    id: string
    kind: string
    region: string
    level: string
    seq: number
    values: { path: string; value: unknown }[]
    effectiveAt: number
    note: string | null
    /** The province version it was checked against when published. */
    base: string
  }
  'policy.override_retired': { id: string; kind: string; region: string }
}
