/**
 * The `xzt:` BPMN extension (namespace `https://xingzhengtong.gov.cn/schema/bpmn/1`) as a moddle package
 * descriptor, so bpmn-moddle (and bpmn-js in the process designer) keep and type these attributes.
 *
 * | element | attributes |
 * |---|---|
 * | `bpmn:Process` | `xzt:matter` (matter code), `xzt:version` (integer ≥ 1), `xzt:slaDays` (committed working days of the matter) |
 * | `bpmn:UserTask` | `xzt:department` (department kind), `xzt:level` (province/city/county/street), `xzt:regionFrom` (dotted path of a form field holding a region code: the department is taken there instead of in the case's region), `xzt:role` (default `official`), `xzt:assignee="applicant"`, `xzt:slaDays`, `xzt:fields`, `xzt:outcomes` |
 * | `bpmn:ServiceTask` | `xzt:service` (registered data-platform lookup), `xzt:resultVariable` |
 * | `bpmn:EndEvent` | `xzt:result` (`completed` default, or `rejected`) |
 * | `bpmn:BoundaryEvent` | `xzt:atSla` (fraction of the task's slaDays), `xzt:sla` (`warn`/`breach`), `xzt:escalate` (`supervisor`) |
 * | `bpmn:TimerEventDefinition` | `xzt:atSla` (same meaning; either here or on the boundary event) |
 *
 * Value rules (allowed values, defaults) are enforced by the parser (parse.ts), not by moddle.
 * @module
 */

/** The namespace URI of the extension. */
export const XZT_NAMESPACE = 'https://xingzhengtong.gov.cn/schema/bpmn/1'

/** The conventional prefix. */
export const XZT_PREFIX = 'xzt'

const attr = (name: string, type: 'String' | 'Integer' | 'Real' = 'String') => ({ name, isAttr: true, type })

/** The moddle descriptor: `new BpmnModdle({ xzt: xztModdleDescriptor })`. */
export const xztModdleDescriptor = {
  name: 'Xingzhengtong',
  uri: XZT_NAMESPACE,
  prefix: XZT_PREFIX,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  enumerations: [],
  types: [
    {
      name: 'ProcessAttributes',
      extends: ['bpmn:Process'],
      properties: [attr('matter'), attr('version', 'Integer'), attr('slaDays', 'Real')],
    },
    {
      name: 'UserTaskAttributes',
      extends: ['bpmn:UserTask'],
      properties: [
        attr('department'),
        attr('level'),
        attr('regionFrom'),
        attr('role'),
        attr('assignee'),
        attr('slaDays', 'Real'),
        attr('fields'),
        attr('outcomes'),
      ],
    },
    {
      name: 'ServiceTaskAttributes',
      extends: ['bpmn:ServiceTask'],
      properties: [attr('service'), attr('resultVariable')],
    },
    { name: 'EndEventAttributes', extends: ['bpmn:EndEvent'], properties: [attr('result')] },
    {
      name: 'BoundaryEventAttributes',
      extends: ['bpmn:BoundaryEvent'],
      properties: [attr('atSla', 'Real'), attr('sla'), attr('escalate')],
    },
    {
      name: 'TimerEventDefinitionAttributes',
      extends: ['bpmn:TimerEventDefinition'],
      properties: [attr('atSla', 'Real')],
    },
  ],
} as const
