/**
 * Test-only helper: loads the public ledger test vectors (../shared/specs/ledger-vectors relative to the
 * repository root, or $XZT_LEDGER_VECTORS). A missing vector is an error, so the vector suites fail loudly
 * instead of being skipped. Not exported from the library.
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'

/** Directory the vectors are read from. */
export const VECTORS_DIR = process.env.XZT_LEDGER_VECTORS
  ? path.resolve(process.env.XZT_LEDGER_VECTORS)
  : path.resolve(process.cwd(), '../shared/specs/ledger-vectors')

/** Parses vector file `file` (e.g. "rfc6962_reference_tree.json"); throws a clear error when absent. */
export function loadVectors<T = any>(file: string): T {
  const p = path.join(VECTORS_DIR, file)
  if (!fs.existsSync(p)) {
    throw new Error(
      `Ledger test vector ${file} not found in ${VECTORS_DIR}. The vectors live in ../shared/specs/ledger-vectors ` +
        'relative to the repository root (run vitest from the root), or set XZT_LEDGER_VECTORS to their directory.',
    )
  }
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T
}

/** Standard base64 → bytes (vectors are trusted, so Node's lenient decoder is fine here). */
export const b64 = (s: string): Buffer => Buffer.from(s, 'base64')

/** Hex → bytes. */
export const hex = (s: string): Buffer => Buffer.from(s, 'hex')

/** Rows for `it.each`/`describe.each`: each case labelled by `label(case)`. */
export function named<T>(cases: readonly T[], label: (c: T) => string): [string, T][] {
  return cases.map((c) => [label(c), c])
}
