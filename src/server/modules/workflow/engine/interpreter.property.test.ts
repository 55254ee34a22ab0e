/**
 * Property tests: random sequences of valid (and some invalid) commands on every fixture never produce an
 * invalid state. After every step: the invariants hold (open tasks ↔ tokens at user tasks, timers belong to
 * open tasks, …), the state is plain JSON, the input state was not touched (it is frozen), and replaying the
 * effects alone rebuilds exactly the open tasks, pending timers and service calls of the state (what the
 * persistence layer will do with rows). Refused commands throw EngineError and change nothing. After the
 * instance ends, nothing is left open.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { chinaWorkCalendar } from '../calendar/index.js'
import {
  EngineError,
  cancel,
  checkInvariants,
  completeTask,
  failService,
  fireTimer,
  resolveService,
  retryService,
  start,
  type Effect,
  type InstanceState,
  type ProcessDefinition,
  type Step,
} from './index.js'
import { beijing, deepFreeze, loadFixture, sequentialIds } from './testing.js'

const calendar = chinaWorkCalendar()
const FIXTURES = [
  'parallel-join',
  'exclusive',
  'supplement',
  'service',
  'sla',
  'business-startup',
  'construction-permit',
]
const defs: Record<string, ProcessDefinition> = {}
beforeAll(async () => {
  for (const name of FIXTURES) defs[name] = deepFreeze(await loadFixture(`${name}.bpmn`))
})

/** Rows the persistence layer would hold, rebuilt from effects only. */
class Rows {
  tasks = new Set<string>()
  timers = new Set<string>()
  calls = new Set<string>()
  incidents = new Set<string>()
  apply(effects: Effect[]): void {
    for (const e of effects) {
      switch (e.type) {
        case 'task.created':
          this.tasks.add(e.taskId)
          break
        case 'task.completed':
        case 'task.cancelled':
          expect(this.tasks.delete(e.taskId), `${e.type} of a task that was not open`).toBe(true)
          break
        case 'timer.scheduled':
          this.timers.add(e.timerId)
          break
        case 'timer.fired':
        case 'timer.cancelled':
          expect(this.timers.delete(e.timerId), `${e.type} of a timer that was not pending`).toBe(true)
          break
        case 'service.requested':
          this.calls.add(e.serviceCallId)
          break
        case 'service.resolved':
        case 'service.cancelled':
          expect(this.calls.delete(e.serviceCallId)).toBe(true)
          break
        case 'incident.raised':
          this.incidents.add(e.incidentId)
          break
        case 'incident.resolved':
          expect(this.incidents.delete(e.incidentId)).toBe(true)
          break
        case 'instance.started':
        case 'instance.completed':
        case 'instance.rejected':
        case 'instance.cancelled':
        case 'service.failed':
        case 'sla.warned':
        case 'sla.breached':
        case 'escalated':
        case 'gateway.taken':
          break
      }
    }
  }
  matches(s: InstanceState): void {
    expect([...this.tasks].sort()).toEqual(Object.keys(s.tasks).sort())
    expect([...this.timers].sort()).toEqual(Object.keys(s.timers).sort())
    expect([...this.calls].sort()).toEqual(Object.keys(s.serviceCalls).sort())
    expect([...this.incidents].sort()).toEqual(Object.keys(s.incidents).sort())
  }
}

type Command = { label: string; run: (s: InstanceState) => Step }

const results = [
  null,
  { registered: true, regionCode: '430102001' },
  { registered: false },
  { parcel: 'P-1' },
]

function validCommands(
  def: ProcessDefinition,
  s: InstanceState,
  now: () => number,
  newId: ReturnType<typeof sequentialIds>,
  pick: number,
): Command[] {
  const ctx = { now: now(), newId, calendar }
  const out: Command[] = []
  for (const task of Object.values(s.tasks)) {
    const node = def.nodes[task.nodeId]
    if (node?.type !== 'userTask') continue
    for (const outcome of node.outcomes) {
      // approve is listed three times: paths tend to move forward, so instances also get completed
      const weight = outcome === 'approve' ? 3 : 1
      const data =
        node.assignment.kind === 'applicant' && node.fields[0] !== undefined
          ? patchFor(node.fields[0], pick)
          : undefined
      for (let i = 0; i < weight; i++)
        out.push({
          label: `complete ${task.nodeId} ${outcome}`,
          run: (st) => completeTask(def, st, { ...ctx, taskId: task.id, outcome, data }),
        })
    }
  }
  for (const timer of Object.values(s.timers)) {
    out.push({
      label: `fire ${timer.boundaryId}`,
      run: (st) => fireTimer(def, st, { ...ctx, now: Math.max(ctx.now, timer.dueAt), timerId: timer.id }),
    })
  }
  for (const call of Object.values(s.serviceCalls)) {
    const result = results[pick % results.length]
    out.push({
      label: `resolve ${call.nodeId}`,
      run: (st) => resolveService(def, st, { ...ctx, serviceCallId: call.id, result }),
    })
    if (call.status === 'pending')
      out.push({
        label: `fail ${call.nodeId}`,
        run: (st) => failService(def, st, { ...ctx, serviceCallId: call.id, error: 'lookup timed out' }),
      })
    else
      out.push({
        label: `retry ${call.nodeId}`,
        run: (st) => retryService(def, st, { ...ctx, serviceCallId: call.id }),
      })
  }
  if (pick % 97 === 0)
    out.push({ label: 'cancel', run: (st) => cancel(def, st, { now: ctx.now, reason: 'withdrawn' }) })
  return out
}

