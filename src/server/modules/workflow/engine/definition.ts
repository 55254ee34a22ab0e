/**
 * The deployed form of a process: a plain, JSON-serialisable object built once from BPMN XML by
 * {@link parseProcess} (parse.ts) and stored as JSON next to the XML. The interpreter needs nothing else:
 * a running instance is always driven by exactly the definition it was started with.
 *
 * Shape rules the parser guarantees (and {@link definitionFromJSON} re-checks):
 * - `nodes` holds every flow node by id (start and end events, user and service tasks, gateways);
 *   `boundaries` the timer boundary events; `flows` the sequence flows. Ids are the BPMN element ids.
 * - `node.outgoing` / `node.incoming` list flow ids in document order; exclusive gateways evaluate their
 *   conditions in that order and take the first true one.
 * - Every task and the start event has exactly one outgoing flow; branching is done by gateways only.
 * @module
 */
import type { DepartmentKind, RegionLevel } from '../../../../shared/domain.js'

/** Version of the JSON shape of {@link ProcessDefinition}; bumped on incompatible changes. */
export const DEFINITION_SCHEMA = 1

/** Outcomes an official can give a task (`xzt:outcomes`; default `approve,reject`). */
export const DEPARTMENT_OUTCOMES = ['approve', 'reject', 'supplement'] as const
/** Outcomes the applicant gives the 补正 supplement task. */
export const APPLICANT_OUTCOMES = ['submit', 'approve'] as const
export type Outcome = (typeof DEPARTMENT_OUTCOMES)[number] | (typeof APPLICANT_OUTCOMES)[number]

/** Roles a department task may be assigned to (`xzt:role`; default `official`, `clerk` for window steps). */
export const TASK_ROLES = ['clerk', 'official', 'supervisor', 'leader'] as const
export type TaskRole = (typeof TASK_ROLES)[number]

/**
 * Who works a user task. A department task goes to the department of `departmentKind` at `level` in the
 * case's region (the county market-regulation bureau of the case's county, …), or in the region named by
 * the form field at `regionFrom` (a social-security transfer's destination city), to staff with `role`;
 * resolving that to a department row is the wrapper's job. An applicant task goes to the citizen.
 */
export type Assignment =
  | {
      kind: 'department'
      departmentKind: DepartmentKind
      level: RegionLevel
      role: TaskRole
      regionFrom?: string
    }
  | { kind: 'applicant' }

interface NodeBase {
  id: string
  /** The BPMN `name` (shown in the timeline), or null. */
  name: string | null
  /** Incoming sequence flow ids, document order. */
  incoming: string[]
  /** Outgoing sequence flow ids, document order. */
  outgoing: string[]
}

export interface StartEventNode extends NodeBase {
  type: 'startEvent'
}

export interface EndEventNode extends NodeBase {
  type: 'endEvent'
  /** `rejected` terminates the whole instance (other branches are cancelled); `completed` ends one path. */
  result: 'completed' | 'rejected'
}

export interface UserTaskNode extends NodeBase {
  type: 'userTask'
  assignment: Assignment
  /** Committed working days of this step (decimals allowed), or null for no time limit. */
  slaDays: number | null
  /** Dotted form-field paths this node may see and change; `['*']` = all (the default). */
  fields: string[]
  /** Outcomes the task may be completed with. */
  outcomes: Outcome[]
  /** Timer boundary events attached to this task. */
  boundaryIds: string[]
}

export interface ServiceTaskNode extends NodeBase {
  type: 'serviceTask'
  /** Name of the registered data-platform lookup, e.g. `household.lookup`. */
  service: string
  /** FEEL variable the lookup result is stored in, or null (result discarded). */
  resultVariable: string | null
}

export interface ExclusiveGatewayNode extends NodeBase {
  type: 'exclusiveGateway'
  /** Flow taken when no condition is true, or null. */
  defaultFlow: string | null
}

export interface ParallelGatewayNode extends NodeBase {
  type: 'parallelGateway'
}

export type FlowNode =
  StartEventNode | EndEventNode | UserTaskNode | ServiceTaskNode | ExclusiveGatewayNode | ParallelGatewayNode
export type FlowNodeType = FlowNode['type']

/** When a boundary timer fires: an ISO 8601 duration after the task was created, or a fraction of its slaDays. */
export type TimerSpec = { kind: 'duration'; duration: string } | { kind: 'atSla'; fraction: number }

/** A timer boundary event on a user task (SLA warning, breach, escalation). */
export interface BoundaryTimer {
  id: string
  name: string | null
  /** The user task it is attached to. */
  attachedTo: string
  /** `cancelActivity`: true cancels the task and follows `outgoing`; false only emits effects. */
  interrupting: boolean
  timer: TimerSpec
  sla: 'warn' | 'breach' | null
  escalate: 'supervisor' | null
  /** The one outgoing flow of an interrupting boundary; null for a non-interrupting one. */
  outgoing: string | null
}

export interface SequenceFlow {
  id: string
  name: string | null
  /** A node id, or a boundary event id. */
  source: string
  /** A node id. */
  target: string
  /** FEEL expression (leading `=` stripped), only on flows leaving an exclusive gateway; null otherwise. */
  condition: string | null
}

/** The identity of a definition that running instances carry. */
export interface DefinitionRef {
  /** `<matter>@<version>`: unique per deployed version. */
  key: string
  processId: string
  matter: string
  version: number
}

