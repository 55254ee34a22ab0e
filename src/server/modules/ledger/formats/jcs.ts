/**
 * RFC 8785 (JCS) canonical JSON, the byte form of every ledger leaf, and salted commitments for personal
 * data: a leaf never holds a personal value, only base64(SHA-256(salt ‖ JCS(value))). Destroying the salt
 * "crypto-shreds" the value (it can no longer be confirmed by guessing) without touching the tree.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import { fromBase64Strict, isWellFormedString, toBase64, utf8 } from './encoding.js'
import { LedgerFormatError } from './errors.js'

/** Bytes of salt {@link newSalt} makes, and the minimum {@link commitment} accepts. */
export const SALT_SIZE = 16

/** Values that have a canonical JSON form. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

function invalid(path: string, why: string): LedgerFormatError {
  return new LedgerFormatError('invalid-json', `cannot canonicalize ${path}: ${why}`)
}

/**
 * Serialises `value` per RFC 8785 in one pass, rejecting what JSON.stringify would silently drop or
 * alter: undefined (also in arrays and object properties, and array holes), functions, symbols, bigints,
 * NaN/±Infinity, strings with lone surrogates (no UTF-8 form), cycles, and objects that are not plain
 * (Date, Map, class instances), which would otherwise serialize through toJSON or as {}.
 *
 * RFC 8785 defines strings and numbers by ECMAScript's JSON.stringify (§3.2.2), and property order by
 * UTF-16 code units, which is what the default sort compares. `path` is a stack of keys kept only to
 * name the offending value in errors.
 */
function serialize(value: unknown, path: (string | number)[], ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      // Most strings need no escaping: quote them directly (the same bytes JSON.stringify gives).
      if (PLAIN_STRING_RE.test(value)) return `"${value}"`
      if (!isWellFormedString(value))
        throw invalid(pathText(path), 'a string contains a lone UTF-16 surrogate')
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw invalid(pathText(path), `${value} is not a finite number`)
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      throw invalid(pathText(path), 'undefined has no JSON form')
    case 'function':
      throw invalid(pathText(path), 'a function has no JSON form')
    case 'symbol':
      throw invalid(pathText(path), 'a symbol has no JSON form')
    case 'bigint':
      throw invalid(pathText(path), 'a bigint has no JSON form (use a string or a safe integer)')
    case 'object': {
      if (value === null) return 'null'
      if (ancestors.has(value)) throw invalid(pathText(path), 'the value contains a cycle')
      ancestors.add(value)
      let out: string
      if (Array.isArray(value)) {
        out = '['
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw invalid(pathText([...path, i]), 'arrays must not have holes')
          path.push(i)
          out += (i === 0 ? '' : ',') + serialize(value[i], path, ancestors)
          path.pop()
        }
        out += ']'
      } else {
        const proto: unknown = Object.getPrototypeOf(value)
        if (proto !== Object.prototype && proto !== null) {
          throw invalid(pathText(path), 'only plain objects are allowed (convert dates and maps first)')
        }
        if (Object.getOwnPropertySymbols(value).length > 0)
          throw invalid(pathText(path), 'symbol keys have no JSON form')
        const keys = Object.keys(value).sort()
        out = '{'
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string
          if (!isWellFormedString(key))
            throw invalid(pathText(path), 'a key contains a lone UTF-16 surrogate')
          path.push(key)
          out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${serialize((value as Record<string, unknown>)[key], path, ancestors)}`
          path.pop()
        }
        out += '}'
      }
      ancestors.delete(value)
      return out
    }
  }
}

/** Strings without quotes, backslashes, control characters or surrogates serialize as themselves. */
// eslint-disable-next-line no-control-regex
const PLAIN_STRING_RE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/

function pathText(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`
}

/** The RFC 8785 canonical JSON bytes (UTF-8) of `value`; throws `invalid-json` for non-JSON values. */
export function canonicalJson(value: unknown): Uint8Array {
  return utf8(serialize(value, [], new Set()))
}

/** A fresh random salt ({@link SALT_SIZE} bytes), base64. */
/** The canonical JSON of a value as text: two values are the same JSON exactly when these are equal. */
export function canonicalText(value: unknown): string {
  return Buffer.from(canonicalJson(value)).toString('utf8')
}

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
