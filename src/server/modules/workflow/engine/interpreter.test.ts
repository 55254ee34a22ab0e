import { beforeAll, describe, expect, it } from 'vitest'
import { chinaWorkCalendar } from '../calendar/index.js'
import {
  EngineError,
  cancel,
  checkInvariants,
  completeTask,
  definitionFromJSON,
  definitionToJSON,
  fireTimer,
  parseProcess,
  resolveService,
  start,
  visibleData,
  type EngineErrorCode,
  type ProcessDefinition,
} from './index.js'
import { Driver, beijing, deepFreeze, fixtureXml, loadFixture, sequentialIds } from './testing.js'

const calendar = chinaWorkCalendar()

function expectEngineError(fn: () => unknown, code: EngineErrorCode, message?: RegExp): void {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught, `expected EngineError ${code}`).toBeInstanceOf(EngineError)
  expect((caught as EngineError).code).toBe(code)
  if (message) expect((caught as EngineError).message).toMatch(message)
}

const defs: Record<string, ProcessDefinition> = {}
beforeAll(async () => {
  for (const name of [
    'parallel-join',
    'exclusive',
    'supplement',
    'service',
    'sla',
    'business-startup',
    'construction-permit',
  ]) {
    defs[name] = deepFreeze(await loadFixture(`${name}.bpmn`)) // the engine must never write to a definition
  }
})
const def = (name: string): ProcessDefinition => defs[name] as ProcessDefinition

describe('start', () => {
  it('creates the first task with its assignment and due time, and records the matter deadline', () => {
    const d = new Driver(def('supplement')).start({ applicant: { name: '张三' } })
    expect(d.state).toMatchObject({
      id: 'instance-1',
      status: 'running',
      revision: 1,
      definition: {
        key: 'test.supplement@1',
        processId: 'supplement',
        matter: 'test.supplement',
        version: 1,
      },
      case: { matterCode: 'test.supplement', regionCode: '430102001', channel: 'online' },
      startedAt: beijing('2026-03-09 10:00'),
      dueAt: beijing('2026-03-16 17:30'), // 5 working days
    })
    expect(d.lastTypes).toEqual(['instance.started', 'task.created'])
    expect(d.lastOf('task.created')[0]).toEqual({
      type: 'task.created',
      taskId: 'task-1',
      nodeId: 'review',
      name: 'Review',
      assignment: { kind: 'department', departmentKind: 'civil_affairs', level: 'county', role: 'official' },
      slaDays: 3,
      createdAt: beijing('2026-03-09 10:00'),
      dueAt: beijing('2026-03-12 17:30'),
      fields: ['applicant', 'documents'],
      outcomes: ['approve', 'reject', 'supplement'],
      iteration: 1,
    })
  })

  it('returns state and effects that share nothing with the (frozen) definition', () => {
    const d = new Driver(def('supplement')).start()
    const task = d.task('review')
    expect(Object.isFrozen(task.assignment)).toBe(false)
    const created = d.lastOf('task.created')[0]!
    expect(
      Object.isFrozen(created.fields) ||
        Object.isFrozen(created.outcomes) ||
        Object.isFrozen(created.assignment),
    ).toBe(false)
  })

  it('refuses data that is not plain JSON and cases of another matter', () => {
    const base = {
      case: { matterCode: 'test.supplement', regionCode: '4301', channel: 'online' },
      now: 0,
      newId: sequentialIds(),
      calendar,
    }
    expectEngineError(
      () => start(def('supplement'), { ...base, data: [] as never }),
      'INVALID_COMMAND',
      /JSON object/,
    )
    expectEngineError(
      () => start(def('supplement'), { ...base, data: { when: new Date() } }),
      'INVALID_COMMAND',
      /data.when is not plain JSON/,
    )
    expectEngineError(
      () => start(def('supplement'), { ...base, data: { n: Number.NaN } }),
      'INVALID_COMMAND',
      /finite/,
    )
    expectEngineError(
      () => start(def('supplement'), { ...base, data: { x: undefined } }),
      'INVALID_COMMAND',
      /undefined/,
    )
    expectEngineError(
      () => start(def('supplement'), { ...base, data: {}, case: { ...base.case, matterCode: 'other' } }),
      'INVALID_COMMAND',
      /matter other/,
    )
    expectEngineError(
      () => start(def('supplement'), { ...base, data: {}, now: Number.NaN }),
      'INVALID_COMMAND',
      /now/,
    )
  })
})

