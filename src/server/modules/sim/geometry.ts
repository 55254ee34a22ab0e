/**
 * Planar geometry for the synthetic demo province: a province outline, Voronoi partitions of a
 * (multi)polygon clipped to it, rounding/orientation to GeoJSON conventions and label points.
 * Coordinates are lon/lat degrees treated as planar, which is good enough for synthetic data.
 * @module
 */
import { Delaunay } from 'd3-delaunay'
import polygonClipping from 'polygon-clipping'
import type { LonLat, RegionGeometry } from '../../../shared/domain.js'
import { pointInGeometry, pointInMultiPolygon, pointInPolygon, pointInRing } from '../../../shared/geo.js'
import type { Rng } from './rng.js'

/** A closed ring: first point equals last point. */
export type Ring = LonLat[]
/** Exterior ring followed by hole rings. */
export type Polygon = Ring[]
export type MultiPolygon = Polygon[]

/** Axis-aligned box `[minLon, minLat, maxLon, maxLat]`. */
export type BBox = [number, number, number, number]

/** Decimal places kept in generated coordinates. */
export const COORDINATE_DECIMALS = 5
const SCALE = 10 ** COORDINATE_DECIMALS

/** Rounds a coordinate to {@link COORDINATE_DECIMALS} places. */
export function roundCoord(v: number): number {
  return Math.round(v * SCALE) / SCALE
}

/** Signed area of a ring (shoelace); positive when counter-clockwise (lon = x, lat = y). */
export function ringSignedArea(ring: readonly LonLat[]): number {
  let sum = 0
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const p = ring[i] as LonLat
    const q = ring[j] as LonLat
    sum += (q[0] - p[0]) * (q[1] + p[1])
  }
  return sum / 2
}

/** Area of a polygon: exterior minus holes. */
export function polygonArea(poly: Polygon): number {
  let area = 0
  poly.forEach((ring, i) => {
    const a = Math.abs(ringSignedArea(ring))
    area += i === 0 ? a : -a
  })
  return area
}

/** Area of a multipolygon. */
export function multiPolygonArea(mp: MultiPolygon): number {
  return mp.reduce((s, p) => s + polygonArea(p), 0)
}

export { pointInGeometry, pointInMultiPolygon, pointInPolygon, pointInRing }

/** Normalises a GeoJSON region geometry to multipolygon coordinates. */
export function toMultiPolygon(g: RegionGeometry): MultiPolygon {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates
}

/** GeoJSON geometry from multipolygon coordinates: a `Polygon` when there is a single part. */
export function toGeometry(mp: MultiPolygon): RegionGeometry {
  if (mp.length === 1) return { type: 'Polygon', coordinates: mp[0] as Polygon }
  return { type: 'MultiPolygon', coordinates: mp }
}

/** Number of positions in a geometry (closing points included). */
export function coordinateCount(g: RegionGeometry): number {
  return toMultiPolygon(g).reduce((s, p) => s + p.reduce((t, r) => t + r.length, 0), 0)
}

/** Bounding box of a multipolygon. */
export function bboxOf(mp: MultiPolygon): BBox {
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (const poly of mp) {
    for (const [x, y] of poly[0] ?? []) {
      if (x < x0) x0 = x
      if (y < y0) y0 = y
      if (x > x1) x1 = x
      if (y > y1) y1 = y
    }
  }
  return [x0, y0, x1, y1]
}

/**
 * An irregular, star-shaped province outline: a closed counter-clockwise ring of `vertexCount`
 * vertices whose radius follows a few random low-frequency harmonics plus jitter, stretched to fill
 * `box`. Star-shaped with a positive radius, so it is always a simple polygon.
 */
export function makeOutline(rng: Rng, box: BBox, vertexCount: number): Ring {
  const harmonics = [
    { k: 2, amp: rng.float(0.08, 0.13), phase: rng.float(0, 2 * Math.PI) },
    { k: 3, amp: rng.float(0.06, 0.1), phase: rng.float(0, 2 * Math.PI) },
    { k: 4, amp: rng.float(0.03, 0.06), phase: rng.float(0, 2 * Math.PI) },
    { k: 6, amp: rng.float(0.02, 0.04), phase: rng.float(0, 2 * Math.PI) },
    { k: 9, amp: rng.float(0.015, 0.03), phase: rng.float(0, 2 * Math.PI) },
    { k: 15, amp: rng.float(0.006, 0.012), phase: rng.float(0, 2 * Math.PI) },
  ]
  const raw: [number, number][] = []
  for (let i = 0; i < vertexCount; i++) {
    const t = (2 * Math.PI * i) / vertexCount
    let r = 1
    for (const h of harmonics) r += h.amp * Math.sin(h.k * t + h.phase)
    r += rng.float(-0.01, 0.01)
    raw.push([r * Math.cos(t), r * Math.sin(t)])
  }
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (const [x, y] of raw) {
    x0 = Math.min(x0, x)
    y0 = Math.min(y0, y)
    x1 = Math.max(x1, x)
    y1 = Math.max(y1, y)
  }
  const ring: Ring = raw.map(([x, y]) => [
    roundCoord(box[0] + ((x - x0) / (x1 - x0)) * (box[2] - box[0])),
    roundCoord(box[1] + ((y - y0) / (y1 - y0)) * (box[3] - box[1])),
  ])
  ring.push([ring[0]![0], ring[0]![1]])
  return ring
}

