/**
 * Appending to the ledger. Appending happens inside the caller's transaction: the event gets its index, its canonical leaf and
 * the tree nodes it completes in one INSERT, and commits or rolls back with the state change it records.
 * On PostgreSQL the log's row lock serialises appends to one city while its transaction is open (so
 * services append as late in their transaction as they can); different cities never wait on each other.
 * @module
 */
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { LedgerLeafTable } from '../../db/schema.js'
import { AppError } from '../../../shared/errors.js'
import { canonicalJson, CompactRange, frontierNodes, hashLeaf, type NodeId } from './formats/index.js'
import {
  EVENT_TYPE_RE,
  LEAF_VERSION,
  logIdForRegion,
  MAX_LEAF_BYTES,
  originOf,
  type LedgerEvent,
  type LedgerLeaf,
  type LedgerPosition,
} from './ledger.model.js'
import type { EventRegistry } from './ledger.registry.js'
import * as store from './ledger.store.js'
import { nodeKey, readNodes } from './ledger.tree.js'

interface Frontier {
  size: number
  /** Hash of leaf size-1, to detect that the database moved on without us (rollback, another instance). */
  lastHash: Buffer | null
  range: CompactRange
}

export class LedgerAppender {
  private readonly frontiers = new Map<string, Frontier>()
  private readonly knownLogs = new Set<string>()

  constructor(
    private readonly clock: Clock,
    private readonly domain: string,
    /** Called once per log the first time it is seen (publishes its verifier key). */
    private readonly onNewLog: (trx: Executor, logId: string) => Promise<void>,
    /** Declared event types: anything else is refused. */
    private readonly registry: EventRegistry,
  ) {}

  /**
   * Appends events inside `trx`. Events are grouped by log and logs are locked in id order, so two
   * transactions appending to the same logs cannot deadlock.
   * @returns each event's position, in the order given.
   * @throws AppError VALIDATION_FAILED for a malformed event (type, size) or a type no module declared
   *   (see ledger.registry.ts); nothing is written then.
   */
  async appendMany(trx: Executor, events: readonly LedgerEvent[]): Promise<LedgerPosition[]> {
    const positions: LedgerPosition[] = new Array<LedgerPosition>(events.length)
    const byLog = new Map<string, number[]>()
    events.forEach((e, i) => {
      if (!EVENT_TYPE_RE.test(e.type))
        throw new AppError(
          'VALIDATION_FAILED',
          `ledger event type ${JSON.stringify(e.type)} is not <module>.<verb>`,
        )
      this.registry.assertDeclared(e.type)
      const logId = logIdForRegion(e.regionCode)
      const list = byLog.get(logId)
      if (list) list.push(i)
      else byLog.set(logId, [i])
    })
    for (const logId of [...byLog.keys()].sort()) {
      await this.ensureLog(trx, logId)
      const frontier = await this.loadFrontier(trx, logId)
      const rows: LedgerLeafTable[] = []
      for (const i of byLog.get(logId) as number[]) {
        const e = events[i] as LedgerEvent
        const index = frontier.size
        const time = this.clock.now()
        const leaf: LedgerLeaf = {
          v: LEAF_VERSION,
          log: logId,
          index,
          time,
          type: e.type,
          subject: e.subject,
          actor: e.actor,
          data: e.data,
        }
        const bytes = Buffer.from(canonicalJson(leaf))
        if (bytes.length > MAX_LEAF_BYTES) {
          throw new AppError(
            'VALIDATION_FAILED',
            `ledger event ${e.type} is ${bytes.length} bytes; the limit is ${MAX_LEAF_BYTES}`,
          )
        }
        const hash = Buffer.from(hashLeaf(bytes))
        const completed = frontier.range.append(hash).nodes
        rows.push({
          log_id: logId,
          idx: index,
          time,
          type: e.type,
          subject: e.subject,
          leaf: bytes,
          hash,
          nodes: completed.length === 0 ? null : Buffer.concat(completed),
        })
        frontier.size = index + 1
        frontier.lastHash = hash
        positions[i] = { log: logId, index }
      }
      await store.insertLeaves(trx, rows)
    }
    return positions
  }

  private async ensureLog(trx: Executor, logId: string, force = false): Promise<void> {
    if (this.knownLogs.has(logId) && !force) return
    await store.ensureLog(trx, logId, originOf(this.domain, logId), this.clock.now())
    await this.onNewLog(trx, logId)
    this.knownLogs.add(logId)
  }

  /**
   * Locks the log for this transaction. When the lock finds no row, another transaction created the log
   * and has not committed: inserting it again waits for that one, after which the row can be locked.
   */
  private async lock(trx: Executor, logId: string): Promise<void> {
    if (await store.lockLog(trx, logId)) return
    await this.ensureLog(trx, logId, true)
    if (!(await store.lockLog(trx, logId))) throw new Error(`ledger ${logId}: the log row cannot be locked`)
  }

  /**
   * Locks the log and returns its frontier (compact range) as the database has it now: from cache when
   * the last stored leaf is still the one the cache ends with (a rolled-back transaction or another
   * instance's append shows up as a different last leaf and forces a reload).
   */
  private async loadFrontier(trx: Executor, logId: string): Promise<Frontier> {
    await this.lock(trx, logId)
    const last = await store.findLastLeaf(trx, logId)
    const size = last ? last.idx + 1 : 0
    const cached = this.frontiers.get(logId)
    if (
      cached &&
      cached.size === size &&
      (size === 0 || (cached.lastHash !== null && cached.lastHash.equals(last!.hash)))
    ) {
      return cached
    }
    const nodes = frontierNodes(size)
    const hashes = await readNodes(trx, logId, nodes)
    const frontier: Frontier = {
      size,
      lastHash: last?.hash ?? null,
      range: new CompactRange(
        size,
        nodes.map((n: NodeId) => hashes.get(nodeKey(n)) as Buffer),
      ),
    }
    this.frontiers.set(logId, frontier)
    return frontier
  }

  /** Forgets cached state (tests that tamper with the database behind the service). */
  reset(): void {
    this.frontiers.clear()
    this.knownLogs.clear()
  }
}