describe('parallel split and join', () => {
  it('opens both department tasks at once; the join waits for both, in either order', () => {
    for (const order of [
      ['review_market', 'review_tax'],
      ['review_tax', 'review_market'],
    ]) {
      const d = new Driver(def('parallel-join')).start()
      expect(d.openTasks.map((t) => t.nodeId)).toEqual(['review_market', 'review_tax'])
      expect(d.lastOf('gateway.taken')).toEqual([
        {
          type: 'gateway.taken',
          nodeId: 'split',
          kind: 'parallel',
          flowIds: ['f_market', 'f_tax'],
          reason: 'split',
          evaluated: [],
        },
      ])
      d.complete(order[0]!, 'approve')
      expect(d.state.status).toBe('running')
      expect(d.state.tokens.filter((t) => t.wait === 'join')).toHaveLength(1)
      expect(d.openTasks.map((t) => t.nodeId)).toEqual([order[1]])
      expect(d.lastTypes).toEqual(['task.completed'])
      d.complete(order[1]!, 'approve')
      expect(d.lastTypes).toEqual(['task.completed', 'gateway.taken', 'instance.completed'])
      expect(d.lastOf('gateway.taken')[0]).toMatchObject({ nodeId: 'join', reason: 'join' })
      expect(d.state).toMatchObject({
        status: 'completed',
        result: { status: 'completed', endEventId: 'end' },
        tokens: [],
        tasks: {},
        timers: {},
      })
    }
  })

  it('runs the four business start-up departments in parallel after window acceptance', () => {
    const d = new Driver(def('business-startup')).start(
      { company: { name: '星城示例科技有限公司' } },
      { channel: 'window' },
    )
    expect(d.task('accept').assignment).toEqual({
      kind: 'department',
      departmentKind: 'service_center',
      level: 'street',
      role: 'clerk',
    })
    expect(d.task('accept').dueAt).toBe(beijing('2026-03-10 13:15')) // half a working day: counted on the next working day
    d.complete('accept', 'approve')
    const reviews = ['review_market', 'review_tax', 'review_hrss', 'review_seal']
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(reviews)
    expect(
      d.openTasks.map((t) => (t.assignment.kind === 'department' ? t.assignment.departmentKind : null)),
    ).toEqual(['market_regulation', 'tax', 'human_resources_social_security', 'public_security'])
    expect(d.lastOf('timer.scheduled')).toHaveLength(4)
    // tax asks for a supplement while the others go on
    d.complete('review_tax', 'supplement')
    expect(d.task('tax_supplement').assignment).toEqual({ kind: 'applicant' })
    d.complete('review_seal', 'approve').complete('review_market', 'approve')
    d.complete('tax_supplement', 'submit', { invoice: { type: '增值税普通发票' } })
    expect(d.task('review_tax').iteration).toBe(2)
    d.complete('review_hrss', 'approve')
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['review_tax'])
    d.complete('review_tax', 'approve')
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['issue'])
    d.complete('issue', 'approve')
    expect(d.state.status).toBe('completed')
    expect(d.state.data).toEqual({
      company: { name: '星城示例科技有限公司' },
      invoice: { type: '增值税普通发票' },
    })
    expect(d.log.filter((e) => e.type === 'timer.cancelled')).toHaveLength(5) // every review's warning timer (tax twice)
  })

  it('a rejection in one branch terminates the others', () => {
    const d = new Driver(def('business-startup')).start()
    d.complete('accept', 'approve').complete('review_market', 'approve').complete('review_tax', 'reject')
    expect(d.lastTypes).toEqual([
      'task.completed',
      'timer.cancelled',
      'gateway.taken',
      'task.cancelled',
      'timer.cancelled',
      'task.cancelled',
      'timer.cancelled',
      'instance.rejected',
    ])
    expect(d.lastOf('task.cancelled').map((e) => [e.nodeId, e.reason])).toEqual([
      ['review_hrss', 'terminated'],
      ['review_seal', 'terminated'],
    ])
    expect(d.state).toMatchObject({
      status: 'rejected',
      result: { status: 'rejected', endEventId: 'rejected' },
      tokens: [],
      tasks: {},
      timers: {},
    })
  })
})

