/**
 * Witness cosignatures, Ed25519 cosignature/v1 (c2sp.org/tlog-cosignature): a note signature with
 * signature type 0x04 whose bytes are `u64be timestamp ‖ Ed25519(message)`, where
 *
 *     message = "cosignature/v1\ntime <timestamp>\n" ‖ checkpoint body
 *
 * It states: "as of <timestamp>, this is the largest tree I have seen for this origin, consistent with
 * everything I saw before". The province log cosigns each city log's checkpoints this way. The message does
 * not commit to the cosigner's name, so one key must never serve two cosigners.
 * @module
 */
import { randomBytes, sign as cryptoSign } from 'node:crypto'
import { parseCheckpoint } from './checkpoint.js'
import { LedgerFormatError } from './errors.js'
import { toBase64, utf8 } from './encoding.js'
import {
  computeKeyId,
  ed25519PrivateKeyObject,
  ed25519PublicKeyObject,
  ed25519RawPublicKey,
  ed25519Verify,
  formatKeyId,
  formatSignatureLine,
  isValidKeyName,
  type KeyPairStrings,
  type NoteVerifier,
  parseKeyString,
  SignatureType,
} from './note.js'

/** The first line of every cosignature/v1 signed message. */
export const COSIGNATURE_V1_HEADER = 'cosignature/v1\n'

/** Largest timestamp a cosignature may carry (2^63 − 1, per the spec). */
const MAX_TIMESTAMP = (1n << 63n) - 1n

/** Signs checkpoints as a witness (cosignature/v1). */
export interface WitnessSigner {
  /** The cosigner's key name. */
  readonly name: string
  /** The type-0x04 key ID. */
  readonly keyId: number
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array
  /** The signature bytes (timestamp ‖ Ed25519 signature, without key ID) over a checkpoint body. */
  sign(checkpointBody: string, timestampSeconds: number): Uint8Array
  /** The matching cosignature verifier. */
  verifier(): NoteVerifier
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !isValidKeyName(name)) {
    throw new LedgerFormatError('malformed-key', `invalid cosigner name ${JSON.stringify(name)}`)
  }
}

function checkTimestamp(timestampSeconds: number): void {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new LedgerFormatError(
      'invalid-argument',
      `cosignature timestamp ${String(timestampSeconds)} is not a non-negative integer`,
    )
  }
}

/** The type-0x04 key ID: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ pub32)[:4]. */
export function witnessKeyId(name: string, publicKey: Uint8Array): number {
  return computeKeyId(name, Buffer.concat([Buffer.of(SignatureType.cosignatureV1), publicKey]))
}

/** The message a cosignature/v1 signs for `checkpointBody` at `timestamp` (seconds since the epoch). */
export function cosignatureMessage(checkpointBody: string, timestamp: number | bigint): Buffer {
  return Buffer.concat([utf8(`${COSIGNATURE_V1_HEADER}time ${timestamp.toString()}\n`), utf8(checkpointBody)])
}

/** A cosignature/v1 verifier for cosigner `name` and its raw 32-byte Ed25519 public key. */
export function witnessVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkName(name)
  const key = ed25519PublicKeyObject(publicKey)
  const raw = Uint8Array.from(publicKey)
  return Object.freeze({
    name,
    keyId: witnessKeyId(name, raw),
    type: 'cosignature/v1' as const,
    publicKey: raw,
    verify(message: Uint8Array, signature: Uint8Array): boolean {
      if (signature.length !== 8 + 64) return false
      const sig = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength)
      const timestamp = sig.readBigUInt64BE(0)
      if (timestamp > MAX_TIMESTAMP) return false
      // Like Go: only a text of at least three lines (a checkpoint) can be cosigned.
      let newlines = 0
      for (const b of message) if (b === 0x0a && ++newlines >= 2) break
      if (newlines < 2) return false
      const signed = Buffer.concat([utf8(`${COSIGNATURE_V1_HEADER}time ${timestamp.toString()}\n`), message])
      return ed25519Verify(key, signed, sig.subarray(8))
    },
  })
}

/**
 * The timestamp (seconds) of a cosignature/v1 signature (bytes after the key ID). Throws
 * `malformed-cosignature` if the signature is not 72 bytes or the time exceeds 2^53 − 1.
 */
export function cosignatureTimestamp(signature: Uint8Array): number {
  if (signature.length !== 72) {
    throw new LedgerFormatError(
      'malformed-cosignature',
      `a cosignature/v1 signature is 72 bytes, not ${signature.length}`,
    )
  }
  const t = Buffer.from(signature.buffer, signature.byteOffset, 8).readBigUInt64BE(0)
  if (t > BigInt(Number.MAX_SAFE_INTEGER))
    throw new LedgerFormatError('malformed-cosignature', 'cosignature timestamp out of range')
  return Number(t)
}

function witnessSignerFromSeed(name: string, seed: Uint8Array): WitnessSigner {
  checkName(name)
  const privateKey = ed25519PrivateKeyObject(seed)
  const publicKey = ed25519RawPublicKey(privateKey)
  const verifier = witnessVerifier(name, publicKey)
  return Object.freeze({
    name,
    keyId: verifier.keyId,
    publicKey: verifier.publicKey,
    sign(checkpointBody: string, timestampSeconds: number): Uint8Array {
      checkTimestamp(timestampSeconds)
      // A witness only ever signs well-formed checkpoints.
      parseCheckpoint(checkpointBody)
      const ts = Buffer.alloc(8)
      ts.writeBigUInt64BE(BigInt(timestampSeconds))
      return Buffer.concat([
        ts,
        cryptoSign(null, cosignatureMessage(checkpointBody, timestampSeconds), privateKey),
      ])
    },
    verifier: () => verifier,
  })
}