/** A deployed process: plain data, JSON round-trippable. */
export interface ProcessDefinition extends DefinitionRef {
  schema: typeof DEFINITION_SCHEMA
  name: string | null
  /** Committed working days of the whole matter (承诺时限). */
  slaDays: number
  startNodeId: string
  nodes: Record<string, FlowNode>
  flows: Record<string, SequenceFlow>
  boundaries: Record<string, BoundaryTimer>
}

/** The key of a matter version. */
export function definitionKey(matter: string, version: number): string {
  return `${matter}@${version}`
}

/** The identity of a definition, as instances store it. */
export function definitionRef(def: ProcessDefinition): DefinitionRef {
  return { key: def.key, processId: def.processId, matter: def.matter, version: def.version }
}

// ── summary ─────────────────────────────────────────────────────────────────

/** One user task as the catalogue and the designer show it. */
export interface TaskSummary {
  id: string
  name: string | null
  assignment: Assignment
  slaDays: number | null
  outcomes: Outcome[]
  fields: string[]
  /** Timer boundary events: `warn`/`breach`, interrupting or not. */
  timers: {
    id: string
    sla: 'warn' | 'breach' | null
    interrupting: boolean
    escalate: 'supervisor' | null
  }[]
}

/** User tasks that run at the same time after a parallel split, one list per branch. */
export interface ParallelGroup {
  gatewayId: string
  branches: string[][]
}

/** What `GET /api/matters/{code}` shows about a process. */
export interface ProcessSummary {
  key: string
  matter: string
  version: number
  name: string | null
  slaDays: number
  userTasks: TaskSummary[]
  serviceTasks: { id: string; name: string | null; service: string; resultVariable: string | null }[]
  /** Distinct department kinds and levels that act, in document order. */
  departments: { departmentKind: DepartmentKind; level: RegionLevel }[]
  /** Whether departments act in parallel anywhere (structural: two department tasks on different branches of a parallel split). */
  parallel: boolean
  parallelGroups: ParallelGroup[]
  /** Whether the applicant may be asked for a supplement (补正): some task allows `supplement`. */
  supplement: boolean
}

/**
 * Summarises a definition for the catalogue: tasks with their departments, SLA and timers, and whether
 * departments act in parallel. Structural analysis only (no simulation).
 */
export function summarizeProcess(def: ProcessDefinition): ProcessSummary {
  const nodes = Object.values(def.nodes)
  const userTasks = nodes.filter((n): n is UserTaskNode => n.type === 'userTask')
  const departments: ProcessSummary['departments'] = []
  for (const t of userTasks) {
    const a = t.assignment
    if (
      a.kind === 'department' &&
      !departments.some((d) => d.departmentKind === a.departmentKind && d.level === a.level)
    ) {
      departments.push({ departmentKind: a.departmentKind, level: a.level })
    }
  }
  const parallelGroups: ParallelGroup[] = []
  for (const g of nodes) {
    if (g.type !== 'parallelGateway' || g.outgoing.length < 2) continue
    const branches = g.outgoing
      .map((flowId) => tasksOnBranch(def, def.flows[flowId]?.target))
      .filter((ids) => ids.some((id) => (def.nodes[id] as UserTaskNode).assignment.kind === 'department'))
    if (branches.length >= 2) parallelGroups.push({ gatewayId: g.id, branches })
  }
  return {
    key: def.key,
    matter: def.matter,
    version: def.version,
    name: def.name,
    slaDays: def.slaDays,
    userTasks: userTasks.map((t) => ({
      id: t.id,
      name: t.name,
      assignment: t.assignment,
      slaDays: t.slaDays,
      outcomes: t.outcomes,
      fields: t.fields,
      timers: t.boundaryIds.flatMap((id) => {
        const b = def.boundaries[id]
        return b ? [{ id, sla: b.sla, interrupting: b.interrupting, escalate: b.escalate }] : []
      }),
    })),
    serviceTasks: nodes.flatMap((n) =>
      n.type === 'serviceTask'
        ? [{ id: n.id, name: n.name, service: n.service, resultVariable: n.resultVariable }]
        : [],
    ),
    departments,
    parallel: parallelGroups.length > 0,
    parallelGroups,
    supplement: userTasks.some((t) => t.outcomes.includes('supplement')),
  }
}

/** User tasks reachable from `start` without passing a parallel join (a parallel gateway with ≥ 2 incoming flows). */
function tasksOnBranch(def: ProcessDefinition, start: string | undefined): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  const stack = start === undefined ? [] : [start]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (seen.has(id)) continue
    seen.add(id)
    const node = def.nodes[id]
    if (!node || (node.type === 'parallelGateway' && node.incoming.length > 1)) continue
    if (node.type === 'userTask') out.push(id)
    const next = [...node.outgoing]
    if (node.type === 'userTask')
      for (const b of node.boundaryIds) if (def.boundaries[b]?.outgoing) next.push(def.boundaries[b].outgoing)
    for (const f of next.reverse()) {
      const target = def.flows[f]?.target
      if (target !== undefined) stack.push(target)
    }
  }
  return out
}

/** Every user task the definition has, in document order. */
export function userTasksOf(def: ProcessDefinition): UserTaskNode[] {
  return Object.values(def.nodes).filter((n): n is UserTaskNode => n.type === 'userTask')
}