describe('exclusive gateways', () => {
  it('takes the first true FEEL condition over the data, else the default flow', () => {
    const big = new Driver(def('exclusive')).start({ amount: 5000 })
    expect(big.openTasks.map((t) => t.nodeId)).toEqual(['review_city'])
    expect(big.lastOf('gateway.taken')[0]).toEqual({
      type: 'gateway.taken',
      nodeId: 'by_amount',
      kind: 'exclusive',
      flowIds: ['f_big'],
      reason: 'condition',
      evaluated: [{ flowId: 'f_big', condition: 'data.amount > 1000', value: true }],
    })
    const small = new Driver(def('exclusive')).start({ amount: 20 })
    expect(small.openTasks.map((t) => t.nodeId)).toEqual(['review_county'])
    expect(small.lastOf('gateway.taken')[0]).toMatchObject({
      flowIds: ['f_small'],
      reason: 'default',
      evaluated: [{ flowId: 'f_big', value: false }],
    })
    const missing = new Driver(def('exclusive')).start({})
    expect(missing.openTasks.map((t) => t.nodeId)).toEqual(['review_county']) // null counts as false
    expect(missing.lastOf('gateway.taken')[0]?.evaluated).toEqual([
      { flowId: 'f_big', condition: 'data.amount > 1000', value: null },
    ])
  })

  it('routes on the outcome of the last task: approve completes, reject ends rejected', () => {
    const ok = new Driver(def('exclusive')).start({ amount: 1 }).complete('review_county', 'approve')
    expect(ok.state.result).toMatchObject({ status: 'completed', endEventId: 'end_ok' })
    expect(ok.state.outcomes).toEqual({ review_county: 'approve' })
    const no = new Driver(def('exclusive')).start({ amount: 1 }).complete('review_county', 'reject')
    expect(no.state).toMatchObject({
      status: 'rejected',
      result: { status: 'rejected', endEventId: 'end_rejected' },
    })
    expect(no.lastOf('instance.rejected')).toEqual([
      { type: 'instance.rejected', endEventId: 'end_rejected', at: no.now },
    ])
  })

  it('fails the command, leaving the state as it was, when no flow matches', async () => {
    const strict = await parseProcess(
      fixtureXml('exclusive.bpmn')
        .replace(' default="f_small"', '')
        .replace(
          '<bpmn:sequenceFlow id="f_small" sourceRef="by_amount" targetRef="review_county" />',
          '<bpmn:sequenceFlow id="f_small" sourceRef="by_amount" targetRef="review_county"><bpmn:conditionExpression>data.amount &lt;= 1000</bpmn:conditionExpression></bpmn:sequenceFlow>',
        ),
    )
    expectEngineError(
      () => new Driver(strict).start({}),
      'NO_FLOW_MATCHED',
      /by_amount: no condition is true and there is no default flow/,
    )
    expect(new Driver(strict).start({ amount: 3 }).openTasks.map((t) => t.nodeId)).toEqual(['review_county'])
  })
})

