/**
 * Reading cases (办件): a case with its timeline, its files, its ledger receipts, the caller's own
 * cases and the task inbox. Who may read a case, its files and its receipts is one rule of the
 * permission table (`case.read`, `case.receipt`); officials see only the fields their step needs;
 * every time staff open a citizen's case it is recorded (data-access module), flagged when they had no
 * open task on it. Which submitted values differ from the records is shown only to the applicant and
 * the departments handling the case (`case.read_discrepancies`).
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { CaseReceipt, CaseView, TaskView, TimelineStep } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { caseTarget, can, grantFor, taskRolesWorkedBy, type Target } from '../../../shared/permissions.js'
import type { AttachmentContent, AttachmentService } from '../attachments/attachments.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import type { AccessedCase, DataAccessService } from '../data-access/data-access.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { visibleData } from '../workflow/engine/index.js'
import { discrepanciesIn, toTaskView, type CaseFacts, type CaseFile, type CaseTask } from './cases.model.js'

export type { CaseFacts } from './cases.model.js'
import * as store from './cases.store.js'
import type { CaseDigest } from './cases.store.js'

export type { CaseDigest } from './cases.store.js'

export class CaseViewService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly ledger: LedgerService,
    private readonly catalog: CatalogService,
    private readonly org: OrgService,
    private readonly attachments: AttachmentService,
    private readonly dataAccess: DataAccessService,
  ) {}

  /** A case's facts for the chain builder, read through `db` (a transaction sees its own writes). */
  async facts(caseId: string, db: Executor = this.db): Promise<CaseFacts | undefined> {
    const row = await store.findCase(db, caseId)
    if (!row) return undefined
    const [tasks, events] = await Promise.all([
      store.listTasksOfCase(db, caseId),
      store.listEvents(db, caseId),
    ])
    return {
      id: row.id,
      matterCode: row.matter_code,
      matterVersion: row.matter_version,
      regionCode: row.region_code,
      channel: row.channel,
      status: row.status,
      applicantId: row.applicant_id,
      submittedBy: row.submitted_by,
      submittedAt: row.submitted_at,
      acceptedAt: row.accepted_at,
      completedAt: row.completed_at,
      dueAt: row.due_at,
      discrepancies: row.discrepancies.map((d) => ({
        path: d.path,
        source: d.source,
        recordKey: d.recordKey,
      })),
      tasks: tasks.map((t) => ({
        id: t.id,
        nodeId: t.node_id,
        name: t.name,
        kind: t.kind,
        departmentId: t.department_id,
        status: t.status,
        outcome: t.outcome,
        comment: t.comment,
        assigneeId: t.assignee_id,
        createdAt: t.created_at,
        dueAt: t.due_at,
        completedAt: t.completed_at,
        sla: t.sla,
      })),
      events: events.map((e) => ({
        type: e.type,
        at: e.at,
        actorId: e.actor_id,
        taskId: e.task_id,
        data: e.data,
        ledger: { log: e.ledger_log, index: e.ledger_index },
      })),
    }
  }

  /**
   * A case with its timeline (`case.read`). The applicant sees everything; staff need a task on it in
   * their department (they see that task's fields) or oversight of its region (they see it whole).
   * Every staff access to the data is recorded in the ledger, flagged when they had no open task on
   * the case. Another citizen's case is not found, rather than forbidden.
   * @throws NOT_FOUND, FORBIDDEN
   */
  async getCase(principal: Principal, id: string): Promise<CaseView> {
    const row = await store.findCase(this.db, id)
    if (!row) throw notFound('case', id)
    if (principal.kind === 'citizen') {
      if (principal.accountId !== row.applicant_id) throw notFound('case', id)
      return this.view(principal, row, 'all')
    }
    const { fields, flagged, tasks } = await this.staffAccess(principal, row, 'case.read')
    await this.dataAccess.record(principal, this.subjectOf(row), { what: 'case.data', fields, flagged })
    return this.view(principal, row, fields, tasks)
  }

  /**
   * One file of a case with its content, checked against its SHA-256. Who may: the applicant, and staff
   * who may see the field it sits in (the rule of {@link getCase}); every staff download is recorded
   * as an access to the citizen's data, flagged when they had no open task on the case.
   * @throws NOT_FOUND (case or file), FORBIDDEN (no task on the case, or a field the step does not
   *   see), INTEGRITY_VIOLATION (the content changed since upload: never served)
   */
  async getAttachment(
    principal: Principal,
    caseId: string,
    attachmentId: string,
  ): Promise<AttachmentContent & { path: string }> {
    const row = await store.findCase(this.db, caseId)
    if (!row) throw notFound('case', caseId)
    let access: { fields: string[]; flagged: boolean } | null = null
    if (principal.kind === 'citizen') {
      if (principal.accountId !== row.applicant_id) throw notFound('case', caseId)
    } else {
      access = await this.staffAccess(principal, row, 'case.read')
    }
    const schema = (await this.catalog.getVersion(row.matter_code, row.matter_version)).formSchema
    const data = row.data
    const visible = access ? visibleData(data, access.fields) : data
    const file = (await this.attachments.filesOf(schema, visible, row.id)).find((f) => f.id === attachmentId)
    if (!file) {
      if (
        access &&
        (await this.attachments.filesOf(schema, data, row.id)).some((f) => f.id === attachmentId)
      ) {
        throw new AppError('FORBIDDEN', 'this file is in a field your step does not see')
      }
      throw notFound('attachment', attachmentId)
    }
    const content = await this.attachments.readOfCase(row.id, attachmentId)
    if (access)
      await this.dataAccess.record(principal, this.subjectOf(row), {
        what: `attachment:${file.path}`,
        flagged: access.flagged,
      })
    return { ...content, path: file.path }
  }

  /**
   * What a staff member may see of a case under `permission` (`case.read` or `case.receipt`, one
   * rule): the fields of their department's tasks on it, or everything when they reach it only by
   * overseeing its region; flagged when none of their department's tasks on it is open. Also returns
   * the case's tasks it read (for the view).
   * @throws FORBIDDEN (no task of their department on the case, and no oversight of its region)
   */
  private async staffAccess(
    principal: Principal,
    row: CaseFile,
    permission: 'case.read' | 'case.receipt',
  ): Promise<{ fields: string[]; flagged: boolean; tasks: CaseTask[] }> {
    const tasks = await store.listTasksOfCase(this.db, row.id)
    const target = this.targetOf(principal, row, tasks)
    if (!grantFor(principal, permission, target)) {
      throw new AppError(
        'FORBIDDEN',
        'no task of your department is on this case, and its region is not in your oversight',
        { details: { permission, regionCode: row.region_code } },
      )
    }
    const mine = tasks.filter((t) => t.department_id !== null && t.department_id === principal.departmentId)
    const fields = mine.length > 0 ? [...new Set(mine.flatMap((t) => t.fields))] : ['*']
    return { fields, flagged: !mine.some((t) => t.status === 'open'), tasks }
  }

  /** The case as a permission target for `principal` (see `caseTarget`). */
  private targetOf(principal: Principal, row: CaseFile, tasks: readonly CaseTask[]): Target {
    return caseTarget(principal, {
      applicantId: row.applicant_id,
      regionCode: row.region_code,
      departmentIds: tasks.map((t) => t.department_id),
    })
  }

  /**
   * Digests of the cases of a region subtree submitted in [from, to), newest first: what a list behind
   * a command-hall chart shows (matter, place, status, department, submission time), never the
   * applicant or the form. System use: the caller has checked its own permission over the region.
   */
  digests(q: Parameters<typeof store.listCaseDigests>[1]): Promise<{ items: CaseDigest[]; total: number }> {
    if (q.to <= q.from) return Promise.resolve({ items: [], total: 0 })
    return store.listCaseDigests(this.db, q)
  }

  /** The caller's own cases (citizens), newest first. */
  async listMyCases(principal: Principal): Promise<CaseView[]> {
    if (principal.kind !== 'citizen') throw new AppError('FORBIDDEN', 'this lists a citizen’s own cases')
    const rows = await store.listCasesOfApplicant(this.db, principal.accountId)
    return Promise.all(rows.map((r) => this.view(principal, r, 'all')))
  }

  /**
   * Every ledger entry of a case as an offline receipt (tlog-proof), with the keys to verify them.
   * The rule of {@link getCase} (`case.receipt` grants what `case.read` does): the entries are public
   * in the ledger, but the receipt is their index by case, telling who handled a citizen's case and
   * when. A staff read is recorded as an access to the citizen's case, flagged like a case read.
   * @throws NOT_FOUND (also another citizen's case), FORBIDDEN (staff who may not read the case)
   */
  async receipt(principal: Principal, id: string): Promise<CaseReceipt> {
    const row = await store.findCase(this.db, id)
    if (!row || (principal.kind === 'citizen' && principal.accountId !== row.applicant_id))
      throw notFound('case', id)
    if (principal.kind === 'staff') {
      const { flagged } = await this.staffAccess(principal, row, 'case.receipt')
      await this.dataAccess.record(principal, this.subjectOf(row), { what: 'case.receipt', flagged })
    }
    const events = await store.listEvents(this.db, id)
    const entries = []
    for (const e of events) {
      entries.push({
        log: e.ledger_log,
        index: e.ledger_index,
        type: e.type,
        time: e.at,
        receipt: await this.ledger.receipt(e.ledger_log, e.ledger_index),
      })
    }
    const logs = await this.ledger.listLogs()
    const keys = [...new Set(events.map((e) => e.ledger_log))].flatMap(
      (l) => logs.find((x) => x.id === l)?.verifierKeys ?? [],
    )
    return { caseId: id, entries, keys: [...keys, this.ledger.witnessKeys().province] }
  }

  /**
   * A case as `principal` may see it, with its timeline (in three queries, whatever its length):
   * the data of `fields`, and which values differ from the records only under
   * `case.read_discrepancies` (for those fields); everyone sees whether any does (`recordMismatch`).
   */
  async view(
    principal: Principal,
    row: CaseFile,
    fields: 'all' | string[],
    readTasks?: CaseTask[],
  ): Promise<CaseView> {
    const version = await this.catalog.getVersion(row.matter_code, row.matter_version)
    const [tasks, submitted] = await Promise.all([
      readTasks ?? store.listTasksOfCase(this.db, row.id),
      store.findSubmission(this.db, row.id),
    ])
    const names = await this.org.namesOf({
      departments: [...new Set(tasks.flatMap((t) => (t.department_id ? [t.department_id] : [])))],
      accounts: [
        ...new Set([row.submitted_by, ...tasks.flatMap((t) => (t.assignee_id ? [t.assignee_id] : []))]),
      ],
    })
    const nameOf = (kind: 'department' | 'staff', id: string): string =>
      (kind === 'department' ? names.departments : names.accounts).get(id) ?? id
    const timeline: TimelineStep[] = [
      {
        node: 'submit',
        name: row.channel === 'window' ? '窗口受理' : '网上申报',
        departmentId: null,
        department: null,
        assignee: { id: row.submitted_by, name: nameOf('staff', row.submitted_by) },
        startedAt: row.submitted_at,
        completedAt: row.submitted_at,
        dueAt: null,
        outcome: 'submitted',
        comment: null,
        sla: 'ok',
        ledger: submitted ? { log: submitted.ledger_log, index: submitted.ledger_index } : null,
      },
    ]
    for (const t of tasks) {
      timeline.push({
        node: t.node_id,
        name: t.name,
        departmentId: t.department_id,
        department: t.department_id ? nameOf('department', t.department_id) : null,
        assignee: t.assignee_id ? { id: t.assignee_id, name: nameOf('staff', t.assignee_id) } : null,
        startedAt: t.created_at,
        completedAt: t.completed_at,
        dueAt: t.due_at,
        outcome: t.status === 'cancelled' ? 'cancelled' : t.outcome,
        comment: t.comment,
        sla: t.sla,
        ledger:
          t.ledger_log === null || t.ledger_index === null
            ? null
            : { log: t.ledger_log, index: t.ledger_index },
      })
    }
    const visible = fields === 'all' ? row.data : visibleData(row.data, fields)
    const discrepancies = row.discrepancies
    const mayReadDiscrepancies = can(
      principal,
      'case.read_discrepancies',
      this.targetOf(principal, row, tasks),
    )
    return {
      id: row.id,
      matterCode: row.matter_code,
      matterVersion: row.matter_version,
      matterName: version.definition.name,
      status: row.status,
      channel: row.channel,
      applicantId: row.applicant_id,
      regionCode: row.region_code,
      submittedAt: row.submitted_at,
      acceptedAt: row.accepted_at,
      completedAt: row.completed_at,
      dueAt: row.due_at,
      trips: row.trips,
      discrepancies: mayReadDiscrepancies ? discrepanciesIn(discrepancies, fields) : [],
      recordMismatch: discrepancies.length > 0,
      data: visible,
      attachments: await this.attachments.filesOf(version.formSchema, visible, row.id),
      timeline,
    }
  }
  /** The caller's open tasks: their department's (for their roles) or, for a citizen, their supplements. */
  async listTasks(principal: Principal): Promise<TaskView[]> {
    const rows =
      principal.kind === 'citizen'
        ? await store.listOpenTasks(this.db, {
            departmentId: null,
            roles: [],
            applicantId: principal.accountId,
          })
        : await store.listOpenTasks(this.db, {
            departmentId: principal.departmentId,
            roles: taskRolesWorkedBy(principal),
            applicantId: null,
          })
    return rows.map(toTaskView)
  }

  private subjectOf(row: CaseFile): AccessedCase {
    return { id: row.id, regionCode: row.region_code, applicantId: row.applicant_id }
  }
}
