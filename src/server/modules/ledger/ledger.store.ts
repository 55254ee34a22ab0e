/**
 * SQL for the ledger. Leaf rows are addressed by (log_id, idx); a tree node (L, k) is read from leaf
 * row (k+1)·2^L − 1: level 0 is its `hash`, level L ≥ 1 the L-th 32-byte slice of its `nodes`.
 * Used only by the ledger service.
 * @module
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { isPostgres } from '../../db/dialect.js'
import type { LedgerCheckpointTable, LedgerCosignatureTable, LedgerLeafTable } from '../../db/schema.js'
import type { LedgerLeaf } from './ledger.model.js'

export const HASH_BYTES = 32

export interface StoredCheckpoint {
  logId: string
  size: number
  root: Buffer
  note: string
  createdAt: number
}

const toBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)

/**
 * Creates a log if it does not exist. Any conflict means it does: the origin follows from the id, and
 * two transactions creating the same log at once may trip the origin's unique index before the id's.
 */
export async function ensureLog(db: Executor, id: string, origin: string, now: number): Promise<void> {
  await db
    .insertInto('ledger_log')
    .values({ id, origin, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export async function listLogIds(db: Executor): Promise<{ id: string; origin: string }[]> {
  return db.selectFrom('ledger_log').select(['id', 'origin']).orderBy('id').execute()
}

export async function insertKey(db: Executor, logId: string, vkey: string, now: number): Promise<void> {
  await db
    .insertInto('ledger_key')
    .values({ log_id: logId, vkey, created_at: now })
    .onConflict((oc) => oc.columns(['log_id', 'vkey']).doNothing())
    .execute()
}

export async function listKeys(
  db: Executor,
  logId?: string,
): Promise<{ logId: string; vkey: string; createdAt: number }[]> {
  let q = db
    .selectFrom('ledger_key')
    .select(['log_id', 'vkey', 'created_at'])
    .orderBy('log_id')
    .orderBy('created_at')
  if (logId) q = q.where('log_id', '=', logId)
  return (await q.execute()).map((r) => ({ logId: r.log_id, vkey: r.vkey, createdAt: Number(r.created_at) }))
}

/**
 * Takes the log's append lock until the transaction ends. PostgreSQL: a row lock on the log, so appends
 * to one city serialise while appends to different cities do not; false when the log row is not
 * visible yet (another transaction created it and has not committed). SQLite has one writer at a time
 * anyway. Read the last leaf with a separate statement afterwards: under READ COMMITTED a statement
 * that waited for the lock still sees its pre-lock snapshot.
 */
export async function lockLog(trx: Executor, logId: string): Promise<boolean> {
  if (!isPostgres(trx)) return true
  const { rows } = await sql`select id from ledger_log where id = ${logId} for update`.execute(trx)
  return rows.length === 1
}

/** The last leaf of a log (its index and hash), or undefined for an empty log. */
export async function findLastLeaf(
  db: Executor,
  logId: string,
): Promise<{ idx: number; hash: Buffer } | undefined> {
  const row = await db
    .selectFrom('ledger_leaf')
    .select(['idx', 'hash'])
    .where('log_id', '=', logId)
    .orderBy('idx', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && { idx: Number(row.idx), hash: toBuffer(row.hash) }
}

/**
 * Sizes of all logs (max index + 1), 0 for logs without leaves. One primary-key probe per log (a
 * correlated max), never a scan of the leaves.
 */
export async function logSizes(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledger_log')
    .select((eb) => [
      'ledger_log.id as id',
      eb
        .selectFrom('ledger_leaf')
        .select((e) => e.fn.max('ledger_leaf.idx').as('m'))
        .whereRef('ledger_leaf.log_id', '=', 'ledger_log.id')
        .as('max'),
    ])
    .orderBy('ledger_log.id')
    .execute()
  return new Map(rows.map((r) => [r.id, r.max === null || r.max === undefined ? 0 : Number(r.max) + 1]))
}

/** The size of one log, or undefined when there is no such log. */
export async function logSize(db: Executor, logId: string): Promise<number | undefined> {
  const log = await db.selectFrom('ledger_log').select('id').where('id', '=', logId).executeTakeFirst()
  if (!log) return undefined
  const last = await findLastLeaf(db, logId)
  return last ? last.idx + 1 : 0
}

/** Leaf rows by index, for node lookups: `hash` and `nodes` only. */
export async function readNodeRows(
  db: Executor,
  logId: string,
  rows: readonly number[],
): Promise<Map<number, { hash: Buffer; nodes: Buffer | null }>> {
  const result = new Map<number, { hash: Buffer; nodes: Buffer | null }>()
  if (rows.length === 0) return result
  const unique = [...new Set(rows)]
  for (let i = 0; i < unique.length; i += 500) {
    const found = await db
      .selectFrom('ledger_leaf')
      .select(['idx', 'hash', 'nodes'])
      .where('log_id', '=', logId)
      .where('idx', 'in', unique.slice(i, i + 500))
      .execute()
    for (const r of found)
      result.set(Number(r.idx), {
        hash: toBuffer(r.hash),
        nodes: r.nodes === null ? null : toBuffer(r.nodes),
      })
  }
  return result
}

export async function insertLeaves(db: Executor, rows: readonly LedgerLeafTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('ledger_leaf')
      .values(rows.slice(i, i + 500))
      .execute()
}

export interface LeafRecord {
  idx: number
  time: number
  type: string
  subject: string
  leaf: Buffer
  hash: Buffer
  nodes: Buffer | null
}

/** Leaves [start, end) of a log in index order. */
export async function readLeaves(
  db: Executor,
  logId: string,
  start: number,
  end: number,
): Promise<LeafRecord[]> {
  const rows = await db
    .selectFrom('ledger_leaf')
    .select(['idx', 'time', 'type', 'subject', 'leaf', 'hash', 'nodes'])
    .where('log_id', '=', logId)
    .where('idx', '>=', start)
    .where('idx', '<', end)
    .orderBy('idx')
    .execute()
  return rows.map((r) => ({
    idx: Number(r.idx),
    time: Number(r.time),
    type: r.type,
    subject: r.subject,
    leaf: toBuffer(r.leaf),
    hash: toBuffer(r.hash),
    nodes: r.nodes === null ? null : toBuffer(r.nodes),
  }))
}

/**
 * A leaf's bytes as the event they record (the appender wrote them as canonical JSON). Readers of
 * events use this; proofs, bundles, receipts and verification keep the bytes ({@link readLeaves},
 * {@link readLeavesForVerify}), since a leaf's hash is of its bytes, not of any re-serialisation.
 */
function decodeLeaf(bytes: Buffer): LedgerLeaf {
  return JSON.parse(bytes.toString('utf8')) as LedgerLeaf
}

/** A stored entry with its leaf decoded, and the leaf hash. */
export interface LeafEntry {
  idx: number
  time: number
  type: string
  subject: string
  leaf: LedgerLeaf
  hash: Buffer
}

/** Entries [start, end) of a log in index order, their leaves decoded. */
export async function readEntries(
  db: Executor,
  logId: string,
  start: number,
  end: number,
): Promise<LeafEntry[]> {
  const rows = await readLeaves(db, logId, start, end)
  return rows.map((r) => ({
    idx: r.idx,
    time: r.time,
    type: r.type,
    subject: r.subject,
    leaf: decodeLeaf(r.leaf),
    hash: r.hash,
  }))
}

/**
 * The next entries of several logs at once, for the event tail: for each `{log, from}`, up to `limit`
 * leaves with index ≥ from in index order, decoded, in one statement (a UNION ALL of primary-key
 * range reads).
 */
export async function readLeafRuns(
  db: Executor,
  starts: readonly { log: string; from: number }[],
  limit: number,
): Promise<{ logId: string; idx: number; leaf: LedgerLeaf }[]> {
  if (starts.length === 0) return []
  const one = (s: { log: string; from: number }, i: number) =>
    db
      .selectFrom((eb) =>
        eb
          .selectFrom('ledger_leaf')
          .select(['log_id', 'idx', 'leaf'])
          .where('log_id', '=', s.log)
          .where('idx', '>=', s.from)
          .orderBy('idx')
          .limit(limit)
          .as(`r${i}`),
      )
      .selectAll()
  let q = one(starts[0] as { log: string; from: number }, 0)
  starts.slice(1).forEach((s, i) => {
    q = q.unionAll(one(s, i + 1))
  })
  const rows = await q.execute()
  return rows.map((r) => ({ logId: r.log_id, idx: Number(r.idx), leaf: decodeLeaf(toBuffer(r.leaf)) }))
}

/** What verification needs of leaves [start, end): index, bytes, hash and nodes only (no text columns). */
/** A stored entry as verification reads it: the leaf, its hash and tree nodes, and the columns copied from it. */
export interface VerifyLeafRow {
  idx: number
  time: number
  type: string
  subject: string
  leaf: Buffer
  hash: Buffer
  nodes: Buffer | null
}

export async function readLeavesForVerify(
  db: Executor,
  logId: string,
  start: number,
  end: number,
): Promise<VerifyLeafRow[]> {
  const rows = await db
    .selectFrom('ledger_leaf')
    .select(['idx', 'time', 'type', 'subject', 'leaf', 'hash', 'nodes'])
    .where('log_id', '=', logId)
    .where('idx', '>=', start)
    .where('idx', '<', end)
    .orderBy('idx')
    .execute()
  // Both drivers return Buffers for blob/bytea and numbers for idx and time (pg via the int8 parser).
  return rows as VerifyLeafRow[]
}

/** Leaves of a subject, oldest first, across logs. */
export async function findLeavesBySubject(
  db: Executor,
  subject: string,
): Promise<(LeafRecord & { logId: string })[]> {
  const rows = await db
    .selectFrom('ledger_leaf')
    .select(['log_id', 'idx', 'time', 'type', 'subject', 'leaf', 'hash', 'nodes'])
    .where('subject', '=', subject)
    .orderBy('time')
    .orderBy('log_id')
    .orderBy('idx')
    .execute()
  return rows.map((r) => ({
    logId: r.log_id,
    idx: Number(r.idx),
    time: Number(r.time),
    type: r.type,
    subject: r.subject,
    leaf: toBuffer(r.leaf),
    hash: toBuffer(r.hash),
    nodes: r.nodes === null ? null : toBuffer(r.nodes),
  }))
}

function toCheckpoint(r: LedgerCheckpointTable): StoredCheckpoint {
  return {
    logId: r.log_id,
    size: Number(r.size),
    root: toBuffer(r.root),
    note: r.note,
    createdAt: Number(r.created_at),
  }
}

export async function findLatestCheckpoint(
  db: Executor,
  logId: string,
): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('ledger_checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && toCheckpoint(row)
}

/** The smallest checkpoint of a log whose size is at least `minSize`. */
export async function findCheckpointCovering(
  db: Executor,
  logId: string,
  minSize: number,
): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('ledger_checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .where('size', '>=', minSize)
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && toCheckpoint(row)
}

export async function findCheckpoint(
  db: Executor,
  logId: string,
  size: number,
): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('ledger_checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .where('size', '=', size)
    .executeTakeFirst()
  return row && toCheckpoint(row)
}

export async function listCheckpoints(db: Executor, logId: string): Promise<StoredCheckpoint[]> {
  const rows = await db
    .selectFrom('ledger_checkpoint')
    .selectAll()
    .where('log_id', '=', logId)
    .orderBy('size')
    .execute()
  return rows.map(toCheckpoint)
}

/** Inserts a checkpoint; false when one of that size already exists (another instance signed it). */
export async function insertCheckpoint(db: Executor, row: LedgerCheckpointTable): Promise<boolean> {
  const result = await db
    .insertInto('ledger_checkpoint')
    .values(row)
    .onConflict((oc) => oc.columns(['log_id', 'size']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function insertCosignature(db: Executor, row: LedgerCosignatureTable): Promise<void> {
  await db
    .insertInto('ledger_cosignature')
    .values(row)
    .onConflict((oc) => oc.columns(['log_id', 'size', 'witness']).doNothing())
    .execute()
}

export async function listCosignatures(
  db: Executor,
  logId: string,
  size?: number,
): Promise<LedgerCosignatureTable[]> {
  let q = db.selectFrom('ledger_cosignature').selectAll().where('log_id', '=', logId)
  if (size !== undefined) q = q.where('size', '=', size)
  return (await q.orderBy('size').orderBy('witness').execute()).map((r) => ({
    ...r,
    size: Number(r.size),
    created_at: Number(r.created_at),
  }))
}

/** For each witness of a log, the largest size it cosigned (one grouped read, however many checkpoints). */
export async function largestCosignedSizes(
  db: Executor,
  logId: string,
): Promise<{ name: string; size: number }[]> {
  const rows = await db
    .selectFrom('ledger_cosignature')
    .select(['witness', (eb) => eb.fn.max('size').as('size')])
    .where('log_id', '=', logId)
    .groupBy('witness')
    .orderBy('witness')
    .execute()
  return rows.map((r) => ({ name: r.witness, size: Number(r.size) }))
}

/** The largest size a witness has cosigned for a log, with that checkpoint's root. */
export async function findLastCosigned(
  db: Executor,
  logId: string,
  witness: string,
): Promise<{ size: number; root: Buffer } | undefined> {
  const row = await db
    .selectFrom('ledger_cosignature')
    .innerJoin('ledger_checkpoint', (j) =>
      j
        .onRef('ledger_checkpoint.log_id', '=', 'ledger_cosignature.log_id')
        .onRef('ledger_checkpoint.size', '=', 'ledger_cosignature.size'),
    )
    .select(['ledger_cosignature.size as size', 'ledger_checkpoint.root as root'])
    .where('ledger_cosignature.log_id', '=', logId)
    .where('ledger_cosignature.witness', '=', witness)
    .orderBy('ledger_cosignature.size', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && { size: Number(row.size), root: toBuffer(row.root) }
}

/** The latest leaf of each subject (its log, index, type and time), for subjects that have one. */
export async function findLatestOfSubjects(
  db: Executor,
  subjects: readonly string[],
): Promise<Map<string, { log: string; index: number; type: string; time: number }>> {
  const out = new Map<string, { log: string; index: number; type: string; time: number }>()
  for (let i = 0; i < subjects.length; i += 500) {
    const rows = await db
      .selectFrom('ledger_leaf')
      .select(['log_id', 'idx', 'time', 'type', 'subject'])
      .where('subject', 'in', subjects.slice(i, i + 500))
      .orderBy('time')
      .orderBy('idx')
      .execute()
    for (const r of rows)
      out.set(r.subject, { log: r.log_id, index: Number(r.idx), type: r.type, time: Number(r.time) })
  }
  return out
}
