/**
 * Cases (办件): one submission, one acceptance. A citizen (or a window clerk on their behalf) submits
 * the matter's one form; the workflow engine runs the matter's process version, and every command's
 * effects become rows (tasks, timers, timeline events) and ledger events in the same transaction, so
 * each step of a case is provable. Officials see only the fields their step needs; every time one
 * opens a citizen's data it is recorded, and flagged when they had no task on that case.
 * @module
 */
import { randomUUID } from 'node:crypto'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { Kysely } from 'kysely'
import { assertStaffRole, SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { CaseEventTable, CaseFileTable, CaseTaskTable, CaseTimerTable, DB } from '../../db/schema.js'
import type { CaseReceipt, CaseView, TaskView, TimelineStep } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import type {
  AttachmentContent,
  AttachmentService,
  FormAttachments,
} from '../attachments/attachments.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { FORM_FORMATS, type FormSchema } from '../catalog/demo/catalogue.model.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import { findLookup } from '../dataplatform/demo/records.model.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type LedgerEvent, type LedgerPosition } from '../ledger/ledger.model.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { chinaWorkCalendar } from '../workflow/calendar/index.js'
import {
  completeTask as engineCompleteTask,
  EngineError,
  fireTimer as engineFireTimer,
  resolveService,
  start as engineStart,
  visibleData,
  type Effect,
  type InstanceState,
  type ProcessDefinition,
  type Step,
} from '../workflow/engine/index.js'
import {
  caseStatusOf,
  findCreditCode,
  findDiscrepancies,
  regionAtLevel,
  type Discrepancy,
} from './cases.model.js'
import { diffStates, type Replayer } from '../audit/audit.model.js'
import type { CitizenAccessReview } from '../../../shared/api.js'
import { citizenReviewOf, UNREVIEWED } from './data-access.model.js'
import * as store from './cases.store.js'

/**
 * The ledger events of one command, collected and appended together at the end of its transaction
 * (one lock and one INSERT per log instead of one per event); rows that need their event's ledger
 * position are written then.
 */
class Journal {
  private readonly entries: {
    event: LedgerEvent
    row: Omit<CaseEventTable, 'ledger_log' | 'ledger_index'>
    then?: (p: LedgerPosition) => void | Promise<void>
  }[] = []

  constructor(
    private readonly row: CaseFileTable,
    private readonly actor: Principal,
  ) {}

  get actorId(): string {
    return this.actor.accountId
  }

  record(
    at: number,
    type: string,
    taskId: string | null,
    data: Record<string, unknown>,
    then?: (p: LedgerPosition) => void | Promise<void>,
  ): void {
    this.entries.push({
      event: {
        type,
        subject: SUBJECT(this.row.id),
        regionCode: this.row.region_code,
        actor: actorOf(this.actor),
        data: { case: this.row.id, ...data },
      },
      row: {
        id: randomUUID(),
        case_id: this.row.id,
        type,
        at,
        actor_id: this.actor.accountId,
        task_id: taskId,
        data: JSON.stringify(data),
      },
      ...(then ? { then } : {}),
    })
  }

  async flush(trx: Executor, ledger: LedgerService): Promise<void> {
    if (this.entries.length === 0) return
    const positions = await ledger.appendMany(
      trx,
      this.entries.map((e) => e.event),
    )
    await store.insertEvents(
      trx,
      this.entries.map((e, i) => ({
        ...e.row,
        ledger_log: positions[i]!.log,
        ledger_index: positions[i]!.index,
      })),
    )
    for (const [i, e] of this.entries.entries()) if (e.then) await e.then(positions[i]!)
  }
}

/** A command applied in memory, ready to persist. */
interface Prepared {
  row: CaseFileTable
  updated: CaseFileTable
  effects: Effect[]
  departments: Map<string, string>
  /** Task rows already read for this command (the task being completed), so persisting need not read them again. */
  known: Map<string, CaseTaskTable>
  /** The case's files after a change that altered them (a supplement), for the ledger event. */
  attachments?: FileCommitment[]
}

/** What the ledger records of a file: where it sits in the form and its content's SHA-256. */
interface FileCommitment {
  path: string
  sha256: string
}

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

const SUBJECT = (caseId: string): string => subjectOf('case', caseId)

export class CaseService {
  private readonly calendar = chinaWorkCalendar()
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
  ) {
    for (const [name, re] of Object.entries(FORM_FORMATS)) this.ajv.addFormat(name, re)
  }

  // ---- submitting ------------------------------------------------------------------------------

  /**
   * Submits a case: validates the form against the matter's schema, turns its files into attachments
   * (inline data URLs stored, references checked), flags values that contradict the authoritative
   * records, starts the process, and records the submission in the ledger with each file's SHA-256.
   * The case stores references only; it and its files commit together.
   * @throws VALIDATION_FAILED (with the failing field paths, also for files that are not the
   *   applicant's or already handed in), FORBIDDEN, NOT_FOUND (matter, applicant)
   */
  async submit(principal: Principal, input: SubmitInput): Promise<CaseView> {
    let applicantId: string
    if (principal.kind === 'citizen') {
      applicantId = principal.accountId
    } else {
      assertStaffRole(principal, ['clerk'])
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
      calendar: this.calendar,
    })
    step = await this.resolveServices(version.process, step, applicantId)
    const departments = await this.resolveDepartments(regionCode, step.effects, step.state.data)
    const status = caseStatusOf(step.state)
    const row: CaseFileTable = {
      id,
      matter_code: version.code,
      matter_version: version.version,
      applicant_id: applicantId,
      region_code: regionCode,
      channel: input.channel,
      status,
      data: JSON.stringify(step.state.data),
      salt,
      instance: JSON.stringify(step.state),
      revision: step.state.revision,
      discrepancies: JSON.stringify(discrepancies),
      submitted_by: principal.accountId,
      submitted_at: now,
      accepted_at: status === 'submitted' ? null : now,
      completed_at: step.state.endedAt,
      due_at: step.state.dueAt,
      trips: input.channel === 'window' ? 1 : 0,
      updated_at: now,
    }
    await this.db.transaction().execute(async (trx) => {
      await store.insertCase(trx, row)
      await this.attachments.bind(trx, form, id)
      const journal = new Journal(row, principal)
      journal.record(now, 'case.submitted', null, {
        matter: version.code,
        version: version.version,
        channel: input.channel,
        data: commitment(data, salt),
        attachments: form.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
        discrepancies: discrepancies.map((d) => ({ path: d.path, source: d.source })),
        window: principal.kind === 'staff',
      })
      if (row.accepted_at !== null) journal.record(now, 'case.accepted', null, { automatic: true })
      await this.applyEffects(trx, row, step.effects, departments, new Map(), journal, null, null)
    })
    return this.view(row, 'all')
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

  /** Performs the data-platform lookups the process asked for, feeding each result back. */
  private async resolveServices(def: ProcessDefinition, first: Step, applicantId: string): Promise<Step> {
    let step = first
    const effects = [...first.effects]
    for (let guard = 0; guard < 50; guard++) {
      const pending = Object.values(step.state.serviceCalls).find((c) => c.status === 'pending')
      if (!pending) break
      const lookup = findLookup(pending.service)
      const input = lookup?.input === 'creditCode' ? findCreditCode(step.state.data) : applicantId
      const record = input ? await this.dataPlatform.lookup(pending.service, input) : null
      step = resolveService(def, step.state, {
        serviceCallId: pending.id,
        result: record?.data ?? null,
        now: this.clock.now(),
        newId: () => randomUUID(),
        calendar: this.calendar,
      })
      effects.push(...step.effects)
    }
    return { state: step.state, effects }
  }

  // ---- applying engine effects ------------------------------------------------------------------

  /**
   * The department of every task the effects create, resolved in the case's region, or in the region
   * the form names where the task says so (`xzt:regionFrom`: a transfer's destination city). Done
   * before the transaction opens: services never read through another module while holding one (on
   * SQLite the one connection would wait for itself).
   * @throws CONFLICT when the region has no department of the kind the process names, or the form
   *   field `regionFrom` names holds no region code
   */
  private async resolveDepartments(
    regionCode: string,
    effects: readonly Effect[],
    data: unknown,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    const wanted = effects.flatMap((e) => {
      if (e.type !== 'task.created' || e.assignment.kind !== 'department') return []
      let base = regionCode
      if (e.assignment.regionFrom !== undefined) {
        const named = valueAt(data, e.assignment.regionFrom)
        if (typeof named !== 'string' || !/^\d{2,12}$/.test(named)) {
          throw new AppError(
            'CONFLICT',
            `task ${e.nodeId} is assigned in the region the form field ${e.assignment.regionFrom} names, and it holds no region code`,
            {
              details: { node: e.nodeId, field: e.assignment.regionFrom },
            },
          )
        }
        base = named
      }
      const region = regionAtLevel(base, e.assignment.level)
      return [{ effect: e, assignment: e.assignment, region }]
    })
    if (wanted.length === 0) return out
    // One query for all the tasks a command opens (four departments at once for a business start-up).
    const found = await this.org.findDepartmentsOfKinds(
      wanted.flatMap((w) => (w.region ? [{ regionCode: w.region, kind: w.assignment.departmentKind }] : [])),
    )
    for (const { effect: e, region } of wanted) {
      if (e.assignment.kind !== 'department') continue
      const department = region ? found.get(`${region}/${e.assignment.departmentKind}`) : undefined
      if (!department) {
        throw new AppError(
          'CONFLICT',
          `no ${e.assignment.departmentKind} department at ${e.assignment.level} level above region ${regionCode}`,
          {
            details: {
              node: e.nodeId,
              departmentKind: e.assignment.departmentKind,
              level: e.assignment.level,
            },
          },
        )
      }
      out.set(e.taskId, department.id)
    }
    return out
  }

  /**
   * Turns a command's effects into rows and ledger events, in the caller's transaction. `attachments`:
   * the case's files after a supplement changed them, recorded with the completed task.
   */
  private async applyEffects(
    trx: Executor,
    row: CaseFileTable,
    effects: readonly Effect[],
    departments: ReadonlyMap<string, string>,
    known: ReadonlyMap<string, CaseTaskTable>,
    journal: Journal,
    comment: string | null,
    attachments: readonly FileCommitment[] | null,
  ): Promise<void> {
    const now = this.clock.now()
    const actorId = journal.actorId
    // Rows are collected and written in as few statements as possible (each is a round trip on PostgreSQL).
    const newTasks: CaseTaskTable[] = []
    const newTimers: CaseTimerTable[] = []
    const cancelledTimers: string[] = []
    const firedTimers = new Map<number, string[]>()
    // Tasks this command creates are inserted after the ledger append; a change to one of them before
    // then (a task opened and cancelled by the same step) is made to the row waiting to be inserted.
    const created = new Map<string, CaseTaskTable>()
    const patchTask = async (taskId: string, patch: Partial<CaseTaskTable>): Promise<void> => {
      const pending = created.get(taskId)
      if (pending) created.set(taskId, { ...pending, ...patch })
      else await store.updateTask(trx, taskId, patch)
    }
    for (const e of effects) {
      switch (e.type) {
        case 'task.created': {
          const departmentId = departments.get(e.taskId) ?? null
          const task: CaseTaskTable = {
            id: e.taskId,
            case_id: row.id,
            node_id: e.nodeId,
            name: e.name,
            kind: e.assignment.kind,
            department_id: departmentId,
            role: e.assignment.kind === 'department' ? e.assignment.role : null,
            status: 'open',
            outcome: null,
            comment: null,
            fields: JSON.stringify(e.fields),
            outcomes: JSON.stringify(e.outcomes),
            iteration: e.iteration,
            sla: 'ok',
            assignee_id: null,
            created_at: e.createdAt,
            due_at: e.dueAt,
            completed_at: null,
            ledger_log: null,
            ledger_index: null,
          }
          created.set(e.taskId, task)
          journal.record(
            now,
            'task.created',
            e.taskId,
            { task: e.taskId, node: e.nodeId, department: departmentId, dueAt: e.dueAt },
            (p) => {
              // Whatever later effects of this command changed on it (created and cancelled at once) included.
              newTasks.push({
                ...(created.get(e.taskId) as CaseTaskTable),
                ledger_log: p.log,
                ledger_index: p.index,
              })
            },
          )
          break
        }
        case 'task.completed': {
          const task = known.get(e.taskId) ?? (await store.findTask(trx, e.taskId))
          journal.record(
            now,
            'task.completed',
            e.taskId,
            {
              task: e.taskId,
              node: e.nodeId,
              department: task?.department_id ?? null,
              outcome: e.outcome,
              comment: comment === null ? null : commitment(comment, row.salt),
              changedFields: e.changedFields,
              // The form changed (a supplement): commit to its new content, as the submission did, and to
              // its files' content when those changed.
              ...(e.changedFields.length > 0
                ? { data: commitment(JSON.parse(row.data) as unknown, row.salt) }
                : {}),
              ...(e.changedFields.length > 0 && attachments ? { attachments } : {}),
            },
            async (p) =>
              store.updateTask(trx, e.taskId, {
                status: 'completed',
                outcome: e.outcome,
                comment,
                completed_at: e.completedAt,
                assignee_id: actorId,
                ledger_log: p.log,
                ledger_index: p.index,
              }),
          )
          break
        }
        case 'task.cancelled':
          await patchTask(e.taskId, { status: 'cancelled', completed_at: e.at })
          journal.record(now, 'task.cancelled', e.taskId, {
            task: e.taskId,
            node: e.nodeId,
            reason: e.reason,
          })
          break
        case 'timer.scheduled':
          newTimers.push({
            id: e.timerId,
            case_id: row.id,
            task_id: e.taskId,
            due_at: e.dueAt,
            status: 'pending',
            fired_at: null,
          })
          break
        case 'timer.cancelled':
          cancelledTimers.push(e.timerId)
          break
        case 'timer.fired':
          firedTimers.set(e.firedAt, [...(firedTimers.get(e.firedAt) ?? []), e.timerId])
          break
        case 'sla.warned':
        case 'sla.breached': {
          await patchTask(e.taskId, { sla: e.type === 'sla.warned' ? 'warned' : 'breached' })
          journal.record(now, e.type, e.taskId, { task: e.taskId, node: e.nodeId, taskDueAt: e.taskDueAt })
          break
        }
        case 'escalated':
          journal.record(now, 'task.escalated', e.taskId, {
            task: e.taskId,
            node: e.nodeId,
            to: e.to,
            taskOpen: e.taskOpen,
          })
          break
        case 'incident.raised':
          journal.record(now, 'case.incident', null, { node: e.nodeId, kind: e.kind })
          break
        case 'instance.completed':
        case 'instance.rejected':
          journal.record(now, e.type === 'instance.completed' ? 'case.completed' : 'case.rejected', null, {
            endEvent: e.endEventId,
          })
          break
        case 'instance.started':
        case 'gateway.taken':
        case 'service.requested':
        case 'service.resolved':
        case 'service.failed':
        case 'service.cancelled':
        case 'incident.resolved':
        case 'instance.cancelled':
          break
      }
    }
    await journal.flush(trx, this.ledger)
    await store.insertTasks(trx, newTasks)
    await store.insertTimers(trx, newTimers)
    await store.setTimersStatus(trx, cancelledTimers, 'cancelled', null)
    for (const [at, ids] of firedTimers) await store.setTimersStatus(trx, ids, 'fired', at)
  }

  /**
   * Runs one engine command on a case, outside any transaction: reads the case and its process
   * version, applies the command, performs the lookups it asks for and resolves the departments of new
   * tasks. @throws CONFLICT when the command no longer applies (task closed, timer gone)
   */
  private async prepare(
    caseId: string,
    run: (def: ProcessDefinition, state: InstanceState) => Step,
    read?: { row?: CaseFileTable; known?: Map<string, CaseTaskTable> },
  ): Promise<Prepared> {
    const row = read?.row ?? (await store.findCase(this.db, caseId))
    if (!row) throw notFound('case', caseId)
    const def = (await this.catalog.getVersion(row.matter_code, row.matter_version)).process
    let step: Step
    try {
      step = await this.resolveServices(
        def,
        run(def, JSON.parse(row.instance) as InstanceState),
        row.applicant_id,
      )
    } catch (err) {
      if (err instanceof EngineError) {
        const code =
          err.code === 'INVALID_COMMAND' ||
          err.code === 'FIELD_NOT_WRITABLE' ||
          err.code === 'OUTCOME_NOT_ALLOWED'
            ? 'VALIDATION_FAILED'
            : 'CONFLICT'
        throw new AppError(code, err.message, { details: { engine: err.code } })
      }
      throw err
    }
    const departments = await this.resolveDepartments(row.region_code, step.effects, step.state.data)
    const now = this.clock.now()
    const status = caseStatusOf(step.state)
    const updated: CaseFileTable = {
      ...row,
      instance: JSON.stringify(step.state),
      revision: step.state.revision,
      status,
      data: JSON.stringify(step.state.data),
      updated_at: now,
      accepted_at: row.accepted_at ?? (status === 'submitted' ? null : now),
      completed_at: step.state.endedAt,
    }
    return {
      row,
      updated,
      effects: step.effects,
      departments,
      known: read?.known ?? new Map<string, CaseTaskTable>(),
    }
  }

  /**
   * Persists a prepared command in `trx`: the new state only if the case's revision is still the one
   * it was prepared from, with its effects and ledger events. @returns false on a concurrent change
   */
  private async persist(
    trx: Executor,
    p: Prepared,
    actor: Principal,
    comment: string | null,
  ): Promise<boolean> {
    const now = p.updated.updated_at
    const ok = await store.updateCaseState(trx, p.row.id, p.row.revision, {
      instance: p.updated.instance,
      revision: p.updated.revision,
      status: p.updated.status,
      data: p.updated.data,
      updated_at: now,
      accepted_at: p.updated.accepted_at,
      completed_at: p.updated.completed_at,
    })
    if (!ok) return false
    const journal = new Journal(p.updated, actor)
    if (p.row.accepted_at === null && p.updated.accepted_at !== null)
      journal.record(now, 'case.accepted', null, { automatic: false })
    await this.applyEffects(
      trx,
      p.updated,
      p.effects,
      p.departments,
      p.known,
      journal,
      comment,
      p.attachments ?? null,
    )
    return true
  }

  /**
   * Prepares and persists a command, retried when the case changed concurrently. `read` is what the
   * caller already read for its checks: used for the first attempt only (a retry reads afresh).
   * `form`: files the command's data brings (a supplement), bound to the case in the same transaction.
   */
  private async command(
    caseId: string,
    actor: Principal,
    comment: string | null,
    run: (def: ProcessDefinition, state: InstanceState) => Step,
    read?: { row: CaseFileTable; known: Map<string, CaseTaskTable> },
    form?: FormAttachments,
  ): Promise<CaseFileTable> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const prepared = await this.prepare(caseId, run, attempt === 0 ? read : undefined)
      if (form) prepared.attachments = await this.changedFiles(prepared, form)
      const persisted = await this.db.transaction().execute(async (trx) => {
        if (!(await this.persist(trx, prepared, actor, comment))) return false
        if (form) await this.attachments.bind(trx, form, caseId)
        return true
      })
      if (persisted) return prepared.updated
    }
    throw new AppError('CONFLICT', `case ${caseId} is being changed by someone else; try again`)
  }

  /** The case's files after a prepared change, when they differ from before (else undefined). */
  private async changedFiles(p: Prepared, form: FormAttachments): Promise<FileCommitment[] | undefined> {
    const schema = (await this.catalog.getVersion(p.row.matter_code, p.row.matter_version)).formSchema
    const commitments = async (data: string, with_?: FormAttachments): Promise<FileCommitment[]> =>
      (
        await this.attachments.filesOf(schema, JSON.parse(data) as Record<string, unknown>, p.row.id, with_)
      ).map((f) => ({ path: f.path, sha256: f.sha256 }))
    const before = await commitments(p.row.data)
    const after = await commitments(p.updated.data, form)
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : after
  }

  // ---- audit -----------------------------------------------------------------------------------

  /**
   * Rebuilds cases and tasks from their ledger events and compares them with the live rows: the
   * matter, version, channel, a salted commitment to the current (stored, so file-referencing) form
   * data, the SHA-256 of each file the data refers to, whether and how the case ended; and each task's
   * department, status, outcome and who completed it.
   */
  replayer(): Replayer {
    const cases = new Map<string, Record<string, unknown>>()
    const tasks = new Map<string, Record<string, unknown>>()
    return {
      name: 'cases',
      types: ['case.', 'task.'],
      apply: (e) => {
        const caseId = String(e.data.case)
        const c = cases.get(caseId)
        switch (e.type) {
          case 'case.submitted':
            // Cases from before attachments carried their files inline: no file commitments.
            cases.set(caseId, {
              matter: e.data.matter,
              version: e.data.version,
              channel: e.data.channel,
              data: e.data.data,
              attachments: e.data.attachments ?? [],
              ended: null,
            })
            break
          case 'case.completed':
          case 'case.rejected':
            if (c) c.ended = e.type === 'case.completed' ? 'completed' : 'rejected'
            break
          case 'task.created':
            tasks.set(String(e.data.task), {
              case: caseId,
              department: e.data.department ?? null,
              status: 'open',
              outcome: null,
              assignee: null,
            })
            break
          case 'task.completed': {
            const t = tasks.get(String(e.data.task))
            if (t) Object.assign(t, { status: 'completed', outcome: e.data.outcome, assignee: e.actor.id })
            if (c && typeof e.data.data === 'string') c.data = e.data.data
            if (c && Array.isArray(e.data.attachments)) c.attachments = e.data.attachments
            break
          }
          case 'task.cancelled': {
            const t = tasks.get(String(e.data.task))
            if (t) t.status = 'cancelled'
            break
          }
          case 'task.claimed':
          case 'task.released':
          case 'task.reassigned': {
            const t = tasks.get(String(e.data.task))
            if (t) t.assignee = e.data.assignee ?? null
            break
          }
        }
      },
      compare: async () => {
        const liveCases = new Map<string, Record<string, unknown>>()
        const filesOf = await this.attachments.commitmentReader()
        for (const r of await store.listAllCases(this.db)) {
          const data = JSON.parse(r.data) as Record<string, unknown>
          liveCases.set(r.id, {
            matter: r.matter_code,
            version: r.matter_version,
            channel: r.channel,
            data: commitment(data, r.salt),
            attachments: filesOf(
              (await this.catalog.getVersion(r.matter_code, r.matter_version)).formSchema,
              data,
              r.id,
            ),
            ended: r.status === 'completed' || r.status === 'rejected' ? r.status : null,
          })
        }
        const liveTasks = new Map<string, Record<string, unknown>>()
        for (const t of await store.listAllTasks(this.db)) {
          liveTasks.set(t.id, {
            case: t.case_id,
            department: t.department_id,
            status: t.status,
            outcome: t.outcome,
            assignee: t.assignee_id,
          })
        }
        return [...diffStates('case_file', cases, liveCases), ...diffStates('case_task', tasks, liveTasks)]
      },
    }
  }

  // ---- working tasks ---------------------------------------------------------------------------

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
            roles: workableRoles(principal),
            applicantId: null,
          })
    return rows.map(toTaskView)
  }

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
      !principal.roles.includes('supervisor')
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
    const row = await this.command(
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
          calendar: this.calendar,
        }),
      { row: caseRow, known: new Map([[task.id, task]]) },
      form,
    )
    return this.view(row, task.kind === 'applicant' ? 'all' : (JSON.parse(task.fields) as string[]))
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
      if (task.assignee_id !== principal.accountId && !principal.roles.includes('supervisor')) {
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
    assertStaffRole(principal, ['supervisor'])
    const assignee = await this.org.findLoginAccount({ id: assigneeId })
    return this.assign(principal, taskId, 'task.reassigned', async (task) => {
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
    decide: (task: CaseTaskTable) => Promise<string | null>,
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

  private assertMayWork(principal: Principal, task: CaseTaskTable, caseRow: CaseFileTable): void {
    if (task.kind === 'applicant') {
      if (principal.accountId !== caseRow.applicant_id)
        throw new AppError('FORBIDDEN', 'only the applicant supplements their case')
      return
    }
    if (principal.kind !== 'staff' || principal.departmentId !== task.department_id) {
      throw new AppError('FORBIDDEN', 'this task belongs to another department')
    }
    const role = task.role ?? 'official'
    if (!workableRoles(principal).includes(role)) {
      throw new AppError('FORBIDDEN', `this task needs the ${role} role`)
    }
  }

  // ---- timers ----------------------------------------------------------------------------------

  private timer: NodeJS.Timeout | undefined
  private firing: Promise<unknown> | undefined

  /** Fires due timers every `intervalMs` (the system clock; a manual clock fires on advance). */
  startScheduler(intervalMs: number, onError: (err: unknown) => void): void {
    if (intervalMs <= 0 || this.timer) return
    this.timer = setInterval(() => {
      if (this.firing) return
      this.firing = this.fireDueTimers()
        .catch(onError)
        .finally(() => {
          this.firing = undefined
        })
    }, intervalMs)
    this.timer.unref()
  }

  async stopScheduler(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.firing
  }

  /**
   * Fires every timer due at `now`, each claimed in its own transaction (SKIP LOCKED on PostgreSQL),
   * so several instances never fire one twice. @returns how many fired
   */
  async fireDueTimers(now = this.clock.now()): Promise<number> {
    let fired = 0
    const skipped = new Set<string>()
    for (let guard = 0; guard < 10_000; guard++) {
      const timer = (await store.listDueTimers(this.db, now, 50)).find((t) => !skipped.has(t.id))
      if (!timer) break
      let prepared: Prepared
      try {
        prepared = await this.prepare(timer.case_id, (def, state) =>
          engineFireTimer(def, state, {
            timerId: timer.id,
            now,
            newId: () => randomUUID(),
            calendar: this.calendar,
          }),
        )
      } catch (err) {
        // The engine no longer has this timer (its task closed meanwhile): retire the row.
        if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err
        await store.claimTimer(this.db, timer.id, now)
        skipped.add(timer.id)
        continue
      }
      // The conditional update of the timer row is the claim: of several instances racing, exactly one
      // moves it from pending to fired, in the same transaction as the case's new state.
      const won = await this.db
        .transaction()
        .execute(async (trx) => {
          if (!(await store.claimTimer(trx, timer.id, now))) return 'taken'
          if (!(await this.persist(trx, prepared, SYSTEM, null))) throw new RetryTimer()
          return 'fired'
        })
        .catch((err: unknown) => {
          if (err instanceof RetryTimer) return 'retry'
          throw err
        })
      if (won === 'fired') fired++
      if (won === 'taken') skipped.add(timer.id)
    }
    return fired
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * A case with its timeline. The applicant sees everything; staff need a task on it in their
   * department (they see that task's fields) or a subtree role over its region. Every staff access to
   * the data is recorded in the ledger, flagged when they had no open task on the case.
   * @throws NOT_FOUND, FORBIDDEN
   */
  async getCase(principal: Principal, id: string): Promise<CaseView> {
    const row = await store.findCase(this.db, id)
    if (!row) throw notFound('case', id)
    if (principal.kind === 'citizen') {
      if (principal.accountId !== row.applicant_id) throw notFound('case', id)
      return this.view(row, 'all')
    }
    const { fields, flagged, tasks } = await this.staffAccess(principal, row)
    await this.recordAccess(principal, row, { what: 'case.data', fields, flagged })
    return this.view(row, fields, tasks)
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
      access = await this.staffAccess(principal, row)
    }
    const schema = (await this.catalog.getVersion(row.matter_code, row.matter_version)).formSchema
    const data = JSON.parse(row.data) as Record<string, unknown>
    const visible = access ? (visibleData(data as never, access.fields) as Record<string, unknown>) : data
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
      await this.recordAccess(principal, row, { what: `attachment:${file.path}`, flagged: access.flagged })
    return { ...content, path: file.path }
  }

  /**
   * What a staff member may see of a case: the fields of their department's tasks on it, or everything
   * for an overseer role over its region; flagged when none of their tasks on it is open. Also returns
   * the case's tasks it read (for the view).
   * @throws FORBIDDEN (no task on the case and no oversight of its region)
   */
  private async staffAccess(
    principal: Principal,
    row: CaseFileTable,
  ): Promise<{ fields: string[]; flagged: boolean; tasks: CaseTaskTable[] }> {
    const tasks = await store.listTasksOfCase(this.db, row.id)
    const mine = tasks.filter((t) => t.department_id !== null && t.department_id === principal.departmentId)
    const overseer =
      principal.roles.some((r) => r === 'admin' || r === 'leader' || r === 'auditor' || r === 'supervisor') &&
      row.region_code.startsWith(principal.regionCode)
    if (mine.length === 0 && !overseer) throw new AppError('FORBIDDEN', 'you have no task on this case')
    const fields =
      mine.length > 0 ? [...new Set(mine.flatMap((t) => JSON.parse(t.fields) as string[]))] : ['*']
    return { fields, flagged: !mine.some((t) => t.status === 'open'), tasks }
  }

  /**
   * Records a staff member's access to a citizen's data: a `data.accessed` ledger event and a
   * `data_access` row (what the citizen sees under "who looked at my data"), in one transaction.
   * `what` is `case.data` (with the `fields` shown) or `attachment:<path>`.
   */
  private async recordAccess(
    principal: Principal,
    row: CaseFileTable,
    access: { what: string; fields?: string[]; flagged: boolean },
  ): Promise<void> {
    const now = this.clock.now()
    const { what, fields, flagged } = access
    await this.db.transaction().execute(async (trx) => {
      const position = await this.ledger.append(trx, {
        type: 'data.accessed',
        subject: SUBJECT(row.id),
        regionCode: row.region_code,
        actor: actorOf(principal),
        data: { case: row.id, citizen: row.applicant_id, what, ...(fields ? { fields } : {}), flagged },
      })
      await store.insertAccess(trx, {
        ...UNREVIEWED,
        id: randomUUID(),
        citizen_id: row.applicant_id,
        staff_id: principal.accountId,
        case_id: row.id,
        what: fields ? fields.join(',') : what,
        at: now,
        flagged: flagged ? 1 : 0,
        ledger_log: position.log,
        ledger_index: position.index,
        department_id: principal.departmentId,
        region_code: principal.regionCode,
      })
    })
  }

  /** The caller's own cases (citizens), newest first. */
  async listMyCases(principal: Principal): Promise<CaseView[]> {
    if (principal.kind !== 'citizen') throw new AppError('FORBIDDEN', 'this lists a citizen’s own cases')
    const rows = await store.listCasesOfApplicant(this.db, principal.accountId)
    return Promise.all(rows.map((r) => this.view(r, 'all')))
  }

  /** Who looked at my data: every recorded access by an official, newest first, with a supervisor's verdict on a flagged one (citizens). */
  async listAccesses(principal: Principal): Promise<
    {
      staffId: string
      staffName: string
      caseId: string
      what: string
      at: number
      flagged: boolean
      ledger: LedgerPosition
      review: CitizenAccessReview | null
    }[]
  > {
    if (principal.kind !== 'citizen')
      throw new AppError('FORBIDDEN', 'this lists accesses to a citizen’s own data')
    const rows = await store.listAccessesOfCitizen(this.db, principal.accountId)
    return Promise.all(
      rows.map(async (r) => ({
        staffId: r.staff_id,
        staffName: (await this.org.findLoginAccount({ id: r.staff_id }))?.principal.name ?? r.staff_id,
        caseId: r.case_id,
        what: r.what,
        at: r.at,
        flagged: r.flagged === 1,
        ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
        review: citizenReviewOf(r),
      })),
    )
  }

  /**
   * Every ledger entry of a case as an offline receipt (tlog-proof), with the keys to verify them.
   * @throws NOT_FOUND, FORBIDDEN (only the applicant, or staff who may see the case)
   */
  async receipt(principal: Principal, id: string): Promise<CaseReceipt> {
    const row = await store.findCase(this.db, id)
    if (!row || (principal.kind === 'citizen' && principal.accountId !== row.applicant_id))
      throw notFound('case', id)
    if (principal.kind === 'staff' && !row.region_code.startsWith(principal.regionCode)) {
      const tasks = await store.listTasksOfCase(this.db, id)
      if (!tasks.some((t) => t.department_id !== null && t.department_id === principal.departmentId))
        throw new AppError(
          'FORBIDDEN',
          'outside your jurisdiction, and no task of your department is on this case',
        )
    }
    const events = await store.listEvents(this.db, id)
    const entries = []
    for (const e of events) {
      entries.push({
        log: e.ledger_log,
        index: Number(e.ledger_index),
        type: e.type,
        time: e.at,
        receipt: await this.ledger.receipt(e.ledger_log, Number(e.ledger_index)),
      })
    }
    const logs = await this.ledger.listLogs()
    const keys = [...new Set(events.map((e) => e.ledger_log))].flatMap(
      (l) => logs.find((x) => x.id === l)?.verifierKeys ?? [],
    )
    return { caseId: id, entries, keys: [...keys, this.ledger.witnessKeys().province] }
  }

  /** A case as its caller may see it, with its timeline (in three queries, whatever its length). */
  private async view(
    row: CaseFileTable,
    fields: 'all' | string[],
    readTasks?: CaseTaskTable[],
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
    const data = JSON.parse(row.data) as Record<string, unknown>
    const visible = fields === 'all' ? data : (visibleData(data as never, fields) as Record<string, unknown>)
    return {
      id: row.id,
      matterCode: row.matter_code,
      matterVersion: row.matter_version,
      matterName: version.definition.name,
      status: row.status as CaseView['status'],
      channel: row.channel,
      applicantId: row.applicant_id,
      regionCode: row.region_code,
      submittedAt: row.submitted_at,
      acceptedAt: row.accepted_at,
      completedAt: row.completed_at,
      dueAt: row.due_at,
      trips: row.trips,
      discrepancies: JSON.parse(row.discrepancies) as Discrepancy[],
      data: visible,
      attachments: await this.attachments.filesOf(version.formSchema, visible, row.id),
      timeline,
    }
  }
}

/** The value at a dotted path of the form data (`transfer.toCity`), or undefined. */
function valueAt(data: unknown, path: string): unknown {
  let v: unknown = data
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/** A timer's case changed while it fired: roll back and fire it again. */
class RetryTimer extends Error {}

/** Task roles a staff member works: their own; a supervisor also takes their officials' and clerks' tasks. */
function workableRoles(p: Principal): string[] {
  const roles = new Set<string>(p.roles)
  if (roles.has('supervisor')) {
    roles.add('official')
    roles.add('clerk')
  }
  return [...roles]
}

function toTaskView(t: CaseTaskTable & { matter_code: string }): TaskView {
  return {
    id: t.id,
    caseId: t.case_id,
    node: t.node_id,
    name: t.name,
    kind: t.kind,
    matterCode: t.matter_code,
    departmentId: t.department_id,
    assigneeId: t.assignee_id,
    createdAt: t.created_at,
    dueAt: t.due_at,
    sla: t.sla,
    outcomes: JSON.parse(t.outcomes) as string[],
  }
}
