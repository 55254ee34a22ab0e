/**
 * Durable consumers of the ledger's event tail: what reacts to events (the responsibility chains
 * following their cases; the command hall's rollups, analytics and mining) reads the tail here, never
 * polls state tables.
 *
 * Each consumer has a named row holding its tail cursor (per log, ledger.cursor.ts). A pass reads the
 * page after the cursor through the root connection, then in one transaction moves the cursor past the
 * page (a compare-and-set, event-consumer.store.ts) and hands the consumer the events it wants, to make
 * its effects in that same transaction; so an event's effects commit exactly once, and after a crash
 * or a restart the consumer resumes at the last committed page. If another process moved the cursor
 * first, the pass lets it carry on; if the handler throws, nothing of the page commits, the page is
 * handed again later, and the consumer does not get past it (it stops there, counted on `/metrics`,
 * until its cause is fixed). A consumer registered later starts at the beginning of every log.
 *
 * In `serve` a background loop compares the logs' sizes (one primary-key probe per log, as the event
 * stream's watcher does) every {@link CONSUMER_POLL_MS} and runs a pass when a log grew; a failing
 * consumer is retried with a backoff. Tests and commands call {@link EventConsumerService.drain}, which
 * runs every consumer until it has read the whole tail. Passes of one process never overlap.
 *
 * The cursors are derived bookkeeping, not facts: moving one is not ledgered (the consumer would then
 * read its own bookkeeping), and the audit checks instead that no cursor runs ahead of the logs (the
 * `event-consumers` check, {@link EventConsumerService.replayer}).
 * @module
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { AuditDifference } from '../../../shared/api.js'
import { decodeCursor, encodeCursor, type TailCursor } from '../ledger/ledger.cursor.js'
import type { Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import {
  behind,
  CONSUMER_NAME_RE,
  cursorAhead,
  MAX_CONSUMER_NAME,
  retryDelay,
  wants,
  type EventConsumer,
} from './event-consumer.model.js'
import * as store from './event-consumer.store.js'

/** Events read per page (and handed per transaction at most). */
export const CONSUMER_PAGE = 500
/** How often `serve` looks at the logs' sizes for something new. */
export const CONSUMER_POLL_MS = 200

/** What one consumer is doing, for `/metrics` and tests. */
export interface ConsumerStatus {
  name: string
  /** Its cursor's text (empty: it has read nothing yet). */
  cursor: string
  /** Events of the logs after its cursor (of every type, not only those it wants). */
  behind: number
  /** Failed passes in a row (0: the last one went through), and the last error. */
  failures: number
  lastError: string | null
}

/** Events handed to each consumer by one {@link EventConsumerService.drain}, by name. */
export type DrainResult = Record<string, number>

interface Registered {
  consumer: EventConsumer
  failures: number
  /** Wall-clock time before which the background loop leaves a failing consumer alone. */
  retryAt: number
  lastError: string | null
}

interface PassResult {
  handed: DrainResult
  errors: Error[]
  /** Something is left to do: a consumer was contended, or waits for its retry. */
  again: boolean
}

