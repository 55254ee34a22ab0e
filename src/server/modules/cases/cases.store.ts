/**
 * SQL for cases, their tasks, timers and events. Inbox reads take the caller's Scope.
 * Used only by the case service. Rows become the model's typed objects (`CaseFile`, `CaseTask`,
 * `CaseEvent`) here and only here: JSON text columns are parsed in {@link toCaseFile} and
 * {@link toCaseTask} and written in {@link fromCaseFile} and {@link fromCaseTask} (and by the two
 * update statements for the columns they set), and PostgreSQL's bigint times become numbers.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { CaseEventTable, CaseFileTable, CaseTaskTable, CaseTimerTable } from '../../db/schema.js'
import type { InstanceState, JsonObject } from '../workflow/engine/index.js'
import type { CaseEvent, CaseFile, CaseTask, CaseTaskPatch, Discrepancy } from './cases.model.js'

const num = (v: number | null): number | null => (v === null ? null : Number(v))

function toCaseFile(row: CaseFileTable): CaseFile {
  return {
    ...row,
    status: row.status as CaseFile['status'],
    data: JSON.parse(row.data) as JsonObject,
    instance: JSON.parse(row.instance) as InstanceState,
    discrepancies: JSON.parse(row.discrepancies) as Discrepancy[],
    matter_version: Number(row.matter_version),
    revision: Number(row.revision),
    trips: Number(row.trips),
    submitted_at: Number(row.submitted_at),
    due_at: Number(row.due_at),
    updated_at: Number(row.updated_at),
    accepted_at: num(row.accepted_at),
    completed_at: num(row.completed_at),
  }
}

function fromCaseFile(c: CaseFile): CaseFileTable {
  return {
    ...c,
    data: JSON.stringify(c.data),
    instance: JSON.stringify(c.instance),
    discrepancies: JSON.stringify(c.discrepancies),
  }
}

function toCaseTask<T extends CaseTaskTable>(row: T): Omit<T, 'fields' | 'outcomes'> & CaseTask {
  return {
    ...row,
    fields: JSON.parse(row.fields) as string[],
    outcomes: JSON.parse(row.outcomes) as string[],
    iteration: Number(row.iteration),
    created_at: Number(row.created_at),
    due_at: num(row.due_at),
    completed_at: num(row.completed_at),
    ledger_index: num(row.ledger_index),
  }
}

function fromCaseTask(t: CaseTask): CaseTaskTable {
  return { ...t, fields: JSON.stringify(t.fields), outcomes: JSON.stringify(t.outcomes) }
}

export async function insertCase(db: Executor, c: CaseFile): Promise<void> {
  await db.insertInto('case_file').values(fromCaseFile(c)).execute()
}

export async function findCase(db: Executor, id: string): Promise<CaseFile | undefined> {
  const row = await db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toCaseFile(row)
}

/**
 * Writes the case's new workflow state if nobody else did in between (the stored revision is the one
 * the command started from). @returns false on a concurrent change
 */
export async function updateCaseState(
  db: Executor,
  id: string,
  fromRevision: number,
  patch: Pick<CaseFile, 'instance' | 'revision' | 'status' | 'data' | 'updated_at'> &
    Partial<Pick<CaseFile, 'accepted_at' | 'completed_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('case_file')
    .set({ ...patch, instance: JSON.stringify(patch.instance), data: JSON.stringify(patch.data) })
    .where('id', '=', id)
    .where('revision', '=', fromRevision)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function listCasesOfApplicant(db: Executor, applicantId: string): Promise<CaseFile[]> {
  const rows = await db
    .selectFrom('case_file')
    .selectAll()
    .where('applicant_id', '=', applicantId)
    .orderBy('submitted_at', 'desc')
    .limit(200)
    .execute()
  return rows.map(toCaseFile)
}

/** A case as a list behind a chart shows it: no applicant, no form data. */
export interface CaseDigest {
  id: string
  matterCode: string
  regionCode: string
  status: string
  submittedAt: number
  /** The department of the case's latest department step, or null before the first. */
  departmentId: string | null
}

/**
 * Cases of a region subtree submitted in [from, to), newest first, optionally of one status or with a
 * step of one department (the region index, then the case's steps by the case index).
 */
export async function listCaseDigests(
  db: Executor,
  q: {
    regionPrefix: string
    from: number
    to: number
    status?: string
    departmentId?: string
    limit: number
    offset: number
  },
): Promise<{ items: CaseDigest[]; total: number }> {
  let query = db
    .selectFrom('case_file')
    .where('region_code', 'like', `${q.regionPrefix}%`)
    .where('submitted_at', '>=', q.from)
    .where('submitted_at', '<', q.to)
  if (q.status !== undefined) query = query.where('status', '=', q.status)
  if (q.departmentId !== undefined) {
    const department = q.departmentId
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_task')
          .select('case_task.id')
          .whereRef('case_task.case_id', '=', 'case_file.id')
          .where('case_task.department_id', '=', department),
      ),
    )
  }
  const [rows, count] = await Promise.all([
    query
      .select((eb) => [
        'case_file.id',
        'case_file.matter_code',
        'case_file.region_code',
        'case_file.status',
        'case_file.submitted_at',
        eb
          .selectFrom('case_task')
          .select('case_task.department_id')
          .whereRef('case_task.case_id', '=', 'case_file.id')
          .where('case_task.kind', '=', 'department')
          .orderBy('case_task.created_at', 'desc')
          .orderBy('case_task.id', 'desc')
          .limit(1)
          .as('department_id'),
      ])
      .orderBy('case_file.submitted_at', 'desc')
      .orderBy('case_file.id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    items: rows.map((r) => ({
      id: r.id,
      matterCode: r.matter_code,
      regionCode: r.region_code,
      status: r.status,
      submittedAt: Number(r.submitted_at),
      departmentId: r.department_id ?? null,
    })),
    total: Number(count.n),
  }
}

