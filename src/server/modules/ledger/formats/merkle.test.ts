import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CompactRange,
  EMPTY_ROOT,
  MAX_TREE_SIZE,
  completedNodeSiblings,
  completedNodes,
  computeRoot,
  consistencyPlan,
  createTreeHasher,
  foldRight,
  frontierNodes,
  hashChildren,
  hashCompletedNodes,
  hashLeaf,
  inclusionPlan,
  nodeRange,
  planNodes,
  proveConsistency,
  proveInclusion,
  rangeNodes,
  rootFromInclusion,
  rootPlan,
  storageRowOf,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
} from './merkle.js'
import { LedgerFormatError } from './errors.js'
import { b64, hex, loadVectors } from './vectors.testutil.js'

const tree = loadVectors('rfc6962_reference_tree.json')
const inclusionProbes = loadVectors('merkle_inclusion_probes.json')
const consistencyProbes = loadVectors('merkle_consistency_probes.json')
const sm3 = loadVectors('sm3_vectors.json')

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex')

// ---------------------------------------------------------------------------------------------------------
// Reference implementation straight from the RFC 6962 definitions (recursive, for comparison only).

function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}
function refMth(leaves: Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo
  if (n === 0) return EMPTY_ROOT
  if (n === 1) return leaves[lo]!
  const k = split(n)
  return hashChildren(refMth(leaves, lo, lo + k), refMth(leaves, lo + k, hi))
}
function refPath(leaves: Uint8Array[], m: number, lo: number, hi: number): Uint8Array[] {
  const n = hi - lo
  if (n === 1) return []
  const k = split(n)
  if (m < k) return [...refPath(leaves, m, lo, lo + k), refMth(leaves, lo + k, hi)]
  return [...refPath(leaves, m - k, lo + k, hi), refMth(leaves, lo, lo + k)]
}
function refSubproof(leaves: Uint8Array[], m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
  const n = hi - lo
  if (m === n) return b ? [] : [refMth(leaves, lo, hi)]
  const k = split(n)
  if (m <= k) return [...refSubproof(leaves, m, lo, lo + k, b), refMth(leaves, lo + k, hi)]
  return [...refSubproof(leaves, m - k, lo + k, hi, false), refMth(leaves, lo, lo + k)]
}

/** A tree built with the appender, storing every node the way the ledger store does. */
function buildTree(size: number, seed = 0) {
  const leaves: Uint8Array[] = []
  const nodes = new Map<string, Uint8Array>()
  const rows = new Map<number, NodeId[]>()
  const range = new CompactRange()
  for (let i = 0; i < size; i++) {
    const leaf = hashLeaf(Buffer.from(`leaf ${seed} ${i}`))
    leaves.push(leaf)
    const ids = completedNodes(i)
    const { nodes: completed } = range.append(leaf)
    expect(completed.length).toBe(ids.length)
    nodes.set(`0/${i}`, leaf)
    ids.forEach((id, j) => nodes.set(`${id.level}/${id.index}`, completed[j]!))
    rows.set(i, [{ level: 0, index: i }, ...ids])
  }
  const getNode = (id: NodeId): Uint8Array => {
    const h = nodes.get(`${id.level}/${id.index}`)
    if (h === undefined)
      throw new Error(`node (${id.level}, ${id.index}) is not stored in a tree of size ${size}`)
    return h
  }
  return { leaves, nodes, rows, range, getNode }
}

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const c = Uint8Array.from(b)
  c[bit >> 3]! ^= 1 << (bit & 7)
  return c
}

// ---------------------------------------------------------------------------------------------------------

