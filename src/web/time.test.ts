// Run as if the browser were in New York: every time must still come out in Beijing time. Node reads
// TZ again when it is assigned, so this takes effect before any formatter below is built.
process.env.TZ = 'America/New_York'

import { describe, expect, it } from 'vitest'
import {
  beijingWallClock,
  fromBeijingWallClock,
  provinceFormat,
  provinceIso,
  timeFormatters,
} from './time.js'

/** 2026-12-03 09:35:06.789 UTC = 17:35:06 in Beijing, 04:35:06 in New York (EST). */
const AT = Date.UTC(2026, 11, 3, 9, 35, 6, 789)
/** 2026-07-01 20:00 UTC = 04:00 the next day in Beijing; New York is on daylight time then. */
const SUMMER_NIGHT = Date.UTC(2026, 6, 1, 20, 0, 0)

describe('times in the province zone, whatever the local zone', () => {
  it('runs in a zone other than Beijing (else this test proves nothing)', () => {
    expect(new Date(AT).getHours()).toBe(4)
    expect(new Date(AT).getTimezoneOffset()).toBe(300)
  })

  it('formats date and time in Beijing time in Chinese', () => {
    const f = timeFormatters('zh-CN')
    expect(f.dateTime(AT)).toBe('2026/12/03 17:35:06')
    expect(f.dateMinute(AT)).toBe('2026/12/03 17:35')
    expect(f.date(AT)).toBe('2026/12/03')
    expect(f.time(AT)).toBe('17:35:06')
  })

  it('formats in Beijing time in English too, and across a date line', () => {
    const f = timeFormatters('en')
    expect(f.dateTime(AT)).toBe('12/03/2026, 17:35:06')
    expect(f.date(SUMMER_NIGHT)).toBe('07/02/2026')
    expect(timeFormatters('zh-CN').dateMinute(SUMMER_NIGHT)).toBe('2026/07/02 04:00')
  })

  it('overrides a time zone a caller passes', () => {
    expect(provinceFormat('zh-CN', { hour: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(AT)).toBe(
      '17时',
    )
  })

  it('writes ISO 8601 with the +08:00 offset', () => {
    expect(provinceIso(AT)).toBe('2026-12-03T17:35:06+08:00')
    expect(Date.parse(provinceIso(AT))).toBe(AT - 789)
  })
})

describe('the Beijing wall clock', () => {
  it('reads an instant as Beijing time and back', () => {
    const ms = Date.UTC(2026, 11, 31, 17, 5) // 2027-01-01 01:05 in Beijing
    expect(beijingWallClock(ms)).toEqual({ year: 2027, month: 0, day: 1, hour: 1, minute: 5 })
    expect(fromBeijingWallClock(beijingWallClock(ms))).toBe(ms)
  })
})
