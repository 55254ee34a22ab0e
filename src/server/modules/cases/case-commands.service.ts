/**
 * Case commands (办件): submit once, complete a task, claim, release and reassign. A citizen (or a
 * window clerk on their behalf) submits the matter's one form; the workflow engine runs the matter's
 * process version, and every command's effects become rows (tasks, timers, timeline events) and
 * ledger events in the same transaction, so each step of a case is provable. Each command is
 * prepared outside the transaction and persisted inside it ({@link CaseEngine}).
 * @module
 */
import { randomUUID } from 'node:crypto'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import { assertCan, can, mayWorkTask } from '../../../shared/permissions.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { CaseView, TaskView } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import type { AttachmentService } from '../attachments/attachments.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { FORM_FORMATS, type FormSchema } from '../catalog/index.js'
import type { DataAccessService } from '../data-access/data-access.service.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { completeTask as engineCompleteTask, start as engineStart } from '../workflow/engine/index.js'
import {
  calendarOf,
  caseStatusOf,
  discrepancyCommitment,
  discrepancySources,
  findDiscrepancies,
  toTaskView,
  type CaseFile,
  type CaseTask,
} from './cases.model.js'
import type { CaseEngine } from './cases.engine.js'
import { Journal } from './cases.journal.js'
import * as store from './cases.store.js'
import type { CaseViewService } from './case-views.service.js'

export interface SubmitInput {
  matterCode: string
  data: Record<string, unknown>
  channel: 'online' | 'window'
  /** Window clerks: the citizen they submit for. */
  applicantId?: string
}

export interface CompleteInput {
  outcome: string
  comment?: string
  data?: Record<string, unknown>
}

/**
 * What another module does when a case is submitted: in the submission's transaction, it schedules
 * its follow-up jobs (the appeals module, a discrepancy appeal), so they commit with the case or not at
 * all; after the commit it may run them at once, before the submission answers (a job that fails then
 * stays scheduled and is retried).
 */
export interface SubmissionListener {
  inTransaction(
    trx: Executor,
    c: { id: string; regionCode: string; discrepancies: number },
  ): Promise<string[]>
  afterCommit(jobIds: string[]): Promise<void>
}

