/**
 * Checks every request's decoded input before validation, so text the storage layer cannot hold never
 * reaches it: NUL characters (PostgreSQL refuses them in text, "invalid byte sequence 0x00"), lone UTF-16
 * surrogates (not Unicode; they would be stored garbled and break canonical JSON), and nesting deeper
 * than any of our documents (a 5,000-deep array overflowed the stack of a recursive walk). The walk is
 * iterative, so it cannot overflow itself. Integer bounds are added to the route schemas instead
 * ({@link boundIntegers}).
 * @module
 */
import { AppError } from '../../shared/errors.js'

/** Deepest nesting of objects and arrays any request may carry (GeoJSON MultiPolygons need 5). */
export const MAX_INPUT_DEPTH = 32

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function problemOf(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character'
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it contains a lone surrogate)'
  return null
}

/**
 * Throws VALIDATION_FAILED naming the first bad value (`/body/...`, `/querystring/...`, `/params/...`).
 * Buffers (raw uploads) are not text and are left to their route.
 */
export function assertCleanInput(part: 'body' | 'querystring' | 'params', value: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: `/${part}`, depth: 0 }]
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; path: string; depth: number }
    const v = item.value
    if (typeof v === 'string') {
      const problem = problemOf(v)
      if (problem) fail(item.path, problem)
      continue
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue
    if (item.depth >= MAX_INPUT_DEPTH) fail(item.path, `is nested deeper than ${MAX_INPUT_DEPTH} levels`)
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const keyProblem = problemOf(k)
      const path = `${item.path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`
      if (keyProblem) fail(`${item.path}/${JSON.stringify(k).slice(1, -1)}`, `a key ${keyProblem}`)
      stack.push({ value: child, path, depth: item.depth + 1 })
    }
  }
}

function fail(path: string, message: string): never {
  // The path itself may hold the bad text: render it escaped so the answer stays valid JSON text.
  const safePath = JSON.stringify(path).slice(1, -1)
  throw new AppError('VALIDATION_FAILED', `${safePath} ${message}`, {
    details: [{ path: safePath, message }],
  })
}

/**
 * A copy of a route schema in which every integer without bounds gets the safe-integer range, so a
 * number like 1e308 or 99999999999999999999999 is refused by validation rather than reaching SQL (an
 * overflow on PostgreSQL, a wrong OFFSET on SQLite). Bounds a route sets itself are kept.
 */
export function boundIntegers<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s: unknown) => boundIntegers(s)) as T
  if (schema === null || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) out[k] = boundIntegers(v)
  const type = out.type
  const isInteger = type === 'integer' || (Array.isArray(type) && type.includes('integer'))
  if (isInteger) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = Number.MAX_SAFE_INTEGER
    if (out.minimum === undefined && out.exclusiveMinimum === undefined)
      out.minimum = -Number.MAX_SAFE_INTEGER
  }
  return out as T
}
