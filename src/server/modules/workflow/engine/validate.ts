/**
 * Deploy-time checks on the definition model, shared by {@link parseProcess} (after reading the XML) and
 * {@link definitionFromJSON} (a stored definition is re-checked before use). Every problem is reported, each
 * naming its element. Pure.
 *
 * What is checked:
 * - process: `xzt:matter` code, `xzt:version` integer ≥ 1, `xzt:slaDays` ≥ 0;
 * - exactly one start event, with no incoming and exactly one outgoing flow;
 * - tasks: exactly one outgoing flow (branch with gateways), known department kind and level, role,
 *   outcomes, field paths, slaDays ≥ 0; service name and result variable;
 * - gateways: at least one outgoing flow; exclusive gateways: conditions or a default on every branch, the
 *   default flow is one of theirs and has no condition; parallel gateways: no conditions;
 * - flows: both ends exist, conditions only after exclusive gateways, valid FEEL without unknown variables;
 * - timer boundaries: on a user task, a valid duration or `xzt:atSla` (> 0, the task has slaDays), an
 *   interrupting one has exactly one outgoing flow, a non-interrupting one none;
 * - graph: every element reachable from the start, an end event reachable from every element, no loop made of
 *   gateways only (it would spin without ever waiting), and a task that can be rejected or sent back for
 *   supplement is followed by an exclusive gateway that looks at `outcome`/`outcomes` (else the outcome
 *   would be silently ignored).
 * @module
 */
import { DEPARTMENT_KINDS, REGION_LEVELS } from '../../../../shared/domain.js'
import { isValidDuration } from '../calendar/duration.js'
import {
  APPLICANT_OUTCOMES,
  DEFINITION_SCHEMA,
  DEPARTMENT_OUTCOMES,
  TASK_ROLES,
  definitionKey,
  type FlowNode,
  type ProcessDefinition,
  type UserTaskNode,
} from './definition.js'
import type { DeployProblem } from './errors.js'
import { RESERVED_VARIABLES, checkCondition, isFeelName } from './feel.js'

