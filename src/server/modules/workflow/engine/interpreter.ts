/**
 * The interpreter: pure functions from (definition, state, command) to `{ state, effects }`.
 *
 * No I/O, no clock, no randomness: `now` (epoch ms), `newId` and the working-day `calendar` come with every
 * command. The input state is never modified (it is cloned first), and a refused command throws
 * {@link EngineError} without side effects, so the caller's stored state stays valid.
 *
 * ## Semantics
 * - A command moves tokens until every token waits again (at a user task, a service task or a parallel join)
 *   or the instance ends. Tokens move breadth-first; effects are emitted in that order.
 * - **User task**: creates an open task (`task.created`) with its assignment, due time (`slaDays` working days
 *   from now, per the calendar) and one timer per boundary event (`timer.scheduled`). Completing it with an
 *   allowed outcome records `outcomes[taskNodeId]`, cancels its timers and moves on by its one outgoing flow.
 * - **Service task**: emits `service.requested` and waits; `resolveService` stores the result in the
 *   `resultVariable` and moves on; `failService` raises an incident (the instance keeps waiting);
 *   `retryService` asks again.
 * - **Exclusive gateway**: conditions in document order, first true wins, else the default flow, else the
 *   command fails with `NO_FLOW_MATCHED`. **Parallel gateway**: with one incoming flow it splits (a new token
 *   per outgoing flow); with several it joins, waiting until a token has arrived by every incoming flow (one
 *   per flow, oldest first), then continues on all outgoing flows.
 * - **End event**: `completed` ends its token; the instance completes when no token is left. `rejected`
 *   terminates the instance: every open task, timer and service call is cancelled.
 * - **Timer boundary**: non-interrupting → effects only (`sla.warned` / `sla.breached` / `escalated`), the task
 *   stays open; interrupting → the same effects, then the task and its other timers are cancelled and the token
 *   follows the boundary's outgoing flow (e.g. to an escalation task).
 * - Guards: more than `maxAutomaticSteps` (default 1000) gateway/event moves in one command without reaching a
 *   task → `AUTOMATIC_LOOP`; tokens left only at joins that can no longer fire → `DEADLOCK`.
 * @module
 */
import type { WorkCalendar } from '../calendar/calendar.js'
import {
  DEFINITION_SCHEMA,
  definitionRef,
  type FlowNode,
  type Outcome,
  type ProcessDefinition,
  type ServiceTaskNode,
  type UserTaskNode,
} from './definition.js'
import { EngineError } from './errors.js'
import { evaluateCondition } from './feel.js'
import {
  STATE_SCHEMA,
  type CaseInfo,
  type Effect,
  type InstanceState,
  type JsonObject,
  type JsonValue,
  type OpenTask,
  type Step,
  type TaskCancelReason,
  type Token,
} from './state.js'

/** Kinds of ids the engine asks `newId` for. */
export type IdKind = 'instance' | 'token' | 'task' | 'timer' | 'serviceCall' | 'incident'
/** Supplies fresh, unique ids (e.g. ULIDs). Called in a deterministic order, so replays can reuse recorded ids. */
export type NewId = (kind: IdKind) => string

/** Default bound on automatic moves per command. */
export const DEFAULT_MAX_AUTOMATIC_STEPS = 1000

/** What every command that may create tasks or timers needs. */
export interface CommandContext {
  /** The current time, epoch ms. */
  now: number
  newId: NewId
  /** Computes due times of tasks and timers in working days. */
  calendar: WorkCalendar
  /** Bound on gateway/event moves in one command (default {@link DEFAULT_MAX_AUTOMATIC_STEPS}). */
  maxAutomaticSteps?: number
}

export interface StartCommand extends CommandContext {
  /** The case form data (a JSON object). */
  data: Record<string, unknown>
  case: CaseInfo
}

export interface CompleteTaskCommand extends CommandContext {
  taskId: string
  /** One of the task's outcomes (`approve`/`reject`/`supplement`; `submit`/`approve` for applicant tasks). */
  outcome: string
  /** Form changes, deep-merged into the case data (objects merge, other values replace). Only fields the task may see. */
  data?: Record<string, unknown>
}

export interface FireTimerCommand extends CommandContext {
  timerId: string
}

export interface ResolveServiceCommand extends CommandContext {
  serviceCallId: string
  /** The lookup result (any JSON value), stored in the service task's resultVariable. */
  result: unknown
}

export interface FailServiceCommand {
  serviceCallId: string
  /** What went wrong, for the incident (no personal data: it ends up in the ledger). */
  error: string
  now: number
  newId: NewId
}

