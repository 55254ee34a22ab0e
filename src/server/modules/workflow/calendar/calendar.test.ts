import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CHINA_HOLIDAY_SCHEDULES,
  CalendarError,
  DurationError,
  WorkCalendar,
  chinaCalendarConfig,
  chinaWorkCalendar,
  parseDuration,
} from './index.js'

const cal = chinaWorkCalendar()
/** Beijing local time `YYYY-MM-DD HH:MM` → epoch ms. */
const at = (local: string): number => Date.parse(`${local.replace(' ', 'T')}:00+08:00`)
/** epoch ms → Beijing local `YYYY-MM-DD HH:MM`. */
const local = (ms: number): string =>
  new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
const due = (from: string, n: number): string => local(cal.addWorkingDays(at(from), n))

describe('working days', () => {
  it('knows weekends, holidays and make-up days', () => {
    expect(cal.isWorkingDay('2026-03-06')).toBe(true) // Friday
    expect(cal.isWorkingDay('2026-03-07')).toBe(false) // Saturday
    expect(cal.isWorkingDay('2026-03-08')).toBe(false) // Sunday
    expect(cal.isWorkingDay('2026-10-01')).toBe(false) // National Day
    expect(cal.isWorkingDay('2026-10-07')).toBe(false)
    expect(cal.isWorkingDay('2026-10-08')).toBe(true)
    expect(cal.isWorkingDay('2026-10-10')).toBe(true) // make-up Saturday
    expect(cal.isWorkingDay('2026-09-20')).toBe(true) // make-up Sunday
    expect(cal.isWorkingDay('2026-02-14')).toBe(true) // make-up Saturday before Spring Festival
    expect(cal.isWorkingDay('2026-02-17')).toBe(false) // Spring Festival
    expect(cal.isWorkingDay(at('2026-10-10 23:59'))).toBe(true) // an instant counts by its Beijing date
    expect(cal.isWorkingDay(at('2026-10-10 23:59') + 60_000)).toBe(false) // 00:00 on Sunday 11 October
  })

  it('has 248 working days in each shipped year (365 − 104 weekend days − 13 statutory holidays)', () => {
    for (const { year } of CHINA_HOLIDAY_SCHEDULES) {
      let n = 0
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        if (cal.isWorkingDay(new Date(t).toISOString().slice(0, 10))) n++
      }
      expect(n, String(year)).toBe(248)
    }
  })

  it('marks 2027 as a projection', () => {
    expect(CHINA_HOLIDAY_SCHEDULES.find((s) => s.year === 2027)?.status).toBe('projected')
    expect(CHINA_HOLIDAY_SCHEDULES.find((s) => s.year === 2026)?.status).toBe('official')
  })
})

