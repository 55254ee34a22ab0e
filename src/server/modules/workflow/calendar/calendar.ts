/**
 * The working-day calendar (工作日历) every time limit of the platform is computed with. Pure: no clock,
 * no I/O; times are epoch milliseconds, days are ISO dates (`YYYY-MM-DD`) in the calendar's time zone.
 *
 * ## Rules
 * - A **working day** is Monday–Friday, minus `holidays`, plus `makeupWorkdays` (调休: a Saturday or Sunday
 *   that is worked to bridge a holiday). A date may not be both; a make-up day must fall on a weekend.
 * - **Working hours** are `workdayStart`–`workdayEnd` (local) on working days; no lunch break is modelled.
 * - **Reception day** (受理日) of an instant: its own day if that is a working day and the instant is before
 *   `workdayEnd`; otherwise the next working day. A case submitted at 20:00 on a Friday or during the
 *   National Day week is received on the next working day.
 * - **承诺时限 counting** ({@link WorkCalendar.addWorkingDays}): counting starts on the first working day after the
 *   reception day; `n` working days end at `workdayEnd` of the n-th such day. `n = 0` means "the same day":
 *   `workdayEnd` of the reception day. A fractional `n = k + f` (e.g. a 0.5-day window step) ends at the
 *   fraction `f` of the working hours of the (k+1)-th counted day: `0.5` → 13:15 of the next working day with the
 *   default 09:00–17:30 hours. The result is strictly increasing in `n` and always later than `from`.
 * - {@link WorkCalendar.workingDaysBetween} is the exact inverse used for "time against the limit":
 *   `workingDaysBetween(a, addWorkingDays(a, n)) === n`, 0 up to the end of the reception day.
 *
 * Time zones: China has one time zone without daylight saving time, so the calendar works with a fixed UTC
 * offset: `Asia/Shanghai` (UTC+8, the default), `UTC`, or an explicit offset such as `+08:00`.
 * @module
 */
import { parseDuration, type ParsedDuration } from './duration.js'

/** What a calendar is built from; JSON-serialisable, stored with the governance policies. */
export interface WorkCalendarConfig {
  /** `Asia/Shanghai` (default), `UTC`, or a fixed offset `±HH:MM`. Zones with daylight saving time are refused. */
  timeZone?: string
  /** Public holidays (ISO dates). Weekend days may be listed (they are not working days anyway). */
  holidays?: readonly string[]
  /** 调休 make-up working days: weekend dates that are working days. */
  makeupWorkdays?: readonly string[]
  /** Local start of working hours, `HH:MM` (default `09:00`). */
  workdayStart?: string
  /** Local end of working hours, `HH:MM` (default `17:30`); due times fall on this minute. */
  workdayEnd?: string
}

/** The normalised configuration of a calendar (sorted, de-duplicated, defaults filled in). */
export interface NormalisedCalendarConfig {
  timeZone: string
  holidays: string[]
  makeupWorkdays: string[]
  workdayStart: string
  workdayEnd: string
}

/** An invalid calendar configuration or argument. */
export class CalendarError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CalendarError'
  }
}

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
/** A calendar never searches further than this for the next working day (ten years). */
const MAX_SEARCH_DAYS = 3660
/** Working-day counts are rounded to this precision so that 0.8 × 5 is exactly 4. */
const DAY_PRECISION = 1e6

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/
const OFFSET_RE = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/

/** Zones without daylight saving time the calendar knows by name, with their UTC offset in minutes. */
const NAMED_ZONES: Record<string, number> = {
  'Asia/Shanghai': 480,
  'Asia/Chongqing': 480,
  'Asia/Harbin': 480,
  PRC: 480,
  'Asia/Hong_Kong': 480,
  'Asia/Macau': 480,
  UTC: 0,
  'Etc/UTC': 0,
}