describe('supplement loop (补正)', () => {
  it('review → supplement → applicant task → review again → approve → completed', () => {
    const d = new Driver(def('supplement')).start({
      applicant: { name: '李四' },
      documents: { idCard: null },
    })
    d.complete('review', 'supplement')
    const supplement = d.task('supplement_docs')
    expect(supplement).toMatchObject({
      assignment: { kind: 'applicant' },
      iteration: 1,
      dueAt: beijing('2026-03-16 17:30'),
    })
    expect(d.lastOf('task.created')[0]).toMatchObject({
      nodeId: 'supplement_docs',
      outcomes: ['submit', 'approve'],
      fields: ['documents'],
    })
    // the applicant may change only the documents
    expectEngineError(
      () =>
        completeTask(def('supplement'), d.state, {
          taskId: supplement.id,
          outcome: 'submit',
          data: { applicant: { name: 'x' } },
          now: d.now,
          newId: d.newId,
          calendar,
        }),
      'FIELD_NOT_WRITABLE',
      /may change only documents; not applicant.name/,
    )
    expectEngineError(
      () =>
        completeTask(def('supplement'), d.state, {
          taskId: supplement.id,
          outcome: 'reject',
          now: d.now,
          newId: d.newId,
          calendar,
        }),
      'OUTCOME_NOT_ALLOWED',
      /allows submit, approve/,
    )
    d.advanceTo(beijing('2026-03-11 09:00')).complete('supplement_docs', 'submit', {
      documents: { idCard: 'sha256:ab12' },
    })
    expect(d.lastOf('task.completed')[0]).toMatchObject({
      outcome: 'submit',
      changedFields: ['documents.idCard'],
    })
    const again = d.task('review')
    expect(again.iteration).toBe(2)
    expect(again.dueAt).toBe(beijing('2026-03-16 17:30')) // a new time limit from re-submission
    d.complete('review', 'approve')
    expect(d.state).toMatchObject({
      status: 'completed',
      data: { applicant: { name: '李四' }, documents: { idCard: 'sha256:ab12' } },
      visits: { review: 2, supplement_docs: 1 },
    })
  })

  it('projects the case data to the fields a node may see', () => {
    const data = {
      applicant: { name: '王五', idNumber: '430102199001011234' },
      project: { floorArea: 12000, name: 'A' },
      secret: 1,
    }
    expect(visibleData(data, ['applicant.name', 'project'])).toEqual({
      applicant: { name: '王五' },
      project: { floorArea: 12000, name: 'A' },
    })
    expect(visibleData(data, ['*'])).toEqual(data)
    expect(visibleData(data, ['missing.path'])).toEqual({})
  })
})

describe('service tasks', () => {
  it('requests a lookup, waits, and feeds the result to a condition', () => {
    const d = new Driver(def('service')).start({}, { regionCode: '430102001' })
    expect(d.lastOf('service.requested')).toEqual([
      {
        type: 'service.requested',
        serviceCallId: 'serviceCall-1',
        nodeId: 'lookup',
        service: 'household.lookup',
        resultVariable: 'household',
        attempt: 1,
      },
    ])
    expect(d.openTasks).toEqual([])
    d.resolve('lookup', { registered: true, regionCode: '430102001' })
    expect(d.state.variables).toEqual({ household: { registered: true, regionCode: '430102001' } })
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['fast_track'])
    expect(d.task('fast_track').assignment).toMatchObject({ role: 'clerk' })
    const other = new Driver(def('service'))
      .start({}, { regionCode: '430102001' })
      .resolve('lookup', { registered: true, regionCode: '430999001' })
    expect(other.openTasks.map((t) => t.nodeId)).toEqual(['manual_check'])
    const none = new Driver(def('service')).start().resolve('lookup', null)
    expect(none.openTasks.map((t) => t.nodeId)).toEqual(['manual_check'])
  })

  it('a failed lookup is an incident the instance waits on; retry and resolve clear it', () => {
    const d = new Driver(def('service')).start()
    d.failService('lookup', 'household registry timed out')
    expect(d.lastTypes).toEqual(['service.failed', 'incident.raised'])
    expect(d.state.incidents).toEqual({
      'incident-1': {
        id: 'incident-1',
        kind: 'service_failed',
        nodeId: 'lookup',
        serviceCallId: 'serviceCall-1',
        message: 'household registry timed out',
        raisedAt: d.now,
      },
    })
    expectEngineError(() => d.failService('lookup', 'again'), 'SERVICE_CALL_NOT_PENDING', /already failed/)
    d.retryService('lookup')
    expect(d.lastOf('service.requested')[0]).toMatchObject({ serviceCallId: 'serviceCall-1', attempt: 2 })
    expect(d.state.incidents).toEqual({})
    expectEngineError(() => d.retryService('lookup'), 'SERVICE_CALL_NOT_FAILED')
    d.failService('lookup', 'still down').resolve('lookup', { registered: false })
    expect(d.lastTypes.slice(0, 2)).toEqual(['incident.resolved', 'service.resolved'])
    expect(d.state.incidents).toEqual({})
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['manual_check'])
  })

  it('refuses results that are not JSON and unknown calls', () => {
    const d = new Driver(def('service')).start()
    expectEngineError(() => d.resolve('lookup', undefined), 'INVALID_COMMAND', /result is required/)
    expectEngineError(() => d.resolve('lookup', { f: () => 1 }), 'INVALID_COMMAND', /function/)
    d.resolve('lookup', null)
    expectEngineError(
      () =>
        resolveService(def('service'), d.state, {
          serviceCallId: 'serviceCall-1',
          result: null,
          now: d.now,
          newId: d.newId,
          calendar,
        }),
      'SERVICE_CALL_NOT_PENDING',
    )
  })
})

