/**
 * Property tests over the stored log: for random tree sizes, every inclusion and consistency proof the
 * service produces (from stored nodes) verifies against roots of the same stored tree, and flipping any
 * one bit of a proof hash or root makes verification fail.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { declareTestEvents } from '../../../../test/support/events.js'
import { hashChildren, hashLeaf, verifyConsistency, verifyInclusion } from './formats/index.js'
import type { LedgerEvent } from './ledger.model.js'

const actor = { id: 'system', roles: ['admin'], department: null, region: '' }
const event = (i: number): LedgerEvent => ({
  type: 'test.appended',
  subject: `test:${i}`,
  regionCode: '4399',
  actor,
  data: { i },
})

function flip(hash: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(hash)
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8)
  return copy
}

describe.each(DIALECTS)('stored-log proofs on %s (property)', (dialect) => {
  let app: TestApp
  const leafHashes: Buffer[] = []
  const MAX = 300
  beforeAll(async () => {
    app = await createTestApp(dialect, { seeded: false })
    declareTestEvents(app.services.ledger)
    // Appended in uneven batches, so leaf rows and their stored nodes come from many transactions.
    for (let i = 0; i < MAX;) {
      const n = Math.min(MAX - i, 1 + (i % 7))
      const events = Array.from({ length: n }, (_, k) => event(i + k))
      await app.database.db.transaction().execute((trx) => app.services.ledger.appendMany(trx, events))
      i += n
    }
    for (const e of await app.services.ledger.entries('4399', 0, MAX))
      leafHashes.push(hashLeaf(Buffer.from(e.leaf, 'base64')))
  })
  afterAll(() => app?.dispose())

  /** RFC 6962 MTH recomputed from the leaves by its recursive definition: independent of stored nodes. */
  const mth = (lo: number, hi: number): Uint8Array => {
    if (hi - lo === 1) return leafHashes[lo] as Uint8Array
    let k = 1
    while (k * 2 < hi - lo) k *= 2
    return hashChildren(mth(lo, lo + k), mth(lo + k, hi))
  }
  const rootOf = (size: number): Uint8Array => mth(0, size)

  it('every inclusion proof verifies and every one-bit change fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: MAX })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }), fc.nat())),
        async ([size, index, bit]) => {
          const proof = await app.services.ledger.inclusionProof('4399', index, size)
          const hashes = proof.hashes.map((h) => Buffer.from(h, 'base64'))
          const root = rootOf(size)
          expect(verifyInclusion(index, size, leafHashes[index]!, hashes, root)).toBe(true)
          expect(verifyInclusion(index, size, leafHashes[index]!, hashes, flip(root, bit % 256))).toBe(false)
          expect(verifyInclusion(index, size, flip(leafHashes[index]!, bit % 256), hashes, root)).toBe(false)
          if (hashes.length > 0) {
            const i = bit % hashes.length
            const bad = hashes.map((h, k) => (k === i ? flip(h, Math.floor(bit / hashes.length) % 256) : h))
            expect(verifyInclusion(index, size, leafHashes[index]!, bad, root)).toBe(false)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('every consistency proof verifies and every one-bit change fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: MAX })
          .chain((to) => fc.tuple(fc.integer({ min: 1, max: to }), fc.constant(to), fc.nat())),
        async ([from, to, bit]) => {
          const proof = await app.services.ledger.consistencyProof('4399', from, to)
          const hashes = proof.hashes.map((h) => Buffer.from(h, 'base64'))
          const r1 = rootOf(from)
          const r2 = rootOf(to)
          expect(verifyConsistency(from, to, hashes, r1, r2)).toBe(true)
          expect(verifyConsistency(from, to, hashes, flip(r1, bit % 256), r2)).toBe(false)
          expect(verifyConsistency(from, to, hashes, r1, flip(r2, bit % 256))).toBe(false)
          if (hashes.length > 0) {
            const i = bit % hashes.length
            const bad = hashes.map((h, k) => (k === i ? flip(h, Math.floor(bit / hashes.length) % 256) : h))
            expect(verifyConsistency(from, to, bad, r1, r2)).toBe(false)
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
