/**
 * SQL of rectifications and their steps. Returns typed objects; lists apply the caller's Scope.
 * @module
 */
import type { Scope } from '../../access.js'
import type { Executor } from '../../db/database.js'
import type { RectificationChainTable, RectificationStepTable, RectificationTable } from '../../db/schema.js'
import type { Chain } from '../appeals/index.js'
import type { RectificationContest, RectificationStatus } from '../../../shared/api.js'

export interface StoredRectification {
  id: string
  caseId: string
  departmentId: string | null
  regionCode: string
  status: RectificationStatus
  dueAt: number
  policy: string
  createdAt: number
  ledger: { log: string; index: number }
  contest: RectificationContest | null
  escalatedAt: number | null
  revision: number
}

/** A rectification with the rating that opened it. */
export interface RatedRectification extends StoredRectification {
  rating: {
    applicantId: string
    score: number
    tags: string[]
    comment: string | null
    excluded: boolean
    matterCode: string
  }
}

export type StepKind = RectificationStepTable['kind']

export interface StoredStep {
  rectificationId: string
  kind: StepKind
  at: number
  actorId: string
  text: string | null
  salt: string | null
  calledAt: number | null
  verdict: boolean | null
  staffIds: string[]
  ledger: { log: string; index: number }
}

const toRectification = (r: RectificationTable): StoredRectification => ({
  id: r.id,
  caseId: r.case_id,
  departmentId: r.department_id,
  regionCode: r.region_code,
  status: r.status,
  dueAt: Number(r.due_at),
  policy: r.policy,
  createdAt: Number(r.created_at),
  ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  contest: r.contest,
  escalatedAt: r.escalated_at === null ? null : Number(r.escalated_at),
  revision: Number(r.revision),
})

const toStep = (r: RectificationStepTable): StoredStep => ({
  rectificationId: r.rectification_id,
  kind: r.kind,
  at: Number(r.at),
  actorId: r.actor_id,
  text: r.text,
  salt: r.salt,
  calledAt: r.called_at === null ? null : Number(r.called_at),
  verdict: r.verdict === null ? null : Number(r.verdict) === 1,
  staffIds: r.staff_ids === null ? [] : (JSON.parse(r.staff_ids) as string[]),
  ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
})

export async function insertRectification(db: Executor, r: StoredRectification): Promise<void> {
  await db
    .insertInto('rectification')
    .values({
      id: r.id,
      case_id: r.caseId,
      department_id: r.departmentId,
      region_code: r.regionCode,
      status: r.status,
      due_at: r.dueAt,
      policy: r.policy,
      created_at: r.createdAt,
      ledger_log: r.ledger.log,
      ledger_index: r.ledger.index,
      contest: r.contest,
      escalated_at: r.escalatedAt,
      revision: r.revision,
    })
    .execute()
}

function withRating(db: Executor) {
  return db
    .selectFrom('rectification')
    .innerJoin('case_rating', 'case_rating.case_id', 'rectification.case_id')
    .selectAll('rectification')
    .select([
      'case_rating.applicant_id as r_applicant',
      'case_rating.score as r_score',
      'case_rating.tags as r_tags',
      'case_rating.comment as r_comment',
      'case_rating.excluded as r_excluded',
      'case_rating.matter_code as r_matter',
    ])
}

type RatedRow = RectificationTable & {
  r_applicant: string
  r_score: number
  r_tags: string
  r_comment: string | null
  r_excluded: number
  r_matter: string
}

const toRated = (r: RatedRow): RatedRectification => ({
  ...toRectification(r),
  rating: {
    applicantId: r.r_applicant,
    score: Number(r.r_score),
    tags: JSON.parse(r.r_tags) as string[],
    comment: r.r_comment,
    excluded: Number(r.r_excluded) === 1,
    matterCode: r.r_matter,
  },
})

export async function findRectification(db: Executor, id: string): Promise<RatedRectification | undefined> {
  const row = await withRating(db).where('rectification.id', '=', id).executeTakeFirst()
  return row && toRated(row)
}

export async function findRectificationOf(
  db: Executor,
  caseId: string,
): Promise<StoredRectification | undefined> {
  const row = await db
    .selectFrom('rectification')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst()
  return row && toRectification(row)
}

export interface RectificationQuery {
  status?: RectificationStatus
  departmentId?: string
  overdue?: boolean
  limit: number
  offset: number
}

/**
 * Rectifications the scope shows, soonest deadline first, with the total. A department scope shows its
 * department's rectifications wherever the case sits (as a department grant reaches its department's
 * resources anywhere: `src/shared/permissions.ts`); an account scope the rectifications of its own
 * ratings; otherwise the cases of the region subtree.
 */
