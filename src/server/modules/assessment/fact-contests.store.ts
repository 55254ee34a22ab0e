/**
 * SQL of fact contests (`fact_contest`). Returns typed objects.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { FactContestTable } from '../../db/schema.js'
import type { FactRef } from './assessment.model.js'

type LedgerRef = { log: string; index: number }

export type FactContestStatus = 'pending' | 'upheld' | 'rejected'

export interface FactContest {
  id: string
  staffId: string
  /** The contesting official's department, where a superior decides. */
  departmentId: string
  regionCode: string
  period: string
  indicator: string
  ref: FactRef
  key: string
  factAt: number
  factLedger: LedgerRef
  reason: string
  salt: string
  status: FactContestStatus
  decidedBy: string | null
  decision: string | null
  createdAt: number
  decidedAt: number | null
  ledger: LedgerRef
  decisionLedger: LedgerRef | null
}

function toContest(r: FactContestTable): FactContest {
  return {
    id: r.id,
    staffId: r.staff_id,
    departmentId: r.department_id,
    regionCode: r.region_code,
    period: r.period,
    indicator: r.indicator,
    ref: { kind: r.ref_kind as FactRef['kind'], id: r.ref_id },
    key: r.fact_key,
    factAt: Number(r.fact_at),
    factLedger: { log: r.fact_ledger_log, index: Number(r.fact_ledger_index) },
    reason: r.reason,
    salt: r.salt,
    status: r.status as FactContestStatus,
    decidedBy: r.decided_by,
    decision: r.decision,
    createdAt: Number(r.created_at),
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
    decisionLedger:
      r.decision_ledger_log === null || r.decision_ledger_index === null
        ? null
        : { log: r.decision_ledger_log, index: Number(r.decision_ledger_index) },
  }
}

/** Inserts a pending contest. @throws a unique violation when the fact has a pending or upheld one */
export async function insertContest(db: Executor, c: FactContest): Promise<void> {
  await db
    .insertInto('fact_contest')
    .values({
      id: c.id,
      staff_id: c.staffId,
      department_id: c.departmentId,
      region_code: c.regionCode,
      period: c.period,
      indicator: c.indicator,
      ref_kind: c.ref.kind,
      ref_id: c.ref.id,
      fact_key: c.key,
      fact_at: c.factAt,
      fact_ledger_log: c.factLedger.log,
      fact_ledger_index: c.factLedger.index,
      reason: c.reason,
      salt: c.salt,
      status: c.status,
      decided_by: c.decidedBy,
      decision: c.decision,
      created_at: c.createdAt,
      decided_at: c.decidedAt,
      ledger_log: c.ledger.log,
      ledger_index: c.ledger.index,
      decision_ledger_log: c.decisionLedger?.log ?? null,
      decision_ledger_index: c.decisionLedger?.index ?? null,
    })
    .execute()
}

/** Records a decision on a pending contest. @returns whether it was still pending */
export async function decideContest(
  db: Executor,
  id: string,
  d: {
    status: 'upheld' | 'rejected'
    decidedBy: string
    decision: string
    decidedAt: number
    ledger: LedgerRef
  },
): Promise<boolean> {
  const res = await db
    .updateTable('fact_contest')
    .set({
      status: d.status,
      decided_by: d.decidedBy,
      decision: d.decision,
      decided_at: d.decidedAt,
      decision_ledger_log: d.ledger.log,
      decision_ledger_index: d.ledger.index,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function findContest(db: Executor, id: string): Promise<FactContest | undefined> {
  const row = await db.selectFrom('fact_contest').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toContest(row)
}

/** The pending or upheld contest of a fact, if any (at most one: the partial unique index). */
export async function findActive(db: Executor, key: string): Promise<FactContest | undefined> {
  const row = await db
    .selectFrom('fact_contest')
    .selectAll()
    .where('fact_key', '=', key)
    .where('status', 'in', ['pending', 'upheld'])
    .executeTakeFirst()
  return row && toContest(row)
}

/** The latest contest of each of these facts, by key. */
export async function latestOf(db: Executor, keys: readonly string[]): Promise<Map<string, FactContest>> {
  const out = new Map<string, FactContest>()
  if (!keys.length) return out
  const rows = await db
    .selectFrom('fact_contest')
    .selectAll()
    .where('fact_key', 'in', [...new Set(keys)])
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  for (const r of rows) out.set(r.fact_key, toContest(r))
  return out
}

/**
 * The keys of every fact an upheld contest took out of the computations: one indexed read per
 * computation (upheld contests are few next to the facts).
 */
export async function upheldKeys(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('fact_contest').select('fact_key').where('status', '=', 'upheld').execute()
  return new Set(rows.map((r) => r.fact_key))
}

/** Contests of officials of these departments, and (when `staffId` is given) of that official; newest first. */
export async function listContests(
  db: Executor,
  q: { departmentIds: readonly string[]; staffId?: string; status?: FactContestStatus; limit: number },
): Promise<FactContest[]> {
  if (!q.departmentIds.length && !q.staffId) return []
  let query = db
    .selectFrom('fact_contest')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(q.departmentIds.length ? [eb('department_id', 'in', [...q.departmentIds])] : []),
        ...(q.staffId ? [eb('staff_id', '=', q.staffId)] : []),
      ]),
    )
  if (q.status) query = query.where('status', '=', q.status)
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(q.limit).execute()
  return rows.map(toContest)
}

export async function listAllContests(db: Executor): Promise<FactContest[]> {
  return (await db.selectFrom('fact_contest').selectAll().orderBy('id').execute()).map(toContest)
}
