/**
 * The case module's command machinery, shared by the commands and the SLA timers: a command is
 * prepared outside any transaction (the case and its process read, the engine run, the lookups it
 * asks for performed and the departments of new tasks resolved) and persisted inside one only if the
 * case's revision is unchanged, its effects becoming rows and ledger events in that transaction.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { CaseTimerTable, DB } from '../../db/schema.js'
import { valueAtPath } from '../../../shared/dotted-path.js'
import { AppError, notFound } from '../../../shared/errors.js'
import type { AttachmentService, FormAttachments } from '../attachments/attachments.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import { findLookup } from '../dataplatform/index.js'
import { commitment } from '../ledger/formats/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import type { WorkCalendar } from '../workflow/calendar/index.js'
import {
  EngineError,
  resolveService,
  type Effect,
  type InstanceState,
  type ProcessDefinition,
  type Step,
} from '../workflow/engine/index.js'
import {
  calendarOf,
  caseStatusOf,
  findCreditCode,
  regionAtLevel,
  type CaseFile,
  type CaseTask,
  type CaseTaskPatch,
} from './cases.model.js'
import { Journal } from './cases.journal.js'
import type { CaseTimerJobs } from './cases.timers.js'
import * as store from './cases.store.js'

/** A command applied in memory, ready to persist. */
export interface Prepared {
  row: CaseFile
  updated: CaseFile
  effects: Effect[]
  departments: Map<string, string>
  /** Task rows already read for this command (the task being completed), so persisting need not read them again. */
  known: Map<string, CaseTask>
  /** The case's files after a change that altered them (a supplement), for the ledger event. */
  attachments?: FileCommitment[]
}

/** What the ledger records of a file: where it sits in the form and its content's SHA-256. */
export interface FileCommitment {
  path: string
  sha256: string
}

