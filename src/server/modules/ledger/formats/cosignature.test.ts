import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { formatCheckpoint, verifyCheckpoint } from './checkpoint.js'
import {
  COSIGNATURE_V1_HEADER,
  cosign,
  cosignatureMessage,
  cosignatureTimestamp,
  generateWitnessKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
  toWitnessVerifierKey,
  witnessKeyFromSeed,
  witnessKeyId,
} from './cosignature.js'
import { LedgerFormatError } from './errors.js'
import { hashLeaf } from './merkle.js'
import {
  appendSignatures,
  ed25519KeyFromSeed,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './note.js'
import { formatTlogProof, verifyTlogProof } from './tlog-proof.js'

const origin = 'ledger.example/city-4301'
const body = formatCheckpoint({ origin, size: 1, root: hashLeaf(Buffer.from('entry 0')) })
const log = ed25519KeyFromSeed(origin, new Uint8Array(32).fill(1))
const logSigner = parseSignerKey(log.signerKey)
const signed = signNote(body, [logSigner])
const TS = 1_700_000_000

describe('cosignature/v1 (round trips; no public vector with a published key exists)', () => {
  const witness = witnessKeyFromSeed('ledger.example/province-43', new Uint8Array(32).fill(2))
  const signer = parseWitnessSignerKey(witness.signerKey)
  const verifier = parseWitnessVerifierKey(witness.verifierKey)

  it('uses the type-0x04 key ID in keys and signature lines', () => {
    const expected = createHash('sha256')
      .update('ledger.example/province-43\n')
      .update(Buffer.of(0x04))
      .update(signer.publicKey)
      .digest()
      .readUInt32BE(0)
    expect(signer.keyId).toBe(expected)
    expect(verifier.keyId).toBe(expected)
    expect(witnessKeyId(signer.name, signer.publicKey)).toBe(expected)
    expect(witness.verifierKey.split('+')[1]).toBe(expected.toString(16).padStart(8, '0'))
    expect(Buffer.from(witness.verifierKey.split('+')[2]!, 'base64')[0]).toBe(0x04)
    const line = cosign(signer, body, TS)
    const sig = parseNote(`${body}\n${line}`).signatures[0]!
    expect(sig.keyId).toBe(expected)
    expect(sig.signature.length).toBe(72)
    expect(cosignatureTimestamp(sig.signature)).toBe(TS)
  })

  it('signs "cosignature/v1\\ntime <ts>\\n" ‖ body', () => {
    expect(cosignatureMessage(body, TS).toString()).toBe(`${COSIGNATURE_V1_HEADER}time ${TS}\n${body}`)
  })

  it('verifies a cosigned checkpoint and reports the cosigner', () => {
    const cosigned = appendSignatures(signed, [cosign(signer, body, TS)])
    const cp = verifyCheckpoint(cosigned, [logSigner.verifier(), verifier])
    expect(cp.signers).toEqual([origin])
    expect(cp.cosigners).toEqual(['ledger.example/province-43'])
    const proof = formatTlogProof({ index: 0, proof: [], checkpointNote: cosigned })
    const result = verifyTlogProof(
      proof,
      { leafData: Buffer.from('entry 0') },
      [logSigner.verifier(), verifier],
      { minCosigners: 1 },
    )
    expect(result.cosigners).toEqual(['ledger.example/province-43'])
    expect(() =>
      verifyTlogProof(proof, { leafData: Buffer.from('entry 0') }, [logSigner.verifier()], {
        minCosigners: 1,
      }),
    ).toThrow(/cosignatures/)
  })

  it('rejects a cosignature whose timestamp or body was changed', () => {
    const line = cosign(signer, body, TS)
    const sig = parseNote(`${body}\n${line}`).signatures[0]!
    const bumped = Uint8Array.from(sig.signature)
    bumped[7]! ^= 1
    const message = Buffer.from(body)
    expect(verifier.verify(message, sig.signature)).toBe(true)
    expect(verifier.verify(message, bumped)).toBe(false)
    expect(verifier.verify(Buffer.from(body.replace('\n1\n', '\n2\n')), sig.signature)).toBe(false)
    expect(verifier.verify(message, sig.signature.subarray(0, 71))).toBe(false)
    // Timestamps above 2^63 − 1 are invalid.
    const huge = Uint8Array.from(sig.signature)
    huge[0] = 0x80
    expect(verifier.verify(message, huge)).toBe(false)
    // A cosignature is not a plain Ed25519 note signature over the body.
    expect(() =>
      verifyNote(`${body}\n${line}`, [
        parseVerifierKey(ed25519KeyFromSeed(signer.name, new Uint8Array(32).fill(2)).verifierKey),
      ]),
    ).toThrow(/no signature from a trusted key/)
  })

  it('does not accept witness signatures alone as a log commitment', () => {
    const onlyWitness = `${body}\n${cosign(signer, body, TS)}`
    expect(() => verifyCheckpoint(onlyWitness, [verifier])).toThrow(/no trusted log signature/)
  })

  it('only cosigns valid checkpoints at valid times', () => {
    expect(() => cosign(signer, 'not a checkpoint\n', TS)).toThrow(LedgerFormatError)
    expect(() => cosign(signer, body, -1)).toThrow(LedgerFormatError)
    expect(() => cosign(signer, body, 1.5)).toThrow(LedgerFormatError)
  })

  it('accepts Ed25519 (0x01) keys as witness keys, like Go', () => {
    const skey01 = ed25519KeyFromSeed('w', new Uint8Array(32).fill(3))
    const s = parseWitnessSignerKey(skey01.signerKey)
    const v01 = parseWitnessVerifierKey(skey01.verifierKey)
    const converted = toWitnessVerifierKey(skey01.verifierKey)
    expect(parseWitnessVerifierKey(converted).keyId).toBe(s.keyId)
    expect(v01.keyId).toBe(s.keyId)
    expect(converted).toBe(witnessKeyFromSeed('w', new Uint8Array(32).fill(3)).verifierKey)
  })

  it('rejects malformed witness keys', () => {
    const k = generateWitnessKey('w2')
    expect(() => parseWitnessVerifierKey(k.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(
      /does not match/,
    )
    expect(() => parseWitnessSignerKey(k.signerKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(
      /does not match/,
    )
    expect(() => parseWitnessSignerKey(k.verifierKey)).toThrow(LedgerFormatError)
    expect(() => toWitnessVerifierKey(k.verifierKey)).toThrow(LedgerFormatError)
    expect(() => cosignatureTimestamp(new Uint8Array(10))).toThrow(LedgerFormatError)
  })
})