describe('SLA timers', () => {
  it('warns at 0.8 of slaDays without interrupting, breaches at 1 by moving the case to the supervisor', () => {
    const d = new Driver(def('sla')).start()
    const review = d.task('review')
    expect(review.dueAt).toBe(beijing('2026-03-16 17:30')) // 5 working days
    const scheduled = d.lastOf('timer.scheduled')
    expect(scheduled.map((t) => [t.boundaryId, t.dueAt, t.interrupting, t.sla, t.escalate])).toEqual([
      ['warn', beijing('2026-03-13 17:30'), false, 'warn', null], // 4 working days
      ['reminder', beijing('2026-03-11 17:30'), false, null, null], // P2D
      ['breach', beijing('2026-03-16 17:30'), true, 'breach', 'supervisor'],
    ])
    const warn = d.timer('warn')
    expectEngineError(
      () =>
        fireTimer(def('sla'), d.state, {
          timerId: warn,
          now: beijing('2026-03-13 17:29'),
          newId: d.newId,
          calendar,
        }),
      'TIMER_NOT_DUE',
    )
    d.fire(d.timer('reminder'))
    expect(d.lastTypes).toEqual(['timer.fired'])
    d.fire(warn)
    expect(d.lastTypes).toEqual(['timer.fired', 'sla.warned'])
    expect(d.lastOf('sla.warned')[0]).toMatchObject({
      taskId: review.id,
      nodeId: 'review',
      taskDueAt: review.dueAt,
    })
    expect(d.task('review').timerIds).toEqual([d.timer('breach')])
    expectEngineError(() => d.fire(warn), 'TIMER_NOT_PENDING')
    d.fire(d.timer('breach'))
    expect(d.lastTypes).toEqual([
      'timer.fired',
      'sla.breached',
      'escalated',
      'task.cancelled',
      'task.created',
    ])
    expect(d.lastOf('escalated')[0]).toMatchObject({
      to: 'supervisor',
      taskOpen: false,
      assignment: { departmentKind: 'natural_resources', level: 'county' },
    })
    expect(d.lastOf('task.cancelled')[0]).toMatchObject({
      taskId: review.id,
      reason: 'boundary',
      boundaryId: 'breach',
    })
    const escalation = d.task('escalation')
    expect(escalation.assignment).toMatchObject({ role: 'supervisor' })
    expect(escalation.dueAt).toBe(beijing('2026-03-18 17:30')) // created at 17:30 sharp: received the next working day
    expectEngineError(() => d.complete(review.id, 'approve'), 'TASK_NOT_OPEN')
    d.complete('escalation', 'approve')
    expect(d.state.status).toBe('completed')
  })

  it('cancels the timers of a task completed in time', () => {
    const d = new Driver(def('sla')).start()
    const timers = d.task('review').timerIds
    d.complete('review', 'approve')
    expect(d.lastOf('timer.cancelled').map((t) => [t.timerId, t.reason])).toEqual(
      timers.map((id) => [id, 'task.completed']),
    )
    expect(d.state).toMatchObject({ status: 'completed', timers: {} })
    expectEngineError(
      () => fireTimer(def('sla'), d.state, { timerId: timers[0]!, now: d.now, newId: d.newId, calendar }),
      'INSTANCE_NOT_RUNNING',
    )
  })

  it('a non-interrupting breach escalates and leaves the task open (construction permit, planning review)', () => {
    const d = new Driver(def('construction-permit')).start({ project: { floorArea: 8000 } })
    d.complete('accept', 'approve').resolve('land_lookup', { parcel: '4301-0001', use: 'commercial' })
    const planning = d.task('review_planning')
    d.fire(d.timer('planning_warn')).fire(d.timer('planning_breach'))
    expect(d.lastTypes).toEqual(['timer.fired', 'sla.breached', 'escalated'])
    expect(d.lastOf('escalated')[0]).toMatchObject({ taskId: planning.id, taskOpen: true })
    expect(d.task('review_planning').id).toBe(planning.id)
    expect(d.task('review_planning').timerIds).toEqual([])
  })
})

