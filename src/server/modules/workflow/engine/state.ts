/**
 * Instance state and effects: the data the interpreter reads and writes. All plain, JSON-serialisable
 * (no Dates, no Maps, no undefined in required fields), so the workflow service stores a state as one JSON
 * column (or spreads it over instance/task/timer rows) and reloads it without loss.
 *
 * Persistence contract:
 * - A command returns `{ state, effects }`. Store the new state and apply the effects (task rows, timer rows,
 *   ledger events) in ONE transaction, guarded by `revision` (optimistic concurrency: update where the stored
 *   revision is `state.revision - 1`). If the transaction fails, nothing happened: the old state is still valid.
 * - Only open work is kept in the state (open tasks, pending timers, pending or failed service calls, open
 *   incidents); history lives in the effects the wrapper records.
 * - The engine is deterministic: the same definition, state, command, `now` and ids give the same result,
 *   so an instance can be replayed from its recorded commands (audit).
 * @module
 */
import type { Assignment, DefinitionRef, Outcome, ProcessDefinition } from './definition.js'

/** Version of the JSON shape of {@link InstanceState}. */
export const STATE_SCHEMA = 1

export type InstanceStatus = 'running' | 'completed' | 'rejected' | 'cancelled'

/** What the engine knows about the case: visible to FEEL as `case`. */
export interface CaseInfo {
  matterCode: string
  /** Region of the case (street-level code usually); tasks are assigned to departments above it. */
  regionCode: string
  /** `online` or `window` (a clerk submitted on the citizen's behalf). */
  channel: string
}

/** JSON values, as the form data and service results are. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/**
 * A token waiting in the process: at a user task (`task`, `ref` = task id), at a service task (`service`,
 * `ref` = service call id) or at a parallel join (`join`, arrived by flow `via`). Moving tokens exist only
 * inside a command; between commands every token waits.
 */
export interface Token {
  id: string
  nodeId: string
  wait: 'task' | 'service' | 'join'
  /** The flow the token arrived by (null only for tokens that started at the start event). */
  via: string | null
  /** Outcome of the task that completed last on this token's path, or null: FEEL `outcome`. */
  outcome: Outcome | null
  /** Task id or service call id; null for join tokens. */
  ref: string | null
}

/** An open user task. */
export interface OpenTask {
  id: string
  nodeId: string
  tokenId: string
  name: string | null
  assignment: Assignment
  slaDays: number | null
  createdAt: number
  /** Due time from the calendar (`slaDays` working days after creation), or null without slaDays. */
  dueAt: number | null
  /** Pending timers of this task. */
  timerIds: string[]
  /** How many times this node has been entered in this instance (2 after one supplement round). */
  iteration: number
}

/** A scheduled timer of a boundary event. */
export interface PendingTimer {
  id: string
  boundaryId: string
  taskId: string
  nodeId: string
  dueAt: number
  interrupting: boolean
  sla: 'warn' | 'breach' | null
  escalate: 'supervisor' | null
}

/** A data-platform lookup the instance waits for. */
export interface ServiceCall {
  id: string
  nodeId: string
  tokenId: string
  service: string
  resultVariable: string | null
  requestedAt: number
  /** `failed`: the lookup failed; an incident is open until it is retried or resolved. */
  status: 'pending' | 'failed'
  /** 1 for the first request, +1 per retry. */
  attempt: number
  incidentId: string | null
}

/** Something that needs a person: a failed service call. */
export interface Incident {
  id: string
  kind: 'service_failed'
  nodeId: string
  serviceCallId: string
  message: string
  raisedAt: number
}

/** How an instance ended. */
export interface InstanceResult {
  status: 'completed' | 'rejected' | 'cancelled'
  /** The end event reached (null when cancelled). */
  endEventId: string | null
  /** Cancellation reason (null otherwise). */
  reason: string | null
  at: number
}

/** The whole state of one process instance. */
export interface InstanceState {
  schema: typeof STATE_SCHEMA
  id: string
  /** The definition this instance runs on, for good: later versions never touch it. */
  definition: DefinitionRef
  status: InstanceStatus
  result: InstanceResult | null
  /** +1 per applied command (start = 1): the optimistic-concurrency version of the stored row. */
  revision: number
  case: CaseInfo
  data: JsonObject
  /** Result variables of resolved service tasks. */
  variables: JsonObject
  /** User-task id → its last outcome. */
  outcomes: Record<string, Outcome>
  /** Node id → times entered (user and service tasks). */
  visits: Record<string, number>
  tokens: Token[]
  tasks: Record<string, OpenTask>
  timers: Record<string, PendingTimer>
  serviceCalls: Record<string, ServiceCall>
  incidents: Record<string, Incident>
  startedAt: number
  updatedAt: number
  /** Due time of the whole matter (its xzt:slaDays from the start), fixed when the instance starts. */
  dueAt: number
  endedAt: number | null
}

