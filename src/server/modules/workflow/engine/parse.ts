/**
 * Deploying a process: BPMN 2.0 XML with the `xzt:` extension → {@link ProcessDefinition}, or a
 * {@link DeployError} listing every problem with its element id.
 *
 * The engine runs a documented subset of BPMN and refuses everything else, so that what a designer draws
 * is exactly what runs:
 * - supported: one process with `startEvent` (none), `endEvent` (none; `xzt:result`), `userTask`, `serviceTask`,
 *   `exclusiveGateway`, `parallelGateway`, `boundaryEvent` with a `timerEventDefinition` on a user task, and
 *   `sequenceFlow` (conditions in FEEL);
 * - ignored (documentation only): diagram interchange (`bpmndi:*`), lanes, text annotations, associations,
 *   groups and their categories, `documentation`, a collaboration with one participant and no message flows;
 * - refused: every other element (script/send/receive/manual/business-rule tasks, sub-processes, call
 *   activities, inclusive/event-based/complex gateways, intermediate events, message/signal/error/terminate
 *   event definitions, data objects, multi-instance and loop markers), extension elements and attributes of
 *   foreign namespaces (`camunda:`, `zeebe:` … would silently mean nothing here), and unknown `xzt:` attributes.
 * @module
 */
import { BpmnModdle, type ModdleElement, type ModdlePackage, type ParseWarning } from 'bpmn-moddle'
import type { DepartmentKind, RegionLevel } from '../../../../shared/domain.js'
import {
  DEFINITION_SCHEMA,
  definitionKey,
  type Assignment,
  type BoundaryTimer,
  type FlowNode,
  type Outcome,
  type ProcessDefinition,
  type SequenceFlow,
  type TaskRole,
  type TimerSpec,
} from './definition.js'
import { DeployError, type DeployProblem } from './errors.js'
import { normaliseCondition } from './feel.js'
import { validateDefinition } from './validate.js'
import { xztModdleDescriptor } from './xzt.descriptor.js'

/** Element id used for problems of the document as a whole. */
export const DOCUMENT = '(document)'

const moddle = new BpmnModdle({ xzt: xztModdleDescriptor as unknown as ModdlePackage })

/** Why an element type is refused, by BPMN type. */
const REFUSED: Record<string, string> = {
  'bpmn:Task':
    'a plain task has no meaning to the engine; use a userTask (people) or a serviceTask (data-platform lookup)',
  'bpmn:ScriptTask':
    'script tasks are not supported; use a serviceTask calling a registered data-platform lookup',
  'bpmn:BusinessRuleTask':
    'business rule tasks are not supported; put the rule in FEEL conditions on an exclusive gateway',
  'bpmn:SendTask': 'send tasks are not supported',
  'bpmn:ReceiveTask': 'receive tasks are not supported',
  'bpmn:ManualTask': 'manual tasks are not supported; use a userTask',
  'bpmn:SubProcess': 'sub-processes are not supported; model the steps in the main process',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes are not supported',
  'bpmn:Transaction': 'transactions are not supported',
  'bpmn:CallActivity': 'call activities are not supported',
  'bpmn:InclusiveGateway':
    'inclusive gateways are not supported; combine a parallel gateway with exclusive gateways',
  'bpmn:EventBasedGateway': 'event-based gateways are not supported',
  'bpmn:ComplexGateway': 'complex gateways are not supported',
  'bpmn:IntermediateCatchEvent':
    'intermediate events are not supported; use a timer boundary event on a user task for time limits',
  'bpmn:IntermediateThrowEvent': 'intermediate events are not supported',
  'bpmn:DataObject': 'data objects are not supported; the case form data is the only data',
  'bpmn:DataObjectReference': 'data objects are not supported; the case form data is the only data',
  'bpmn:DataStoreReference': 'data stores are not supported; use a serviceTask for data-platform lookups',
  'bpmn:ImplicitThrowEvent': 'implicit throw events are not supported',
}

/** Properties of activities that carry semantics the engine does not implement. */
const REFUSED_ACTIVITY_PROPERTIES: [string, string][] = [
  ['loopCharacteristics', 'multi-instance and loop markers are not supported'],
  ['ioSpecification', 'input/output specifications are not supported'],
  ['dataInputAssociations', 'data associations are not supported'],
  ['dataOutputAssociations', 'data associations are not supported'],
  [
    'resources',
    'BPMN resource assignments are not supported; use xzt:department/xzt:level/xzt:role or xzt:assignee',
  ],
  ['properties', 'BPMN properties are not supported'],
]