/**
 * Rounds coordinates, drops repeated points, zero-width spikes and degenerate rings or parts, and
 * orients rings per RFC 7946 (exterior counter-clockwise, holes clockwise). Parts are sorted by
 * decreasing area.
 */
export function cleanMultiPolygon(mp: MultiPolygon, minArea = 1e-10): MultiPolygon {
  const out: MultiPolygon = []
  for (const poly of mp) {
    const rings: Ring[] = []
    poly.forEach((ring, idx) => {
      const cleaned = cleanRing(ring)
      if (!cleaned) return
      const area = ringSignedArea(cleaned)
      if (Math.abs(area) < minArea) return
      const wantPositive = idx === 0
      if (area > 0 !== wantPositive) cleaned.reverse()
      if (idx === 0 || rings.length > 0) rings.push(cleaned)
    })
    if (rings.length > 0 && poly[0] && rings[0] && ringSignedArea(rings[0]) > 0) out.push(rings)
  }
  out.sort((a, b) => polygonArea(b) - polygonArea(a))
  return out
}

function cleanRing(ring: readonly LonLat[]): Ring | null {
  const pts: Ring = []
  for (const [x, y] of ring) {
    const p: LonLat = [roundCoord(x), roundCoord(y)]
    const last = pts[pts.length - 1]
    if (last && last[0] === p[0] && last[1] === p[1]) continue
    const beforeLast = pts[pts.length - 2]
    if (beforeLast && beforeLast[0] === p[0] && beforeLast[1] === p[1]) {
      pts.pop() // A, B, A: a zero-width spike
      continue
    }
    pts.push(p)
  }
  // Drop the explicit closing point, then re-close.
  while (pts.length > 1) {
    const first = pts[0] as LonLat
    const last = pts[pts.length - 1] as LonLat
    if (first[0] === last[0] && first[1] === last[1]) pts.pop()
    else break
  }
  if (pts.length < 3) return null
  pts.push([pts[0]![0], pts[0]![1]])
  return pts
}

/** Area-weighted centroid of a polygon (holes subtracted); null for a degenerate polygon. */
export function polygonCentroid(poly: Polygon): [number, number] | null {
  let a = 0
  let cx = 0
  let cy = 0
  poly.forEach((ring, idx) => {
    // Shift to the ring's first point for numerical stability.
    const [ox, oy] = ring[0] ?? [0, 0]
    let ra = 0
    let rx = 0
    let ry = 0
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x0, y0] = ring[i] as LonLat
      const [x1, y1] = ring[i + 1] as LonLat
      const ax = x0 - ox
      const ay = y0 - oy
      const bx = x1 - ox
      const by = y1 - oy
      const cross = ax * by - bx * ay
      ra += cross
      rx += (ax + bx) * cross
      ry += (ay + by) * cross
    }
    ra /= 2
    if (ra === 0) return
    const ringCx = ox + rx / (6 * ra)
    const ringCy = oy + ry / (6 * ra)
    const w = (idx === 0 ? 1 : -1) * Math.abs(ra)
    a += w
    cx += ringCx * w
    cy += ringCy * w
  })
  if (a <= 0) return null
  return [cx / a, cy / a]
}

/**
 * A point inside a polygon: the midpoint of the widest horizontal run through the polygon on the
 * scanline at `y` (default: the middle of its bounding box). Falls back to the first vertex.
 */
function interiorPointOnScanline(poly: Polygon, y?: number): [number, number] {
  const outer = poly[0] as Ring
  let minY = Infinity
  let maxY = -Infinity
  for (const [, py] of outer) {
    minY = Math.min(minY, py)
    maxY = Math.max(maxY, py)
  }
  const tries = y === undefined ? [0.5, 0.37, 0.63, 0.25, 0.75, 0.12, 0.88] : [-1]
  for (const f of tries) {
    const sy = f < 0 ? (y as number) : minY + f * (maxY - minY)
    const xs: number[] = []
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i] as LonLat
        const [x1, y1] = ring[i + 1] as LonLat
        if (y0 > sy !== y1 > sy) xs.push(x0 + ((sy - y0) * (x1 - x0)) / (y1 - y0))
      }
    }
    xs.sort((a, b) => a - b)
    let best: [number, number] | null = null
    let bestWidth = 0
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = (xs[i + 1] as number) - (xs[i] as number)
      if (w > bestWidth) {
        bestWidth = w
        best = [((xs[i] as number) + (xs[i + 1] as number)) / 2, sy]
      }
    }
    if (best) return best
  }
  const p = outer[0] as LonLat
  return [p[0], p[1]]
}

