/**
 * Checks ledger entries in the browser without taking the server's word for anything: for each
 * `{log, index}` it fetches the log's latest signed checkpoint (and checks its Ed25519 signature with the
 * log's verifier key), the entry's raw leaf (hashed here, RFC 6962), and the inclusion proof of that leaf
 * in the checkpoint's tree, then recomputes the root from the leaf hash and the proof. The responsibility
 * chain's "验证" button runs this over every evidence entry of a link.
 * @module
 */
import {
  canHashLocally,
  decodeLeaf,
  leafHashOf,
  parseNote,
  verifyInclusion,
  verifyNoteSignature,
} from './ledger.js'
import type { SignatureCheck } from './ledger.js'

/** Where the checker gets its material; {@link apiLedgerSource} reads it from the platform's API. */
export interface LedgerSource {
  /** The log's verifier keys, current first (a rotated log keeps its older keys). */
  verifierKeys(log: string): Promise<string[]>
  /** The log's latest checkpoint, as the signed note. */
  checkpoint(log: string): Promise<string>
  /** The entry's leaf: base64 of its canonical JSON, as stored (null when there is none). */
  leaf(log: string, index: number): Promise<string | null>
  /** The audit path of the entry in the tree of `size` leaves (base64 hashes). */
  proof(log: string, index: number, size: number): Promise<string[]>
}

/**
 * - `ok`: the leaf hashes into the signed checkpoint's root through the proof, and the leaf says it is
 *   this log's entry at this index;
 * - `failed`: one of those does not hold (`problem` says which);
 * - `newer`: the entry is not yet covered by the latest checkpoint (try again in a moment);
 * - `error`: the material could not be fetched.
 */
export type EntryStatus = 'ok' | 'failed' | 'newer' | 'error'

export type EntryProblem = 'signature' | 'checkpoint' | 'leaf' | 'position' | 'proof'

export interface EntryCheck {
  log: string
  index: number
  status: EntryStatus
  problem: EntryProblem | null
  /** The checkpoint's signature by the log's key. */
  signature: SignatureCheck | null
  /** The size of the checkpoint the entry was proven in. */
  treeSize: number | null
  /** The event's type and time, from the leaf the browser hashed. */
  type: string | null
  time: number | null
}

interface Checkpoint {
  size: number
  root: string
  signature: SignatureCheck
}

/** Runs checks; checkpoints are fetched and their signatures checked once per log and instance. */
export class LedgerVerifier {
  private readonly checkpoints = new Map<string, Promise<Checkpoint | null>>()

  constructor(private readonly source: LedgerSource) {}

  private checkpointOf(log: string): Promise<Checkpoint | null> {
    let found = this.checkpoints.get(log)
    if (!found) {
      found = (async () => {
        const [note, keys] = await Promise.all([this.source.checkpoint(log), this.source.verifierKeys(log)])
        const parsed = parseNote(note)
        if (parsed.size === null || !parsed.root) return null
        let signature: SignatureCheck = 'missing'
        for (const key of keys) {
          const result = await verifyNoteSignature(note, key)
          if (result === 'ok' || result === 'bad') {
            signature = result
            break
          }
          if (result === 'unsupported') signature = 'unsupported'
        }
        return { size: parsed.size, root: parsed.root, signature }
      })()
      // A failed fetch is not remembered: the next check asks again.
      found.catch(() => this.checkpoints.delete(log))
      this.checkpoints.set(log, found)
    }
    return found
  }

  /** Checks one entry. Never throws: a failed fetch is the status `error`. */
  async check(ref: { log: string; index: number }): Promise<EntryCheck> {
    const result: EntryCheck = {
      log: ref.log,
      index: ref.index,
      status: 'error',
      problem: null,
      signature: null,
      treeSize: null,
      type: null,
      time: null,
    }
    const fail = (problem: EntryProblem): EntryCheck => ({ ...result, status: 'failed', problem })
    try {
      const checkpoint = await this.checkpointOf(ref.log)
      if (!checkpoint) return fail('checkpoint')
      result.signature = checkpoint.signature
      result.treeSize = checkpoint.size
      if (checkpoint.signature === 'bad' || checkpoint.signature === 'missing') return fail('signature')
      if (ref.index >= checkpoint.size) return { ...result, status: 'newer' }
      const leaf = await this.source.leaf(ref.log, ref.index)
      if (leaf === null) return fail('leaf')
      const decoded = decodeLeaf(leaf)
      if (!decoded) return fail('leaf')
      result.type = typeof decoded.type === 'string' ? decoded.type : null
      result.time = typeof decoded.time === 'number' ? decoded.time : null
      if (decoded.log !== ref.log || decoded.index !== ref.index) return fail('position')
      const leafHash = await leafHashOf(leaf)
      const proof = await this.source.proof(ref.log, ref.index, checkpoint.size)
      const ok = await verifyInclusion(leafHash, ref.index, checkpoint.size, proof, checkpoint.root)
      return ok ? { ...result, status: 'ok' } : fail('proof')
    } catch {
      return result
    }
  }
}

/** Whether this browser can check proofs at all (WebCrypto needs a secure context: https or localhost). */
export function canVerifyHere(): boolean {
  return canHashLocally()
}