describe('addWorkingDays (承诺时限)', () => {
  it('starts counting on the working day after the day of submission and ends at 17:30', () => {
    expect(due('2026-03-09 10:00', 1)).toBe('2026-03-10 17:30') // Monday → Tuesday
    expect(due('2026-03-09 10:00', 5)).toBe('2026-03-16 17:30') // a full week later
    expect(due('2026-03-06 10:00', 1)).toBe('2026-03-09 17:30') // Friday → Monday
    expect(due('2026-03-06 10:00', 2)).toBe('2026-03-10 17:30')
  })

  it('skips the National Day week and counts its make-up Saturday', () => {
    expect(due('2026-09-30 10:00', 1)).toBe('2026-10-08 17:30')
    expect(due('2026-09-30 10:00', 2)).toBe('2026-10-09 17:30')
    expect(due('2026-09-30 10:00', 3)).toBe('2026-10-10 17:30') // Saturday, a make-up working day
    expect(due('2026-09-30 10:00', 4)).toBe('2026-10-12 17:30')
  })

  it('counts make-up weekend days before a holiday', () => {
    expect(due('2026-09-18 10:00', 1)).toBe('2026-09-20 17:30') // Friday → make-up Sunday
    expect(due('2026-02-13 10:00', 1)).toBe('2026-02-14 17:30') // Friday → make-up Saturday
    expect(due('2026-02-13 10:00', 2)).toBe('2026-02-24 17:30') // then the Spring Festival break
  })

  it('crosses month and year boundaries', () => {
    expect(due('2026-07-31 10:00', 1)).toBe('2026-08-03 17:30')
    expect(due('2026-04-30 10:00', 1)).toBe('2026-05-06 17:30') // Labour Day 1–5 May
    expect(due('2025-12-31 10:00', 1)).toBe('2026-01-04 17:30') // New Year, then make-up Sunday 4 January
    expect(due('2026-12-31 10:00', 1)).toBe('2027-01-04 17:30') // New Year 2027 (projected)
    expect(due('2026-12-31 10:00', 20)).toBe('2027-01-29 17:30')
  })

  it('n = 0 is the end of the same working day, or of the next one', () => {
    expect(due('2026-03-09 10:00', 0)).toBe('2026-03-09 17:30')
    expect(due('2026-03-09 07:00', 0)).toBe('2026-03-09 17:30') // before office hours: same day
    expect(due('2026-03-07 10:00', 0)).toBe('2026-03-09 17:30') // Saturday → Monday
    expect(due('2026-10-03 10:00', 0)).toBe('2026-10-08 17:30') // holiday
  })

  it('receives submissions after hours and on holidays on the next working day', () => {
    expect(cal.receptionDate(at('2026-03-06 18:00'))).toBe('2026-03-09')
    expect(due('2026-03-06 18:00', 1)).toBe('2026-03-10 17:30') // Friday evening: received Monday, due Tuesday
    expect(due('2026-03-09 17:30', 0)).toBe('2026-03-10 17:30') // exactly at closing time counts as after hours
    expect(due('2026-03-09 17:29', 0)).toBe('2026-03-09 17:30')
    expect(due('2026-10-03 10:00', 1)).toBe('2026-10-09 17:30') // received 8 October, due the day after
    expect(due('2026-02-16 22:00', 3)).toBe('2026-02-27 17:30') // Spring Festival eve: received Tue 24th
  })

  it('reads a fractional day as that fraction of the last counted day', () => {
    expect(due('2026-03-09 10:00', 0.5)).toBe('2026-03-10 13:15')
    expect(due('2026-03-09 10:00', 1.5)).toBe('2026-03-11 13:15')
    expect(local(cal.addWorkingDays(at('2026-03-09 10:00'), 0.8 * 5))).toBe('2026-03-13 17:30') // float-safe
  })

  it('refuses negative or non-finite counts', () => {
    expect(() => cal.addWorkingDays(at('2026-03-09 10:00'), -1)).toThrow(CalendarError)
    expect(() => cal.addWorkingDays(at('2026-03-09 10:00'), Number.NaN)).toThrow(CalendarError)
    expect(() => cal.addWorkingDays(Number.POSITIVE_INFINITY, 1)).toThrow(CalendarError)
  })
})

describe('working hours', () => {
  it('counts only office hours of working days', () => {
    expect(local(cal.addWorkingHours(at('2026-03-06 16:00'), 4))).toBe('2026-03-09 11:30')
    expect(local(cal.addWorkingHours(at('2026-03-07 12:00'), 2))).toBe('2026-03-09 11:00')
    expect(local(cal.addWorkingHours(at('2026-03-09 07:00'), 8.5))).toBe('2026-03-09 17:30')
    expect(local(cal.addWorkingHours(at('2026-09-30 17:00'), 1))).toBe('2026-10-08 09:30')
    expect(cal.addWorkingHours(at('2026-03-07 12:00'), 0)).toBe(at('2026-03-07 12:00'))
  })

  it('measures working hours between instants, signed', () => {
    expect(cal.workingHoursBetween(at('2026-03-06 16:00'), at('2026-03-09 11:30'))).toBe(4)
    expect(cal.workingHoursBetween(at('2026-03-09 11:30'), at('2026-03-06 16:00'))).toBe(-4)
    expect(cal.workingHoursBetween(at('2026-10-01 10:00'), at('2026-10-07 10:00'))).toBe(0)
  })

  it('reports time against the limit in working days, starting after the reception day', () => {
    const from = at('2026-03-09 10:00')
    expect(cal.workingDaysBetween(from, at('2026-03-09 16:00'))).toBe(0)
    expect(cal.workingDaysBetween(from, at('2026-03-10 13:15'))).toBe(0.5)
    expect(cal.workingDaysBetween(from, at('2026-03-16 17:30'))).toBe(5)
    expect(cal.workingDaysBetween(from, at('2026-03-14 12:00'))).toBe(4) // Tuesday to Friday used by Saturday
    expect(cal.workingDaysBetween(from, at('2026-03-01 12:00'))).toBe(0)
  })
})