describe('RFC 6962 hasher (reference vectors)', () => {
  it('hashes the empty tree, leaves and nodes', () => {
    expect(toHex(EMPTY_ROOT)).toBe(tree.hasher.empty_tree_root)
    expect(toHex(hashLeaf(new Uint8Array(0)))).toBe(tree.hasher.leaf_hash_of_empty_input)
    expect(toHex(hashLeaf(Buffer.from(tree.hasher.leaf_hash.input_ascii)))).toBe(tree.hasher.leaf_hash.hash)
    const { left_ascii, right_ascii, hash } = tree.hasher.node_hash
    expect(toHex(hashChildren(Buffer.from(left_ascii), Buffer.from(right_ascii)))).toBe(hash)
  })

  it('hashes large leaves (beyond the scratch buffer) the same way', () => {
    const big = Buffer.alloc(10_000, 7)
    const expected = createHash('sha256')
      .update(Buffer.from([0]))
      .update(big)
      .digest()
    expect(toHex(hashLeaf(big))).toBe(toHex(expected))
  })

  it('SM3 digests match the OpenSSL vectors, and the SM3 tree uses the same domain separation', () => {
    const h = createTreeHasher('sm3')
    for (const v of sm3.vectors) expect(toHex(h.digest(hex(v.input_hex)))).toBe(v.digest_hex)
    const leaf = Buffer.from('abc')
    expect(toHex(h.hashLeaf(leaf))).toBe(toHex(h.digest(Buffer.concat([Buffer.from([0]), leaf]))))
    const a = h.hashLeaf(Buffer.from('a'))
    const b = h.hashLeaf(Buffer.from('b'))
    expect(toHex(h.hashChildren(a, b))).toBe(toHex(h.digest(Buffer.concat([Buffer.from([1]), a, b]))))
    expect(toHex(new CompactRange(0, [], h).root())).toBe(toHex(h.digest(new Uint8Array(0))))
    // An SM3 proof verifies with the SM3 hasher only.
    const r = new CompactRange(0, [], h)
    r.append(a)
    r.append(b)
    expect(verifyInclusion(0, 2, a, [b], r.root(), h)).toBe(true)
    expect(verifyInclusion(0, 2, a, [b], r.root())).toBe(false)
  })
})

describe('the 8-leaf reference tree', () => {
  const leaves: Buffer[] = tree.leaves_hex.map((l: string) => hashLeaf(hex(l)))
  const stored = new Map<string, Uint8Array>()
  const appender = new CompactRange()
  leaves.forEach((leaf, i) => {
    stored.set(`0/${i}`, leaf)
    const ids = completedNodes(i)
    appender.append(leaf).nodes.forEach((h, j) => stored.set(`${ids[j]!.level}/${ids[j]!.index}`, h))
  })
  const lookup = (id: NodeId) => stored.get(`${id.level}/${id.index}`)!

  it('stores exactly the node hashes of every level', () => {
    tree.node_hashes_by_level.forEach((level: string[], L: number) => {
      level.forEach((h, k) => expect(toHex(lookup({ level: L, index: k }))).toBe(h))
    })
    expect(stored.size).toBe(8 + 4 + 2 + 1)
  })

  it('computes the root of every size 0..8 (plans, appender and fold)', () => {
    tree.roots_by_size.forEach((root: string, size: number) => {
      expect(toHex(computeRoot(size, lookup))).toBe(root)
      const r = new CompactRange()
      for (const leaf of leaves.slice(0, size)) r.append(leaf)
      expect(toHex(r.root())).toBe(root)
      expect(toHex(refMth(leaves, 0, size))).toBe(root)
    })
  })

  it('generates and checks the reference audit paths', () => {
    for (const p of tree.inclusion_paths) {
      const proof = proveInclusion(p.leaf_index, p.tree_size, lookup)
      expect(proof.map(toHex)).toEqual(p.path)
      const root = hex(tree.roots_by_size[p.tree_size])
      expect(verifyInclusion(p.leaf_index, p.tree_size, leaves[p.leaf_index]!, proof, root)).toBe(true)
      expect(toHex(rootFromInclusion(p.leaf_index, p.tree_size, leaves[p.leaf_index]!, proof))).toBe(
        toHex(root),
      )
    }
  })

  it('generates and checks the reference consistency proofs', () => {
    for (const p of tree.consistency_proofs) {
      const proof = proveConsistency(p.size1, p.size2, lookup)
      expect(proof.map(toHex)).toEqual(p.proof)
      const r1 = hex(tree.roots_by_size[p.size1])
      const r2 = hex(tree.roots_by_size[p.size2])
      expect(verifyConsistency(p.size1, p.size2, proof, r1, r2)).toBe(true)
    }
  })

  it('proves and verifies every (index, size) and every (size1, size2) pair of the tree', () => {
    for (let size = 1; size <= 8; size++) {
      const root = hex(tree.roots_by_size[size])
      for (let i = 0; i < size; i++) {
        expect(verifyInclusion(i, size, leaves[i]!, proveInclusion(i, size, lookup), root)).toBe(true)
      }
      for (let m = 1; m <= size; m++) {
        const r1 = hex(tree.roots_by_size[m])
        expect(verifyConsistency(m, size, proveConsistency(m, size, lookup), r1, root)).toBe(true)
      }
    }
  })
})

