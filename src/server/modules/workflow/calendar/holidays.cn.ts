/**
 * Mainland China public holidays and 调休 make-up working days, the default data of the working-day calendar.
 *
 * - **2025** and **2026**: the schedules announced by the General Office of the State Council
 *   (国务院办公厅关于…年部分节假日安排的通知, published in November of the year before), under the holiday rules
 *   as amended in November 2024 (Spring Festival eve and Labour Day 2 are statutory holidays since 2025).
 *   2026 was checked day by day against the notice of 4 November 2025 as Xinhua published it (春节 15–23
 *   February, make-up days 14 and 28 February, …). Check each new year's schedule the same way.
 * - **2027**: ASSUMED. The notice for 2027 is not published yet; these dates are a plausible projection made
 *   by applying the 2025 rules and the recent pattern of 调休 to the 2027 lunar calendar (Spring Festival on
 *   6 February, Dragon Boat on 9 June, Mid-Autumn on 15 September). Replace them when the notice appears:
 *   the calendar is configuration (a governance policy), these are only the defaults.
 * Years outside {@link CHINA_HOLIDAY_YEARS} have weekends only. Pure data.
 * @module
 */
import { WorkCalendar, type WorkCalendarConfig } from './calendar.js'

/** One holiday period: the days off (weekend days inside the period included) and the make-up days around it. */
export interface HolidayPeriod {
  /** English name. */
  name: string
  /** Chinese name, as the notice writes it. */
  zh: string
  /** First and last day off, inclusive (ISO dates). */
  from: string
  to: string
  /** Weekend days worked to bridge this holiday (调休上班). */
  makeupWorkdays: string[]
}

/** The holiday schedule of one year. */
export interface HolidaySchedule {
  year: number
  /** `official`: as announced by the State Council; `projected`: an assumption until the notice appears. */
  status: 'official' | 'projected'
  periods: HolidayPeriod[]
}

const period = (
  name: string,
  zh: string,
  from: string,
  to: string,
  makeupWorkdays: string[] = [],
): HolidayPeriod => ({
  name,
  zh,
  from,
  to,
  makeupWorkdays,
})

/** The shipped schedules, oldest first. */
export const CHINA_HOLIDAY_SCHEDULES: readonly HolidaySchedule[] = [
  {
    year: 2025,
    status: 'official',
    periods: [
      period("New Year's Day", '元旦', '2025-01-01', '2025-01-01'),
      period('Spring Festival', '春节', '2025-01-28', '2025-02-04', ['2025-01-26', '2025-02-08']),
      period('Qingming Festival', '清明节', '2025-04-04', '2025-04-06'),
      period('Labour Day', '劳动节', '2025-05-01', '2025-05-05', ['2025-04-27']),
      period('Dragon Boat Festival', '端午节', '2025-05-31', '2025-06-02'),
      period('National Day and Mid-Autumn Festival', '国庆节、中秋节', '2025-10-01', '2025-10-08', [
        '2025-09-28',
        '2025-10-11',
      ]),
    ],
  },
  {
    year: 2026,
    status: 'official',
    periods: [
      period("New Year's Day", '元旦', '2026-01-01', '2026-01-03', ['2026-01-04']),
      period('Spring Festival', '春节', '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']),
      period('Qingming Festival', '清明节', '2026-04-04', '2026-04-06'),
      period('Labour Day', '劳动节', '2026-05-01', '2026-05-05', ['2026-05-09']),
      period('Dragon Boat Festival', '端午节', '2026-06-19', '2026-06-21'),
      period('Mid-Autumn Festival', '中秋节', '2026-09-25', '2026-09-27'),
      period('National Day', '国庆节', '2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']),
    ],
  },
  {
    // ASSUMED (projection), see the module comment.
    year: 2027,
    status: 'projected',
    periods: [
      period("New Year's Day", '元旦', '2027-01-01', '2027-01-03'),
      period('Spring Festival', '春节', '2027-02-05', '2027-02-13', ['2027-01-31', '2027-02-14']),
      period('Qingming Festival', '清明节', '2027-04-03', '2027-04-05'),
      period('Labour Day', '劳动节', '2027-05-01', '2027-05-05', ['2027-05-08']),
      period('Dragon Boat Festival', '端午节', '2027-06-09', '2027-06-09'),
      period('Mid-Autumn Festival', '中秋节', '2027-09-15', '2027-09-15'),
      period('National Day', '国庆节', '2027-10-01', '2027-10-07', ['2027-09-26', '2027-10-09']),
    ],
  },
]

/** Years the shipped data covers. */
export const CHINA_HOLIDAY_YEARS: readonly number[] = CHINA_HOLIDAY_SCHEDULES.map((s) => s.year)

function datesBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (
    let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`);
    t <= end;
    t += 86_400_000
  ) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}

/**
 * The default calendar configuration: Asia/Shanghai, 09:00–17:30, the shipped holidays and make-up days
 * (2027 projected). Extra holidays or make-up days (a local holiday, a corrected notice) can be appended.
 */
export function chinaCalendarConfig(
  extra: { holidays?: readonly string[]; makeupWorkdays?: readonly string[] } = {},
): WorkCalendarConfig {
  const config = scheduleCalendarConfig(CHINA_HOLIDAY_SCHEDULES)
  return {
    ...config,
    holidays: [...(config.holidays ?? []), ...(extra.holidays ?? [])],
    makeupWorkdays: [...(config.makeupWorkdays ?? []), ...(extra.makeupWorkdays ?? [])],
  }
}

/**
 * A calendar configuration from holiday schedules (a `calendar.holidays` policy's, or the shipped
 * ones): Asia/Shanghai, the given working hours (09:00–17:30 by default).
 */
export function scheduleCalendarConfig(
  schedules: readonly HolidaySchedule[],
  hours: { workdayStart?: string; workdayEnd?: string } = {},
): WorkCalendarConfig {
  return {
    timeZone: 'Asia/Shanghai',
    holidays: schedules.flatMap((s) => s.periods.flatMap((p) => datesBetween(p.from, p.to))),
    makeupWorkdays: schedules.flatMap((s) => s.periods.flatMap((p) => p.makeupWorkdays)),
    workdayStart: hours.workdayStart ?? '09:00',
    workdayEnd: hours.workdayEnd ?? '17:30',
  }
}

/** A {@link WorkCalendar} built from {@link chinaCalendarConfig}. */
export function chinaWorkCalendar(): WorkCalendar {
  return new WorkCalendar(chinaCalendarConfig())
}
