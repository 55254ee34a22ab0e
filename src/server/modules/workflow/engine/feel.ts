/**
 * FEEL conditions on sequence flows (the DMN / Camunda 8 expression language, evaluated by `feelin`).
 *
 * Variables a condition sees:
 * - `data`: the case form data;
 * - `outcome`: outcome of the task that completed last on this token's path (null if none; after a parallel
 *   join, the outcome of the branch that arrived last);
 * - `outcomes`: map user-task id → its last outcome;
 * - `case`: `{ matterCode, regionCode, channel }`;
 * - every `xzt:resultVariable` of a service task that has resolved.
 * A leading `=` (Camunda 8 style) is stripped. A condition is true only if it evaluates to `true`; `null`
 * (e.g. a missing field) and non-booleans count as false. `now()` and `today()` are refused at deploy time:
 * conditions must be deterministic so that replaying an instance gives the same path.
 * @module
 */
import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin'

/** Names the engine always provides; a service task's resultVariable may not shadow them. */
export const RESERVED_VARIABLES = ['data', 'outcome', 'outcomes', 'case'] as const

/** Strips a leading `=` and surrounding whitespace. */
export function normaliseCondition(text: string): string {
  const t = text.trim()
  return (t.startsWith('=') ? t.slice(1) : t).trim()
}

/** A FEEL identifier usable as a result variable (no spaces, not a FEEL keyword). */
export function isFeelName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !FEEL_KEYWORDS.has(name)
}

const FEEL_KEYWORDS = new Set([
  'true',
  'false',
  'null',
  'and',
  'or',
  'not',
  'if',
  'then',
  'else',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'between',
  'instance',
  'of',
  'function',
  'external',
])

/**
 * Checks a condition at deploy time: syntax, no clock functions, and no unknown variables or functions
 * (`known` = the top-level names that will exist). Returns problem messages, empty when fine.
 */
export function checkCondition(expression: string, known: readonly string[]): string[] {
  if (expression === '') return ['the condition is empty']
  if (/\b(?:now|today)\s*\(/.test(expression))
    return [`condition "${expression}" uses now() or today(); conditions must not depend on the clock`]
  const context: Record<string, unknown> = {
    data: {},
    outcome: null,
    outcomes: {},
    case: { matterCode: '', regionCode: '', channel: '' },
  }
  for (const name of known) if (!(name in context)) context[name] = null
  try {
    const { warnings } = evaluate(expression, context)
    const problems = new Set<string>()
    for (const w of warnings) {
      if (w.type === 'NO_VARIABLE_FOUND' || w.type === 'NO_FUNCTION_FOUND') {
        problems.add(`condition "${expression}": ${w.message} (known variables: ${known.join(', ')})`)
      }
    }
    return [...problems]
  } catch (err) {
    if (err instanceof FeelSyntaxError)
      return [`condition "${expression}" is not valid FEEL: ${err.message} at position ${err.position.from}`]
    // Anything else is an evaluation failure on empty sample data, not a problem of the expression itself.
    return []
  }
}

/** The result of evaluating a condition at run time. */
export interface ConditionResult {
  /** True only when the expression evaluated to boolean `true`. */
  matched: boolean
  /** What it evaluated to, for the timeline (`true`, `false`, `null`, or a non-boolean rendered as null). */
  value: boolean | null
}

/**
 * Evaluates a condition against the instance variables. Never throws: a failure counts as not matched.
 *
 * Two optimisations keep this cheap (feelin parses and compiles on every call, ~50 µs): the most common
 * shape, `outcome = "approve"` / `outcomes.<taskId> = "approve"`, is compared natively (exactly FEEL's result
 * for a string-or-null variable against a string literal), and other expressions only receive the context
 * entries whose names occur in their text, so large form data is not converted when it is not used.
 */
export function evaluateCondition(expression: string, context: Record<string, unknown>): ConditionResult {
  const fast = outcomeComparison(expression)
  if (fast) {
    const holder = fast.path.length === 2 ? context[fast.path[0] as string] : context
    const actual =
      holder && typeof holder === 'object'
        ? (holder as Record<string, unknown>)[fast.path[fast.path.length - 1] as string]
        : undefined
    if (actual === undefined || actual === null || typeof actual === 'string') {
      const equal = actual === fast.literal
      return { matched: equal, value: equal }
    }
  }
  try {
    const { value } = evaluate(expression, relevantContext(expression, context))
    if (value === true) return { matched: true, value: true }
    return { matched: false, value: value === false ? false : null }
  } catch {
    return { matched: false, value: null }
  }
}

const OUTCOME_RE = /^(outcome|outcomes\.[A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([A-Za-z_]+)"$/
const outcomeCache = new Map<string, { path: string[]; literal: string } | null>()

/** `outcome = "x"` or `outcomes.task = "x"` → the path and literal; anything else → null. Memoised. */
function outcomeComparison(expression: string): { path: string[]; literal: string } | null {
  let hit = outcomeCache.get(expression)
  if (hit === undefined) {
    const m = OUTCOME_RE.exec(expression)
    hit = m ? { path: (m[1] as string).split('.'), literal: m[2] as string } : null
    if (outcomeCache.size < 10_000) outcomeCache.set(expression, hit)
  }
  return hit
}

/** The context entries whose names occur as words in the expression (never fewer than it can use). */
function relevantContext(expression: string, context: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(context)) if (mentions(expression, name)) out[name] = value
  return out
}

const mentionCache = new Map<string, boolean>()

function mentions(expression: string, name: string): boolean {
  const key = `${name}\u0000${expression}`
  let hit = mentionCache.get(key)
  if (hit === undefined) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    hit = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(expression)
    if (mentionCache.size < 100_000) mentionCache.set(key, hit)
  }
  return hit
}