export interface RetryServiceCommand {
  serviceCallId: string
  now: number
}

export interface CancelCommand {
  reason: string
  now: number
}

interface Arrival {
  tokenId: string
  nodeId: string
  via: string | null
  outcome: Outcome | null
}

interface RunContext {
  now: number
  newId?: NewId
  calendar?: WorkCalendar
  maxAutomaticSteps?: number
}

/** An own property of a record (never one inherited from Object.prototype, whatever id a caller sends). */
const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined

const fail = (code: EngineError['code'], message: string, details: Record<string, unknown> = {}): never => {
  throw new EngineError(code, message, details)
}

/** One command's work on a private copy of the state. */
class Run {
  readonly effects: Effect[] = []
  private readonly queue: Arrival[] = []
  private automatic = 0
  private lastEnd: string | null = null
  /** Ids of the state as the command found it (plus those handed out since): closed ones may not come back. */
  private readonly usedIds: Set<string>
  private readonly maxAutomatic: number

  constructor(
    readonly def: ProcessDefinition,
    readonly state: InstanceState,
    readonly ctx: RunContext,
  ) {
    this.maxAutomatic = ctx.maxAutomaticSteps ?? DEFAULT_MAX_AUTOMATIC_STEPS
    const s = state
    this.usedIds = new Set([
      s.id,
      ...s.tokens.map((t) => t.id),
      ...Object.keys(s.tasks),
      ...Object.keys(s.timers),
      ...Object.keys(s.serviceCalls),
      ...Object.keys(s.incidents),
    ])
  }

  get now(): number {
    return this.ctx.now
  }

  id(kind: IdKind): string {
    const newId = this.ctx.newId ?? fail('INVALID_COMMAND', 'newId is required for this command')
    const id = newId(kind)
    if (typeof id !== 'string' || id === '')
      fail('INVALID_COMMAND', `newId returned ${JSON.stringify(id)} for a ${kind}; ids are non-empty strings`)
    if (this.usedIds.has(id))
      fail(
        'DUPLICATE_ID',
        `newId returned "${id}" for a ${kind}, but that id is already in use in this instance`,
        { id, kind },
      )
    this.usedIds.add(id)
    return id
  }

  emit(effect: Effect): void {
    this.effects.push(effect)
  }

  enqueue(arrival: Arrival): void {
    this.queue.push(arrival)
  }

  /** Moves a token along a flow. */
  follow(flowId: string, from: Omit<Arrival, 'nodeId' | 'via'>): void {
    const flow =
      this.def.flows[flowId] ?? fail('INVALID_STATE', `flow ${flowId} is not in definition ${this.def.key}`)
    this.enqueue({ tokenId: from.tokenId, outcome: from.outcome, nodeId: flow.target, via: flowId })
  }

  /** Runs until every token waits or the instance ended, then completes it if no token is left. */
  drain(): Step {
    while (this.queue.length > 0 && this.state.status === 'running') this.enter(this.queue.shift() as Arrival)
    const s = this.state
    if (s.status === 'running') {
      if (s.tokens.length === 0) {
        const endEventId =
          this.lastEnd ?? fail('INVALID_STATE', 'the instance has no tokens left but reached no end event')
        s.status = 'completed'
        s.result = { status: 'completed', endEventId, reason: null, at: this.now }
        s.endedAt = this.now
        this.emit({ type: 'instance.completed', endEventId, at: this.now })
      } else if (s.tokens.every((t) => t.wait === 'join')) {
        const joins = [...new Set(s.tokens.map((t) => t.nodeId))]
        fail(
          'DEADLOCK',
          `every remaining token waits at parallel join ${joins.join(', ')}, which can no longer fire: a branch ended before reaching it`,
          { joins },
        )
      }
    }
    return { state: s, effects: this.effects }
  }

  private automaticStep(node: FlowNode): void {
    if (++this.automatic > this.maxAutomatic) {
      fail(
        'AUTOMATIC_LOOP',
        `more than ${this.maxAutomatic} automatic steps without reaching a task (last at ${node.id}); the process loops through gateways`,
        { nodeId: node.id },
      )
    }
  }

