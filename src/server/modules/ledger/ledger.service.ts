/**
 * The tamper-evident ledger (区块链式固化): one RFC 6962 log per city plus the province log, with
 * signed C2SP checkpoints, province and external witnesses, proofs, tiles and offline receipts.
 *
 * Other modules call `append`/`appendMany` with their open transaction, so a state change and its
 * ledger event commit or roll back together: there is no state change without its entry and no entry
 * without its state change.
 *
 * Checkpoints are signed by a background tick (every `checkpointIntervalMs`) and on demand. Before a
 * checkpoint is signed, the new root is checked to be consistent with the last signed one, so the log
 * can never sign two inconsistent checkpoints. The province witness then cosigns each city checkpoint
 * after checking it against the last one it cosigned, and records it in the province log.
 * @module
 */
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import { isUniqueViolation } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { AppError, notFound } from '../../../shared/errors.js'
import type { LedgerEntryDetail, LedgerEntrySummary, LedgerLog } from '../../../shared/api.js'
import type { ReplayEvent } from './ledger.replay.js'
import {
  appendSignatures,
  consistencyPlan,
  encodeEntryBundle,
  formatCheckpoint,
  formatTlogProof,
  inclusionPlan,
  rootPlan,
  verifyConsistency,
} from './formats/index.js'
import { LedgerAppender } from './ledger.appender.js'
import { mergePage, type TailCursor, type TailEvent } from './ledger.cursor.js'
import { platformEvents, type EventRegistry } from './ledger.registry.js'
import type { LedgerKeyPair } from './ledger.keys.js'
import {
  actorOf,
  originOf,
  subjectOf,
  witnessNameOf,
  type LedgerEvent,
  type LedgerPosition,
} from './ledger.model.js'
import {
  createSigner,
  verifyCheckpointNote,
  verifyCosignature,
  verifyReceipt,
  type ReceiptVerification,
  type Signer,
} from './ledger.signing.js'
import { readWitnessedCheckpoints, verifyLog, type LogVerification } from './ledger.verify.js'
import * as store from './ledger.store.js'
import { nodeKey, readNodes, resolvePlan } from './ledger.tree.js'
import { SYSTEM } from '../../access.js'

export interface LedgerOptions {
  domain: string
  logKey: LedgerKeyPair
  witnessKey: LedgerKeyPair
  /** Verifier keys of external witnesses whose cosignatures are accepted and served. */
  externalWitnesses: readonly string[]
  /** Declared event types (default: every module's, see ledger.registry.ts). */
  events?: EventRegistry
}

/** Largest page of entries one request returns. */
export const MAX_ENTRIES_PAGE = 1000

/** Logs read by one statement of the tail. */
const TAIL_LOGS_PER_QUERY = 64

