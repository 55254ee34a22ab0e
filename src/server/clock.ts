/**
 * The platform's notion of "now". Every service takes a Clock instead of calling Date.now(), so tests
 * and demos can control time: with `XZT_CLOCK=manual` time stands still until an administrator advances
 * it (`POST /api/admin/clock`), and everything due in between (SLA timers) fires.
 * @module
 */
import { AppError } from '../shared/errors.js'

export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that moves only when told to. Listeners run after each advance (timers catch up then). */
export class ManualClock implements Clock {
  private current: number
  private readonly listeners: ((now: number) => Promise<void>)[] = []

  constructor(start: number) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  /** Registers work to run after every advance, with the new time. */
  onAdvance(listener: (now: number) => Promise<void>): void {
    this.listeners.push(listener)
  }

  /** Moves time forward by `ms` (never backward) and runs the listeners in order. */
  async advance(ms: number): Promise<number> {
    if (!Number.isFinite(ms) || ms < 0)
      throw new AppError('VALIDATION_FAILED', 'the clock only moves forward')
    if (!isValidClockTime(this.current + ms))
      throw new AppError('VALIDATION_FAILED', 'the clock may not move past the end of the year 2999', {
        details: [{ path: '/body/advance', message: 'moves the clock past 2999-12-31' }],
      })
    this.current += ms
    for (const listener of this.listeners) await listener(this.current)
    return this.current
  }
}

const DURATION_RE = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/**
 * Milliseconds of an ISO 8601 duration in elapsed time (`P3D`, `PT4H30M`, `P1W`, `P1DT2H`).
 * Years and months are refused: their length depends on the date.
 * @throws AppError VALIDATION_FAILED for anything else
 */
export function parseIsoDuration(text: string): number {
  const m = DURATION_RE.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${JSON.stringify(text)} is not an ISO 8601 duration such as P3D or PT4H (years and months are not allowed)`,
      {
        details: [
          {
            path: '/body/advance',
            message: 'must be an ISO 8601 duration (weeks, days, hours, minutes, seconds)',
          },
        ],
      },
    )
  }
  const [, w, d, h, min, s] = m
  const ms =
    (((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 +
    Math.round(Number(s ?? 0) * 1000)
  if (!Number.isFinite(ms) || ms > MAX_ADVANCE_MS) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${JSON.stringify(text)} is longer than the clock may move at once (P3660D)`,
      {
        details: [{ path: '/body/advance', message: 'must be at most P3660D (ten years)' }],
      },
    )
  }
  return ms
}

/** The most the manual clock moves in one step: ten years. */
export const MAX_ADVANCE_MS = 3660 * 86_400_000
/**
 * The manual clock never passes this instant (year 2999): every calendar computation of a time limit
 * from "now" then stays inside the calendar's range, and nothing downstream meets an absurd date.
 */
export const MAX_CLOCK_TIME = Date.UTC(2999, 11, 31)

/** True when `ms` is a time the manual clock may show (1970 to the end of 2999). */
export function isValidClockTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_CLOCK_TIME
}
