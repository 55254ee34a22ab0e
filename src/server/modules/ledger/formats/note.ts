/**
 * C2SP signed-note (c2sp.org/signed-note; Go's golang.org/x/mod/sumdb/note): a UTF-8 text followed by a
 * blank line and signature lines `— <key name> base64(key ID ‖ signature)`. Checkpoints, cosignatures and
 * the checkpoint inside a tlog-proof are all signed notes.
 *
 * Keys are identified by (name, 32-bit key ID). Verification follows the spec: signatures by unknown keys
 * are ignored, a failing signature by a known key rejects the whole note, and a note with no verified
 * signature is rejected.
 * @module
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto'
import { bytesEqual, decodeUtf8, fromBase64Strict, isWellFormedString, toBase64, utf8 } from './encoding.js'
import { LedgerFormatError } from './errors.js'

/** Signature type bytes assigned by c2sp.org/signed-note (the byte hashed into a key ID). */
export const SignatureType = {
  /** Ed25519 over the note text. */
  ed25519: 0x01,
  /** ECDSA (transparency-dev/witness, Rekor v1); key ID = SHA-256(SPKI DER)[:4], not the usual formula. */
  ecdsa: 0x02,
  /** Timestamped Ed25519 witness cosignature (c2sp.org/tlog-cosignature, cosignature/v1). */
  cosignatureV1: 0x04,
  /** RFC 6962 TreeHeadSignature (static-ct-api). */
  rfc6962TreeHead: 0x05,
  /** ML-DSA-44 subtree cosignature. */
  mldsa44: 0x06,
  /** Custom types (for instance a future SM2 signature), followed by a longer identifier. */
  custom: 0xff,
} as const

/** At most this many signature lines are read (Go's limit); the spec requires accepting at least 16. */
export const MAX_NOTE_SIGNATURES = 100

/** The start of every signature line: U+2014 EM DASH and a space. */
export const SIGNATURE_PREFIX = '\u2014 '

/** The DER prefix that turns a 32-byte Ed25519 seed into a PKCS#8 private key. */
export const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
/** The DER prefix that turns a 32-byte Ed25519 public key into an SPKI public key. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Checks one signature of a note; implementations exist for Ed25519, ECDSA P-256 and cosignature/v1. */
export interface NoteVerifier {
  /** The key name, as written in signature lines. */
  readonly name: string
  /** The 32-bit key ID, as the first four bytes (big-endian) of each signature. */
  readonly keyId: number
  /** What kind of signature this key makes; cosignatures are witness statements, not log signatures. */
  readonly type: 'ed25519' | 'ecdsa' | 'cosignature/v1'
  /** The public key material (raw 32 bytes for Ed25519 kinds, SPKI DER for ECDSA), to detect duplicates. */
  readonly publicKey: Uint8Array
  /** True iff `signature` (without the key ID) is a valid signature of `message` (the note text bytes). */
  verify(message: Uint8Array, signature: Uint8Array): boolean
}

/** Produces note signatures (Ed25519). */
export interface NoteSigner {
  /** The key name. */
  readonly name: string
  /** The key ID. */
  readonly keyId: number
  /** Signs the note text bytes; returns the signature without the key ID. */
  sign(message: Uint8Array): Uint8Array
  /** The verifier of this signer's public key. */
  verifier(): NoteVerifier
}

/** One signature line of a note, decoded. */
export interface NoteSignature {
  /** The key name on the line. */
  name: string
  /** The key ID (first four bytes of the decoded base64, big-endian). */
  keyId: number
  /** The signature bytes after the key ID. */
  signature: Uint8Array
}

/** A syntactically valid note, not yet verified: its text (with the final newline) and its signatures. */
export interface ParsedNote {
  /** The signed text, including its final "\n" but not the separating blank line. */
  text: string
  /** The signature lines in order. */
  signatures: NoteSignature[]
}

/** A signature that was checked and verified with one of the caller's verifiers. */
export interface VerifiedSignature extends NoteSignature {
  /** The verifier that accepted it. */
  verifier: NoteVerifier
}

/** The result of {@link verifyNote}. */
export interface VerifiedNote {
  /** The signed text (trust it only because `verified` is non-empty). */
  text: string
  /** Signatures verified by known keys, one per key, in note order. */
  verified: VerifiedSignature[]
  /** Signatures by unknown (name, key ID) pairs, ignored; duplicates dropped. */
  unverified: NoteSignature[]
}

