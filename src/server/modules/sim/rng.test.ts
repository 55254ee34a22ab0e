import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Permutation, Rng, WeightedTable, seedHash } from './rng.js'

describe('Rng', () => {
  it('repeats a stream for the same seed and label and differs otherwise', () => {
    const draw = (seed: number, label: string): number[] => {
      const r = Rng.for(seed, label)
      return Array.from({ length: 8 }, () => r.nextUint32())
    }
    expect(draw(1, 'a')).toEqual(draw(1, 'a'))
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'))
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'))
    expect(seedHash(1)).not.toBe(seedHash(1 + 2 ** 32))
  })

  it('draws floats in [0, 1) and integers in range, roughly uniformly', () => {
    const r = Rng.for(7, 'uniform')
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 20_000; i++) {
      const x = r.next()
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
      const k = r.int(0, 9)
      buckets[k] = (buckets[k] as number) + 1
    }
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(250)
  })

  it('keeps int() within bounds for any range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const r = Rng.for(seed, 'int')
        const v = r.int(min, min + span)
        expect(v).toBeGreaterThanOrEqual(min)
        expect(v).toBeLessThanOrEqual(min + span)
      }),
    )
  })
})

describe('WeightedTable', () => {
  it('never draws a zero-weight index and follows the weights', () => {
    const t = new WeightedTable([1, 0, 3])
    const counts = [0, 0, 0]
    const r = Rng.for(3, 'weights')
    for (let i = 0; i < 8000; i++) {
      const k = t.draw(r)
      counts[k] = (counts[k] as number) + 1
    }
    expect(counts[1]).toBe(0)
    expect(Math.abs((counts[2] as number) / (counts[0] as number) - 3)).toBeLessThan(0.4)
    expect(() => new WeightedTable([])).toThrow(RangeError)
  })
})

describe('Permutation', () => {
  it('is a bijection on [0, size)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer(), (size, key) => {
        const p = new Permutation(size, key)
        const seen = new Set<number>()
        for (let i = 0; i < size; i++) {
          const v = p.apply(i)
          expect(v).toBeGreaterThanOrEqual(0)
          expect(v).toBeLessThan(size)
          seen.add(v)
        }
        expect(seen.size).toBe(size)
      }),
      { numRuns: 40 },
    )
  })
})