export class CaseCommandService {
  private readonly listeners: SubmissionListener[] = []
  private readonly ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }))
  private readonly validators = new Map<string, ValidateFunction>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly catalog: CatalogService,
    private readonly dataPlatform: DataPlatformService,
    private readonly org: OrgService,
    private readonly attachments: AttachmentService,
    private readonly engine: CaseEngine,
    private readonly views: CaseViewService,
    private readonly dataAccess: DataAccessService,
  ) {
    for (const [name, re] of Object.entries(FORM_FORMATS)) this.ajv.addFormat(name, re)
  }

  // ---- submitting ------------------------------------------------------------------------------

  /**
   * Submits a case: validates the form against the matter's schema, turns its files into attachments
   * (inline data URLs stored, references checked), flags values that contradict the authoritative
   * records, starts the process, and records the submission in the ledger with each file's SHA-256.
   * The case stores references only; it and its files commit together.
   *
   * A window clerk may submit for any citizen of the province (跨域通办, `case.submit_window`). Comparing
   * the form with that citizen's records is a look at their data: it is recorded as a data access in
   * the same transaction, flagged for the clerk's supervisor when the clerk's department has no open
   * task on the new case (a citizen from elsewhere). The clerk's answer says whether the data matches
   * the records (`recordMismatch`), not which field differs, unless their department handles the case.
   * @throws VALIDATION_FAILED (with the failing field paths, also for files that are not the
   *   applicant's or already handed in), FORBIDDEN, NOT_FOUND (matter, applicant)
   */
  async submit(principal: Principal, input: SubmitInput): Promise<CaseView> {
    let applicantId: string
    if (principal.kind === 'citizen') {
      assertCan(principal, 'case.apply', { ownerId: principal.accountId })
      // A citizen applies online for themselves: naming anyone else, or the window, is refused rather
      // than silently turned into a case of their own.
      if (input.channel !== 'online')
        throw new AppError('VALIDATION_FAILED', 'a citizen applies online: channel must be "online"', {
          details: [{ path: '/body/channel', message: 'must be online for a citizen' }],
        })
      if (input.applicantId !== undefined && input.applicantId !== principal.accountId)
        throw new AppError('FORBIDDEN', 'a citizen can only apply for themselves', {
          details: { permission: 'case.apply', applicantId: input.applicantId },
        })
      applicantId = principal.accountId
    } else {
      assertCan(principal, 'case.submit_window')
      if (input.channel !== 'window')
        throw new AppError('VALIDATION_FAILED', 'a clerk submits at the window: channel must be "window"', {
          details: [{ path: '/body/channel', message: 'must be window' }],
        })
      if (!input.applicantId)
        throw new AppError('VALIDATION_FAILED', 'say whom the clerk submits for: applicantId', {
          details: [{ path: '/body/applicantId', message: 'is required for window submissions' }],
        })
      applicantId = input.applicantId
    }
    const applicant = await this.org.findLoginAccount({ id: applicantId })
    if (!applicant || applicant.principal.kind !== 'citizen') throw notFound('citizen', applicantId)
    const version = await this.catalog.getVersion(input.matterCode)
    this.validate(`${version.code}@${version.version}`, version.formSchema, input.data)
    const form = await this.attachments.prepareForm({
      schema: version.formSchema,
      data: input.data,
      ownerId: applicantId,
      uploadedBy: principal.accountId,
    })
    const data = form.data
    const records = await this.dataPlatform.recordsOf(applicantId)
    const discrepancies = findDiscrepancies(version.formSchema, data, records)

    const now = this.clock.now()
    const id = randomUUID()
    const salt = newSalt()
    const regionCode = applicant.principal.regionCode
    let step = engineStart(version.process, {
      data,
      case: { matterCode: version.code, regionCode, channel: input.channel },
      now,
      newId: () => randomUUID(),
      calendar: this.engine.calendar,
    })
    step = await this.engine.resolveServices(version.process, step, applicantId)
    const departments = await this.engine.resolveDepartments(regionCode, step.effects, step.state.data)
    const status = caseStatusOf(step.state)
    const row: CaseFile = {
      id,
      matter_code: version.code,
      matter_version: version.version,
      applicant_id: applicantId,
      region_code: regionCode,
      channel: input.channel,
      status,
      data: step.state.data,
      salt,
      instance: step.state,
      revision: step.state.revision,
      discrepancies,
      submitted_by: principal.accountId,
      submitted_at: now,
      accepted_at: status === 'submitted' ? null : now,
      completed_at: step.state.endedAt,
      due_at: step.state.dueAt,
      trips: input.channel === 'window' ? 1 : 0,
      updated_at: now,
    }
    const followUps: string[][] = []
    await this.db.transaction().execute(async (trx) => {
      await store.insertCase(trx, row)
      await this.attachments.bind(trx, form, id)
      const journal = new Journal(row, principal)
      journal.record(now, 'case.submitted', null, {
        matter: version.code,
        version: version.version,
        channel: input.channel,
        applicant: row.applicant_id,
        region: row.region_code,
        dueAt: row.due_at,
        ...calendarOf(this.engine.calendar, row.due_at),
        data: commitment(data, salt),
        attachments: form.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
        // Which fields differ is the applicant's business: the public ledger holds a commitment only.
        discrepancies: discrepancyCommitment(discrepancies, salt),
        window: principal.kind === 'staff',
      })
      if (row.accepted_at !== null) journal.record(now, 'case.accepted', null, { automatic: true })
      await this.engine.applyEffects(trx, row, step.effects, departments, new Map(), journal, null, null)
      if (principal.kind === 'staff') {
        const handling = (await store.listTasksOfCase(trx, id)).some(
          (t) =>
            t.status === 'open' && t.department_id !== null && t.department_id === principal.departmentId,
        )
        const compared = discrepancySources(version.formSchema, records)
        await this.dataAccess.record(
          principal,
          { id, regionCode, applicantId },
          { what: compared.length > 0 ? `intake:${compared.join(',')}` : 'intake', flagged: !handling },
          trx,
        )
      }
      for (const [i, l] of this.listeners.entries())
        followUps[i] = await l.inTransaction(trx, {
          id,
          regionCode,
          discrepancies: discrepancies.length,
        })
    })
    for (const [i, l] of this.listeners.entries()) {
      const jobs = followUps[i]
      if (jobs?.length) await l.afterCommit(jobs)
    }
    return this.views.view(principal, row, 'all')
  }

  /** Registers a module's follow-up to every submission (at wiring, before serving). */
  onSubmitted(listener: SubmissionListener): void {
    this.listeners.push(listener)
  }

  private validate(key: string, schema: FormSchema, data: unknown): void {
    let validate = this.validators.get(key)
    if (!validate) {
      validate = this.ajv.compile(schema as object)
      this.validators.set(key, validate)
    }
    if (!validate(data)) {
      const details = (validate.errors ?? []).map((e) => {
        const missing = typeof e.params.missingProperty === 'string' ? `/${e.params.missingProperty}` : ''
        return {
          path: `/body/data${e.instancePath}${missing}`,
          message: e.message ?? 'is invalid',
          keyword: e.keyword,
        }
      })
      throw new AppError(
        'VALIDATION_FAILED',
        `the form is invalid: ${details[0]?.path} ${details[0]?.message}`,
        { details },
      )
    }
  }

  // ---- working tasks ---------------------------------------------------------------------------

  /**
   * Completes a task with an outcome (claiming it implicitly). Officials act on their own
   * department's tasks for their role; the applicant completes their supplement task, whose new data
   * may bring files (as for a submission).
   * @throws NOT_FOUND, FORBIDDEN, VALIDATION_FAILED (outcome, fields or files not allowed), CONFLICT (closed)
   */
  async completeTask(principal: Principal, taskId: string, input: CompleteInput): Promise<CaseView> {
    const task = await store.findTask(this.db, taskId)
    if (!task) throw notFound('task', taskId)
    const caseRow = await store.findCase(this.db, task.case_id)
    if (!caseRow) throw notFound('case', task.case_id)
    this.assertMayWork(principal, task, caseRow)
    if (task.status !== 'open') throw new AppError('CONFLICT', `task ${taskId} is ${task.status}`)
    if (
      task.assignee_id !== null &&
      task.assignee_id !== principal.accountId &&
      !can(principal, 'task.reassign', { departmentId: task.department_id })
    ) {
      throw new AppError('CONFLICT', `task ${taskId} is claimed by someone else`)
    }
    // New data (a supplement) may bring files: stored or checked now, bound with the change.
    const form = input.data
      ? await this.attachments.prepareForm({
          schema: (await this.catalog.getVersion(caseRow.matter_code, caseRow.matter_version)).formSchema,
          data: input.data,
          ownerId: caseRow.applicant_id,
          uploadedBy: principal.accountId,
          caseId: caseRow.id,
        })
      : undefined
    const row = await this.engine.command(
      task.case_id,
      principal,
      input.comment ?? null,
      (def, state) =>
        engineCompleteTask(def, state, {
          taskId,
          outcome: input.outcome,
          ...(form ? { data: form.data } : {}),
          now: this.clock.now(),
          newId: () => randomUUID(),
          calendar: this.engine.calendar,
        }),
      { row: caseRow, known: new Map([[task.id, task]]) },
      form,
    )
    return this.views.view(principal, row, task.kind === 'applicant' ? 'all' : task.fields)
  }

  /**
   * Claims an open department task for the caller (so colleagues see it is taken).
   * @throws NOT_FOUND, FORBIDDEN, CONFLICT (closed, or claimed by someone else)
   */
  async claimTask(principal: Principal, taskId: string): Promise<TaskView> {
    return this.assign(principal, taskId, 'task.claimed', async (task) => {
      if (task.assignee_id !== null && task.assignee_id !== principal.accountId) {
        throw new AppError(
          'CONFLICT',
          `task ${taskId} is claimed by someone else; a supervisor can reassign it`,
        )
      }
      return principal.accountId
    })
  }

  /** Gives a claimed task back to the department's inbox (its assignee or a supervisor). @throws NOT_FOUND, FORBIDDEN, CONFLICT */
  async releaseTask(principal: Principal, taskId: string): Promise<TaskView> {
    return this.assign(principal, taskId, 'task.released', async (task) => {
      if (
        task.assignee_id !== principal.accountId &&
        !can(principal, 'task.reassign', { departmentId: task.department_id })
      ) {
        throw new AppError('FORBIDDEN', 'only the assignee or a supervisor releases a task')
      }
      return null
    })
  }

  /**
   * A supervisor hands an open task to another member of the task's department.
   * @throws NOT_FOUND, FORBIDDEN (not the department's supervisor, or the assignee is not in it), CONFLICT
   */
  async reassignTask(principal: Principal, taskId: string, assigneeId: string): Promise<TaskView> {
    assertCan(principal, 'task.reassign')
    const assignee = await this.org.findLoginAccount({ id: assigneeId })
    return this.assign(principal, taskId, 'task.reassigned', async (task) => {
      assertCan(principal, 'task.reassign', { departmentId: task.department_id })
      if (
        !assignee ||
        assignee.principal.kind !== 'staff' ||
        assignee.principal.departmentId !== task.department_id ||
        !assignee.active
      ) {
        throw new AppError('FORBIDDEN', `${assigneeId} is not an active member of the task's department`)
      }
      return assigneeId
    })
  }

  private async assign(
    principal: Principal,
    taskId: string,
    type: 'task.claimed' | 'task.released' | 'task.reassigned',
    decide: (task: CaseTask) => Promise<string | null>,
  ): Promise<TaskView> {
    const task = await store.findTask(this.db, taskId)
    if (!task) throw notFound('task', taskId)
    const caseRow = await store.findCase(this.db, task.case_id)
    if (!caseRow) throw notFound('case', task.case_id)
    if (task.kind !== 'department')
      throw new AppError('CONFLICT', 'a supplement task belongs to the applicant')
    this.assertMayWork(principal, task, caseRow)
    if (task.status !== 'open') throw new AppError('CONFLICT', `task ${taskId} is ${task.status}`)
    const assigneeId = await decide(task)
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.setAssignee(trx, taskId, task.assignee_id, assigneeId))) {
        throw new AppError('CONFLICT', `task ${taskId} changed meanwhile; reload it`)
      }
      const journal = new Journal(caseRow, principal)
      journal.record(now, type, taskId, { task: taskId, node: task.node_id, assignee: assigneeId })
      await journal.flush(trx, this.ledger)
    })
    return { ...toTaskView({ ...task, matter_code: caseRow.matter_code }), assigneeId }
  }

  private assertMayWork(principal: Principal, task: CaseTask, caseRow: CaseFile): void {
    if (task.kind === 'applicant') {
      if (principal.accountId !== caseRow.applicant_id)
        throw new AppError('FORBIDDEN', 'only the applicant supplements their case')
      return
    }
    if (principal.kind !== 'staff' || principal.departmentId !== task.department_id) {
      throw new AppError('FORBIDDEN', 'this task belongs to another department')
    }
    const role = task.role ?? 'official'
    if (!mayWorkTask(principal, { departmentId: task.department_id, role })) {
      throw new AppError('FORBIDDEN', `this task needs the ${role} role`, {
        details: { permission: 'task.work', taskRole: role },
      })
    }
  }
}