export class LedgerService {
  private readonly appender: LedgerAppender
  private readonly witness: Signer
  private readonly logSigners = new Map<string, Signer>()
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  /** The event types this ledger accepts; tests may `declare` their own. */
  readonly registry: EventRegistry

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly options: LedgerOptions,
  ) {
    this.witness = createSigner(witnessNameOf(options.domain), options.witnessKey, 'cosignature')
    this.registry = options.events ?? platformEvents()
    this.appender = new LedgerAppender(
      clock,
      options.domain,
      (trx, logId) => store.insertKey(trx, logId, this.logSigner(logId).verifierKey, this.clock.now()),
      this.registry,
    )
  }

  // ---- appending -------------------------------------------------------------------------------

  /** Records one event in the caller's transaction. */
  async append(trx: Executor, event: LedgerEvent): Promise<LedgerPosition> {
    return (await this.appender.appendMany(trx, [event]))[0] as LedgerPosition
  }

  /** Records several events in the caller's transaction (one INSERT per log). */
  appendMany(trx: Executor, events: readonly LedgerEvent[]): Promise<LedgerPosition[]> {
    return this.appender.appendMany(trx, events)
  }

  // ---- keys ------------------------------------------------------------------------------------

  private logSigner(logId: string): Signer {
    let signer = this.logSigners.get(logId)
    if (!signer) {
      signer = createSigner(originOf(this.options.domain, logId), this.options.logKey, 'log')
      this.logSigners.set(logId, signer)
    }
    return signer
  }

  /** Verifier keys of the province witness and the configured external witnesses. */
  witnessKeys(): { province: string; external: string[] } {
    return { province: this.witness.verifierKey, external: [...this.options.externalWitnesses] }
  }

  /** Publishes the current log key for every existing log (after a start or a key rotation). */
  async init(): Promise<void> {
    const now = this.clock.now()
    for (const log of await store.listLogIds(this.db))
      await store.insertKey(this.db, log.id, this.logSigner(log.id).verifierKey, now)
  }

  /**
   * Verifies every log (or one) from its leaves up: see ledger.verify.ts.
   * @throws NOT_FOUND for an unknown log
   */
  async verify(
    logId?: string,
    onProgress?: (log: string, done: number, total: number) => void,
  ): Promise<LogVerification[]> {
    const sizes = await store.logSizes(this.db)
    if (logId !== undefined && !sizes.has(logId)) throw notFound('log', logId)
    const witnessKeys = [this.witness.verifierKey, ...this.options.externalWitnesses]
    // What the province witnessed of each city log: a city log cut back or rewritten is named.
    const witnessed = await readWitnessedCheckpoints(
      this.db,
      [...sizes.keys()].filter((id) => id.length === 2),
    )
    const out: LogVerification[] = []
    for (const [id, size] of sizes) {
      if (logId !== undefined && id !== logId) continue
      const logKeys = (await store.listKeys(this.db, id)).map((k) => k.vkey)
      out.push(
        await verifyLog(
          this.db,
          id,
          { logKeys, witnessKeys },
          (done) => onProgress?.(id, done, size),
          witnessed.get(id) ?? [],
        ),
      )
    }
    return out
  }

  /**
   * Verifies a tlog-proof receipt with the published keys of its log (or `keys` when given).
   * @throws INVALID_INPUT naming what does not verify
   */
  async verifyReceiptText(receipt: string, keys?: readonly string[]): Promise<ReceiptVerification> {
    let vkeys = keys ? [...keys] : undefined
    if (!vkeys) {
      vkeys = [
        ...(await store.listKeys(this.db)).map((k) => k.vkey),
        this.witness.verifierKey,
        ...this.options.externalWitnesses,
      ]
    }
    return verifyReceipt(receipt, vkeys)
  }

  // ---- background checkpointing ------------------------------------------------------------------

  /** Starts signing checkpoints every `intervalMs` (0: never; only on demand). */
  start(intervalMs: number, onError: (err: unknown) => void): void {
    if (intervalMs <= 0 || this.timer) return
    this.timer = setInterval(() => {
      if (this.ticking) return
      this.ticking = this.tick()
        .catch(onError)
        .finally(() => {
          this.ticking = undefined
        })
    }, intervalMs)
    this.timer.unref()
  }

  /** Stops the background tick and waits for a running one. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.ticking
  }

  /** Signs checkpoints for every grown log, then lets the province witness cosign the cities. */
  async tick(): Promise<void> {
    const sizes = await store.logSizes(this.db)
    for (const [logId, size] of sizes) if (size > 0) await this.checkpointLog(logId, size)
    for (const logId of sizes.keys()) if (logId.length > 2) await this.witnessLog(logId)
  }

  /**
   * Signs a checkpoint of `logId` at its current size (or `size`) unless one exists already.
   * @throws AppError INTERNAL when the stored tree is not consistent with the last signed checkpoint:
   *   the log refuses to sign rather than sign two inconsistent checkpoints.
   */
  async checkpointLog(logId: string, size?: number): Promise<store.StoredCheckpoint | undefined> {
    const target = size ?? (await store.logSize(this.db, logId)) ?? 0
    if (target === 0) return undefined
    const last = await store.findLatestCheckpoint(this.db, logId)
    if (last && last.size >= target) return last
    const [root] = await resolvePlan(this.db, logId, [rootPlan(target)])
    if (last) {
      const proof = await resolvePlan(this.db, logId, consistencyPlan(last.size, target))
      if (!verifyConsistency(last.size, target, proof, last.root, root as Buffer)) {
        throw new AppError(
          'INTERNAL',
          `ledger ${logId}: tree at size ${target} is not consistent with signed checkpoint ${last.size}; refusing to sign`,
          {
            details: { log: logId, size: target, lastSigned: last.size },
          },
        )
      }
    }
    const signer = this.logSigner(logId)
    const body = formatCheckpoint({ origin: signer.name, size: target, root: root as Buffer })
    const note = signer.signNote(body)
    const inserted = await store.insertCheckpoint(this.db, {
      log_id: logId,
      size: target,
      root: root as Buffer,
      note,
      created_at: this.clock.now(),
    })
    if (!inserted) return store.findCheckpoint(this.db, logId, target)
    return { logId, size: target, root: root as Buffer, note, createdAt: this.clock.now() }
  }

  /** Signs a checkpoint now and, for a city log, has the province witness cosign it at once. */
  private async checkpointOnDemand(logId: string, size: number): Promise<store.StoredCheckpoint | undefined> {
    const cp = await this.checkpointLog(logId, size)
    if (cp && logId.length > 2) await this.witnessLog(logId)
    return cp
  }

  /**
   * The province witness cosigns the latest checkpoint of a city log after checking its signature
   * and its consistency with the last checkpoint it cosigned, and records it in the province log.
   */
  async witnessLog(logId: string): Promise<void> {
    const cp = await store.findLatestCheckpoint(this.db, logId)
    if (!cp) return
    const last = await store.findLastCosigned(this.db, logId, this.witness.name)
    if (last && last.size >= cp.size) return
    const keys = (await store.listKeys(this.db, logId)).map((k) => k.vkey)
    const parsed = verifyCheckpointNote(cp.note, keys)
    if (parsed.size !== cp.size || !parsed.root.equals(cp.root)) {
      throw new AppError(
        'INTERNAL',
        `ledger ${logId}: checkpoint ${cp.size} does not match its stored root; not cosigning`,
      )
    }
    if (last) {
      const proof = await resolvePlan(this.db, logId, consistencyPlan(last.size, cp.size))
      if (!verifyConsistency(last.size, cp.size, proof, last.root, cp.root)) {
        throw new AppError(
          'INTERNAL',
          `ledger ${logId}: checkpoint ${cp.size} is not consistent with cosigned ${last.size}; not cosigning`,
        )
      }
    }
    const line = this.witness.cosign(parsed.body, Math.floor(this.clock.now() / 1000))
    const province = logId.slice(0, 2)
    await this.db.transaction().execute(async (trx) => {
      await store.insertCosignature(trx, {
        log_id: logId,
        size: cp.size,
        witness: this.witness.name,
        line,
        created_at: this.clock.now(),
      })
      await this.appender.appendMany(trx, [
        {
          type: 'ledger.checkpoint_witnessed',
          subject: subjectOf('ledger', logId),
          regionCode: province,
          actor: actorOf(SYSTEM),
          data: { log: logId, origin: parsed.origin, size: cp.size, root: cp.root.toString('base64') },
        },
      ])
    })
  }

  /**
   * Accepts an external witness's cosignature line for a checkpoint of `logId`.
   * @throws NOT_FOUND (log or checkpoint), INVALID_INPUT (not a valid cosignature by a configured witness)
   */
  async addCosignature(logId: string, size: number, line: string): Promise<{ witness: string }> {
    const cp = await store.findCheckpoint(this.db, logId, size)
    if (!cp) throw notFound('checkpoint', `${logId}@${size}`)
    const body = verifyCheckpointNote(
      cp.note,
      (await store.listKeys(this.db, logId)).map((k) => k.vkey),
    ).body
    const witness = verifyCosignature(body, line, this.options.externalWitnesses)
    if (!witness) {
      throw new AppError('INVALID_INPUT', 'the cosignature does not verify with any configured witness key', {
        details: { configuredWitnesses: this.options.externalWitnesses.length },
      })
    }
    try {
      await store.insertCosignature(this.db, {
        log_id: logId,
        size,
        witness,
        line,
        created_at: this.clock.now(),
      })
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
    }
    return { witness }
  }

  // ---- reading ---------------------------------------------------------------------------------

  async listLogs(): Promise<LedgerLog[]> {
    const [logs, sizes, keys] = await Promise.all([
      store.listLogIds(this.db),
      store.logSizes(this.db),
      store.listKeys(this.db),
    ])
    const out: LedgerLog[] = []
    for (const log of logs) {
      const cp = await store.findLatestCheckpoint(this.db, log.id)
      const witnesses = cp ? await store.largestCosignedSizes(this.db, log.id) : []
      out.push({
        id: log.id,
        origin: log.origin,
        size: sizes.get(log.id) ?? 0,
        verifierKey: this.logSigner(log.id).verifierKey,
        verifierKeys: keys.filter((k) => k.logId === log.id).map((k) => k.vkey),
        checkpoint: cp ? { size: cp.size, time: cp.createdAt } : null,
        witnesses,
      })
    }
    return out
  }

  /** @throws NOT_FOUND for an unknown log */
  private async assertLog(logId: string): Promise<number> {
    const size = await store.logSize(this.db, logId)
    if (size === undefined) throw notFound('log', logId)
    return size
  }

  /**
   * The latest signed checkpoint with every cosignature, as signed-note text; signs one on demand when
   * the log has grown past it (or has none yet).
   */
  async checkpointText(logId: string): Promise<string> {
    const size = await this.assertLog(logId)
    let cp = await store.findLatestCheckpoint(this.db, logId)
    if (!cp || cp.size < size) cp = (await this.checkpointOnDemand(logId, size)) ?? cp
    if (!cp) throw new AppError('CONFLICT', `log ${logId} is empty: it has no checkpoint yet`)
    return this.noteWithCosignatures(cp)
  }

  private async noteWithCosignatures(cp: store.StoredCheckpoint): Promise<string> {
    const cos = await store.listCosignatures(this.db, cp.logId, cp.size)
    return cos.length === 0
      ? cp.note
      : appendSignatures(
          cp.note,
          cos.map((c) => (c.line.endsWith('\n') ? c.line : `${c.line}\n`)),
        )
  }

  /**
   * Where each subject was last recorded (`staff:…`: the latest appointment of an official): the
   * evidence a responsibility chain cites for who held which post.
   */
  latestOfSubjects(
    subjects: readonly string[],
    db: Executor = this.db,
  ): Promise<Map<string, { log: string; index: number; type: string; time: number }>> {
    return store.findLatestOfSubjects(db, [...new Set(subjects)])
  }

  /** @throws NOT_FOUND, VALIDATION_FAILED (bad range) */
  async entries(logId: string, start: number, end: number): Promise<LedgerEntrySummary[]> {
    const size = await this.assertLog(logId)
    assertRange(start, end, size, 'start', 'end')
    const stop = Math.min(end, start + MAX_ENTRIES_PAGE)
    const rows = await store.readLeaves(this.db, logId, start, stop)
    return rows.map((r) => ({ index: r.idx, leaf: r.leaf.toString('base64'), time: r.time, type: r.type }))
  }

  /** @throws NOT_FOUND, VALIDATION_FAILED */
  async inclusionProof(
    logId: string,
    index: number,
    size: number,
  ): Promise<{ index: number; size: number; hashes: string[] }> {
    const current = await this.assertLog(logId)
    if (!(size >= 1 && size <= current))
      throw badArgument('size', `must be between 1 and the log size ${current}`)
    if (!(index >= 0 && index < size)) throw badArgument('index', `must be below size ${size}`)
    const hashes = await resolvePlan(this.db, logId, inclusionPlan(index, size))
    return { index, size, hashes: hashes.map((h) => h.toString('base64')) }
  }

  /** @throws NOT_FOUND, VALIDATION_FAILED */
  async consistencyProof(
    logId: string,
    from: number,
    to: number,
  ): Promise<{ from: number; to: number; hashes: string[] }> {
    const current = await this.assertLog(logId)
    if (!(to >= 1 && to <= current)) throw badArgument('to', `must be between 1 and the log size ${current}`)
    if (!(from >= 1 && from <= to)) throw badArgument('from', `must be between 1 and to (${to})`)
    const hashes = await resolvePlan(this.db, logId, consistencyPlan(from, to))
    return { from, to, hashes: hashes.map((h) => h.toString('base64')) }
  }

  /**
   * A c2sp.org/tlog-proof@v1 receipt for entry `index`: the leaf itself (as `extra`), its audit path and
   * the latest signed checkpoint (with cosignatures). Verifiable offline with the published keys.
   * @throws NOT_FOUND (log or entry)
   */
  async receipt(logId: string, index: number): Promise<string> {
    const size = await this.assertLog(logId)
    if (!(index >= 0 && index < size)) throw notFound('entry', `${logId}/${index}`)
    let cp = await store.findCheckpointCovering(this.db, logId, index + 1)
    if (!cp) cp = await this.checkpointOnDemand(logId, size)
    if (!cp) throw notFound('entry', `${logId}/${index}`)
    const [leafRow] = await store.readLeaves(this.db, logId, index, index + 1)
    const proof = await resolvePlan(this.db, logId, inclusionPlan(index, cp.size))
    return formatTlogProof({
      index,
      proof,
      checkpointNote: await this.noteWithCosignatures(cp),
      extra: leafRow!.leaf,
    })
  }

  /**
   * A tlog-tiles hash tile: hashes of nodes (8·level, 256·index + i) for i < width, bounded by the latest
   * checkpoint. @throws NOT_FOUND when the tile does not exist (yet) at that width.
   */
  async tile(logId: string, level: number, index: number, width = 256): Promise<Buffer> {
    await this.assertLog(logId)
    const cp = await store.findLatestCheckpoint(this.db, logId)
    const available = cp ? Math.floor(cp.size / 2 ** (8 * level)) - 256 * index : 0
    if (available < width || width < 1 || width > 256)
      throw notFound('tile', `${logId}/tile/${level}/${index}${width < 256 ? `.p/${width}` : ''}`)
    const nodes = Array.from({ length: width }, (_, i) => ({ level: 8 * level, index: 256 * index + i }))
    const hashes = await readNodes(this.db, logId, nodes)
    return Buffer.concat(nodes.map((n) => hashes.get(nodeKey(n)) as Buffer))
  }

  /** A tlog-tiles entry bundle (uint16-length-prefixed leaves). @throws NOT_FOUND */
  async entryBundle(logId: string, index: number, width = 256): Promise<Buffer> {
    await this.assertLog(logId)
    const cp = await store.findLatestCheckpoint(this.db, logId)
    const available = (cp?.size ?? 0) - 256 * index
    if (available < width || width < 1 || width > 256)
      throw notFound('entry bundle', `${logId}/tile/entries/${index}${width < 256 ? `.p/${width}` : ''}`)
    const rows = await store.readLeaves(this.db, logId, 256 * index, 256 * index + width)
    return Buffer.from(encodeEntryBundle(rows.map((r) => r.leaf)))
  }

  /** One entry, decoded, with its inclusion proof against the latest checkpoint covering it. */
  async entryWithProof(logId: string, index: number): Promise<LedgerEntryDetail> {
    const size = await this.assertLog(logId)
    if (!(index >= 0 && index < size)) throw notFound('entry', `${logId}/${index}`)
    const [row] = await store.readEntries(this.db, logId, index, index + 1)
    const cp = await store.findCheckpointCovering(this.db, logId, index + 1)
    const proof = cp ? await resolvePlan(this.db, logId, inclusionPlan(index, cp.size)) : null
    return {
      log: logId,
      index,
      leaf: row!.leaf,
      leafHash: row!.hash.toString('base64'),
      checkpoint: cp
        ? { size: cp.size, root: cp.root.toString('base64'), note: await this.noteWithCosignatures(cp) }
        : null,
      proof: proof?.map((h) => h.toString('base64')) ?? null,
    }
  }

  /**
   * The event tail: up to `limit` committed events after `cursor` across the logs `inLog` accepts (all
   * when omitted), in (time, log, index) order, and the cursor to continue from. Following `next` from
   * the start yields every event exactly once (see ledger.cursor.ts).
   */
  async tail(
    cursor: TailCursor,
    limit: number,
    inLog: (logId: string) => boolean = () => true,
  ): Promise<{ events: TailEvent[]; next: TailCursor }> {
    const starts = (await store.listLogIds(this.db))
      .filter((l) => inLog(l.id))
      .map((l) => ({ log: l.id, from: cursor.get(l.id) ?? 0 }))
    const runs = new Map<string, TailEvent[]>(starts.map((s) => [s.log, []]))
    for (let i = 0; i < starts.length; i += TAIL_LOGS_PER_QUERY) {
      for (const row of await store.readLeafRuns(this.db, starts.slice(i, i + TAIL_LOGS_PER_QUERY), limit)) {
        const { leaf } = row
        ;(runs.get(row.logId) as TailEvent[]).push({
          log: row.logId,
          index: row.idx,
          time: leaf.time,
          type: leaf.type,
          subject: leaf.subject,
          actor: leaf.actor,
          data: leaf.data,
        })
      }
    }
    // UNION ALL keeps no order across its parts; each run must be in index order.
    for (const run of runs.values()) run.sort((a, b) => a.index - b.index)
    return mergePage(cursor, runs, limit)
  }

  /** Every log's size now: what the event stream compares to notice new events. */
  logSizes(): Promise<Map<string, number>> {
    return store.logSizes(this.db)
  }

  /** Total number of entries across all logs. */
  async totalSize(): Promise<number> {
    let total = 0
    for (const size of (await store.logSizes(this.db)).values()) total += size
    return total
  }

  /**
   * Every event of every log, merged in (time, log, index) order: the order replay applies them in.
   */
  async *events(batch = 2000): AsyncGenerator<ReplayEvent> {
    const logs = (await store.listLogIds(this.db)).map((l) => ({
      id: l.id,
      next: 0,
      buffer: [] as ReplayEvent[],
      done: false,
    }))
    const fill = async (c: (typeof logs)[number]): Promise<void> => {
      if (c.done || c.buffer.length > 0) return
      const rows = await store.readEntries(this.db, c.id, c.next, c.next + batch)
      c.next += rows.length
      if (rows.length < batch) c.done = true
      c.buffer = rows.map((r) => ({
        log: c.id,
        index: r.idx,
        time: r.time,
        type: r.type,
        subject: r.subject,
        actor: r.leaf.actor,
        data: r.leaf.data,
      }))
    }
    for (;;) {
      let best: (typeof logs)[number] | undefined
      for (const c of logs) {
        await fill(c)
        const head = c.buffer[0]
        if (!head) continue
        const b = best?.buffer[0]
        if (
          !b ||
          head.time < b.time ||
          (head.time === b.time && (c.id < best!.id || (c.id === best!.id && head.index < b.index)))
        )
          best = c
      }
      if (!best) return
      yield best.buffer.shift() as ReplayEvent
    }
  }
}

function badArgument(name: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${name} ${message}`, {
    details: [{ path: `/querystring/${name}`, message }],
  })
}

function assertRange(start: number, end: number, size: number, startName: string, endName: string): void {
  if (!(start >= 0 && start < size)) throw badArgument(startName, `must be between 0 and ${size - 1}`)
  if (!(end > start)) throw badArgument(endName, `must be greater than ${startName}`)
}
