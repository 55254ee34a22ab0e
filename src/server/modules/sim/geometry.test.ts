import { describe, expect, it } from 'vitest'
import type { LonLat } from '../../../shared/domain.js'
import {
  type MultiPolygon,
  cleanMultiPolygon,
  labelPoint,
  makeOutline,
  multiPolygonArea,
  pointInMultiPolygon,
  pointInPolygon,
  ringSignedArea,
  sampleSeeds,
  voronoiPartition,
} from './geometry.js'
import { Rng } from './rng.js'

const square = (x: number, y: number, s: number): LonLat[] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
]

describe('geometry helpers', () => {
  it('orients rings per RFC 7946 and drops repeated points', () => {
    const cw = square(0, 0, 1).reverse()
    const hole = square(0.25, 0.25, 0.5)
    const cleaned = cleanMultiPolygon([[[cw[0] as LonLat, ...cw], hole]])
    expect(cleaned).toHaveLength(1)
    const [outer, inner] = cleaned[0] as LonLat[][]
    expect(ringSignedArea(outer as LonLat[])).toBeGreaterThan(0)
    expect(ringSignedArea(inner as LonLat[])).toBeLessThan(0)
    expect(outer).toHaveLength(5)
    expect(multiPolygonArea(cleaned)).toBeCloseTo(0.75, 10)
  })

  it('finds a label point inside a concave (U-shaped) polygon', () => {
    const u: LonLat[] = [
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ]
    const mp: MultiPolygon = [[u]]
    const p = labelPoint(mp)
    expect(pointInPolygon(p, [u])).toBe(true)
  })

  it('partitions an outline into cells that tile it', () => {
    const rng = Rng.for(1, 'test')
    const outline = cleanMultiPolygon([[makeOutline(rng, [110, 25, 112, 27], 120)]])
    const seeds = sampleSeeds(rng, outline, {
      core: 3,
      rest: 9,
      center: labelPoint(outline),
      coreRadius: 0.3,
    })
    expect(seeds).toHaveLength(12)
    for (const s of seeds) expect(pointInMultiPolygon(s, outline)).toBe(true)
    const cells = voronoiPartition(outline, seeds).map((c) => cleanMultiPolygon(c))
    const total = cells.reduce((s, c) => s + multiPolygonArea(c), 0)
    expect(Math.abs(total - multiPolygonArea(outline)) / multiPolygonArea(outline)).toBeLessThan(1e-6)
    cells.forEach((c, i) => expect(pointInMultiPolygon(seeds[i] as [number, number], c)).toBe(true))
  })
})
