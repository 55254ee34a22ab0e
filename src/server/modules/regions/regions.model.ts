/**
 * Pure region rules: GB/T 2260-style codes (province 2 digits, city 4, county 6, street 9, a child's
 * code starts with its parent's), GeoJSON geometry checks and label points. No I/O.
 * @module
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../ledger/formats/index.js'
import {
  REGION_CODE_LENGTH,
  REGION_LEVELS,
  type LonLat,
  type Region,
  type RegionGeometry,
  type RegionLevel,
} from '../../../shared/domain.js'

const LEVEL_BY_LENGTH = new Map<number, RegionLevel>(REGION_LEVELS.map((l) => [REGION_CODE_LENGTH[l], l]))

/** The level a code denotes, or undefined when the code is not 2, 4, 6 or 9 digits. */
export function levelOfCode(code: string): RegionLevel | undefined {
  if (!/^\d+$/.test(code)) return undefined
  return LEVEL_BY_LENGTH.get(code.length)
}

/** The parent's code by structure (`430102001` → `430102`), null for a province. */
export function parentCodeOf(code: string): string | null {
  const level = levelOfCode(code)
  if (level === undefined || level === 'province') return null
  const parentLevel = REGION_LEVELS[REGION_LEVELS.indexOf(level) - 1] as RegionLevel
  return code.slice(0, REGION_CODE_LENGTH[parentLevel])
}

/** The level directly below, or undefined for a street. */
export function childLevelOf(level: RegionLevel): RegionLevel | undefined {
  return REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1]
}

/** True when `code` is `root` or lies below it: the jurisdiction test everywhere in the platform. */
export function isWithin(code: string, root: string): boolean {
  return code.startsWith(root)
}

/** A region with its stored geometry. */
export interface RegionWithGeometry extends Region {
  geometry: RegionGeometry | null
}

/**
 * Checks a GeoJSON geometry for what the platform accepts: Polygon or MultiPolygon, every ring closed
 * with at least four positions, every position a finite [lon, lat] within WGS 84 bounds.
 * @returns a list of problems, empty when the geometry is acceptable.
 */