describe('durations', () => {
  it('parses working days and clock time', () => {
    expect(parseDuration('P3D')).toEqual({ workingDays: 3, clockMs: 0 })
    expect(parseDuration('P0.5D')).toEqual({ workingDays: 0.5, clockMs: 0 })
    expect(parseDuration('PT4H')).toEqual({ workingDays: null, clockMs: 4 * 3_600_000 })
    expect(parseDuration('PT1H30M15S')).toEqual({ workingDays: null, clockMs: 5_415_000 })
    expect(parseDuration('P1DT2H')).toEqual({ workingDays: 1, clockMs: 7_200_000 })
    expect(parseDuration('PT0,5H')).toEqual({ workingDays: null, clockMs: 1_800_000 })
  })

  it('refuses years, months, weeks, negatives and garbage', () => {
    for (const bad of ['P1Y', 'P2M', 'P1W', 'P1M2D', '-P1D', 'P', 'PT', '3D', 'P1H', 'PTD', '']) {
      expect(() => parseDuration(bad), bad).toThrow(DurationError)
    }
    expect(() => parseDuration('P2M')).toThrow(/years, months or weeks/)
  })

  it('is also available on the calendar', () => {
    expect(cal.parseDuration('P2DT30M')).toEqual({ workingDays: 2, clockMs: 1_800_000 })
  })

  it('adds working days, then clock time', () => {
    expect(local(cal.addDuration(at('2026-09-30 10:00'), 'P2D'))).toBe('2026-10-09 17:30')
    expect(local(cal.addDuration(at('2026-09-30 10:00'), 'PT4H'))).toBe('2026-09-30 14:00')
    expect(local(cal.addDuration(at('2026-09-30 10:00'), 'P1DT2H'))).toBe('2026-10-08 19:30')
    expect(local(cal.addDuration(at('2026-09-30 10:00'), 'P0D'))).toBe('2026-09-30 17:30')
  })
})

describe('configuration', () => {
  it('refuses inconsistent configurations', () => {
    expect(() => new WorkCalendar({ makeupWorkdays: ['2026-03-09'] })).toThrow(/not a Saturday or Sunday/)
    expect(() => new WorkCalendar({ holidays: ['2026-10-10'], makeupWorkdays: ['2026-10-10'] })).toThrow(
      /both/,
    )
    expect(() => new WorkCalendar({ holidays: ['2026-02-30'] })).toThrow(/not a valid calendar date/)
    expect(() => new WorkCalendar({ holidays: ['26-02-01'] })).toThrow(/not an ISO date/)
    expect(() => new WorkCalendar({ timeZone: 'Europe/Berlin' })).toThrow(/not supported/)
    expect(() => new WorkCalendar({ workdayStart: '18:00' })).toThrow(/after workdayStart/)
    expect(() => new WorkCalendar({ workdayEnd: '25:00' })).toThrow(/HH:MM/)
  })

  it('round-trips through JSON', () => {
    const json = JSON.parse(JSON.stringify(cal))
    const again = WorkCalendar.fromJSON(json)
    expect(again.toJSON()).toEqual(cal.toJSON())
    expect(again.addWorkingDays(at('2026-09-30 10:00'), 3)).toBe(
      cal.addWorkingDays(at('2026-09-30 10:00'), 3),
    )
  })

  it('supports other fixed offsets and office hours', () => {
    const utc = new WorkCalendar({ timeZone: 'UTC', workdayStart: '08:00', workdayEnd: '16:00' })
    expect(utc.addWorkingDays(Date.parse('2026-03-06T10:00:00Z'), 1)).toBe(Date.parse('2026-03-09T16:00:00Z'))
    const plus8 = new WorkCalendar({ ...chinaCalendarConfig(), timeZone: '+08:00' })
    expect(plus8.addWorkingDays(at('2026-09-30 10:00'), 1)).toBe(
      cal.addWorkingDays(at('2026-09-30 10:00'), 1),
    )
  })

  it('accepts extra local holidays', () => {
    const local2 = new WorkCalendar(chinaCalendarConfig({ holidays: ['2026-03-10'] }))
    expect(local(local2.addWorkingDays(at('2026-03-09 10:00'), 1))).toBe('2026-03-11 17:30')
  })
})