export class CaseEngine {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly catalog: CatalogService,
    private readonly dataPlatform: DataPlatformService,
    private readonly org: OrgService,
    private readonly attachments: AttachmentService,
    private readonly timerJobs: CaseTimerJobs,
    /** The working-day calendar of the `calendar.holidays` policy: every SLA due time runs on it. */
    readonly calendar: WorkCalendar,
  ) {}

  /** Performs the data-platform lookups the process asked for, feeding each result back. */
  async resolveServices(def: ProcessDefinition, first: Step, applicantId: string): Promise<Step> {
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
  async resolveDepartments(
    regionCode: string,
    effects: readonly Effect[],
    data: unknown,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    const wanted = effects.flatMap((e) => {
      if (e.type !== 'task.created' || e.assignment.kind !== 'department') return []
      let base = regionCode
      if (e.assignment.regionFrom !== undefined) {
        const named = valueAtPath(data, e.assignment.regionFrom)
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
  async applyEffects(
    trx: Executor,
    row: CaseFile,
    effects: readonly Effect[],
    departments: ReadonlyMap<string, string>,
    known: ReadonlyMap<string, CaseTask>,
    journal: Journal,
    comment: string | null,
    attachments: readonly FileCommitment[] | null,
  ): Promise<void> {
    const now = this.clock.now()
    const actorId = journal.actorId
    // Rows are collected and written in as few statements as possible (each is a round trip on PostgreSQL).
    const newTasks: CaseTask[] = []
    const newTimers: CaseTimerTable[] = []
    const cancelledTimers: string[] = []
    const firedTimers = new Map<number, string[]>()
    // Tasks this command creates are inserted after the ledger append; a change to one of them before
    // then (a task opened and cancelled by the same step) is made to the row waiting to be inserted.
    const created = new Map<string, CaseTask>()
    const patchTask = async (taskId: string, patch: CaseTaskPatch): Promise<void> => {
      const pending = created.get(taskId)
      if (pending) created.set(taskId, { ...pending, ...patch })
      else await store.updateTask(trx, taskId, patch)
    }
    for (const e of effects) {
      switch (e.type) {
        case 'task.created': {
          const departmentId = departments.get(e.taskId) ?? null
          const task: CaseTask = {
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
            fields: [...e.fields],
            outcomes: [...e.outcomes],
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
            {
              task: e.taskId,
              node: e.nodeId,
              department: departmentId,
              dueAt: e.dueAt,
              ...calendarOf(this.calendar, e.dueAt),
            },
            (p) => {
              // Whatever later effects of this command changed on it (created and cancelled at once) included.
              newTasks.push({
                ...(created.get(e.taskId) as CaseTask),
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
              ...(e.changedFields.length > 0 ? { data: commitment(row.data, row.salt) } : {}),
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
    // The scheduler keeps and runs the timers: a job per new timer, withdrawn when the timer is
    // cancelled; their ledger events go out with the step's own, in one append.
    const owner = { id: row.id, regionCode: row.region_code }
    const timerEvents = [
      ...(await this.timerJobs.schedule(
        trx,
        owner,
        newTimers.map((t) => ({ id: t.id, dueAt: t.due_at })),
      )),
      ...(await this.timerJobs.cancel(trx, owner, cancelledTimers)),
    ]
    await journal.flush(trx, this.ledger, timerEvents)
    await store.insertTasks(trx, newTasks)
    // `case_timer` holds only timers from before the scheduler, kept in step until they are adopted.
    await store.setTimersStatus(trx, cancelledTimers, 'cancelled', null)
    for (const [at, ids] of firedTimers) await store.setTimersStatus(trx, ids, 'fired', at)
  }

  /**
   * Runs one engine command on a case, outside any transaction: reads the case and its process
   * version, applies the command, performs the lookups it asks for and resolves the departments of new
   * tasks. @throws CONFLICT when the command no longer applies (task closed, timer gone)
   */
  async prepare(
    caseId: string,
    run: (def: ProcessDefinition, state: InstanceState) => Step,
    read?: { row?: CaseFile; known?: Map<string, CaseTask> },
  ): Promise<Prepared> {
    const row = read?.row ?? (await store.findCase(this.db, caseId))
    if (!row) throw notFound('case', caseId)
    const def = (await this.catalog.getVersion(row.matter_code, row.matter_version)).process
    let step: Step
    try {
      step = await this.resolveServices(def, run(def, row.instance), row.applicant_id)
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
    const updated: CaseFile = {
      ...row,
      instance: step.state,
      revision: step.state.revision,
      status,
      data: step.state.data,
      updated_at: now,
      accepted_at: row.accepted_at ?? (status === 'submitted' ? null : now),
      completed_at: step.state.endedAt,
    }
    return {
      row,
      updated,
      effects: step.effects,
      departments,
      known: read?.known ?? new Map<string, CaseTask>(),
    }
  }

  /**
   * Persists a prepared command in `trx`: the new state only if the case's revision is still the one
   * it was prepared from, with its effects and ledger events. @returns false on a concurrent change
   */
  async persist(trx: Executor, p: Prepared, actor: Principal, comment: string | null): Promise<boolean> {
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
  async command(
    caseId: string,
    actor: Principal,
    comment: string | null,
    run: (def: ProcessDefinition, state: InstanceState) => Step,
    read?: { row: CaseFile; known: Map<string, CaseTask> },
    form?: FormAttachments,
  ): Promise<CaseFile> {
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
  async changedFiles(p: Prepared, form: FormAttachments): Promise<FileCommitment[] | undefined> {
    const schema = (await this.catalog.getVersion(p.row.matter_code, p.row.matter_version)).formSchema
    const commitments = async (
      data: Record<string, unknown>,
      with_?: FormAttachments,
    ): Promise<FileCommitment[]> =>
      (await this.attachments.filesOf(schema, data, p.row.id, with_)).map((f) => ({
        path: f.path,
        sha256: f.sha256,
      }))
    const before = await commitments(p.row.data)
    const after = await commitments(p.updated.data, form)
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : after
  }
}