/**
 * Label point of a multipolygon: the area-weighted centroid of its largest part, or, when that falls
 * outside the part (concave shapes), a point on a horizontal scanline that is inside it. Rounded.
 */
export function labelPoint(mp: MultiPolygon): LonLat {
  let largest: Polygon | undefined
  let largestArea = -Infinity
  for (const p of mp) {
    const a = polygonArea(p)
    if (a > largestArea) {
      largestArea = a
      largest = p
    }
  }
  if (!largest) throw new Error('labelPoint of an empty geometry')
  const c = polygonCentroid(largest)
  if (c) {
    const rounded: LonLat = [roundCoord(c[0]), roundCoord(c[1])]
    if (pointInPolygon(rounded, largest)) return rounded
    const onLine = interiorPointOnScanline(largest, c[1])
    const r2: LonLat = [roundCoord(onLine[0]), roundCoord(onLine[1])]
    if (pointInPolygon(r2, largest)) return r2
  }
  const p = interiorPointOnScanline(largest)
  return [roundCoord(p[0]), roundCoord(p[1])]
}

/** A uniformly random point inside `mp` (rejection sampling), optionally within `radius` of `center`. */
function randomPointInside(
  rng: Rng,
  mp: MultiPolygon,
  box: BBox,
  center?: readonly [number, number],
  radius?: number,
): [number, number] | null {
  let [x0, y0, x1, y1] = box
  if (center && radius !== undefined) {
    x0 = Math.max(x0, center[0] - radius)
    x1 = Math.min(x1, center[0] + radius)
    y0 = Math.max(y0, center[1] - radius)
    y1 = Math.min(y1, center[1] + radius)
  }
  for (let attempt = 0; attempt < 400; attempt++) {
    const p: [number, number] = [rng.float(x0, x1), rng.float(y0, y1)]
    if (center && radius !== undefined && Math.hypot(p[0] - center[0], p[1] - center[1]) > radius) continue
    if (pointInMultiPolygon(p, mp)) return p
  }
  return null
}

/** Options of {@link sampleSeeds}. */
export interface SeedOptions {
  /** Number of seeds clustered around `center` (urban districts, 街道). */
  core: number
  /** Number of seeds spread over the whole parent. */
  rest: number
  /** Where the core cluster sits; must be inside the parent. */
  center: readonly [number, number]
  /** Radius of the core cluster as a fraction of the parent's equivalent-circle radius. */
  coreRadius: number
  /** Candidates per seed in Mitchell's best-candidate sampling; more means more even spacing. */
  candidates?: number
}

/**
 * Seed points inside `parent` for a Voronoi partition, by Mitchell's best-candidate sampling (each
 * seed is the candidate farthest from the seeds chosen so far). The first `core` seeds are clustered
 * around `center`, giving smaller, denser cells there; the other `rest` are spread over the parent.
 */
export function sampleSeeds(rng: Rng, parent: MultiPolygon, opts: SeedOptions): [number, number][] {
  const box = bboxOf(parent)
  const equivalentRadius = Math.sqrt(multiPolygonArea(parent) / Math.PI)
  const coreRadius = equivalentRadius * opts.coreRadius
  const k = opts.candidates ?? 12
  const seeds: [number, number][] = []
  const minDist = (p: readonly [number, number]): number => {
    let d = Infinity
    for (const s of seeds) d = Math.min(d, (s[0] - p[0]) ** 2 + (s[1] - p[1]) ** 2)
    return d
  }
  const add = (core: boolean): void => {
    let best: [number, number] | null = null
    let bestD = -1
    for (let c = 0; c < k; c++) {
      const p = core
        ? randomPointInside(rng, parent, box, opts.center, coreRadius)
        : randomPointInside(rng, parent, box)
      if (!p) continue
      const d = minDist(p)
      if (d > bestD) {
        bestD = d
        best = p
      }
    }
    if (!best || bestD <= 1e-14) {
      // Pathologically thin parent: jitter around the centre until the point is new and inside.
      for (let attempt = 0; attempt < 1000; attempt++) {
        const r = equivalentRadius * 0.2 * rng.next()
        const t = rng.float(0, 2 * Math.PI)
        const p: [number, number] = [opts.center[0] + r * Math.cos(t), opts.center[1] + r * Math.sin(t)]
        if (pointInMultiPolygon(p, parent) && minDist(p) > 1e-14) {
          best = p
          break
        }
      }
    }
    if (!best) throw new Error('could not place a Voronoi seed')
    seeds.push(best)
  }
  for (let i = 0; i < opts.core; i++) add(true)
  for (let i = 0; i < opts.rest; i++) add(false)
  return seeds
}

