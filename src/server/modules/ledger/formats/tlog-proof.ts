/**
 * c2sp.org/tlog-proof@v1: an offline-verifiable receipt that an entry is in a log.
 *
 *     c2sp.org/tlog-proof@v1
 *     [extra <base64>]
 *     index <N>
 *     <base64 audit-path hash>*        (leaf level upward, 32 bytes each)
 *     <empty line>
 *     <signed checkpoint, verbatim, with any cosignatures>
 *
 * Verifying one needs only the leaf (or its hash) and the trusted keys: the checkpoint's signatures are
 * checked, then the audit path against its root. The extra data is not authenticated.
 * @module
 */
import { type VerifiedCheckpoint, verifyCheckpoint } from './checkpoint.js'
import {
  decodeUtf8,
  fromBase64Strict,
  HASH_SIZE,
  isHash,
  isWellFormedString,
  parseDecimal,
  toBase64,
} from './encoding.js'
import { LedgerFormatError } from './errors.js'
import { hashLeaf, verifyInclusion } from './merkle.js'
import type { NoteVerifier, VerifierSet } from './note.js'

/** The first line of every proof. */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1'

/** No audit path for a tree of at most 2^64 leaves is longer; longer inputs are rejected unread. */
const MAX_PROOF_HASHES = 64

/** The fields of a tlog-proof. */
export interface TlogProof {
  /** Zero-based index of the entry. */
  index: number
  /** The RFC 6962 audit path, leaf level upward (32-byte hashes). */
  proof: Uint8Array[]
  /** The signed checkpoint note, verbatim (ends with "\n"). */
  checkpointNote: string
  /** Optional unauthenticated application data. */
  extra?: Uint8Array
}

function malformed(why: string): LedgerFormatError {
  return new LedgerFormatError('malformed-proof', `malformed tlog-proof: ${why}`)
}

/** Formats a tlog-proof text. */
export function formatTlogProof(proof: TlogProof): string {
  const { index, proof: path, checkpointNote, extra } = proof
  if (!Number.isSafeInteger(index) || index < 0)
    throw malformed(`index ${String(index)} is not an integer in [0, 2^53 − 1]`)
  if (path.length > MAX_PROOF_HASHES) throw malformed(`more than ${MAX_PROOF_HASHES} proof hashes`)
  for (const [i, h] of path.entries())
    if (!isHash(h)) throw malformed(`proof hash ${i} is not ${HASH_SIZE} bytes`)
  if (typeof checkpointNote !== 'string' || checkpointNote.length === 0 || !checkpointNote.endsWith('\n')) {
    throw malformed('the checkpoint must be a non-empty note ending with a newline')
  }
  const lines = [TLOG_PROOF_HEADER]
  if (extra !== undefined) lines.push(`extra ${toBase64(extra)}`)
  lines.push(`index ${index}`)
  for (const h of path) lines.push(toBase64(h))
  return `${lines.join('\n')}\n\n${checkpointNote}`
}

/**
 * Parses a tlog-proof strictly: exact header, optional `extra` in canonical base64, `index` in decimal
 * without leading zeros, hashes of exactly 32 bytes in canonical base64, an empty line, and a non-empty
 * checkpoint ending with a newline. The checkpoint is returned verbatim and not yet verified.
 */
export function parseTlogProof(text: string | Uint8Array): TlogProof {
  let s: string
  if (typeof text === 'string') {
    if (!isWellFormedString(text)) throw malformed('not valid Unicode')
    s = text
  } else {
    const decoded = decodeUtf8(text)
    if (decoded === undefined) throw malformed('not valid UTF-8')
    s = decoded
  }
  let pos = 0
  // Reads the next line (without its newline); undefined when no complete line is left.
  const nextLine = (): string | undefined => {
    const nl = s.indexOf('\n', pos)
    if (nl < 0) return undefined
    const line = s.slice(pos, nl)
    pos = nl + 1
    return line
  }
  if (nextLine() !== TLOG_PROOF_HEADER) throw malformed(`the first line must be ${TLOG_PROOF_HEADER}`)
  let line = nextLine()
  let extra: Uint8Array | undefined
  if (line?.startsWith('extra ')) {
    const bytes = fromBase64Strict(line.slice('extra '.length))
    if (bytes === undefined) throw malformed('the extra data is not valid base64')
    extra = Uint8Array.from(bytes)
    line = nextLine()
  }
  if (line === undefined || !line.startsWith('index ')) throw malformed('missing the "index N" line')
  const index = parseDecimal(line.slice('index '.length))
  if (index === undefined)
    throw malformed('the index is not a decimal in [0, 2^53 − 1] without leading zeros')
  const proof: Uint8Array[] = []
  for (;;) {
    line = nextLine()
    if (line === undefined) throw malformed('no empty line before the checkpoint')
    if (line === '') break
    if (proof.length === MAX_PROOF_HASHES) throw malformed(`more than ${MAX_PROOF_HASHES} proof hashes`)
    const hash = fromBase64Strict(line)
    if (hash === undefined) throw malformed(`proof hash ${proof.length} is not valid base64`)
    if (hash.length !== HASH_SIZE)
      throw malformed(`proof hash ${proof.length} is ${hash.length} bytes, not ${HASH_SIZE}`)
    proof.push(Uint8Array.from(hash))
  }
  const checkpointNote = s.slice(pos)
  if (checkpointNote.length === 0) throw malformed('the checkpoint is missing')
  if (!checkpointNote.endsWith('\n')) throw malformed('the checkpoint does not end with a newline')
  return extra === undefined ? { index, proof, checkpointNote } : { index, proof, checkpointNote, extra }
}