describe('transparency-dev/merkle inclusion probes', () => {
  const probes: any[] = inclusionProbes.probes
  it('has all 98 probes (6 valid)', () => {
    expect(probes.length).toBe(98)
    expect(probes.filter((p) => !p.wantErr).length).toBe(6)
  })
  it.each(probes.map((p) => [`${p.file}: ${p.desc}`, p]))('%s', (_name, p) => {
    const proof = (p.proof ?? []).map(b64)
    const ok = verifyInclusion(p.leafIdx, p.treeSize, b64(p.leafHash), proof, b64(p.root))
    expect(ok).toBe(!p.wantErr)
    if (p.wantErr) {
      // rootFromInclusion either throws or yields a root different from the claimed one.
      let computed: Uint8Array | undefined
      try {
        computed = rootFromInclusion(p.leafIdx, p.treeSize, b64(p.leafHash), proof)
      } catch (e) {
        expect(e).toBeInstanceOf(LedgerFormatError)
      }
      if (computed !== undefined) expect(toHex(computed)).not.toBe(toHex(b64(p.root)))
    }
  })
})

/**
 * Where our strict verifier intentionally differs from the probes: Go's VerifyConsistency compares the
 * roots of equal-size trees without checking their length; we require every hash to be 32 bytes.
 */
const CONSISTENCY_STRICT_DEVIATIONS = new Set([
  'testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json',
])

describe('transparency-dev/merkle consistency probes', () => {
  const probes: any[] = consistencyProbes.probes
  it('has all 98 probes (6 valid)', () => {
    expect(probes.length).toBe(98)
    expect(probes.filter((p) => !p.wantErr).length).toBe(6)
  })
  it.each(probes.map((p) => [`${p.file}: ${p.desc}`, p]))('%s', (_name, p) => {
    const proof = (p.proof ?? []).map(b64)
    const ok = verifyConsistency(p.size1, p.size2, proof, b64(p.root1), b64(p.root2))
    if (CONSISTENCY_STRICT_DEVIATIONS.has(p.file)) {
      // 12-byte roots ("don't care 2"): rejected here; the same probe with a real 32-byte root passes.
      expect(b64(p.root1).length).not.toBe(32)
      expect(ok).toBe(false)
      const root = hashLeaf(b64(p.root1))
      expect(verifyConsistency(p.size1, p.size2, proof, root, root)).toBe(true)
      return
    }
    expect(ok).toBe(!p.wantErr)
  })
})

