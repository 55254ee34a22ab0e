/**
 * Ledger events of the organisation module: departments, staff accounts, citizens registered in bulk
 * (the demo) or one at a time at a service window.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'
import type { StaffLedgerState } from './org.model.js'

export const ORG_EVENTS = {
  'department.created': 'a department was created',
  'department.renamed': 'a department got a new name',
  'staff.created': 'a staff account was created (its whole ledger state)',
  'staff.updated': 'a staff account changed (its whole ledger state)',
  'citizen.registered_batch': 'citizens of one city registered in bulk: count, id range and digest',
  'citizen.registered':
    'a citizen was registered at a service window: the account, its region, a commitment to the personal data and a digest of the credential',
} as const satisfies EventDeclarations

/** Data of each organisation event. */
export interface OrgEventData {
  'department.created': { id: string; name: string; regionCode: string; kind: string }
  'department.renamed': { name: string }
  'staff.created': StaffLedgerState
  'staff.updated': StaffLedgerState
  'citizen.registered_batch': {
    count: number
    first: string
    last: string
    digest: string
    /** Per citizen (since the audit locates changes): [id, region, personal, credential] (see citizenLocator). */
    items?: [string, string, string, string][]
  }
  /** `item` is the citizen's [id, region, personal commitment, credential digest], as in a batch digest. */
  'citizen.registered': { item: [string, string, string, string]; window: string | null }
}