/** Why a task was cancelled. */
export type TaskCancelReason = 'boundary' | 'terminated' | 'instance.cancelled'
/** Why a timer was cancelled. */
export type TimerCancelReason = 'task.completed' | 'task.cancelled'

/**
 * What a command did, in order. The wrapper turns these into rows (tasks, timers, service requests), ledger
 * events and notifications; the engine itself performs none of them.
 */
export type Effect =
  | { type: 'instance.started'; definition: DefinitionRef; startedAt: number; dueAt: number }
  | {
      type: 'task.created'
      taskId: string
      nodeId: string
      name: string | null
      assignment: Assignment
      slaDays: number | null
      createdAt: number
      dueAt: number | null
      fields: string[]
      outcomes: Outcome[]
      iteration: number
    }
  | {
      type: 'task.completed'
      taskId: string
      nodeId: string
      outcome: Outcome
      completedAt: number
      changedFields: string[]
    }
  | {
      type: 'task.cancelled'
      taskId: string
      nodeId: string
      reason: TaskCancelReason
      boundaryId: string | null
      at: number
    }
  | {
      type: 'timer.scheduled'
      timerId: string
      boundaryId: string
      taskId: string
      nodeId: string
      dueAt: number
      interrupting: boolean
      sla: 'warn' | 'breach' | null
      escalate: 'supervisor' | null
    }
  | {
      type: 'timer.fired'
      timerId: string
      boundaryId: string
      taskId: string
      nodeId: string
      dueAt: number
      firedAt: number
    }
  | {
      type: 'timer.cancelled'
      timerId: string
      boundaryId: string
      taskId: string
      reason: TimerCancelReason
    }
  | {
      type: 'service.requested'
      serviceCallId: string
      nodeId: string
      service: string
      resultVariable: string | null
      attempt: number
    }
  | {
      type: 'service.resolved'
      serviceCallId: string
      nodeId: string
      service: string
      resultVariable: string | null
    }
  | {
      type: 'service.failed'
      serviceCallId: string
      nodeId: string
      service: string
      error: string
      incidentId: string
    }
  | { type: 'service.cancelled'; serviceCallId: string; nodeId: string; service: string }
  | {
      type: 'incident.raised'
      incidentId: string
      kind: Incident['kind']
      nodeId: string
      serviceCallId: string
      message: string
    }
  | { type: 'incident.resolved'; incidentId: string; serviceCallId: string }
  | {
      type: 'sla.warned'
      taskId: string
      nodeId: string
      timerId: string
      boundaryId: string
      taskDueAt: number | null
      at: number
    }
  | {
      type: 'sla.breached'
      taskId: string
      nodeId: string
      timerId: string
      boundaryId: string
      taskDueAt: number | null
      at: number
    }
  | {
      type: 'escalated'
      taskId: string
      nodeId: string
      timerId: string
      boundaryId: string
      to: 'supervisor'
      /** The assignment of the task: the supervisor is the one of that department. */
      assignment: Assignment
      /** True when the task stays open (non-interrupting boundary); false when it was cancelled. */
      taskOpen: boolean
      at: number
    }
  | {
      type: 'gateway.taken'
      nodeId: string
      kind: 'exclusive' | 'parallel'
      /** Flows taken (one for exclusive, all outgoing for parallel). */
      flowIds: string[]
      /** `condition`: the first true condition; `default`: none was true; `split`/`join`: parallel gateway. */
      reason: 'condition' | 'default' | 'split' | 'join'
      /** Exclusive: every condition evaluated, in order, with its value. */
      evaluated: { flowId: string; condition: string; value: boolean | null }[]
    }
  | { type: 'instance.completed'; endEventId: string; at: number }
  | { type: 'instance.rejected'; endEventId: string; at: number }
  | { type: 'instance.cancelled'; reason: string; at: number }

export type EffectType = Effect['type']

/** The result of every command. */
export interface Step {
  state: InstanceState
  effects: Effect[]
}

/**
 * Checks the structural invariants of a state against its definition; returns the violations (empty when
 * sound). The engine keeps them after every command; the audit can use this on stored states.
 * - running: at least one token; every open task has exactly one `task` token and vice versa, at a user task
 *   of the definition; every pending timer belongs to an open task of its boundary's task; every service call
 *   has its `service` token; join tokens wait at parallel gateways by one of their incoming flows; every
 *   incident belongs to a failed service call.
 * - ended: no tokens, tasks, timers, service calls or incidents; a result matching the status.
 */
