/**
 * SQL of the traceability and consistency facts (see `trace-facts.model.ts`): steps with what the
 * ledger holds at the position each claims, flagged accesses reviewed, discrepant submissions and the
 * records they contradicted, the records held, and discrepancy appeals closed. Like `assessment.store.ts`
 * a read model over other modules' rows (and the ledger's leaves), set-based: one query per kind of row
 * for a period and a region, whatever the number of subjects. Both dialects.
 * @module
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import { DATA_SOURCE_INFO } from '../dataplatform/index.js'
import { regionLevels } from './assessment.model.js'
import { departmentsIn, under, type Where } from './assessment.store.js'
import type {
  AccessReviewRow,
  CorrectionRow,
  DiscrepantCaseRow,
  HeldRecordRow,
  HolderRow,
  HoldingRow,
  TraceStepRow,
} from './trace-facts.model.js'

/**
 * The submission event type as a literal, not a parameter: the planners can then use the partial
 * index over submissions (`case_event_submitted_idx`), one entry per case, instead of reading every
 * event of each case.
 */
const SUBMITTED = sql.lit('case.submitted')

const num = (v: number | string | null): number | null => (v === null ? null : Number(v))
const text = (leaf: Uint8Array | null): string | null =>
  leaf === null ? null : Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('utf8')

/**
 * Department steps completed in the period, each with the highest visit of its node in the case, the
 * leaf at the position its row claims (one join on the ledger's primary key) and the case's submission.
 */
export async function listTraceSteps(db: Executor, w: Where): Promise<TraceStepRow[]> {
  let q = db
    .selectFrom('case_task as t')
    .innerJoin('case_file as c', 'c.id', 't.case_id')
    .leftJoin('ledger_leaf as l', (j) =>
      j.onRef('l.log_id', '=', 't.ledger_log').onRef('l.idx', '=', 't.ledger_index'),
    )
    .leftJoin('case_event as s', (j) => j.onRef('s.case_id', '=', 't.case_id').on('s.type', '=', SUBMITTED))
    .select((eb) => [
      't.id',
      't.case_id',
      't.node_id',
      't.iteration',
      't.department_id',
      't.assignee_id',
      't.completed_at',
      't.ledger_log',
      't.ledger_index',
      'c.region_code',
      'l.leaf',
      's.ledger_log as submitted_log',
      's.ledger_index as submitted_index',
      eb
        .selectFrom('case_task as o')
        .select((o) => o.fn.max('o.iteration').as('m'))
        .whereRef('o.case_id', '=', 't.case_id')
        .whereRef('o.node_id', '=', 't.node_id')
        .as('last_iteration'),
    ])
    .where('t.kind', '=', 'department')
    .where('t.status', '=', 'completed')
    .where('t.department_id', 'is not', null)
    .where('t.completed_at', '>=', w.from)
    .where('t.completed_at', '<', w.to)
  q =
    w.by === 'place'
      ? q.where(under('c.region_code', w.prefix))
      : q.where('t.department_id', 'in', departmentsIn(db, w.prefix))
  const rows = await q.orderBy('t.completed_at').orderBy('t.id').execute()
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    nodeId: r.node_id,
    iteration: Number(r.iteration),
    lastIteration: Number(r.last_iteration ?? r.iteration),
    departmentId: r.department_id as string,
    assigneeId: r.assignee_id,
    completedAt: Number(r.completed_at),
    regionCode: r.region_code,
    claimed:
      r.ledger_log === null || r.ledger_index === null
        ? null
        : { log: r.ledger_log, index: Number(r.ledger_index) },
    leaf: text(r.leaf),
    submitted:
      r.submitted_log === null || r.submitted_index === null
        ? null
        : { log: r.submitted_log, index: Number(r.submitted_index) },
  }))
}

/** Flagged data accesses reviewed in the period, with their case's region. */
export async function listAccessReviews(db: Executor, w: Where): Promise<AccessReviewRow[]> {
  let q = db
    .selectFrom('data_access as a')
    .innerJoin('case_file as c', 'c.id', 'a.case_id')
    .select([
      'a.id',
      'a.case_id',
      'a.staff_id',
      'a.department_id',
      'c.region_code',
      'a.reviewed_at',
      'a.review_verdict',
      'a.ledger_log',
      'a.review_ledger_index',
    ])
    .where('a.flagged', '=', 1)
    .where('a.reviewed_at', '>=', w.from)
    .where('a.reviewed_at', '<', w.to)
    .where('a.review_verdict', 'is not', null)
    .where('a.review_ledger_index', 'is not', null)
  q =
    w.by === 'place'
      ? q.where(under('c.region_code', w.prefix))
      : q.where('a.department_id', 'in', departmentsIn(db, w.prefix))
  const rows = await q.orderBy('a.reviewed_at').orderBy('a.id').execute()
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    staffId: r.staff_id,
    departmentId: r.department_id,
    regionCode: r.region_code,
    reviewedAt: Number(r.reviewed_at),
    verdict: r.review_verdict as AccessReviewRow['verdict'],
    ledger: { log: r.ledger_log, index: Number(r.review_ledger_index) },
  }))
}

/**
 * Cases submitted in the period whose values contradicted records, anywhere (where a discrepancy
 * counts is the contradicted record's region, known only once the record is read), with the records.
 * Records are read by key in chunks: a handful of queries for a period's discrepancies.
 */
