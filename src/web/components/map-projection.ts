/**
 * The arithmetic of the appeal map (`appeal-map-pin.tsx`): an equirectangular projection of a small
 * area (a county) into SVG units and back, so a tap on the drawing becomes a longitude and latitude,
 * which street a point lies in, and SVG paths of the regions' GeoJSON. Pure.
 *
 * Over a county (tens of kilometres) the plain projection x = (lon − lon₀)·cos φ₀, y = −(lat − lat₀)
 * is off by far less than a finger's width on a phone, and it inverts exactly.
 * @module
 */
import type { LonLat, RegionGeometry } from '../../shared/domain.js'

export interface BBox {
  minLon: number
  minLat: number
  maxLon: number
  maxLat: number
}

/** A projection of a bounding box onto `width` × `height` SVG units (north up, the box filling it). */
export interface Projection {
  readonly width: number
  readonly height: number
  project(p: LonLat): [number, number]
  invert(xy: readonly [number, number]): LonLat
}

function rings(geometry: RegionGeometry): LonLat[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
}

/** The bounding box of some geometries, or undefined when there are none. */
export function bboxOf(geometries: readonly RegionGeometry[]): BBox | undefined {
  let box: BBox | undefined
  for (const g of geometries)
    for (const ring of rings(g))
      for (const [lon, lat] of ring) {
        if (!box) box = { minLon: lon, minLat: lat, maxLon: lon, maxLat: lat }
        else {
          box.minLon = Math.min(box.minLon, lon)
          box.maxLon = Math.max(box.maxLon, lon)
          box.minLat = Math.min(box.minLat, lat)
          box.maxLat = Math.max(box.maxLat, lat)
        }
      }
  return box
}

/** The box grown by `ratio` of its size on every side. */
export function padBBox(box: BBox, ratio: number): BBox {
  const dx = (box.maxLon - box.minLon) * ratio
  const dy = (box.maxLat - box.minLat) * ratio
  return {
    minLon: box.minLon - dx,
    minLat: box.minLat - dy,
    maxLon: box.maxLon + dx,
    maxLat: box.maxLat + dy,
  }
}

/**
 * The projection of `box` onto a drawing `width` units wide; its height follows the box's shape
 * (latitude kept true to longitude at the box's middle).
 */
export function fitProjection(box: BBox, width: number): Projection {
  const lat0 = (box.minLat + box.maxLat) / 2
  const k = Math.cos((lat0 * Math.PI) / 180)
  const spanX = Math.max((box.maxLon - box.minLon) * k, 1e-9)
  const spanY = Math.max(box.maxLat - box.minLat, 1e-9)
  const scale = width / spanX
  const height = spanY * scale
  return {
    width,
    height,
    project: ([lon, lat]) => [(lon - box.minLon) * k * scale, (box.maxLat - lat) * scale],
    invert: ([x, y]) => [box.minLon + x / scale / k, box.maxLat - y / scale],
  }
}

/** The SVG-unit rectangle of a box under a projection: what a `viewBox` zoomed to it shows. */
export function viewOf(projection: Projection, box: BBox): { x: number; y: number; w: number; h: number } {
  const [x0, y0] = projection.project([box.minLon, box.maxLat])
  const [x1, y1] = projection.project([box.maxLon, box.minLat])
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

/** Ray casting: whether a point lies inside a ring (points on the edge may go either way). */
function inRing([x, y]: LonLat, ring: readonly LonLat[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LonLat
    const [xj, yj] = ring[j] as LonLat
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Whether a point lies in a polygon or multipolygon (inside the outer ring, outside its holes). */
export function contains(geometry: RegionGeometry, p: LonLat): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  return polygons.some(
    ([outer, ...holes]) => outer !== undefined && inRing(p, outer) && !holes.some((h) => inRing(p, h)),
  )
}

/** An SVG path (`M … L … Z` per ring, even-odd holes) of a geometry under a projection. */
export function svgPath(geometry: RegionGeometry, projection: Projection): string {
  return rings(geometry)
    .map(
      (ring) =>
        ring
          .map((p, i) => {
            const [x, y] = projection.project(p)
            return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`
          })
          .join('') + 'Z',
    )
    .join('')
}

/** Rounds a coordinate to 6 decimals (about 0.1 m): what is sent and shown. */
export function roundCoord(v: number): number {
  return Math.round(v * 1e6) / 1e6
}