export function checkInvariants(def: ProcessDefinition, state: InstanceState): string[] {
  const v: string[] = []
  if (state.schema !== STATE_SCHEMA) v.push(`schema ${String(state.schema)} is not ${String(STATE_SCHEMA)}`)
  if (state.definition.key !== def.key) v.push(`state runs ${state.definition.key}, not ${def.key}`)
  const tokenIds = new Set<string>()
  for (const t of state.tokens) {
    if (tokenIds.has(t.id)) v.push(`token id ${t.id} is used twice`)
    tokenIds.add(t.id)
    const node = def.nodes[t.nodeId]
    if (!node) {
      v.push(`token ${t.id} is at unknown node ${t.nodeId}`)
      continue
    }
    if (t.wait === 'task') {
      const task = t.ref === null ? undefined : state.tasks[t.ref]
      if (node.type !== 'userTask') v.push(`task token ${t.id} is at ${node.type} ${node.id}`)
      if (!task || task.tokenId !== t.id || task.nodeId !== t.nodeId)
        v.push(`task token ${t.id} has no matching open task`)
    } else if (t.wait === 'service') {
      const call = t.ref === null ? undefined : state.serviceCalls[t.ref]
      if (node.type !== 'serviceTask') v.push(`service token ${t.id} is at ${node.type} ${node.id}`)
      if (!call || call.tokenId !== t.id || call.nodeId !== t.nodeId)
        v.push(`service token ${t.id} has no matching service call`)
    } else {
      if (node.type !== 'parallelGateway' || node.incoming.length < 2)
        v.push(`join token ${t.id} is not at a parallel join`)
      else if (t.via === null || !node.incoming.includes(t.via))
        v.push(`join token ${t.id} arrived by ${String(t.via)}, not an incoming flow`)
    }
  }
  for (const task of Object.values(state.tasks)) {
    const tokens = state.tokens.filter((t) => t.wait === 'task' && t.ref === task.id)
    if (tokens.length !== 1) v.push(`open task ${task.id} has ${tokens.length} tokens`)
    if (def.nodes[task.nodeId]?.type !== 'userTask')
      v.push(`open task ${task.id} is at ${task.nodeId}, not a user task`)
    for (const timerId of task.timerIds)
      if (state.timers[timerId]?.taskId !== task.id)
        v.push(`task ${task.id} lists timer ${timerId} that is not pending for it`)
  }
  for (const timer of Object.values(state.timers)) {
    const task = state.tasks[timer.taskId]
    if (!task) v.push(`timer ${timer.id} belongs to task ${timer.taskId}, which is not open`)
    else if (!task.timerIds.includes(timer.id)) v.push(`timer ${timer.id} is not listed on task ${task.id}`)
    if (def.boundaries[timer.boundaryId]?.attachedTo !== timer.nodeId || task?.nodeId !== timer.nodeId)
      v.push(`timer ${timer.id} does not match its boundary`)
  }
  for (const call of Object.values(state.serviceCalls)) {
    if (state.tokens.filter((t) => t.wait === 'service' && t.ref === call.id).length !== 1)
      v.push(`service call ${call.id} has no single token`)
    if ((call.status === 'failed') !== (call.incidentId !== null))
      v.push(`service call ${call.id} is ${call.status} with incident ${String(call.incidentId)}`)
  }
  for (const inc of Object.values(state.incidents)) {
    const call = state.serviceCalls[inc.serviceCallId]
    if (!call || call.incidentId !== inc.id) v.push(`incident ${inc.id} has no failed service call`)
  }
  if (state.status === 'running') {
    if (state.result !== null) v.push('running instance has a result')
    if (state.endedAt !== null) v.push('running instance has endedAt')
    if (state.tokens.length === 0) v.push('running instance has no tokens')
    if (state.tokens.length > 0 && state.tokens.every((t) => t.wait === 'join'))
      v.push('every token waits at a join (deadlock)')
  } else {
    const open = state.tokens.length + Object.keys(state.tasks).length + Object.keys(state.timers).length
    if (open + Object.keys(state.serviceCalls).length + Object.keys(state.incidents).length > 0)
      v.push(`${state.status} instance still has open work`)
    if (state.result?.status !== state.status)
      v.push(`${state.status} instance has result ${String(state.result?.status)}`)
    if (state.endedAt === null) v.push(`${state.status} instance has no endedAt`)
  }
  return v
}
