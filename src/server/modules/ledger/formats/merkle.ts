/**
 * The RFC 6962 / RFC 9162 §2.1 Merkle tree over SHA-256 (or SM3), with everything a database-backed log
 * needs: leaf and interior hashing, node addressing, one-query "plans" for roots and proofs, RFC 9162
 * proof verification, and an incremental appender (a compact range) that says which interior nodes each
 * new leaf completes.
 *
 * Addressing. Node (L, k) is the Merkle Tree Hash of the 2^L leaves [k·2^L, (k+1)·2^L): level 0 holds
 * the leaf hashes, node (L, k) = H(0x01 ‖ node(L−1, 2k) ‖ node(L−1, 2k+1)). Only such complete, aligned
 * subtrees are ever stored; the hash of any range that appears in a left-balanced tree (a root, an element
 * of an audit path or of a consistency proof) is recomputed from a handful of them with {@link foldRight}.
 *
 * Bound. Sizes and indexes are JS numbers and must be safe integers, so trees hold at most
 * {@link MAX_TREE_SIZE} = 2^53 − 1 leaves. All index arithmetic below uses exact float operations
 * (multiplication and division by powers of two, `Math.floor`), never 32-bit bitwise operators.
 * @module
 */
import { hash as oneShotHash } from 'node:crypto'
import { assertHash, bytesEqual, HASH_SIZE, isHash } from './encoding.js'
import { LedgerFormatError } from './errors.js'

/** Largest tree size (and exclusive bound of leaf indexes) this library accepts: 2^53 − 1. */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER

/** A node of the tree: the Merkle Tree Hash of leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  /** Height above the leaves (0 = a leaf hash). */
  level: number
  /** Position among the nodes of that level, from the left, starting at 0. */
  index: number
}

/** The hash functions of a tree: RFC 6962 domain separation (0x00 leaves, 0x01 interior nodes) over a digest. */
export interface TreeHasher {
  /** The digest under the tree ("sha256" by default; "sm3" for an SM3 tree). */
  readonly algorithm: 'sha256' | 'sm3'
  /** MTH of the empty tree: the bare digest of the empty string. Do not mutate. */
  readonly emptyRoot: Uint8Array
  /** The bare digest of `data` (no domain-separation prefix). */
  digest(data: Uint8Array): Buffer
  /** Leaf hash: H(0x00 ‖ data). */
  hashLeaf(data: Uint8Array): Buffer
  /** Interior node hash: H(0x01 ‖ left ‖ right). */
  hashChildren(left: Uint8Array, right: Uint8Array): Buffer
}

// crypto.hash() (one-shot) is about twice as fast as createHash().update().digest() for 65-byte inputs.
// It copies its input synchronously, so one module-level scratch buffer can be reused by every call.
const NODE_SCRATCH = Buffer.alloc(1 + 2 * HASH_SIZE)
const LEAF_SCRATCH = Buffer.alloc(4096)

function makeHasher(algorithm: 'sha256' | 'sm3'): TreeHasher {
  const digest = (data: Uint8Array): Buffer => oneShotHash(algorithm, data, 'buffer')
  return Object.freeze({
    algorithm,
    emptyRoot: digest(new Uint8Array(0)),
    digest,
    hashLeaf(data: Uint8Array): Buffer {
      if (data.length < LEAF_SCRATCH.length) {
        LEAF_SCRATCH[0] = 0x00
        LEAF_SCRATCH.set(data, 1)
        return digest(LEAF_SCRATCH.subarray(0, data.length + 1))
      }
      return digest(Buffer.concat([LEAF_PREFIX, data]))
    },
    hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
      if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
        NODE_SCRATCH[0] = 0x01
        NODE_SCRATCH.set(left, 1)
        NODE_SCRATCH.set(right, 1 + HASH_SIZE)
        return digest(NODE_SCRATCH)
      }
      // Arbitrary-length children only occur in hasher test vectors, never in a real tree.
      return digest(Buffer.concat([NODE_PREFIX, left, right]))
    },
  })
}

const LEAF_PREFIX = Buffer.from([0x00])
const NODE_PREFIX = Buffer.from([0x01])

