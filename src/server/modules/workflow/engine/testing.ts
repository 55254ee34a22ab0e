/**
 * Test support for the engine (used by the engine's tests and, later, by the workflow service's tests):
 * fixture loading, a deterministic id generator, and a {@link Driver} that applies commands to one
 * instance, checks the invariants after every step and keeps the effect log. No test-framework imports.
 * @module
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chinaWorkCalendar } from '../calendar/holidays.cn.js'
import type { WorkCalendar } from '../calendar/calendar.js'
import type { ProcessDefinition } from './definition.js'
import {
  cancel,
  completeTask,
  failService,
  fireTimer,
  resolveService,
  retryService,
  start,
  type IdKind,
  type NewId,
} from './interpreter.js'
import { parseProcess } from './parse.js'
import {
  checkInvariants,
  type CaseInfo,
  type Effect,
  type EffectType,
  type InstanceState,
  type OpenTask,
  type Step,
} from './state.js'

/** The XML of a fixture in `engine/fixtures/`. */
export function fixtureXml(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8')
}

/** Parses a fixture. */
export function loadFixture(name: string): Promise<ProcessDefinition> {
  return parseProcess(fixtureXml(name))
}

/** Ids `instance-1`, `task-1`, `task-2`, … per kind. */
export function sequentialIds(prefix = ''): NewId {
  const counters = new Map<IdKind, number>()
  return (kind) => {
    const n = (counters.get(kind) ?? 0) + 1
    counters.set(kind, n)
    return `${prefix}${kind}-${n}`
  }
}

/** Beijing local time `YYYY-MM-DD HH:MM` → epoch ms. */
export const beijing = (local: string): number => Date.parse(`${local.replace(' ', 'T')}:00+08:00`)

/** Drives one instance: every command checks the invariants of the new state and appends its effects. */
export class Driver {
  readonly log: Effect[] = []
  last: Effect[] = []
  state!: InstanceState
  now: number
  readonly newId: NewId

  constructor(
    readonly def: ProcessDefinition,
    readonly calendar: WorkCalendar = chinaWorkCalendar(),
    now = beijing('2026-03-09 10:00'),
  ) {
    this.now = now
    this.newId = sequentialIds()
  }

  /** Starts the instance. */
  start(data: Record<string, unknown> = {}, caseInfo: Partial<CaseInfo> = {}): this {
    return this.apply(
      start(this.def, {
        data,
        case: { matterCode: this.def.matter, regionCode: '430102001', channel: 'online', ...caseInfo },
        now: this.now,
        newId: this.newId,
        calendar: this.calendar,
      }),
    )
  }

  private apply(step: Step): this {
    const violations = checkInvariants(this.def, step.state)
    if (violations.length > 0) throw new Error(`invariants violated:\n${violations.join('\n')}`)
    this.state = step.state
    this.last = step.effects
    this.log.push(...step.effects)
    return this
  }

  /** Open tasks, oldest first. */
  get openTasks(): OpenTask[] {
    return Object.values(this.state.tasks)
  }

  /** The single open task at a node (throws if none or several). */
  task(nodeId: string): OpenTask {
    const found = this.openTasks.filter((t) => t.nodeId === nodeId)
    if (found.length !== 1)
      throw new Error(
        `expected one open task at ${nodeId}, found ${found.length} (open: ${this.openTasks.map((t) => t.nodeId).join(', ')})`,
      )
    return found[0] as OpenTask
  }

  /** Completes the open task at a node (given a node id) or the task with that id (anything else). */
  complete(nodeOrTaskId: string, outcome: string, data?: Record<string, unknown>): this {
    const taskId = Object.hasOwn(this.def.nodes, nodeOrTaskId) ? this.task(nodeOrTaskId).id : nodeOrTaskId
    return this.apply(
      completeTask(this.def, this.state, {
        taskId,
        outcome,
        data,
        now: this.now,
        newId: this.newId,
        calendar: this.calendar,
      }),
    )
  }

  /** Fires a timer (moving the clock to its due time if it is later). */
  fire(timerId: string): this {
    const timer = this.state.timers[timerId]
    if (timer && timer.dueAt > this.now) this.now = timer.dueAt
    return this.apply(
      fireTimer(this.def, this.state, { timerId, now: this.now, newId: this.newId, calendar: this.calendar }),
    )
  }

  /** The pending timer of a boundary event. */
  timer(boundaryId: string): string {
    const t = Object.values(this.state.timers).find((x) => x.boundaryId === boundaryId)
    if (!t) throw new Error(`no pending timer for ${boundaryId}`)
    return t.id
  }

  /** The pending service call at a node. */
  call(nodeId: string): string {
    const c = Object.values(this.state.serviceCalls).find((x) => x.nodeId === nodeId)
    if (!c) throw new Error(`no service call at ${nodeId}`)
    return c.id
  }

  resolve(nodeId: string, result: unknown): this {
    return this.apply(
      resolveService(this.def, this.state, {
        serviceCallId: this.call(nodeId),
        result,
        now: this.now,
        newId: this.newId,
        calendar: this.calendar,
      }),
    )
  }

  failService(nodeId: string, error: string): this {
    return this.apply(
      failService(this.def, this.state, {
        serviceCallId: this.call(nodeId),
        error,
        now: this.now,
        newId: this.newId,
      }),
    )
  }

  retryService(nodeId: string): this {
    return this.apply(retryService(this.def, this.state, { serviceCallId: this.call(nodeId), now: this.now }))
  }

  cancel(reason: string): this {
    return this.apply(cancel(this.def, this.state, { reason, now: this.now }))
  }

  /** Moves the clock. */
  advanceTo(ms: number): this {
    this.now = ms
    return this
  }

  /** Effects of the last command of one type. */
  lastOf<T extends EffectType>(type: T): Extract<Effect, { type: T }>[] {
    return this.last.filter((e): e is Extract<Effect, { type: T }> => e.type === type)
  }

  /** Effect types of the last command, in order. */
  get lastTypes(): EffectType[] {
    return this.last.map((e) => e.type)
  }
}

/** Freezes a value deeply, so any mutation by the engine throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
