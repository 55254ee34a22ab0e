/**
 * The facts of process traceability and data consistency that `facts.model.ts` does not count: the
 * ledger trail of each step, redone steps, flagged data accesses judged unjustified, discrepancies
 * between a submission and the data platform per 1,000 records held, and the days a discrepancy took
 * to correct. The store (`trace.store.ts`) reads the rows in one set-based query per kind; these
 * functions turn them into facts. Pure.
 *
 * Attribution (official · department · region) and proof:
 * - `ledger_complete`: department steps completed in the period: the assignee who completed it · the
 *   step's department · the case's region. A hit when the step names its completion entry and that entry
 *   is in the ledger, in the case's log, of type `task.completed`, naming this case and this task (read
 *   from the leaf itself, not from any table the module keeps). Proof: that entry; for a miss, the entry
 *   it claims when one is there (it shows what it really names), else the case's `case.submitted`. A
 *   step with neither is left out (a case without a submission entry is what the audit reports).
 * - `rework_rate`: the same steps: a hit when the case opened the same node (task) again after this
 *   completion (a later visit: a supplement loop, a return), so the step had to be done again. Who
 *   completed it · its department · the case's region; the step's completion entry.
 * - `unjustified_access`: flagged data accesses reviewed in the period: a hit when judged unjustified.
 *   The official who looked · their department when they looked · the case's region; the review's entry.
 * - `discrepancies_per_1k` (a count per 1,000 records held, so two kinds of fact):
 *   - a **discrepancy**: each record a case submitted in the period contradicted (several fields of one
 *     source count once), attributed to the record's **keeper** (who last changed it, when that was
 *     before the submission; nobody when it changed since: a correction is not blamed on the corrector)
 *     · the department that holds the record (its source's owning kind, at the record's region or the
 *     nearest level above that has one: where the discrepancy appeal's chain points) · the record's
 *     region. Outcome `true`; proof: the `case.submitted` entry (it commits to the discrepancies).
 *   - a **holding**: the records of one source in one region kept by one official (or nobody), with
 *     the same department and region: outcome the number of records (the denominator). Proof: the
 *     latest `record.registered_batch` entry among them; records registered before the ledger recorded
 *     registrations have no entry and are not counted. Holdings are as the data platform holds them
 *     now: it keeps no history of who held what when.
 *   A department holding records with no discrepancy scores 0 per 1,000; a subject holding nothing has
 *   no value (null).
 * - `correction_days`: discrepancy appeals closed in the period: calendar days from detection (the
 *   case's submission; the filing when there is no case) to closure, averaged. The appeal's handler ·
 *   the department that closed it · the appeal's region; the closing entry.
 * @module
 */
import { logIdForRegion } from '../ledger/index.js'
import { regionLevels, type UnkeyedFact } from './assessment.model.js'

type Ledger = { log: string; index: number }

const DAY_MS = 86_400_000

// ---- steps: the ledger trail and rework ----------------------------------------------------------

/** A department step completed in the period, with what the ledger holds at the position it claims. */
export interface TraceStepRow {
  id: string
  caseId: string
  nodeId: string
  iteration: number
  /** The highest visit of the step's node in its case (this step's or a later one's). */
  lastIteration: number
  departmentId: string
  assigneeId: string | null
  completedAt: number
  regionCode: string
  /** The completion entry the step's row names (null: it names none). */
  claimed: Ledger | null
  /** The leaf at the claimed position, as UTF-8 JSON (null: no such entry). */
  leaf: string | null
  /** The case's `case.submitted` entry (null: none recorded). */
  submitted: Ledger | null
}

/** Whether the leaf at a step's claimed position is that step's completion, in its case's log. */
export function namesStep(s: TraceStepRow): boolean {
  if (!s.claimed || s.leaf === null || s.claimed.log !== logIdForRegion(s.regionCode)) return false
  let leaf: { log?: unknown; index?: unknown; type?: unknown; data?: { case?: unknown; task?: unknown } }
  try {
    leaf = JSON.parse(s.leaf) as typeof leaf
  } catch {
    return false
  }
  return (
    leaf.log === s.claimed.log &&
    leaf.index === s.claimed.index &&
    leaf.type === 'task.completed' &&
    leaf.data?.case === s.caseId &&
    leaf.data?.task === s.id
  )
}

const stepFact = (
  s: TraceStepRow,
  indicator: UnkeyedFact['indicator'],
  outcome: boolean,
  ledger: Ledger,
): UnkeyedFact => ({
  indicator,
  ref: { kind: 'task', id: s.id },
  at: s.completedAt,
  outcome,
  staffId: s.assigneeId,
  departmentId: s.departmentId,
  regionCode: s.regionCode,
  ledger,
})

/** `ledger_complete` of steps completed in the period. */
export function ledgerTrailFacts(steps: readonly TraceStepRow[]): UnkeyedFact[] {
  return steps.flatMap((s) => {
    const complete = namesStep(s)
    const proof = s.claimed && s.leaf !== null ? s.claimed : s.submitted
    return proof ? [stepFact(s, 'ledger_complete', complete, proof)] : []
  })
}

/** `rework_rate` of steps completed in the period: a hit when the node was opened again later. */
export function reworkFacts(steps: readonly TraceStepRow[]): UnkeyedFact[] {
  return steps.flatMap((s) => {
    const proof = s.claimed ?? s.submitted
    return proof ? [stepFact(s, 'rework_rate', s.lastIteration > s.iteration, proof)] : []
  })
}

// ---- flagged data accesses -----------------------------------------------------------------------

/** A flagged data access reviewed in the period. */
export interface AccessReviewRow {
  id: string
  caseId: string
  staffId: string
  departmentId: string | null
  /** The case's region. */
  regionCode: string
  reviewedAt: number
  verdict: 'justified' | 'unjustified'
  /** The review's entry. */
  ledger: Ledger
}