export async function listDiscrepancies(
  db: Executor,
  w: Pick<Where, 'from' | 'to'>,
): Promise<{ cases: DiscrepantCaseRow[]; records: HeldRecordRow[] }> {
  const rows = await db
    .selectFrom('case_file as c')
    .innerJoin('case_event as s', (j) => j.onRef('s.case_id', '=', 'c.id').on('s.type', '=', SUBMITTED))
    .select(['c.id', 'c.submitted_at', 'c.region_code', 'c.discrepancies', 's.ledger_log', 's.ledger_index'])
    .where('c.submitted_at', '>=', w.from)
    .where('c.submitted_at', '<', w.to)
    .where('c.discrepancies', '!=', '[]')
    .orderBy('c.submitted_at')
    .orderBy('c.id')
    .execute()
  const cases = rows.map((r): DiscrepantCaseRow => ({
    caseId: r.id,
    submittedAt: Number(r.submitted_at),
    regionCode: r.region_code,
    discrepancies: JSON.parse(r.discrepancies) as DiscrepantCaseRow['discrepancies'],
    submitted: { log: r.ledger_log, index: Number(r.ledger_index) },
  }))
  const keys = [...new Set(cases.flatMap((c) => c.discrepancies.map((d) => d.recordKey)))]
  const records: HeldRecordRow[] = []
  for (let i = 0; i < keys.length; i += 500) {
    const found = await db
      .selectFrom('data_record')
      .select(['source', 'record_key', 'owner_department_kind', 'region_code', 'updated_by', 'updated_at'])
      .where('record_key', 'in', keys.slice(i, i + 500))
      .execute()
    for (const r of found)
      records.push({
        source: r.source,
        key: r.record_key,
        ownerKind: r.owner_department_kind,
        regionCode: r.region_code,
        updatedBy: r.updated_by,
        updatedAt: Number(r.updated_at),
      })
  }
  return { cases, records }
}

/**
 * The records held in the region (a department of the subtree holds only records of the subtree), by
 * source, region, owning kind and keeper, with the latest registration entry of each group; records
 * without one are left out.
 */
export async function listHoldings(db: Executor, w: Pick<Where, 'prefix'>): Promise<HoldingRow[]> {
  const rows = await db
    .selectFrom('data_record')
    .select((eb) => [
      'source',
      'region_code',
      'owner_department_kind',
      'updated_by',
      'ledger_log',
      eb.fn.countAll().as('records'),
      eb.fn.max('updated_at').as('updated_at'),
      eb.fn.max('ledger_index').as('ledger_index'),
    ])
    .where(under('region_code', w.prefix))
    .where('ledger_log', 'is not', null)
    .groupBy(['source', 'region_code', 'owner_department_kind', 'updated_by', 'ledger_log'])
    .orderBy('source')
    .orderBy('region_code')
    .execute()
  return rows.flatMap((r) => {
    const index = num(r.ledger_index)
    if (r.ledger_log === null || index === null) return []
    return [
      {
        source: r.source,
        ownerKind: r.owner_department_kind,
        regionCode: r.region_code,
        keeperId: r.updated_by,
        records: Number(r.records),
        updatedAt: Number(r.updated_at),
        ledger: { log: r.ledger_log, index },
      },
    ]
  })
}

/**
 * The departments that may hold the region's records: of an owning kind, in the region's subtree or
 * at one of its ancestors (a county without its own bureau has its records held by the city's).
 */
export async function listHolders(db: Executor, w: Pick<Where, 'prefix'>): Promise<HolderRow[]> {
  const kinds = [...new Set(Object.values(DATA_SOURCE_INFO).map((s) => s.ownerDepartmentKind))]
  const above = regionLevels(w.prefix).filter((c) => c !== w.prefix)
  const rows = await db
    .selectFrom('department')
    .select(['id', 'kind', 'region_code'])
    .where('kind', 'in', kinds)
    .where((eb) =>
      eb.or([under('region_code', w.prefix), ...(above.length > 0 ? [eb('region_code', 'in', above)] : [])]),
    )
    .execute()
  return rows.map((r) => ({ id: r.id, kind: r.kind, regionCode: r.region_code }))
}

/**
 * Discrepancy appeals closed in the period in the region (by place in both modes, as appeals are: see
 * `listAppeals`), with the case's submission and the closing step's entry.
 */
export async function listCorrections(
  db: Executor,
  w: Pick<Where, 'from' | 'to' | 'prefix'>,
): Promise<CorrectionRow[]> {
  const rows = await db
    .selectFrom('appeal as a')
    .innerJoin('appeal_step as s', (j) =>
      j
        .onRef('s.appeal_id', '=', 'a.id')
        .onRef('s.at', '=', 'a.closed_at')
        .on('s.type', 'in', ['appeal.resolved', 'appeal.rated']),
    )
    .leftJoin('case_file as c', 'c.id', 'a.case_id')
    .select([
      'a.id',
      'a.region_code',
      'a.department_id',
      'a.handler_id',
      'a.created_at',
      'a.closed_at',
      'c.submitted_at',
      's.ledger_log',
      's.ledger_index',
    ])
    .where('a.kind', '=', 'discrepancy')
    .where('a.status', '=', 'closed')
    .where('a.closed_at', '>=', w.from)
    .where('a.closed_at', '<', w.to)
    .where(under('a.region_code', w.prefix))
    .orderBy('a.id')
    .orderBy('s.ledger_index')
    .execute()
  // The last closing step of each appeal (a resolution and a rating in the same instant: the rating).
  const byAppeal = new Map<string, CorrectionRow>()
  for (const r of rows)
    byAppeal.set(r.id, {
      appealId: r.id,
      regionCode: r.region_code,
      departmentId: r.department_id,
      handlerId: r.handler_id,
      createdAt: Number(r.created_at),
      submittedAt: num(r.submitted_at),
      closedAt: Number(r.closed_at),
      ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
    })
  return [...byAppeal.values()]
}