describe('node addressing and plans', () => {
  it('decomposes ranges into maximal aligned subtrees, left to right', () => {
    expect(rangeNodes(0, 0)).toEqual([])
    expect(rangeNodes(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ])
    // An unaligned range: sizes grow, then shrink (the compact range of [3, 13)).
    expect(rangeNodes(3, 13)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ])
    expect(rangeNodes(2 ** 52, MAX_TREE_SIZE).length).toBe(52)
    expect(rangeNodes(0, MAX_TREE_SIZE).length).toBe(53)
    expect(() => rangeNodes(5, 4)).toThrow(LedgerFormatError)
    expect(() => rangeNodes(0, 2 ** 53)).toThrow(/2\^53/)
    expect(() => rangeNodes(-1, 4)).toThrow(LedgerFormatError)
    expect(() => rangeNodes(0.5, 4)).toThrow(LedgerFormatError)
  })

  it('maps nodes to ranges and storage rows', () => {
    expect(nodeRange({ level: 3, index: 2 })).toEqual({ begin: 16, end: 24 })
    expect(storageRowOf({ level: 0, index: 5 })).toBe(5)
    expect(storageRowOf({ level: 3, index: 2 })).toBe(23)
    expect(storageRowOf({ level: 52, index: 0 })).toBe(2 ** 52 - 1)
    expect(() => storageRowOf({ level: 53, index: 0 })).toThrow(LedgerFormatError)
    expect(() => storageRowOf({ level: 1, index: 2 ** 52 })).toThrow(LedgerFormatError)
    expect(() => storageRowOf({ level: 52, index: 1 })).toThrow(LedgerFormatError)
    expect(storageRowOf({ level: 1, index: 2 ** 52 - 2 })).toBe(2 ** 53 - 3)
    expect(() => nodeRange({ level: 0, index: -1 })).toThrow(LedgerFormatError)
  })

  it('lists completed nodes, their siblings and hashes', () => {
    expect(completedNodes(0)).toEqual([])
    expect(completedNodes(6)).toEqual([])
    expect(completedNodes(7)).toEqual([
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ])
    expect(completedNodeSiblings(7)).toEqual([
      { level: 0, index: 6 },
      { level: 1, index: 2 },
      { level: 2, index: 0 },
    ])
    expect(completedNodes(2 ** 52 - 1).length).toBe(52)
    expect(completedNodes(2 ** 52 - 1).at(-1)).toEqual({ level: 52, index: 0 })
    expect(completedNodes(2 ** 53 - 3)).toEqual([{ level: 1, index: 2 ** 52 - 2 }])
    expect(completedNodes(2 ** 53 - 2)).toEqual([])
    expect(() => completedNodes(2 ** 53 - 1)).toThrow(LedgerFormatError)
    const leaves = [0, 1, 2, 3].map((i) => hashLeaf(Buffer.of(i)))
    const [n1, n2] = hashCompletedNodes(leaves[3]!, [leaves[2]!, hashChildren(leaves[0]!, leaves[1]!)])
    expect(toHex(n1!)).toBe(toHex(hashChildren(leaves[2]!, leaves[3]!)))
    expect(toHex(n2!)).toBe(toHex(refMth(leaves, 0, 4)))
  })

  it('rejects impossible proofs', () => {
    expect(() => inclusionPlan(5, 5)).toThrow(LedgerFormatError)
    expect(() => consistencyPlan(0, 5)).toThrow(LedgerFormatError)
    expect(() => consistencyPlan(6, 5)).toThrow(LedgerFormatError)
    expect(consistencyPlan(5, 5)).toEqual([])
    expect(inclusionPlan(0, 1)).toEqual([])
    expect(() => foldRight([])).toThrow(LedgerFormatError)
  })

  it('deduplicates plan nodes for one query', () => {
    const plan = [[{ level: 0, index: 1 }], [{ level: 1, index: 1 }], [{ level: 0, index: 1 }]]
    expect(planNodes(plan)).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 1 },
    ])
  })

  it('rejects hashes of the wrong length from the store', () => {
    expect(() => computeRoot(1, () => new Uint8Array(31))).toThrow(/32-byte/)
  })
})

describe('CompactRange', () => {
  it('round-trips through (size, frontier) and refuses inconsistent frontiers', () => {
    const { range, leaves } = buildTree(1000)
    const copy = new CompactRange(range.size, range.frontier())
    expect(toHex(copy.root())).toBe(toHex(range.root()))
    expect(copy.frontierNodes()).toEqual(frontierNodes(1000))
    expect(() => new CompactRange(1000, range.frontier().slice(1))).toThrow(LedgerFormatError)
    expect(() => new CompactRange(1, [new Uint8Array(3)])).toThrow(LedgerFormatError)
    const next = hashLeaf(Buffer.from('next'))
    copy.append(next)
    expect(toHex(copy.root())).toBe(toHex(refMth([...leaves, next], 0, 1001)))
    // The clone is independent.
    const clone = range.clone()
    clone.append(next)
    expect(range.size).toBe(1000)
    expect(clone.size).toBe(1001)
  })

  it('does not expose its internal hashes', () => {
    const r = new CompactRange()
    const leaf = hashLeaf(Buffer.from('a'))
    r.append(leaf)
    const root = r.root()
    root.fill(0)
    expect(toHex(r.root())).toBe(toHex(leaf))
    const { nodes } = r.append(hashLeaf(Buffer.from('b')))
    const expected = toHex(r.root())
    nodes[0]!.fill(0)
    expect(toHex(r.root())).toBe(expected)
  })
})