/** `unjustified_access`: a hit per access judged unjustified. */
export function accessFacts(rows: readonly AccessReviewRow[]): UnkeyedFact[] {
  return rows.map((r) => ({
    indicator: 'unjustified_access',
    ref: { kind: 'data_access', id: r.id },
    at: r.reviewedAt,
    outcome: r.verdict === 'unjustified',
    staffId: r.staffId,
    departmentId: r.departmentId,
    regionCode: r.regionCode,
    ledger: r.ledger,
  }))
}

// ---- discrepancies and the records held ----------------------------------------------------------

/** A department that may hold records: its kind and region. */
export interface HolderRow {
  id: string
  kind: string
  regionCode: string
}

/**
 * Who holds records of a kind in a region: the department of that kind at the region, or at the
 * nearest level above that has one (the first by id when a level has several).
 */
export function holdersOf(
  departments: readonly HolderRow[],
): (regionCode: string, kind: string) => HolderRow | undefined {
  const at = new Map<string, HolderRow>()
  for (const d of [...departments].sort((a, b) => (a.id < b.id ? 1 : -1)))
    at.set(`${d.regionCode}\u0000${d.kind}`, d)
  return (regionCode, kind) => {
    for (const code of regionLevels(regionCode).reverse()) {
      const d = at.get(`${code}\u0000${kind}`)
      if (d) return d
    }
    return undefined
  }
}

/** A case submitted in the period whose values contradicted records, with its submission entry. */
export interface DiscrepantCaseRow {
  caseId: string
  submittedAt: number
  regionCode: string
  discrepancies: { path: string; source: string; recordKey: string }[]
  submitted: Ledger
}

/** A contradicted record as the data platform holds it. */
export interface HeldRecordRow {
  source: string
  key: string
  ownerKind: string
  regionCode: string
  updatedBy: string | null
  updatedAt: number
}

/** The records of one source in one region kept by one official (or nobody). */
export interface HoldingRow {
  source: string
  ownerKind: string
  regionCode: string
  keeperId: string | null
  records: number
  /** The latest change among them. */
  updatedAt: number
  /** The latest registration entry among them. */
  ledger: Ledger
}

/** Which facts a query keeps: by place (the fact's region) or by the department attributed. */
export interface Scope {
  prefix: string
  by: 'place' | 'department'
}

const within = (scope: Scope, regionCode: string, holder: HolderRow | undefined): boolean =>
  scope.by === 'place'
    ? regionCode.startsWith(scope.prefix)
    : (holder?.regionCode.startsWith(scope.prefix) ?? false)

/**
 * `discrepancies_per_1k`: one fact per contradicted record of each case and one per holding, kept when
 * in the scope (by place: the record's region; by department: the holder's).
 * @param records the contradicted records, by `source` and key
 */
export function discrepancyFacts(
  cases: readonly DiscrepantCaseRow[],
  records: readonly HeldRecordRow[],
  holdings: readonly HoldingRow[],
  departments: readonly HolderRow[],
  scope: Scope,
): UnkeyedFact[] {
  const holderOf = holdersOf(departments)
  const byKey = new Map(records.map((r) => [`${r.source}\u0000${r.key}`, r]))
  const out: UnkeyedFact[] = []
  for (const c of cases) {
    const seen = new Set<string>()
    for (const d of c.discrepancies) {
      if (seen.has(d.source)) continue
      seen.add(d.source)
      const record = byKey.get(`${d.source}\u0000${d.recordKey}`)
      if (!record) continue
      const holder = holderOf(record.regionCode, record.ownerKind)
      if (!within(scope, record.regionCode, holder)) continue
      out.push({
        indicator: 'discrepancies_per_1k',
        ref: { kind: 'discrepancy', id: `${c.caseId}/${d.source}` },
        at: c.submittedAt,
        outcome: true,
        staffId: record.updatedAt <= c.submittedAt ? record.updatedBy : null,
        departmentId: holder?.id ?? null,
        regionCode: record.regionCode,
        ledger: c.submitted,
      })
    }
  }
  for (const h of holdings) {
    const holder = holderOf(h.regionCode, h.ownerKind)
    if (h.records <= 0 || !within(scope, h.regionCode, holder)) continue
    out.push({
      indicator: 'discrepancies_per_1k',
      ref: { kind: 'holding', id: `${h.source}/${h.regionCode}/${h.keeperId ?? '-'}` },
      at: h.updatedAt,
      outcome: h.records,
      staffId: h.keeperId,
      departmentId: holder?.id ?? null,
      regionCode: h.regionCode,
      ledger: h.ledger,
    })
  }
  return out
}

// ---- corrections ---------------------------------------------------------------------------------

/** A discrepancy appeal closed in the period, with its closing entry. */
export interface CorrectionRow {
  appealId: string
  regionCode: string
  departmentId: string
  handlerId: string | null
  createdAt: number
  /** The case's submission (when the discrepancy was found); null without a case. */
  submittedAt: number | null
  closedAt: number
  ledger: Ledger
}

/** `correction_days`: calendar days from detection to closure. */
export function correctionFacts(rows: readonly CorrectionRow[]): UnkeyedFact[] {
  return rows.map((r) => ({
    indicator: 'correction_days',
    ref: { kind: 'appeal', id: r.appealId },
    at: r.closedAt,
    outcome: Math.max(0, r.closedAt - (r.submittedAt ?? r.createdAt)) / DAY_MS,
    staffId: r.handlerId,
    departmentId: r.departmentId,
    regionCode: r.regionCode,
    ledger: r.ledger,
  }))
}