/** Matter codes: letters, digits, `_`, `-`, `.`; starting with a letter or digit. */
export const MATTER_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
/** Service names: dotted lower-case words, e.g. `household.lookup`. */
export const SERVICE_NAME_RE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/
/** Field paths: dotted identifiers, e.g. `applicant.idNumber`; or `*`. */
export const FIELD_PATH_RE =
  /^(?!.*(?:^|\.)(?:__proto__|constructor|prototype)(?:\.|$))[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/

const list = (values: readonly string[]): string => values.join(', ')

/** All problems of a definition model; empty when it can be deployed. */
export function validateDefinition(def: ProcessDefinition): DeployProblem[] {
  const problems: DeployProblem[] = []
  const add = (elementId: string, message: string): void => {
    problems.push({ elementId, message })
  }
  const pid = def.processId

  if (def.schema !== DEFINITION_SCHEMA)
    add(
      pid,
      `definition schema ${String(def.schema)} is not supported (expected ${String(DEFINITION_SCHEMA)})`,
    )
  if (typeof def.matter !== 'string' || !MATTER_CODE_RE.test(def.matter)) {
    add(
      pid,
      `process: xzt:matter is required: a matter code of letters, digits, "_", "-" or "." (got ${JSON.stringify(def.matter ?? null)})`,
    )
  }
  if (!Number.isInteger(def.version) || def.version < 1)
    add(pid, `process: xzt:version is required: an integer ≥ 1 (got ${JSON.stringify(def.version ?? null)})`)
  if (typeof def.slaDays !== 'number' || !Number.isFinite(def.slaDays) || def.slaDays < 0) {
    add(
      pid,
      `process: xzt:slaDays is required: the committed working days of the matter, a number ≥ 0 (got ${JSON.stringify(def.slaDays ?? null)})`,
    )
  }
  if (def.key !== definitionKey(def.matter, def.version))
    add(pid, `definition key "${def.key}" does not match matter and version`)

  const nodes = Object.values(def.nodes)
  const flows = Object.values(def.flows)
  const boundaries = Object.values(def.boundaries)

  for (const id of [...Object.keys(def.nodes), ...Object.keys(def.flows), ...Object.keys(def.boundaries)]) {
    if (Object.getOwnPropertyNames(Object.prototype).includes(id))
      add(id, `the id "${id}" is reserved; choose another id`)
  }

  // ── key/id consistency and flow ends (matters for stored JSON; the parser builds them consistently) ──
  for (const [id, n] of Object.entries(def.nodes))
    if (n.id !== id) add(id, `node stored under id "${id}" has id "${n.id}"`)
  for (const [id, b] of Object.entries(def.boundaries))
    if (b.id !== id) add(id, `boundary event stored under id "${id}" has id "${b.id}"`)
  for (const [id, f] of Object.entries(def.flows)) {
    if (f.id !== id) add(id, `flow stored under id "${id}" has id "${f.id}"`)
    const source = def.nodes[f.source] ?? def.boundaries[f.source]
    if (!source) add(id, `sequenceFlow: source "${f.source}" does not exist`)
    if (!def.nodes[f.target]) {
      add(
        id,
        def.boundaries[f.target]
          ? `sequenceFlow: targets boundary event "${f.target}"; boundary events cannot have incoming flows`
          : `sequenceFlow: target "${f.target}" does not exist`,
      )
    }
    const src = def.nodes[f.source]
    if (src && !src.outgoing.includes(id)) add(id, `sequenceFlow: not listed as outgoing of "${f.source}"`)
    if (def.nodes[f.target] && !def.nodes[f.target]?.incoming.includes(id))
      add(id, `sequenceFlow: not listed as incoming of "${f.target}"`)
  }
  for (const n of nodes) {
    for (const f of n.outgoing)
      if (def.flows[f]?.source !== n.id) add(n.id, `${n.type}: outgoing flow "${f}" does not start here`)
    for (const f of n.incoming)
      if (def.flows[f]?.target !== n.id) add(n.id, `${n.type}: incoming flow "${f}" does not end here`)
  }

  // ── start events ──
  const starts = nodes.filter((n) => n.type === 'startEvent')
  if (starts.length === 0) add(pid, 'process: has no start event; exactly one none start event is required')
  if (starts.length > 1)
    for (const s of starts)
      add(
        s.id,
        `startEvent: the process has ${starts.length} start events (${list(starts.map((x) => x.id))}); exactly one is supported`,
      )
  if (starts.length === 1 && def.startNodeId !== starts[0]?.id)
    add(pid, `startNodeId "${def.startNodeId}" is not the start event`)

  const resultVariables = nodes.flatMap((n) =>
    n.type === 'serviceTask' && n.resultVariable ? [n.resultVariable] : [],
  )
  const knownVariables = [...RESERVED_VARIABLES, ...new Set(resultVariables)]

  // ── nodes ──
  for (const n of nodes) {
    const kind = n.type
    switch (n.type) {
      case 'startEvent':
        if (n.incoming.length > 0)
          add(n.id, `startEvent: has incoming flows (${list(n.incoming)}); a start event cannot be entered`)
        if (n.outgoing.length !== 1)
          add(n.id, `startEvent: needs exactly one outgoing flow (has ${n.outgoing.length})`)
        break
      case 'endEvent':
        if (n.outgoing.length > 0) add(n.id, `endEvent: has outgoing flows (${list(n.outgoing)})`)
        if (n.result !== 'completed' && n.result !== 'rejected')
          add(
            n.id,
            `endEvent: xzt:result must be "completed" or "rejected" (got ${JSON.stringify(n.result)})`,
          )
        break
      case 'userTask':
        checkUserTask(n, add)
        checkSingleOutgoing(n, add)
        break
      case 'serviceTask':
        if (typeof n.service !== 'string' || !SERVICE_NAME_RE.test(n.service)) {
          add(
            n.id,
            `serviceTask: xzt:service is required: the name of a registered data-platform lookup such as "household.lookup" (got ${JSON.stringify(n.service ?? null)})`,
          )
        }
        if (n.resultVariable !== null) {
          if (!isFeelName(n.resultVariable))
            add(
              n.id,
              `serviceTask: xzt:resultVariable "${n.resultVariable}" is not a simple FEEL name (letters, digits, "_")`,
            )
          else if ((RESERVED_VARIABLES as readonly string[]).includes(n.resultVariable)) {
            add(
              n.id,
              `serviceTask: xzt:resultVariable "${n.resultVariable}" is reserved (${list(RESERVED_VARIABLES)})`,
            )
          }
        }
        checkSingleOutgoing(n, add)
        break
      case 'exclusiveGateway': {
        if (n.outgoing.length === 0) {
          add(n.id, 'exclusiveGateway: has no outgoing flows')
          break
        }
        if (n.defaultFlow !== null) {
          if (!n.outgoing.includes(n.defaultFlow))
            add(n.id, `exclusiveGateway: default flow "${n.defaultFlow}" is not one of its outgoing flows`)
          else if (def.flows[n.defaultFlow]?.condition)
            add(n.defaultFlow, `sequenceFlow: is the default flow of "${n.id}" and must not have a condition`)
        }
        if (n.outgoing.length > 1) {
          const out = n.outgoing.map((f) => def.flows[f]).filter((f) => f !== undefined)
          const conditional = out.filter((f) => f.condition !== null)
          if (conditional.length === 0 && n.defaultFlow === null) {
            add(
              n.id,
              `exclusiveGateway: has ${n.outgoing.length} outgoing flows but neither conditions nor a default flow, so no branch can be chosen`,
            )
          } else {
            for (const f of out) {
              if (f.condition === null && f.id !== n.defaultFlow)
                add(
                  f.id,
                  `sequenceFlow: leaves exclusive gateway "${n.id}" without a condition and is not its default flow`,
                )
            }
          }
        }
        break
      }
      case 'parallelGateway':
        if (n.outgoing.length === 0) add(n.id, 'parallelGateway: has no outgoing flows')
        break
      default: {
        const never: never = n
        add((never as FlowNode).id, `unknown node type ${JSON.stringify((never as { type: unknown }).type)}`)
      }
    }
    if (kind !== 'startEvent' && n.incoming.length === 0) add(n.id, `${kind}: has no incoming flow`)
  }

  // ── flows ──
  for (const f of flows) {
    const src = def.nodes[f.source]
    if (f.condition === null) continue
    if (src?.type !== 'exclusiveGateway') {
      add(
        f.id,
        `sequenceFlow: has a condition but leaves ${src ? `a ${src.type}` : 'a boundary event'}; conditions are only evaluated on flows leaving an exclusive gateway`,
      )
      continue
    }
    for (const m of checkCondition(f.condition, knownVariables)) add(f.id, `sequenceFlow: ${m}`)
  }

  // ── boundary timers ──
  for (const b of boundaries) {
    const task = def.nodes[b.attachedTo]
    if (!task) add(b.id, `boundaryEvent: attached to "${b.attachedTo}", which does not exist`)
    else if (task.type !== 'userTask')
      add(
        b.id,
        `boundaryEvent: timers are only supported on user tasks, but this one is attached to ${task.type} "${task.id}"`,
      )
    else if (!task.boundaryIds.includes(b.id)) add(b.id, `boundaryEvent: not listed on task "${task.id}"`)
    if (b.timer.kind === 'duration') {
      if (!isValidDuration(b.timer.duration))
        add(
          b.id,
          `boundaryEvent: timeDuration "${b.timer.duration}" is not a duration like P3D (working days) or PT4H (clock time)`,
        )
    } else {
      if (!Number.isFinite(b.timer.fraction) || b.timer.fraction <= 0)
        add(
          b.id,
          `boundaryEvent: xzt:atSla must be a number > 0 (a fraction of the task's slaDays, e.g. 0.8)`,
        )
      if (task?.type === 'userTask' && task.slaDays === null)
        add(b.id, `boundaryEvent: uses xzt:atSla but task "${task.id}" has no xzt:slaDays`)
    }
    if (b.sla !== null && b.sla !== 'warn' && b.sla !== 'breach')
      add(b.id, `boundaryEvent: xzt:sla must be "warn" or "breach" (got ${JSON.stringify(b.sla)})`)
    if (b.escalate !== null && b.escalate !== 'supervisor')
      add(b.id, `boundaryEvent: xzt:escalate must be "supervisor" (got ${JSON.stringify(b.escalate)})`)
    const out = flows.filter((f) => f.source === b.id)
    if (b.interrupting) {
      if (out.length !== 1)
        add(
          b.id,
          `boundaryEvent: an interrupting timer (cancelActivity="true") needs exactly one outgoing flow (has ${out.length})`,
        )
      else if (b.outgoing !== out[0]?.id) add(b.id, `boundaryEvent: outgoing flow does not match`)
    } else if (out.length > 0) {
      add(
        b.id,
        `boundaryEvent: a non-interrupting timer (cancelActivity="false") only raises effects and may not have outgoing flows (has ${list(out.map((f) => f.id))})`,
      )
    }
  }
  for (const n of nodes) {
    if (n.type === 'userTask')
      for (const id of n.boundaryIds)
        if (def.boundaries[id]?.attachedTo !== n.id)
          add(n.id, `userTask: boundary "${id}" is not attached here`)
  }

  // Graph problems of elements that already have a problem are mostly consequences of it: left out.
  if (def.nodes[def.startNodeId]) {
    const flagged = new Set(problems.map((p) => p.elementId))
    checkGraph(def, (elementId, message) => {
      if (!flagged.has(elementId)) add(elementId, message)
    })
  }
  return problems
}

function checkSingleOutgoing(n: FlowNode, add: (id: string, m: string) => void): void {
  if (n.outgoing.length === 0) add(n.id, `${n.type}: has no outgoing flow`)
  else if (n.outgoing.length > 1) {
    add(
      n.id,
      `${n.type}: has ${n.outgoing.length} outgoing flows (${list(n.outgoing)}); branch with an exclusive or parallel gateway instead`,
    )
  }
}

function checkUserTask(n: UserTaskNode, add: (id: string, m: string) => void): void {
  const a = n.assignment
  if (a.kind === 'department') {
    if (a.departmentKind === undefined || (a.departmentKind as string) === '') {
      add(
        n.id,
        'userTask: has no assignee: needs xzt:department (with xzt:level) for officials, or xzt:assignee="applicant" for the citizen',
      )
    } else if (!Object.hasOwn(DEPARTMENT_KINDS, a.departmentKind)) {
      add(
        n.id,
        `userTask: unknown department kind ${JSON.stringify(a.departmentKind)} in xzt:department (known: ${list(Object.keys(DEPARTMENT_KINDS))})`,
      )
    }
    if (a.level === undefined) {
      if (a.departmentKind !== undefined)
        add(n.id, `userTask: xzt:level is required for a department task: one of ${list(REGION_LEVELS)}`)
    } else if (!(REGION_LEVELS as readonly string[]).includes(a.level))
      add(n.id, `userTask: xzt:level must be one of ${list(REGION_LEVELS)} (got ${JSON.stringify(a.level)})`)
    if (!(TASK_ROLES as readonly string[]).includes(a.role))
      add(n.id, `userTask: xzt:role must be one of ${list(TASK_ROLES)} (got ${JSON.stringify(a.role)})`)
    if (
      a.regionFrom !== undefined &&
      !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(a.regionFrom)
    )
      add(
        n.id,
        `userTask: xzt:regionFrom must be the dotted path of a form field, like transfer.toCity (got ${JSON.stringify(a.regionFrom)})`,
      )
  } else if (a.kind !== 'applicant') {
    add(n.id, 'userTask: needs xzt:department (with xzt:level) or xzt:assignee="applicant"')
  }
  if (n.slaDays !== null && (typeof n.slaDays !== 'number' || !Number.isFinite(n.slaDays) || n.slaDays < 0)) {
    add(n.id, `userTask: xzt:slaDays must be a number of working days ≥ 0 (got ${JSON.stringify(n.slaDays)})`)
  }
  const allowed: readonly string[] = a.kind === 'applicant' ? APPLICANT_OUTCOMES : DEPARTMENT_OUTCOMES
  if (n.outcomes.length === 0) add(n.id, 'userTask: xzt:outcomes is empty')
  for (const o of n.outcomes) {
    if (!allowed.includes(o))
      add(
        n.id,
        `userTask: outcome ${JSON.stringify(o)} is not allowed for ${a.kind === 'applicant' ? 'an applicant' : 'a department'} task (allowed: ${list(allowed)})`,
      )
  }
  if (new Set(n.outcomes).size !== n.outcomes.length)
    add(n.id, 'userTask: xzt:outcomes lists an outcome twice')
  if (n.fields.length === 0) add(n.id, 'userTask: xzt:fields is empty (use "*" for all fields)')
  for (const f of n.fields) {
    if (f !== '*' && !FIELD_PATH_RE.test(f))
      add(
        n.id,
        `userTask: field path ${JSON.stringify(f)} in xzt:fields is not a dotted path like applicant.name`,
      )
  }
  if (n.fields.includes('*') && n.fields.length > 1)
    add(n.id, 'userTask: xzt:fields combines "*" with other paths')
}

/** Graph checks: reachability both ways, gateway-only loops, outcomes that nothing looks at. */
function checkGraph(def: ProcessDefinition, add: (id: string, m: string) => void): void {
  const successors = (id: string): string[] => {
    const n = def.nodes[id]
    if (!n) return []
    const out = n.outgoing.map((f) => def.flows[f]?.target).filter((t): t is string => t !== undefined)
    if (n.type === 'userTask') {
      for (const b of n.boundaryIds) {
        const o = def.boundaries[b]?.outgoing
        const t = o ? def.flows[o]?.target : undefined
        if (t !== undefined) out.push(t)
      }
    }
    return out
  }
  const ids = Object.keys(def.nodes)
  const forward = closure([def.startNodeId], successors)
  for (const id of ids)
    if (!forward.has(id)) add(id, `${def.nodes[id]?.type}: cannot be reached from the start event`)
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const id of ids) for (const s of successors(id)) preds.get(s)?.push(id)
  const ends = ids.filter((id) => def.nodes[id]?.type === 'endEvent')
  const backward = closure(ends, (id) => preds.get(id) ?? [])
  for (const id of ids)
    if (forward.has(id) && !backward.has(id))
      add(id, `${def.nodes[id]?.type}: no end event can be reached from here`)

  // Loops through gateways only: strongly connected components of the gateway-to-gateway graph.
  const isGateway = (id: string): boolean =>
    def.nodes[id]?.type === 'exclusiveGateway' || def.nodes[id]?.type === 'parallelGateway'
  const gateways = ids.filter(isGateway)
  for (const scc of stronglyConnected(gateways, (id) => successors(id).filter(isGateway))) {
    const first = scc[0] as string
    const selfLoop = scc.length === 1 && successors(first).includes(first)
    if (scc.length > 1 || selfLoop) {
      add(
        first,
        `${def.nodes[first]?.type}: gateways ${list(scc)} form a loop without any user or service task; an instance entering it would loop forever`,
      )
    }
  }

  // An outcome that changes the path (reject, supplement) must be looked at by an exclusive gateway.
  for (const n of Object.values(def.nodes)) {
    if (n.type !== 'userTask' || n.assignment.kind !== 'department') continue
    if (!n.outcomes.some((o) => o === 'reject' || o === 'supplement')) continue
    const decided = [...closure(successors(n.id), (id) => (isGateway(id) ? successors(id) : []))].some(
      (id) => {
        const g = def.nodes[id]
        return (
          g?.type === 'exclusiveGateway' &&
          g.outgoing.some((f) => /\boutcomes?\b/.test(def.flows[f]?.condition ?? ''))
        )
      },
    )
    if (!decided) {
      add(
        n.id,
        `userTask: allows outcomes ${list(n.outcomes)} but no exclusive gateway after it looks at "outcome" or "outcomes", so a rejection or supplement request would be ignored; route it through such a gateway or restrict xzt:outcomes`,
      )
    }
  }
}

