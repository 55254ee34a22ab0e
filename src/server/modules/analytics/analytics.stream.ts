/**
 * The command hall's live stream (`GET /api/analytics/stream`) and ticker (`GET /api/analytics/ticker`):
 * every event of the ledger placed in a region, sent to the screens whose region subtree holds it.
 *
 * One hub per process follows the ledger's event tail for all its screens: while any screen is
 * connected it compares the logs' sizes every {@link POLL_MS} (one primary-key probe per log) and reads
 * the tail past its cursor when one grew. Polling the ledger, not an in-process signal, is what makes
 * an event another process committed (`xzt sim` on the same SQLite file, another server on the same
 * PostgreSQL database) arrive as fast as a local one. The hub starts at the end of every log when its
 * first screen connects (a screen fills its ticker first), and forgets its cursor when the last leaves.
 *
 * An event is placed by the region it states (`data.region`: case.submitted, appeal.filed), else by
 * what the hub remembers of its case or appeal (a bounded LRU), else by what the rollups consumer
 * remembers of its case (`analytics_case`, itself kept from the tail), else by its log.
 *
 * A slow screen never grows memory without bound: while its socket holds more than
 * {@link MAX_BUFFERED_BYTES} unsent, its events are dropped and counted (it is told how many with a
 * `: dropped N` comment when it catches up), and after {@link SLOW_SCREEN_MS} of dropping it is
 * disconnected (EventSource reconnects; the ticker refills it).
 * @module
 */
import type { Kysely } from 'kysely'
import { AppError } from '../../../shared/errors.js'
import { assertCan, can } from '../../../shared/permissions.js'
import { scopeFor, type Principal } from '../../access.js'
import type { DB } from '../../db/schema.js'
import type { TailEvent } from '../event-tail/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { RegionService } from '../regions/regions.service.js'
import {
  isBookkeeping,
  latestFirst,
  logMayHold,
  LruMap,
  inSubtree,
  placeEvents,
  sseFrame,
  streamItem,
  unplacedCases,
  type StreamItem,
} from './analytics.stream.model.js'
import * as store from './analytics.store.js'

/** How often the hub looks at the logs' sizes while a screen is connected. */
export const POLL_MS = 100
/** Screens one process serves at once; more get 503. */
export const MAX_STREAMS = 1000
/** Entities (cases, appeals) whose region the hub remembers. */
export const MEMORY_ENTRIES = 100_000
/** Unsent bytes a screen's socket may hold before its events are dropped. */
export const MAX_BUFFERED_BYTES = 256 * 1024
/** A screen that has dropped events this long is disconnected. */
export const SLOW_SCREEN_MS = 30_000
export const DEFAULT_TICKER = 50
export const MAX_TICKER = 200
/** Events of one log the ticker looks back over, at most, to fill itself for a small region. */
const TICKER_LOOKBACK = 4000
/** Events per read of the tail. */
const PAGE = 1000

/** Where a screen's frames go (the route writes them to the hijacked response). */
export interface StreamSink {
  write(text: string): void
  /** Bytes written and not yet taken by the client. */
  buffered(): number
  /** Ends the stream (slow screen, server shutdown). */
  close(): void
}

export interface StreamQuery {
  region?: string
}

export interface TickerQuery {
  region?: string
  limit?: number
}

interface Screen {
  root: string
  sink: StreamSink
  /** Dropped since the screen was last written to. */
  dropped: number
  droppingSince: number | null
  closed: boolean
}

export class AnalyticsStreamHub {
  private readonly screens = new Set<Screen>()
  private readonly memory = new LruMap<string, string>(MEMORY_ENTRIES)
  private readonly names = new LruMap<string, string>(10_000)
  /** Position of the next event to read, per log; undefined while no screen is connected. */
  private cursor: Map<string, number> | undefined
  private starting: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined
  private polling: Promise<void> | undefined
  private droppedTotal = 0
  private stopped = false

  constructor(
    private readonly db: Kysely<DB>,
    private readonly ledger: LedgerService,
    private readonly regions: RegionService,
    private readonly options: { pollMs?: number; now?: () => number } = {},
  ) {}

  /**
   * The subtree a caller's screen follows: `region` (within the caller's jurisdiction), else the
   * caller's whole jurisdiction ('' for a grant over everything).
   * @throws AppError FORBIDDEN without analytics.read over the region
   */
  rootOf(principal: Principal, region: string | undefined): string {
    if (region === undefined) return scopeFor(principal, 'analytics.read').regionPrefix
    assertCan(principal, 'analytics.read', { regionCode: region })
    return region
  }

  /**
   * Connects a screen: from now on every event placed in its subtree is written to `sink` as
   * `event: ledger` / `data: <StreamItem>`. @returns unsubscribe
   * @throws AppError FORBIDDEN (see rootOf), NOT_FOUND (region), UNAVAILABLE (stopped, or
   *   {@link MAX_STREAMS} screens connected)
   */
  async subscribe(principal: Principal, query: StreamQuery, sink: StreamSink): Promise<() => void> {
    const root = this.rootOf(principal, query.region)
    if (query.region !== undefined) await this.regions.getRegion(query.region)
    if (this.stopped) throw new AppError('UNAVAILABLE', 'the server is shutting down')
    if (this.screens.size >= MAX_STREAMS)
      throw new AppError('UNAVAILABLE', `this server already serves ${MAX_STREAMS} hall streams; retry later`)
    const screen: Screen = { root, sink, dropped: 0, droppingSince: null, closed: false }
    this.screens.add(screen)
    try {
      // The cursor is set before the caller answers 200: whatever commits after that is sent.
      await this.start()
    } catch (err) {
      this.remove(screen)
      throw err
    }
    return () => this.remove(screen)
  }

