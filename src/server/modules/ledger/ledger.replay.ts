/**
 * Replay as the ledger defines it: the event every replayer sees (in ledger order), the interface a
 * module implements to rebuild its state from its events, and the diff helper its `compare` uses. The
 * audit drives the replayers; the ledger only defines what they consume. Pure.
 * @module
 */
import type { AuditDifference } from '../../../shared/api.js'

/** A ledger event as replay (and the event tail) sees it. */
export interface ReplayEvent {
  log: string
  index: number
  time: number
  type: string
  subject: string
  /** Who did it (ids and roles only). */
  actor: { id: string; roles: string[]; department: string | null; region: string }
  data: Record<string, unknown>
}

/**
 * One module's replay: `apply` every event of the types it owns (in ledger order), then `compare`
 * the rebuilt state with the live tables.
 */
export interface Replayer {
  readonly name: string
  /**
   * Event type prefixes this replayer consumes, e.g. `['region.']`. None: a check of a table that is
   * not replayed from events (the event consumers' cursors), which only `compare`s.
   */
  readonly types: readonly string[]
  apply(event: ReplayEvent): void
  compare(): Promise<AuditDifference[]>
}

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