/** Ids that would collide with properties every JavaScript object has. */
const RESERVED_IDS = new Set(Object.getOwnPropertyNames(Object.prototype))

const IGNORED_ROOTS = new Set(['bpmn:Category'])
const IGNORED_ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group'])

/** `bpmn:UserTask` → `userTask`. */
function localType(el: { $type: string }): string {
  const name = el.$type.includes(':') ? el.$type.slice(el.$type.indexOf(':') + 1) : el.$type
  return name.charAt(0).toLowerCase() + name.slice(1)
}

const str = (el: ModdleElement, prop: string): string | undefined => {
  const v = el.get(prop)
  return typeof v === 'string' ? v : undefined
}
const num = (el: ModdleElement, prop: string): number | undefined => {
  const v = el.get(prop)
  return typeof v === 'number' ? v : undefined
}
const elements = (v: unknown): ModdleElement[] => (Array.isArray(v) ? (v as ModdleElement[]) : [])
const ref = (v: unknown): ModdleElement | undefined =>
  v && typeof v === 'object' ? (v as ModdleElement) : undefined
const nameOf = (el: ModdleElement): string | null => {
  const n = typeof el.name === 'string' ? el.name.trim() : ''
  return n === '' ? null : n
}
const commaList = (raw: string | undefined): string[] | undefined =>
  raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')

/**
 * Parses and checks a BPMN 2.0 process with the `xzt:` extension.
 * @returns the deployable definition (plain data; store it with {@link definitionToJSON}).
 * @throws DeployError listing every problem (malformed XML, unsupported elements, missing or invalid `xzt:`
 *   attributes, broken references, graph problems), each with the element id.
 */