  private enter(a: Arrival): void {
    const node =
      this.def.nodes[a.nodeId] ??
      fail('INVALID_STATE', `node ${a.nodeId} is not in definition ${this.def.key}`)
    switch (node.type) {
      case 'startEvent':
        this.automaticStep(node)
        this.follow(node.outgoing[0] as string, a)
        return
      case 'userTask':
        this.createTask(a, node)
        return
      case 'serviceTask':
        this.requestService(a, node)
        return
      case 'exclusiveGateway':
        this.automaticStep(node)
        this.exclusive(a, node)
        return
      case 'parallelGateway':
        this.automaticStep(node)
        this.parallel(a, node)
        return
      case 'endEvent':
        this.automaticStep(node)
        if (node.result === 'rejected') this.terminate(node.id)
        else this.lastEnd = node.id
        return
      default: {
        const never: never = node
        fail('INVALID_STATE', `unknown node type at ${(never as FlowNode).id}`)
      }
    }
  }

  private createTask(a: Arrival, node: UserTaskNode): void {
    const s = this.state
    const calendar =
      this.ctx.calendar ?? fail('INVALID_COMMAND', 'calendar is required for a command that creates tasks')
    const taskId = this.id('task')
    const iteration = (s.visits[node.id] ?? 0) + 1
    s.visits[node.id] = iteration
    const dueAt = node.slaDays === null ? null : calendar.addWorkingDays(this.now, node.slaDays)
    const task: OpenTask = {
      id: taskId,
      nodeId: node.id,
      tokenId: a.tokenId,
      name: node.name,
      assignment: { ...node.assignment },
      slaDays: node.slaDays,
      createdAt: this.now,
      dueAt,
      timerIds: [],
      iteration,
    }
    s.tasks[taskId] = task
    s.tokens.push({
      id: a.tokenId,
      nodeId: node.id,
      wait: 'task',
      via: a.via,
      outcome: a.outcome,
      ref: taskId,
    })
    this.emit({
      type: 'task.created',
      taskId,
      nodeId: node.id,
      name: node.name,
      assignment: { ...node.assignment },
      slaDays: node.slaDays,
      createdAt: this.now,
      dueAt,
      fields: [...node.fields],
      outcomes: [...node.outcomes],
      iteration,
    })
    for (const boundaryId of node.boundaryIds) {
      const b =
        this.def.boundaries[boundaryId] ??
        fail('INVALID_STATE', `boundary ${boundaryId} is not in definition ${this.def.key}`)
      const timerDue =
        b.timer.kind === 'duration'
          ? calendar.addDuration(this.now, b.timer.duration)
          : calendar.addWorkingDays(this.now, (node.slaDays ?? 0) * b.timer.fraction)
      const timerId = this.id('timer')
      s.timers[timerId] = {
        id: timerId,
        boundaryId,
        taskId,
        nodeId: node.id,
        dueAt: timerDue,
        interrupting: b.interrupting,
        sla: b.sla,
        escalate: b.escalate,
      }
      task.timerIds.push(timerId)
      this.emit({
        type: 'timer.scheduled',
        timerId,
        boundaryId,
        taskId,
        nodeId: node.id,
        dueAt: timerDue,
        interrupting: b.interrupting,
        sla: b.sla,
        escalate: b.escalate,
      })
    }
  }

  private requestService(a: Arrival, node: ServiceTaskNode): void {
    const s = this.state
    const callId = this.id('serviceCall')
    s.visits[node.id] = (s.visits[node.id] ?? 0) + 1
    s.serviceCalls[callId] = {
      id: callId,
      nodeId: node.id,
      tokenId: a.tokenId,
      service: node.service,
      resultVariable: node.resultVariable,
      requestedAt: this.now,
      status: 'pending',
      attempt: 1,
      incidentId: null,
    }
    s.tokens.push({
      id: a.tokenId,
      nodeId: node.id,
      wait: 'service',
      via: a.via,
      outcome: a.outcome,
      ref: callId,
    })
    this.emit({
      type: 'service.requested',
      serviceCallId: callId,
      nodeId: node.id,
      service: node.service,
      resultVariable: node.resultVariable,
      attempt: 1,
    })
  }

