import { describe, expect, it } from 'vitest'
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.js'
import { cosignatureTimestamp } from './cosignature.js'
import { formatKeyId, parseNote, publicKeyVerifier, verifyNote } from './note.js'
import { hashLeaf, rootFromInclusion, verifyInclusion } from './merkle.js'
import { formatTlogProof, verifyTlogProof } from './tlog-proof.js'
import { b64, loadVectors } from './vectors.testutil.js'

const v = loadVectors('rekor_vectors.json')
const entries: any[] = v.entries

/** The key name Rekor signs checkpoints under: the host of the log's base URL. */
const keyName = (e: any) => new URL(e.log_key.baseUrl).host
const verifierOf = (e: any) => publicKeyVerifier(keyName(e), b64(e.log_key.spki_der_b64))

describe('real Sigstore Rekor entries', () => {
  it('has 3 Rekor v1 (ECDSA) and 2 Rekor v2 (Ed25519) entries, up to tree size 75,441,653', () => {
    expect(entries.length).toBe(5)
    expect(entries.filter((e) => e.log_key.keyDetails === 'PKIX_ECDSA_P256_SHA_256').length).toBe(3)
    expect(entries.filter((e) => e.log_key.keyDetails === 'PKIX_ED25519').length).toBe(2)
    expect(Math.max(...entries.map((e) => e.tree_size))).toBe(75441653)
  })

  describe.each(entries.map((e) => [e.desc, e]))('%s', (_d, e: any) => {
    const leafHash = hashLeaf(b64(e.leaf_b64))
    const proof = e.proof_b64.map(b64)
    const root = b64(e.root_b64)

    it('proves the leaf hash at its index against the root', () => {
      expect(verifyInclusion(e.index, e.tree_size, leafHash, proof, root)).toBe(true)
      expect(Buffer.from(rootFromInclusion(e.index, e.tree_size, leafHash, proof)).toString('base64')).toBe(
        e.root_b64,
      )
      // And nothing else.
      expect(verifyInclusion(e.index - 1, e.tree_size, leafHash, proof, root)).toBe(false)
      expect(verifyInclusion(e.index, e.tree_size, hashLeaf(b64(e.leaf_b64).subarray(1)), proof, root)).toBe(
        false,
      )
      expect(verifyInclusion(e.index, e.tree_size, leafHash, proof.slice(1), root)).toBe(false)
    })

    it('verifies the checkpoint signature with the log key', () => {
      const verifier = verifierOf(e)
      const ecdsa = e.log_key.keyDetails === 'PKIX_ECDSA_P256_SHA_256'
      expect(verifier.type).toBe(ecdsa ? 'ecdsa' : 'ed25519')
      if (ecdsa) {
        // Type 0x02: key ID = SHA-256(SPKI DER)[:4], which is also the start of Rekor's log ID.
        expect(formatKeyId(verifier.keyId)).toBe(b64(e.log_key.logId_b64).subarray(0, 4).toString('hex'))
      }
      const cp = verifyCheckpoint(e.checkpoint_note, [verifier])
      expect(cp.size).toBe(e.tree_size)
      expect(Buffer.from(cp.root).toString('base64')).toBe(e.root_b64)
      expect(cp.signers).toEqual([keyName(e)])
      // A flipped size breaks the signature.
      const tampered = e.checkpoint_note.replace(`\n${e.tree_size}\n`, `\n${e.tree_size + 1}\n`)
      expect(() => verifyNote(tampered, [verifier])).toThrow(/does not verify/)
    })

    it('verifies as an assembled tlog-proof', () => {
      const text = formatTlogProof({ index: e.index, proof, checkpointNote: e.checkpoint_note })
      const result = verifyTlogProof(text, { leafData: b64(e.leaf_b64) }, [verifierOf(e)])
      expect(result).toMatchObject({
        origin: parseCheckpoint(parseNote(e.checkpoint_note).text).origin,
        size: e.tree_size,
        index: e.index,
      })
      expect(result.cosigners).toEqual([])
    })
  })

  it('reads the witness cosignatures on the Rekor v2 alpha3 checkpoint as type-0x04 signatures', () => {
    const e = entries.find((x) => x.desc.startsWith('log2025-alpha3'))
    const note = verifyNote(e.checkpoint_note, [verifierOf(e)])
    expect(note.unverified.length).toBe(3)
    for (const sig of note.unverified) {
      expect(sig.signature.length).toBe(72)
      // Timestamps from 2025-2026: plausible Unix seconds.
      const t = cosignatureTimestamp(sig.signature)
      expect(t).toBeGreaterThan(1_700_000_000)
      expect(t).toBeLessThan(2_000_000_000)
    }
  })
})