export async function parseProcess(xml: string): Promise<ProcessDefinition> {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new DeployError([
      { elementId: DOCUMENT, message: 'the process model is empty; expected BPMN 2.0 XML' },
    ])
  }
  let rootElement: ModdleElement
  let warnings: ParseWarning[]
  try {
    ;({ rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions'))
  } catch (err) {
    throw new DeployError([
      { elementId: DOCUMENT, message: `not readable as BPMN 2.0 XML: ${describeXmlError(err)}` },
    ])
  }

  const problems: DeployProblem[] = warnings.map((w) => problemOfWarning(w, xml))
  const add = (elementId: string, message: string): void => {
    problems.push({ elementId, message })
  }

  const roots = elements(rootElement.rootElements)
  const processes = roots.filter((r) => r.$type === 'bpmn:Process')
  for (const r of roots) {
    if (r.$type === 'bpmn:Process' || IGNORED_ROOTS.has(r.$type)) continue
    if (r.$type === 'bpmn:Collaboration') {
      const participants = elements(r.participants)
      if (participants.length > 1)
        add(
          r.id ?? DOCUMENT,
          `collaboration: ${participants.length} participants (pools); only one process per model is supported`,
        )
      if (elements(r.messageFlows).length > 0)
        add(r.id ?? DOCUMENT, 'collaboration: message flows are not supported')
      continue
    }
    add(r.id ?? DOCUMENT, `${localType(r)}: root element of this type is not supported`)
  }
  if (processes.length !== 1) {
    add(
      DOCUMENT,
      processes.length === 0
        ? 'the model contains no bpmn:process'
        : `the model contains ${processes.length} processes (${processes.map((p) => p.id).join(', ')}); exactly one is supported`,
    )
    throw new DeployError(problems)
  }
  const proc = processes[0] as ModdleElement
  const processId = proc.id ?? 'process'
  checkCommon(proc, add)
  for (const prop of ['ioSpecification', 'properties', 'resources', 'correlationSubscriptions']) {
    const v = proc[prop]
    if (v !== undefined && (!Array.isArray(v) || v.length > 0))
      add(processId, `process: ${prop} is not supported`)
  }
  for (const a of elements(proc.artifacts))
    if (!IGNORED_ARTIFACTS.has(a.$type)) add(a.id ?? processId, `${localType(a)}: not supported`)

  const nodes: Record<string, FlowNode> = {}
  const boundaries: Record<string, BoundaryTimer> = {}
  const flowElements: ModdleElement[] = []
  const refused = new Set<string>()

  for (const el of elements(proc.flowElements)) {
    const id = el.id
    if (!id) {
      add(processId, `${localType(el)}: an element without an id`)
      continue
    }
    if (RESERVED_IDS.has(id)) {
      add(id, `${localType(el)}: the id "${id}" is reserved; choose another id`)
      refused.add(id)
      continue
    }
    checkCommon(el, add)
    const base = { id, name: nameOf(el), incoming: [] as string[], outgoing: [] as string[] }
    switch (el.$type) {
      case 'bpmn:SequenceFlow':
        flowElements.push(el)
        break
      case 'bpmn:StartEvent':
        checkNoEventDefinitions(el, 'startEvent', 'only a none start event is supported', add)
        nodes[id] = { ...base, type: 'startEvent' }
        break
      case 'bpmn:EndEvent':
        checkNoEventDefinitions(
          el,
          'endEvent',
          'only none end events are supported (use xzt:result="rejected" to end a case as rejected)',
          add,
        )
        nodes[id] = {
          ...base,
          type: 'endEvent',
          result: (str(el, 'xzt:result') ?? 'completed') as 'completed' | 'rejected',
        }
        break
      case 'bpmn:UserTask': {
        checkActivity(el, add)
        const assignment = assignmentOf(el, add)
        const outcomes =
          commaList(str(el, 'xzt:outcomes')) ??
          (assignment.kind === 'applicant' ? ['submit', 'approve'] : ['approve', 'reject'])
        nodes[id] = {
          ...base,
          type: 'userTask',
          assignment,
          slaDays: num(el, 'xzt:slaDays') ?? null,
          fields: commaList(str(el, 'xzt:fields')) ?? ['*'],
          outcomes: outcomes as Outcome[],
          boundaryIds: [],
        }
        break
      }
      case 'bpmn:ServiceTask':
        checkActivity(el, add)
        nodes[id] = {
          ...base,
          type: 'serviceTask',
          service: str(el, 'xzt:service') as string,
          resultVariable: str(el, 'xzt:resultVariable') ?? null,
        }
        break
      case 'bpmn:ExclusiveGateway':
        nodes[id] = { ...base, type: 'exclusiveGateway', defaultFlow: ref(el.default)?.id ?? null }
        break
      case 'bpmn:ParallelGateway':
        nodes[id] = { ...base, type: 'parallelGateway' }
        break
      case 'bpmn:BoundaryEvent': {
        const b = boundaryOf(el, add)
        if (b) boundaries[id] = b
        else refused.add(id)
        break
      }
      default:
        refused.add(id)
        add(id, `${localType(el)}: ${REFUSED[el.$type] ?? 'this element is not supported by the engine'}`)
    }
  }

  // Flows: ends must be flow nodes (or boundary events as sources) of this process.
  const flows: Record<string, SequenceFlow> = {}
  const tainted = new Set<string>()
  for (const el of flowElements) {
    const id = el.id as string
    const source = ref(el.sourceRef)?.id
    const target = ref(el.targetRef)?.id
    const bad = (end: string | undefined, role: string): boolean => {
      if (end === undefined) return true // unresolved reference: moddle warned, reported above
      if (refused.has(end)) return true // the refused element is reported
      if (nodes[end] || (role === 'source' && boundaries[end])) return false
      if (role === 'target' && boundaries[end])
        add(id, `sequenceFlow: targets boundary event "${end}"; boundary events cannot have incoming flows`)
      else add(id, `sequenceFlow: ${role} "${end}" is not a flow node of process "${processId}"`)
      return true
    }
    const badSource = bad(source, 'source')
    const badTarget = bad(target, 'target')
    if (badSource || badTarget) {
      tainted.add(id)
      if (source !== undefined) tainted.add(source)
      if (target !== undefined) tainted.add(target)
      continue
    }
    const ce = ref(el.conditionExpression)
    let condition: string | null = null
    if (ce) {
      const language = typeof ce.language === 'string' ? ce.language : undefined
      if (language !== undefined && !/feel/i.test(language))
        add(id, `sequenceFlow: condition language "${language}" is not supported; conditions are FEEL`)
      checkCommon(ce, add, id)
      condition = normaliseCondition(typeof ce.body === 'string' ? ce.body : '')
      if (condition === '') add(id, 'sequenceFlow: the condition expression is empty')
    }
    flows[id] = {
      id,
      name: nameOf(el),
      source: source as string,
      target: target as string,
      condition: condition === '' ? null : condition,
    }
    const src = nodes[source as string]
    if (src) src.outgoing.push(id)
    else {
      const b = boundaries[source as string]
      if (b) b.outgoing = b.outgoing === null ? id : b.outgoing // more than one is reported by validation
    }
    nodes[target as string]?.incoming.push(id)
  }
  for (const b of Object.values(boundaries)) {
    const task = nodes[b.attachedTo]
    if (task?.type === 'userTask') task.boundaryIds.push(b.id)
  }

  const starts = Object.values(nodes).filter((n) => n.type === 'startEvent')
  const def: ProcessDefinition = {
    schema: DEFINITION_SCHEMA,
    key: definitionKey(str(proc, 'xzt:matter') ?? '', num(proc, 'xzt:version') ?? Number.NaN),
    processId,
    matter: str(proc, 'xzt:matter') as string,
    version: num(proc, 'xzt:version') ?? Number.NaN,
    name: nameOf(proc),
    slaDays: num(proc, 'xzt:slaDays') ?? Number.NaN,
    startNodeId: starts[0]?.id ?? '',
    nodes,
    flows,
    boundaries,
  }
  for (const p of validateDefinition(def)) {
    // Flow-count and reachability complaints about the ends of a dropped flow repeat a problem reported above.
    if (tainted.has(p.elementId) && /outgoing|incoming|reached/.test(p.message)) continue
    if (p.message.startsWith('definition key')) continue // follows from matter/version problems
    problems.push(p)
  }
  if (problems.length > 0) throw new DeployError(dedupe(problems))
  return def
}

/** The JSON text a definition is stored as. */
export function definitionToJSON(def: ProcessDefinition): string {
  return JSON.stringify(def)
}

/**
 * Rebuilds a stored definition (JSON text or the parsed object) and re-checks it with the deploy rules,
 * so a damaged or hand-edited row is refused instead of misbehaving at run time.
 * @throws DeployError when the JSON is not a valid definition.
 */
export function definitionFromJSON(json: unknown): ProcessDefinition {
  let value: unknown = json
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json)
    } catch (err) {
      throw new DeployError([
        { elementId: DOCUMENT, message: `stored definition is not valid JSON: ${(err as Error).message}` },
      ])
    }
  }
  const v = value as Partial<ProcessDefinition> | null
  const isRecord = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x)
  if (
    !isRecord(v) ||
    !isRecord(v.nodes) ||
    !isRecord(v.flows) ||
    !isRecord(v.boundaries) ||
    typeof v.processId !== 'string' ||
    typeof v.startNodeId !== 'string'
  ) {
    throw new DeployError([
      { elementId: DOCUMENT, message: 'stored definition does not have the shape of a process definition' },
    ])
  }
  const def = structuredClone(v) as ProcessDefinition
  for (const n of Object.values(def.nodes) as unknown[]) {
    if (
      !isRecord(n) ||
      typeof n.id !== 'string' ||
      !Array.isArray(n.incoming) ||
      !Array.isArray(n.outgoing) ||
      typeof n.type !== 'string'
    ) {
      throw new DeployError([{ elementId: DOCUMENT, message: 'stored definition has a malformed node' }])
    }
    if (
      n.type === 'userTask' &&
      (!isRecord(n.assignment) ||
        !Array.isArray(n.fields) ||
        !Array.isArray(n.outcomes) ||
        !Array.isArray(n.boundaryIds))
    ) {
      throw new DeployError([{ elementId: n.id, message: 'stored definition has a malformed user task' }])
    }
  }
  for (const b of Object.values(def.boundaries) as unknown[]) {
    if (!isRecord(b) || typeof b.id !== 'string' || !isRecord(b.timer))
      throw new DeployError([
        { elementId: DOCUMENT, message: 'stored definition has a malformed boundary event' },
      ])
  }
  const problems = validateDefinition(def)
  if (problems.length > 0) throw new DeployError(problems)
  return def
}