function patchFor(field: string, pick: number): Record<string, unknown> | undefined {
  if (field === '*') return { materials: { extra: `sha256:${pick}` } }
  const parts = field.split('.')
  const patch: Record<string, unknown> = {}
  let cur = patch
  for (const p of parts.slice(0, -1)) {
    const next: Record<string, unknown> = {}
    cur[p] = next
    cur = next
  }
  cur[parts[parts.length - 1] as string] = `v${pick}`
  return patch
}

/** Commands that must be refused in the given state. */
function invalidCommands(
  def: ProcessDefinition,
  s: InstanceState,
  now: number,
  newId: ReturnType<typeof sequentialIds>,
  closedTaskIds: string[],
  closedTimerIds: string[],
): Command[] {
  const ctx = { now, newId, calendar }
  const out: Command[] = [
    {
      label: 'complete unknown task',
      run: (st) => completeTask(def, st, { ...ctx, taskId: 'no-such-task', outcome: 'approve' }),
    },
    { label: 'fire unknown timer', run: (st) => fireTimer(def, st, { ...ctx, timerId: 'no-such-timer' }) },
    {
      label: 'resolve unknown call',
      run: (st) => resolveService(def, st, { ...ctx, serviceCallId: 'no-such-call', result: null }),
    },
  ]
  for (const taskId of closedTaskIds.slice(-2))
    out.push({
      label: 'complete closed task',
      run: (st) => completeTask(def, st, { ...ctx, taskId, outcome: 'approve' }),
    })
  for (const timerId of closedTimerIds.slice(-2))
    out.push({ label: 'fire closed timer', run: (st) => fireTimer(def, st, { ...ctx, timerId }) })
  for (const task of Object.values(s.tasks))
    out.push({
      label: 'wrong outcome',
      run: (st) => completeTask(def, st, { ...ctx, taskId: task.id, outcome: 'escalate' }),
    })
  for (const timer of Object.values(s.timers)) {
    if (timer.dueAt > now)
      out.push({
        label: 'fire early',
        run: (st) => fireTimer(def, st, { ...ctx, now: timer.dueAt - 1, timerId: timer.id }),
      })
  }
  return out
}

describe.each(FIXTURES)('random command sequences on %s', (name) => {
  it('never produce an invalid state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 * 86_400_000 }), fc.boolean()), {
          minLength: 1,
          maxLength: 60,
        }),
        (floorArea, moves) => {
          const def = defs[name] as ProcessDefinition
          const newId = sequentialIds()
          let now = beijing('2026-09-28 10:00') // National Day week ahead: due times jump over holidays
          const data = { project: { name: 'P', floorArea }, amount: floorArea / 10, applicant: { name: 'A' } }
          let step = start(def, {
            data,
            case: { matterCode: def.matter, regionCode: '430102001', channel: 'online' },
            now,
            newId,
            calendar,
          })
          const rows = new Rows()
          rows.apply(step.effects)
          const closedTasks: string[] = []
          const closedTimers: string[] = []
          let state = deepFreeze(step.state)
          expect(checkInvariants(def, state)).toEqual([])
          for (const [pick, wait, tryInvalid] of moves) {
            if (state.status !== 'running') break
            now += wait
            if (tryInvalid) {
              const bad = invalidCommands(def, state, now, newId, closedTasks, closedTimers)
              const cmd = bad[pick % bad.length] as Command
              const before = JSON.stringify(state)
              expect(() => cmd.run(state), cmd.label).toThrow(EngineError)
              expect(JSON.stringify(state)).toBe(before)
              continue
            }
            const valid = validCommands(def, state, () => now, newId, pick)
            expect(valid.length, 'a running instance always has something to do').toBeGreaterThan(0)
            const cmd = valid[pick % valid.length] as Command
            step = cmd.run(state) // throws if the frozen input were written to
            if (cmd.label.startsWith('fire')) now = Math.max(now, step.state.updatedAt)
            expect(checkInvariants(def, step.state), cmd.label).toEqual([])
            expect(step.state.revision).toBe(state.revision + 1)
            expect(JSON.parse(JSON.stringify(step.state))).toStrictEqual(step.state)
            rows.apply(step.effects)
            rows.matches(step.state)
            for (const e of step.effects) {
              if (e.type === 'task.completed' || e.type === 'task.cancelled') closedTasks.push(e.taskId)
              if (e.type === 'timer.fired' || e.type === 'timer.cancelled') closedTimers.push(e.timerId)
            }
            state = deepFreeze(step.state)
          }
          if (state.status !== 'running') {
            expect(state.tokens).toEqual([])
            expect(state.tasks).toEqual({})
            expect(state.timers).toEqual({})
            expect(state.serviceCalls).toEqual({})
            expect(state.result?.status).toBe(state.status)
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe('random walks reach every ending', () => {
  it('business start-up ends completed and rejected across runs', () => {
    const seen = new Set<string>()
    const def = defs['business-startup'] as ProcessDefinition
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 80, maxLength: 80 }), (picks) => {
        const newId = sequentialIds()
        let now = beijing('2026-03-09 10:00')
        let state = start(def, {
          data: {},
          case: { matterCode: def.matter, regionCode: '430102001', channel: 'window' },
          now,
          newId,
          calendar,
        }).state
        for (const pick of picks) {
          if (state.status !== 'running') break
          now += 3_600_000
          const valid = validCommands(def, state, () => now, newId, pick)
          const step = (valid[pick % valid.length] as Command).run(state)
          now = Math.max(now, step.state.updatedAt)
          state = step.state
        }
        seen.add(state.status)
      }),
      { numRuns: 300 },
    )
    expect(seen).toContain('completed')
    expect(seen).toContain('rejected')
  })
})