  private exclusive(a: Arrival, node: Extract<FlowNode, { type: 'exclusiveGateway' }>): void {
    const only = node.outgoing.length === 1 ? this.def.flows[node.outgoing[0] as string] : undefined
    if (only && only.condition === null) {
      this.follow(only.id, a) // a merge: nothing to decide
      return
    }
    const s = this.state
    const context: Record<string, unknown> = {
      ...s.variables,
      data: s.data,
      outcome: a.outcome,
      outcomes: s.outcomes,
      case: s.case,
    }
    const evaluated: { flowId: string; condition: string; value: boolean | null }[] = []
    let chosen: string | null = null
    for (const flowId of node.outgoing) {
      const condition = this.def.flows[flowId]?.condition ?? null
      if (flowId === node.defaultFlow || condition === null) continue
      const r = evaluateCondition(condition, context)
      evaluated.push({ flowId, condition, value: r.value })
      if (r.matched) {
        chosen = flowId
        break
      }
    }
    const reason = chosen !== null ? 'condition' : 'default'
    chosen ??= node.defaultFlow
    if (chosen === null) {
      return fail(
        'NO_FLOW_MATCHED',
        `exclusive gateway ${node.id}: no condition is true and there is no default flow`,
        { nodeId: node.id, evaluated },
      )
    }
    this.emit({
      type: 'gateway.taken',
      nodeId: node.id,
      kind: 'exclusive',
      flowIds: [chosen],
      reason,
      evaluated,
    })
    this.follow(chosen, a)
  }

  private parallel(a: Arrival, node: Extract<FlowNode, { type: 'parallelGateway' }>): void {
    const s = this.state
    let reason: 'split' | 'join' = 'split'
    if (node.incoming.length > 1) {
      s.tokens.push({
        id: a.tokenId,
        nodeId: node.id,
        wait: 'join',
        via: a.via,
        outcome: a.outcome,
        ref: null,
      })
      const arrived = node.incoming.map((f) =>
        s.tokens.find((t) => t.wait === 'join' && t.nodeId === node.id && t.via === f),
      )
      if (arrived.some((t) => t === undefined)) return
      const consumed = new Set(arrived.map((t) => (t as Token).id))
      s.tokens = s.tokens.filter((t) => !consumed.has(t.id))
      reason = 'join'
    } else if (node.outgoing.length === 1) {
      this.follow(node.outgoing[0] as string, a) // pass-through
      return
    }
    this.emit({
      type: 'gateway.taken',
      nodeId: node.id,
      kind: 'parallel',
      flowIds: [...node.outgoing],
      reason,
      evaluated: [],
    })
    for (const flowId of node.outgoing) this.follow(flowId, { tokenId: this.id('token'), outcome: a.outcome })
  }

  /** Removes an open task, its token and its timers. */
  closeTask(task: OpenTask, timerReason: 'task.completed' | 'task.cancelled'): void {
    const s = this.state
    for (const timerId of task.timerIds) {
      const timer = s.timers[timerId]
      if (!timer) continue
      delete s.timers[timerId]
      this.emit({
        type: 'timer.cancelled',
        timerId,
        boundaryId: timer.boundaryId,
        taskId: task.id,
        reason: timerReason,
      })
    }
    delete s.tasks[task.id]
    s.tokens = s.tokens.filter((t) => !(t.wait === 'task' && t.ref === task.id))
  }

  cancelTask(task: OpenTask, reason: TaskCancelReason, boundaryId: string | null): void {
    this.emit({
      type: 'task.cancelled',
      taskId: task.id,
      nodeId: task.nodeId,
      reason,
      boundaryId,
      at: this.now,
    })
    this.closeTask(task, 'task.cancelled')
  }

  /** Cancels all open work (tasks, timers, service calls, incidents). */
  clearAll(reason: TaskCancelReason): void {
    const s = this.state
    for (const task of Object.values(s.tasks)) this.cancelTask(task, reason, null)
    for (const call of Object.values(s.serviceCalls)) {
      if (call.incidentId !== null)
        this.emit({ type: 'incident.resolved', incidentId: call.incidentId, serviceCallId: call.id })
      this.emit({
        type: 'service.cancelled',
        serviceCallId: call.id,
        nodeId: call.nodeId,
        service: call.service,
      })
    }
    s.serviceCalls = {}
    s.incidents = {}
    s.tokens = []
    this.queue.length = 0
  }

  private terminate(endEventId: string): void {
    const s = this.state
    this.clearAll('terminated')
    s.status = 'rejected'
    s.result = { status: 'rejected', endEventId, reason: null, at: this.now }
    s.endedAt = this.now
    this.emit({ type: 'instance.rejected', endEventId, at: this.now })
  }
}

// ── guards and data helpers ─────────────────────────────────────────────────

function assertNow(now: unknown): asserts now is number {
  if (typeof now !== 'number' || !Number.isFinite(now))
    fail('INVALID_COMMAND', `now must be a finite epoch-millisecond time, got ${String(now)}`)
}

function assertDefinition(def: ProcessDefinition): void {
  if (def?.schema !== DEFINITION_SCHEMA || !def.nodes?.[def.startNodeId]) {
    fail('INVALID_COMMAND', 'not a deployed process definition (use parseProcess or definitionFromJSON)')
  }
}

