/**
 * The single error type of the ledger format library. Every parser and verifier in this folder throws a
 * {@link LedgerFormatError} whose `code` says what kind of input was wrong, so callers (the HTTP layer, the
 * CLI verifier) can map failures without parsing messages.
 * @module
 */

/** Machine-readable reasons a ledger format operation failed. */
export type LedgerErrorCode =
  /** An argument is out of range or of the wrong shape (a programming error rather than bad input). */
  | 'invalid-argument'
  /** A hash is not exactly 32 bytes. */
  | 'invalid-hash'
  /** A signed note breaks the C2SP signed-note syntax. */
  | 'malformed-note'
  /** A note carries more signature lines than we are willing to check (Go's limit, 100). */
  | 'too-many-signatures'
  /** A signature from a known key failed to verify: the whole note is rejected. */
  | 'invalid-signature'
  /** No signature from a known key was found on a note. */
  | 'no-verified-signature'
  /** A verifier or signer key string is malformed. */
  | 'malformed-key'
  /** The key ID written in a key string does not match the one computed from the key. */
  | 'key-id-mismatch'
  /** The key uses a signature algorithm this library does not implement. */
  | 'unsupported-algorithm'
  /** Two different verifiers claim the same (name, key ID) pair. */
  | 'ambiguous-verifier'
  /** A checkpoint body breaks the C2SP tlog-checkpoint syntax. */
  | 'malformed-checkpoint'
  /** A checkpoint was signed only by witnesses, or not under the expected origin. */
  | 'untrusted-checkpoint'
  /** A cosignature/v1 signature is malformed. */
  | 'malformed-cosignature'
  /** A c2sp.org/tlog-proof@v1 text is malformed. */
  | 'malformed-proof'
  /** A Merkle inclusion or consistency proof does not verify. */
  | 'proof-failed'
  /** A tlog-tiles path is malformed. */
  | 'malformed-tile-path'
  /** An entry bundle is malformed, or an entry is too large for one. */
  | 'malformed-bundle'
  /** A value cannot be represented as RFC 8785 canonical JSON. */
  | 'invalid-json'

/** Thrown by every function of the ledger format library on bad input; `code` classifies the failure. */
export class LedgerFormatError extends Error {
  /** What kind of failure this is (stable; safe to branch on). */
  readonly code: LedgerErrorCode

  /**
   * @param code the failure class
   * @param message a human-readable explanation naming the offending part of the input
   */
  constructor(code: LedgerErrorCode, message: string) {
    super(message)
    this.name = 'LedgerFormatError'
    this.code = code
  }
}
