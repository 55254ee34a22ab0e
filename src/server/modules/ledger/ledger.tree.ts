/**
 * Reading the stored tree: resolves the node plans of formats/merkle.ts (root, inclusion and
 * consistency proofs, tiles) against leaf rows in one query per plan, so every proof costs O(log n)
 * row reads at any size.
 * @module
 */
import type { Executor } from '../../db/database.js'
import { foldRight, storageRowOf, type NodeId } from './formats/index.js'
import { HASH_BYTES, readNodeRows } from './ledger.store.js'
import { AppError } from '../../../shared/errors.js'

/** The hash of node (level, index) inside its storing row. */
function nodeFromRow(row: { hash: Buffer; nodes: Buffer | null }, level: number): Buffer | undefined {
  if (level === 0) return row.hash
  const start = (level - 1) * HASH_BYTES
  if (!row.nodes || row.nodes.length < start + HASH_BYTES) return undefined
  return row.nodes.subarray(start, start + HASH_BYTES)
}

/**
 * Fetches the hashes of `nodes` from the stored tree of `logId`.
 * @throws AppError INTERNAL when a node is missing (a damaged tree; `xzt ledger verify` names it).
 */
export async function readNodes(
  db: Executor,
  logId: string,
  nodes: readonly NodeId[],
): Promise<Map<string, Buffer>> {
  const rows = await readNodeRows(db, logId, nodes.map(storageRowOf))
  const result = new Map<string, Buffer>()
  for (const n of nodes) {
    const row = rows.get(storageRowOf(n))
    const hash = row && nodeFromRow(row, n.level)
    if (!hash) {
      throw new AppError(
        'INTERNAL',
        `ledger ${logId}: stored tree node (${n.level}, ${n.index}) is missing`,
        {
          details: { log: logId, level: n.level, index: n.index },
        },
      )
    }
    result.set(nodeKey(n), hash)
  }
  return result
}

export const nodeKey = (n: NodeId): string => `${n.level}/${n.index}`

/** Executes a plan whose elements are each the right fold of a node list (proof hashes). */
export async function resolvePlan(db: Executor, logId: string, plan: readonly NodeId[][]): Promise<Buffer[]> {
  const hashes = await readNodes(db, logId, plan.flat())
  return plan.map((group) => Buffer.from(foldRight(group.map((n) => hashes.get(nodeKey(n)) as Buffer))))
}
