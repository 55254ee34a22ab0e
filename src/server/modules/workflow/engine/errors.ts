/**
 * The two error types of the engine. Neither knows HTTP: the workflow service maps them to AppError
 * (`DeployError` → INVALID_INPUT with `details: problems`; `EngineError` → CONFLICT or VALIDATION_FAILED by code).
 * @module
 */

/** One reason a process model is refused: the element it is about and a clear English message. */
export interface DeployProblem {
  /** The BPMN element id; `(document)` for problems of the XML document as a whole. */
  elementId: string
  message: string
}

/** A process model the engine refuses to deploy, with every problem found (not just the first). */
export class DeployError extends Error {
  readonly problems: DeployProblem[]

  constructor(problems: DeployProblem[]) {
    const list = problems.map((p) => `  - ${p.elementId}: ${p.message}`).join('\n')
    super(`process refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`)
    this.name = 'DeployError'
    this.problems = problems
  }
}

/**
 * Codes of {@link EngineError}. Command errors (the caller asked for something the state does not allow):
 * - `INVALID_COMMAND`: malformed arguments (data not a JSON object, case of another matter, bad id from newId…).
 * - `DEFINITION_MISMATCH`: the state was started with another definition (key `matter@version`).
 * - `INSTANCE_NOT_RUNNING`: the instance is completed, rejected or cancelled.
 * - `TASK_NOT_OPEN`: no open task with that id (unknown, already completed or cancelled).
 * - `OUTCOME_NOT_ALLOWED`: the task does not allow that outcome.
 * - `FIELD_NOT_WRITABLE`: the data change touches a field the task may not see.
 * - `TIMER_NOT_PENDING`: no pending timer with that id (unknown, fired or cancelled).
 * - `TIMER_NOT_DUE`: the timer's due time has not come yet.
 * - `SERVICE_CALL_NOT_PENDING`: no pending (or failed, for resolve) service call with that id.
 * - `SERVICE_CALL_NOT_FAILED`: retry of a service call that has not failed.
 * - `DUPLICATE_ID`: `newId` returned an id already in use.
 * - `INVALID_STATE`: the state is not one this engine wrote (schema version, broken references).
 * Model errors found at run time (the command is refused and the state stays as it was):
 * - `NO_FLOW_MATCHED`: an exclusive gateway had no true condition and no default flow.
 * - `AUTOMATIC_LOOP`: more than `maxAutomaticSteps` gateway/event moves without reaching a task.
 * - `DEADLOCK`: every remaining token waits at a parallel join that can never fire.
 */
export type EngineErrorCode =
  | 'INVALID_COMMAND'
  | 'DEFINITION_MISMATCH'
  | 'INSTANCE_NOT_RUNNING'
  | 'TASK_NOT_OPEN'
  | 'OUTCOME_NOT_ALLOWED'
  | 'FIELD_NOT_WRITABLE'
  | 'TIMER_NOT_PENDING'
  | 'TIMER_NOT_DUE'
  | 'SERVICE_CALL_NOT_PENDING'
  | 'SERVICE_CALL_NOT_FAILED'
  | 'DUPLICATE_ID'
  | 'INVALID_STATE'
  | 'NO_FLOW_MATCHED'
  | 'AUTOMATIC_LOOP'
  | 'DEADLOCK'

/** A refused command. The state passed in is never modified, so the caller simply keeps it. */
export class EngineError extends Error {
  readonly code: EngineErrorCode
  readonly details: Record<string, unknown>

  constructor(code: EngineErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.name = 'EngineError'
    this.code = code
    this.details = details
  }
}