/** The SHA-256 tree hasher (the ledger's default, and the only one C2SP tlog formats allow). */
export const sha256Hasher: TreeHasher = makeHasher('sha256')

/**
 * A tree hasher for `algorithm`. SM3 (GB/T 32905) uses the same 0x00/0x01 domain separation; it is an
 * optional per-log setting and is not interoperable with C2SP tools, which fix SHA-256.
 */
export function createTreeHasher(algorithm: 'sha256' | 'sm3'): TreeHasher {
  return algorithm === 'sha256' ? sha256Hasher : makeHasher(algorithm)
}

/** SHA-256 of the empty string: the root of the empty tree. Do not mutate. */
export const EMPTY_ROOT: Uint8Array = sha256Hasher.emptyRoot

/** RFC 6962 leaf hash SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): Buffer {
  return sha256Hasher.hashLeaf(data)
}

/** RFC 6962 interior hash SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256Hasher.hashChildren(left, right)
}

// ---------------------------------------------------------------------------------------------------------
// Integer helpers (exact for safe integers; no 32-bit bitwise operators on values that may exceed 2^31).

const TWO_32 = 2 ** 32

/** Number of bits needed to write n (0 for 0). */
function bitLength(n: number): number {
  return n < TWO_32 ? 32 - Math.clz32(n) : 64 - Math.clz32(Math.floor(n / TWO_32))
}

/** Number of trailing zero bits of n > 0. */
function trailingZeros(n: number): number {
  const low = n % TWO_32
  // `low & -low` isolates the lowest set bit (as an int32); clz32 reads it back as unsigned.
  if (low !== 0) return 31 - Math.clz32(low & -low)
  return 32 + trailingZeros(n / TWO_32)
}

/** The k of RFC 6962: the largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  return 2 ** (bitLength(n - 1) - 1)
}

/** Array check that does not narrow (Array.isArray would turn a readonly Uint8Array[] into any[]). */
function isList(value: unknown): boolean {
  return Array.isArray(value)
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
}

function checkCount(n: unknown, what: string): asserts n is number {
  if (!isCount(n)) {
    throw new LedgerFormatError(
      'invalid-argument',
      `${what} must be an integer in [0, 2^53 − 1] (got ${String(n)})`,
    )
  }
}

function checkNode(node: NodeId): void {
  checkCount(node.level, 'node level')
  checkCount(node.index, 'node index')
  // Only nodes that can be complete in some tree of at most 2^53 − 1 leaves have an address. (A float
  // product above 2^53 − 1 never rounds down to it, so the comparison is exact.)
  if (node.level > 53 || (node.index + 1) * 2 ** node.level > MAX_TREE_SIZE) {
    throw new LedgerFormatError(
      'invalid-argument',
      `node (${node.level}, ${node.index}) lies beyond 2^53 − 1 leaves`,
    )
  }
}

// ---------------------------------------------------------------------------------------------------------
// Node addressing

/** The leaf range [begin, end) whose MTH node `node` is. */
export function nodeRange(node: NodeId): { begin: number; end: number } {
  checkNode(node)
  const width = 2 ** node.level
  return { begin: node.index * width, end: (node.index + 1) * width }
}

/**
 * Decomposes the leaf range [begin, end) into maximal complete aligned subtrees, left to right (the
 * "compact range" of [begin, end); Go's tlog subtree decomposition). Greedy: at each step take the largest
 * node that starts at `begin` (aligned: begin divisible by its width) and still fits before `end`.
 *
 * For begin = 0 these are the subtrees of the set bits of `end`, largest first. When `begin` is a multiple
 * of a power of two ≥ end − begin (every range that is a subtree of a left-balanced tree), the widths
 * strictly decrease and {@link foldRight} of their hashes is the MTH of the range.
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  checkCount(begin, 'range begin')
  checkCount(end, 'range end')
  if (begin > end)
    throw new LedgerFormatError('invalid-argument', `range begin ${begin} is after its end ${end}`)
  const nodes: NodeId[] = []
  while (begin < end) {
    const byAlignment = begin === 0 ? 53 : trailingZeros(begin)
    const bySize = bitLength(end - begin) - 1
    const level = Math.min(byAlignment, bySize)
    const width = 2 ** level
    nodes.push({ level, index: begin / width })
    begin += width
  }
  return nodes
}

/**
 * Combines the hashes of a range decomposition (as produced by {@link rangeNodes}) into the range's MTH:
 * H(h1, H(h2, … H(hn−1, hn))). Right-to-left because in a left-balanced tree the left part of every split
 * is the larger, complete one. A single hash is returned as is; an empty list is an error (the empty tree's
 * root is {@link EMPTY_ROOT}, which no range decomposition produces).
 */
