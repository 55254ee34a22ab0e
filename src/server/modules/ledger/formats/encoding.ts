/**
 * Small byte and text helpers shared by the format parsers. The C2SP formats are strict about encodings
 * (standard base64 with padding, decimal without leading zeros, valid UTF-8), while Node's own decoders are
 * lenient (Buffer.from(s, 'base64') silently skips bad characters), so everything that parses untrusted
 * input goes through the strict helpers here.
 * @module
 */
import { LedgerFormatError, type LedgerErrorCode } from './errors.js'

/** Size in bytes of every hash in the ledger (SHA-256, or SM3 for an SM3 tree). */
export const HASH_SIZE = 32

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const DECIMAL_RE = /^(?:0|[1-9][0-9]*)$/
/** A lone (unpaired) UTF-16 surrogate: a JS string containing one has no UTF-8 encoding. */
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

/** Standard (RFC 4648 §4) base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/**
 * Decodes standard base64 strictly: only the RFC 4648 §4 alphabet, correct padding, and the canonical form
 * (unused low bits of the last character must be zero), so every byte string has exactly one accepted
 * text. Returns `undefined` when `text` is not such an encoding.
 */
export function fromBase64Strict(text: string): Buffer | undefined {
  if (!BASE64_RE.test(text)) return undefined
  const bytes = Buffer.from(text, 'base64')
  // Re-encoding catches non-zero padding bits ("YQ==" vs "YR=="), which Node would silently accept.
  return bytes.toString('base64') === text ? bytes : undefined
}

/** Like {@link fromBase64Strict} but throws a {@link LedgerFormatError} with `code` and `what` in the message. */
export function decodeBase64(text: string, code: LedgerErrorCode, what: string): Buffer {
  const bytes = fromBase64Strict(text)
  if (bytes === undefined) throw new LedgerFormatError(code, `${what} is not valid standard base64`)
  return bytes
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/**
 * Parses an ASCII decimal with no leading zeros (except "0" itself), as checkpoints and proofs require, up
 * to `Number.MAX_SAFE_INTEGER` (2^53 − 1, the largest tree size this library handles). Returns `undefined`
 * on anything else (signs, spaces, leading zeros, overflow).
 */
export function parseDecimal(text: string): number | undefined {
  // 16 digits is the length of MAX_SAFE_INTEGER; longer strings cannot be in range.
  if (text.length > 16 || !DECIMAL_RE.test(text)) return undefined
  const n = Number(text)
  return n <= Number.MAX_SAFE_INTEGER ? n : undefined
}

/** Byte-wise equality (not constant-time: only used on public values such as hashes). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** True when `value` is a byte array of exactly {@link HASH_SIZE} bytes. */
export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE
}

/** Throws `invalid-hash` unless `value` is a 32-byte array; `what` names it in the message. */
export function assertHash(value: unknown, what: string): asserts value is Uint8Array {
  if (!isHash(value)) {
    const got = value instanceof Uint8Array ? `${value.length} bytes` : typeof value
    throw new LedgerFormatError('invalid-hash', `${what} must be a ${HASH_SIZE}-byte hash (got ${got})`)
  }
}

/** True when `text` is a JS string that can be encoded as UTF-8 (no lone surrogates). */
export function isWellFormedString(text: string): boolean {
  return !LONE_SURROGATE_RE.test(text)
}

/** UTF-8 encoding of a string (callers check {@link isWellFormedString} first where it matters). */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text)
}

/** Decodes UTF-8 strictly (invalid sequences are an error, a leading BOM is kept); `undefined` if invalid. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    return undefined
  }
}

/** Concatenates byte arrays into one Buffer. */
export function concatBytes(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts)
}
