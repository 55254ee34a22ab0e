import { BpmnModdle } from 'bpmn-moddle'
import { describe, expect, it } from 'vitest'
import {
  DeployError,
  definitionFromJSON,
  definitionToJSON,
  parseProcess,
  summarizeProcess,
  xztModdleDescriptor,
  type DeployProblem,
  type ProcessDefinition,
  type UserTaskNode,
} from './index.js'
import { fixtureXml, loadFixture } from './testing.js'

/** A process around `body`, with the xzt namespace and sensible process attributes. */
const processXml = (
  body: string,
  processAttrs = 'xzt:matter="test.m" xzt:version="1" xzt:slaDays="5"',
  extraRoots = '',
): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:xzt="https://xingzhengtong.gov.cn/schema/bpmn/1" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="t">
  ${extraRoots}
  <bpmn:process id="p" isExecutable="true" ${processAttrs}>
${body}
  </bpmn:process>
</bpmn:definitions>`

/** start → {task} → end, where {task} is the given element with id "t". */
const around = (task: string, extra = ''): string =>
  processXml(`<bpmn:startEvent id="s"/>${task}<bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>${extra}`)

async function problemsOf(xml: string): Promise<DeployProblem[]> {
  try {
    await parseProcess(xml)
  } catch (err) {
    expect(err).toBeInstanceOf(DeployError)
    return (err as DeployError).problems
  }
  throw new Error('expected the process to be refused')
}

/** Asserts one of the problems is about `elementId` and matches `message`. */
async function expectRefused(xml: string, elementId: string, message: RegExp): Promise<void> {
  const problems = await problemsOf(xml)
  expect(problems, JSON.stringify(problems, null, 1)).toContainEqual({
    elementId,
    message: expect.stringMatching(message),
  })
}

describe('the xzt moddle extension', () => {
  it('keeps typed xzt attributes', async () => {
    const moddle = new BpmnModdle({ xzt: xztModdleDescriptor })
    const { rootElement, warnings } = await moddle.fromXML(fixtureXml('sla.bpmn'))
    expect(warnings).toEqual([])
    const proc = (
      rootElement.rootElements as {
        get(n: string): unknown
        flowElements: { id: string; get(n: string): unknown }[]
      }[]
    )[0]!
    expect(proc.get('xzt:version')).toBe(1)
    expect(proc.get('xzt:slaDays')).toBe(8)
    const review = proc.flowElements.find((e) => e.id === 'review')!
    expect(review.get('xzt:slaDays')).toBe(5)
    expect(review.get('xzt:department')).toBe('natural_resources')
    const breach = proc.flowElements.find((e) => e.id === 'breach')!
    expect(breach.get('xzt:atSla')).toBe(1)
    expect(breach.get('xzt:escalate')).toBe('supervisor')
  })
})

describe('parseProcess', () => {
  it('builds a plain definition with the xzt attributes', async () => {
    const def = await loadFixture('business-startup.bpmn')
    expect(def).toMatchObject({
      schema: 1,
      key: 'business-startup@2',
      processId: 'business_startup',
      matter: 'business-startup',
      version: 2,
      slaDays: 3,
      startNodeId: 'submitted',
      name: '企业开办',
    })
    expect(def.nodes.accept).toMatchObject({
      type: 'userTask',
      assignment: { kind: 'department', departmentKind: 'service_center', level: 'street', role: 'clerk' },
      slaDays: 0.5,
      fields: ['*'],
      outcomes: ['approve', 'reject', 'supplement'],
    })
    expect(def.nodes.review_tax).toMatchObject({
      fields: ['company.name', 'company.creditCode', 'company.address', 'applicant.idNumber', 'invoice'],
      boundaryIds: ['review_tax_warn'],
    })
    expect(def.nodes.accept_supplement).toMatchObject({
      assignment: { kind: 'applicant' },
      outcomes: ['submit', 'approve'],
    })
    expect(def.nodes.rejected).toMatchObject({ type: 'endEvent', result: 'rejected' })
    expect(def.nodes.split).toMatchObject({
      type: 'parallelGateway',
      outgoing: ['f_to_market', 'f_to_tax', 'f_to_hrss', 'f_to_seal'],
    })
    expect(def.nodes.join?.incoming).toEqual(['f_market_ok', 'f_tax_ok', 'f_hrss_ok', 'f_seal_ok'])
    expect(def.flows.f_accepted?.condition).toBe('outcome = "approve"') // leading "=" stripped
    expect(def.boundaries.review_market_warn).toEqual({
      id: 'review_market_warn',
      name: null,
      attachedTo: 'review_market',
      interrupting: false,
      timer: { kind: 'atSla', fraction: 0.8 },
      sla: 'warn',
      escalate: null,
      outgoing: null,
    })
    // text annotations, associations, documentation and diagram interchange are ignored
    expect(Object.keys(def.nodes)).not.toContain('note_parallel')
  })

  it('reads timers given as durations, on the event or on the timer definition', async () => {
    const def = await loadFixture('construction-permit.bpmn')
    expect(def.boundaries.construction_warn?.timer).toEqual({ kind: 'duration', duration: 'P4D' })
    expect(def.boundaries.construction_breach).toMatchObject({
      interrupting: true,
      sla: 'breach',
      escalate: 'supervisor',
      outgoing: 'f_construction_overdue',
    })
    expect(def.nodes.land_lookup).toMatchObject({
      type: 'serviceTask',
      service: 'real_estate.land_lookup',
      resultVariable: 'land',
    })
    expect(def.nodes.large_project).toMatchObject({
      type: 'exclusiveGateway',
      defaultFlow: 'f_small_project',
    })
    const sla = await loadFixture('sla.bpmn')
    expect(sla.boundaries.warn?.timer).toEqual({ kind: 'atSla', fraction: 0.8 }) // on timerEventDefinition
    expect(sla.boundaries.breach?.timer).toEqual({ kind: 'atSla', fraction: 1 }) // on boundaryEvent
  })

  it('summarises who acts, and in parallel', async () => {
    const s = summarizeProcess(await loadFixture('business-startup.bpmn'))
    expect(s.parallel).toBe(true)
    expect(s.supplement).toBe(true)
    expect(s.parallelGroups).toEqual([
      {
        gatewayId: 'split',
        branches: [
          ['review_market', 'market_supplement'],
          ['review_tax', 'tax_supplement'],
          ['review_hrss', 'hrss_supplement'],
          ['review_seal', 'seal_supplement'],
        ],
      },
    ])
    expect(s.departments).toEqual([
      { departmentKind: 'service_center', level: 'street' },
      { departmentKind: 'market_regulation', level: 'county' },
      { departmentKind: 'tax', level: 'county' },
      { departmentKind: 'human_resources_social_security', level: 'county' },
      { departmentKind: 'public_security', level: 'county' },
      { departmentKind: 'data_bureau', level: 'county' },
    ])
    expect(s.userTasks.find((t) => t.id === 'review_seal')?.timers).toEqual([
      { id: 'review_seal_warn', sla: 'warn', interrupting: false, escalate: null },
    ])
    const permit = summarizeProcess(await loadFixture('construction-permit.bpmn'))
    expect(permit.parallelGroups[0]?.branches.map((b) => b[0])).toEqual([
      'review_planning',
      'review_construction',
    ])
    expect(permit.serviceTasks).toEqual([
      {
        id: 'land_lookup',
        name: '查询不动产登记(土地)',
        service: 'real_estate.land_lookup',
        resultVariable: 'land',
      },
    ])
    expect(summarizeProcess(await loadFixture('supplement.bpmn')).parallel).toBe(false)
  })

  it('round-trips definitions through JSON and re-checks them', async () => {
    for (const name of ['business-startup.bpmn', 'construction-permit.bpmn', 'sla.bpmn', 'service.bpmn']) {
      const def = await loadFixture(name)
      const json = definitionToJSON(def)
      expect(definitionFromJSON(json)).toStrictEqual(def)
      expect(definitionFromJSON(JSON.parse(json))).toStrictEqual(def)
      expect(JSON.parse(json)).toStrictEqual(def) // nothing but plain data
    }
    const def = await loadFixture('supplement.bpmn')
    const broken = JSON.parse(definitionToJSON(def)) as ProcessDefinition
    ;(broken.nodes.review as UserTaskNode).assignment = {
      kind: 'department',
      departmentKind: 'ministry' as never,
      level: 'county',
      role: 'official',
    }
    broken.flows.f_approve!.target = 'nowhere'
    expect(() => definitionFromJSON(broken)).toThrow(DeployError)
    try {
      definitionFromJSON(broken)
    } catch (err) {
      const ids = (err as DeployError).problems.map((p) => p.elementId)
      expect(ids).toEqual(expect.arrayContaining(['review', 'f_approve']))
    }
    expect(() => definitionFromJSON('{"nodes": 1}')).toThrow(/shape of a process definition/)
    expect(() => definitionFromJSON('not json')).toThrow(/not valid JSON/)
  })
})

describe('refusals', () => {
  it('refuses malformed XML with a clear message', async () => {
    expect(
      await problemsOf(
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">',
      ),
    ).toEqual([
      {
        elementId: '(document)',
        message: expect.stringMatching(/^not readable as BPMN 2\.0 XML: .*(unclosed|line)/),
      },
    ])
    expect(await problemsOf('this is not XML')).toEqual([
      { elementId: '(document)', message: expect.stringMatching(/not readable as BPMN 2\.0 XML/) },
    ])
    expect(await problemsOf('<foo/>')).toEqual([
      { elementId: '(document)', message: expect.stringMatching(/root element is not <bpmn:definitions>/) },
    ])
    expect(await problemsOf('')).toEqual([
      { elementId: '(document)', message: expect.stringMatching(/empty/) },
    ])
    await expectRefused(processXml('<bpmn:startEvent id="s"></bpmn:endEvent>'), '(document)', /not readable/)
  })

  it('lists every problem of a model full of unsupported constructs, each with its element id', async () => {
    const problems = await problemsOf(fixtureXml('unsupported.bpmn'))
    const expected: [string, RegExp][] = [
      ['msg_paid', /message: root element of this type is not supported/],
      ['start_by_message', /messageEventDefinition is not supported/],
      ['start', /2 start events/],
      ['script', /script tasks are not supported/],
      ['sub', /sub-processes are not supported/],
      ['inclusive', /inclusive gateways are not supported/],
      ['event_based', /event-based gateways are not supported/],
      ['signal_wait', /intermediate events are not supported/],
      ['multi', /multi-instance and loop markers are not supported/],
      ['nobody', /has no assignee: needs xzt:department/],
      ['unknown_department', /unknown department kind "ministry_of_magic"/],
      ['camunda_task', /attribute camunda:assignee is not understood/],
      ['dead_end', /exclusiveGateway: has no outgoing flows/],
      ['no_conditions', /neither conditions nor a default flow/],
      ['timer_on_service', /timers are only supported on user tasks.*serviceTask "service_with_timer"/],
      ['f_bad_feel', /is not valid FEEL/],
      ['f_missing', /targetRef refers to "does_not_exist", which does not exist/],
      ['terminate', /terminateEventDefinition is not supported/],
    ]
    for (const [elementId, message] of expected) {
      expect(problems, `${elementId} ${String(message)}`).toContainEqual({
        elementId,
        message: expect.stringMatching(message),
      })
    }
    for (const p of problems) expect(p.elementId).toMatch(/^[a-z_]+$/) // every problem names an element
  })

  it('refuses each unsupported element type on its own', async () => {
    const cases: [string, RegExp][] = [
      ['<bpmn:scriptTask id="t"/>', /scriptTask: script tasks are not supported/],
      ['<bpmn:subProcess id="t"/>', /subProcess: sub-processes are not supported/],
      ['<bpmn:callActivity id="t"/>', /call activities are not supported/],
      ['<bpmn:task id="t"/>', /use a userTask \(people\) or a serviceTask/],
      ['<bpmn:manualTask id="t"/>', /manual tasks are not supported/],
      ['<bpmn:businessRuleTask id="t"/>', /business rule tasks are not supported/],
      ['<bpmn:sendTask id="t"/>', /send tasks/],
      ['<bpmn:receiveTask id="t"/>', /receive tasks/],
      ['<bpmn:inclusiveGateway id="t"/>', /inclusive gateways are not supported/],
      ['<bpmn:eventBasedGateway id="t"/>', /event-based gateways/],
      ['<bpmn:complexGateway id="t"/>', /complex gateways/],
      [
        '<bpmn:intermediateThrowEvent id="t"><bpmn:signalEventDefinition/></bpmn:intermediateThrowEvent>',
        /intermediate events are not supported/,
      ],
      [
        '<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>',
        /use a timer boundary event/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county"><bpmn:multiInstanceLoopCharacteristics isSequential="true"/></bpmn:userTask>',
        /multi-instance/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county"><bpmn:standardLoopCharacteristics/></bpmn:userTask>',
        /loop markers/,
      ],
      ['<bpmn:userTask id="t"/>', /has no assignee/],
      ['<bpmn:userTask id="t" xzt:department="tax"/>', /xzt:level is required/],
      [
        '<bpmn:userTask id="t" xzt:department="taxes" xzt:level="county"/>',
        /unknown department kind "taxes"/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="village"/>',
        /xzt:level must be one of province, city, county, street/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:role="janitor"/>',
        /xzt:role must be one of clerk, official, supervisor, leader/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="city" xzt:regionFrom="transfer..toCity"/>',
        /xzt:regionFrom must be the dotted path of a form field/,
      ],
      [
        '<bpmn:userTask id="t" xzt:assignee="applicant" xzt:regionFrom="transfer.toCity"/>',
        /an applicant task has no department; remove xzt:regionFrom/,
      ],
      [
        '<bpmn:userTask id="t" xzt:assignee="applicant" xzt:department="tax"/>',
        /an applicant task has no department; remove xzt:department/,
      ],
      ['<bpmn:userTask id="t" xzt:assignee="citizen"/>', /xzt:assignee must be "applicant"/],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:slaDays="-1"/>',
        /xzt:slaDays must be a number of working days/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:slaDays="soon"/>',
        /xzt:slaDays must be a number of working days/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve,escalate"/>',
        /outcome "escalate" is not allowed/,
      ],
      [
        '<bpmn:userTask id="t" xzt:assignee="applicant" xzt:outcomes="reject"/>',
        /outcome "reject" is not allowed for an applicant task/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve" xzt:fields="a..b"/>',
        /field path "a\.\.b"/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve" xzt:fields="__proto__.x"/>',
        /field path "__proto__\.x"/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:typo="1"/>',
        /attribute xzt:typo is not allowed here/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" zeebe:formKey="x"/>',
        /attribute zeebe:formKey is not understood/,
      ],
      [
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county"><bpmn:extensionElements><zeebe:taskDefinition type="x"/></bpmn:extensionElements></bpmn:userTask>',
        /extension elements \(<zeebe:taskDefinition>\) are not supported/,
      ],
      ['<bpmn:serviceTask id="t"/>', /xzt:service is required/],
      [
        '<bpmn:serviceTask id="t" xzt:service="lookup"/>',
        /xzt:service is required: the name of a registered data-platform lookup/,
      ],
      [
        '<bpmn:serviceTask id="t" xzt:service="household.lookup" xzt:resultVariable="data"/>',
        /xzt:resultVariable "data" is reserved/,
      ],
      [
        '<bpmn:serviceTask id="t" xzt:service="household.lookup" xzt:resultVariable="my var"/>',
        /not a simple FEEL name/,
      ],
      [
        '<bpmn:serviceTask id="t" xzt:service="household.lookup" xzt:department="tax"/>',
        /attribute xzt:department is not allowed here/,
      ],
      ['<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve" />', /^$/], // sanity: valid (filtered below)
    ]
    for (const [task, message] of cases) {
      if (message.source === '^$') {
        await expect(parseProcess(around(task))).resolves.toBeTruthy()
        continue
      }
      await expectRefused(around(task), 't', message)
    }
  })

  it('refuses event definitions it does not run', async () => {
    await expectRefused(
      processXml(
        '<bpmn:startEvent id="s"><bpmn:timerEventDefinition/></bpmn:startEvent><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      ),
      's',
      /timerEventDefinition is not supported; only a none start event/,
    )
    await expectRefused(
      processXml(
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"><bpmn:errorEventDefinition/></bpmn:endEvent><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      ),
      'e',
      /errorEventDefinition is not supported/,
    )
    await expectRefused(
      processXml(
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e" xzt:result="done"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      ),
      'e',
      /xzt:result must be "completed" or "rejected"/,
    )
  })

  it('refuses more than one start event, or none', async () => {
    const xml =
      processXml(`<bpmn:startEvent id="s1"/><bpmn:startEvent id="s2"/><bpmn:parallelGateway id="g"/><bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="g"/><bpmn:sequenceFlow id="f2" sourceRef="s2" targetRef="g"/><bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e"/>`)
    const problems = await problemsOf(xml)
    expect(problems).toContainEqual({
      elementId: 's1',
      message: expect.stringMatching(/2 start events \(s1, s2\); exactly one is supported/),
    })
    expect(problems).toContainEqual({ elementId: 's2', message: expect.stringMatching(/2 start events/) })
    await expectRefused(processXml('<bpmn:endEvent id="e"/>'), 'p', /has no start event/)
  })

  it('refuses process attributes that are missing or wrong', async () => {
    const body =
      '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>'
    await expectRefused(processXml(body, 'xzt:version="1" xzt:slaDays="5"'), 'p', /xzt:matter is required/)
    await expectRefused(processXml(body, 'xzt:matter="m" xzt:slaDays="5"'), 'p', /xzt:version is required/)
    await expectRefused(
      processXml(body, 'xzt:matter="m" xzt:version="0" xzt:slaDays="5"'),
      'p',
      /xzt:version is required: an integer ≥ 1/,
    )
    await expectRefused(processXml(body, 'xzt:matter="m" xzt:version="1"'), 'p', /xzt:slaDays is required/)
    await expectRefused(
      processXml(body, 'xzt:matter="has space" xzt:version="1" xzt:slaDays="1"'),
      'p',
      /matter code/,
    )
    await expect(
      parseProcess(processXml(body, 'xzt:matter="m" xzt:version="3" xzt:slaDays="0"')),
    ).resolves.toMatchObject({ key: 'm@3', slaDays: 0 })
  })

  it('refuses more than one process, pools with several participants, message flows', async () => {
    const two = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
      <bpmn:process id="a"/><bpmn:process id="b"/></bpmn:definitions>`
    await expectRefused(two, '(document)', /2 processes \(a, b\); exactly one is supported/)
    const collab = processXml(
      '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      undefined,
      '<bpmn:collaboration id="c"><bpmn:participant id="p1" processRef="p"/><bpmn:participant id="p2"/><bpmn:messageFlow id="m" sourceRef="p1" targetRef="p2"/></bpmn:collaboration>',
    )
    const problems = await problemsOf(collab)
    expect(problems).toContainEqual({ elementId: 'c', message: expect.stringMatching(/2 participants/) })
    expect(problems).toContainEqual({
      elementId: 'c',
      message: expect.stringMatching(/message flows are not supported/),
    })
    // one pool (bpmn-js adds it when a designer draws a participant) and lanes are fine
    const onePool = processXml(
      '<bpmn:laneSet id="ls"><bpmn:lane id="l"><bpmn:flowNodeRef>s</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:startEvent id="s"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      undefined,
      '<bpmn:collaboration id="c"><bpmn:participant id="p1" processRef="p"/></bpmn:collaboration>',
    )
    await expect(parseProcess(onePool)).resolves.toMatchObject({ key: 'test.m@1' })
  })

  it('refuses gateways without outgoing flows and exclusive gateways that cannot choose', async () => {
    const gw = (g: string, flows: string): string =>
      processXml(`<bpmn:startEvent id="s"/>${g}<bpmn:userTask id="a" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/><bpmn:sequenceFlow id="fa" sourceRef="a" targetRef="e"/>${flows}`)
    await expectRefused(
      gw('<bpmn:parallelGateway id="g"/>', ''),
      'g',
      /parallelGateway: has no outgoing flows/,
    )
    await expectRefused(
      gw('<bpmn:exclusiveGateway id="g"/>', ''),
      'g',
      /exclusiveGateway: has no outgoing flows/,
    )
    await expectRefused(
      gw(
        '<bpmn:exclusiveGateway id="g"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a"/><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"/>',
      ),
      'g',
      /neither conditions nor a default flow/,
    )
    await expectRefused(
      gw(
        '<bpmn:exclusiveGateway id="g"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">data.x = 1</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"/>',
      ),
      'f2',
      /without a condition and is not its default flow/,
    )
    await expectRefused(
      gw(
        '<bpmn:exclusiveGateway id="g" default="f1"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">data.x = 1</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">data.x = 2</bpmn:conditionExpression></bpmn:sequenceFlow>',
      ),
      'f1',
      /is the default flow of "g" and must not have a condition/,
    )
    await expectRefused(
      gw(
        '<bpmn:parallelGateway id="g"/>',
        '<bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">data.x = 1</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"/>',
      ),
      'f1',
      /conditions are only evaluated on flows leaving an exclusive gateway/,
    )
  })

  it('refuses FEEL that does not parse, uses unknown names or the clock, and non-FEEL languages', async () => {
    const cond = (c: string, attrs = 'xsi:type="bpmn:tFormalExpression"'): string =>
      processXml(`<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g" default="f2"/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/>
      <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="e1"><bpmn:conditionExpression ${attrs}>${c}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e2"/>`)
    await expectRefused(cond('data.amount &gt;'), 'f1', /is not valid FEEL: Incomplete/)
    await expectRefused(cond('= (data.a'), 'f1', /is not valid FEEL/)
    await expectRefused(cond('dat.amount &gt; 1'), 'f1', /Variable 'dat' not found/)
    await expectRefused(cond('frobnicate(data.x)'), 'f1', /'frobnicate' not found/)
    await expectRefused(cond('now() &gt; date("2026-01-01")'), 'f1', /now\(\) or today\(\)/)
    await expectRefused(cond('   '), 'f1', /condition expression is empty/)
    await expectRefused(
      cond('data.x = 1', 'xsi:type="bpmn:tFormalExpression" language="javascript"'),
      'f1',
      /language "javascript" is not supported/,
    )
    await expect(
      parseProcess(cond('= count(data.items) &gt; 2 and case.channel = "window"')),
    ).resolves.toBeTruthy()
  })

  it('refuses flows to missing elements, into boundary events, and tasks that branch by themselves', async () => {
    await expectRefused(
      around(
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/>',
        '<bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="ghost"/>',
      ),
      'f3',
      /refers to "ghost", which does not exist/,
    )
    await expectRefused(
      around(
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/>',
        '<bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="e"/>',
      ),
      't',
      /has 2 outgoing flows .* branch with an exclusive or parallel gateway/,
    )
    await expectRefused(
      around(
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:slaDays="2" xzt:outcomes="approve"/>',
        '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/><bpmn:sequenceFlow id="f4" sourceRef="s" targetRef="b"/>',
      ),
      'f4',
      /targets boundary event "b"/,
    )
    await expectRefused(
      processXml(
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/><bpmn:sequenceFlow id="back" sourceRef="e" targetRef="s"/>',
      ),
      'e',
      /endEvent: has outgoing flows/,
    )
  })

  it('refuses duplicate and reserved ids', async () => {
    await expectRefused(
      around(
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:userTask id="t" xzt:department="tax" xzt:level="county"/>',
      ),
      't',
      /the id "t" is used twice/,
    )
    await expectRefused(processXml('<bpmn:startEvent id="constructor"/>'), 'constructor', /reserved/)
  })

  it('refuses unreachable elements, dead ends and gateway-only loops', async () => {
    await expectRefused(
      around(
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:userTask id="orphan" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/>',
        '<bpmn:sequenceFlow id="f3" sourceRef="orphan" targetRef="e"/>',
      ),
      'orphan',
      /has no incoming flow/,
    )
    const island = around(
      '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:userTask id="o1" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:parallelGateway id="pg"/>',
      '<bpmn:sequenceFlow id="f3" sourceRef="o1" targetRef="pg"/><bpmn:sequenceFlow id="f4" sourceRef="pg" targetRef="o1"/><bpmn:sequenceFlow id="f5" sourceRef="pg" targetRef="e"/>',
    )
    await expectRefused(island, 'o1', /cannot be reached from the start event/)
    await expectRefused(island, 'pg', /cannot be reached from the start event/)
    const loop =
      processXml(`<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g1" default="f2"/><bpmn:exclusiveGateway id="g2" default="f3"/><bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g1"/>
      <bpmn:sequenceFlow id="f1" sourceRef="g1" targetRef="e"><bpmn:conditionExpression>data.done = true</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f2" sourceRef="g1" targetRef="g2"/>
      <bpmn:sequenceFlow id="f3" sourceRef="g2" targetRef="g1"/>`)
    await expectRefused(loop, 'g1', /gateways g1, g2 form a loop without any user or service task/)
    const trap =
      processXml(`<bpmn:startEvent id="s"/><bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:userTask id="u" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/><bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f1" sourceRef="t" targetRef="u"/><bpmn:sequenceFlow id="f2" sourceRef="u" targetRef="t"/>`)
    await expectRefused(trap, 't', /no end event can be reached from here/)
  })

  it('refuses outcomes nobody looks at', async () => {
    await expectRefused(
      around('<bpmn:userTask id="t" xzt:department="tax" xzt:level="county"/>'),
      't',
      /allows outcomes approve, reject but no exclusive gateway after it looks at "outcome"/,
    )
  })

  it('refuses timers that are not on user tasks, or not well-formed', async () => {
    const task =
      '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:slaDays="5" xzt:outcomes="approve"/>'
    const timer = (attrs: string, inner: string, flows = ''): string =>
      around(
        task,
        `<bpmn:boundaryEvent id="b" attachedToRef="t" ${attrs}>${inner}</bpmn:boundaryEvent>${flows}`,
      )
    const td = (d: string): string =>
      `<bpmn:timerEventDefinition><bpmn:timeDuration>${d}</bpmn:timeDuration></bpmn:timerEventDefinition>`
    await expectRefused(
      timer('cancelActivity="false"', '<bpmn:messageEventDefinition/>'),
      'b',
      /only timer boundary events are supported \(found messageEventDefinition\)/,
    )
    await expectRefused(
      timer(
        'cancelActivity="false"',
        '<bpmn:timerEventDefinition><bpmn:timeDate>2026-10-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition>',
      ),
      'b',
      /timeDate timers are not supported/,
    )
    await expectRefused(
      timer(
        'cancelActivity="false"',
        '<bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>',
      ),
      'b',
      /timeCycle timers are not supported/,
    )
    await expectRefused(
      timer('cancelActivity="false"', '<bpmn:timerEventDefinition/>'),
      'b',
      /needs a timeDuration/,
    )
    await expectRefused(
      timer('cancelActivity="false"', td('P1M')),
      'b',
      /timeDuration "P1M" is not a duration/,
    )
    await expectRefused(
      timer('cancelActivity="false" xzt:atSla="0.5"', td('P1D')),
      'b',
      /both a timeDuration and xzt:atSla/,
    )
    await expectRefused(
      timer('cancelActivity="false" xzt:atSla="0"', '<bpmn:timerEventDefinition/>'),
      'b',
      /xzt:atSla must be a number > 0/,
    )
    await expectRefused(
      timer('cancelActivity="false" xzt:sla="late"', td('P1D')),
      'b',
      /xzt:sla must be "warn" or "breach"/,
    )
    await expectRefused(
      timer('cancelActivity="false" xzt:escalate="mayor"', td('P1D')),
      'b',
      /xzt:escalate must be "supervisor"/,
    )
    await expectRefused(
      timer('cancelActivity="true"', td('P1D')),
      'b',
      /interrupting timer .* needs exactly one outgoing flow \(has 0\)/,
    )
    await expectRefused(
      timer('cancelActivity="false"', td('P1D'), '<bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/>'),
      'b',
      /non-interrupting timer .* may not have outgoing flows/,
    )
    await expectRefused(
      around(
        '<bpmn:userTask id="t" xzt:department="tax" xzt:level="county" xzt:outcomes="approve"/>',
        '<bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false" xzt:atSla="0.8"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>',
      ),
      'b',
      /uses xzt:atSla but task "t" has no xzt:slaDays/,
    )
    await expectRefused(
      processXml(`<bpmn:startEvent id="s"/><bpmn:parallelGateway id="t"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
        <bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false">${td('P1D')}</bpmn:boundaryEvent>`),
      'b',
      /timers are only supported on user tasks, but this one is attached to parallelGateway "t"/,
    )
  })
})