export async function insertTasks(db: Executor, tasks: readonly CaseTask[]): Promise<void> {
  if (tasks.length) await db.insertInto('case_task').values(tasks.map(fromCaseTask)).execute()
}

export async function updateTask(db: Executor, id: string, patch: CaseTaskPatch): Promise<void> {
  await db.updateTable('case_task').set(patch).where('id', '=', id).execute()
}

export async function findTask(db: Executor, id: string): Promise<CaseTask | undefined> {
  const row = await db.selectFrom('case_task').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toCaseTask(row)
}

export async function listTasksOfCase(db: Executor, caseId: string): Promise<CaseTask[]> {
  const rows = await db
    .selectFrom('case_task')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toCaseTask)
}

/**
 * Open tasks of a department (for the roles given), or a citizen's own applicant tasks; soonest due
 * first. The department is the scope: its tasks may serve cases of other regions (a transfer's
 * destination city works a case filed where the applicant lives).
 */
export async function listOpenTasks(
  db: Executor,
  who: { departmentId: string | null; roles: readonly string[]; applicantId: string | null },
): Promise<(CaseTask & { matter_code: string })[]> {
  let q = db
    .selectFrom('case_task')
    .innerJoin('case_file', 'case_file.id', 'case_task.case_id')
    .selectAll('case_task')
    .select('case_file.matter_code as matter_code')
    .where('case_task.status', '=', 'open')
  if (who.applicantId !== null) {
    q = q.where('case_task.kind', '=', 'applicant').where('case_file.applicant_id', '=', who.applicantId)
  } else {
    q = q
      .where('case_task.kind', '=', 'department')
      .where('case_task.department_id', '=', who.departmentId ?? '')
      .where('case_task.role', 'in', who.roles.length ? [...who.roles] : [''])
  }
  const rows = await q.orderBy('case_task.due_at').orderBy('case_task.created_at').limit(500).execute()
  return rows.map(toCaseTask)
}

/** Sets the status of several timers at once (one statement). */
export async function setTimersStatus(
  db: Executor,
  ids: readonly string[],
  status: CaseTimerTable['status'],
  firedAt: number | null,
): Promise<void> {
  if (ids.length)
    await db
      .updateTable('case_timer')
      .set({ status, fired_at: firedAt })
      .where('id', 'in', [...ids])
      .execute()
}

/** Every pending timer, with its case's region. */
export async function listPendingTimers(db: Executor): Promise<(CaseTimerTable & { region_code: string })[]> {
  const rows = await db
    .selectFrom('case_timer')
    .innerJoin('case_file', 'case_file.id', 'case_timer.case_id')
    .selectAll('case_timer')
    .select('case_file.region_code')
    .where('case_timer.status', '=', 'pending')
    .orderBy('case_timer.id')
    .execute()
  return rows.map((r) => ({ ...r, due_at: Number(r.due_at) }))
}

export async function insertEvents(db: Executor, events: readonly CaseEvent[]): Promise<void> {
  const rows: CaseEventTable[] = events.map((e) => ({ ...e, data: JSON.stringify(e.data) }))
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('case_event')
      .values(rows.slice(i, i + 500))
      .execute()
}

export async function listEvents(db: Executor, caseId: string): Promise<CaseEvent[]> {
  const rows = await db
    .selectFrom('case_event')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('ledger_index')
    .execute()
  return rows.map((r) => ({
    ...r,
    data: JSON.parse(r.data) as Record<string, unknown>,
    at: Number(r.at),
    ledger_index: Number(r.ledger_index),
  }))
}

/** The ledger position of a case's submission. */
export async function findSubmission(
  db: Executor,
  caseId: string,
): Promise<{ ledger_log: string; ledger_index: number } | undefined> {
  const row = await db
    .selectFrom('case_event')
    .select(['ledger_log', 'ledger_index'])
    .where('case_id', '=', caseId)
    .where('type', '=', 'case.submitted')
    .executeTakeFirst()
  return row && { ledger_log: row.ledger_log, ledger_index: Number(row.ledger_index) }
}

/** Every case (for the audit). */
export async function listAllCases(db: Executor): Promise<CaseFile[]> {
  const rows = await db.selectFrom('case_file').selectAll().orderBy('id').execute()
  return rows.map(toCaseFile)
}

/** Every task (for the audit). */
export async function listAllTasks(db: Executor): Promise<CaseTask[]> {
  const rows = await db.selectFrom('case_task').selectAll().orderBy('id').execute()
  return rows.map(toCaseTask)
}

/** Sets a task's assignee if it is still open and still assigned to `from`. @returns whether it changed */
export async function setAssignee(
  db: Executor,
  id: string,
  from: string | null,
  to: string | null,
): Promise<boolean> {
  let q = db
    .updateTable('case_task')
    .set({ assignee_id: to })
    .where('id', '=', id)
    .where('status', '=', 'open')
  q = from === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', from)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