export async function listRectifications(
  db: Executor,
  scope: Scope,
  query: RectificationQuery,
): Promise<{ items: RatedRectification[]; total: number }> {
  let q = withRating(db)
  if (scope.accountId !== null) q = q.where('case_rating.applicant_id', '=', scope.accountId)
  else if (scope.departmentId !== null) q = q.where('rectification.department_id', '=', scope.departmentId)
  else q = q.where('rectification.region_code', 'like', `${scope.regionPrefix}%`)
  if (query.status) q = q.where('rectification.status', '=', query.status)
  if (query.departmentId) q = q.where('rectification.department_id', '=', query.departmentId)
  if (query.overdue !== undefined)
    q = q.where('rectification.escalated_at', query.overdue ? 'is not' : 'is', null)
  const [rows, count] = await Promise.all([
    q
      .orderBy('rectification.due_at')
      .orderBy('rectification.id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toRated), total: Number(count.n) }
}

/**
 * Applies a change only if the rectification is still at `revision` (bumping it).
 * @returns false when someone changed it meanwhile
 */
export async function updateRectification(
  db: Executor,
  id: string,
  revision: number,
  patch: Partial<Pick<RectificationTable, 'status' | 'contest' | 'escalated_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('rectification')
    .set({ ...patch, revision: revision + 1 })
    .where('id', '=', id)
    .where('revision', '=', revision)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertStep(db: Executor, s: StoredStep): Promise<void> {
  await db
    .insertInto('rectification_step')
    .values({
      rectification_id: s.rectificationId,
      kind: s.kind,
      at: s.at,
      actor_id: s.actorId,
      text: s.text,
      salt: s.salt,
      called_at: s.calledAt,
      verdict: s.verdict === null ? null : s.verdict ? 1 : 0,
      staff_ids: s.staffIds.length ? JSON.stringify(s.staffIds) : null,
      ledger_log: s.ledger.log,
      ledger_index: s.ledger.index,
    })
    .execute()
}

/** The steps of a rectification in the order they were recorded. */
export async function listSteps(db: Executor, id: string): Promise<StoredStep[]> {
  const rows = await db
    .selectFrom('rectification_step')
    .selectAll()
    .where('rectification_id', '=', id)
    .orderBy('ledger_index')
    .execute()
  return rows.map(toStep)
}

/** The steps of several rectifications (a page of a list). */
export async function listStepsOf(db: Executor, ids: readonly string[]): Promise<StoredStep[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('rectification_step')
    .selectAll()
    .where('rectification_id', 'in', ids)
    .orderBy('ledger_index')
    .execute()
  return rows.map(toStep)
}

/** Rectifications whose deadline may still escalate (open or called back, not escalated yet). */
export async function listAwaitingDeadline(
  db: Executor,
): Promise<{ id: string; caseId: string; regionCode: string; dueAt: number }[]> {
  const rows = await db
    .selectFrom('rectification')
    .select(['id', 'case_id', 'region_code', 'due_at'])
    .where('status', 'in', ['open', 'called_back'])
    .where('escalated_at', 'is', null)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    regionCode: r.region_code,
    dueAt: Number(r.due_at),
  }))
}

export async function listAllRectifications(db: Executor): Promise<StoredRectification[]> {
  return (await db.selectFrom('rectification').selectAll().orderBy('id').execute()).map(toRectification)
}

export async function listAllSteps(db: Executor): Promise<StoredStep[]> {
  return (
    await db
      .selectFrom('rectification_step')
      .selectAll()
      .orderBy('rectification_id')
      .orderBy('kind')
      .execute()
  ).map(toStep)
}

/** A rectification's responsibility chain, as stored. */
export interface StoredRectificationChain {
  rectificationId: string
  chain: Chain
  builtAt: number
  ledger: { log: string; index: number }
}

export async function insertChain(db: Executor, c: StoredRectificationChain): Promise<void> {
  await db
    .insertInto('rectification_chain')
    .values({
      rectification_id: c.rectificationId,
      policy: c.chain.policyVersion,
      rule: c.chain.rule,
      links: JSON.stringify(c.chain.links),
      trace: JSON.stringify(c.chain.trace),
      built_at: c.builtAt,
      ledger_log: c.ledger.log,
      ledger_index: c.ledger.index,
    })
    .execute()
}

function toChain(r: RectificationChainTable): StoredRectificationChain {
  return {
    rectificationId: r.rectification_id,
    chain: {
      policyVersion: r.policy,
      rule: r.rule,
      links: JSON.parse(r.links) as Chain['links'],
      trace: JSON.parse(r.trace) as Chain['trace'],
    },
    builtAt: Number(r.built_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function findChain(db: Executor, id: string): Promise<StoredRectificationChain | undefined> {
  const row = await db
    .selectFrom('rectification_chain')
    .selectAll()
    .where('rectification_id', '=', id)
    .executeTakeFirst()
  return row && toChain(row)
}

export async function listAllChains(db: Executor): Promise<StoredRectificationChain[]> {
  return (await db.selectFrom('rectification_chain').selectAll().orderBy('rectification_id').execute()).map(
    toChain,
  )
}
