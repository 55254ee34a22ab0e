/**
 * SQL of assessment: a read model over the rows other modules keep (ratings, case steps, appeals and
 * their steps, rectifications and their steps). It never writes them, and nothing else uses it. Every
 * query is set-based over a period and a region: one query per kind of row, whatever the number of
 * subjects, so a province's quarter is a handful of scans over indexed ranges. Both dialects: bigint
 * columns come back as strings on PostgreSQL, hence `Number()` everywhere.
 *
 * A query is filtered in one of two ways (`Where`): by the **place** (the case's or the appeal's region
 * in the subtree: what regions are assessed on), or by the **department** the row is attributed to
 * lying in the subtree (what officials and departments are assessed on: a city bureau working a step of
 * another city's case still counts it).
 * @module
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Executor } from '../../db/database.js'
import type {
  AppealRow,
  AppealStepRow,
  FinishedCaseRow,
  RatingRow,
  RectificationRow,
  StepRow,
} from './facts.model.js'

export interface Where {
  from: number
  to: number
  /** Region-code prefix ('' = everywhere). */
  prefix: string
  by: 'place' | 'department'
}

/**
 * A digit string's successor among those of its length ('43' → '44', '4309' → '4310'), or
 * undefined when there is none ('99').
 */
function successor(prefix: string): string | undefined {
  const digits = [...prefix].map(Number)
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 9) {
      digits[i]!++
      return digits.join('')
    }
    digits[i] = 0
  }
  return undefined
}

/**
 * Region codes under a prefix, as a range (`code >= '4301' and code < '4302'`) an index on the column
 * serves on both dialects, where `like '4301%'` is a scan (SQLite's LIKE is case-insensitive, so it
 * never uses an ordinary index; PostgreSQL's needs a C collation or text_pattern_ops). Region codes
 * are digits, and among digit strings the range is exactly the prefix's subtree under any collation.
 * A prefix that is not all digits falls back to LIKE; '' is everywhere.
 */
export function under(column: string, prefix: string): RawBuilder<SqlBool> {
  const ref = sql.ref(column)
  if (prefix === '') return sql<SqlBool>`1 = 1`
  if (!/^[0-9]+$/.test(prefix)) return sql<SqlBool>`${ref} like ${`${prefix}%`}`
  const next = successor(prefix)
  return next === undefined
    ? sql<SqlBool>`${ref} >= ${prefix}`
    : sql<SqlBool>`(${ref} >= ${prefix} and ${ref} < ${next})`
}

/** The ids of the departments in a region's subtree (a subquery). */
export const departmentsIn = (db: Executor, prefix: string) =>
  db.selectFrom('department').select('department.id').where(under('department.region_code', prefix))

