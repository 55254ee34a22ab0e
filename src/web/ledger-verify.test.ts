/**
 * The browser's ledger checks against a log built here with Node's crypto: RFC 6962 hashing written out
 * from the RFC (MTH and PATH), a C2SP checkpoint signed with Ed25519. The checker must accept every entry
 * of the honest log and refuse a changed leaf, a proof from another tree, a forged signature and a leaf
 * served at the wrong index.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseVerifierKey, verifyNoteSignature } from './ledger.js'
import { LedgerVerifier } from './ledger-verify.js'
import type { LedgerSource } from './ledger-verify.js'

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}
const leafHash = (data: Buffer): Buffer => sha(Buffer.from([0]), data)
const nodeHash = (l: Buffer, r: Buffer): Buffer => sha(Buffer.from([1]), l, r)

/** The largest power of two smaller than n (RFC 6962 §2.1). */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leafHash(leaves[0]!)
  const k = split(leaves.length)
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return []
  const k = split(leaves.length)
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))]
}

const NAME = 'example.gov.cn/ledger/4301'

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const typeAndKey = Buffer.concat([Buffer.from([1]), raw])
  const id = sha(Buffer.from(`${NAME}\n`), typeAndKey).subarray(0, 4)
  return {
    vkey: `${NAME}+${id.toString('hex')}+${typeAndKey.toString('base64')}`,
    sign: (text: string) =>
      `\u2014 ${NAME} ${Buffer.concat([id, sign(null, Buffer.from(text), privateKey)]).toString('base64')}\n`,
  }
}

function log(size: number) {
  const leaves = Array.from({ length: size }, (_, index) =>
    Buffer.from(JSON.stringify({ index, log: '4301', time: 1000 + index, type: 'appeal.filed', v: 1 })),
  )
  const key = keyPair()
  const text = `${NAME}\n${size}\n${mth(leaves).toString('base64')}\n`
  const note = `${text}\n${key.sign(text)}`
  const source: LedgerSource = {
    verifierKeys: () => Promise.resolve([key.vkey]),
    checkpoint: () => Promise.resolve(note),
    leaf: (_, index) => Promise.resolve(leaves[index]?.toString('base64') ?? null),
    proof: (_, index) => Promise.resolve(path(index, leaves).map((h) => h.toString('base64'))),
  }
  return { leaves, key, note, source }
}

describe('checking ledger entries in the browser', () => {
  it('accepts every entry of an honest log, with the checkpoint signature checked', async () => {
    for (const size of [1, 2, 7, 13]) {
      const { source } = log(size)
      const verifier = new LedgerVerifier(source)
      for (let index = 0; index < size; index++) {
        const check = await verifier.check({ log: '4301', index })
        expect(check, `entry ${index} of ${size}`).toMatchObject({
          status: 'ok',
          signature: 'ok',
          treeSize: size,
          type: 'appeal.filed',
          time: 1000 + index,
        })
      }
    }
  })

  it('says an entry past the checkpoint is not covered yet', async () => {
    const { source } = log(5)
    expect((await new LedgerVerifier(source).check({ log: '4301', index: 5 })).status).toBe('newer')
  })

  it('refuses a changed leaf, a proof of another tree, a leaf served at the wrong index', async () => {
    const { source, leaves } = log(7)
    const changed: LedgerSource = {
      ...source,
      leaf: (_, index) =>
        Promise.resolve(Buffer.from(leaves[index]!.toString().replace('1003', '1004')).toString('base64')),
    }
    expect(await new LedgerVerifier(changed).check({ log: '4301', index: 3 })).toMatchObject({
      status: 'failed',
      problem: 'proof',
    })
    const otherTree: LedgerSource = {
      ...source,
      proof: (_, index) => Promise.resolve(path(index, leaves.slice(0, 6)).map((h) => h.toString('base64'))),
    }
    expect(await new LedgerVerifier(otherTree).check({ log: '4301', index: 6 })).toMatchObject({
      status: 'failed',
      problem: 'proof',
    })
    const moved: LedgerSource = { ...source, leaf: () => Promise.resolve(leaves[2]!.toString('base64')) }
    expect(await new LedgerVerifier(moved).check({ log: '4301', index: 4 })).toMatchObject({
      status: 'failed',
      problem: 'position',
    })
  })

  it('refuses a checkpoint signed by another key, or not signed by the log at all', async () => {
    const { source, note } = log(4)
    const other = keyPair()
    const forged: LedgerSource = { ...source, verifierKeys: () => Promise.resolve([other.vkey]) }
    expect(await new LedgerVerifier(forged).check({ log: '4301', index: 1 })).toMatchObject({
      status: 'failed',
      problem: 'signature',
      // Its key ID differs: the note carries no signature by the key asked for.
      signature: 'missing',
    })
    const text = note.slice(0, note.lastIndexOf('\n\n') + 1)
    const unsigned: LedgerSource = {
      ...source,
      checkpoint: () => Promise.resolve(`${text}\n\u2014 someone.else AAAAAAAA\n`),
    }
    expect(await new LedgerVerifier(unsigned).check({ log: '4301', index: 1 })).toMatchObject({
      status: 'failed',
      signature: 'missing',
    })
  })

  it('reads verifier keys, and checks a note whose text was changed as bad', async () => {
    const { key, note } = log(3)
    expect(parseVerifierKey(key.vkey)).toMatchObject({ name: NAME, type: 1 })
    expect(parseVerifierKey('no-plus-signs')).toBeNull()
    expect(await verifyNoteSignature(note, key.vkey)).toBe('ok')
    expect(await verifyNoteSignature(note.replace('\n3\n', '\n4\n'), key.vkey)).toBe('bad')
  })

  it('reports a fetch that fails as an error, and asks again next time', async () => {
    const { source } = log(3)
    let fail = true
    const flaky: LedgerSource = {
      ...source,
      checkpoint: (l) => (fail ? Promise.reject(new Error('offline')) : source.checkpoint(l)),
    }
    const verifier = new LedgerVerifier(flaky)
    expect((await verifier.check({ log: '4301', index: 0 })).status).toBe('error')
    fail = false
    expect((await verifier.check({ log: '4301', index: 0 })).status).toBe('ok')
  })
})