describe('construction permit (joint review, conditional branch)', () => {
  const runTo = (floorArea: number): Driver => {
    const d = new Driver(def('construction-permit')).start({ project: { name: '星城中心', floorArea } })
    d.complete('accept', 'approve').resolve('land_lookup', { parcel: 'P-1' })
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['review_planning', 'review_construction'])
    return d.complete('review_construction', 'approve').complete('review_planning', 'approve')
  }

  it('adds the ecology-environment review above 10 000 m²', () => {
    const big = runTo(12_000)
    expect(big.openTasks.map((t) => t.nodeId)).toEqual(['review_environment'])
    big.complete('review_environment', 'approve').complete('issue', 'approve')
    expect(big.state.result).toMatchObject({ status: 'completed', endEventId: 'completed' })
    const small = runTo(10_000)
    expect(small.openTasks.map((t) => t.nodeId)).toEqual(['issue'])
    expect(small.lastOf('gateway.taken').find((g) => g.nodeId === 'large_project')).toMatchObject({
      reason: 'default',
      flowIds: ['f_small_project'],
    })
  })

  it('an interrupting breach moves housing-construction review to its supervisor, and the join still waits for it', () => {
    const d = new Driver(def('construction-permit')).start({ project: { floorArea: 500 } })
    d.complete('accept', 'approve').resolve('land_lookup', {})
    d.complete('review_planning', 'approve')
    d.fire(d.timer('construction_warn'))
    expect(d.lastTypes).toEqual(['timer.fired', 'sla.warned'])
    d.fire(d.timer('construction_breach'))
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['construction_escalated'])
    d.complete('construction_escalated', 'approve')
    expect(d.openTasks.map((t) => t.nodeId)).toEqual(['issue'])
  })
})

