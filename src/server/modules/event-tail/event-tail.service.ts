/**
 * The ledger's event tail for auditors and administrators (`GET /api/events`, `GET /api/events/stream`):
 * committed events of the logs in the caller's jurisdiction, in pages that follow a per-log cursor
 * (ledger.cursor.ts). Analytics, the command hall and process mining consume this, never state tables.
 *
 * The stream: one watcher per process compares the logs' sizes (one primary-key probe per log) every
 * {@link WATCH_INTERVAL_MS} while anyone is connected, and wakes the subscribers when a log grew. Each
 * subscriber then reads the tail from its own cursor; subscribers waiting at the same cursor with the same
 * scope share one read. Polling the ledger's sizes works the same with several server processes on one
 * PostgreSQL database, and keeps a submission's delivery well under a second.
 * @module
 */
import type { Principal } from '../../access.js'
import { AppError } from '../../../shared/errors.js'
import { assertCan, can } from '../../../shared/permissions.js'
import {
  advance,
  decodeCursor,
  encodeCursor,
  type TailCursor,
  type TailEvent,
} from '../ledger/ledger.cursor.js'
import type { LedgerService } from '../ledger/ledger.service.js'

export const DEFAULT_PAGE = 100
export const MAX_PAGE = 1000
/** How often the stream's watcher looks at the logs' sizes while clients are connected. */
export const WATCH_INTERVAL_MS = 200
/** Streams one process serves at once; more get 503 (the events stay in the tail to read later). */
export const MAX_STREAMS = 1000

export interface TailPage {
  events: TailEvent[]
  next: string
}

/** One event as the stream sends it: `id` is the cursor after it. */
export interface StreamEvent {
  id: string
  event: TailEvent
}

export interface Subscriber {
  /** Called with every new event, in order; a rejected promise closes the subscription. */
  send(events: readonly StreamEvent[]): Promise<void> | void
  /** Ends the stream (server shutdown). */
  close(): void
}

interface Subscription {
  principal: Principal
  scopeKey: string
  inLog: (log: string) => boolean
  cursor: TailCursor
  subscriber: Subscriber
  busy: boolean
  /** Woken while busy: look again when done, the wake-up may have brought events. */
  again: boolean
  closed: boolean
}

export class EventTailService {
  private readonly subscriptions = new Set<Subscription>()
  private watcher: NodeJS.Timeout | undefined
  private lastSizes = ''
  private watching = false

  constructor(private readonly ledger: LedgerService) {}

  /**
   * The logs the caller may read: every log whose region lies in the caller's subtree. A county-level
   * account holds no whole city log, so it is refused rather than shown another county's events.
   * @throws AppError FORBIDDEN without `events.read`, or when no log lies in the caller's jurisdiction
   */
  scopeOf(principal: Principal): { key: string; inLog: (log: string) => boolean } {
    assertCan(principal, 'events.read')
    const root = principal.regionCode
    if (root.length > 4) {
      throw new AppError(
        'FORBIDDEN',
        'events.read: the ledger keeps one log per city; an account below city level cannot read a whole log',
        { details: { permission: 'events.read', jurisdiction: { regionCode: root } } },
      )
    }
    return {
      key: root,
      inLog: (log) => can(principal, 'events.read', { regionCode: log }) && log.startsWith(root),
    }
  }

  /** One page of the tail after `after` (a cursor's text; empty or omitted: from the start). */
  async page(principal: Principal, after: string | undefined, limit = DEFAULT_PAGE): Promise<TailPage> {
    const scope = this.scopeOf(principal)
    const cursor = decodeCursor(after ?? '')
    const page = await this.ledger.tail(cursor, Math.min(Math.max(1, limit), MAX_PAGE), scope.inLog)
    return { events: page.events, next: encodeCursor(page.next) }
  }

