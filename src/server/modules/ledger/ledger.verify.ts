/**
 * Full verification of stored logs (`xzt ledger verify`): recompute every tree from its leaves and
 * check, entry by entry, that
 *  - indexes run 0, 1, 2, … without gaps, and each leaf names its own log and index;
 *  - the stored leaf hash is the hash of the stored leaf bytes;
 *  - the stored node hashes are the ones the recomputed tree completes at that leaf;
 * and, at each stored checkpoint's size, that the recomputed root is the checkpoint's root and its
 * signature verifies with one of the log's published keys, and every cosignature with its witness key.
 * Every checkpoint is thereby a prefix of one and the same recomputed tree, so consecutive
 * checkpoints are consistent. Stops at the first problem and names it.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { LogVerification, VerifyProblem } from '../../../shared/api.js'

export type { LogVerification, VerifyProblem }
import { CompactRange, hashLeaf } from './formats/index.js'
import { verifyCheckpointNote, verifyCosignature } from './ledger.signing.js'
import * as store from './ledger.store.js'

export interface VerifyKeys {
  /** Verifier keys the log may have signed with. */
  logKeys: readonly string[]
  /** Verifier keys of witnesses whose cosignatures must verify. */
  witnessKeys: readonly string[]
}

const BATCH = 10_000

/** A city checkpoint the province witness cosigned, as the province log records it. */
export interface WitnessedCheckpoint {
  size: number
  root: Buffer
  /** The province log entry that records it. */
  at: { log: string; index: number }
}

/**
 * Every `ledger.checkpoint_witnessed` record of the province log(s), by city log, sorted by size. Read
 * from the leaves themselves (not the type column, which a DBA could change).
 */