/** Common checks of commands on an existing instance; returns a run on a private copy of the state. */
function begin(def: ProcessDefinition, state: InstanceState, ctx: RunContext): Run {
  assertDefinition(def)
  if (state?.schema !== STATE_SCHEMA)
    fail('INVALID_STATE', `not an instance state of schema ${String(STATE_SCHEMA)}`)
  if (state.definition.key !== def.key) {
    fail(
      'DEFINITION_MISMATCH',
      `instance ${state.id} runs ${state.definition.key}; it cannot be driven by ${def.key}`,
      { instance: state.definition.key, given: def.key },
    )
  }
  if (state.status !== 'running')
    fail('INSTANCE_NOT_RUNNING', `instance ${state.id} is ${state.status}`, { status: state.status })
  assertNow(ctx.now)
  const next = structuredClone(state)
  next.revision += 1
  next.updatedAt = ctx.now
  return new Run(def, next, ctx)
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

/** Checks that a value is plain JSON (finite numbers, no undefined, no class instances, no cycles) and copies it. */
function toJson(value: unknown, path: string, seen = new Set<unknown>()): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      fail('INVALID_COMMAND', `${path} is ${String(value)}; numbers must be finite`, { path })
    return value
  }
  if (typeof value === 'object') {
    if (seen.has(value)) fail('INVALID_COMMAND', `${path} contains a cycle`, { path })
    seen.add(value)
    try {
      if (Array.isArray(value)) return value.map((v, i) => toJson(v, `${path}[${i}]`, seen))
      if (!isPlainObject(value))
        fail(
          'INVALID_COMMAND',
          `${path} is not plain JSON (a ${value.constructor?.name ?? 'special'} object)`,
          { path },
        )
      const out: JsonObject = {}
      for (const [k, v] of Object.entries(value)) {
        if (k === '__proto__') fail('INVALID_COMMAND', `${path} has a field named __proto__`, { path })
        out[k] = toJson(v, `${path}.${k}`, seen)
      }
      return out
    } finally {
      seen.delete(value)
    }
  }
  return fail('INVALID_COMMAND', `${path} is ${typeof value}; only JSON values are allowed`, { path })
}

function toJsonObject(value: unknown, what: string): JsonObject {
  if (!isPlainObject(value)) fail('INVALID_COMMAND', `${what} must be a JSON object`)
  return toJson(value, what) as JsonObject
}

/** Leaf paths of a data patch: non-empty objects recurse, anything else (arrays too) is a leaf. */
function leafPaths(value: JsonObject, prefix = ''): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('.') || k === '')
      fail(
        'INVALID_COMMAND',
        `data field name ${JSON.stringify(k)} is not allowed in a change (no dots, not empty)`,
      )
    const path = prefix === '' ? k : `${prefix}.${k}`
    if (isPlainObject(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, path))
    else out.push(path)
  }
  return out
}

/** Whether a dotted path lies within the fields a node may see (`*` = all). */
export function isFieldVisible(fields: readonly string[], path: string): boolean {
  return fields.some((f) => f === '*' || path === f || path.startsWith(`${f}.`))
}

/**
 * The part of the case data a node may see: only the paths in `fields` (`['*']` = everything). The workflow
 * service uses this to show an official only what their step needs.
 */
export function visibleData(data: JsonObject, fields: readonly string[]): JsonObject {
  if (fields.includes('*')) return structuredClone(data)
  const out: JsonObject = {}
  for (const f of fields) {
    const parts = f.split('.')
    let src: JsonValue | undefined = data
    for (const p of parts) src = isPlainObject(src) && Object.hasOwn(src, p) ? src[p] : undefined
    if (src === undefined) continue
    let dst = out
    for (const p of parts.slice(0, -1)) {
      if (!isPlainObject(dst[p])) dst[p] = {}
      dst = dst[p]
    }
    dst[parts[parts.length - 1] as string] = structuredClone(src)
  }
  return out
}

/** Deep merge: plain objects merge key by key, everything else replaces. Mutates and returns `base`. */
function mergeInto(base: JsonObject, patch: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(patch)) {
    const cur = base[k]
    if (isPlainObject(v) && isPlainObject(cur)) mergeInto(cur, v)
    else base[k] = v
  }
  return base
}

// ── commands ────────────────────────────────────────────────────────────────

