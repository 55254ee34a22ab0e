import { describe, expect, it } from 'vitest'
import type { RegionGeometry } from '../../shared/domain.js'
import { bboxOf, contains, fitProjection, padBBox, svgPath, viewOf } from './map-projection.js'

/** 鸣河区's outline in the demo province. */
const county: RegionGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [112.53065, 28.259],
      [112.61937, 28.13256],
      [112.80291, 28.1073],
      [112.77915, 28.40857],
      [112.63514, 28.46021],
      [112.53065, 28.259],
    ],
  ],
}

const square = (x: number, y: number, s: number): RegionGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ],
  ],
})

describe('the appeal map projection', () => {
  it('fits the box to the width and keeps its shape (latitude true to longitude)', () => {
    const box = bboxOf([county])!
    expect(box).toEqual({ minLon: 112.53065, minLat: 28.1073, maxLon: 112.80291, maxLat: 28.46021 })
    const p = fitProjection(box, 1000)
    expect(p.width).toBe(1000)
    // 0.27226° of longitude at 28.28° N is 0.2397° of latitude's length: the box is taller than wide.
    expect(p.height).toBeCloseTo((1000 * 0.35291) / (0.27226 * Math.cos((28.283755 * Math.PI) / 180)), 6)
    const [x0, y0] = p.project([box.minLon, box.maxLat])
    const [x1, y1] = p.project([box.maxLon, box.minLat])
    expect([x0, y0]).toEqual([0, 0])
    expect(x1).toBeCloseTo(1000, 9)
    expect(y1).toBeCloseTo(p.height, 9)
  })

  it('turns a tap back into the longitude and latitude it was drawn at', () => {
    const p = fitProjection(padBBox(bboxOf([county])!, 0.05), 1000)
    for (const point of [
      [112.68574, 28.32584],
      [112.6, 28.2],
      [112.8, 28.45],
    ] as const) {
      const [lon, lat] = p.invert(p.project([point[0], point[1]]))
      expect(lon).toBeCloseTo(point[0], 9)
      expect(lat).toBeCloseTo(point[1], 9)
    }
    // North is up: a point further north is drawn higher (smaller y).
    expect(p.project([112.6, 28.4])[1]).toBeLessThan(p.project([112.6, 28.2])[1])
  })

  it('zooms to a box with a view rectangle in the same units', () => {
    // On the equator a degree of longitude is a degree of latitude.
    const p = fitProjection({ minLon: 0, minLat: -1, maxLon: 2, maxLat: 1 }, 200)
    expect(viewOf(p, { minLon: 1, minLat: -1, maxLon: 2, maxLat: 0 })).toEqual({
      x: 100,
      y: 100,
      w: 100,
      h: 100,
    })
  })

  it('finds the street a point lies in, holes excluded', () => {
    expect(contains(county, [112.68574, 28.32584])).toBe(true)
    expect(contains(county, [112.5, 28.3])).toBe(false)
    const withHole: RegionGeometry = {
      type: 'Polygon',
      coordinates: [square(0, 0, 10).coordinates[0]!, square(4, 4, 2).coordinates[0]!] as never,
    }
    expect(contains(withHole, [1, 1])).toBe(true)
    expect(contains(withHole, [5, 5])).toBe(false)
    const multi: RegionGeometry = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 1).coordinates, square(5, 5, 1).coordinates] as never,
    }
    expect(contains(multi, [5.5, 5.5])).toBe(true)
    expect(contains(multi, [3, 3])).toBe(false)
  })

  it('draws each ring as a closed SVG path', () => {
    const p = fitProjection({ minLon: 0, minLat: -0.5, maxLon: 1, maxLat: 0.5 }, 100)
    expect(svgPath(square(0, -0.5, 1), p)).toBe('M0.0 100.0L100.0 100.0L100.0 0.0L0.0 0.0L0.0 100.0Z')
  })
})