export function foldRight(hashes: readonly Uint8Array[], hasher: TreeHasher = sha256Hasher): Uint8Array {
  let i = hashes.length - 1
  const last = hashes[i]
  if (last === undefined)
    throw new LedgerFormatError('invalid-argument', 'cannot fold an empty list of hashes')
  let acc = last
  while (--i >= 0) acc = hasher.hashChildren(hashes[i]!, acc)
  return acc
}

// ---------------------------------------------------------------------------------------------------------
// Plans: which stored nodes a root or proof needs, so a store can fetch them all in one query.

/** The nodes whose {@link foldRight} is the root of a tree of `size` leaves (empty for size 0). */
export function rootPlan(size: number): NodeId[] {
  return rangeNodes(0, size)
}

/**
 * The RFC 6962 audit path PATH(index, D[size]) as node lists: element i of the proof (from the leaf level
 * upward) is the {@link foldRight} of the hashes of element i of the plan.
 *
 * Walks the recursive definition top-down without recursion: at each split point k of the current subtree
 * [begin, begin+n), the sibling subtree (the half not containing the leaf) is one proof element.
 */
export function inclusionPlan(index: number, size: number): NodeId[][] {
  checkCount(index, 'leaf index')
  checkCount(size, 'tree size')
  if (index >= size)
    throw new LedgerFormatError('invalid-argument', `leaf index ${index} is not below tree size ${size}`)
  const plan: NodeId[][] = []
  let begin = 0
  let n = size
  let m = index
  while (n > 1) {
    const k = splitPoint(n)
    if (m < k) {
      // PATH(m, D[0:k]) + MTH(D[k:n]): the right part is a sibling (possibly incomplete) subtree.
      plan.push(rangeNodes(begin + k, begin + n))
      n = k
    } else {
      // PATH(m−k, D[k:n]) + MTH(D[0:k]): the left part is always one complete node.
      plan.push(rangeNodes(begin, begin + k))
      begin += k
      m -= k
      n -= k
    }
  }
  // The recursion appends its own element after the deeper ones, so the top element comes last.
  return plan.reverse()
}

/**
 * The RFC 6962 consistency proof PROOF(size1, D[size2]) as node lists (same convention as
 * {@link inclusionPlan}). Requires 0 < size1 ≤ size2; size1 = size2 gives the empty proof.
 *
 * Follows SUBPROOF(m, D[n], b) top-down: while the old tree is not a complete subtree of the current one,
 * record the part of the new tree the old one does not determine; when it is (m = n), the subtree itself
 * is an element unless it is the whole old tree (b true), whose root the verifier already knows.
 */
export function consistencyPlan(size1: number, size2: number): NodeId[][] {
  checkCount(size1, 'old tree size')
  checkCount(size2, 'new tree size')
  if (size1 === 0 || size1 > size2) {
    throw new LedgerFormatError(
      'invalid-argument',
      `no consistency proof from size ${size1} to size ${size2}`,
    )
  }
  const plan: NodeId[][] = []
  let begin = 0
  let n = size2
  let m = size1
  let wholeOldTree = true
  while (m !== n) {
    const k = splitPoint(n)
    if (m <= k) {
      // SUBPROOF(m, D[0:k], b) + MTH(D[k:n])
      plan.push(rangeNodes(begin + k, begin + n))
      n = k
    } else {
      // SUBPROOF(m−k, D[k:n], false) + MTH(D[0:k])
      plan.push(rangeNodes(begin, begin + k))
      begin += k
      m -= k
      n -= k
      wholeOldTree = false
    }
  }
  if (!wholeOldTree) plan.push(rangeNodes(begin, begin + n))
  return plan.reverse()
}