describe('commands that are refused', () => {
  it('never touch the state they are given', () => {
    const d = new Driver(def('supplement')).start()
    const frozen = deepFreeze(structuredClone(d.state))
    const task = d.task('review')
    const cmd = { now: d.now, newId: d.newId, calendar }
    expectEngineError(
      () => completeTask(def('supplement'), frozen, { ...cmd, taskId: 'nope', outcome: 'approve' }),
      'TASK_NOT_OPEN',
      /task nope is not open/,
    )
    expectEngineError(
      () => completeTask(def('supplement'), frozen, { ...cmd, taskId: 'constructor', outcome: 'approve' }),
      'TASK_NOT_OPEN',
    )
    expectEngineError(
      () => completeTask(def('supplement'), frozen, { ...cmd, taskId: task.id, outcome: 'escalate' }),
      'OUTCOME_NOT_ALLOWED',
    )
    expectEngineError(
      () =>
        completeTask(def('supplement'), frozen, {
          ...cmd,
          taskId: task.id,
          outcome: 'approve',
          data: { 'a.b': 1 },
        }),
      'INVALID_COMMAND',
      /no dots/,
    )
    expectEngineError(
      () =>
        completeTask(def('supplement'), frozen, {
          ...cmd,
          taskId: task.id,
          outcome: 'approve',
          data: JSON.parse('{"__proto__": {"x": 1}}'),
        }),
      'INVALID_COMMAND',
      /__proto__/,
    )
    expectEngineError(
      () => fireTimer(def('supplement'), frozen, { ...cmd, timerId: 'timer-9' }),
      'TIMER_NOT_PENDING',
    )
    expectEngineError(
      () =>
        completeTask(def('supplement'), frozen, {
          ...cmd,
          newId: () => 'instance-1',
          taskId: task.id,
          outcome: 'supplement',
        }),
      'DUPLICATE_ID',
      /instance-1/,
    )
    expectEngineError(
      () =>
        completeTask(def('supplement'), frozen, {
          ...cmd,
          newId: () => '',
          taskId: task.id,
          outcome: 'supplement',
        }),
      'INVALID_COMMAND',
      /non-empty/,
    )
    // a successful command on the frozen state works on a copy
    const step = completeTask(def('supplement'), frozen, { ...cmd, taskId: task.id, outcome: 'supplement' })
    expect(step.state.revision).toBe(2)
    expect(frozen.revision).toBe(1)
  })

  it('refuses duplicate ids from newId', () => {
    const d = new Driver(def('supplement')).start()
    expectEngineError(
      () =>
        completeTask(def('supplement'), d.state, {
          taskId: d.task('review').id,
          outcome: 'supplement',
          now: d.now,
          newId: () => 'task-1',
          calendar,
        }),
      'DUPLICATE_ID',
      /task-1/,
    )
  })

  it('refuses a task completed twice and commands on ended instances', () => {
    const d = new Driver(def('supplement')).start()
    const taskId = d.task('review').id
    const before = d.state
    d.complete(taskId, 'approve')
    expectEngineError(
      () =>
        completeTask(def('supplement'), before, {
          taskId: 'task-x',
          outcome: 'approve',
          now: d.now,
          newId: d.newId,
          calendar,
        }),
      'TASK_NOT_OPEN',
    )
    expectEngineError(
      () =>
        completeTask(def('supplement'), d.state, {
          taskId,
          outcome: 'approve',
          now: d.now,
          newId: d.newId,
          calendar,
        }),
      'INSTANCE_NOT_RUNNING',
      /completed/,
    )
    expectEngineError(() => d.cancel('late'), 'INSTANCE_NOT_RUNNING')
  })

  it('cancels a running instance and everything open in it', () => {
    const d = new Driver(def('business-startup')).start()
    d.complete('accept', 'approve')
    expectEngineError(
      () => cancel(def('business-startup'), d.state, { reason: ' ', now: d.now }),
      'INVALID_COMMAND',
    )
    d.cancel('withdrawn by the applicant')
    expect(d.lastOf('task.cancelled').map((e) => e.reason)).toEqual([
      'instance.cancelled',
      'instance.cancelled',
      'instance.cancelled',
      'instance.cancelled',
    ])
    expect(d.lastOf('timer.cancelled')).toHaveLength(4)
    expect(d.state).toMatchObject({
      status: 'cancelled',
      result: { status: 'cancelled', reason: 'withdrawn by the applicant', endEventId: null },
      tasks: {},
      timers: {},
      tokens: [],
    })
  })
})

