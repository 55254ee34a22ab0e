/**
 * The hall's pure helpers (no React, no antd): the periods the pickers offer in Beijing time, the grain
 * a period is drawn in, and the number formats of the panels.
 * @module
 */
import type { Translate } from '../../i18n.js'
import type { Grain, Period } from '../../analytics-api.js'
import { beijingWallClock, fromBeijingWallClock } from '../../time.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Beijing midnight of the day containing `ms`. */
function beijingMidnight(ms: number): number {
  const c = beijingWallClock(ms)
  return fromBeijingWallClock({ year: c.year, month: c.month, day: c.day, hour: 0, minute: 0 })
}

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'last7' | 'last30' | 'custom'

/** The period of a kind that ends now (custom: the days picked, both included), in Beijing time. */
export function periodOf(kind: PeriodKind, now: number, custom?: [number, number]): Period {
  const c = beijingWallClock(now)
  const midnight = beijingMidnight(now)
  switch (kind) {
    case 'day':
      return { from: midnight }
    case 'week': {
      // Monday is the first day of the week; getUTCDay of the Beijing wall clock, Sunday = 0.
      const weekday = new Date(Date.UTC(c.year, c.month, c.day)).getUTCDay()
      return { from: midnight - ((weekday + 6) % 7) * DAY }
    }
    case 'month':
      return { from: fromBeijingWallClock({ year: c.year, month: c.month, day: 1, hour: 0, minute: 0 }) }
    case 'quarter':
      return {
        from: fromBeijingWallClock({
          year: c.year,
          month: c.month - (c.month % 3),
          day: 1,
          hour: 0,
          minute: 0,
        }),
      }
    case 'last7':
      return { from: midnight - 6 * DAY }
    case 'last30':
      return { from: midnight - 29 * DAY }
    case 'custom':
      return custom ? { from: custom[0], to: custom[1] } : { from: midnight }
  }
}

/** Hours for a period of two days or less, else days. */
export function grainOf(period: Period, now: number): Grain {
  return (period.to ?? now) - period.from <= 2 * DAY ? 'h' : 'd'
}

// ---- formats ----------------------------------------------------------------------------------------

/** A duration in words: 12 分钟, 3.5 小时, 2.1 天 (null: —). */
export function formatDuration(ms: number | null | undefined, t: Translate): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < HOUR) return t('hall.unit.minutes', { n: Math.max(0, Math.round(ms / MINUTE)) })
  if (ms < DAY) return t('hall.unit.hours', { n: (ms / HOUR).toFixed(1) })
  return t('hall.unit.days', { n: (ms / DAY).toFixed(1) })
}

/** A duration for an axis label: 45分, 6时, 1.5天 (the unit's short form). */
export function formatDurationShort(ms: number, t: Translate): string {
  if (ms < HOUR) return t('hall.unit.minutesShort', { n: Math.round(ms / MINUTE) })
  if (ms < DAY) return t('hall.unit.hoursShort', { n: Math.round((ms / HOUR) * 10) / 10 })
  return t('hall.unit.daysShort', { n: Math.round((ms / DAY) * 10) / 10 })
}

/** A share 0..1 as a percentage (null: —). */
export function formatShare(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  return `${(v * 100).toFixed(digits)}%`
}

/** Hours, for chart axes (null stays null: a gap). */
export function toHours(ms: number | null): number | null {
  return ms === null ? null : Math.round((ms / HOUR) * 10) / 10
}

/** A rate per 10,000 with the digits that matter: 12, 3.4, 0.042 (null: —). */
export function formatRate(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—'
  if (v === 0) return '0'
  if (v >= 100) return v.toFixed(0)
  if (v >= 1) return v.toFixed(1)
  return v.toPrecision(2)
}
