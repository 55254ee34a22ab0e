/**
 * SQL of appeals, their timelines, escalations, chains and contests. Returns typed objects.
 * @module
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { isPostgres } from '../../db/dialect.js'
import type {
  AppealChainTable,
  AppealEscalationTable,
  AppealStepTable,
  AppealTable,
  ChainContestTable,
} from '../../db/schema.js'
import type {
  AppealChannel,
  AppealConcern,
  AppealKind,
  AppealSatisfaction,
  AppealStatus,
} from '../../../shared/domain.js'
import type { Appeal } from './appeals.model.js'
import type { Chain, ChainLink, ChainTraceStep } from './chain.model.js'

export interface AppealStep {
  id: string
  appealId: string
  type: string
  at: number
  actorId: string
  data: Record<string, unknown>
  ledger: { log: string; index: number }
}

export interface AppealEscalation {
  id: string
  appealId: string
  round: number
  stage: 'respond' | 'resolve' | 'satisfaction'
  step: number
  level: 'supervisor' | 'leader'
  to: string[]
  at: number
  policy: string
  ledger: { log: string; index: number }
}

export interface StoredChain extends Chain {
  appealId: string
  revision: number
  cause: string
  builtAt: number
  ledger: { log: string; index: number }
}

export interface ChainContest {
  id: string
  appealId: string
  revision: number
  staffId: string
  departmentId: string
  reason: string
  status: 'pending' | 'upheld' | 'rejected'
  decidedBy: string | null
  decision: string | null
  createdAt: number
  decidedAt: number | null
  ledger: { log: string; index: number }
  decisionLedger: { log: string; index: number } | null
}

const n = (v: number | null): number | null => (v === null ? null : Number(v))

function toAppeal(r: AppealTable): Appeal {
  return {
    id: r.id,
    kind: r.kind as AppealKind,
    category: r.category,
    channel: r.channel as AppealChannel,
    text: r.text,
    lat: r.lat === null ? null : Number(r.lat),
    lng: r.lng === null ? null : Number(r.lng),
    regionCode: r.region_code,
    caseId: r.case_id,
    citizenId: r.citizen_id,
    filedBy: r.filed_by,
    contact: r.contact === null ? null : (JSON.parse(r.contact) as Appeal['contact']),
    attachments: JSON.parse(r.attachments) as string[],
    salt: r.salt,
    status: r.status as AppealStatus,
    departmentId: r.department_id,
    handlerId: r.handler_id,
    round: Number(r.round),
    respondDueAt: Number(r.respond_due_at),
    resolveDueAt: Number(r.resolve_due_at),
    respondedAt: n(r.responded_at),
    resolvedAt: n(r.resolved_at),
    closedAt: n(r.closed_at),
    response: r.response,
    resolution: r.resolution,
    satisfaction: r.satisfaction as AppealSatisfaction | null,
    reopened: Number(r.reopened) === 1,
    mergedInto: r.merged_into,
    concern: r.concern as AppealConcern,
    routingRule: r.routing_rule,
    routingPolicy: r.routing_policy,
    deadlinePolicy: r.deadline_policy,
    escalationPolicy: r.escalation_policy,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}

function toRow(a: Appeal): AppealTable {
  return {
    id: a.id,
    kind: a.kind,
    category: a.category,
    channel: a.channel,
    text: a.text,
    lat: a.lat,
    lng: a.lng,
    region_code: a.regionCode,
    case_id: a.caseId,
    citizen_id: a.citizenId,
    filed_by: a.filedBy,
    contact: a.contact === null ? null : JSON.stringify(a.contact),
    attachments: JSON.stringify(a.attachments),
    salt: a.salt,
    status: a.status,
    department_id: a.departmentId,
    handler_id: a.handlerId,
    round: a.round,
    respond_due_at: a.respondDueAt,
    resolve_due_at: a.resolveDueAt,
    responded_at: a.respondedAt,
    resolved_at: a.resolvedAt,
    closed_at: a.closedAt,
    response: a.response,
    resolution: a.resolution,
    satisfaction: a.satisfaction,
    reopened: a.reopened ? 1 : 0,
    merged_into: a.mergedInto,
    concern: a.concern,
    routing_rule: a.routingRule,
    routing_policy: a.routingPolicy,
    deadline_policy: a.deadlinePolicy,
    escalation_policy: a.escalationPolicy,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  }
}

export async function insertAppeal(db: Executor, a: Appeal): Promise<void> {
  await db.insertInto('appeal').values(toRow(a)).execute()
}

/**
 * Writes an appeal's new state if it is still at `expectedUpdatedAt` (optimistic concurrency: two
 * handlers acting at once cannot both win). @returns whether it was written
 */