describe('properties over random trees', () => {
  it('root, storage rows and frontier agree with the recursive MTH and the appender', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), (size) => {
        const { leaves, getNode, range, rows } = buildTree(size, size)
        const root = toHex(refMth(leaves, 0, size))
        expect(toHex(range.root())).toBe(root)
        expect(toHex(computeRoot(size, getNode))).toBe(root)
        // Every stored node lives in the row storageRowOf names, and rows hold exactly levels 0..t.
        for (const [row, ids] of rows) for (const id of ids) expect(storageRowOf(id)).toBe(row)
        // The frontier is the hashes of frontierNodes(size), all of which are stored (complete).
        expect(range.frontier().map(toHex)).toEqual(frontierNodes(size).map((id) => toHex(getNode(id))))
        expect(rootPlan(size)).toEqual(frontierNodes(size))
        for (const id of frontierNodes(size)) expect(storageRowOf(id)).toBeLessThan(size)
      }),
      { numRuns: 40 },
    )
  })

  it('every inclusion and consistency proof produced via the plans verifies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer(), (size, seed) => {
        const { leaves, getNode } = buildTree(size, seed)
        const root = computeRoot(size, getNode)
        const roots: Uint8Array[] = []
        const r = new CompactRange()
        for (const leaf of leaves) {
          r.append(leaf)
          roots.push(r.root())
        }
        for (let i = 0; i < size; i++) {
          const proof = proveInclusion(i, size, getNode)
          if (!verifyInclusion(i, size, leaves[i]!, proof, root))
            throw new Error(`inclusion ${i}/${size} failed`)
        }
        for (let m = 1; m <= size; m++) {
          const proof = proveConsistency(m, size, getNode)
          if (!verifyConsistency(m, size, proof, roots[m - 1]!, root))
            throw new Error(`consistency ${m}→${size} failed`)
        }
        // And they equal the RFC definitions for a sample of indexes.
        for (const i of [0, size - 1, Math.floor(size / 2), seed % size < 0 ? 0 : seed % size]) {
          expect(proveInclusion(i, size, getNode).map(toHex)).toEqual(refPath(leaves, i, 0, size).map(toHex))
          const m = i + 1
          expect(proveConsistency(m, size, getNode).map(toHex)).toEqual(
            refSubproof(leaves, m, 0, size, true).map(toHex),
          )
        }
      }),
      { numRuns: 20 },
    )
  })

  it('exhaustively proves every pair in small trees', () => {
    const { leaves, getNode } = buildTree(70)
    const roots = Array.from({ length: 71 }, (_, n) => computeRoot(n, getNode))
    for (let n = 1; n <= 70; n++) {
      for (let i = 0; i < n; i++) {
        expect(proveInclusion(i, n, getNode).map(toHex)).toEqual(refPath(leaves, i, 0, n).map(toHex))
      }
      for (let m = 1; m <= n; m++) {
        const proof = proveConsistency(m, n, getNode)
        expect(proof.map(toHex)).toEqual(refSubproof(leaves, m, 0, n, true).map(toHex))
        expect(verifyConsistency(m, n, proof, roots[m]!, roots[n]!)).toBe(true)
      }
    }
  })

  it('flipping any bit of a proof hash, the root or the leaf hash breaks inclusion', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 600 })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        ([size, index]) => {
          const { leaves, getNode } = buildTree(size, index)
          const root = computeRoot(size, getNode)
          const proof = proveInclusion(index, size, getNode)
          const leaf = leaves[index]!
          expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true)
          for (let bit = 0; bit < 256; bit++) {
            expect(verifyInclusion(index, size, flipBit(leaf, bit), proof, root)).toBe(false)
            expect(verifyInclusion(index, size, leaf, proof, flipBit(root, bit))).toBe(false)
            proof.forEach((p, j) => {
              const bad = proof.slice()
              bad[j] = flipBit(p, bit)
              expect(verifyInclusion(index, size, leaf, bad, root)).toBe(false)
            })
          }
          // Wrong index, size, or proof length.
          if (index + 1 < size) expect(verifyInclusion(index + 1, size, leaf, proof, root)).toBe(false)
          expect(verifyInclusion(index, size, leaf, [...proof, root], root)).toBe(false)
          if (proof.length > 0) expect(verifyInclusion(index, size, leaf, proof.slice(1), root)).toBe(false)
        },
      ),
      { numRuns: 15 },
    )
  })

  it('flipping any bit of a consistency proof hash or either root breaks consistency', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 600 })
          .chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 - 1 }), fc.constant(size2))),
        ([size1, size2]) => {
          const { getNode } = buildTree(size2, size1)
          const root1 = computeRoot(size1, getNode)
          const root2 = computeRoot(size2, getNode)
          const proof = proveConsistency(size1, size2, getNode)
          expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(true)
          for (let bit = 0; bit < 256; bit++) {
            expect(verifyConsistency(size1, size2, proof, flipBit(root1, bit), root2)).toBe(false)
            expect(verifyConsistency(size1, size2, proof, root1, flipBit(root2, bit))).toBe(false)
            proof.forEach((p, j) => {
              const bad = proof.slice()
              bad[j] = flipBit(p, bit)
              expect(verifyConsistency(size1, size2, bad, root1, root2)).toBe(false)
            })
          }
          expect(verifyConsistency(size1, size2, proof, root2, root1)).toBe(false)
          expect(verifyConsistency(size1, size2, proof.slice(0, -1), root1, root2)).toBe(false)
          expect(verifyConsistency(size1, size2, [...proof, root2], root1, root2)).toBe(false)
        },
      ),
      { numRuns: 15 },
    )
  })

  it('plans for huge trees only use complete nodes and verify in a uniform tree', () => {
    // In a tree whose leaves are all equal, every complete node of level L has the same hash U[L]: a real,
    // consistent tree of any size, so plans for sizes up to 2^53 − 1 can be executed and verified.
    const U: Uint8Array[] = [hashLeaf(Buffer.from('uniform'))]
    for (let L = 1; L <= 53; L++) U.push(hashChildren(U[L - 1]!, U[L - 1]!))
    const getNode = (id: NodeId) => U[id.level]!
    const large = fc.oneof(
      fc.integer({ min: 2 ** 40, max: MAX_TREE_SIZE }),
      fc.constantFrom(MAX_TREE_SIZE, 2 ** 52, 2 ** 52 + 1, 2 ** 53 - 2, 2 ** 32, 2 ** 32 + 1, 2 ** 31 + 3),
    )
    fc.assert(
      fc.property(
        large,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (size, a, b) => {
          const index = Math.min(size - 1, Math.floor(a * size))
          const size1 = Math.max(1, Math.min(size, Math.floor(b * size)))
          const root = computeRoot(size, getNode)
          const plan = inclusionPlan(index, size)
          for (const node of planNodes(plan)) expect(storageRowOf(node)).toBeLessThan(size)
          // Each element covers a contiguous range that is a subtree of the left-balanced tree.
          for (const element of plan) {
            for (let j = 1; j < element.length; j++) {
              expect(nodeRange(element[j]!).begin).toBe(nodeRange(element[j - 1]!).end)
              expect(element[j]!.level).toBeLessThan(element[j - 1]!.level)
            }
          }
          const proof = proveInclusion(index, size, getNode)
          expect(verifyInclusion(index, size, U[0]!, proof, root)).toBe(true)
          expect(verifyInclusion(index, size, U[1]!, proof, root)).toBe(false)
          if (proof.length > 0)
            expect(verifyInclusion(index, size, U[0]!, proof.slice(0, -1), root)).toBe(false)
          const cplan = consistencyPlan(size1, size)
          for (const node of planNodes(cplan)) expect(storageRowOf(node)).toBeLessThan(size)
          const cproof = proveConsistency(size1, size, getNode)
          expect(verifyConsistency(size1, size, cproof, computeRoot(size1, getNode), root)).toBe(true)
          if (size1 < size) expect(verifyConsistency(size1, size, cproof, root, root)).toBe(false)
          // The appender restarts from a huge frontier and keeps agreeing with the plans.
          const r = new CompactRange(size1 - 1, frontierNodes(size1 - 1).map(getNode))
          const { nodes } = r.append(U[0]!)
          expect(nodes.map(toHex)).toEqual(completedNodes(size1 - 1).map((id) => toHex(getNode(id))))
          expect(toHex(r.root())).toBe(toHex(computeRoot(size1, getNode)))
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('verifier argument checks', () => {
  const leaf = hashLeaf(Buffer.from('x'))
  it('never throws on garbage', () => {
    expect(verifyInclusion(-1, 1, leaf, [], leaf)).toBe(false)
    expect(verifyInclusion(0, 2 ** 53, leaf, [], leaf)).toBe(false)
    expect(verifyInclusion(0, 1, leaf, null as any, leaf)).toBe(false)
    expect(verifyInclusion(0, 1, leaf, [], leaf.subarray(1))).toBe(false)
    expect(verifyInclusion(0, 1, leaf, [], leaf)).toBe(true)
    expect(verifyConsistency(1, 1, [], leaf, leaf)).toBe(true)
    expect(verifyConsistency(1, 1, [], leaf, Buffer.concat([leaf, Buffer.of(0)]))).toBe(false)
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(false)
    expect(verifyConsistency(1, 2, [leaf.subarray(2)], leaf, leaf)).toBe(false)
    expect(verifyConsistency(1.5, 2, [leaf], leaf, leaf)).toBe(false)
    expect(() => rootFromInclusion(1, 1, leaf, [])).toThrow(LedgerFormatError)
  })
})
