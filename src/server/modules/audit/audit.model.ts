/**
 * What an audit finds: rows of the live state tables that differ from the state the ledger's events
 * rebuild. Pure types and the diff helper every module's replayer uses.
 * @module
 */
import type { AuditDifference } from '../../../shared/api.js'

export type { AuditDifference }
// Replay's event and interface belong to the ledger; re-exported for modules not yet moved over.
export type { ReplayEvent, Replayer } from '../ledger/ledger.replay.js'

/** Compares two keyed states field by field (JSON equality per field). */
export function diffStates<T extends object>(
  table: string,
  expected: ReadonlyMap<string, T>,
  actual: ReadonlyMap<string, T>,
): AuditDifference[] {
  const out: AuditDifference[] = []
  for (const [key, want] of expected) {
    const got = actual.get(key)
    if (!got) {
      out.push({ table, key, problem: 'missing' })
      continue
    }
    const fields = new Set([...Object.keys(want), ...Object.keys(got)])
    for (const field of fields) {
      const a = (want as Record<string, unknown>)[field]
      const b = (got as Record<string, unknown>)[field]
      if (JSON.stringify(a) !== JSON.stringify(b))
        out.push({ table, key, problem: 'differs', field, expected: a, actual: b })
    }
  }
  for (const key of actual.keys()) if (!expected.has(key)) out.push({ table, key, problem: 'unexpected' })
  return out.sort((x, y) => x.table.localeCompare(y.table) || x.key.localeCompare(y.key))
}
