/**
 * RFC 8785 (JCS) canonical JSON, the byte form of every ledger leaf, and salted commitments for personal
 * data: a leaf never holds a personal value, only base64(SHA-256(salt ‖ JCS(value))). Destroying the salt
 * "crypto-shreds" the value (it can no longer be confirmed by guessing) without touching the tree.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import canonicalizeModule from 'canonicalize'
import { fromBase64Strict, isWellFormedString, toBase64, utf8 } from './encoding.js'
import { LedgerFormatError } from './errors.js'

type Serialize = (input: unknown) => string | undefined
// `canonicalize` is CommonJS whose typings declare an ES default export: under NodeNext, TypeScript types the
// default import as the module namespace while Node hands over module.exports (the function). Accept both.
const canonicalize: Serialize =
  (canonicalizeModule as unknown as { default?: Serialize }).default ??
  (canonicalizeModule as unknown as Serialize)

/** Bytes of salt {@link newSalt} makes, and the minimum {@link commitment} accepts. */
export const SALT_SIZE = 16

/** Values that have a canonical JSON form. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

function invalid(path: string, why: string): LedgerFormatError {
  return new LedgerFormatError('invalid-json', `cannot canonicalize ${path}: ${why}`)
}

/**
 * Rejects what JSON.stringify would silently drop or alter: undefined (also in arrays and object
 * properties, and array holes), functions, symbols, bigints, NaN/±Infinity, strings with lone surrogates
 * (no UTF-8 form), cycles, and objects that are not plain (Date, Map, class instances), which would
 * otherwise serialize through toJSON or as {}.
 */
function check(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (!isWellFormedString(value)) throw invalid(path, 'a string contains a lone UTF-16 surrogate')
      return
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${value} is not a finite number`)
      return
    case 'boolean':
      return
    case 'undefined':
      throw invalid(path, 'undefined has no JSON form')
    case 'function':
      throw invalid(path, 'a function has no JSON form')
    case 'symbol':
      throw invalid(path, 'a symbol has no JSON form')
    case 'bigint':
      throw invalid(path, 'a bigint has no JSON form (use a string or a safe integer)')
    case 'object': {
      if (value === null) return
      if (ancestors.has(value)) throw invalid(path, 'the value contains a cycle')
      ancestors.add(value)
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw invalid(`${path}[${i}]`, 'arrays must not have holes')
          check(value[i], `${path}[${i}]`, ancestors)
        }
      } else {
        const proto: unknown = Object.getPrototypeOf(value)
        if (proto !== Object.prototype && proto !== null)
          throw invalid(path, 'only plain objects are allowed (convert dates and maps first)')
        if (Object.getOwnPropertySymbols(value).length > 0)
          throw invalid(path, 'symbol keys have no JSON form')
        for (const [key, v] of Object.entries(value)) {
          if (!isWellFormedString(key)) throw invalid(path, 'a key contains a lone UTF-16 surrogate')
          check(v, `${path}.${key}`, ancestors)
        }
      }
      ancestors.delete(value)
      return
    }
  }
}

/** The RFC 8785 canonical JSON bytes (UTF-8) of `value`; throws `invalid-json` for non-JSON values. */
export function canonicalJson(value: unknown): Uint8Array {
  check(value, '$', new Set())
  const text = canonicalize(value)
  if (text === undefined) throw invalid('$', 'no JSON form')
  return utf8(text)
}

/** A fresh random salt ({@link SALT_SIZE} bytes), base64. */
export function newSalt(): string {
  return toBase64(randomBytes(SALT_SIZE))
}

/**
 * A salted commitment to a personal value: base64(SHA-256(salt ‖ canonicalJson(value))). `salt` is the
 * base64 text from {@link newSalt} or raw bytes, at least {@link SALT_SIZE} bytes.
 */
export function commitment(value: unknown, salt: string | Uint8Array): string {
  const saltBytes = typeof salt === 'string' ? fromBase64Strict(salt) : salt
  if (!(saltBytes instanceof Uint8Array))
    throw new LedgerFormatError('invalid-argument', 'the salt is not valid base64')
  if (saltBytes.length < SALT_SIZE) {
    throw new LedgerFormatError(
      'invalid-argument',
      `the salt must be at least ${SALT_SIZE} bytes (got ${saltBytes.length})`,
    )
  }
  return createHash('sha256').update(saltBytes).update(canonicalJson(value)).digest('base64')
}