describe('versioning', () => {
  it('an instance carries its definition and is driven only by it, also after a JSON round trip', async () => {
    const v1 = def('supplement')
    const v2 = await parseProcess(
      fixtureXml('supplement.bpmn')
        .replace('xzt:version="1"', 'xzt:version="2"')
        .replace('xzt:slaDays="3"', 'xzt:slaDays="2"'),
    )
    const d = new Driver(v1).start()
    expect(d.state.definition).toEqual({
      key: 'test.supplement@1',
      processId: 'supplement',
      matter: 'test.supplement',
      version: 1,
    })
    expectEngineError(
      () =>
        completeTask(v2, d.state, {
          taskId: d.task('review').id,
          outcome: 'approve',
          now: d.now,
          newId: d.newId,
          calendar,
        }),
      'DEFINITION_MISMATCH',
      /runs test.supplement@1; it cannot be driven by test.supplement@2/,
    )
    // the stored v1 definition (JSON) keeps driving the stored v1 state (JSON)
    const storedDef = definitionFromJSON(definitionToJSON(v1))
    const storedState = JSON.parse(JSON.stringify(d.state))
    const step = completeTask(storedDef, storedState, {
      taskId: d.task('review').id,
      outcome: 'supplement',
      now: d.now,
      newId: d.newId,
      calendar,
    })
    expect(step.state.definition.version).toBe(1)
    expect(checkInvariants(storedDef, step.state)).toEqual([])
    // a v2 instance started meanwhile gets v2's time limits
    const d2 = new Driver(v2).start()
    expect(d2.task('review').slaDays).toBe(2)
  })

  it('instance states round-trip through JSON at every step', () => {
    const d = new Driver(def('construction-permit')).start({ project: { floorArea: 20_000 } })
    const check = (): void => {
      expect(JSON.parse(JSON.stringify(d.state))).toStrictEqual(d.state)
    }
    check()
    d.complete('accept', 'supplement')
    check()
    d.complete('accept_supplement', 'submit', { materials: { site: 'sha256:01' } }).complete(
      'accept',
      'approve',
    )
    check()
    d.failService('land_lookup', 'timeout')
      .retryService('land_lookup')
      .resolve('land_lookup', { parcel: 'P' })
    check()
    d.fire(d.timer('construction_breach'))
    check()
  })
})

describe('run-time guards', () => {
  it('stops automatic loops that deploy-time checks cannot see', async () => {
    // A loop through gateways that the parser would refuse, built by editing a stored definition.
    const good = await loadFixture('exclusive.bpmn')
    const looping = structuredClone(good)
    looping.flows.f_decide!.target = 'merge' // merge → merge instead of merge → decision
    looping.nodes.merge!.incoming.push('f_decide')
    looping.nodes.decision!.incoming = []
    const d = new Driver(looping).start({ amount: 1 })
    expectEngineError(
      () => d.complete('review_county', 'approve'),
      'AUTOMATIC_LOOP',
      /more than 1000 automatic steps/,
    )
    expectEngineError(
      () =>
        completeTask(looping, d.state, {
          taskId: d.task('review_county').id,
          outcome: 'approve',
          now: d.now,
          newId: d.newId,
          calendar,
          maxAutomaticSteps: 10,
        }),
      'AUTOMATIC_LOOP',
      /more than 10/,
    )
  })

  it('reports a parallel join that can no longer fire', async () => {
    const xml = fixtureXml('parallel-join.bpmn')
      .replace(
        'xzt:slaDays="2" xzt:outcomes="approve" />\n    <bpmn:userTask id="review_tax"',
        'xzt:slaDays="2" xzt:outcomes="approve,reject" />\n    <bpmn:userTask id="review_tax"',
      )
      .replace(
        '<bpmn:sequenceFlow id="f_market_done" sourceRef="review_market" targetRef="join" />',
        `<bpmn:exclusiveGateway id="market_ok" default="f_market_stop" /><bpmn:endEvent id="market_stopped" />
    <bpmn:sequenceFlow id="f_market_check" sourceRef="review_market" targetRef="market_ok" />
    <bpmn:sequenceFlow id="f_market_done" sourceRef="market_ok" targetRef="join"><bpmn:conditionExpression>outcome = "approve"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_market_stop" sourceRef="market_ok" targetRef="market_stopped" />`,
      )
    const risky = await parseProcess(xml)
    const d = new Driver(risky).start().complete('review_market', 'reject') // ends its branch at a none end event
    expect(d.state.status).toBe('running')
    expectEngineError(() => d.complete('review_tax', 'approve'), 'DEADLOCK', /parallel join join/)
  })
})