// ── element helpers ─────────────────────────────────────────────────────────

/** Foreign attributes and extension elements on any semantic element. */
function checkCommon(el: ModdleElement, add: (id: string, m: string) => void, idOverride?: string): void {
  const id = idOverride ?? el.id ?? DOCUMENT
  for (const name of Object.keys(el.$attrs ?? {})) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:') || name.startsWith('xml:'))
      continue
    add(
      id,
      `${localType(el)}: attribute ${name} is not understood by this engine; remove it (only xzt: attributes are read)`,
    )
  }
  const ext = ref(el.extensionElements)
  const values = ext ? elements(ext.values) : []
  if (values.length > 0) {
    add(
      id,
      `${localType(el)}: extension elements (${values.map((v) => `<${v.$type}>`).join(', ')}) are not supported; use xzt: attributes`,
    )
  }
}

function checkNoEventDefinitions(
  el: ModdleElement,
  kind: string,
  hint: string,
  add: (id: string, m: string) => void,
): void {
  const defs = elements(el.eventDefinitions)
  if (defs.length > 0)
    add(el.id as string, `${kind}: ${defs.map((d) => localType(d)).join(', ')} is not supported; ${hint}`)
}

function checkActivity(el: ModdleElement, add: (id: string, m: string) => void): void {
  for (const [prop, message] of REFUSED_ACTIVITY_PROPERTIES) {
    const v = el[prop]
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.length > 0))
      add(el.id as string, `${localType(el)}: ${message}`)
  }
  if (el.default !== undefined)
    add(
      el.id as string,
      `${localType(el)}: default flows on tasks are not supported; branch with an exclusive gateway`,
    )
  if (el.isForCompensation === true) add(el.id as string, `${localType(el)}: compensation is not supported`)
}