  /**
   * Subscribes to the tail from `after` (the `Last-Event-ID` of a reconnecting client): everything
   * already committed after it is sent at once, then each new event as it commits. @returns unsubscribe
   * @throws AppError FORBIDDEN (see scopeOf), VALIDATION_FAILED for a bad cursor, UNAVAILABLE when the
   *   process serves {@link MAX_STREAMS} streams
   */
  subscribe(principal: Principal, after: string | undefined, subscriber: Subscriber): () => void {
    const scope = this.scopeOf(principal)
    const cursor = decodeCursor(after ?? '', '/headers/last-event-id')
    if (this.subscriptions.size >= MAX_STREAMS) {
      throw new AppError(
        'UNAVAILABLE',
        `this server already serves ${MAX_STREAMS} event streams; retry later`,
      )
    }
    const sub: Subscription = {
      principal,
      scopeKey: scope.key,
      inLog: scope.inLog,
      cursor,
      subscriber,
      busy: false,
      again: false,
      closed: false,
    }
    this.subscriptions.add(sub)
    this.startWatching()
    // The first send comes after the first read resolves, so the caller has written its headers by then.
    void this.deliver([sub], new Map())
    return () => {
      sub.closed = true
      this.subscriptions.delete(sub)
      if (this.subscriptions.size === 0) this.stopWatching()
    }
  }

  /** Connected stream clients (for /metrics and tests). */
  get streams(): number {
    return this.subscriptions.size
  }

  /** Closes every subscription (server shutdown). */
  stop(): void {
    for (const s of this.subscriptions) {
      s.closed = true
      s.subscriber.close()
    }
    this.subscriptions.clear()
    this.stopWatching()
  }

  private startWatching(): void {
    if (this.watcher) return
    this.watcher = setInterval(() => void this.watch(), WATCH_INTERVAL_MS)
    this.watcher.unref()
  }

  private stopWatching(): void {
    if (this.watcher) clearInterval(this.watcher)
    this.watcher = undefined
    this.lastSizes = ''
  }

  private async watch(): Promise<void> {
    if (this.watching) return
    this.watching = true
    try {
      const sizes = [...(await this.ledger.logSizes()).entries()].map(([l, n]) => `${l}:${n}`).join(',')
      if (sizes === this.lastSizes) return
      this.lastSizes = sizes
      await this.deliver([...this.subscriptions], new Map())
    } catch {
      // The database is briefly unavailable: the next tick tries again; nothing was consumed.
    } finally {
      this.watching = false
    }
  }

  /**
   * Reads and sends what each subscription has not seen. Reads are shared between subscriptions at the
   * same cursor with the same scope (`reads`, per wake-up).
   */
  private async deliver(subs: Subscription[], reads: Map<string, Promise<TailEvent[][]>>): Promise<void> {
    await Promise.all(
      subs.map(async (sub) => {
        if (sub.closed) return
        if (sub.busy) {
          sub.again = true
          return
        }
        sub.busy = true
        try {
          for (;;) {
            const key = `${sub.scopeKey}|${encodeCursor(sub.cursor)}`
            let read = reads.get(key)
            if (!read) {
              read = this.ledger.tail(sub.cursor, MAX_PAGE, sub.inLog).then((p) => [p.events])
              reads.set(key, read)
            }
            const [events] = await read
            if (!events || events.length === 0 || sub.closed) return
            const out: StreamEvent[] = []
            let cursor = sub.cursor
            for (const e of events) {
              cursor = advance(cursor, e.log, e.index)
              out.push({ id: encodeCursor(cursor), event: e })
            }
            await sub.subscriber.send(out)
            sub.cursor = cursor
            if (events.length < MAX_PAGE) return
          }
        } catch {
          sub.closed = true
          this.subscriptions.delete(sub)
        } finally {
          sub.busy = false
        }
        if (sub.again && !sub.closed) {
          sub.again = false
          await this.deliver([sub], new Map())
        }
      }),
    )
  }
}