function zoneOffsetMinutes(zone: string): number {
  const named = NAMED_ZONES[zone]
  if (named !== undefined) return named
  const m = OFFSET_RE.exec(zone)
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0)
    if (minutes <= 14 * 60) return m[1] === '-' ? -minutes : minutes
  }
  throw new CalendarError(
    `time zone "${zone}" is not supported: use Asia/Shanghai, UTC or a fixed offset like +08:00 (zones with daylight saving time are not supported)`,
  )
}

/** Day number (days since 1970-01-01) of an ISO date; throws CalendarError for an invalid date. */
export function dayNumberOf(iso: string): number {
  const m = ISO_DATE_RE.exec(iso)
  if (!m) throw new CalendarError(`"${iso}" is not an ISO date (YYYY-MM-DD)`)
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new CalendarError(`"${iso}" is not a valid calendar date`)
  }
  return ms / DAY
}

/** ISO date of a day number. */
export function isoDateOf(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7
}

function minutesOf(hhmm: string, what: string): number {
  const m = HHMM_RE.exec(hhmm)
  if (!m) throw new CalendarError(`${what} "${hhmm}" is not a time of day HH:MM`)
  return Number(m[1]) * 60 + Number(m[2])
}

/** Earliest instant a calendar computes with (1900-01-01Z). */
export const MIN_INSTANT = Date.UTC(1900, 0, 1)
/** Latest instant a calendar computes with (9999-12-31Z): day arithmetic stays exact and every loop ends. */
export const MAX_INSTANT = Date.UTC(9999, 11, 31)
/** Largest limit in working days (about 140 years); a larger one is a mistake, not a time limit. */
export const MAX_WORKING_DAYS = 36_600

function assertInstant(ms: number, what: string): void {
  if (!Number.isFinite(ms))
    throw new CalendarError(`${what} must be a finite epoch-millisecond time, got ${String(ms)}`)
  if (ms < MIN_INSTANT || ms > MAX_INSTANT)
    throw new CalendarError(`${what} must lie between 1900-01-01 and 9999-12-31, got ${String(ms)}`)
}

/**
 * A working-day calendar. Immutable; build one per configuration and reuse it (the holiday sets are
 * indexed once). `toJSON()` returns the normalised configuration, `WorkCalendar.fromJSON` rebuilds it.
 */
export class WorkCalendar {
  readonly config: Readonly<NormalisedCalendarConfig>
  private readonly offsetMs: number
  private readonly startMs: number
  private readonly endMs: number
  private readonly holidays: ReadonlySet<number>
  private readonly makeup: ReadonlySet<number>

  /**
   * Which governed version of the calendar computed a due time, for the event that records it
   * (`calendar.holidays@N`); null for a fixed calendar that no policy governs.
   */
  get policyRef(): string | null {
    return null
  }

  /** @throws CalendarError for an unknown time zone, malformed dates or times, a date that is both a holiday
   *  and a make-up day, a make-up day that is not a Saturday or Sunday, or working hours that end before they start. */
  constructor(config: WorkCalendarConfig = {}) {
    const timeZone = config.timeZone ?? 'Asia/Shanghai'
    this.offsetMs = zoneOffsetMinutes(timeZone) * MINUTE
    const workdayStart = config.workdayStart ?? '09:00'
    const workdayEnd = config.workdayEnd ?? '17:30'
    this.startMs = minutesOf(workdayStart, 'workdayStart') * MINUTE
    this.endMs = minutesOf(workdayEnd, 'workdayEnd') * MINUTE
    if (this.endMs <= this.startMs)
      throw new CalendarError(`workdayEnd ${workdayEnd} must be after workdayStart ${workdayStart}`)
    const holidays = new Set((config.holidays ?? []).map(dayNumberOf))
    const makeup = new Set((config.makeupWorkdays ?? []).map(dayNumberOf))
    for (const d of makeup) {
      if (holidays.has(d))
        throw new CalendarError(`${isoDateOf(d)} is listed both as a holiday and as a make-up working day`)
      const wd = weekdayOf(d)
      if (wd !== 0 && wd !== 6)
        throw new CalendarError(`make-up working day ${isoDateOf(d)} is not a Saturday or Sunday`)
    }
    this.holidays = holidays
    this.makeup = makeup
    const sorted = (s: Set<number>): string[] => [...s].sort((a, b) => a - b).map(isoDateOf)
    this.config = Object.freeze({
      timeZone,
      holidays: sorted(holidays),
      makeupWorkdays: sorted(makeup),
      workdayStart,
      workdayEnd,
    })
  }