  /**
   * The latest events of the caller's subtree (or `region` within it), latest first: read from the
   * end of the ledger's logs, looking further back for a small region, up to a bound.
   * @throws AppError FORBIDDEN, NOT_FOUND (region)
   */
  async ticker(principal: Principal, query: TickerQuery): Promise<{ items: StreamItem[] }> {
    const root = this.rootOf(principal, query.region)
    if (query.region !== undefined) await this.regions.getRegion(query.region)
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_TICKER), MAX_TICKER)
    const logs = [...(await this.ledger.logSizes())].filter(([l, n]) => n > 0 && logMayHold(l, root))
    const inLog = new Set(logs.map(([l]) => l))
    let found: StreamItem[] = []
    for (let back = limit; ; back *= 4) {
      const from = new Map(logs.map(([l, n]) => [l, Math.max(0, n - back)]))
      const page = await this.ledger.tail(from, back * Math.max(1, logs.length), (l) => inLog.has(l))
      found = (await this.place(page.events)).filter((i) => inSubtree(i.region, root))
      const whole = logs.every(([l]) => from.get(l) === 0)
      if (found.length >= limit || whole || back >= TICKER_LOOKBACK) break
    }
    return { items: latestFirst(found, limit) }
  }

  /** Connected screens. */
  get streams(): number {
    return this.screens.size
  }

  /** Events dropped for slow screens since start. */
  get dropped(): number {
    return this.droppedTotal
  }

  /** Ends every stream and stops following the tail (server shutdown). Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true
    this.stopTimer()
    await this.polling
    for (const s of [...this.screens]) {
      this.remove(s)
      s.sink.close()
    }
  }

  private remove(screen: Screen): void {
    screen.closed = true
    this.screens.delete(screen)
    if (this.screens.size === 0) this.stopTimer()
  }

  private async start(): Promise<void> {
    if (this.cursor) return
    this.starting ??= (async () => {
      try {
        const sizes = await this.ledger.logSizes()
        if (this.screens.size === 0 || this.stopped) return
        this.cursor = new Map(sizes)
        this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? POLL_MS)
        this.timer.unref()
      } finally {
        this.starting = undefined
      }
    })()
    await this.starting
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.cursor = undefined
  }

  private poll(): Promise<void> {
    this.polling ??= this.readNew().finally(() => {
      this.polling = undefined
    })
    return this.polling
  }

  private async readNew(): Promise<void> {
    try {
      const sizes = await this.ledger.logSizes()
      if (!this.cursor) return
      const grown = new Set([...sizes].filter(([l, n]) => n > (this.cursor?.get(l) ?? 0)).map(([l]) => l))
      if (grown.size === 0) return
      for (;;) {
        const cursor = this.cursor
        if (!cursor) return
        const page = await this.ledger.tail(cursor, PAGE, (l) => grown.has(l))
        if (page.events.length === 0) return
        const items = await this.place(page.events)
        // The last screen left meanwhile: the next one starts afresh at the end.
        if (this.cursor !== cursor) return
        this.cursor = new Map(page.next)
        this.fanOut(items)
        if (page.events.length < PAGE) return
      }
    } catch {
      // The database is briefly unavailable: the next poll tries again from the same cursor.
    }
  }

  /** The page's events as screens see them, placed in regions (see the module comment). */
  private async place(events: readonly TailEvent[]): Promise<StreamItem[]> {
    const unknown = unplacedCases(events, this.memory)
    const looked = new Map<string, string>()
    if (unknown.length > 0)
      for (const [id, c] of await store.findCases(this.db, unknown)) looked.set(id, c.regionCode)
    const regions = placeEvents(events, this.memory, looked)
    for (const e of events)
      if (e.type === 'region.upserted' && typeof e.data.code === 'string') this.names.delete(e.data.code)
    const codes = [...new Set(regions)].filter((c) => this.names.peek(c) === undefined)
    await Promise.all(
      codes.map(async (code) => this.names.set(code, (await this.regions.findRegion(code))?.name ?? code)),
    )
    return events.flatMap((e, i) => {
      if (isBookkeeping(e.type)) return []
      const region = regions[i] as string
      return [streamItem(e, region, this.names.get(region) ?? region)]
    })
  }

  private fanOut(items: readonly StreamItem[]): void {
    if (items.length === 0) return
    const frames = items.map(sseFrame)
    const now = (this.options.now ?? Date.now)()
    for (const screen of [...this.screens]) {
      if (screen.closed) continue
      let text = ''
      let n = 0
      for (let i = 0; i < items.length; i++)
        if (inSubtree((items[i] as StreamItem).region, screen.root)) {
          text += frames[i] as string
          n++
        }
      if (n === 0) continue
      if (screen.sink.buffered() > MAX_BUFFERED_BYTES) {
        screen.dropped += n
        this.droppedTotal += n
        screen.droppingSince ??= now
        if (now - screen.droppingSince >= SLOW_SCREEN_MS) {
          this.remove(screen)
          screen.sink.close()
        }
        continue
      }
      if (screen.dropped > 0) text = `: dropped ${screen.dropped}\n\n${text}`
      screen.dropped = 0
      screen.droppingSince = null
      try {
        screen.sink.write(text)
      } catch {
        this.remove(screen)
      }
    }
  }
}

/** True when the caller's session still reaches `root` (a stream ends when it no longer does). */
export function stillReaches(principal: Principal | undefined, root: string): boolean {
  if (!principal) return false
  try {
    return root === ''
      ? scopeFor(principal, 'analytics.read').regionPrefix === ''
      : can(principal, 'analytics.read', { regionCode: root })
  } catch {
    return false
  }
}