// Go's unicode.IsSpace: the ASCII spaces, U+0085, U+00A0 and the Unicode Zs/Zl/Zp spaces.
const NAME_SPACE_RE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/
// Every ASCII control character except the newline (C2SP forbids them anywhere in a note).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0009\u000b-\u001f]/
const HEX8_RE = /^[0-9a-fA-F]{8}$/

/** True when `name` may be a key name: non-empty, valid Unicode, no whitespace and no "+". */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && isWellFormedString(name) && !NAME_SPACE_RE.test(name) && !name.includes('+')
}

function checkKeyName(name: string): void {
  if (typeof name !== 'string' || !isValidKeyName(name)) {
    throw new LedgerFormatError(
      'malformed-key',
      `invalid key name ${JSON.stringify(name)}: it must be non-empty, without spaces or "+"`,
    )
  }
}

/**
 * The C2SP key ID: the first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ typeAndKey), where
 * `typeAndKey` is the signature type byte followed by the public key encoding.
 */
export function computeKeyId(name: string, typeAndKey: Uint8Array): number {
  return createHash('sha256').update(name, 'utf8').update('\n').update(typeAndKey).digest().readUInt32BE(0)
}

/** The eight lower-case hex digits of a key ID, as written in key strings. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0')
}

function keyIdBytes(keyId: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(keyId >>> 0)
  return b
}

/** Formats one signature line, `— <name> base64(keyID ‖ sig)\n`. */
export function formatSignatureLine(sig: NoteSignature): string {
  checkKeyName(sig.name)
  return `${SIGNATURE_PREFIX}${sig.name} ${toBase64(Buffer.concat([keyIdBytes(sig.keyId), sig.signature]))}\n`
}

function malformed(why: string): LedgerFormatError {
  return new LedgerFormatError('malformed-note', `malformed signed note: ${why}`)
}

/** Checks the note-wide rules: valid Unicode text, no control characters except newline. */
function checkNoteText(text: string, what: string): void {
  if (!isWellFormedString(text)) throw malformed(`${what} is not valid Unicode`)
  if (CONTROL_RE.test(text)) throw malformed(`${what} contains a control character other than newline`)
}

/**
 * Parses a signed note without verifying it: UTF-8 (strictly, for bytes), no control characters except
 * newline, text and signatures split at the last blank line, one to {@link MAX_NOTE_SIGNATURES} signature
 * lines each `— <valid name> <base64 of at least 5 bytes>`, and a final newline.
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let s: string
  if (typeof note === 'string') {
    s = note
  } else {
    const decoded = decodeUtf8(note)
    if (decoded === undefined) throw malformed('not valid UTF-8')
    s = decoded
  }
  checkNoteText(s, 'the note')
  // The text ends with the last "\n\n": the text keeps the first newline, the blank line separates.
  const split = s.lastIndexOf('\n\n')
  if (split < 0) throw malformed('no blank line before the signatures')
  const text = s.slice(0, split + 1)
  const block = s.slice(split + 2)
  if (block.length === 0) throw malformed('no signature lines')
  if (!block.endsWith('\n')) throw malformed('the last signature line does not end with a newline')
  const lines = block.slice(0, -1).split('\n')
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new LedgerFormatError(
      'too-many-signatures',
      `the note has ${lines.length} signature lines; at most ${MAX_NOTE_SIGNATURES} are accepted`,
    )
  }
  const signatures = lines.map((line, i) => {
    if (!line.startsWith(SIGNATURE_PREFIX))
      throw malformed(`signature line ${i + 1} does not start with "— "`)
    const rest = line.slice(SIGNATURE_PREFIX.length)
    // The name ends at the first space (names cannot contain one); the rest must be exactly the base64.
    const space = rest.indexOf(' ')
    if (space < 0) throw malformed(`signature line ${i + 1} has no signature after the key name`)
    const name = rest.slice(0, space)
    if (!isValidKeyName(name)) throw malformed(`signature line ${i + 1} has an invalid key name`)
    const bytes = fromBase64Strict(rest.slice(space + 1))
    if (bytes === undefined) throw malformed(`signature line ${i + 1} is not valid base64`)
    if (bytes.length < 5) throw malformed(`signature line ${i + 1} is too short for a key ID and a signature`)
    return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) }
  })
  return { text, signatures }
}

function checkNoteBody(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('the text must end with a newline')
  checkNoteText(text, 'the text')
}

/** Signs `text` (which must end in "\n") with each signer and returns the signed note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkNoteBody(text)
  if (signers.length === 0)
    throw new LedgerFormatError('invalid-argument', 'a note needs at least one signer')
  if (signers.length > MAX_NOTE_SIGNATURES) {
    throw new LedgerFormatError(
      'too-many-signatures',
      `at most ${MAX_NOTE_SIGNATURES} signatures fit on a note`,
    )
  }
  const message = utf8(text)
  const lines = signers.map((s) =>
    formatSignatureLine({ name: s.name, keyId: s.keyId, signature: s.sign(message) }),
  )
  return `${text}\n${lines.join('')}`
}

/**
 * Appends signature lines (as made by {@link formatSignatureLine} or a cosigner) to a signed note after
 * checking the note's syntax; the note must stay within {@link MAX_NOTE_SIGNATURES}.
 */