function closure(start: readonly string[], next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>()
  const stack = [...start]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (seen.has(id)) continue
    seen.add(id)
    for (const s of next(id)) if (!seen.has(s)) stack.push(s)
  }
  return seen
}

/** Tarjan's strongly connected components (iterative), components in discovery order. */
function stronglyConnected(vertices: readonly string[], next: (id: string) => readonly string[]): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const out: string[][] = []
  for (const root of vertices) {
    if (index.has(root)) continue
    const work: { v: string; succ: readonly string[]; i: number }[] = [{ v: root, succ: next(root), i: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: string; succ: readonly string[]; i: number }
      if (frame.i < frame.succ.length) {
        const w = frame.succ[frame.i++] as string
        if (!index.has(w)) {
          index.set(w, counter)
          low.set(w, counter++)
          stack.push(w)
          onStack.add(w)
          work.push({ v: w, succ: next(w), i: 0 })
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v) as number, index.get(w) as number))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) as number, low.get(frame.v) as number))
      if (low.get(frame.v) === index.get(frame.v)) {
        const scc: string[] = []
        for (;;) {
          const w = stack.pop() as string
          onStack.delete(w)
          scc.push(w)
          if (w === frame.v) break
        }
        out.push(scc.reverse())
      }
    }
  }
  return out
}