/**
 * Starts an instance of `def` for a case: the token leaves the start event and runs to the first tasks.
 * Emits `instance.started` (with the matter's due time: `def.slaDays` working days from `now`) and whatever
 * the first moves produce.
 * @throws EngineError `INVALID_COMMAND` (data not a JSON object, case of another matter), `DUPLICATE_ID`, or a
 *   model error (`NO_FLOW_MATCHED`, `AUTOMATIC_LOOP`, `DEADLOCK`).
 */
export function start(def: ProcessDefinition, cmd: StartCommand): Step {
  assertDefinition(def)
  assertNow(cmd.now)
  const c = cmd.case
  if (
    !isPlainObject(c) ||
    typeof c.matterCode !== 'string' ||
    typeof c.regionCode !== 'string' ||
    typeof c.channel !== 'string'
  ) {
    fail('INVALID_COMMAND', 'case must be { matterCode, regionCode, channel } (strings)')
  }
  if (c.matterCode !== def.matter)
    fail('INVALID_COMMAND', `case is for matter ${c.matterCode}, but the definition is ${def.key}`)
  const data = toJsonObject(cmd.data, 'data')
  const id = cmd.newId('instance')
  if (typeof id !== 'string' || id === '') fail('INVALID_COMMAND', 'newId returned an empty instance id')
  const dueAt = cmd.calendar.addWorkingDays(cmd.now, def.slaDays)
  const state: InstanceState = {
    schema: STATE_SCHEMA,
    id,
    definition: definitionRef(def),
    status: 'running',
    result: null,
    revision: 1,
    case: { matterCode: c.matterCode, regionCode: c.regionCode, channel: c.channel },
    data,
    variables: {},
    outcomes: {},
    visits: {},
    tokens: [],
    tasks: {},
    timers: {},
    serviceCalls: {},
    incidents: {},
    startedAt: cmd.now,
    updatedAt: cmd.now,
    dueAt,
    endedAt: null,
  }
  const run = new Run(def, state, cmd)
  run.emit({ type: 'instance.started', definition: { ...state.definition }, startedAt: cmd.now, dueAt })
  run.enqueue({ tokenId: run.id('token'), nodeId: def.startNodeId, via: null, outcome: null })
  return run.drain()
}

/**
 * Completes an open user task with an outcome, optionally merging form changes (the 补正 supplement step),
 * cancels its timers and moves on.
 * @throws EngineError `TASK_NOT_OPEN`, `OUTCOME_NOT_ALLOWED`, `FIELD_NOT_WRITABLE` (a change outside the task's
 *   fields), `INVALID_COMMAND`, `INSTANCE_NOT_RUNNING`, `DEFINITION_MISMATCH`, or a model error.
 */
export function completeTask(def: ProcessDefinition, state: InstanceState, cmd: CompleteTaskCommand): Step {
  const run = begin(def, state, cmd)
  const s = run.state
  const task =
    own(s.tasks, cmd.taskId) ??
    fail(
      'TASK_NOT_OPEN',
      `task ${cmd.taskId} is not open in instance ${s.id} (unknown, completed or cancelled)`,
      { taskId: cmd.taskId },
    )
  const node = def.nodes[task.nodeId]
  if (node?.type !== 'userTask')
    return fail(
      'INVALID_STATE',
      `task ${task.id} is at ${task.nodeId}, which is not a user task of ${def.key}`,
    )
  const outcome = cmd.outcome as Outcome
  if (!node.outcomes.includes(outcome)) {
    fail(
      'OUTCOME_NOT_ALLOWED',
      `task ${task.id} (${node.id}) allows ${node.outcomes.join(', ')}, not ${JSON.stringify(cmd.outcome)}`,
      { allowed: node.outcomes },
    )
  }
  let changedFields: string[] = []
  if (cmd.data !== undefined) {
    const patch = toJsonObject(cmd.data, 'data')
    changedFields = leafPaths(patch).sort()
    const hidden = changedFields.filter((p) => !isFieldVisible(node.fields, p))
    if (hidden.length > 0)
      fail(
        'FIELD_NOT_WRITABLE',
        `task ${node.id} may change only ${node.fields.join(', ')}; not ${hidden.join(', ')}`,
        { fields: hidden },
      )
    mergeInto(s.data, patch)
  }
  const token =
    s.tokens.find((t) => t.wait === 'task' && t.ref === task.id) ??
    fail('INVALID_STATE', `task ${task.id} has no token`)
  run.emit({
    type: 'task.completed',
    taskId: task.id,
    nodeId: node.id,
    outcome,
    completedAt: cmd.now,
    changedFields,
  })
  run.closeTask(task, 'task.completed')
  s.outcomes[node.id] = outcome
  run.follow(node.outgoing[0] as string, { tokenId: token.id, outcome })
  return run.drain()
}

