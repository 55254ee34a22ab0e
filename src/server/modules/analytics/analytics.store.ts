/**
 * SQL of the command hall's rollups (`analytics_rollup`) and of what their consumer remembers of cases
 * and steps (`analytics_case`, `analytics_task`). Used only by the analytics service and its consumer.
 * Every counter write is an additive upsert, so pages may touch the same row in any order.
 * @module
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import type {
  AppealState,
  BucketRange,
  CaseState,
  Increment,
  RatingMemo,
  TaskState,
} from './analytics.model.js'

/** Rows per INSERT (8 parameters each: well under both dialects' limits). */
const CHUNK = 500

export async function addIncrements(trx: Executor, increments: readonly Increment[]): Promise<void> {
  for (let i = 0; i < increments.length; i += CHUNK) {
    const rows = increments.slice(i, i + CHUNK).map((x) => ({
      measure: x.measure,
      unit_kind: x.unitKind,
      unit_id: x.unitId,
      grain: x.grain,
      bucket: x.bucket,
      dim: x.dim,
      n: x.n,
      total: x.total,
    }))
    await trx
      .insertInto('analytics_rollup')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['measure', 'unit_kind', 'unit_id', 'grain', 'bucket', 'dim']).doUpdateSet((eb) => ({
          n: eb('analytics_rollup.n', '+', eb.ref('excluded.n')),
          total: eb('analytics_rollup.total', '+', eb.ref('excluded.total')),
        })),
      )
      .execute()
  }
}

export async function findCases(db: Executor, ids: readonly string[]): Promise<Map<string, CaseState>> {
  const out = new Map<string, CaseState>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('analytics_case')
      .selectAll()
      .where('case_id', 'in', ids.slice(i, i + CHUNK))
      .execute()
    for (const r of rows)
      out.set(r.case_id, {
        id: r.case_id,
        regionCode: r.region_code,
        submittedAt: Number(r.submitted_at),
        ended: Number(r.ended) === 1,
        matter: r.matter,
        rating: r.rating === null ? null : (JSON.parse(r.rating) as RatingMemo),
      })
  }
  return out
}

export async function findTasks(db: Executor, ids: readonly string[]): Promise<Map<string, TaskState>> {
  const out = new Map<string, TaskState>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('analytics_task')
      .selectAll()
      .where('task_id', 'in', ids.slice(i, i + CHUNK))
      .execute()
    for (const r of rows)
      out.set(r.task_id, {
        id: r.task_id,
        caseId: r.case_id,
        departmentId: r.department_id,
        createdAt: Number(r.created_at),
        dueAt: r.due_at === null ? null : Number(r.due_at),
      })
  }
  return out
}

export async function putCases(trx: Executor, cases: readonly CaseState[]): Promise<void> {
  for (let i = 0; i < cases.length; i += CHUNK) {
    await trx
      .insertInto('analytics_case')
      .values(
        cases.slice(i, i + CHUNK).map((c) => ({
          case_id: c.id,
          region_code: c.regionCode,
          submitted_at: c.submittedAt,
          ended: c.ended ? 1 : 0,
          matter: c.matter,
          rating: c.rating === null ? null : JSON.stringify(c.rating),
        })),
      )
      .onConflict((oc) =>
        oc.column('case_id').doUpdateSet((eb) => ({
          region_code: eb.ref('excluded.region_code'),
          submitted_at: eb.ref('excluded.submitted_at'),
          ended: eb.ref('excluded.ended'),
          matter: eb.ref('excluded.matter'),
          rating: eb.ref('excluded.rating'),
        })),
      )
      .execute()
  }
}

export async function putTasks(trx: Executor, tasks: readonly TaskState[]): Promise<void> {
  for (let i = 0; i < tasks.length; i += CHUNK) {
    await trx
      .insertInto('analytics_task')
      .values(
        tasks.slice(i, i + CHUNK).map((t) => ({
          task_id: t.id,
          case_id: t.caseId,
          department_id: t.departmentId,
          created_at: t.createdAt,
          due_at: t.dueAt,
        })),
      )
      .onConflict((oc) =>
        oc.column('task_id').doUpdateSet((eb) => ({
          case_id: eb.ref('excluded.case_id'),
          department_id: eb.ref('excluded.department_id'),
          created_at: eb.ref('excluded.created_at'),
          due_at: eb.ref('excluded.due_at'),
        })),
      )
      .execute()
  }
}

export async function dropTasks(trx: Executor, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK)
    await trx
      .deleteFrom('analytics_task')
      .where('task_id', 'in', ids.slice(i, i + CHUNK))
      .execute()
}