export function appendSignatures(note: string, lines: readonly string[]): string {
  const parsed = parseNote(note)
  const added = lines.join('')
  const result = `${note}${added}`
  // Re-parse so that a malformed line (or one too many) is caught here, not by the next reader.
  const reparsed = parseNote(result)
  if (reparsed.text !== parsed.text) throw malformed('the added lines change the note text')
  return result
}

/**
 * A lookup of verifiers by (name, key ID). Two verifiers with the same pair but different keys are an
 * error (`ambiguous-verifier`); adding the same key twice is harmless.
 */
export class VerifierSet {
  readonly #byId = new Map<string, NoteVerifier>()

  /** @param verifiers the trusted keys */
  constructor(verifiers: Iterable<NoteVerifier> = []) {
    for (const v of verifiers) this.add(v)
  }

  /** Adds a trusted key. */
  add(verifier: NoteVerifier): void {
    const key = `${verifier.name}\n${verifier.keyId}`
    const existing = this.#byId.get(key)
    if (existing !== undefined) {
      if (existing.type === verifier.type && bytesEqual(existing.publicKey, verifier.publicKey)) return
      throw new LedgerFormatError(
        'ambiguous-verifier',
        `two different keys are named ${verifier.name} with key ID ${formatKeyId(verifier.keyId)}`,
      )
    }
    this.#byId.set(key, verifier)
  }

  /** The verifier for (name, key ID), if trusted. */
  get(name: string, keyId: number): NoteVerifier | undefined {
    return this.#byId.get(`${name}\n${keyId}`)
  }

  /** All trusted keys. */
  values(): NoteVerifier[] {
    return [...this.#byId.values()]
  }
}

/**
 * Verifies a signed note against trusted keys. Throws `malformed-note`/`too-many-signatures` for syntax
 * errors, `invalid-signature` if any signature by a known key fails (every such line is checked, including
 * repeats), and `no-verified-signature` if no known key signed it.
 */
export function verifyNote(
  note: string | Uint8Array,
  verifiers: VerifierSet | Iterable<NoteVerifier>,
): VerifiedNote {
  const known = verifiers instanceof VerifierSet ? verifiers : new VerifierSet(verifiers)
  const parsed = parseNote(note)
  const message = utf8(parsed.text)
  const verified: VerifiedSignature[] = []
  const unverified: NoteSignature[] = []
  const seen = new Set<string>()
  for (const sig of parsed.signatures) {
    const verifier = known.get(sig.name, sig.keyId)
    const id = `${sig.name}\n${sig.keyId}`
    if (verifier === undefined) {
      // Unknown keys are ignored (even when they share a name or an ID with a known key).
      const line = `${id}\n${toBase64(sig.signature)}`
      if (!seen.has(line)) {
        seen.add(line)
        unverified.push(sig)
      }
      continue
    }
    if (!verifier.verify(message, sig.signature)) {
      throw new LedgerFormatError(
        'invalid-signature',
        `the signature of ${sig.name} (key ID ${formatKeyId(sig.keyId)}) does not verify`,
      )
    }
    if (!seen.has(id)) {
      seen.add(id)
      verified.push({ ...sig, verifier })
    }
  }
  if (verified.length === 0) {
    throw new LedgerFormatError('no-verified-signature', 'the note carries no signature from a trusted key')
  }
  return { text: parsed.text, verified, unverified }
}

// ---------------------------------------------------------------------------------------------------------
// Ed25519 keys and key strings

/** An Ed25519 public key object from its 32 raw bytes. */
export function ed25519PublicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new LedgerFormatError('malformed-key', 'an Ed25519 public key is 32 bytes')
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
}

/** An Ed25519 private key object from its 32-byte seed. */
export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new LedgerFormatError('malformed-key', 'an Ed25519 seed is 32 bytes')
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