  /** Rebuilds a calendar from its `toJSON()` form (or any {@link WorkCalendarConfig}). */
  static fromJSON(json: WorkCalendarConfig): WorkCalendar {
    return new WorkCalendar(json)
  }

  /** The normalised configuration: JSON-serialisable. */
  toJSON(): NormalisedCalendarConfig {
    return {
      ...this.config,
      holidays: [...this.config.holidays],
      makeupWorkdays: [...this.config.makeupWorkdays],
    }
  }

  /** Length of one working day in milliseconds (8.5 hours with the defaults). */
  get workdayMs(): number {
    return this.endMs - this.startMs
  }

  /** The local ISO date of an instant. */
  localDate(at: number): string {
    assertInstant(at, 'time')
    return isoDateOf(this.dayOf(at))
  }

  /**
   * Whether a date is a working day. `date` is an ISO date (`2026-10-08`) or an instant (its local date counts).
   * @throws CalendarError for a malformed date.
   */
  isWorkingDay(date: string | number): boolean {
    if (typeof date === 'number') assertInstant(date, 'date')
    return this.isWorkingDayNumber(typeof date === 'number' ? this.dayOf(date) : dayNumberOf(date))
  }

  /** Start of working hours (epoch ms) on a local date, whether or not that date is a working day. */
  workdayStartOn(date: string): number {
    return this.startOf(dayNumberOf(date))
  }

  /** End of working hours (epoch ms) on a local date, whether or not that date is a working day. */
  workdayEndOn(date: string): number {
    return this.endOf(dayNumberOf(date))
  }

  /**
   * The reception day (受理日) of an instant: its local date if that is a working day and the instant is
   * before `workdayEnd`, else the next working day. ISO date.
   */
  receptionDate(from: number): string {
    assertInstant(from, 'from')
    return isoDateOf(this.receptionDay(from))
  }

  /**
   * The due time of a limit of `n` working days counted from `from` (承诺时限; see the module comment):
   * `workdayEnd` of the n-th working day after the reception day; `n = 0` → `workdayEnd` of the reception day;
   * a fractional part is that fraction of the last counted day's working hours.
   * Always a working day, always later than `from`, strictly increasing in `n`.
   * @throws CalendarError when `n` is negative or not finite.
   */
  addWorkingDays(from: number, n: number): number {
    assertInstant(from, 'from')
    if (!Number.isFinite(n) || n < 0 || n > MAX_WORKING_DAYS)
      throw new CalendarError(`working days must be a number from 0 to ${MAX_WORKING_DAYS}, got ${String(n)}`)
    const days = Math.round(n * DAY_PRECISION) / DAY_PRECISION
    let day = this.receptionDay(from)
    if (days === 0) return this.endOf(day)
    const whole = Math.ceil(days)
    for (let i = 0; i < whole; i++) day = this.nextWorkingDay(day)
    const fraction = days - (whole - 1)
    return this.bounded(this.startOf(day) + Math.round(fraction * this.workdayMs))
  }

  /**
   * The earliest instant at which `h` working hours have passed since `from`, counting only working hours of
   * working days. `h = 0` returns `from` itself.
   * @throws CalendarError when `h` is negative or not finite.
   */
  addWorkingHours(from: number, h: number): number {
    assertInstant(from, 'from')
    if (!Number.isFinite(h) || h < 0 || h > MAX_WORKING_DAYS * 24)
      throw new CalendarError(
        `working hours must be a number from 0 to ${MAX_WORKING_DAYS * 24}, got ${String(h)}`,
      )
    let remaining = Math.round(h * HOUR)
    if (remaining === 0) return from
    let t = from
    let day = this.dayOf(t)
    if (!this.isWorkingDayNumber(day) || t >= this.endOf(day)) {
      day = this.nextWorkingDay(day)
      t = this.startOf(day)
    }
    for (;;) {
      t = Math.max(t, this.startOf(day))
      const available = this.endOf(day) - t
      if (remaining <= available) return t + remaining
      remaining -= available
      day = this.nextWorkingDay(day)
      t = this.startOf(day)
    }
  }

