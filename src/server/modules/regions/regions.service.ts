/**
 * Regions (区划): the administrative tree every other module hangs off. Reads are public; imports
 * need an administrator whose jurisdiction covers every imported code, and are all-or-nothing.
 * @module
 */
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import { assertCan } from '../../../shared/permissions.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { RegionFeature, RegionFeatureCollection } from '../../../shared/api.js'
import type { Region } from '../../../shared/domain.js'
import { pointInGeometry } from '../../../shared/geo.js'
import { AppError, notFound } from '../../../shared/errors.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import { actorOf, diffStates, subjectOf, type Replayer } from '../ledger/index.js'
import {
  parentCodeOf,
  parseRegionFeatureCollection,
  regionLedgerData,
  regionToFeature,
  type RegionWithGeometry,
} from './regions.model.js'
import * as store from './regions.store.js'

export interface ImportResult {
  created: number
  updated: number
}

export class RegionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {}

  /** @throws AppError NOT_FOUND */
  async getRegion(code: string): Promise<Region> {
    const region = await store.findRegion(this.db, code)
    if (!region) throw notFound('region', code)
    return region
  }

  /** @returns the region or undefined. */
  findRegion(code: string): Promise<Region | undefined> {
    return store.findRegion(this.db, code)
  }

  /** @throws AppError NOT_FOUND when `code` does not exist (an empty list means a leaf). */
  async listChildren(code: string): Promise<Region[]> {
    await this.getRegion(code)
    return store.listChildren(this.db, code)
  }

  /**
   * Every region below `code` at every level (not `code` itself), parents first, then by code.
   * @throws AppError NOT_FOUND when `code` does not exist
   */
  async listDescendants(code: string): Promise<Region[]> {
    await this.getRegion(code)
    return store.listDescendants(this.db, code)
  }

  /** The chain from the province down to `code` itself. @throws AppError NOT_FOUND */
  async listAncestors(code: string): Promise<Region[]> {
    const region = await this.getRegion(code)
    const prefixes: string[] = []
    for (const len of [2, 4, 6, 9]) if (len < region.code.length) prefixes.push(region.code.slice(0, len))
    return [...(await store.listRegionsByCodes(this.db, prefixes)), region]
  }

  /** The region's own outline. @throws AppError NOT_FOUND */
  async getFeature(code: string): Promise<RegionFeature> {
    const region = await store.findRegionWithGeometry(this.db, code)
    if (!region) throw notFound('region', code)
    return regionToFeature(region)
  }

  /** The children of `code` as a FeatureCollection (the map of a drill-down level). */
  async childrenFeatureCollection(code: string): Promise<RegionFeatureCollection> {
    await this.getRegion(code)
    const children = await store.listChildrenWithGeometry(this.db, code)
    return { type: 'FeatureCollection', features: children.map(regionToFeature) }
  }

  /**
   * The deepest region whose outline holds a point: the street of an appeal's map pin, found by
   * descending from the province one level at a time (a few dozen outlines tested, not every street).
   * @returns undefined when the point is outside the province (or no outlines are loaded)
   */
  async locate(point: { lat: number; lng: number }): Promise<Region | undefined> {
    const pt: [number, number] = [point.lng, point.lat]
    const province = await store.findRegionWithGeometry(this.db, await this.provinceCode())
    if (!province?.geometry || !pointInGeometry(pt, province.geometry)) return undefined
    let found = province
    for (;;) {
      const children = await store.listChildrenWithGeometry(this.db, found.code)
      const next = children.find((c) => c.geometry && pointInGeometry(pt, c.geometry))
      if (!next) {
        const { geometry: _outline, ...region } = found
        return region
      }
      found = next
    }
  }

  /** Everything below and including `root`, as GeoJSON the importer reads back. @throws NOT_FOUND */
  async exportFeatureCollection(root: string): Promise<RegionFeatureCollection> {
    await this.getRegion(root)
    const regions = await store.listSubtreeWithGeometry(this.db, root)
    return { type: 'FeatureCollection', features: regions.map(regionToFeature) }
  }

  /**
   * The code of the province the platform serves (its one province-level region).
   * @throws AppError CONFLICT when no province has been loaded yet
   */
  async provinceCode(): Promise<string> {
    const code = await store.findProvinceCode(this.db)
    if (!code)
      throw new AppError(
        'CONFLICT',
        'no province region is loaded yet (import regions or seed the demo first)',
      )
    return code
  }

  async isEmpty(): Promise<boolean> {
    return (await store.countRegions(this.db)) === 0
  }

  /**
   * Imports (creates or replaces) regions from a GeoJSON FeatureCollection. Everything is checked
   * first; one bad feature rejects the whole file and nothing changes.
   * @throws AppError INVALID_INPUT with `details.problems` (feature index, code, problem);
   *   FORBIDDEN when a code lies outside the caller's jurisdiction.
   */
  async importFeatureCollection(principal: Principal, input: unknown): Promise<ImportResult> {
    assertCan(principal, 'region.import')
    const codes = collectCodes(input)
    const known = await store.existingCodes(this.db, [
      ...codes,
      ...codes.map(parentCodeOf).filter((c): c is string => c !== null),
    ])
    const { regions, problems } = parseRegionFeatureCollection(input, known)
    if (problems.length > 0) {
      throw new AppError('INVALID_INPUT', `the GeoJSON file was rejected: ${describe(problems[0]!)}`, {
        details: { problems },
      })
    }
    for (const r of regions) assertCan(principal, 'region.import', { regionCode: r.code })
    return this.writeRegions(principal, regions, known)
  }

  /** Writes already-validated regions (the demo generator's) in one transaction, as the system. */
  async importValidated(regions: readonly RegionWithGeometry[]): Promise<ImportResult> {
    const known = await store.existingCodes(
      this.db,
      regions.map((r) => r.code),
    )
    return this.writeRegions(SYSTEM, regions, known)
  }

  /** Rebuilds the region table from `region.*` events and compares it with the live rows. */
  replayer(): Replayer {
    const expected = new Map<string, Record<string, unknown>>()
    return {
      name: 'regions',
      types: ['region.'],
      apply: (e) => {
        if (e.type === 'region.upserted') expected.set(String(e.data.code), e.data)
      },
      compare: async () => {
        const live = await store.listAllWithGeometry(this.db)
        return diffStates('region', expected, new Map(live.map((r) => [r.code, regionLedgerData(r)])))
      },
    }
  }

  private async writeRegions(
    principal: Principal,
    regions: readonly RegionWithGeometry[],
    known: ReadonlySet<string>,
  ): Promise<ImportResult> {
    const now = this.clock.now()
    const actor = actorOf(principal)
    await this.db.transaction().execute(async (trx) => {
      await store.upsertRegions(trx, regions, now)
      await this.ledger.appendMany(
        trx,
        regions.map((r) => ({
          type: 'region.upserted',
          subject: subjectOf('region', r.code),
          regionCode: r.code,
          actor,
          data: regionLedgerData(r),
        })),
      )
    })
    const updated = regions.filter((r) => known.has(r.code)).length
    return { created: regions.length - updated, updated }
  }
}

function collectCodes(input: unknown): string[] {
  const features = (input as { features?: unknown } | null)?.features
  if (!Array.isArray(features)) return []
  return features
    .map((f) => (f as { properties?: { code?: unknown } } | null)?.properties?.code)
    .filter((c): c is string | number => typeof c === 'string' || typeof c === 'number')
    .map(String)
}

function describe(p: { feature: number; code?: string; problem: string }): string {
  const where = p.feature < 0 ? 'file' : `feature ${p.feature}${p.code ? ` (${p.code})` : ''}`
  return `${where}: ${p.problem}`
}