/** The 32 raw public-key bytes of an Ed25519 key object (public or private). */
export function ed25519RawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  const der = pub.export({ format: 'der', type: 'spki' })
  return der.subarray(der.length - 32)
}

/** Ed25519 verification that never throws (wrong lengths are just invalid). */
export function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false
  try {
    return cryptoVerify(null, message, key, signature)
  } catch {
    return false
  }
}

/** An Ed25519 note verifier for `name` and a raw 32-byte public key, with the C2SP type-0x01 key ID. */
export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkKeyName(name)
  const key = ed25519PublicKeyObject(publicKey)
  const raw = Uint8Array.from(publicKey)
  return Object.freeze({
    name,
    keyId: computeKeyId(name, Buffer.concat([Buffer.of(SignatureType.ed25519), raw])),
    type: 'ed25519' as const,
    publicKey: raw,
    verify: (message: Uint8Array, signature: Uint8Array) => ed25519Verify(key, message, signature),
  })
}

function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  const privateKey = ed25519PrivateKeyObject(seed)
  const verifier = ed25519Verifier(name, ed25519RawPublicKey(privateKey))
  return Object.freeze({
    name,
    keyId: verifier.keyId,
    sign: (message: Uint8Array) => cryptoSign(null, message, privateKey),
    verifier: () => verifier,
  })
}

/** Splits a key string at its first `count` "+" signs (the base64 at the end may itself contain "+"). */
function splitKey(text: string, count: number): string[] | undefined {
  const parts: string[] = []
  let rest = text
  for (let i = 0; i < count; i++) {
    const plus = rest.indexOf('+')
    if (plus < 0) return undefined
    parts.push(rest.slice(0, plus))
    rest = rest.slice(plus + 1)
  }
  parts.push(rest)
  return parts
}

/** The fields of a key string `name+<8 hex>+base64(type ‖ key)`, checked for syntax only. */
export interface KeyStringFields {
  /** The key name. */
  name: string
  /** The key ID written in the string. */
  keyId: number
  /** The signature type byte. */
  type: number
  /** The key material after the type byte. */
  key: Buffer
}

/**
 * Parses the syntax of a verifier key string (or, with `isPrivate`, of the part of a signer key after
 * "PRIVATE+KEY+"), without checking the key ID against the key. `what` names the key in errors; private
 * key strings are never echoed into messages.
 */
export function parseKeyString(text: string, what: string): KeyStringFields {
  const parts = typeof text === 'string' ? splitKey(text, 2) : undefined
  if (parts === undefined)
    throw new LedgerFormatError('malformed-key', `${what} must look like name+<8 hex>+<base64>`)
  const [name, hex, b64] = parts as [string, string, string]
  if (!isValidKeyName(name)) throw new LedgerFormatError('malformed-key', `${what} has an invalid key name`)
  if (!HEX8_RE.test(hex))
    throw new LedgerFormatError('malformed-key', `${what} needs a key ID of 8 hex digits`)
  const bytes = fromBase64Strict(b64)
  if (bytes === undefined || bytes.length < 1) {
    throw new LedgerFormatError('malformed-key', `${what} has no valid base64 key after the key ID`)
  }
  return { name, keyId: parseInt(hex, 16), type: bytes[0]!, key: bytes.subarray(1) }
}

/**
 * Parses an Ed25519 verifier key `name+<8 hex>+base64(0x01 ‖ pub32)`, checking the key ID. Throws
 * `malformed-key`, `key-id-mismatch` or `unsupported-algorithm` (cosignature keys, type 0x04, are read by
 * `parseWitnessVerifierKey`).
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const f = parseKeyString(vkey, 'the verifier key')
  if (computeKeyId(f.name, Buffer.concat([Buffer.of(f.type), f.key])) !== f.keyId) {
    throw new LedgerFormatError(
      'key-id-mismatch',
      `the key ID of verifier key ${f.name} does not match its key`,
    )
  }
  if (f.type !== SignatureType.ed25519) {
    throw new LedgerFormatError(
      'unsupported-algorithm',
      `verifier key ${f.name} has signature type 0x${f.type.toString(16).padStart(2, '0')}; only Ed25519 (0x01) is read here`,
    )
  }
  if (f.key.length !== 32)
    throw new LedgerFormatError('malformed-key', `verifier key ${f.name} is not 32 bytes`)
  return ed25519Verifier(f.name, f.key)
}

/** Formats an Ed25519 verifier key string. */
export function formatVerifierKey(verifier: NoteVerifier): string {
  const type = verifier.type === 'cosignature/v1' ? SignatureType.cosignatureV1 : SignatureType.ed25519
  if (verifier.type === 'ecdsa')
    throw new LedgerFormatError('unsupported-algorithm', 'ECDSA keys have no vkey form')
  return `${verifier.name}+${formatKeyId(verifier.keyId)}+${toBase64(Buffer.concat([Buffer.of(type), verifier.publicKey]))}`
}