function assignmentOf(el: ModdleElement, add: (id: string, m: string) => void): Assignment {
  const id = el.id as string
  const assignee = str(el, 'xzt:assignee')
  const department = str(el, 'xzt:department')
  if (assignee !== undefined) {
    if (assignee !== 'applicant')
      add(
        id,
        `userTask: xzt:assignee must be "applicant" (got "${assignee}"); officials are assigned with xzt:department and xzt:level`,
      )
    const extra = ['xzt:department', 'xzt:level', 'xzt:role', 'xzt:regionFrom'].filter(
      (p) => str(el, p) !== undefined,
    )
    if (extra.length > 0) add(id, `userTask: an applicant task has no department; remove ${extra.join(', ')}`)
    return { kind: 'applicant' }
  }
  const regionFrom = str(el, 'xzt:regionFrom')
  return {
    kind: 'department',
    departmentKind: department as DepartmentKind,
    level: str(el, 'xzt:level') as RegionLevel,
    role: (str(el, 'xzt:role') ?? 'official') as TaskRole,
    ...(regionFrom === undefined ? {} : { regionFrom }),
  }
}

function boundaryOf(el: ModdleElement, add: (id: string, m: string) => void): BoundaryTimer | null {
  const id = el.id as string
  const defs = elements(el.eventDefinitions)
  const timerDef = defs.length === 1 && defs[0]?.$type === 'bpmn:TimerEventDefinition' ? defs[0] : undefined
  if (!timerDef) {
    const what = defs.length === 0 ? 'no event definition' : defs.map((d) => localType(d)).join(', ')
    add(id, `boundaryEvent: only timer boundary events are supported (found ${what})`)
    return null
  }
  checkCommon(timerDef, add, id)
  const attached = ref(el.attachedToRef)?.id
  if (attached === undefined) {
    add(id, 'boundaryEvent: attachedToRef is missing')
    return null
  }
  if (ref(timerDef.timeDate))
    add(id, 'boundaryEvent: timeDate timers are not supported; use timeDuration or xzt:atSla')
  if (ref(timerDef.timeCycle))
    add(id, 'boundaryEvent: timeCycle timers are not supported; use timeDuration or xzt:atSla')
  const durationEl = ref(timerDef.timeDuration)
  const duration = durationEl && typeof durationEl.body === 'string' ? durationEl.body.trim() : undefined
  const onBoundary = num(el, 'xzt:atSla')
  const onTimer = num(timerDef, 'xzt:atSla')
  if (onBoundary !== undefined && onTimer !== undefined)
    add(id, 'boundaryEvent: xzt:atSla is given twice (on the event and on its timer definition)')
  const atSla = onBoundary ?? onTimer
  let timer: TimerSpec
  if (duration !== undefined && atSla !== undefined) {
    add(id, 'boundaryEvent: has both a timeDuration and xzt:atSla; use one')
    return null
  } else if (duration !== undefined) timer = { kind: 'duration', duration }
  else if (atSla !== undefined) timer = { kind: 'atSla', fraction: atSla }
  else {
    if (!ref(timerDef.timeDate) && !ref(timerDef.timeCycle))
      add(id, 'boundaryEvent: the timer needs a timeDuration (e.g. P3D) or xzt:atSla (e.g. 0.8)')
    return null
  }
  return {
    id,
    name: nameOf(el),
    attachedTo: attached,
    interrupting: el.cancelActivity !== false,
    timer,
    sla: (str(el, 'xzt:sla') ?? null) as BoundaryTimer['sla'],
    escalate: (str(el, 'xzt:escalate') ?? null) as BoundaryTimer['escalate'],
    outgoing: null,
  }
}

