/**
 * Replay as the ledger defines it: the event every replayer sees (in ledger order) and the interface a
 * module implements to rebuild its state from its events. The audit drives the replayers; the ledger
 * only defines what they consume. Pure types.
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
  /** Event type prefixes this replayer consumes, e.g. `['region.']`. */
  readonly types: readonly string[]
  apply(event: ReplayEvent): void
  compare(): Promise<AuditDifference[]>
}
