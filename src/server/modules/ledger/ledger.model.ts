/**
 * Ledger rules: which log an event belongs to, what a leaf is, how actors are described. Pure.
 *
 * A leaf is the RFC 8785 canonical JSON of `{v, log, index, time, type, subject, actor, data}`. It never
 * holds personal data: callers put salted commitments (see formats/jcs.ts) in `data` instead of names,
 * ID numbers or form contents.
 * @module
 */
import type { Principal } from '../../access.js'
import type { LedgerActor, LedgerLeaf } from '../../../shared/api.js'

export type { LedgerActor, LedgerLeaf }

export const LEAF_VERSION = 1

/** Event types are `<module>.<verb>` in snake case, e.g. `staff.created`; a module name may hold digits (`open311`). */
export const EVENT_TYPE_RE = /^[a-z][a-z0-9_]*\.[a-z][a-z_]*$/

/** Leaves travel in tlog-tiles entry bundles with a uint16 length prefix. */
export const MAX_LEAF_BYTES = 65_535

export interface LedgerEvent {
  type: string
  /** What the event is about, `<kind>:<id>`, e.g. `staff:st-4301-tax-001`, `region:4301`. */
  subject: string
  /** Region the event belongs to: decides the log (its city, or the province). */
  regionCode: string
  actor: LedgerActor
  data: Record<string, unknown>
}

/** Where an appended event landed. */
export interface LedgerPosition {
  log: string
  index: number
}

/**
 * The log of a region: its city (first four digits) for city, county and street codes, the
 * province log for the province itself.
 */
export function logIdForRegion(regionCode: string): string {
  return regionCode.length >= 4 ? regionCode.slice(0, 4) : regionCode.slice(0, 2)
}

/** `<domain>/ledger/<logId>`: the checkpoint origin and note key name of a log. */
export function originOf(domain: string, logId: string): string {
  return `${domain}/ledger/${logId}`
}

/** Name of the province witness key that cosigns every city checkpoint. */
export function witnessNameOf(domain: string): string {
  return `${domain}/witness`
}

export function actorOf(p: Principal): LedgerActor {
  return { id: p.accountId, roles: [...p.roles], department: p.departmentId, region: p.regionCode }
}

export function subjectOf(kind: string, id: string): string {
  return `${kind}:${id}`
}
