/**
 * Durable consumers of the event tail, the pure part: what a module registers (a name, the event
 * types it wants, and a handler that makes its effects in the transaction that also moves its cursor),
 * which events it is handed, how far behind the logs a cursor is, when a cursor is impossible (ahead
 * of its log: the audit's check), and how long a failing consumer waits before it is tried again.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { TailCursor, TailEvent } from '../ledger/ledger.cursor.js'

/**
 * What a module registers to follow the ledger. `handle` is given, in tail order ((time, log, index),
 * see ledger.cursor.ts), the committed events after the consumer's cursor whose type starts with one of
 * `types` (every event when omitted), a page at a time; it makes its effects through `trx`, the
 * transaction that also moves the cursor past the page, so each event's effects commit exactly once. If
 * it throws, nothing of the page commits and the page is handed again later.
 *
 * A consumer must not need to see the events it writes itself (filter them out with `types`): its own
 * effects would otherwise feed it forever. Its name is its identity in the database: renaming a
 * consumer starts it again from the beginning of the logs.
 */
export interface EventConsumer {
  /** Unique, stable: `<module>.<what>`, lowercase (e.g. `appeals.chains`). */
  readonly name: string
  /** Event type prefixes it is handed, as a replayer's (`['case.', 'task.']`); all when omitted. */
  readonly types?: readonly string[]
  handle(trx: Executor, events: readonly TailEvent[]): Promise<void>
}

/** What a consumer's name may look like (it is a primary key, and a label on /metrics). */
export const CONSUMER_NAME_RE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/
export const MAX_CONSUMER_NAME = 64

/** Whether the consumer is handed events of this type. */
export function wants(consumer: Pick<EventConsumer, 'types'>, type: string): boolean {
  return !consumer.types || consumer.types.some((t) => type.startsWith(t))
}

/** Events of the logs not read yet from `cursor`, given every log's size. */
export function behind(cursor: TailCursor, sizes: ReadonlyMap<string, number>): number {
  let n = 0
  for (const [log, size] of sizes) n += Math.max(0, size - (cursor.get(log) ?? 0))
  return n
}

/**
 * The positions of a cursor that no reader could have reached: past the end of their log, or in a
 * log that does not exist. A cursor only ever moves over events it read, so any such position means
 * the row was edited (or the ledger lost entries). Sizes must be read after the cursor.
 */
export function cursorAhead(
  cursor: TailCursor,
  sizes: ReadonlyMap<string, number>,
): { log: string; position: number; size: number | null }[] {
  const out: { log: string; position: number; size: number | null }[] = []
  for (const [log, position] of cursor) {
    const size = sizes.get(log)
    if (size === undefined) out.push({ log, position, size: null })
    else if (position > size) out.push({ log, position, size })
  }
  return out
}

/** The first retry of a failing consumer waits this long, each further one twice as long… */
export const RETRY_BASE_MS = 1_000
/** …up to this. */
export const RETRY_MAX_MS = 60_000

/** How long the background loop leaves a consumer alone after its `failures`-th failure in a row. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1))
}
