/**
 * The one place the web turns instants into text. The platform serves one province, so every time is
 * shown in the province's zone (Asia/Shanghai, Beijing time), whatever zone the browser is set to: a
 * citizen abroad and an official at the office read the same 17:30 for the same deadline. Working-day
 * countdowns count Beijing dates too (`components/cases/case-common.tsx`).
 * @module
 */

/** The province's time zone (UTC+8, no daylight saving). */
export const PROVINCE_TIME_ZONE = 'Asia/Shanghai'

const BEIJING_OFFSET_MS = 8 * 3_600_000

/** An `Intl.DateTimeFormat` in the province's zone (any `timeZone` in `options` is overridden). */
export function provinceFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang, { ...options, timeZone: PROVINCE_TIME_ZONE })
}

/** The formatters the UI uses, for one language (build once per language, they are not cheap). */
export function timeFormatters(lang: string): {
  /** `2026/12/03 17:35:06` */
  dateTime(ms: number): string
  /** `2026/12/03 17:35` */
  dateMinute(ms: number): string
  /** `2026/12/03` */
  date(ms: number): string
  /** `17:35:06` */
  time(ms: number): string
} {
  const date = { year: 'numeric', month: '2-digit', day: '2-digit' } as const
  const clock = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const
  const dateTime = provinceFormat(lang, { ...date, ...clock, second: '2-digit' })
  const dateMinute = provinceFormat(lang, { ...date, ...clock })
  const dateOnly = provinceFormat(lang, date)
  const timeOnly = provinceFormat(lang, { ...clock, second: '2-digit' })
  return {
    dateTime: (ms) => dateTime.format(ms),
    dateMinute: (ms) => dateMinute.format(ms),
    date: (ms) => dateOnly.format(ms),
    time: (ms) => timeOnly.format(ms),
  }
}

/**
 * ISO 8601 in Beijing time with its offset (`2026-12-03T17:35:06+08:00`), for files people read
 * (a downloaded receipt) and machines parse alike.
 */
export function provinceIso(ms: number): string {
  return `${new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`
}

/** The Beijing wall clock of an instant: what a date picker shows for it (`month` 0–11). */
export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

export function beijingWallClock(ms: number): WallClock {
  const d = new Date(ms + BEIJING_OFFSET_MS)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  }
}

/**
 * The instant a Beijing wall clock names. Date pickers work in the browser's zone; a picker for a
 * province time reads its fields as Beijing's through these two, whatever zone the browser is in.
 */
export function fromBeijingWallClock(c: WallClock): number {
  return Date.UTC(c.year, c.month, c.day, c.hour, c.minute) - BEIJING_OFFSET_MS
}
