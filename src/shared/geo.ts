/**
 * Point-in-region tests on GeoJSON region geometries (lon/lat degrees, treated as planar, which is
 * exact enough at the scale of a street), shared by the server (locating an appeal's pin) and the demo
 * generator. Pure.
 * @module
 */
import type { LonLat, RegionGeometry } from './domain.js'

/** Even–odd point-in-ring test (ray casting). Points exactly on an edge may go either way. */
export function pointInRing(pt: readonly [number, number], ring: readonly LonLat[]): boolean {
  const [x, y] = pt
  let inside = false
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i] as LonLat
    const [xj, yj] = ring[j] as LonLat
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Whether a point lies inside a polygon's exterior and outside its holes. */
export function pointInPolygon(pt: readonly [number, number], poly: readonly (readonly LonLat[])[]): boolean {
  const [outer, ...holes] = poly
  if (!outer || !pointInRing(pt, outer)) return false
  return !holes.some((h) => pointInRing(pt, h))
}

/** Whether a point lies inside any polygon of a multipolygon. */
export function pointInMultiPolygon(
  pt: readonly [number, number],
  mp: readonly (readonly (readonly LonLat[])[])[],
): boolean {
  return mp.some((p) => pointInPolygon(pt, p))
}

/** Whether a point lies inside a GeoJSON region geometry. */
export function pointInGeometry(pt: readonly [number, number], g: RegionGeometry): boolean {
  return g.type === 'Polygon' ? pointInPolygon(pt, g.coordinates) : pointInMultiPolygon(pt, g.coordinates)
}

/** Great-circle distance in metres between two points (haversine). */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)))
}