/** What a verified proof establishes. */
export interface VerifiedTlogProof {
  /** The log's origin (from the checkpoint). */
  origin: string
  /** The checkpoint's tree size. */
  size: number
  /** The checkpoint's root hash. */
  root: Uint8Array
  /** The entry's index. */
  index: number
  /** Names of the trusted log keys that signed the checkpoint. */
  signers: string[]
  /** Names of the trusted witnesses whose cosignatures verified. */
  cosigners: string[]
  /** The unauthenticated extra data, if any. */
  extra?: Uint8Array
  /** The verified checkpoint with its note. */
  checkpoint: VerifiedCheckpoint
}

/** Options of {@link verifyTlogProof}. */
export interface VerifyTlogProofOptions {
  /** The checkpoint origin the proof must be for. */
  origin?: string
  /** Minimum number of verified witness cosignatures (default 0). */
  minCosigners?: number
}

/** The entry a proof is about: its data (hashed as an RFC 6962 leaf) or its leaf hash. */
export type ProvenLeaf = { leafData: Uint8Array } | { leafHash: Uint8Array }

/**
 * Verifies a tlog-proof offline: parses it, verifies the checkpoint note with `verifiers` (at least one log
 * signature; witness cosignatures are counted), parses the checkpoint, and checks the audit path of the
 * leaf against the checkpoint's root. Throws a {@link LedgerFormatError} saying which step failed.
 */
export function verifyTlogProof(
  text: string | Uint8Array,
  leaf: ProvenLeaf,
  verifiers: VerifierSet | Iterable<NoteVerifier>,
  options: VerifyTlogProofOptions = {},
): VerifiedTlogProof {
  const parsed = parseTlogProof(text)
  const checkpoint = verifyCheckpoint(
    parsed.checkpointNote,
    verifiers,
    options.origin === undefined ? {} : { origin: options.origin },
  )
  const minCosigners = options.minCosigners ?? 0
  if (checkpoint.cosigners.length < minCosigners) {
    throw new LedgerFormatError(
      'untrusted-checkpoint',
      `the checkpoint has ${checkpoint.cosigners.length} trusted cosignatures; ${minCosigners} are required`,
    )
  }
  let leafHash: Uint8Array
  if ('leafHash' in leaf) {
    if (!isHash(leaf.leafHash))
      throw new LedgerFormatError('invalid-hash', `the leaf hash must be ${HASH_SIZE} bytes`)
    leafHash = leaf.leafHash
  } else {
    leafHash = hashLeaf(leaf.leafData)
  }
  if (parsed.index >= checkpoint.size) {
    throw new LedgerFormatError(
      'proof-failed',
      `entry index ${parsed.index} is not in a tree of size ${checkpoint.size}`,
    )
  }
  if (!verifyInclusion(parsed.index, checkpoint.size, leafHash, parsed.proof, checkpoint.root)) {
    throw new LedgerFormatError(
      'proof-failed',
      `the audit path does not prove this leaf at index ${parsed.index} in the tree of size ${checkpoint.size}`,
    )
  }
  const result: VerifiedTlogProof = {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: checkpoint.root,
    index: parsed.index,
    signers: checkpoint.signers,
    cosigners: checkpoint.cosigners,
    checkpoint,
  }
  if (parsed.extra !== undefined) result.extra = parsed.extra
  return result
}