/** All nodes a plan references, in order, without duplicates (what a store fetches in its one query). */
export function planNodes(plan: readonly (readonly NodeId[])[]): NodeId[] {
  const seen = new Set<string>()
  const nodes: NodeId[] = []
  for (const element of plan) {
    for (const node of element) {
      const key = `${node.level}/${node.index}`
      if (!seen.has(key)) {
        seen.add(key)
        nodes.push(node)
      }
    }
  }
  return nodes
}

/** Looks up the stored hash of a complete node (synchronously; e.g. from the rows one query returned). */
export type NodeLookup = (node: NodeId) => Uint8Array

function lookup(getNode: NodeLookup, node: NodeId): Uint8Array {
  const hash = getNode(node)
  assertHash(hash, `stored hash of node (${node.level}, ${node.index})`)
  return hash
}

/** Executes a proof plan: one {@link foldRight} per element. */
export function executePlan(
  plan: readonly (readonly NodeId[])[],
  getNode: NodeLookup,
  hasher: TreeHasher = sha256Hasher,
): Uint8Array[] {
  return plan.map((element) =>
    foldRight(
      element.map((node) => lookup(getNode, node)),
      hasher,
    ),
  )
}

/** The root of the tree of `size` leaves, from stored nodes ({@link EMPTY_ROOT} for size 0). */
export function computeRoot(
  size: number,
  getNode: NodeLookup,
  hasher: TreeHasher = sha256Hasher,
): Uint8Array {
  const plan = rootPlan(size)
  if (plan.length === 0) return Uint8Array.from(hasher.emptyRoot)
  return foldRight(
    plan.map((node) => lookup(getNode, node)),
    hasher,
  )
}

/** The audit path of leaf `index` in the tree of `size` leaves, from stored nodes. */
export function proveInclusion(
  index: number,
  size: number,
  getNode: NodeLookup,
  hasher: TreeHasher = sha256Hasher,
): Uint8Array[] {
  return executePlan(inclusionPlan(index, size), getNode, hasher)
}

/** The consistency proof from `size1` to `size2` (0 < size1 ≤ size2), from stored nodes. */
export function proveConsistency(
  size1: number,
  size2: number,
  getNode: NodeLookup,
  hasher: TreeHasher = sha256Hasher,
): Uint8Array[] {
  return executePlan(consistencyPlan(size1, size2), getNode, hasher)
}

// ---------------------------------------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2 and §2.1.4.2)