/**
 * Fires a due timer. Emits `timer.fired`, then `sla.warned` or `sla.breached` (per `xzt:sla`) and `escalated`
 * (per `xzt:escalate`). A non-interrupting timer leaves the task open; an interrupting one cancels the task and
 * its other timers and moves the token along the boundary's outgoing flow.
 * @throws EngineError `TIMER_NOT_PENDING`, `TIMER_NOT_DUE` (`now` is before its due time), or as above.
 */
export function fireTimer(def: ProcessDefinition, state: InstanceState, cmd: FireTimerCommand): Step {
  const run = begin(def, state, cmd)
  const s = run.state
  const timer =
    own(s.timers, cmd.timerId) ??
    fail(
      'TIMER_NOT_PENDING',
      `timer ${cmd.timerId} is not pending in instance ${s.id} (unknown, fired or cancelled)`,
      { timerId: cmd.timerId },
    )
  if (cmd.now < timer.dueAt)
    fail('TIMER_NOT_DUE', `timer ${timer.id} is due at ${new Date(timer.dueAt).toISOString()}, not yet`, {
      dueAt: timer.dueAt,
    })
  const task =
    s.tasks[timer.taskId] ??
    fail('INVALID_STATE', `timer ${timer.id} belongs to task ${timer.taskId}, which is not open`)
  const boundary =
    def.boundaries[timer.boundaryId] ??
    fail('INVALID_STATE', `boundary ${timer.boundaryId} is not in ${def.key}`)
  delete s.timers[timer.id]
  task.timerIds = task.timerIds.filter((id) => id !== timer.id)
  const common = { taskId: task.id, nodeId: task.nodeId, timerId: timer.id, boundaryId: boundary.id }
  run.emit({
    type: 'timer.fired',
    timerId: timer.id,
    boundaryId: boundary.id,
    taskId: task.id,
    nodeId: task.nodeId,
    dueAt: timer.dueAt,
    firedAt: cmd.now,
  })
  if (boundary.sla === 'warn') run.emit({ type: 'sla.warned', ...common, taskDueAt: task.dueAt, at: cmd.now })
  if (boundary.sla === 'breach')
    run.emit({ type: 'sla.breached', ...common, taskDueAt: task.dueAt, at: cmd.now })
  if (boundary.escalate === 'supervisor') {
    run.emit({
      type: 'escalated',
      ...common,
      to: 'supervisor',
      assignment: { ...task.assignment },
      taskOpen: !boundary.interrupting,
      at: cmd.now,
    })
  }
  if (boundary.interrupting) {
    const token =
      s.tokens.find((t) => t.wait === 'task' && t.ref === task.id) ??
      fail('INVALID_STATE', `task ${task.id} has no token`)
    run.cancelTask(task, 'boundary', boundary.id)
    const outgoing =
      boundary.outgoing ?? fail('INVALID_STATE', `interrupting boundary ${boundary.id} has no outgoing flow`)
    run.follow(outgoing, { tokenId: token.id, outcome: null })
  }
  return run.drain()
}

/**
 * Delivers the result of a data-platform lookup (pending, or failed and since retried by other means): stores
 * it in the service task's resultVariable, closes an open incident, and moves on.
 * @throws EngineError `SERVICE_CALL_NOT_PENDING`, `INVALID_COMMAND` (result not JSON), or as above.
 */
export function resolveService(
  def: ProcessDefinition,
  state: InstanceState,
  cmd: ResolveServiceCommand,
): Step {
  const run = begin(def, state, cmd)
  const s = run.state
  const call =
    own(s.serviceCalls, cmd.serviceCallId) ??
    fail('SERVICE_CALL_NOT_PENDING', `service call ${cmd.serviceCallId} is not pending in instance ${s.id}`, {
      serviceCallId: cmd.serviceCallId,
    })
  if (cmd.result === undefined) fail('INVALID_COMMAND', 'result is required (use null for "nothing found")')
  const result = toJson(cmd.result, 'result')
  const token =
    s.tokens.find((t) => t.wait === 'service' && t.ref === call.id) ??
    fail('INVALID_STATE', `service call ${call.id} has no token`)
  if (call.resultVariable !== null) s.variables[call.resultVariable] = result
  if (call.incidentId !== null) {
    delete s.incidents[call.incidentId]
    run.emit({ type: 'incident.resolved', incidentId: call.incidentId, serviceCallId: call.id })
  }
  delete s.serviceCalls[call.id]
  s.tokens = s.tokens.filter((t) => t.id !== token.id)
  run.emit({
    type: 'service.resolved',
    serviceCallId: call.id,
    nodeId: call.nodeId,
    service: call.service,
    resultVariable: call.resultVariable,
  })
  const node = def.nodes[call.nodeId] ?? fail('INVALID_STATE', `node ${call.nodeId} is not in ${def.key}`)
  run.follow(node.outgoing[0] as string, { tokenId: token.id, outcome: token.outcome })
  return run.drain()
}

