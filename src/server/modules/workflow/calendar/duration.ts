/**
 * ISO 8601 durations as the platform reads them in process models and in the demo clock.
 *
 * The rule of the platform (DESIGN.md, Workflow): a day component counts WORKING days, the time components
 * are elapsed clock time.
 * - `P3D` → 3 working days (承诺时限 counting, see {@link WorkCalendar.addWorkingDays}); `P0.5D` is allowed.
 * - `PT4H`, `PT30M`, `PT45S` → elapsed clock time (4 hours of wall-clock time, nights and holidays included).
 * - `P1DT2H` → 1 working day, then 2 clock hours on top.
 * - Years, months and weeks (`P1Y`, `P1M`, `P2W`) are refused: their length in working days is ambiguous.
 * - Negative durations are refused; a decimal fraction (`.` or `,`) is allowed on any component.
 * Pure.
 * @module
 */

/** A parsed duration: `workingDays` is null when the duration had no day component (`PT4H`). */
export interface ParsedDuration {
  /** Working days of the `D` component, or null when there was none (then only clock time counts). */
  workingDays: number | null
  /** Elapsed clock time of the `T` part, in milliseconds (0 when there was none). */
  clockMs: number
}

/** A duration string that is not an ISO 8601 duration the platform accepts. */
export class DurationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DurationError'
  }
}

const NUM = '(\\d+(?:[.,]\\d+)?)'
const DURATION_RE = new RegExp(`^P(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`)

const toNumber = (s: string | undefined): number | undefined =>
  s === undefined ? undefined : Number(s.replace(',', '.'))

/**
 * Parses an ISO 8601 duration with working-day semantics for `D` (see the module comment).
 * @throws DurationError for anything else, with a message naming the problem.
 */
export function parseDuration(iso: string): ParsedDuration {
  const text = iso.trim()
  if (text.startsWith('-'))
    throw new DurationError(`duration "${iso}" is negative; only positive durations are allowed`)
  const m = DURATION_RE.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) {
    const datePart = text.split('T')[0] ?? ''
    if (/^P.*\d(?:[.,]\d+)?[YMW]/.test(datePart)) {
      throw new DurationError(
        `duration "${iso}" uses years, months or weeks; use working days (PnD) or clock time (PTnH)`,
      )
    }
    throw new DurationError(`"${iso}" is not an ISO 8601 duration like P3D, PT4H or P1DT2H`)
  }
  const [, d, h, min, s] = m
  const days = toNumber(d)
  const clockMs = Math.round(
    ((toNumber(h) ?? 0) * 3600 + (toNumber(min) ?? 0) * 60 + (toNumber(s) ?? 0)) * 1000,
  )
  return { workingDays: days ?? null, clockMs }
}

/** True when `iso` is a duration {@link parseDuration} accepts. */
export function isValidDuration(iso: string): boolean {
  try {
    parseDuration(iso)
    return true
  } catch {
    return false
  }
}