/**
 * Cosigns a checkpoint body at `timestampSeconds` and returns the signature line (with its newline), ready
 * to be appended to the signed checkpoint (see `appendSignatures`).
 */
export function cosign(signer: WitnessSigner, checkpointBody: string, timestampSeconds: number): string {
  return formatSignatureLine({
    name: signer.name,
    keyId: signer.keyId,
    signature: signer.sign(checkpointBody, timestampSeconds),
  })
}

/**
 * Parses a witness signer key `PRIVATE+KEY+name+<8 hex>+base64(0x04 ‖ seed32)`. Like Go's
 * NewSignerForCosignatureV1 it also accepts an ordinary Ed25519 (0x01) signer key; either way the key ID
 * written must match the key's own type, and the resulting signer uses the type-0x04 key ID.
 */
export function parseWitnessSignerKey(skey: string): WitnessSigner {
  if (typeof skey !== 'string' || !skey.startsWith('PRIVATE+KEY+')) {
    throw new LedgerFormatError('malformed-key', 'a signer key must start with PRIVATE+KEY+')
  }
  const f = parseKeyString(skey.slice('PRIVATE+KEY+'.length), 'the witness signer key')
  if (f.type !== SignatureType.cosignatureV1 && f.type !== SignatureType.ed25519) {
    throw new LedgerFormatError(
      'unsupported-algorithm',
      `witness signer key ${f.name} is neither 0x04 nor 0x01`,
    )
  }
  if (f.key.length !== 32)
    throw new LedgerFormatError('malformed-key', `witness signer key ${f.name} does not hold a 32-byte seed`)
  const signer = witnessSignerFromSeed(f.name, f.key)
  const written = computeKeyId(f.name, Buffer.concat([Buffer.of(f.type), signer.publicKey]))
  if (written !== f.keyId) {
    throw new LedgerFormatError(
      'key-id-mismatch',
      `the key ID of witness signer key ${f.name} does not match its key`,
    )
  }
  return signer
}

/**
 * Parses a witness verifier key `name+<8 hex>+base64(0x04 ‖ pub32)`; an Ed25519 (0x01) vkey is accepted
 * too and treated as the same key used for cosignatures. The key ID written must match.
 */
export function parseWitnessVerifierKey(vkey: string): NoteVerifier {
  const f = parseKeyString(vkey, 'the witness verifier key')
  if (f.type !== SignatureType.cosignatureV1 && f.type !== SignatureType.ed25519) {
    throw new LedgerFormatError(
      'unsupported-algorithm',
      `witness verifier key ${f.name} is neither 0x04 nor 0x01`,
    )
  }
  if (computeKeyId(f.name, Buffer.concat([Buffer.of(f.type), f.key])) !== f.keyId) {
    throw new LedgerFormatError(
      'key-id-mismatch',
      `the key ID of witness verifier key ${f.name} does not match its key`,
    )
  }
  if (f.key.length !== 32)
    throw new LedgerFormatError('malformed-key', `witness verifier key ${f.name} is not 32 bytes`)
  return witnessVerifier(f.name, f.key)
}

/** The witness key strings (type 0x04) for `name` and a 32-byte seed. */
export function witnessKeyFromSeed(name: string, seed: Uint8Array): KeyPairStrings {
  const signer = witnessSignerFromSeed(name, seed)
  const id = formatKeyId(signer.keyId)
  const type = Buffer.of(SignatureType.cosignatureV1)
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${toBase64(Buffer.concat([type, seed]))}`,
    verifierKey: `${name}+${id}+${toBase64(Buffer.concat([type, signer.publicKey]))}`,
  }
}

/** Generates a fresh witness key for cosigner `name`. */
export function generateWitnessKey(name: string): KeyPairStrings {
  return witnessKeyFromSeed(name, randomBytes(32))
}

/** Converts an Ed25519 (0x01) verifier key into the cosignature (0x04) vkey of the same public key. */
export function toWitnessVerifierKey(vkey: string): string {
  const f = parseKeyString(vkey, 'the verifier key')
  if (f.type !== SignatureType.ed25519)
    throw new LedgerFormatError('unsupported-algorithm', `verifier key ${f.name} is not Ed25519 (0x01)`)
  if (computeKeyId(f.name, Buffer.concat([Buffer.of(f.type), f.key])) !== f.keyId) {
    throw new LedgerFormatError(
      'key-id-mismatch',
      `the key ID of verifier key ${f.name} does not match its key`,
    )
  }
  if (f.key.length !== 32)
    throw new LedgerFormatError('malformed-key', `verifier key ${f.name} is not 32 bytes`)
  const v = witnessVerifier(f.name, f.key)
  return `${f.name}+${formatKeyId(v.keyId)}+${toBase64(Buffer.concat([Buffer.of(SignatureType.cosignatureV1), f.key]))}`
}
