/**
 * The event tail's cursor: a vector of per-log positions. Each log is totally ordered by its index and a
 * log's appends commit in index order (the log's row lock is held until commit, see ledger.appender.ts),
 * so "every event of log L below position p" is a fixed set once seen, and a reader that remembers one
 * position per log never skips an event when transactions on different logs commit out of order. No
 * global sequence is needed.
 *
 * Text form (what `GET /api/events` returns as `next`, and the event stream's `id:`): the logs with a
 * position above zero, `<log>:<position>`, comma-separated, sorted by log id; the empty string is the
 * start of every log. Example: `43:5,4301:120,4302:17`. Only characters that need no escaping in a query
 * string or an SSE field. Pure.
 * @module
 */
import { AppError } from '../../../shared/errors.js'

/** Position = the index of the next event to read from the log (so: how many have been read). */
export type TailCursor = ReadonlyMap<string, number>

/** Longest cursor text accepted: room for every log of a province (a few hundred cities). */
export const MAX_CURSOR_LENGTH = 8192

const ENTRY_RE = /^([0-9]{2}(?:[0-9]{2})?):(0|[1-9][0-9]{0,15})$/

export const START: TailCursor = new Map()

export function encodeCursor(cursor: TailCursor): string {
  return [...cursor.entries()]
    .filter(([, p]) => p > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([log, p]) => `${log}:${p}`)
    .join(',')
}

/**
 * Parses a cursor's text form. @throws AppError VALIDATION_FAILED naming `field` (e.g.
 * `/querystring/after`) for anything that is not one.
 */
export function decodeCursor(text: string, field = '/querystring/after'): TailCursor {
  const bad = (message: string): AppError =>
    new AppError('VALIDATION_FAILED', `the cursor ${message}`, { details: [{ path: field, message }] })
  if (text.length > MAX_CURSOR_LENGTH) throw bad(`is longer than ${MAX_CURSOR_LENGTH} characters`)
  const cursor = new Map<string, number>()
  if (text === '') return cursor
  for (const entry of text.split(',')) {
    const m = ENTRY_RE.exec(entry)
    if (!m)
      throw bad(`has a malformed entry ${JSON.stringify(entry.slice(0, 40))} (expected <log>:<position>)`)
    const position = Number(m[2])
    if (!Number.isSafeInteger(position)) throw bad(`position of log ${m[1]} is too large`)
    if (cursor.has(m[1] as string)) throw bad(`names log ${m[1]} twice`)
    cursor.set(m[1] as string, position)
  }
  return cursor
}

/** The cursor after reading the event at `index` of `log`. */
export function advance(cursor: TailCursor, log: string, index: number): Map<string, number> {
  const next = new Map(cursor)
  if ((next.get(log) ?? 0) <= index) next.set(log, index + 1)
  return next
}

/** An event of the tail: the leaf minus its format version. */
export interface TailEvent {
  log: string
  index: number
  time: number
  type: string
  subject: string
  actor: { id: string; roles: string[]; department: string | null; region: string }
  data: Record<string, unknown>
}

/**
 * Merges per-log runs (each in index order, each starting at the cursor's position for its log) into
 * one page of at most `limit` events in (time, log, index) order, and the cursor after it. A log's run
 * is consumed strictly in order, so whatever the order of the page the cursor never passes an event the
 * page does not contain.
 */
export function mergePage(
  cursor: TailCursor,
  runs: ReadonlyMap<string, readonly TailEvent[]>,
  limit: number,
): { events: TailEvent[]; next: Map<string, number> } {
  const heads = [...runs.entries()].map(([log, events]) => ({ log, events, at: 0 }))
  const page: TailEvent[] = []
  const next = new Map(cursor)
  while (page.length < limit) {
    let best: (typeof heads)[number] | undefined
    for (const h of heads) {
      const e = h.events[h.at]
      if (!e) continue
      const b = best?.events[best.at]
      if (!b || e.time < b.time || (e.time === b.time && h.log < best!.log)) best = h
    }
    if (!best) break
    const e = best.events[best.at++] as TailEvent
    page.push(e)
    next.set(e.log, e.index + 1)
  }
  return { events: page, next }
}