describe('properties', () => {
  const from = fc.integer({ min: at('2025-01-01 00:00'), max: at('2027-11-30 23:59') })
  const isAtWorkdayEnd = (ms: number): boolean => local(ms).endsWith(' 17:30') && cal.isWorkingDay(ms)

  it('due times are working days at workdayEnd, after `from`, strictly increasing in n', () => {
    fc.assert(
      fc.property(from, fc.integer({ min: 0, max: 40 }), (a, n) => {
        const d = cal.addWorkingDays(a, n)
        const next = cal.addWorkingDays(a, n + 1)
        expect(isAtWorkdayEnd(d)).toBe(true)
        expect(d).toBeGreaterThan(a)
        expect(next).toBeGreaterThan(d)
        // exactly one working day lies between consecutive due times
        expect(cal.workingHoursBetween(d, next)).toBeCloseTo(cal.workdayMs / 3_600_000, 9)
      }),
      { numRuns: 500 },
    )
  })

  it('is monotonic in n (fractions included) and in from', () => {
    fc.assert(
      fc.property(
        from,
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (a, delta, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x]
          expect(cal.addWorkingDays(a, lo)).toBeLessThanOrEqual(cal.addWorkingDays(a, hi))
          expect(cal.addWorkingDays(a, lo)).toBeLessThanOrEqual(cal.addWorkingDays(a + delta, lo))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('workingDaysBetween inverts addWorkingDays; workingHoursBetween inverts addWorkingHours', () => {
    fc.assert(
      fc.property(
        from,
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (a, centiDays, minutes) => {
          const n = centiDays / 100
          expect(cal.workingDaysBetween(a, cal.addWorkingDays(a, n))).toBeCloseTo(n, 6)
          const h = minutes / 60
          expect(cal.workingHoursBetween(a, cal.addWorkingHours(a, h))).toBeCloseTo(h, 6)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('calendar arithmetic terminates for any input', () => {
  const cal = new WorkCalendar()
  const extreme = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 6e46, 8.64e15, -8.64e15, 1e20, Infinity, NaN),
  )
  it('returns or throws CalendarError, never loops, for extreme instants and amounts', () => {
    fc.assert(
      fc.property(extreme, extreme, (from, n) => {
        for (const f of [
          () => cal.addWorkingDays(from, n),
          () => cal.addWorkingHours(from, n),
          () => cal.localDate(from),
          () => cal.isWorkingDay(from),
          () => cal.workingDaysBetween(from, from + Math.abs(n % 1e12)),
        ]) {
          try {
            const r = f()
            if (typeof r === 'number') expect(Number.isFinite(r)).toBe(true)
          } catch (err) {
            expect(err).toBeInstanceOf(CalendarError)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
  it('refuses instants past 9999 and limits over the maximum', () => {
    expect(() => cal.addWorkingDays(6e46, 1)).toThrow(CalendarError)
    expect(() => cal.addWorkingDays(Date.UTC(2026, 0, 5), 1e15)).toThrow(CalendarError)
    expect(() => cal.addDuration(Date.UTC(2026, 0, 5), 'P999999999999999D')).toThrow(CalendarError)
  })
})