/** Ratings of the period (not excluded by an upheld contest), with the rated version's publisher. */
export async function listRatings(
  db: Executor,
  w: Where,
  /** Which attribution the department filter reads: the handling department, or the publishing team. */
  attributed: 'department' | 'team' = 'department',
): Promise<RatingRow[]> {
  let q = db
    .selectFrom('case_rating as r')
    .leftJoin('matter_version as v', (j) =>
      j.onRef('v.matter_code', '=', 'r.matter_code').onRef('v.version', '=', 'r.matter_version'),
    )
    .select([
      'r.case_id',
      'r.score',
      'r.reform_score',
      'r.department_id',
      'r.region_code',
      'r.policy',
      'r.rated_at',
      'r.ledger_log',
      'r.ledger_index',
      'r.team_id',
      'v.published_by',
    ])
    .where('r.rated_at', '>=', w.from)
    .where('r.rated_at', '<', w.to)
    .where('r.excluded', '=', 0)
  if (attributed === 'team') q = q.where('r.reform_score', 'is not', null)
  if (w.by === 'place') q = q.where(under('r.region_code', w.prefix))
  else q = q.where(attributed === 'team' ? 'r.team_id' : 'r.department_id', 'in', departmentsIn(db, w.prefix))
  const rows = await q.orderBy('r.rated_at').orderBy('r.case_id').execute()
  return rows.map((r) => ({
    caseId: r.case_id,
    score: Number(r.score),
    reformScore: r.reform_score === null ? null : Number(r.reform_score),
    departmentId: r.department_id,
    regionCode: r.region_code,
    policy: r.policy,
    ratedAt: Number(r.rated_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
    teamId: r.team_id,
    publishedBy: r.published_by ?? null,
  }))
}

function completedSteps(db: Executor) {
  return db
    .selectFrom('case_task as t')
    .innerJoin('case_file as c', 'c.id', 't.case_id')
    .select([
      't.id',
      't.case_id',
      't.department_id',
      't.assignee_id',
      't.outcome',
      't.sla',
      't.due_at',
      't.completed_at',
      't.ledger_log',
      't.ledger_index',
      'c.region_code',
    ])
    .where('t.kind', '=', 'department')
    .where('t.status', '=', 'completed')
    .where('t.department_id', 'is not', null)
    .where('t.completed_at', 'is not', null)
}

type StepQueryRow = Awaited<ReturnType<ReturnType<typeof completedSteps>['execute']>>[number]

const toStep = (r: StepQueryRow): StepRow => ({
  id: r.id,
  caseId: r.case_id,
  departmentId: r.department_id as string,
  assigneeId: r.assignee_id,
  outcome: r.outcome,
  sla: r.sla,
  dueAt: r.due_at === null ? null : Number(r.due_at),
  completedAt: Number(r.completed_at),
  regionCode: r.region_code,
  ledger:
    r.ledger_log === null || r.ledger_index === null
      ? null
      : { log: r.ledger_log, index: Number(r.ledger_index) },
})

/** The completed department steps of the cases rated in the period (to find each deciding step). */
export async function listStepsOfRatedCases(db: Executor, w: Where): Promise<StepRow[]> {
  let rated = db
    .selectFrom('case_rating as r')
    .select('r.case_id')
    .where('r.rated_at', '>=', w.from)
    .where('r.rated_at', '<', w.to)
    .where('r.excluded', '=', 0)
  rated =
    w.by === 'place'
      ? rated.where(under('r.region_code', w.prefix))
      : rated.where('r.department_id', 'in', departmentsIn(db, w.prefix))
  return (await completedSteps(db).where('t.case_id', 'in', rated).execute()).map(toStep)
}

/** Department steps completed in the period. */
export async function listStepsCompleted(db: Executor, w: Where): Promise<StepRow[]> {
  let q = completedSteps(db).where('t.completed_at', '>=', w.from).where('t.completed_at', '<', w.to)
  q =
    w.by === 'place'
      ? q.where(under('c.region_code', w.prefix))
      : q.where('t.department_id', 'in', departmentsIn(db, w.prefix))
  return (await q.orderBy('t.completed_at').orderBy('t.id').execute()).map(toStep)
}

/** Cases finished (completed or rejected) in the period, and their completed department steps. */
export async function listFinishedCases(
  db: Executor,
  w: Where,
): Promise<{ cases: FinishedCaseRow[]; steps: StepRow[] }> {
  let cases = db
    .selectFrom('case_file as f')
    .where('f.status', 'in', ['completed', 'rejected'])
    .where('f.completed_at', '>=', w.from)
    .where('f.completed_at', '<', w.to)
  cases =
    w.by === 'place'
      ? cases.where(under('f.region_code', w.prefix))
      : cases.where(
          'f.id',
          'in',
          db
            .selectFrom('case_task as x')
            .select('x.case_id')
            .where('x.department_id', 'in', departmentsIn(db, w.prefix)),
        )
  const rows = await cases.select(['f.id', 'f.completed_at', 'f.region_code']).orderBy('f.id').execute()
  const steps = await completedSteps(db).where('t.case_id', 'in', cases.select('f.id')).execute()
  return {
    cases: rows.map((r) => ({
      caseId: r.id,
      completedAt: Number(r.completed_at),
      regionCode: r.region_code,
    })),
    steps: steps.map(toStep),
  }
}

/**
 * Appeals alive in the period (filed before its end, not closed before its start) in the region, and
 * all their steps in order. Appeals are filtered by place in both modes: routing sends an appeal only to
 * departments of its region or above, so every department of the subtree finds its appeals there.
 */
export async function listAppeals(
  db: Executor,
  w: Pick<Where, 'from' | 'to' | 'prefix'>,
): Promise<{ appeals: AppealRow[]; steps: AppealStepRow[] }> {
  const alive = db
    .selectFrom('appeal as a')
    .where(under('a.region_code', w.prefix))
    .where('a.created_at', '<', w.to)
    .where((eb) => eb.or([eb('a.closed_at', 'is', null), eb('a.closed_at', '>=', w.from)]))
  const rows = await alive
    .select(['a.id', 'a.status', 'a.region_code', 'a.respond_due_at', 'a.closed_at', 'a.reopened'])
    .orderBy('a.id')
    .execute()
  const steps = await db
    .selectFrom('appeal_step as s')
    .select(['s.appeal_id', 's.type', 's.at', 's.actor_id', 's.data', 's.ledger_log', 's.ledger_index'])
    .where('s.appeal_id', 'in', alive.select('a.id'))
    .orderBy('s.appeal_id')
    .orderBy('s.at')
    .orderBy('s.ledger_index')
    .execute()
  return {
    appeals: rows.map((r) => ({
      id: r.id,
      status: r.status,
      regionCode: r.region_code,
      respondDueAt: Number(r.respond_due_at),
      closedAt: r.closed_at === null ? null : Number(r.closed_at),
      reopened: Number(r.reopened) === 1,
    })),
    steps: steps.map((s) => ({
      appealId: s.appeal_id,
      type: s.type,
      at: Number(s.at),
      actorId: s.actor_id,
      data: JSON.parse(s.data) as Record<string, unknown>,
      ledger: { log: s.ledger_log, index: Number(s.ledger_index) },
    })),
  }
}

/** Rectifications due in the period and not void, with their steps. */
export async function listRectificationsDue(db: Executor, w: Where): Promise<RectificationRow[]> {
  let due = db
    .selectFrom('rectification as r')
    .where('r.due_at', '>=', w.from)
    .where('r.due_at', '<', w.to)
    .where('r.status', '!=', 'void')
  due =
    w.by === 'place'
      ? due.where(under('r.region_code', w.prefix))
      : due.where('r.department_id', 'in', departmentsIn(db, w.prefix))
  const rows = await due
    .select(['r.id', 'r.department_id', 'r.region_code', 'r.due_at', 'r.ledger_log', 'r.ledger_index'])
    .orderBy('r.id')
    .execute()
  const steps = await db
    .selectFrom('rectification_step as s')
    .select(['s.rectification_id', 's.kind', 's.at', 's.actor_id', 's.ledger_log', 's.ledger_index'])
    .where('s.rectification_id', 'in', due.select('r.id'))
    .execute()
  const byId = new Map<string, RectificationRow['steps']>()
  for (const s of steps) {
    const list = byId.get(s.rectification_id) ?? []
    list.push({
      kind: s.kind,
      at: Number(s.at),
      actorId: s.actor_id,
      ledger: { log: s.ledger_log, index: Number(s.ledger_index) },
    })
    byId.set(s.rectification_id, list)
  }
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id,
    regionCode: r.region_code,
    dueAt: Number(r.due_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
    steps: byId.get(r.id) ?? [],
  }))
}
