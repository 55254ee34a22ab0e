import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DAY_MS, HOUR_MS } from './analytics.model.js'
import {
  bucketCount,
  fillSeries,
  histogramOf,
  isOutlier,
  periodBuckets,
  rangeBins,
  rateBins,
  share,
  sortedQuantile,
  spreadOf,
  topicLabel,
} from './analytics-hall.model.js'

const bj = (s: string) => Date.parse(`${s}+08:00`)

describe('periodBuckets and fillSeries', () => {
  it('widens a period to whole hours or Beijing days and fills every bucket', () => {
    const p = periodBuckets('h', bj('2031-03-01T10:20:00'), bj('2031-03-01T13:00:00'))
    expect(p).toEqual({ from: bj('2031-03-01T10:00:00'), to: bj('2031-03-01T13:00:00') })
    expect(bucketCount('h', p.from, p.to)).toBe(3)
    const counts = new Map([[bj('2031-03-01T11:00:00'), 4]])
    expect(fillSeries('h', p.from, p.to, counts)).toEqual([
      { t: bj('2031-03-01T10:00:00'), n: 0 },
      { t: bj('2031-03-01T11:00:00'), n: 4 },
      { t: bj('2031-03-01T12:00:00'), n: 0 },
    ])
    const d = periodBuckets('d', bj('2031-03-01T10:00:00'), bj('2031-03-03T00:00:01'))
    expect(d).toEqual({ from: bj('2031-03-01T00:00:00'), to: bj('2031-03-04T00:00:00') })
    expect(fillSeries('d', d.from, d.to, new Map()).map((x) => x.t)).toEqual([
      bj('2031-03-01T00:00:00'),
      bj('2031-03-02T00:00:00'),
      bj('2031-03-03T00:00:00'),
    ])
    expect(periodBuckets('d', bj('2031-03-02T00:00:00'), bj('2031-03-02T00:00:00'))).toEqual({
      from: bj('2031-03-02T00:00:00'),
      to: bj('2031-03-02T00:00:00'),
    })
  })

  it('always covers the period with whole buckets, one point each', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('h' as const, 'd' as const),
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 0, max: 40 * DAY_MS }),
        (grain, from, len) => {
          const p = periodBuckets(grain, from, from + len)
          const step = grain === 'h' ? HOUR_MS : DAY_MS
          expect(p.from).toBeLessThanOrEqual(from)
          expect(p.to).toBeGreaterThanOrEqual(from + len)
          expect(p.to - (from + len)).toBeLessThan(step)
          expect(fillSeries(grain, p.from, p.to, new Map())).toHaveLength(bucketCount(grain, p.from, p.to))
        },
      ),
    )
  })
})

describe('histograms and shares', () => {
  it('reads bins from rollup dimensions, leaving out matter splits', () => {
    const bins = histogramOf([
      { dim: '10', n: 2 },
      { dim: '10', n: 1 },
      { dim: '12', n: 4 },
      { dim: 'matter:BIZ@1|10', n: 9 },
      { dim: '', n: 7 },
    ])
    expect([...bins]).toEqual([
      [10, 3],
      [12, 4],
    ])
    expect(share(1, 4)).toBe(0.25)
    expect(share(0, 0)).toBeNull()
  })
})

describe('spread and outliers', () => {
  it('flags a value two standard deviations out, and one outside Tukey’s fences', () => {
    // 0.9 ×4 and 0.2: mean 0.76, σ = √(0.392 / 5) = 0.28, z(0.2) = −0.56 / 0.28 = −2 exactly.
    const s = spreadOf([0.9, 0.9, 0.9, 0.9, 0.2])
    expect(s.mean).toBeCloseTo(0.76, 12)
    expect(s.stddev).toBeCloseTo(0.28, 12)
    expect(s.fences).toEqual({ lower: 0.9, upper: 0.9 })
    expect(isOutlier(0.2, s)).toBe(true)
    expect(isOutlier(0.9, s)).toBe(false)
    // 1..8 and 30: Q1 = 3 and Q3 = 7 (ranks 3 and 7 of 9), fences −3 and 13; 8 is inside both rules.
    const t = spreadOf([1, 2, 3, 4, 5, 6, 7, 8, 30])
    expect(t.fences).toEqual({ lower: -3, upper: 13 })
    expect(isOutlier(30, t)).toBe(true)
    expect(isOutlier(8, t)).toBe(false)
    // A z-score under 2 but outside the fences: 1 ×10, 5 and 100 (Q1 = Q3 = 1; the 100 widens σ).
    const u = spreadOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 100])
    expect(Math.abs(5 - u.mean!) / u.stddev!).toBeLessThan(2)
    expect(isOutlier(5, u)).toBe(true)
    expect(isOutlier(1, u)).toBe(false)
    expect(spreadOf([])).toEqual({ mean: null, stddev: null, fences: null })
    expect(isOutlier(5, spreadOf([5, 5, 5]))).toBe(false)
  })

  it('interpolates quantiles between closest ranks', () => {
    expect(sortedQuantile([1, 2, 3, 4], 0.25)).toBe(1.75)
    expect(sortedQuantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(sortedQuantile([7], 0.9)).toBe(7)
    expect(sortedQuantile([], 0.5)).toBeNull()
  })
})

describe('histogram bins of officials', () => {
  it('bins rates by tenths, the last one closed', () => {
    const bins = rateBins([0, 0.2, 0.95, 1, 0.3])
    expect(bins).toHaveLength(10)
    expect(bins.map((b) => b.count)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 2])
    expect(bins[9]).toEqual({ lower: 0.9, upper: 1, count: 2 })
  })

  it('bins other values in Sturges’ count of equal widths', () => {
    const bins = rangeBins([10, 10, 10, 10, 50])
    expect(bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [10, 20, 4],
      [20, 30, 0],
      [30, 40, 0],
      [40, 50, 1],
    ])
    expect(rangeBins([3, 3])).toEqual([{ lower: 3, upper: 3, count: 2 }])
    expect(rangeBins([])).toEqual([])
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 300 }), (vs) => {
        expect(rangeBins(vs).reduce((s, b) => s + b.count, 0)).toBe(vs.length)
      }),
    )
  })
})

describe('topic labels', () => {
  it('names a category topic in Chinese and keeps a word', () => {
    expect(topicLabel('停车')).toBe('停车')
    expect(topicLabel('category:service/delay')).toBe('政务服务 / 办理超时')
    expect(topicLabel('category:service')).toBe('政务服务')
    expect(topicLabel('category:nothing')).toBe('其他类别')
    expect(topicLabel('category:constructor')).toBe('其他类别')
  })
})
