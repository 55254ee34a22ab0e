/**
 * Signing and checking checkpoints with the ledger's keys, on top of the C2SP formats: the log key
 * signs checkpoint notes under the log's origin; the witness key makes cosignature/v1 lines.
 * @module
 */
import {
  cosign,
  ed25519KeyFromSeed,
  parseSignerKey,
  parseTlogProof,
  parseVerifierKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
  signNote,
  verifyCheckpoint,
  verifyNote,
  verifyTlogProof,
  witnessKeyFromSeed,
  type NoteVerifier,
} from './formats/index.js'
import type { LedgerKeyPair } from './ledger.keys.js'
import type { LedgerLeaf, ReceiptVerification } from '../../../shared/api.js'

export type { ReceiptVerification }
import { AppError } from '../../../shared/errors.js'

export interface Signer {
  name: string
  /** `name+<hash>+<base64>`: what verifiers need. */
  verifierKey: string
  /** Signs a checkpoint body as a note. */
  signNote(body: string): string
  /** A cosignature/v1 line over a checkpoint body. */
  cosign(body: string, timestampSeconds: number): string
}

function seedOf(key: LedgerKeyPair): Buffer {
  // PKCS#8 DER of an Ed25519 key ends with the 32-byte seed.
  const der = key.privateKey.export({ format: 'der', type: 'pkcs8' })
  return der.subarray(der.length - 32)
}

/** A signer named `name`: a log key (`log`, type 0x01) or a witness key (`cosignature`, type 0x04). */
export function createSigner(name: string, key: LedgerKeyPair, kind: 'log' | 'cosignature'): Signer {
  const seed = seedOf(key)
  if (kind === 'log') {
    const strings = ed25519KeyFromSeed(name, seed)
    const signer = parseSignerKey(strings.signerKey)
    return {
      name,
      verifierKey: strings.verifierKey,
      signNote: (body) => signNote(body, [signer]),
      cosign: () => {
        throw new Error('a log key does not cosign')
      },
    }
  }
  const strings = witnessKeyFromSeed(name, seed)
  const signer = parseWitnessSignerKey(strings.signerKey)
  return {
    name,
    verifierKey: strings.verifierKey,
    signNote: () => {
      throw new Error('a witness key does not sign checkpoints')
    },
    cosign: (body, ts) => cosign(signer, body, ts),
  }
}

function verifiers(vkeys: readonly string[], parse: (k: string) => NoteVerifier): NoteVerifier[] {
  return vkeys.map((k) => {
    try {
      return parse(k)
    } catch (err) {
      throw new AppError(
        'INVALID_INPUT',
        `verifier key ${JSON.stringify(k)} is malformed: ${(err as Error).message}`,
      )
    }
  })
}

/**
 * Verifies a signed checkpoint with the log's verifier keys.
 * @throws LedgerFormatError (or AppError for malformed keys) naming what failed.
 */
export function verifyCheckpointNote(
  note: string,
  logKeys: readonly string[],
): { body: string; origin: string; size: number; root: Buffer } {
  const cp = verifyCheckpoint(note, verifiers(logKeys, parseVerifierKey))
  return { body: cp.note.text, origin: cp.origin, size: cp.size, root: Buffer.from(cp.root) }
}

/** The witness name whose key verifies `line` over `body`, or undefined. */
export function verifyCosignature(
  body: string,
  line: string,
  witnessKeys: readonly string[],
): string | undefined {
  if (witnessKeys.length === 0) return undefined
  const normalised = line.endsWith('\n') ? line : `${line}\n`
  try {
    const verified = verifyNote(`${body}\n${normalised}`, verifiers(witnessKeys, parseWitnessVerifierKey))
    return verified.verified[0]?.name
  } catch {
    return undefined
  }
}

/**
 * Verifies a c2sp.org/tlog-proof@v1 receipt offline: the checkpoint's signatures with `keys` (log keys
 * and witness keys), then the inclusion of the leaf carried in its `extra` line.
 * @throws AppError INVALID_INPUT saying what does not verify
 */
