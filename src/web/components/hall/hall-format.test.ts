import { describe, expect, it } from 'vitest'
import { translate } from '../../i18n.js'
import type { Translate } from '../../i18n.js'
import { provinceIso } from '../../time.js'
import {
  formatDuration,
  formatDurationShort,
  formatRate,
  formatShare,
  grainOf,
  periodOf,
} from './hall-format.js'

const t: Translate = (key, params) => translate('zh-CN', key, params)
const H = 3_600_000

describe('the pickers’ periods, in Beijing time', () => {
  // Friday 2026-12-04 03:00 in Beijing is Thursday 19:00 UTC.
  const now = Date.parse('2026-12-03T19:00:00Z')
  it.each([
    ['day', '2026-12-04T00:00:00+08:00'],
    ['week', '2026-11-30T00:00:00+08:00'],
    ['month', '2026-12-01T00:00:00+08:00'],
    ['quarter', '2026-10-01T00:00:00+08:00'],
    ['last7', '2026-11-28T00:00:00+08:00'],
    ['last30', '2026-11-05T00:00:00+08:00'],
  ] as const)('%s starts %s and ends now', (kind, from) => {
    const p = periodOf(kind, now)
    expect(provinceIso(p.from)).toBe(from)
    expect(p.to).toBeUndefined()
  })
  it('a week starting on a Sunday goes back to Monday', () => {
    expect(provinceIso(periodOf('week', Date.parse('2026-12-06T04:00:00Z')).from)).toBe(
      '2026-11-30T00:00:00+08:00',
    )
  })
  it('custom days are kept; hours for two days or less, else days', () => {
    const custom: [number, number] = [now, now + 2 * 24 * H]
    expect(periodOf('custom', now, custom)).toEqual({ from: now, to: now + 2 * 24 * H })
    expect(grainOf({ from: now, to: now + 2 * 24 * H }, now)).toBe('h')
    expect(grainOf({ from: now - 3 * 24 * H }, now)).toBe('d')
  })
})

describe('number formats', () => {
  it('durations in words and short', () => {
    expect(formatDuration(null, t)).toBe('—')
    expect(formatDuration(12 * 60_000, t)).toBe('12 分钟')
    expect(formatDuration(3.5 * H, t)).toBe('3.5 小时')
    expect(formatDuration(50 * H, t)).toBe('2.1 天')
    expect(formatDurationShort(4 * H, t)).toBe('4时')
  })
  it('shares and rates per 10,000', () => {
    expect(formatShare(0.7341)).toBe('73.4%')
    expect(formatShare(null)).toBe('—')
    expect([
      formatRate(null),
      formatRate(0),
      formatRate(0.000923),
      formatRate(3.45),
      formatRate(123.4),
    ]).toEqual(['—', '0', '0.00092', '3.5', '123'])
  })
})