export class EventConsumerService {
  private readonly consumers = new Map<string, Registered>()
  /** The pass running or queued: passes of one process run one after another. */
  private queue: Promise<unknown> = Promise.resolve()
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  private lastSizes = ''

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    /** Wall-clock time for retry backoff (the platform clock may be manual). */
    private readonly wallNow: () => number = Date.now,
    private readonly pageSize = CONSUMER_PAGE,
  ) {}

  /** Registers a consumer (once per name, before the first pass that should run it). */
  register(consumer: EventConsumer): void {
    if (!CONSUMER_NAME_RE.test(consumer.name) || consumer.name.length > MAX_CONSUMER_NAME)
      throw new Error(`an event consumer's name is <module>.<what> in lowercase: ${consumer.name}`)
    if (this.consumers.has(consumer.name))
      throw new Error(`an event consumer named ${consumer.name} is already registered`)
    this.consumers.set(consumer.name, {
      consumer,
      failures: 0,
      retryAt: 0,
      lastError: null,
    })
  }

  /**
   * Runs every consumer until it has read the whole tail as committed when it looked, or found another
   * process reading it (deterministic: what tests and commands call). @returns the events handed to each
   * @throws the first consumer's error once every consumer has run (the others' effects committed)
   */
  async drain(): Promise<DrainResult> {
    const result = await this.serial(() => this.pass(false))
    const [failed] = result.errors
    if (failed) throw failed
    return result.handed
  }

  /**
   * Runs one consumer until it has read the whole tail (a rebuild after {@link rewind}), reporting the
   * events of the tail it has read so far after each page. @returns the events handed to it
   * @throws its error (the pages before committed)
   */
  async drainOne(name: string, onPage?: (read: number) => void): Promise<number> {
    const r = this.consumers.get(name)
    if (!r) throw new Error(`no event consumer named ${name} is registered`)
    return this.serial(async () => {
      for (let handed = 0; ;) {
        const pass = await this.consume(r, onPage)
        handed += pass.handed
        if (!pass.contended) return handed
      }
    })
  }

  /**
   * Puts a consumer's cursor back at the start of every log in `trx`, the transaction in which its
   * module also removes the effects it made (a rebuild): the next pass hands it the whole tail again.
   */
  async rewind(trx: Executor, name: string): Promise<void> {
    if (!this.consumers.has(name)) throw new Error(`no event consumer named ${name} is registered`)
    await store.rewindCursor(trx, name, this.clock.now())
  }

  /** Looks at the logs' sizes every `intervalMs` and runs a pass when one grew (`serve`). */
  start(intervalMs: number, onError: (err: unknown) => void): void {
    if (intervalMs <= 0 || this.timer || this.consumers.size === 0) return
    this.timer = setInterval(() => {
      if (this.ticking) return
      this.ticking = this.tick(onError)
        .catch(onError)
        .finally(() => {
          this.ticking = undefined
        })
    }, intervalMs)
    this.timer.unref()
  }

  /** Stops the loop and waits for the pass it runs (server shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.ticking
    this.lastSizes = ''
  }

  /** Every registered consumer with its cursor and how far behind the logs it is. */
  async status(): Promise<ConsumerStatus[]> {
    const cursors = new Map((await store.listCursors(this.db)).map((c) => [c.name, c.cursor]))
    const sizes = await this.ledger.logSizes()
    return [...this.consumers.values()].map((r) => {
      const text = cursors.get(r.consumer.name) ?? ''
      return {
        name: r.consumer.name,
        cursor: text,
        behind: behind(decodeCursor(text), sizes),
        failures: r.failures,
        lastError: r.lastError,
      }
    })
  }

  /**
   * A consumer's cursor as stored, read through `db` (a transaction that also reads the consumer's
   * effects, so both are of one moment): the start of every log when it has read nothing yet.
   */
  async cursor(db: Executor, name: string): Promise<TailCursor> {
    const stored = await store.findCursor(db, name)
    return decodeCursor(stored?.cursor ?? '')
  }

  /** Failed passes in a row of each consumer in this process (no database read: for /metrics). */
  failures(): Map<string, number> {
    return new Map([...this.consumers.values()].map((r) => [r.consumer.name, r.failures]))
  }

  /**
   * The audit's check of the cursors (a replayer that consumes no event): every stored cursor parses,
   * and none stands past the end of its log or in a log that does not exist (a cursor only moves over
   * events it read). The cursors are read before the logs' sizes, so a consumer moving meanwhile is
   * never reported.
   */
  replayer(): Replayer {
    return {
      name: 'event-consumers',
      types: [],
      apply: () => {},
      compare: async () => {
        const cursors = await store.listCursors(this.db)
        const sizes = await this.ledger.logSizes()
        const out: AuditDifference[] = []
        for (const c of cursors) {
          let cursor
          try {
            cursor = decodeCursor(c.cursor)
          } catch {
            out.push({
              table: 'event_consumer',
              key: c.name,
              problem: 'differs',
              field: 'tail_cursor',
              expected: 'a tail cursor (<log>:<position>,…)',
              actual: c.cursor,
            })
            continue
          }
          for (const a of cursorAhead(cursor, sizes))
            out.push({
              table: 'event_consumer',
              key: c.name,
              problem: 'differs',
              field: `tail_cursor[${a.log}]`,
              expected: a.size === null ? 'no such log' : `at most ${a.size}`,
              actual: a.position,
            })
        }
        return out
      },
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async tick(onError: (err: unknown) => void): Promise<void> {
    let sizes: string
    try {
      sizes = [...(await this.ledger.logSizes()).entries()].map(([l, n]) => `${l}:${n}`).join(',')
    } catch {
      // The database is briefly unavailable: the next look tries again (the event stream does the same).
      return
    }
    const now = this.wallNow()
    const retryDue = [...this.consumers.values()].some((r) => r.failures > 0 && r.retryAt <= now)
    if (sizes === this.lastSizes && !retryDue) return
    // Taken before the pass: whatever commits during it makes the next look differ.
    this.lastSizes = sizes
    const result = await this.serial(() => this.pass(true))
    for (const err of result.errors) onError(err)
    if (result.again) this.lastSizes = ''
  }

  private async pass(background: boolean): Promise<PassResult> {
    const result: PassResult = { handed: {}, errors: [], again: false }
    for (const r of this.consumers.values()) {
      const name = r.consumer.name
      result.handed[name] = 0
      if (background && r.failures > 0 && this.wallNow() < r.retryAt) continue
      try {
        const { handed, contended } = await this.consume(r)
        result.handed[name] = handed
        if (contended) result.again = true
        r.failures = 0
        r.retryAt = 0
        r.lastError = null
      } catch (err) {
        r.failures++
        r.retryAt = this.wallNow() + retryDelay(r.failures)
        r.lastError = err instanceof Error ? err.message : String(err)
        result.errors.push(
          new Error(`event consumer ${name} failed (${r.failures} in a row): ${r.lastError}`, { cause: err }),
        )
      }
    }
    return result
  }

  /** Hands one consumer every page after its cursor. */
  private async consume(
    r: Registered,
    onPage?: (read: number) => void,
  ): Promise<{ handed: number; contended: boolean }> {
    const { consumer } = r
    let stored = await store.findCursor(this.db, consumer.name)
    if (!stored) {
      // Its first pass (or its row was deleted: it starts again at the beginning of every log).
      await store.ensureCursor(this.db, consumer.name, this.clock.now())
      stored = await store.findCursor(this.db, consumer.name)
      if (!stored) throw new Error(`the cursor row of ${consumer.name} could not be created`)
    }
    let from = stored.cursor
    let handed = 0
    for (;;) {
      const page = await this.ledger.tail(decodeCursor(from), this.pageSize)
      if (page.events.length === 0) return { handed, contended: false }
      const events = page.events.filter((e) => wants(consumer, e.type))
      const to = encodeCursor(page.next)
      const moved = await this.db.transaction().execute(async (trx) => {
        // First: a second worker on the same page waits here for this commit, then finds it moved.
        if (!(await store.moveCursor(trx, consumer.name, from, to, this.clock.now()))) return false
        if (events.length) await consumer.handle(trx, events)
        return true
      })
      if (!moved) return { handed, contended: true }
      from = to
      handed += events.length
      if (onPage) {
        let read = 0
        for (const p of page.next.values()) read += p
        onPage(read)
      }
      if (page.events.length < this.pageSize) return { handed, contended: false }
    }
  }
}