export async function readWitnessedCheckpoints(
  db: Executor,
  provinceLogs: readonly string[],
): Promise<Map<string, WitnessedCheckpoint[]>> {
  const out = new Map<string, WitnessedCheckpoint[]>()
  const marker = Buffer.from('"type":"ledger.checkpoint_witnessed"')
  for (const province of provinceLogs) {
    for (let start = 0; ; start += BATCH) {
      const rows = await store.readLeavesForVerify(db, province, start, start + BATCH)
      for (const r of rows) {
        if (!r.leaf.includes(marker)) continue
        let leaf: { type?: unknown; data?: { log?: unknown; size?: unknown; root?: unknown } }
        try {
          leaf = JSON.parse(r.leaf.toString('utf8')) as typeof leaf
        } catch {
          continue // a leaf that is not JSON fails the province log's own verification
        }
        const d = leaf.data
        if (leaf.type !== 'ledger.checkpoint_witnessed' || typeof d?.log !== 'string') continue
        if (typeof d.size !== 'number' || typeof d.root !== 'string') continue
        const list = out.get(d.log) ?? []
        list.push({
          size: d.size,
          root: Buffer.from(d.root, 'base64'),
          at: { log: province, index: Number(r.idx) },
        })
        out.set(d.log, list)
      }
      if (rows.length < BATCH) break
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.size - b.size)
  return out
}

/** Verifies one log; `onProgress(done)` is called after every batch of entries. */
export async function verifyLog(
  db: Executor,
  logId: string,
  keys: VerifyKeys,
  onProgress?: (done: number) => void,
  /** What the province witness recorded of this (city) log: a shorter or different log is a rollback. */
  witnessed: readonly WitnessedCheckpoint[] = [],
): Promise<LogVerification> {
  const checkpoints = await store.listCheckpoints(db, logId)
  const cosignatures = await store.listCosignatures(db, logId)
  const cosignaturesBySize = new Map<number, typeof cosignatures>()
  for (const c of cosignatures) {
    const list = cosignaturesBySize.get(c.size)
    if (list) list.push(c)
    else cosignaturesBySize.set(c.size, [c])
  }
  const result: LogVerification = {
    log: logId,
    entries: 0,
    checkpoints: checkpoints.length,
    cosignatures: cosignatures.length,
    problem: null,
  }
  const fail = (p: Omit<VerifyProblem, 'log'>): LogVerification => ({
    ...result,
    problem: { log: logId, ...p },
  })

  const checkpointSizes = new Set(checkpoints.map((c) => c.size))
  for (const w of witnessed) {
    const where = `the province log (entry ${w.at.log}#${w.at.index}) records a witnessed checkpoint at size ${w.size}`
    if (!checkpointSizes.has(w.size))
      return fail({
        checkpoint: w.size,
        kind: 'checkpoint_deleted',
        params: { at: `${w.at.log}#${w.at.index}` },
        problem: `checkpoint ${w.size} was deleted: ${where}`,
      })
    if (!cosignaturesBySize.has(w.size))
      return fail({
        checkpoint: w.size,
        kind: 'cosignature_deleted',
        params: { at: `${w.at.log}#${w.at.index}` },
        problem: `the cosignature of checkpoint ${w.size} was deleted: ${where}`,
      })
  }
  let wAt = 0

  const range = new CompactRange()
  let cpAt = 0
  const indexKey = Buffer.from(',"index":')
  const logPart = Buffer.from(`,"log":${JSON.stringify(logId)},"subject":`)
  /**
   * Where the leaf's own top-level `index` and `log` are `idx` and this log: the offset just after
   * `"subject":`, or -1 when they are not. Canonical JSON sorts the top-level keys (actor, data, index,
   * log, subject, time, type, v) and a string can never contain an unescaped `,"index":`, so the last
   * occurrence is the top-level key: no JSON parse needed.
   */
  const namesItself = (leaf: Buffer, idx: number): number => {
    const at = leaf.lastIndexOf(indexKey)
    if (at < 0) return -1
    let p = at + indexKey.length
    let n = 0
    let digits = 0
    for (; p < leaf.length; p++, digits++) {
      const c = leaf[p] as number
      if (c < 0x30 || c > 0x39) break
      n = n * 10 + (c - 0x30)
    }
    return digits > 0 && n === idx && leaf.compare(logPart, 0, logPart.length, p, p + logPart.length) === 0
      ? p + logPart.length
      : -1
  }
  /**
   * The columns queries read instead of the leaf (the tail, receipts, look-ups by subject) must say what
   * the leaf says: after `"subject":` come the subject, `"time"`, `"type"` and `"v"`, in that order.
   */
  const columnsMatch = (r: store.VerifyLeafRow, from: number): boolean => {
    const expected = Buffer.from(
      `${JSON.stringify(r.subject)},"time":${Number(r.time)},"type":${JSON.stringify(r.type)},"v":`,
    )
    return (
      from + expected.length <= r.leaf.length &&
      r.leaf.compare(expected, 0, expected.length, from, from + expected.length) === 0
    )
  }

  const checkCheckpoint = (cp: store.StoredCheckpoint): VerifyProblem | null => {
    const root = Buffer.from(range.root())
    if (!root.equals(cp.root))
      return {
        log: logId,
        checkpoint: cp.size,
        kind: 'checkpoint_root',
        problem: `checkpoint ${cp.size}: its root does not match the tree recomputed from the entries`,
      }
    let body: string
    try {
      const parsed = verifyCheckpointNote(cp.note, keys.logKeys)
      if (parsed.size !== cp.size || !parsed.root.equals(root))
        return {
          log: logId,
          checkpoint: cp.size,
          kind: 'checkpoint_note_mismatch',
          problem: `checkpoint ${cp.size}: the signed note is for size ${parsed.size} or another root`,
        }
      body = parsed.body
    } catch (err) {
      return {
        log: logId,
        checkpoint: cp.size,
        kind: 'checkpoint_note_invalid',
        problem: `checkpoint ${cp.size}: ${(err as Error).message}`,
      }
    }
    for (const c of cosignaturesBySize.get(cp.size) ?? []) {
      if (verifyCosignature(body, c.line, keys.witnessKeys) !== c.witness) {
        return {
          log: logId,
          checkpoint: cp.size,
          kind: 'cosignature_invalid',
          params: { witness: c.witness },
          problem: `checkpoint ${cp.size}: the cosignature of ${c.witness} does not verify`,
        }
      }
    }
    return null
  }

  for (let start = 0; ; start += BATCH) {
    const rows = await store.readLeavesForVerify(db, logId, start, start + BATCH)
    for (const r of rows) {
      const expected = range.size
      const idx = Number(r.idx)
      if (idx !== expected)
        return fail({
          index: expected,
          kind: 'entry_missing',
          params: { next: idx },
          problem: `entry ${expected} is missing (the next stored entry is ${idx})`,
        })
      const rest = namesItself(r.leaf, expected)
      if (rest < 0)
        return fail({
          index: expected,
          kind: 'leaf_misplaced',
          problem: `entry ${expected}: its leaf does not name log ${logId} and index ${expected}`,
        })
      if (!columnsMatch(r, rest))
        return fail({
          index: expected,
          kind: 'columns_differ',
          problem: `entry ${expected}: its type, subject or time column differs from the signed leaf`,
        })
      const hash = hashLeaf(r.leaf)
      if (!hash.equals(r.hash))
        return fail({
          index: expected,
          kind: 'leaf_hash',
          problem: `entry ${expected}: its leaf hash does not match its data`,
        })
      const nodes = range.append(hash).nodes
      const stored = r.nodes ?? Buffer.alloc(0)
      const bad = nodes.findIndex(
        (n: Uint8Array, i: number) => !stored.subarray(i * 32, i * 32 + 32).equals(n),
      )
      if (stored.length !== nodes.length * 32 || bad >= 0) {
        // Node of level L completed by this entry spans entries [expected+1-2^L, expected]: one of them changed.
        const level = bad >= 0 ? bad + 1 : 1
        const from = expected + 1 - 2 ** level
        return fail({
          index: from,
          kind: 'tree_mismatch',
          params: { to: expected },
          problem: `entries ${from}–${expected}: the stored tree over them does not match the recomputed tree (one of them was changed)`,
        })
      }
      while (wAt < witnessed.length && (witnessed[wAt] as WitnessedCheckpoint).size === range.size) {
        const w = witnessed[wAt] as WitnessedCheckpoint
        if (!Buffer.from(range.root()).equals(w.root)) {
          return fail({
            checkpoint: w.size,
            kind: 'witness_rewritten',
            params: { at: `${w.at.log}#${w.at.index}` },
            problem: `the tree at size ${w.size} is not the one the province witnessed (province log entry ${w.at.log}#${w.at.index}): the log was rewritten`,
          })
        }
        wAt++
      }
      while (cpAt < checkpoints.length && (checkpoints[cpAt] as store.StoredCheckpoint).size === range.size) {
        const problem = checkCheckpoint(checkpoints[cpAt] as store.StoredCheckpoint)
        if (problem) return { ...result, entries: range.size, problem }
        cpAt++
      }
    }
    result.entries = range.size
    onProgress?.(range.size)
    if (rows.length < BATCH) break
  }
  if (wAt < witnessed.length) {
    const w = witnessed[witnessed.length - 1] as WitnessedCheckpoint
    return fail({
      checkpoint: w.size,
      kind: 'rolled_back',
      params: { at: `${w.at.log}#${w.at.index}`, entries: range.size },
      problem: `rolled back: the province log (entry ${w.at.log}#${w.at.index}) records a witnessed checkpoint at size ${w.size}, the log has only ${range.size} entries`,
    })
  }
  if (cpAt < checkpoints.length) {
    const cp = checkpoints[cpAt] as store.StoredCheckpoint
    return fail({
      checkpoint: cp.size,
      kind: 'checkpoint_beyond',
      params: { entries: range.size },
      problem: `checkpoint ${cp.size} covers entries that are missing: the log has only ${range.size}`,
    })
  }
  return result
}