/**
 * Parses a Go-style Ed25519 signer key `PRIVATE+KEY+name+<8 hex>+base64(0x01 ‖ seed32)`, checking that
 * the key ID matches the derived public key. Errors never include the key material.
 */
export function parseSignerKey(skey: string): NoteSigner {
  if (typeof skey !== 'string' || !skey.startsWith('PRIVATE+KEY+')) {
    throw new LedgerFormatError('malformed-key', 'a signer key must start with PRIVATE+KEY+')
  }
  const f = parseKeyString(skey.slice('PRIVATE+KEY+'.length), 'the signer key')
  if (f.type !== SignatureType.ed25519) {
    throw new LedgerFormatError('unsupported-algorithm', `signer key ${f.name} is not an Ed25519 (0x01) key`)
  }
  if (f.key.length !== 32)
    throw new LedgerFormatError('malformed-key', `signer key ${f.name} does not hold a 32-byte seed`)
  const signer = ed25519Signer(f.name, f.key)
  if (signer.keyId !== f.keyId) {
    throw new LedgerFormatError(
      'key-id-mismatch',
      `the key ID of signer key ${f.name} does not match its key`,
    )
  }
  return signer
}

/** A signer key string and the matching verifier key string. */
export interface KeyPairStrings {
  /** `PRIVATE+KEY+name+<8 hex>+base64(type ‖ seed)`: secret. */
  signerKey: string
  /** `name+<8 hex>+base64(type ‖ public key)`: publishable. */
  verifierKey: string
}

/** The Ed25519 key strings for `name` and a 32-byte seed (deterministic; see {@link generateKey}). */
export function ed25519KeyFromSeed(name: string, seed: Uint8Array): KeyPairStrings {
  checkKeyName(name)
  const signer = ed25519Signer(name, seed)
  const id = formatKeyId(signer.keyId)
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${toBase64(Buffer.concat([Buffer.of(SignatureType.ed25519), seed]))}`,
    verifierKey: formatVerifierKey(signer.verifier()),
  }
}

/** Generates a fresh Ed25519 key for `name` (the log's origin, for a log key). */
export function generateKey(name: string): KeyPairStrings {
  return ed25519KeyFromSeed(name, randomBytes(32))
}

/**
 * A verifier from a public key in PEM or SPKI DER form (or a KeyObject), as Sigstore publishes log keys:
 * Ed25519 keys get the C2SP type-0x01 key ID; ECDSA P-256 keys get the type-0x02 key ID, SHA-256(SPKI
 * DER)[:4], and verify ASN.1 DER ECDSA-SHA256 signatures (Rekor v1 checkpoints).
 */
export function publicKeyVerifier(name: string, publicKey: string | Uint8Array | KeyObject): NoteVerifier {
  checkKeyName(name)
  let key: KeyObject
  try {
    if (typeof publicKey === 'string') key = createPublicKey(publicKey)
    else if (publicKey instanceof Uint8Array)
      key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' })
    else key = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey
  } catch (e) {
    throw new LedgerFormatError(
      'malformed-key',
      `public key for ${name} is not a PEM or SPKI DER key: ${(e as Error).message}`,
    )
  }
  if (key.asymmetricKeyType === 'ed25519') return ed25519Verifier(name, ed25519RawPublicKey(key))
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    const spki = key.export({ format: 'der', type: 'spki' })
    return Object.freeze({
      name,
      keyId: createHash('sha256').update(spki).digest().readUInt32BE(0),
      type: 'ecdsa' as const,
      publicKey: Uint8Array.from(spki),
      verify(message: Uint8Array, signature: Uint8Array): boolean {
        try {
          return cryptoVerify('sha256', message, { key, dsaEncoding: 'der' }, signature)
        } catch {
          return false
        }
      },
    })
  }
  throw new LedgerFormatError(
    'unsupported-algorithm',
    `public key for ${name} is ${key.asymmetricKeyType ?? 'unknown'}; only Ed25519 and ECDSA P-256 are supported`,
  )
}
