/**
 * Ledger events of the regions module (declared for the ledger's registry).
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const REGION_EVENTS = {
  'region.upserted': 'a region was created or its name, population, centroid or boundary changed',
} as const satisfies EventDeclarations

/** Data of each region event. */
export interface RegionEventData {
  'region.upserted': {
    code: string
    name: string
    level: string
    parentCode: string | null
    population: number
    centroid: [number, number] | null
    /** base64 SHA-256 of the canonical GeoJSON geometry, or null. */
    geometry: string | null
  }
}
