import { BpmnModdle } from 'bpmn-moddle'
import { evaluate } from 'feelin'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEPARTMENT_KINDS, REGION_LEVELS, type DepartmentKind } from '../../../../shared/domain.js'
import { LOOKUP_NAMES } from '../../dataplatform/index.js'
import {
  CITY_DEPARTMENT_KINDS,
  COUNTY_DEPARTMENT_KINDS,
  STREET_DEPARTMENT_KINDS,
} from '../../sim/demo.generator.js'
import { xztModdleDescriptor } from '../../workflow/engine/xzt.descriptor.js'
import { schemaAt } from '../forms.model.js'
import { loadDemoCatalogue, type DemoMatter, type DemoMatterVersion } from './index.js'

/** The moddle elements as these tests use them. */
interface El {
  $type: string
  id: string
  name?: string
  get(name: string): unknown
  incoming?: El[]
  outgoing?: El[]
  sourceRef?: El
  targetRef?: El
  conditionExpression?: { body: string }
  default?: El
  attachedToRef?: El
  cancelActivity?: boolean
  eventDefinitions?: El[]
  flowElements?: El[]
  isExecutable?: boolean
  documentation?: { text: string }[]
}
interface Shape {
  $type: string
  bpmnElement: El
  bounds?: { x: number; y: number; width: number; height: number }
  waypoint?: { x: number; y: number }[]
}
interface Definitions {
  rootElements: El[]
  diagrams: { plane: { bpmnElement: El; planeElement: Shape[] } }[]
}

const ALLOWED = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:BoundaryEvent',
  'bpmn:SequenceFlow',
])
const OUTCOMES = ['approve', 'reject', 'supplement']
const KINDS_AT: Record<string, readonly DepartmentKind[]> = {
  province: CITY_DEPARTMENT_KINDS,
  city: CITY_DEPARTMENT_KINDS,
  county: COUNTY_DEPARTMENT_KINDS,
  street: STREET_DEPARTMENT_KINDS,
}

interface Parsed {
  matter: DemoMatter
  version: DemoMatterVersion
  defs: Definitions
  process: El
  elements: El[]
  warnings: { message: string }[]
}

const catalogue = loadDemoCatalogue()
const moddle = new BpmnModdle({ xzt: xztModdleDescriptor })
const parsed: Parsed[] = []

beforeAll(async () => {
  for (const matter of catalogue) {
    for (const version of matter.versions) {
      const { rootElement, warnings } = (await moddle.fromXML(version.processXml)) as unknown as {
        rootElement: Definitions
        warnings: { message: string }[]
      }
      const process = rootElement.rootElements[0]!
      parsed.push({
        matter,
        version,
        defs: rootElement,
        process,
        elements: process.flowElements ?? [],
        warnings,
      })
    }
  }
})

const cases = catalogue.flatMap((m) =>
  m.versions.map((v) => [`${m.matter.code} ${v.processFile}`, m.matter.code, v.version] as const),
)
const find = (code: string, version: number): Parsed =>
  parsed.find((p) => p.matter.matter.code === code && p.version.version === version)!

const of = (p: Parsed, type: string): El[] => p.elements.filter((e) => e.$type === type)
const isApplicant = (e: El): boolean => e.get('xzt:assignee') === 'applicant'
const stripEq = (body: string): string => body.replace(/^\s*=\s*/, '')