export function verifyReceipt(receipt: string, keys: readonly string[]): ReceiptVerification {
  const known: NoteVerifier[] = []
  for (const k of keys) {
    try {
      known.push(parseVerifierKey(k))
      continue
    } catch {
      // not a log key: maybe a witness key
    }
    try {
      known.push(parseWitnessVerifierKey(k))
    } catch (err) {
      throw new AppError(
        'INVALID_INPUT',
        `key ${JSON.stringify(k)} is not a verifier key: ${(err as Error).message}`,
      )
    }
  }
  try {
    const parsed = parseTlogProof(receipt)
    if (!parsed.extra)
      throw new AppError('INVALID_INPUT', 'the receipt has no "extra" line carrying the entry')
    const result = verifyTlogProof(receipt, { leafData: parsed.extra }, known)
    const leaf = JSON.parse(Buffer.from(parsed.extra).toString('utf8')) as LedgerLeaf
    if (leaf.index !== result.index)
      throw new AppError('INVALID_INPUT', `the entry says index ${leaf.index}, the proof ${result.index}`)
    return {
      log: String(leaf.log),
      origin: result.origin,
      index: result.index,
      size: result.size,
      root: Buffer.from(result.root).toString('base64'),
      leaf,
      signers: result.signers,
      cosigners: result.cosigners,
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('INVALID_INPUT', `the receipt does not verify: ${(err as Error).message}`, {
      cause: err,
    })
  }
}

/** One entry of a case's receipt file, verified. */
export interface BundleEntryVerification extends ReceiptVerification {
  type: string
}

/**
 * Verifies the receipt file of a case as `GET /api/cases/{id}/receipt` answers it and the web saves it
 * (`{caseId, keys, entries: [{log, index, type, time, receipt}]}`): every entry's tlog-proof with `keys`
 * (never with the keys the file itself carries, which whoever edited it could have replaced), and that
 * each entry's log, index and type are what its proven leaf says.
 * @throws AppError INVALID_INPUT naming the first entry that does not verify
 */
export function verifyReceiptBundle(
  text: string,
  keys: readonly string[],
): { caseId: string; entries: BundleEntryVerification[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new AppError('INVALID_INPUT', `the receipt file is not JSON: ${(err as Error).message}`)
  }
  const bundle = parsed as { caseId?: unknown; entries?: unknown }
  if (typeof bundle !== 'object' || bundle === null || !Array.isArray(bundle.entries)) {
    throw new AppError('INVALID_INPUT', 'the receipt file has no "entries" list')
  }
  if (bundle.entries.length === 0) throw new AppError('INVALID_INPUT', 'the receipt file has no entries')
  const out: BundleEntryVerification[] = []
  bundle.entries.forEach((raw: unknown, i: number) => {
    const e = raw as { log?: unknown; index?: unknown; type?: unknown; receipt?: unknown }
    if (typeof e?.receipt !== 'string') throw new AppError('INVALID_INPUT', `entry ${i}: no receipt text`)
    let r: ReceiptVerification
    try {
      r = verifyReceipt(e.receipt, keys)
    } catch (err) {
      throw new AppError(
        'INVALID_INPUT',
        `entry ${i} (log ${String(e.log)} #${String(e.index)}): ${(err as Error).message}`,
      )
    }
    const leafType = String(r.leaf.type)
    if (String(e.log) !== r.log || Number(e.index) !== r.index || String(e.type) !== leafType) {
      throw new AppError(
        'INVALID_INPUT',
        `entry ${i}: the file says ${String(e.type)} at log ${String(e.log)} #${String(e.index)}, the proven entry is ${leafType} at log ${r.log} #${r.index}`,
      )
    }
    out.push({ ...r, type: leafType })
  })
  return { caseId: typeof bundle.caseId === 'string' ? bundle.caseId : '', entries: out }
}