// ── moddle warnings and XML errors ──────────────────────────────────────────

function problemOfWarning(w: ParseWarning, xml: string): DeployProblem {
  const message = w.message
  if (message.startsWith('unknown attribute') && w.element) {
    const el = w.element
    return {
      elementId: el.id ?? DOCUMENT,
      message: `${localType(el)}: attribute ${w.property ?? '?'} is not allowed here`,
    }
  }
  if (message.startsWith('unresolved reference') && w.element) {
    const el = w.element
    const property = (w.property ?? '').replace(/^bpmn:/, '')
    return {
      elementId: el.id ?? DOCUMENT,
      message: `${localType(el)}: ${property} refers to "${String(w.value)}", which does not exist`,
    }
  }
  const tag = /unparsable content <([^>\s]+)>/.exec(message)?.[1]
  const line = Number(/line: (\d+)/.exec(message)?.[1] ?? Number.NaN)
  const column = Number(/column: (\d+)/.exec(message)?.[1] ?? Number.NaN)
  const nested = /nested error: (.*)$/m.exec(message)?.[1] ?? message.split('\n')[0] ?? message
  const elementId =
    (tag && idOfTagAt(xml, tag, line)) ?? (Number.isFinite(line) ? `(line ${line + 1})` : DOCUMENT)
  const where = Number.isFinite(line) ? ` (line ${line + 1}, column ${column + 1})` : ''
  const dup = /duplicate ID <([^>]*)>/.exec(nested)
  if (dup) return { elementId, message: `${tag ? `<${tag}>: ` : ''}the id "${dup[1]}" is used twice${where}` }
  const unknownType = /unknown type <([^>]*)>/.exec(nested)
  if (unknownType)
    return { elementId, message: `<${tag ?? unknownType[1]}> is not a BPMN 2.0 or xzt element${where}` }
  return { elementId, message: `cannot read ${tag ? `<${tag}>` : 'the document'}${where}: ${nested}` }
}

/** The id attribute of the `<tag …>` starting on (0-based) `line`, or of the only such tag in the document. */
function idOfTagAt(xml: string, tag: string, line: number): string | undefined {
  const lines = xml.split('\n')
  const candidates: string[] = []
  if (Number.isFinite(line) && lines[line] !== undefined) candidates.push(lines.slice(line).join('\n'))
  candidates.push(xml)
  for (const text of candidates) {
    const at = text.indexOf(`<${tag}`)
    if (at < 0) continue
    const end = text.indexOf('>', at)
    const head = text.slice(at, end < 0 ? undefined : end)
    const id = /\sid\s*=\s*["']([^"']*)["']/.exec(head)?.[1]
    if (id) return id
  }
  return undefined
}

function describeXmlError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const line = /line: (\d+)/.exec(message)?.[1]
  const column = /column: (\d+)/.exec(message)?.[1]
  const nested = /nested error: (.*)$/m.exec(message)?.[1]
  if (nested && line !== undefined)
    return `${nested} (line ${Number(line) + 1}, column ${Number(column ?? 0) + 1})`
  if (/failed to parse document as <bpmn:Definitions>/.test(message))
    return 'the root element is not <bpmn:definitions> in the BPMN 2.0 model namespace'
  return message.split('\n')[0] ?? message
}

function dedupe(problems: DeployProblem[]): DeployProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const k = `${p.elementId}\u0000${p.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
