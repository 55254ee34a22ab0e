/**
 * SQL of organisation evaluations. Returns typed objects.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { OrgEvaluationTable } from '../../db/schema.js'

export interface OrgEvaluation {
  staffId: string
  period: string
  score: number
  comment: string | null
  salt: string
  revision: number
  enteredBy: string
  enteredAt: number
  ledger: { log: string; index: number }
}

const toEvaluation = (r: OrgEvaluationTable): OrgEvaluation => ({
  staffId: r.staff_id,
  period: r.period,
  score: Number(r.score),
  comment: r.comment,
  salt: r.salt,
  revision: Number(r.revision),
  enteredBy: r.entered_by,
  enteredAt: Number(r.entered_at),
  ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
})

export async function findEvaluation(
  db: Executor,
  staffId: string,
  period: string,
): Promise<OrgEvaluation | undefined> {
  const row = await db
    .selectFrom('org_evaluation')
    .selectAll()
    .where('staff_id', '=', staffId)
    .where('period', '=', period)
    .executeTakeFirst()
  return row && toEvaluation(row)
}

/**
 * Inserts the first revision or replaces the previous one (read in the same transaction).
 * @returns false when another revision was saved meanwhile
 */
export async function saveEvaluation(db: Executor, e: OrgEvaluation): Promise<boolean> {
  const values = {
    score: e.score,
    comment: e.comment,
    salt: e.salt,
    revision: e.revision,
    entered_by: e.enteredBy,
    entered_at: e.enteredAt,
    ledger_log: e.ledger.log,
    ledger_index: e.ledger.index,
  }
  if (e.revision === 1) {
    await db
      .insertInto('org_evaluation')
      .values({ staff_id: e.staffId, period: e.period, ...values })
      .execute()
    return true
  }
  const r = await db
    .updateTable('org_evaluation')
    .set(values)
    .where('staff_id', '=', e.staffId)
    .where('period', '=', e.period)
    .where('revision', '=', e.revision - 1)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * The evaluations of a period of the officials serving in a region subtree (the organisation
 * department's list), with their names and departments.
 */
export async function listInRegion(
  db: Executor,
  regionPrefix: string,
  period: string | undefined,
): Promise<(OrgEvaluation & { departmentId: string; regionCode: string })[]> {
  let q = db
    .selectFrom('org_evaluation')
    .innerJoin('staff', 'staff.account_id', 'org_evaluation.staff_id')
    .innerJoin('department', 'department.id', 'staff.department_id')
    .selectAll('org_evaluation')
    .select(['staff.department_id as department_id', 'department.region_code as region_code'])
    .where('department.region_code', 'like', `${regionPrefix}%`)
  if (period) q = q.where('org_evaluation.period', '=', period)
  const rows = await q
    .orderBy('org_evaluation.period', 'desc')
    .orderBy('org_evaluation.staff_id')
    .limit(5000)
    .execute()
  return rows.map((r) => ({ ...toEvaluation(r), departmentId: r.department_id, regionCode: r.region_code }))
}

export async function listAllEvaluations(db: Executor): Promise<OrgEvaluation[]> {
  return (
    await db.selectFrom('org_evaluation').selectAll().orderBy('staff_id').orderBy('period').execute()
  ).map(toEvaluation)
}

/** The evaluations of these officials (or all) for a period, or every period when none is given. */
export async function listEvaluations(
  db: Executor,
  q: { staffIds?: readonly string[]; period?: string },
): Promise<OrgEvaluation[]> {
  let s = db.selectFrom('org_evaluation').selectAll()
  if (q.staffIds) {
    if (q.staffIds.length === 0) return []
    s = s.where('staff_id', 'in', q.staffIds)
  }
  if (q.period) s = s.where('period', '=', q.period)
  return (await s.orderBy('period', 'desc').orderBy('staff_id').execute()).map(toEvaluation)
}