export function geometryProblems(geometry: unknown): string[] {
  if (geometry === null || typeof geometry !== 'object') return ['geometry must be a GeoJSON object']
  const g = geometry as { type?: unknown; coordinates?: unknown }
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return [`geometry type must be Polygon or MultiPolygon, not ${JSON.stringify(g.type)}`]
  }
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return ['geometry has no coordinates']
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[]
  const problems: string[] = []
  polygons.forEach((polygon, pi) => {
    if (!Array.isArray(polygon) || polygon.length === 0) {
      problems.push(`polygon ${pi} has no rings`)
      return
    }
    polygon.forEach((ring: unknown, ri) => {
      const where = g.type === 'Polygon' ? `ring ${ri}` : `polygon ${pi} ring ${ri}`
      if (!Array.isArray(ring) || ring.length < 4) {
        problems.push(`${where} needs at least 4 positions`)
        return
      }
      for (const [i, p] of ring.entries()) {
        if (!isPosition(p)) {
          problems.push(`${where} position ${i} is not a [lon, lat] pair within WGS 84 bounds`)
          return
        }
      }
      const first = ring[0] as number[]
      const last = ring[ring.length - 1] as number[]
      if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${where} is not closed`)
    })
  })
  return problems
}

function isPosition(p: unknown): boolean {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    typeof p[0] === 'number' &&
    typeof p[1] === 'number' &&
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1]) &&
    Math.abs(p[0]) <= 180 &&
    Math.abs(p[1]) <= 90
  )
}

/** Signed area (shoelace, in degrees²) and centroid of one closed ring. */
function ringCentroid(ring: LonLat[]): { area: number; x: number; y: number } {
  let a = 0
  let cx = 0
  let cy = 0
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i] as LonLat
    const [x1, y1] = ring[i + 1] as LonLat
    const f = x0 * y1 - x1 * y0
    a += f
    cx += (x0 + x1) * f
    cy += (y0 + y1) * f
  }
  a /= 2
  return a === 0
    ? { area: 0, x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0 }
    : { area: a, x: cx / (6 * a), y: cy / (6 * a) }
}

/** Even-odd point-in-ring test. */
export function pointInRing([x, y]: LonLat, ring: LonLat[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LonLat
    const [xj, yj] = ring[j] as LonLat
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/**
 * A label point for a geometry: the area centroid of its largest polygon's outer ring, or, when that
 * falls outside the ring (a concave shape), the midpoint of the widest horizontal chord through it.
 */
export function labelPoint(geometry: RegionGeometry): LonLat {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let best: LonLat[] = polygons[0]?.[0] ?? []
  let bestArea = -1
  for (const polygon of polygons) {
    const outer = polygon[0]
    if (!outer) continue
    const area = Math.abs(ringCentroid(outer).area)
    if (area > bestArea) {
      bestArea = area
      best = outer
    }
  }
  const c = ringCentroid(best)
  const centroid: LonLat = [round5(c.x), round5(c.y)]
  if (pointInRing(centroid, best)) return centroid
  // Widest chord on the horizontal line through the centroid.
  const xs: number[] = []
  for (let i = 0; i < best.length - 1; i++) {
    const [x0, y0] = best[i] as LonLat
    const [x1, y1] = best[i + 1] as LonLat
    if (y0 > c.y !== y1 > c.y) xs.push(x0 + ((c.y - y0) * (x1 - x0)) / (y1 - y0))
  }
  xs.sort((a, b) => a - b)
  let widest: LonLat = best[0] ?? [0, 0]
  let width = -1
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const w = (xs[i + 1] as number) - (xs[i] as number)
    if (w > width) {
      width = w
      widest = [round5(((xs[i] as number) + (xs[i + 1] as number)) / 2), round5(c.y)]
    }
  }
  return widest
}

function round5(v: number): number {
  return Math.round(v * 1e5) / 1e5
}

/** One problem found in an import file: which feature (index in `features`) and what is wrong. */
export interface ImportProblem {
  feature: number
  code?: string
  problem: string
}

/**
 * Turns a parsed GeoJSON FeatureCollection into regions, checking everything before anything is
 * written: structure, codes (level by length, parent by prefix, no duplicates), names, populations,
 * geometry, and that every parent exists in the file or among `existingCodes`.
 * Feature properties: `code` (required), `name` (required), `population` (integer ≥ 0, default 0),
 * `level` and `parentCode` (optional; must agree with the code when given), `centroid` ([lon,lat],
 * optional; computed from the geometry when absent).
 * @returns the regions ordered parents first, or the problems (at most `maxProblems`).
 */
export function parseRegionFeatureCollection(
  input: unknown,
  existingCodes: ReadonlySet<string>,
  maxProblems = 50,
): { regions: RegionWithGeometry[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = []
  const regions: RegionWithGeometry[] = []
  const add = (p: ImportProblem): void => {
    if (problems.length < maxProblems) problems.push(p)
  }
  const fc = input as { type?: unknown; features?: unknown } | null
  if (
    fc === null ||
    typeof fc !== 'object' ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  ) {
    add({ feature: -1, problem: 'the file must be a GeoJSON FeatureCollection with a "features" array' })
    return { regions, problems }
  }
  if (fc.features.length === 0) add({ feature: -1, problem: 'the FeatureCollection has no features' })
  const seen = new Map<string, number>()
  fc.features.forEach((f: unknown, i: number) => {
    const feature = f as {
      type?: unknown
      properties?: Record<string, unknown> | null
      geometry?: unknown
    } | null
    if (feature === null || typeof feature !== 'object' || feature.type !== 'Feature') {
      add({ feature: i, problem: 'not a GeoJSON Feature' })
      return
    }
    const props = feature.properties ?? {}
    const code =
      typeof props.code === 'string' ? props.code : typeof props.code === 'number' ? String(props.code) : ''
    const level = levelOfCode(code)
    if (level === undefined) {
      add({ feature: i, code, problem: 'properties.code must be 2, 4, 6 or 9 digits' })
      return
    }
    if (seen.has(code)) add({ feature: i, code, problem: 'duplicate code in the file' })
    seen.set(code, i)
    const name = typeof props.name === 'string' ? props.name.trim() : ''
    if (name.length === 0 || name.length > 100)
      add({ feature: i, code, problem: 'properties.name must be 1–100 characters' })
    const population = props.population ?? 0
    if (typeof population !== 'number' || !Number.isSafeInteger(population) || population < 0) {
      add({ feature: i, code, problem: 'properties.population must be a whole number ≥ 0' })
    }
    if (props.level !== undefined && props.level !== level) {
      add({
        feature: i,
        code,
        problem: `properties.level ${JSON.stringify(props.level)} does not match the code (${level})`,
      })
    }
    const parentCode = parentCodeOf(code)
    if (props.parentCode !== undefined && props.parentCode !== parentCode) {
      add({
        feature: i,
        code,
        problem: `properties.parentCode must be ${JSON.stringify(parentCode)} for this code`,
      })
    }
    let geometry: RegionGeometry | null = null
    if (feature.geometry !== null && feature.geometry !== undefined) {
      const gp = geometryProblems(feature.geometry)
      gp.forEach((problem) => add({ feature: i, code, problem }))
      if (gp.length === 0) geometry = feature.geometry as RegionGeometry
    }
    let centroid: LonLat | null = geometry ? labelPoint(geometry) : null
    if (props.centroid !== undefined) {
      if (isPosition(props.centroid))
        centroid = [(props.centroid as number[])[0]!, (props.centroid as number[])[1]!]
      else add({ feature: i, code, problem: 'properties.centroid must be [lon, lat]' })
    }
    regions.push({ code, name, level, parentCode, population: population as number, centroid, geometry })
  })
  for (const r of regions) {
    if (r.parentCode !== null && !seen.has(r.parentCode) && !existingCodes.has(r.parentCode)) {
      add({
        feature: seen.get(r.code) ?? -1,
        code: r.code,
        problem: `parent region ${r.parentCode} is neither in the file nor in the database`,
      })
    }
  }
  regions.sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code))
  return { regions, problems }
}

/** A region as a GeoJSON Feature (the export format, which the importer reads back). */
export function regionToFeature(r: RegionWithGeometry): {
  type: 'Feature'
  properties: Region
  geometry: RegionGeometry | null
} {
  const { geometry, ...properties } = r
  return { type: 'Feature', properties, geometry }
}

/** What the ledger records of a region: everything but the geometry, which is recorded by digest. */
export function regionLedgerData(r: RegionWithGeometry): Record<string, unknown> {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parentCode,
    population: r.population,
    centroid: r.centroid,
    geometry: geometryDigest(r.geometry),
  }
}

/** base64 SHA-256 of the canonical JSON of a geometry, or null. */
export function geometryDigest(geometry: RegionGeometry | null): string | null {
  return geometry === null ? null : createHash('sha256').update(canonicalJson(geometry)).digest('base64')
}