  /**
   * Working time between two instants in working hours (fractional), counting only working hours of working
   * days; negative when `b` is before `a`. For process mining (actual handling time).
   */
  workingHoursBetween(a: number, b: number): number {
    return this.workingMsBetween(a, b) / HOUR
  }

  /**
   * Time against the limit, in working days (fractional): how much of a limit counted from `a` (as in
   * {@link addWorkingDays}) has been used at `b`. It is 0 up to the end of the reception day of `a` and never
   * negative; `workingDaysBetween(a, addWorkingDays(a, n)) === n` (up to 1e-6), so a limit of `n` days is
   * overdue at `b` exactly when `workingDaysBetween(a, b) > n`.
   */
  workingDaysBetween(a: number, b: number): number {
    assertInstant(a, 'a')
    assertInstant(b, 'b')
    const counted = this.endOf(this.receptionDay(a))
    if (b <= counted) return 0
    return this.workingMsBetween(counted, b) / this.workdayMs
  }

  /** {@link parseDuration}, here for convenience: `PnD` = working days, `PTnH`/`PTnM`/`PTnS` = clock time. */
  parseDuration(iso: string): ParsedDuration {
    return parseDuration(iso)
  }

  /**
   * `from` plus an ISO 8601 duration ({@link parseDuration}): the day component counts working days as
   * {@link addWorkingDays} does, the time component is added as clock time afterwards. `PT4H` is `from` + 4 h.
   * @throws DurationError for a duration the platform does not accept.
   */
  addDuration(from: number, iso: string): number {
    assertInstant(from, 'from')
    const d = parseDuration(iso)
    const base = d.workingDays === null ? from : this.addWorkingDays(from, d.workingDays)
    return this.bounded(base + d.clockMs)
  }

  // ── internals ───────────────────────────────────────────────────────────────

  /** A computed instant, refused when it falls past the calendar's range. */
  private bounded(at: number): number {
    if (!(at <= MAX_INSTANT)) throw new CalendarError(`the result lies after 9999-12-31`)
    return at
  }

  private dayOf(at: number): number {
    return Math.floor((at + this.offsetMs) / DAY)
  }

  private startOf(day: number): number {
    return day * DAY - this.offsetMs + this.startMs
  }

  private endOf(day: number): number {
    return day * DAY - this.offsetMs + this.endMs
  }

  private isWorkingDayNumber(day: number): boolean {
    if (this.makeup.has(day)) return true
    if (this.holidays.has(day)) return false
    const wd = weekdayOf(day)
    return wd !== 0 && wd !== 6
  }

  private nextWorkingDay(day: number): number {
    for (let d = day + 1; d <= day + MAX_SEARCH_DAYS; d++) if (this.isWorkingDayNumber(d)) return d
    throw new CalendarError(`no working day within ${MAX_SEARCH_DAYS} days after ${isoDateOf(day)}`)
  }

  private receptionDay(from: number): number {
    const day = this.dayOf(from)
    return this.isWorkingDayNumber(day) && from < this.endOf(day) ? day : this.nextWorkingDay(day)
  }

  private workingMsBetween(a: number, b: number): number {
    assertInstant(a, 'a')
    assertInstant(b, 'b')
    if (b < a) return -this.workingMsBetween(b, a)
    let total = 0
    for (let day = this.dayOf(a), last = this.dayOf(b); day <= last; day++) {
      if (!this.isWorkingDayNumber(day)) continue
      const lo = Math.max(a, this.startOf(day))
      const hi = Math.min(b, this.endOf(day))
      if (hi > lo) total += hi - lo
    }
    return total
  }
}