/**
 * Records that a lookup failed: the call becomes `failed` and an incident is raised; the instance keeps
 * waiting at the service task until `retryService` or `resolveService`.
 * @throws EngineError `SERVICE_CALL_NOT_PENDING` (unknown, or already failed).
 */
export function failService(def: ProcessDefinition, state: InstanceState, cmd: FailServiceCommand): Step {
  const run = begin(def, state, cmd)
  const s = run.state
  const call = own(s.serviceCalls, cmd.serviceCallId)
  if (call?.status !== 'pending') {
    return fail(
      'SERVICE_CALL_NOT_PENDING',
      `service call ${cmd.serviceCallId} is not pending in instance ${s.id}${call ? ' (it already failed)' : ''}`,
      { serviceCallId: cmd.serviceCallId },
    )
  }
  if (typeof cmd.error !== 'string' || cmd.error.trim() === '')
    fail('INVALID_COMMAND', 'error must describe the failure')
  const incidentId = run.id('incident')
  call.status = 'failed'
  call.incidentId = incidentId
  s.incidents[incidentId] = {
    id: incidentId,
    kind: 'service_failed',
    nodeId: call.nodeId,
    serviceCallId: call.id,
    message: cmd.error,
    raisedAt: cmd.now,
  }
  run.emit({
    type: 'service.failed',
    serviceCallId: call.id,
    nodeId: call.nodeId,
    service: call.service,
    error: cmd.error,
    incidentId,
  })
  run.emit({
    type: 'incident.raised',
    incidentId,
    kind: 'service_failed',
    nodeId: call.nodeId,
    serviceCallId: call.id,
    message: cmd.error,
  })
  return run.drain()
}

/**
 * Asks again for a failed lookup: resolves its incident and emits `service.requested` with the next attempt
 * number (same service call id).
 * @throws EngineError `SERVICE_CALL_NOT_FAILED` (unknown or still pending).
 */
export function retryService(def: ProcessDefinition, state: InstanceState, cmd: RetryServiceCommand): Step {
  const run = begin(def, state, cmd)
  const s = run.state
  const call = own(s.serviceCalls, cmd.serviceCallId)
  if (call?.status !== 'failed')
    return fail(
      'SERVICE_CALL_NOT_FAILED',
      `service call ${cmd.serviceCallId} has not failed in instance ${s.id}`,
      { serviceCallId: cmd.serviceCallId },
    )
  if (call.incidentId !== null) {
    delete s.incidents[call.incidentId]
    run.emit({ type: 'incident.resolved', incidentId: call.incidentId, serviceCallId: call.id })
  }
  call.status = 'pending'
  call.incidentId = null
  call.attempt += 1
  call.requestedAt = cmd.now
  run.emit({
    type: 'service.requested',
    serviceCallId: call.id,
    nodeId: call.nodeId,
    service: call.service,
    resultVariable: call.resultVariable,
    attempt: call.attempt,
  })
  return run.drain()
}

/**
 * Cancels a running instance (withdrawn by the applicant, closed by an administrator): every open task,
 * timer, service call and incident is closed, status becomes `cancelled`.
 * @throws EngineError `INSTANCE_NOT_RUNNING`, `INVALID_COMMAND` (empty reason).
 */
export function cancel(def: ProcessDefinition, state: InstanceState, cmd: CancelCommand): Step {
  const run = begin(def, state, cmd)
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '')
    fail('INVALID_COMMAND', 'a cancellation needs a reason')
  const s = run.state
  run.clearAll('instance.cancelled')
  s.status = 'cancelled'
  s.result = { status: 'cancelled', endEventId: null, reason: cmd.reason, at: cmd.now }
  s.endedAt = cmd.now
  run.emit({ type: 'instance.cancelled', reason: cmd.reason, at: cmd.now })
  return { state: s, effects: run.effects }
}
