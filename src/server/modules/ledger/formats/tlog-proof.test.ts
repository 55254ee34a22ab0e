import { describe, expect, it } from 'vitest'
import { LedgerFormatError } from './errors.js'
import { CompactRange, hashLeaf, proveInclusion, type NodeId } from './merkle.js'
import { formatCheckpoint } from './checkpoint.js'
import { generateKey, parseSignerKey, parseVerifierKey, signNote } from './note.js'
import { formatTlogProof, parseTlogProof, verifyTlogProof } from './tlog-proof.js'
import { b64, loadVectors, named } from './vectors.testutil.js'

const v = loadVectors('tlog_proof_vectors.json')

describe('c2sp.org/tlog-proof@v1 vectors (transparency-dev/formats)', () => {
  it.each(named<any>(v.valid, (c) => JSON.stringify(c.text)))('marshals and parses %s', (_t, c: any) => {
    const proof = c.hashes_b64.map(b64)
    const fields = {
      index: c.index,
      proof,
      checkpointNote: c.checkpoint,
      ...(c.extra_b64 === null ? {} : { extra: b64(c.extra_b64) }),
    }
    expect(formatTlogProof(fields)).toBe(c.text)
    const parsed = parseTlogProof(c.text)
    expect(parsed.index).toBe(c.index)
    expect(parsed.proof.map((h) => Buffer.from(h).toString('base64'))).toEqual(c.hashes_b64)
    expect(parsed.checkpointNote).toBe(c.checkpoint)
    expect(parsed.extra === undefined ? null : Buffer.from(parsed.extra).toString('base64')).toBe(c.extra_b64)
  })

  it.each(named<any>(v.invalid, (c) => c.desc))('rejects: %s', (_d, c: any) => {
    expect(() => parseTlogProof(c.text)).toThrow(LedgerFormatError)
  })

  it('rejects further malformed proofs', () => {
    const h = Buffer.alloc(32).toString('base64')
    const bad = [
      `c2sp.org/tlog-proof@v1\nindex 01\n\ncp\n`,
      `c2sp.org/tlog-proof@v1\nindex 1\n${h}\n`,
      `c2sp.org/tlog-proof@v1\nindex 1\n${h}\n\n`,
      `c2sp.org/tlog-proof@v1\nindex 1\n\ncp`,
      `c2sp.org/tlog-proof@v1\nindex 1\n${h.replace('=', '')}\n\ncp\n`,
      `c2sp.org/tlog-proof@v1\nindex 1\n${Buffer.alloc(31).toString('base64')}\n\ncp\n`,
      `c2sp.org/tlog-proof@v1\nindex 9007199254740992\n\ncp\n`,
      `c2sp.org/tlog-proof@v1\nextra AAAA\nextra AAAA\nindex 1\n\ncp\n`,
      `c2sp.org/tlog-proof@v1\nindex 1\n${`${h}\n`.repeat(65)}\ncp\n`,
      `c2sp.org/tlog-proof@v1\r\nindex 1\n\ncp\n`,
      ` c2sp.org/tlog-proof@v1\nindex 1\n\ncp\n`,
    ]
    for (const text of bad)
      expect(() => parseTlogProof(text), JSON.stringify(text)).toThrow(LedgerFormatError)
    expect(() => parseTlogProof(Buffer.from([0xff]))).toThrow(LedgerFormatError)
  })
})

describe('verifying proofs', () => {
  const real = v.assembled_from_real_data[0]

  it('verifies the proof assembled from the real Rekor v2 staging entry', () => {
    const result = verifyTlogProof(
      real.text,
      { leafData: b64(real.leaf_b64) },
      [parseVerifierKey(real.log_vkey)],
      { origin: real.origin },
    )
    expect(result.origin).toBe(real.origin)
    expect(result.index).toBe(645)
    expect(result.size).toBe(646)
    expect(Buffer.from(result.root).toString('base64')).toBe('kNum4JmdViJPfZLMRB3xPi6flATj2JzJSiF+1pQDzNQ=')
    expect(result.signers).toEqual([real.origin])
    expect(result.cosigners).toEqual([])
    // By leaf hash too.
    const byHash = verifyTlogProof(real.text, { leafHash: hashLeaf(b64(real.leaf_b64)) }, [
      parseVerifierKey(real.log_vkey),
    ])
    expect(byHash.index).toBe(645)
  })

  it('says why a proof fails', () => {
    const key = [parseVerifierKey(real.log_vkey)]
    const leaf = { leafData: b64(real.leaf_b64) }
    const codeOf = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return (e as LedgerFormatError).code
      }
      return undefined
    }
    expect(codeOf(() => verifyTlogProof(real.text, { leafData: Buffer.from('other') }, key))).toBe(
      'proof-failed',
    )
    expect(codeOf(() => verifyTlogProof(real.text.replace('index 645', 'index 644'), leaf, key))).toBe(
      'proof-failed',
    )
    expect(codeOf(() => verifyTlogProof(real.text.replace('index 645', 'index 646'), leaf, key))).toBe(
      'proof-failed',
    )
    expect(
      codeOf(() => verifyTlogProof(real.text, leaf, [parseVerifierKey(generateKey('x').verifierKey)])),
    ).toBe('no-verified-signature')
    expect(codeOf(() => verifyTlogProof(real.text, leaf, key, { origin: 'elsewhere' }))).toBe(
      'untrusted-checkpoint',
    )
    expect(codeOf(() => verifyTlogProof(real.text.replace('\n646\n', '\n647\n'), leaf, key))).toBe(
      'invalid-signature',
    )
    expect(codeOf(() => verifyTlogProof(real.text, { leafHash: new Uint8Array(31) }, key))).toBe(
      'invalid-hash',
    )
    expect(codeOf(() => verifyTlogProof('garbage', leaf, key))).toBe('malformed-proof')
  })

  it('round-trips proofs of our own log, with extra data', () => {
    const origin = 'ledger.example/province-43'
    const { signerKey, verifierKey } = generateKey(origin)
    const leaves = Array.from({ length: 37 }, (_, i) => Buffer.from(`{"seq":${i}}`))
    const nodes = new Map<string, Uint8Array>()
    const range = new CompactRange()
    leaves.forEach((data, i) => {
      const leaf = hashLeaf(data)
      nodes.set(`0/${i}`, leaf)
      const { nodes: completed } = range.append(leaf)
      completed.forEach((h, j) => nodes.set(`${j + 1}/${(i + 1) / 2 ** (j + 1) - 1}`, h))
    })
    const getNode = (id: NodeId) => nodes.get(`${id.level}/${id.index}`)!
    const note = signNote(formatCheckpoint({ origin, size: 37, root: range.root() }), [
      parseSignerKey(signerKey),
    ])
    for (const i of [0, 17, 36]) {
      const text = formatTlogProof({
        index: i,
        proof: proveInclusion(i, 37, getNode),
        checkpointNote: note,
        extra: Buffer.from('ctx'),
      })
      const result = verifyTlogProof(text, { leafData: leaves[i]! }, [parseVerifierKey(verifierKey)], {
        origin,
      })
      expect(result.index).toBe(i)
      expect(Buffer.from(result.extra!).toString()).toBe('ctx')
    }
  })
})
