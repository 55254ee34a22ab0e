/**
 * Ledger events of Open311 (GeoReport v2) clients: keys issued and revoked by administrators (the
 * key's SHA-256, never the key), and each request a key filed, with the token the client was given.
 * The appeal itself is recorded by the appeals module (`appeal.filed`, channel `open311`).
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const OPEN311_EVENTS = {
  'open311.key_issued': 'an administrator issued an Open311 API key for their region (its SHA-256 only)',
  'open311.key_revoked': 'an administrator revoked an Open311 API key',
  'open311.request_received':
    'an Open311 client filed a service request with its key: the appeal and its token',
} as const satisfies EventDeclarations

/** Data of each Open311 event. */
export interface Open311EventData {
  'open311.key_issued': {
    key: string
    name: string
    region: string
    /** SHA-256 of the API key, lowercase hex. */
    digest: string
  }
  'open311.key_revoked': { key: string }
  'open311.request_received': {
    key: string
    appeal: string
    token: string
    /** SHA-256 (base64) of the client's `media_url`, or null; absent in entries written before it was kept. */
    media?: string | null
  }
}
