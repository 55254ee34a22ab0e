/**
 * The Xingzhengtong workflow engine: BPMN 2.0 + `xzt:` extension, deployed to plain-data definitions and run
 * by pure functions over serialisable instance state. See parse.ts (what is supported), interpreter.ts
 * (semantics) and state.ts (persistence contract).
 * @module
 */
export {
  APPLICANT_OUTCOMES,
  DEFINITION_SCHEMA,
  DEPARTMENT_OUTCOMES,
  TASK_ROLES,
  definitionKey,
  definitionRef,
  summarizeProcess,
  userTasksOf,
  type Assignment,
  type BoundaryTimer,
  type DefinitionRef,
  type EndEventNode,
  type ExclusiveGatewayNode,
  type FlowNode,
  type FlowNodeType,
  type Outcome,
  type ParallelGatewayNode,
  type ParallelGroup,
  type ProcessDefinition,
  type ProcessSummary,
  type SequenceFlow,
  type ServiceTaskNode,
  type StartEventNode,
  type TaskRole,
  type TaskSummary,
  type TimerSpec,
  type UserTaskNode,
} from './definition.js'
export { DeployError, EngineError, type DeployProblem, type EngineErrorCode } from './errors.js'
export { RESERVED_VARIABLES, evaluateCondition, normaliseCondition } from './feel.js'
export {
  DEFAULT_MAX_AUTOMATIC_STEPS,
  cancel,
  completeTask,
  failService,
  fireTimer,
  isFieldVisible,
  resolveService,
  retryService,
  start,
  visibleData,
  type CancelCommand,
  type CommandContext,
  type CompleteTaskCommand,
  type FailServiceCommand,
  type FireTimerCommand,
  type IdKind,
  type NewId,
  type ResolveServiceCommand,
  type RetryServiceCommand,
  type StartCommand,
} from './interpreter.js'
export { DOCUMENT, definitionFromJSON, definitionToJSON, parseProcess } from './parse.js'
export {
  STATE_SCHEMA,
  checkInvariants,
  type CaseInfo,
  type Effect,
  type EffectType,
  type Incident,
  type InstanceResult,
  type InstanceState,
  type InstanceStatus,
  type JsonObject,
  type JsonValue,
  type OpenTask,
  type PendingTimer,
  type ServiceCall,
  type Step,
  type TaskCancelReason,
  type TimerCancelReason,
  type Token,
} from './state.js'
export { validateDefinition } from './validate.js'
export { XZT_NAMESPACE, XZT_PREFIX, xztModdleDescriptor } from './xzt.descriptor.js'
