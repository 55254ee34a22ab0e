/**
 * SQL for regions. Used only by the regions service.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { RegionTable } from '../../db/schema.js'
import type { LonLat, Region, RegionGeometry, RegionLevel } from '../../../shared/domain.js'
import type { RegionWithGeometry } from './regions.model.js'

const SUMMARY_COLUMNS = [
  'code',
  'name',
  'level',
  'parent_code',
  'population',
  'centroid_lon',
  'centroid_lat',
] as const

type SummaryRow = Pick<RegionTable, (typeof SUMMARY_COLUMNS)[number]>

function toRegion(row: SummaryRow): Region {
  return {
    code: row.code,
    name: row.name,
    level: row.level as RegionLevel,
    parentCode: row.parent_code,
    population: Number(row.population),
    centroid:
      row.centroid_lon === null || row.centroid_lat === null
        ? null
        : ([row.centroid_lon, row.centroid_lat] as LonLat),
  }
}

function toRegionWithGeometry(row: SummaryRow & { geometry: string | null }): RegionWithGeometry {
  return {
    ...toRegion(row),
    geometry: row.geometry === null ? null : (JSON.parse(row.geometry) as RegionGeometry),
  }
}

export async function findRegion(db: Executor, code: string): Promise<Region | undefined> {
  const row = await db
    .selectFrom('region')
    .select(SUMMARY_COLUMNS)
    .where('code', '=', code)
    .executeTakeFirst()
  return row && toRegion(row)
}

export async function findRegionWithGeometry(
  db: Executor,
  code: string,
): Promise<RegionWithGeometry | undefined> {
  const row = await db
    .selectFrom('region')
    .select([...SUMMARY_COLUMNS, 'geometry'])
    .where('code', '=', code)
    .executeTakeFirst()
  return row && toRegionWithGeometry(row)
}

export async function listRegionsByCodes(db: Executor, codes: readonly string[]): Promise<Region[]> {
  if (codes.length === 0) return []
  const rows = await db
    .selectFrom('region')
    .select(SUMMARY_COLUMNS)
    .where('code', 'in', codes)
    .orderBy('code')
    .execute()
  return rows.map(toRegion)
}

export async function listChildren(db: Executor, code: string): Promise<Region[]> {
  const rows = await db
    .selectFrom('region')
    .select(SUMMARY_COLUMNS)
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute()
  return rows.map(toRegion)
}

export async function listChildrenWithGeometry(db: Executor, code: string): Promise<RegionWithGeometry[]> {
  const rows = await db
    .selectFrom('region')
    .select([...SUMMARY_COLUMNS, 'geometry'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute()
  return rows.map(toRegionWithGeometry)
}

/** Everything below the region `root` (not itself), parents first, then by code. */
export async function listDescendants(db: Executor, root: string): Promise<Region[]> {
  const rows = await db
    .selectFrom('region')
    .select(SUMMARY_COLUMNS)
    .where('code', 'like', `${root}%`)
    .where('code', '!=', root)
    .execute()
  return rows.map(toRegion).sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code))
}

/** The region `root` and everything below it, parents first, with geometry. */
export async function listSubtreeWithGeometry(db: Executor, root: string): Promise<RegionWithGeometry[]> {
  const rows = await db
    .selectFrom('region')
    .select([...SUMMARY_COLUMNS, 'geometry'])
    .where('code', 'like', `${root}%`)
    .execute()
  return rows
    .map(toRegionWithGeometry)
    .sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code))
}

/** Codes of the regions that exist among `codes`. */
export async function existingCodes(db: Executor, codes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db
      .selectFrom('region')
      .select('code')
      .where('code', 'in', codes.slice(i, i + 500))
      .execute()
    rows.forEach((r) => found.add(r.code))
  }
  return found
}

export async function countRegions(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('region')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Inserts or replaces regions (parents must come first). Batched to stay under parameter limits. */
export async function upsertRegions(
  db: Executor,
  regions: readonly RegionWithGeometry[],
  now: number,
): Promise<void> {
  for (let i = 0; i < regions.length; i += 400) {
    const rows: RegionTable[] = regions.slice(i, i + 400).map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parent_code: r.parentCode,
      population: r.population,
      centroid_lon: r.centroid?.[0] ?? null,
      centroid_lat: r.centroid?.[1] ?? null,
      geometry: r.geometry === null ? null : JSON.stringify(r.geometry),
      updated_at: now,
    }))
    await db
      .insertInto('region')
      .values(rows)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          population: eb.ref('excluded.population'),
          centroid_lon: eb.ref('excluded.centroid_lon'),
          centroid_lat: eb.ref('excluded.centroid_lat'),
          geometry: eb.ref('excluded.geometry'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }
}

/** Every region with geometry (for the audit), in code order. */
export async function listAllWithGeometry(db: Executor): Promise<RegionWithGeometry[]> {
  const rows = await db
    .selectFrom('region')
    .select([...SUMMARY_COLUMNS, 'geometry'])
    .orderBy('code')
    .execute()
  return rows.map(toRegionWithGeometry)
}

export async function findProvinceCode(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom('region')
    .select('code')
    .where('level', '=', 'province')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst()
  return row?.code
}