describe.each(cases)('%s', (_, code, version) => {
  const p = (): Parsed => find(code, version)

  it('parses without warnings and uses only the supported elements', () => {
    const { defs, process, elements, warnings } = p()
    expect(warnings.map((w) => w.message)).toEqual([])
    expect(defs.rootElements.map((e) => e.$type)).toEqual(['bpmn:Process'])
    expect(process.isExecutable).toBe(true)
    for (const e of elements) expect(ALLOWED.has(e.$type), `${e.id}: ${e.$type}`).toBe(true)
    expect(of(p(), 'bpmn:StartEvent')).toHaveLength(1)
    for (const e of [...of(p(), 'bpmn:StartEvent'), ...of(p(), 'bpmn:EndEvent')])
      expect(e.eventDefinitions ?? []).toEqual([])
  })

  it('carries the matter, version and time limit of its matter definition', () => {
    const { process, version: v } = p()
    expect(process.get('xzt:matter')).toBe(code)
    expect(process.get('xzt:version')).toBe(v.version)
    expect(process.get('xzt:slaDays')).toBe(v.matter.slaDays)
    expect(process.name).toMatch(/\p{Script=Han}/u)
  })

  it('assigns every user task to a department kind at a level, or to the applicant', () => {
    const { elements, version: v, matter } = p()
    const departments = new Set<string>()
    for (const t of elements.filter((e) => e.$type === 'bpmn:UserTask')) {
      expect(t.name, t.id).toMatch(/\p{Script=Han}/u)
      const sla = t.get('xzt:slaDays') as number
      expect(sla, `${t.id} slaDays`).toBeGreaterThan(0)
      const outcomes = ((t.get('xzt:outcomes') as string | undefined) ?? '').split(',')
      for (const o of outcomes) expect(OUTCOMES, `${t.id} outcome ${o}`).toContain(o)
      expect(outcomes).toContain('approve')
      const fields = (t.get('xzt:fields') as string | undefined) ?? ''
      expect(fields, `${t.id} fields`).not.toBe('')
      if (fields !== '*')
        for (const f of fields.split(','))
          expect(schemaAt(matter.formSchema, f), `${t.id}: field ${f} is not in the form`).toBeDefined()
      if (isApplicant(t)) {
        expect(t.get('xzt:department')).toBeUndefined()
        expect(t.get('xzt:level')).toBeUndefined()
        continue
      }
      const kind = t.get('xzt:department') as DepartmentKind
      const level = t.get('xzt:level') as string
      expect(Object.keys(DEPARTMENT_KINDS), t.id).toContain(kind)
      expect(REGION_LEVELS, t.id).toContain(level)
      expect(KINDS_AT[level], `${t.id}: no ${kind} at ${level} level in the demo province`).toContain(kind)
      const role = (t.get('xzt:role') as string | undefined) ?? 'official'
      expect(['official', 'clerk']).toContain(role)
      if (role === 'clerk') expect([kind, level]).toEqual(['service_center', 'street'])
      departments.add(kind)
    }
    expect([...departments].sort()).toEqual([...v.matter.departments].sort())
  })

  it('calls only registered data-platform lookups from service tasks', () => {
    for (const s of of(p(), 'bpmn:ServiceTask')) {
      expect(LOOKUP_NAMES, s.id).toContain(s.get('xzt:service'))
      expect(s.get('xzt:resultVariable'), s.id).toMatch(/^[a-z][A-Za-z0-9]*$/)
      expect(['data', 'outcome']).not.toContain(s.get('xzt:resultVariable'))
    }
  })

  it('gives every department task an SLA warning and an escalating breach, and the applicant a deadline', () => {
    const { elements } = p()
    const timers = elements.filter((e) => e.$type === 'bpmn:BoundaryEvent')
    for (const b of timers) {
      expect(b.eventDefinitions?.map((d) => d.$type)).toEqual(['bpmn:TimerEventDefinition'])
      expect(b.attachedToRef?.$type).toBe('bpmn:UserTask')
    }
    for (const t of elements.filter((e) => e.$type === 'bpmn:UserTask')) {
      const mine = timers.filter((b) => b.attachedToRef === t)
      const warn = mine.filter((b) => b.get('xzt:sla') === 'warn')
      const breach = mine.filter((b) => b.get('xzt:sla') === 'breach')
      expect(mine).toHaveLength(2)
      expect(warn).toHaveLength(1)
      expect(breach).toHaveLength(1)
      expect(warn[0]!.get('xzt:atSla')).toBe(0.8)
      expect(warn[0]!.cancelActivity).toBe(false)
      expect(warn[0]!.outgoing ?? []).toEqual([])
      expect(breach[0]!.get('xzt:atSla')).toBe(1)
      if (isApplicant(t)) {
        // 补正 not done in time: the case ends, rejected.
        expect(breach[0]!.cancelActivity).toBe(true)
        expect(breach[0]!.outgoing?.map((f) => f.targetRef?.get('xzt:result'))).toEqual(['rejected'])
      } else {
        expect(breach[0]!.cancelActivity).toBe(false)
        expect(breach[0]!.get('xzt:escalate')).toBe('supervisor')
        expect(breach[0]!.outgoing ?? []).toEqual([])
      }
    }
  })

  it('routes on outcomes with FEEL conditions and default flows', () => {
    const { elements } = p()
    for (const f of elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const src = f.sourceRef!
      if (f.conditionExpression) {
        expect(src.$type, `${f.id}: only exclusive gateways have conditions`).toBe('bpmn:ExclusiveGateway')
        expect(f.conditionExpression.body).toMatch(/^= /)
        expect(src.default, `${f.id}: the default flow has no condition`).not.toBe(f)
        // Valid FEEL for feelin: evaluating in an empty context gives no syntax error.
        expect(() => evaluate(stripEq(f.conditionExpression!.body), {})).not.toThrow()
      }
    }
    for (const g of of(p(), 'bpmn:ExclusiveGateway')) {
      const out = g.outgoing ?? []
      if (out.length > 1) {
        expect(g.default, `${g.id} needs a default flow`).toBeDefined()
        for (const f of out) if (f !== g.default) expect(f.conditionExpression, `${f.id}`).toBeDefined()
      }
    }
    for (const t of elements.filter((e) => e.$type === 'bpmn:UserTask' && !isApplicant(e))) {
      const outcomes = String(t.get('xzt:outcomes')).split(',')
      const out = t.outgoing ?? []
      expect(out).toHaveLength(1)
      const next = out[0]!.targetRef!
      if (outcomes.length === 1) {
        const conditions =
          next.$type === 'bpmn:ExclusiveGateway'
            ? (next.outgoing ?? []).map((f) => f.conditionExpression?.body ?? '')
            : []
        expect(
          conditions.some((c) => c.includes('outcome')),
          `${t.id} only approves`,
        ).toBe(false)
        continue
      }
      expect(next.$type, `${t.id} decides on its outcome`).toBe('bpmn:ExclusiveGateway')
      const conditions = (next.outgoing ?? [])
        .filter((f) => f !== next.default)
        .map((f) => f.conditionExpression!.body)
      expect(conditions.sort()).toEqual(
        outcomes
          .filter((o) => o !== 'approve')
          .map((o) => `= outcome = "${o}"`)
          .sort(),
      )
      for (const f of next.outgoing ?? []) {
        const body = f.conditionExpression?.body
        if (body === '= outcome = "reject"') expect(f.targetRef?.get('xzt:result')).toBe('rejected')
        if (body === '= outcome = "supplement"') {
          const supp = f.targetRef!
          expect(isApplicant(supp), `${t.id}: supplement goes to the applicant`).toBe(true)
          expect(supp.outgoing?.map((x) => x.targetRef)).toEqual([t])
        }
      }
    }
    for (const e of of(p(), 'bpmn:EndEvent')) expect(['completed', 'rejected']).toContain(e.get('xzt:result'))
    expect(of(p(), 'bpmn:EndEvent').some((e) => e.get('xzt:result') === 'completed')).toBe(true)
  })

  it('balances parallel splits and joins, reaches every element and never dead-ends', () => {
    const { elements } = p()
    const parallel = of(p(), 'bpmn:ParallelGateway')
    const splits = parallel.filter((g) => (g.outgoing ?? []).length > 1)
    const joins = parallel.filter((g) => (g.incoming ?? []).length > 1)
    expect(splits.length + joins.length).toBe(parallel.length)
    expect(splits.reduce((n, g) => n + g.outgoing!.length, 0)).toBe(
      joins.reduce((n, g) => n + g.incoming!.length, 0),
    )
    for (const f of parallel.flatMap((g) => g.outgoing ?? [])) expect(f.conditionExpression).toBeUndefined()

    const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow')
    const successors = (n: El): El[] => [
      ...(n.outgoing ?? []).map((f) => f.targetRef!),
      ...nodes.filter((b) => b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef === n),
    ]
    const reach = new Set<El>()
    const stack = [of(p(), 'bpmn:StartEvent')[0]!]
    while (stack.length) {
      const n = stack.pop()!
      if (reach.has(n)) continue
      reach.add(n)
      stack.push(...successors(n))
    }
    for (const n of nodes) expect(reach.has(n), `${n.id} is unreachable`).toBe(true)
    // Every node except the notifying (non-interrupting, flowless) timers leads to an end event.
    const leadsToEnd = (from: El): boolean => {
      const seen = new Set<El>()
      const todo = [from]
      while (todo.length) {
        const n = todo.pop()!
        if (n.$type === 'bpmn:EndEvent') return true
        if (seen.has(n)) continue
        seen.add(n)
        todo.push(...(n.outgoing ?? []).map((f) => f.targetRef!))
      }
      return false
    }
    for (const n of nodes) {
      if (n.$type === 'bpmn:BoundaryEvent' && (n.outgoing ?? []).length === 0) continue
      expect(leadsToEnd(n), `${n.id} dead-ends`).toBe(true)
    }
  })

  it('can meet its committed time limit on the critical path', () => {
    const { version: v } = p()
    const days = criticalPathDays(p())
    expect(days).toBeGreaterThan(0)
    expect(days).toBeLessThanOrEqual(v.matter.slaDays)
  })

  it('has a diagram: a shape per element, an orthogonal edge per flow, no overlapping shapes', () => {
    const { defs, process, elements } = p()
    expect(defs.diagrams).toHaveLength(1)
    const plane = defs.diagrams[0]!.plane
    expect(plane.bpmnElement).toBe(process)
    const shapes = new Map(
      plane.planeElement.filter((s) => s.$type === 'bpmndi:BPMNShape').map((s) => [s.bpmnElement, s.bounds!]),
    )
    const edges = new Map(
      plane.planeElement
        .filter((s) => s.$type === 'bpmndi:BPMNEdge')
        .map((s) => [s.bpmnElement, s.waypoint!]),
    )
    const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow')
    for (const n of nodes) {
      const b = shapes.get(n)
      expect(b, `${n.id} has no shape`).toBeDefined()
      expect(b!.x).toBeGreaterThanOrEqual(0)
      expect(b!.y).toBeGreaterThanOrEqual(0)
    }
    const onBorder = (
      pt: { x: number; y: number },
      b: { x: number; y: number; width: number; height: number },
    ): boolean => {
      const inX = pt.x >= b.x - 1 && pt.x <= b.x + b.width + 1
      const inY = pt.y >= b.y - 1 && pt.y <= b.y + b.height + 1
      const nearX = Math.abs(pt.x - b.x) <= 1 || Math.abs(pt.x - (b.x + b.width)) <= 1
      const nearY = Math.abs(pt.y - b.y) <= 1 || Math.abs(pt.y - (b.y + b.height)) <= 1
      return (inX && nearY) || (inY && nearX)
    }
    for (const f of elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const wp = edges.get(f)
      expect(wp, `${f.id} has no edge`).toBeDefined()
      expect(wp!.length).toBeGreaterThanOrEqual(2)
      expect(onBorder(wp![0]!, shapes.get(f.sourceRef!)!), `${f.id} starts on its source`).toBe(true)
      expect(onBorder(wp!.at(-1)!, shapes.get(f.targetRef!)!), `${f.id} ends on its target`).toBe(true)
      for (let i = 1; i < wp!.length; i++) {
        const [a, b] = [wp![i - 1]!, wp![i]!]
        expect(a.x === b.x || a.y === b.y, `${f.id} segment ${i} is not orthogonal`).toBe(true)
      }
    }
    const boxes = nodes.map((n) => [n, shapes.get(n)!] as const)
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [na, a] = boxes[i]!
        const [nb, b] = boxes[j]!
        if (na.attachedToRef === nb || nb.attachedToRef === na) continue
        const overlap =
          a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
        expect(overlap, `${na.id} overlaps ${nb.id}`).toBe(false)
      }
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Critical path and a token simulation over the parsed model.

/** Longest path in working days from the start, over department tasks, ignoring 补正 loops. */
function criticalPathDays(p: Parsed): number {
  const memo = new Map<El, number>()
  const visit = (n: El): number => {
    const hit = memo.get(n)
    if (hit !== undefined) return hit
    memo.set(n, 0)
    const own = n.$type === 'bpmn:UserTask' && !isApplicant(n) ? (n.get('xzt:slaDays') as number) : 0
    const next = (n.outgoing ?? []).map((f) => f.targetRef!).filter((t) => !isApplicant(t))
    const days = own + Math.max(0, ...next.map(visit))
    memo.set(n, days)
    return days
  }
  return visit(of(p, 'bpmn:StartEvent')[0]!)
}

interface RunResult {
  result: 'completed' | 'rejected' | 'stuck'
  /** User tasks in the order they were completed. */
  tasks: string[]
}

/**
 * Runs a process to the end with BPMN token semantics: exclusive gateways take the first true
 * condition (else the default), parallel gateways split and join, an end event with a result ends
 * the case. `decide` gives each user task's outcome; service tasks store `lookups[resultVariable]`.
 * Not an engine: no timers, no persistence, tasks complete in token order.
 */
function run(
  p: Parsed,
  data: unknown,
  decide: (task: El, visit: number) => string,
  lookups: Record<string, unknown> = {},
): RunResult {
  const vars: Record<string, unknown> = { data, ...lookups }
  const tasks: string[] = []
  const arrived = new Map<El, number>()
  const visits = new Map<El, number>()
  const tokens: El[] = [of(p, 'bpmn:StartEvent')[0]!]
  for (let steps = 0; steps < 1000 && tokens.length > 0; steps++) {
    // Depth first: a completed task's token moves on to its decision gateway at once, as an engine
    // continues a token synchronously up to the next wait state (so `outcome` is that task's outcome).
    const n = tokens.pop()!
    const outs = n.outgoing ?? []
    const go = (targets: El[]): void => void tokens.push(...[...targets].reverse())
    switch (n.$type) {
      case 'bpmn:EndEvent':
        if (n.get('xzt:result') === 'rejected') return { result: 'rejected', tasks }
        if (tokens.length === 0) return { result: 'completed', tasks }
        break
      case 'bpmn:UserTask': {
        const k = (visits.get(n) ?? 0) + 1
        visits.set(n, k)
        vars.outcome = decide(n, k)
        tasks.push(n.id)
        go(outs.map((f) => f.targetRef!))
        break
      }
      case 'bpmn:ServiceTask':
        vars[n.get('xzt:resultVariable') as string] = lookups[n.get('xzt:resultVariable') as string] ?? null
        go(outs.map((f) => f.targetRef!))
        break
      case 'bpmn:ExclusiveGateway': {
        const taken = outs.find(
          (f) =>
            f !== n.default &&
            f.conditionExpression &&
            evaluate(stripEq(f.conditionExpression.body), vars).value === true,
        )
        go([(taken ?? n.default ?? outs[0])!.targetRef!])
        break
      }
      case 'bpmn:ParallelGateway': {
        const incoming = (n.incoming ?? []).length
        if (incoming > 1) {
          const count = (arrived.get(n) ?? 0) + 1
          arrived.set(n, count)
          if (count < incoming) break
          arrived.set(n, 0)
        }
        go(outs.map((f) => f.targetRef!))
        break
      }
      default:
        go(outs.map((f) => f.targetRef!))
    }
  }
  return { result: 'stuck', tasks }
}

const SIM_DATA: Record<string, unknown> = {
  TAX_REFUND: { taxReturn: { refundable: 921.78 } },
  CONSTRUCTION_PERMIT: { project: { floorArea: 12800 } },
  BIZ_CHANGE: { change: { items: ['address'] } },
}

describe('simulated runs', () => {
  const departmentTasks = (p: Parsed): string[] =>
    p.elements.filter((e) => e.$type === 'bpmn:UserTask' && !isApplicant(e)).map((e) => e.id)

  it.each(cases)(
    '%s completes when every department approves, and is rejected when any rejects',
    (_, code, version) => {
      const p = find(code, version)
      const approved = run(p, SIM_DATA[code] ?? {}, () => 'approve')
      expect(approved.result).toBe('completed')
      for (const id of approved.tasks) {
        const rejecting = p.elements.find((e) => e.id === id)!
        if (!String(rejecting.get('xzt:outcomes')).includes('reject')) continue
        expect(
          run(p, SIM_DATA[code] ?? {}, (t) => (t.id === id ? 'reject' : 'approve')).result,
          `reject at ${id}`,
        ).toBe('rejected')
      }
    },
  )

  it.each(cases)('%s loops through the applicant on 补正 and then completes', (_, code, version) => {
    const p = find(code, version)
    const first = p.elements.find(
      (e) => e.$type === 'bpmn:UserTask' && String(e.get('xzt:outcomes')).includes('supplement'),
    )!
    const r = run(p, SIM_DATA[code] ?? {}, (t, visit) =>
      t === first && visit === 1 ? 'supplement' : 'approve',
    )
    expect(r.result).toBe('completed')
    const i = r.tasks.indexOf(first.id)
    expect(r.tasks.slice(i, i + 3)).toEqual([first.id, `${first.id}_supplement`, first.id])
  })

  it('runs the four business start-up departments in parallel after one acceptance', () => {
    const p = find('BIZ_STARTUP', 2)
    const r = run(p, {}, () => 'approve')
    expect(r.tasks[0]).toBe('accept')
    expect(r.tasks.slice(1).sort()).toEqual([
      'market_registration',
      'seal_filing',
      'social_security_registration',
      'tax_registration',
    ])
    const split = p.elements.find((e) => e.id === 'split')!
    expect(split.outgoing!.map((f) => f.targetRef!.get('xzt:department')).sort()).toEqual([
      'human_resources_social_security',
      'market_regulation',
      'public_security',
      'tax',
    ])
    for (const f of split.outgoing!) expect(f.targetRef!.get('xzt:level')).toBe('county')
    // The old version: eight steps one after another.
    expect(run(find('BIZ_STARTUP', 1), {}, () => 'approve').tasks).toHaveLength(8)
  })

  it('adds the environmental review only for projects over 10,000 m²', () => {
    for (const version of [1, 2]) {
      const p = find('CONSTRUCTION_PERMIT', version)
      const big = run(p, { project: { floorArea: 12800 } }, () => 'approve')
      const small = run(p, { project: { floorArea: 8000 } }, () => 'approve')
      expect(big.result).toBe('completed')
      expect(small.result).toBe('completed')
      expect(big.tasks.some((t) => t.startsWith('eia_'))).toBe(true)
      expect(small.tasks.some((t) => t.startsWith('eia_'))).toBe(false)
    }
    const joint = run(find('CONSTRUCTION_PERMIT', 2), { project: { floorArea: 8000 } }, () => 'approve').tasks
    expect(joint.slice(1, 3).sort()).toEqual(['construction_review', 'planning_review'])
  })

  it('refunds tax instantly when the declaration matches the tax record, otherwise an official reviews', () => {
    const p = find('TAX_REFUND', 1)
    expect(
      run(p, { taxReturn: { refundable: 921.78 } }, () => 'approve', { taxRecord: { refundable: 921.78 } }),
    ).toEqual({ result: 'completed', tasks: [] })
    expect(
      run(p, { taxReturn: { refundable: 1500 } }, () => 'approve', { taxRecord: { refundable: 921.78 } })
        .tasks,
    ).toEqual(['review'])
    expect(run(p, { taxReturn: { refundable: 921.78 } }, () => 'approve').tasks).toEqual(['review'])
  })

  it('syncs the tax registration only when name, address or legal representative change', () => {
    const p = find('BIZ_CHANGE', 1)
    expect(run(p, { change: { items: ['address'] } }, () => 'approve').tasks).toEqual(['review', 'tax_sync'])
    expect(
      run(p, { change: { items: ['businessScope', 'registeredCapital'] } }, () => 'approve').tasks,
    ).toEqual(['review'])
  })

  it('assigns the social-security transfer to the source and target cities the form names', () => {
    const p = find('SOCIAL_SECURITY_TRANSFER', 1)
    const docs = Object.fromEntries(
      p.elements
        .filter((e) => e.$type === 'bpmn:UserTask' && !isApplicant(e))
        .map((e) => [e.id, e.documentation?.[0]?.text ?? '']),
    )
    expect(docs.target_accept).toContain('transfer.toCity')
    expect(docs.source_transfer).toContain('transfer.fromCity')
    expect(docs.target_record).toContain('transfer.toCity')
    const regionFrom = Object.fromEntries(
      p.elements
        .filter((e) => e.$type === 'bpmn:UserTask' && !isApplicant(e))
        .map((e) => [e.id, e.get('xzt:regionFrom')]),
    )
    expect(regionFrom).toEqual({
      target_accept: 'transfer.toCity',
      source_transfer: 'transfer.fromCity',
      target_record: 'transfer.toCity',
    })
    expect(run(p, {}, () => 'approve').tasks).toEqual(['target_accept', 'source_transfer', 'target_record'])
  })

  it('keeps each department task within the departments every version lists', () => {
    for (const p of parsed) expect(departmentTasks(p).length).toBeGreaterThan(0)
  })
})