export async function findAppeals(db: Executor, ids: readonly string[]): Promise<Map<string, AppealState>> {
  const out = new Map<string, AppealState>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('analytics_appeal')
      .selectAll()
      .where('appeal_id', 'in', ids.slice(i, i + CHUNK))
      .execute()
    for (const r of rows)
      out.set(r.appeal_id, {
        id: r.appeal_id,
        regionCode: r.region_code,
        departmentId: r.department_id,
        filedAt: Number(r.filed_at),
        responded: Number(r.responded) === 1,
        resolved: Number(r.resolved) === 1,
      })
  }
  return out
}

export async function putAppeals(trx: Executor, appeals: readonly AppealState[]): Promise<void> {
  for (let i = 0; i < appeals.length; i += CHUNK) {
    await trx
      .insertInto('analytics_appeal')
      .values(
        appeals.slice(i, i + CHUNK).map((a) => ({
          appeal_id: a.id,
          region_code: a.regionCode,
          department_id: a.departmentId,
          filed_at: a.filedAt,
          responded: a.responded ? 1 : 0,
          resolved: a.resolved ? 1 : 0,
        })),
      )
      .onConflict((oc) =>
        oc.column('appeal_id').doUpdateSet((eb) => ({
          region_code: eb.ref('excluded.region_code'),
          department_id: eb.ref('excluded.department_id'),
          filed_at: eb.ref('excluded.filed_at'),
          responded: eb.ref('excluded.responded'),
          resolved: eb.ref('excluded.resolved'),
        })),
      )
      .execute()
  }
}

/** Empties every rollup and the consumer's memory (a rebuild, in the transaction that rewinds it). */
export async function clearAll(trx: Executor): Promise<void> {
  await trx.deleteFrom('analytics_rollup').execute()
  await trx.deleteFrom('analytics_case').execute()
  await trx.deleteFrom('analytics_task').execute()
  await trx.deleteFrom('analytics_appeal').execute()
}

/**
 * Σn of a measure's whole (dim '') for each of the given regions over the bucket ranges. Regions
 * without a row are absent.
 */
export async function sumRegions(
  db: Executor,
  measure: string,
  codes: readonly string[],
  ranges: readonly BucketRange[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (codes.length === 0 || ranges.length === 0) return out
  const rows = await db
    .selectFrom('analytics_rollup')
    .select(['unit_id', sql<string | number>`sum(n)`.as('n')])
    .where('measure', '=', measure)
    .where('unit_kind', '=', 'region')
    .where('unit_id', 'in', [...codes])
    .where('dim', '=', '')
    .where((eb) =>
      eb.or(
        ranges.map((r) =>
          eb.and([eb('grain', '=', r.grain), eb('bucket', '>=', r.from), eb('bucket', '<', r.to)]),
        ),
      ),
    )
    .groupBy('unit_id')
    .execute()
  for (const r of rows) out.set(r.unit_id, Number(r.n))
  return out
}

/**
 * Σn and Σtotal of each (measure, dim) of the given measures, for one unit over the bucket ranges:
 * measure → dim → sums. One grouped query over the primary key's prefix.
 */
export async function sumByDim(
  db: Executor,
  unitKind: Increment['unitKind'],
  unitId: string,
  measures: readonly string[],
  ranges: readonly BucketRange[],
): Promise<Map<string, Map<string, { n: number; total: number }>>> {
  const out = new Map<string, Map<string, { n: number; total: number }>>()
  if (measures.length === 0 || ranges.length === 0) return out
  const rows = await db
    .selectFrom('analytics_rollup')
    .select([
      'measure',
      'dim',
      sql<string | number>`sum(n)`.as('n'),
      sql<string | number>`sum(total)`.as('total'),
    ])
    .where('measure', 'in', [...measures])
    .where('unit_kind', '=', unitKind)
    .where('unit_id', '=', unitId)
    .where((eb) =>
      eb.or(
        ranges.map((r) =>
          eb.and([eb('grain', '=', r.grain), eb('bucket', '>=', r.from), eb('bucket', '<', r.to)]),
        ),
      ),
    )
    .groupBy(['measure', 'dim'])
    .execute()
  for (const r of rows) {
    let dims = out.get(r.measure)
    if (!dims) out.set(r.measure, (dims = new Map<string, { n: number; total: number }>()))
    dims.set(r.dim, { n: Number(r.n), total: Number(r.total) })
  }
  return out
}

/** Every rollup row (the audit's comparison). */
export async function listRollups(db: Executor): Promise<Increment[]> {
  const rows = await db.selectFrom('analytics_rollup').selectAll().execute()
  return rows.map((r) => ({
    measure: r.measure,
    dim: r.dim,
    unitKind: r.unit_kind as Increment['unitKind'],
    unitId: r.unit_id,
    grain: r.grain as Increment['grain'],
    bucket: Number(r.bucket),
    n: Number(r.n),
    total: Number(r.total),
  }))
}