/** Shared by the inclusion check and rootFromInclusion: the recomputed root, or a reason it cannot be. */
function inclusionRoot(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  hasher: TreeHasher,
): Uint8Array | string {
  if (!isCount(index) || !isCount(size)) return 'index and size must be integers in [0, 2^53 − 1]'
  if (index >= size) return `leaf index ${index} is not below tree size ${size}`
  if (!isHash(leafHash)) return 'the leaf hash is not 32 bytes'
  if (!isList(proof)) return 'the proof is not a list of hashes'
  // fn walks the leaf's position and sn the last leaf's position up the tree; where they meet (fn = sn)
  // the leaf's subtree is the right edge, whose siblings on the right are absent levels to skip.
  let fn = index
  let sn = size - 1
  let r: Uint8Array = leafHash
  for (let i = 0; i < proof.length; i++) {
    const p = proof[i]
    if (!isHash(p)) return `proof hash ${i} is not 32 bytes`
    if (sn === 0) return `the proof is longer than a tree of size ${size} needs`
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.hashChildren(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = hasher.hashChildren(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  if (sn !== 0) return `the proof is shorter than a tree of size ${size} needs`
  return r
}

/**
 * Recomputes the root implied by an audit path (RFC 9162 §2.1.3.2 without the final comparison). Throws
 * `proof-failed` when the path's shape cannot fit (index ≥ size, wrong length, a hash not 32 bytes).
 */
export function rootFromInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  hasher: TreeHasher = sha256Hasher,
): Uint8Array {
  const result = inclusionRoot(index, size, leafHash, proof, hasher)
  if (typeof result === 'string')
    throw new LedgerFormatError('proof-failed', `inclusion proof rejected: ${result}`)
  return result
}

/**
 * True iff `proof` proves that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`
 * (RFC 9162 §2.1.3.2). Never throws: malformed arguments (index ≥ size, hashes not 32 bytes, wrong proof
 * length) are simply false.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  hasher: TreeHasher = sha256Hasher,
): boolean {
  if (!isHash(root)) return false
  const result = inclusionRoot(index, size, leafHash, proof, hasher)
  return typeof result !== 'string' && bytesEqual(result, root)
}

/**
 * True iff `proof` proves that the tree of `size1` leaves with root `root1` is a prefix of the tree of
 * `size2` leaves with root `root2` (RFC 9162 §2.1.4.2). Never throws. Edge cases, as in the
 * transparency-dev/merkle probes: size1 = 0 is always rejected (a proof from the empty tree says nothing);
 * size1 > size2 is rejected; size1 = size2 needs an empty proof and equal roots; every hash, including the
 * roots, must be 32 bytes.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
  hasher: TreeHasher = sha256Hasher,
): boolean {
  if (!isCount(size1) || !isCount(size2) || size1 === 0 || size1 > size2) return false
  if (!isHash(root1) || !isHash(root2) || !isList(proof)) return false
  for (const p of proof) if (!isHash(p)) return false
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2)
  if (proof.length === 0) return false

  // When the old tree is a complete subtree (size1 a power of two), its root is the first path element.
  let start = 0
  let first: Uint8Array
  if (trailingZeros(size1) === bitLength(size1) - 1) {
    first = root1
  } else {
    first = proof[0]!
    start = 1
  }
  let fn = size1 - 1
  let sn = size2 - 1
  // Skip the levels where the old tree's last leaf is a right child: those nodes are inside the old tree.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // fr rebuilds the old root, sr the new one; they share every element left of the old tree's edge.
  let fr = first
  let sr = first
  for (let i = start; i < proof.length; i++) {
    const c = proof[i]!
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.hashChildren(c, fr)
      sr = hasher.hashChildren(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      sr = hasher.hashChildren(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2)
}

// ---------------------------------------------------------------------------------------------------------
// Appending and storage layout
//
// A store persists, in the row of leaf i, the leaf hash and the hashes of the nodes leaf i completes:
// node (L, k) becomes complete exactly when its last leaf, (k+1)·2^L − 1, is appended, so it lives in that
// leaf's row at level L. Leaf i completes levels 1..t where t = the number of trailing one bits of i.

/** The leaf row that stores node (L, k): (k+1)·2^L − 1, the node's last leaf. */
export function storageRowOf(node: NodeId): number {
  checkNode(node)
  return (node.index + 1) * 2 ** node.level - 1
}

/**
 * The complete subtrees whose roots form the frontier (compact range) of a tree of `size` leaves: one per
 * set bit of `size`, largest (leftmost) first. Same nodes as {@link rootPlan}.
 */
export function frontierNodes(size: number): NodeId[] {
  return rangeNodes(0, size)
}

/** The nodes of levels 1..t that become complete when leaf `index` is appended (t = trailing ones of index). */
export function completedNodes(index: number): NodeId[] {
  checkCount(index, 'leaf index')
  if (index >= MAX_TREE_SIZE)
    throw new LedgerFormatError('invalid-argument', `leaf index ${index} is beyond 2^53 − 2`)
  const t = trailingZeros(index + 1)
  const nodes: NodeId[] = []
  for (let level = 1; level <= t; level++) nodes.push({ level, index: (index + 1) / 2 ** level - 1 })
  return nodes
}

/**
 * The left children (levels 0..t−1, lowest first) that the nodes completed by leaf `index` combine with:
 * exactly the frontier nodes of levels below t before the append.
 */
export function completedNodeSiblings(index: number): NodeId[] {
  return completedNodes(index).map((node) => ({ level: node.level - 1, index: node.index * 2 }))
}

/**
 * Hashes of the nodes completed by appending `leafHash` (levels 1..t, lowest first), given the hashes of
 * {@link completedNodeSiblings} in the same order.
 */
export function hashCompletedNodes(
  leafHash: Uint8Array,
  leftSiblings: readonly Uint8Array[],
  hasher: TreeHasher = sha256Hasher,
): Uint8Array[] {
  assertHash(leafHash, 'leaf hash')
  const nodes: Uint8Array[] = []
  let acc: Uint8Array = leafHash
  for (const [i, left] of leftSiblings.entries()) {
    assertHash(left, `left sibling ${i}`)
    acc = hasher.hashChildren(left, acc)
    nodes.push(acc)
  }
  return nodes
}

/**
 * An incremental appender: the hashes of the complete subtrees of the current tree (its frontier, one per
 * set bit of the size, largest first). Appending a leaf merges the t smallest subtrees with it, which yields
 * exactly the t nodes the leaf completes; the root is the right fold of the frontier. O(log n) memory.
 */
export class CompactRange {
  #size: number
  readonly #hashes: Uint8Array[]
  readonly #hasher: TreeHasher

  /**
   * @param size the current tree size (default 0)
   * @param frontier the hashes of {@link frontierNodes}(size), in that order
   * @param hasher the tree hash (SHA-256 by default)
   */
  constructor(size = 0, frontier: readonly Uint8Array[] = [], hasher: TreeHasher = sha256Hasher) {
    checkCount(size, 'tree size')
    const expected = rangeNodes(0, size).length
    if (frontier.length !== expected) {
      throw new LedgerFormatError(
        'invalid-argument',
        `a tree of size ${size} has ${expected} frontier hashes, not ${frontier.length}`,
      )
    }
    frontier.forEach((h, i) => assertHash(h, `frontier hash ${i}`))
    this.#size = size
    this.#hashes = frontier.map((h) => Uint8Array.from(h))
    this.#hasher = hasher
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size
  }

  /** Copies of the frontier hashes, in {@link frontierNodes} order. */
  frontier(): Uint8Array[] {
    return this.#hashes.map((h) => Uint8Array.from(h))
  }

  /** The node ids of the frontier hashes. */
  frontierNodes(): NodeId[] {
    return frontierNodes(this.#size)
  }

  /**
   * Appends one leaf hash. Returns the hashes of the nodes it completes (levels 1..t, in level order),
   * i.e. what the store writes into this leaf's row next to the leaf hash.
   */
  append(leafHash: Uint8Array): { nodes: Uint8Array[] } {
    assertHash(leafHash, 'leaf hash')
    if (this.#size >= MAX_TREE_SIZE)
      throw new LedgerFormatError('invalid-argument', 'the tree is full (2^53 − 1 leaves)')
    // The new leaf completes one node per trailing one bit of the old size: each merges the smallest
    // frontier subtree (the left sibling) with what has been built so far.
    const t = trailingZeros(this.#size + 1)
    const nodes: Uint8Array[] = []
    let acc: Uint8Array = Uint8Array.from(leafHash)
    for (let i = 0; i < t; i++) {
      acc = this.#hasher.hashChildren(this.#hashes.pop()!, acc)
      nodes.push(acc)
    }
    // The frontier keeps its own copy so that callers may keep (or mutate) the returned node hashes.
    this.#hashes.push(t === 0 ? acc : Uint8Array.from(acc))
    this.#size += 1
    return { nodes }
  }

  /** The current root ({@link EMPTY_ROOT} for an empty tree). */
  root(): Uint8Array {
    if (this.#hashes.length === 0) return Uint8Array.from(this.#hasher.emptyRoot)
    // A single-subtree frontier folds to that very array: copy it so the caller cannot alter the frontier.
    if (this.#hashes.length === 1) return Uint8Array.from(this.#hashes[0]!)
    return foldRight(this.#hashes, this.#hasher)
  }

  /** An independent copy (e.g. to compute a tentative root without committing). */
  clone(): CompactRange {
    return new CompactRange(this.#size, this.#hashes, this.#hasher)
  }
}
