/**
 * The command hall's live stream, the pure part: which region an event of the ledger's tail belongs
 * to, what a screen is sent of it (no personal data: the event's position, type, display name, region
 * and time, never its subject, actor or data), and the bounded memory of entities' regions that later
 * events (which carry only an id) are placed by.
 * @module
 */
import { eventTypeName } from '../../../shared/event-names.js'
import type { TailEvent } from '../event-tail/index.js'

/** One ledger event as a hall screen receives it (`event: ledger`) and as the ticker lists it. */
export interface StreamItem {
  /** The ledger log (a city code, or the province's). */
  log: string
  /** Position in its log. */
  index: number
  type: string
  /** The type's Chinese display name. */
  label: string
  /** The region the event happened in (a case's or appeal's region; else the log's). */
  region: string
  regionName: string
  /** Epoch ms of the event. */
  time: number
}

/** What an event of a type without a display name is called on a screen. */
export const UNNAMED_EVENT_LABEL = '账本事件'

const REGION_RE = /^[0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[0-9]{3})?)?)?$/

/** A map that forgets its least recently used entries beyond `capacity`. */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>()

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1')
  }

  get size(): number {
    return this.map.size
  }

  get(key: K): V | undefined {
    const v = this.map.get(key)
    if (v === undefined) return undefined
    // Map iterates in insertion order: re-inserting makes the key the most recent.
    this.map.delete(key)
    this.map.set(key, v)
    return v
  }

  set(key: K, value: V): void {
    this.map.delete(key)
    this.map.set(key, value)
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next()
      if (oldest.done) break
      this.map.delete(oldest.value)
    }
  }

  /** The value without making the key the most recent. */
  peek(key: K): V | undefined {
    return this.map.get(key)
  }

  delete(key: K): void {
    this.map.delete(key)
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/**
 * The entity an event is about, as the key its region is remembered under: its appeal, else its case
 * (task, SLA and rating events name their case), else its subject.
 */
export function entityKey(e: Pick<TailEvent, 'subject' | 'data'>): string {
  const appeal = str(e.data.appeal)
  if (appeal) return `appeal:${appeal}`
  const c = str(e.data.case)
  if (c) return `case:${c}`
  return e.subject
}

/** The region an event states itself (`data.region` of case.submitted, appeal.filed), if any. */
export function statedRegion(e: Pick<TailEvent, 'data'>): string | undefined {
  const r = str(e.data.region)
  return r !== undefined && REGION_RE.test(r) ? r : undefined
}

/** The case id an event names, when its region must be looked up (not stated, not remembered). */
export function caseIdOf(e: Pick<TailEvent, 'data'>): string | undefined {
  return str(e.data.appeal) ? undefined : str(e.data.case)
}

/**
 * Places each event of a page in a region, remembering the stated ones (in page order, so a case
 * submitted earlier in the page places its steps later in it): stated, else remembered (by entity,
 * then by subject), else `looked` (what the caller found of the page's unknown cases), else the log.
 */
export function placeEvents(
  events: readonly TailEvent[],
  memory: LruMap<string, string>,
  looked: ReadonlyMap<string, string> = new Map(),
): string[] {
  return events.map((e) => {
    const key = entityKey(e)
    const stated = statedRegion(e)
    if (stated) {
      memory.set(key, stated)
      if (e.subject !== key) memory.set(e.subject, stated)
      return stated
    }
    const remembered = memory.get(key) ?? memory.get(e.subject)
    if (remembered) return remembered
    const c = caseIdOf(e)
    const found = c === undefined ? undefined : looked.get(c)
    if (found) {
      memory.set(key, found)
      return found
    }
    return e.log
  })
}

/** Case ids of a page that neither state nor memory places (to look up once for the page). */
export function unplacedCases(events: readonly TailEvent[], memory: LruMap<string, string>): string[] {
  const stated = new Set<string>()
  const out = new Set<string>()
  for (const e of events) {
    const key = entityKey(e)
    if (statedRegion(e)) {
      stated.add(key)
      continue
    }
    const c = caseIdOf(e)
    if (c === undefined || stated.has(key)) continue
    if (memory.peek(key) === undefined && memory.peek(e.subject) === undefined) out.add(c)
  }
  return [...out]
}

/** What a screen is sent of an event. */
/**
 * The platform's own bookkeeping (background jobs, checkpoint witnesses): true ledger events, shown to
 * auditors on the ledger pages, but not what a leader's ticker is for (they would flood it).
 */
export function isBookkeeping(type: string): boolean {
  return type.startsWith('job.') || type.startsWith('ledger.')
}

export function streamItem(e: TailEvent, region: string, regionName: string): StreamItem {
  return {
    log: e.log,
    index: e.index,
    type: e.type,
    label: eventTypeName(e.type, 'zh') ?? UNNAMED_EVENT_LABEL,
    region,
    regionName,
    time: e.time,
  }
}

/** True when `region` lies in the subtree rooted at `root` ('' roots everything). */
export function inSubtree(region: string, root: string): boolean {
  return region.startsWith(root)
}

/** Logs that may hold events of the subtree at `root`: its own city's log, the cities below it, the province's. */
export function logMayHold(log: string, root: string): boolean {
  return log.startsWith(root) || root.startsWith(log)
}

/** One item as a server-sent event. */
export function sseFrame(item: StreamItem): string {
  return `event: ledger\ndata: ${JSON.stringify(item)}\n\n`
}

/**
 * The latest `limit` items, latest first (by time, then log and index descending): what a screen's
 * ticker starts with.
 */
export function latestFirst(items: readonly StreamItem[], limit: number): StreamItem[] {
  return [...items]
    .sort((a, b) => b.time - a.time || (a.log < b.log ? 1 : a.log > b.log ? -1 : 0) || b.index - a.index)
    .slice(0, limit)
}