export async function updateAppeal(db: Executor, a: Appeal, expectedUpdatedAt: number): Promise<boolean> {
  const { id: _id, ...row } = toRow(a)
  const res = await db
    .updateTable('appeal')
    .set(row)
    .where('id', '=', a.id)
    .where('updated_at', '=', expectedUpdatedAt)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function findAppeal(db: Executor, id: string): Promise<Appeal | undefined> {
  const row = await db.selectFrom('appeal').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toAppeal(row)
}

/** The texts of the given appeals (absent ids are left out). */
export async function findTexts(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('appeal')
      .select(['id', 'text'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const r of rows) out.set(r.id, r.text)
  }
  return out
}

export interface AppealQuery {
  caseId?: string
  citizenId?: string
  filedBy?: string
  departmentId?: string
  regionPrefix?: string
  statuses?: readonly AppealStatus[]
  kind?: AppealKind
  /** Open311's filters: service codes (categories), a time range on filing. */
  categories?: readonly string[]
  from?: number
  to?: number
  limit: number
  offset: number
  order?: 'newest' | 'due'
}

/** Appeals matching a query (its scoping fields already applied by the caller), with the total. */
export async function listAppeals(db: Executor, q: AppealQuery): Promise<{ items: Appeal[]; total: number }> {
  let query = db.selectFrom('appeal')
  if (q.caseId !== undefined) query = query.where('case_id', '=', q.caseId)
  if (q.citizenId !== undefined) query = query.where('citizen_id', '=', q.citizenId)
  if (q.filedBy !== undefined) query = query.where('filed_by', '=', q.filedBy)
  if (q.departmentId !== undefined) query = query.where('department_id', '=', q.departmentId)
  if (q.regionPrefix !== undefined) query = query.where('region_code', 'like', `${q.regionPrefix}%`)
  if (q.statuses?.length) query = query.where('status', 'in', [...q.statuses])
  if (q.kind !== undefined) query = query.where('kind', '=', q.kind)
  if (q.categories?.length) query = query.where('category', 'in', [...q.categories])
  if (q.from !== undefined) query = query.where('created_at', '>=', q.from)
  if (q.to !== undefined) query = query.where('created_at', '<=', q.to)
  const ordered =
    q.order === 'due'
      ? query.selectAll().orderBy('resolve_due_at').orderBy('id')
      : query.selectAll().orderBy('created_at', 'desc').orderBy('id')
  const [rows, count] = await Promise.all([
    ordered.limit(q.limit).offset(q.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toAppeal), total: Number(count.n) }
}

/** Open appeals of a category in a region filed since `since`: the candidates for duplicates. */
export async function listRecentInPlace(
  db: Executor,
  category: string,
  regionCode: string,
  since: number,
): Promise<Appeal[]> {
  const rows = await db
    .selectFrom('appeal')
    .selectAll()
    .where('category', '=', category)
    .where('region_code', '=', regionCode)
    .where('created_at', '>=', since)
    .where('status', 'not in', ['closed', 'merged'])
    .orderBy('created_at')
    .limit(200)
    .execute()
  return rows.map(toAppeal)
}

/** Ids of appeals not closed or merged, in id order after `after`, a page at a time. */
export async function listOpenIds(db: Executor, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('appeal')
    .select('id')
    .where('status', 'not in', ['closed', 'merged'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** Ids of the appeals about any of these cases that are not closed or merged, in id order. */
export async function listOpenIdsAboutCases(db: Executor, caseIds: readonly string[]): Promise<string[]> {
  if (!caseIds.length) return []
  const rows = await db
    .selectFrom('appeal')
    .select('id')
    .where('case_id', 'in', [...caseIds])
    .where('status', 'not in', ['closed', 'merged'])
    .orderBy('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Takes the row locks of these appeals until the transaction ends, in id order (so two lockers never
 * wait on each other in a circle). PostgreSQL: a handler's change of one of them (accept, return) waits,
 * then sees what this transaction wrote; SQLite has one writer at a time anyway. Read the appeals with
 * a separate statement afterwards (under READ COMMITTED a statement that waited sees its old snapshot).
 */
export async function lockAppeals(trx: Executor, ids: readonly string[]): Promise<void> {
  if (!ids.length || !isPostgres(trx)) return
  await sql`select id from appeal where id in (${sql.join([...ids].sort())}) order by id for update`.execute(
    trx,
  )
}

export async function listAllAppeals(db: Executor): Promise<Appeal[]> {
  return (await db.selectFrom('appeal').selectAll().orderBy('id').execute()).map(toAppeal)
}

// ---- steps ----------------------------------------------------------------------------------------

function toStep(r: AppealStepTable): AppealStep {
  return {
    id: r.id,
    appealId: r.appeal_id,
    type: r.type,
    at: Number(r.at),
    actorId: r.actor_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertSteps(db: Executor, steps: readonly AppealStep[]): Promise<void> {
  if (!steps.length) return
  await db
    .insertInto('appeal_step')
    .values(
      steps.map((s) => ({
        id: s.id,
        appeal_id: s.appealId,
        type: s.type,
        at: s.at,
        actor_id: s.actorId,
        data: JSON.stringify(s.data),
        ledger_log: s.ledger.log,
        ledger_index: s.ledger.index,
      })),
    )
    .execute()
}

export async function listSteps(db: Executor, appealId: string): Promise<AppealStep[]> {
  const rows = await db
    .selectFrom('appeal_step')
    .selectAll()
    .where('appeal_id', '=', appealId)
    .orderBy('at')
    .orderBy('ledger_index')
    .execute()
  return rows.map(toStep)
}

export async function listAllSteps(db: Executor): Promise<AppealStep[]> {
  return (await db.selectFrom('appeal_step').selectAll().orderBy('id').execute()).map(toStep)
}

// ---- escalations ------------------------------------------------------------------------------------

function toEscalation(r: AppealEscalationTable): AppealEscalation {
  return {
    id: r.id,
    appealId: r.appeal_id,
    round: Number(r.round),
    stage: r.stage as AppealEscalation['stage'],
    step: Number(r.step),
    level: r.level as AppealEscalation['level'],
    to: JSON.parse(r.to_ids) as string[],
    at: Number(r.at),
    policy: r.policy,
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertEscalation(db: Executor, e: AppealEscalation): Promise<void> {
  await db
    .insertInto('appeal_escalation')
    .values({
      id: e.id,
      appeal_id: e.appealId,
      round: e.round,
      stage: e.stage,
      step: e.step,
      level: e.level,
      to_ids: JSON.stringify(e.to),
      at: e.at,
      policy: e.policy,
      ledger_log: e.ledger.log,
      ledger_index: e.ledger.index,
    })
    .execute()
}

export async function listEscalations(db: Executor, appealId: string): Promise<AppealEscalation[]> {
  const rows = await db
    .selectFrom('appeal_escalation')
    .selectAll()
    .where('appeal_id', '=', appealId)
    .orderBy('at')
    .orderBy('ledger_index')
    .execute()
  return rows.map(toEscalation)
}

export async function listAllEscalations(db: Executor): Promise<AppealEscalation[]> {
  return (await db.selectFrom('appeal_escalation').selectAll().orderBy('id').execute()).map(toEscalation)
}

// ---- chains -------------------------------------------------------------------------------------------

function toChain(r: AppealChainTable): StoredChain {
  return {
    appealId: r.appeal_id,
    revision: Number(r.revision),
    policyVersion: r.policy,
    rule: r.rule,
    links: JSON.parse(r.links) as ChainLink[],
    trace: JSON.parse(r.trace) as ChainTraceStep[],
    cause: r.cause,
    builtAt: Number(r.built_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertChain(db: Executor, c: StoredChain): Promise<void> {
  await db
    .insertInto('appeal_chain')
    .values({
      appeal_id: c.appealId,
      revision: c.revision,
      policy: c.policyVersion,
      rule: c.rule,
      links: JSON.stringify(c.links),
      trace: JSON.stringify(c.trace),
      cause: c.cause,
      built_at: c.builtAt,
      ledger_log: c.ledger.log,
      ledger_index: c.ledger.index,
    })
    .execute()
}

/** The current (latest) chain of an appeal. */
export async function findChain(db: Executor, appealId: string): Promise<StoredChain | undefined> {
  const row = await db
    .selectFrom('appeal_chain')
    .selectAll()
    .where('appeal_id', '=', appealId)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && toChain(row)
}

export async function listChains(db: Executor, appealId: string): Promise<StoredChain[]> {
  const rows = await db
    .selectFrom('appeal_chain')
    .selectAll()
    .where('appeal_id', '=', appealId)
    .orderBy('revision')
    .execute()
  return rows.map(toChain)
}

export async function listAllChains(db: Executor): Promise<StoredChain[]> {
  return (
    await db.selectFrom('appeal_chain').selectAll().orderBy('appeal_id').orderBy('revision').execute()
  ).map(toChain)
}

// ---- contests ---------------------------------------------------------------------------------------------

function toContest(r: ChainContestTable): ChainContest {
  return {
    id: r.id,
    appealId: r.appeal_id,
    revision: Number(r.revision),
    staffId: r.staff_id,
    departmentId: r.department_id,
    reason: r.reason,
    status: r.status as ChainContest['status'],
    decidedBy: r.decided_by,
    decision: r.decision,
    createdAt: Number(r.created_at),
    decidedAt: n(r.decided_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
    decisionLedger:
      r.decision_ledger_log === null || r.decision_ledger_index === null
        ? null
        : { log: r.decision_ledger_log, index: Number(r.decision_ledger_index) },
  }
}

export async function insertContest(db: Executor, c: ChainContest): Promise<void> {
  await db
    .insertInto('chain_contest')
    .values({
      id: c.id,
      appeal_id: c.appealId,
      revision: c.revision,
      staff_id: c.staffId,
      department_id: c.departmentId,
      reason: c.reason,
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
    ledger: { log: string; index: number }
  },
): Promise<boolean> {
  const res = await db
    .updateTable('chain_contest')
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

export async function findContest(db: Executor, id: string): Promise<ChainContest | undefined> {
  const row = await db.selectFrom('chain_contest').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toContest(row)
}

export async function listContestsOf(db: Executor, appealId: string): Promise<ChainContest[]> {
  const rows = await db
    .selectFrom('chain_contest')
    .selectAll()
    .where('appeal_id', '=', appealId)
    .orderBy('created_at')
    .execute()
  return rows.map(toContest)
}

/** Contests of officials of these departments, pending first, newest first. */
export async function listContestsOfDepartments(
  db: Executor,
  departmentIds: readonly string[] | null,
  regionPrefix: string,
  status: ChainContest['status'] | undefined,
  limit: number,
): Promise<ChainContest[]> {
  let q = db
    .selectFrom('chain_contest')
    .innerJoin('appeal', 'appeal.id', 'chain_contest.appeal_id')
    .selectAll('chain_contest')
    .where('appeal.region_code', 'like', `${regionPrefix}%`)
  if (departmentIds !== null) {
    if (!departmentIds.length) return []
    q = q.where('chain_contest.department_id', 'in', [...departmentIds])
  }
  if (status) q = q.where('chain_contest.status', '=', status)
  const rows = await q.orderBy('chain_contest.created_at', 'desc').limit(limit).execute()
  return rows.map(toContest)
}

export async function listAllContests(db: Executor): Promise<ChainContest[]> {
  return (await db.selectFrom('chain_contest').selectAll().orderBy('id').execute()).map(toContest)
}