/** Intersection of a (convex) cell with the parent, robust against rare clipping-library failures. */
function clipCell(parent: MultiPolygon, cell: Ring): MultiPolygon {
  try {
    return polygonClipping.intersection(parent, [cell])
  } catch {
    // Nudge the cell by a hair and retry; then fall back to Sutherland–Hodgman.
    try {
      const nudged = cell.map(([x, y]) => [x + 1e-9, y - 1e-9] as LonLat)
      return polygonClipping.intersection(parent, [nudged])
    } catch {
      return sutherlandHodgman(parent, cell)
    }
  }
}

/** Clips every ring of `subject` against a convex `clip` ring (fallback only; may leave slivers). */
function sutherlandHodgman(subject: MultiPolygon, clip: Ring): MultiPolygon {
  const clipPts = clip.slice(0, -1)
  const ccw = ringSignedArea(clip) > 0
  const inside = (p: LonLat, a: LonLat, b: LonLat): boolean => {
    const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    return ccw ? cross >= 0 : cross <= 0
  }
  const intersect = (p: LonLat, q: LonLat, a: LonLat, b: LonLat): LonLat => {
    const d = (p[0] - q[0]) * (a[1] - b[1]) - (p[1] - q[1]) * (a[0] - b[0])
    const t = ((p[0] - a[0]) * (a[1] - b[1]) - (p[1] - a[1]) * (a[0] - b[0])) / d
    return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
  }
  const out: MultiPolygon = []
  for (const poly of subject) {
    const rings: Ring[] = []
    for (const ring of poly) {
      let pts = ring.slice(0, -1)
      for (let i = 0; i < clipPts.length && pts.length > 0; i++) {
        const a = clipPts[i] as LonLat
        const b = clipPts[(i + 1) % clipPts.length] as LonLat
        const input = pts
        pts = []
        for (let j = 0; j < input.length; j++) {
          const cur = input[j] as LonLat
          const prev = input[(j + input.length - 1) % input.length] as LonLat
          if (inside(cur, a, b)) {
            if (!inside(prev, a, b)) pts.push(intersect(prev, cur, a, b))
            pts.push(cur)
          } else if (inside(prev, a, b)) pts.push(intersect(prev, cur, a, b))
        }
      }
      if (pts.length >= 3) rings.push([...pts, pts[0] as LonLat])
      else if (rings.length === 0) break
    }
    if (rings.length > 0) out.push(rings)
  }
  return out
}

/**
 * Partitions `parent` into one cell per seed: the Voronoi cell of each seed (d3-delaunay) intersected
 * with the parent (polygon-clipping). The cells tile the parent. Returned coordinates are unrounded;
 * pass them through {@link cleanMultiPolygon}.
 */
export function voronoiPartition(parent: MultiPolygon, seeds: readonly [number, number][]): MultiPolygon[] {
  const [x0, y0, x1, y1] = bboxOf(parent)
  const margin = Math.max(x1 - x0, y1 - y0) * 0.05 + 1e-3
  const voronoi = Delaunay.from(seeds).voronoi([x0 - margin, y0 - margin, x1 + margin, y1 + margin])
  return seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i) as unknown as LonLat[] | null
    if (!cell || cell.length < 4) return []
    return clipCell(parent, cell)
  })
}

/**
 * Lloyd relaxation of the seeds with index ≥ `fixedCount`: each moves to the centroid of its clipped
 * cell when that centroid lies inside the parent. Returns new seeds; the first `fixedCount` stay.
 */
export function relaxSeeds(
  parent: MultiPolygon,
  seeds: readonly [number, number][],
  fixedCount: number,
): [number, number][] {
  const cells = voronoiPartition(parent, seeds)
  return seeds.map((s, i) => {
    if (i < fixedCount) return s
    const cell = cells[i]
    if (!cell || cell.length === 0) return s
    let best: Polygon | undefined
    let bestArea = -1
    for (const p of cell) {
      const a = polygonArea(p)
      if (a > bestArea) {
        bestArea = a
        best = p
      }
    }
    const c = best ? polygonCentroid(best) : null
    return c && pointInMultiPolygon(c, parent) ? c : s
  })
}
