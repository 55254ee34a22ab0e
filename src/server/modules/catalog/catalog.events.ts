/**
 * Ledger events of the catalogue.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const CATALOG_EVENTS = {
  'matter.deployed': 'a new version of a matter was deployed (digests of its definition, form and BPMN)',
} as const satisfies EventDeclarations

/** Data of each catalogue event. */
export interface CatalogEventData {
  'matter.deployed': {
    code: string
    version: number
    slaDays: number
    definition: string
    form: string
    process: string
    /**
     * The publishing team (the publisher's department), to which the version's reform scores are
     * attributed; null when the system deployed it. Absent in entries written before teams.
     */
    team?: string | null
  }
}
