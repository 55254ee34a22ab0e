/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text a log signs to commit to a tree head.
 *
 *     <origin>\n<tree size>\n<base64 root>\n[<extension line>\n]*
 *
 * Parsing is strict: the origin is non-empty, the size is decimal with no leading zeros, the root is
 * canonical base64 of exactly 32 bytes, and extension lines are non-empty. (transparency-dev/formats is
 * lenient about the hash length and empty trailing lines; the vectors' `strict_overrides` record where we
 * differ on purpose.)
 * @module
 */
import { decodeBase64, HASH_SIZE, isWellFormedString, parseDecimal, toBase64 } from './encoding.js'
import { LedgerFormatError } from './errors.js'
import { type NoteVerifier, type VerifiedNote, type VerifierSet, verifyNote } from './note.js'

/** A checkpoint body: the tree head of a log. */
export interface Checkpoint {
  /** The log's unique identity, ideally a schema-less URL; the log key's name should equal it. */
  origin: string
  /** Number of leaves (at most 2^53 − 1 here). */
  size: number
  /** RFC 6962 root of the tree of `size` leaves (32 bytes). */
  root: Uint8Array
  /** Optional opaque extension lines, without their newlines (discouraged by the spec). */
  extensions?: string[]
}

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f]/

function malformed(why: string): LedgerFormatError {
  return new LedgerFormatError('malformed-checkpoint', `malformed checkpoint: ${why}`)
}

function checkLine(line: string, what: string): void {
  if (!isWellFormedString(line)) throw malformed(`${what} is not valid Unicode`)
  if (CONTROL_RE.test(line)) throw malformed(`${what} contains a control character`)
}

/** Formats a checkpoint body (the note text to sign), validating every field as {@link parseCheckpoint} would. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint
  if (typeof origin !== 'string' || origin.length === 0) throw malformed('the origin is empty')
  checkLine(origin, 'the origin')
  if (!Number.isSafeInteger(size) || size < 0)
    throw malformed(`the tree size ${String(size)} is not an integer in [0, 2^53 − 1]`)
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE)
    throw malformed('the root hash is not 32 bytes')
  for (const [i, ext] of extensions.entries()) {
    if (typeof ext !== 'string' || ext.length === 0) throw malformed(`extension line ${i + 1} is empty`)
    checkLine(ext, `extension line ${i + 1}`)
  }
  return [origin, String(size), toBase64(root), ...extensions].map((line) => `${line}\n`).join('')
}

/** Parses a checkpoint body strictly (see the module comment); throws `malformed-checkpoint`. */
export function parseCheckpoint(text: string): Checkpoint & { extensions: string[] } {
  if (typeof text !== 'string') throw malformed('not a string')
  if (!text.endsWith('\n')) throw malformed('the text does not end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines.length < 3) throw malformed('fewer than three lines (origin, size, root)')
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]]
  if (origin.length === 0) throw malformed('the origin line is empty')
  checkLine(origin, 'the origin')
  const size = parseDecimal(sizeText)
  if (size === undefined) {
    throw malformed(
      `the tree size ${JSON.stringify(sizeText)} is not a decimal in [0, 2^53 − 1] without leading zeros`,
    )
  }
  const root = decodeBase64(rootText, 'malformed-checkpoint', 'the root hash')
  if (root.length !== HASH_SIZE) throw malformed(`the root hash is ${root.length} bytes, not ${HASH_SIZE}`)
  for (const [i, ext] of extensions.entries()) {
    if (ext.length === 0) throw malformed(`extension line ${i + 1} is empty`)
    checkLine(ext, `extension line ${i + 1}`)
  }
  return { origin, size, root: Uint8Array.from(root), extensions }
}

/** A checkpoint whose note signatures were verified. */
export interface VerifiedCheckpoint extends Checkpoint {
  /** Extension lines (possibly empty). */
  extensions: string[]
  /** The verified note (text, verified and ignored signatures). */
  note: VerifiedNote
  /** Names of the verified log signatures (Ed25519 or ECDSA keys). */
  signers: string[]
  /** Names of the verified witness cosignatures (cosignature/v1 keys). */
  cosigners: string[]
}

/** Options of {@link verifyCheckpoint}. */
export interface VerifyCheckpointOptions {
  /** When set, the checkpoint's origin must equal it. */
  origin?: string
}

/**
 * Verifies a signed checkpoint: the note's signatures (see `verifyNote`), then the body. At least one
 * verified signature must come from a log key (Ed25519 or ECDSA), not only from witnesses, since a
 * cosignature states consistency but does not stand in for the log's own commitment.
 */
export function verifyCheckpoint(
  signedNote: string | Uint8Array,
  verifiers: VerifierSet | Iterable<NoteVerifier>,
  options: VerifyCheckpointOptions = {},
): VerifiedCheckpoint {
  const note = verifyNote(signedNote, verifiers)
  const checkpoint = parseCheckpoint(note.text)
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new LedgerFormatError(
      'untrusted-checkpoint',
      `the checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(options.origin)}`,
    )
  }
  const signers = note.verified.filter((s) => s.verifier.type !== 'cosignature/v1').map((s) => s.name)
  const cosigners = note.verified.filter((s) => s.verifier.type === 'cosignature/v1').map((s) => s.name)
  if (signers.length === 0) {
    throw new LedgerFormatError(
      'untrusted-checkpoint',
      'the checkpoint carries witness cosignatures but no trusted log signature',
    )
  }
  return { ...checkpoint, note, signers, cosigners }
}
