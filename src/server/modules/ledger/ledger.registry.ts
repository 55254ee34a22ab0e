/**
 * The registry of ledger event types. Every module declares the events it appends, with their data
 * shapes, in its `<module>.events.ts`; this registry collects those declarations and the appender
 * refuses any type not declared here, so a typo or an undocumented event can never enter a log.
 * Pure (no I/O).
 * @module
 */
import { AppError } from '../../../shared/errors.js'
import { APPEAL_EVENTS } from '../appeals/appeals.events.js'
import { CASE_EVENTS } from '../cases/cases.events.js'
import { DATA_ACCESS_EVENTS } from '../cases/data-access.events.js'
import { CATALOG_EVENTS } from '../catalog/catalog.events.js'
import { DATAPLATFORM_EVENTS } from '../dataplatform/dataplatform.events.js'
import { OPEN311_EVENTS } from '../open311/open311.events.js'
import { FACT_CONTEST_EVENTS } from '../assessment/fact-contests.events.js'
import { ORG_EVALUATION_EVENTS } from '../assessment/org-evaluations.events.js'
import { ORG_EVENTS } from '../org/org.events.js'
import { POLICY_EVENTS } from '../policy/policy.events.js'
import { RATING_EVENTS } from '../ratings/ratings.events.js'
import { REGION_EVENTS } from '../regions/regions.events.js'
import { SCHEDULER_EVENTS } from '../scheduler/scheduler.events.js'
import { SYSTEM_EVENTS } from '../system/system.events.js'
import { LEDGER_EVENTS } from './ledger.events.js'

/** One declared event type: which module owns it and what it records. */
export interface EventDeclaration {
  /** Module that appends it (e.g. `cases`). */
  readonly module: string
  /** What the event records, for readers of the tail. */
  readonly description: string
}

/**
 * A module's declarations: event type → description. The data shape of each type is the TypeScript
 * interface the module exports beside it (`<Module>EventData`), checked where the event is built.
 */
export type EventDeclarations = Readonly<Record<string, string>>

/** Event types of a declarations object (`'region.upserted' | …`). */
export type EventTypeOf<D extends EventDeclarations> = Extract<keyof D, string>

export class EventRegistry {
  private readonly types = new Map<string, EventDeclaration>()

  constructor(modules: Readonly<Record<string, EventDeclarations>> = {}) {
    for (const [module, declarations] of Object.entries(modules)) this.declare(module, declarations)
  }

  /**
   * Adds a module's event types.
   * @throws Error when a type is already declared by another module (two owners of one event).
   */
  declare(module: string, declarations: EventDeclarations): this {
    for (const [type, description] of Object.entries(declarations)) {
      const known = this.types.get(type)
      if (known && known.module !== module)
        throw new Error(`ledger event type ${type} is declared by both ${known.module} and ${module}`)
      this.types.set(type, { module, description })
    }
    return this
  }

  has(type: string): boolean {
    return this.types.has(type)
  }

  get(type: string): EventDeclaration | undefined {
    return this.types.get(type)
  }

  /** Every declared type, sorted. */
  list(): { type: string; module: string; description: string }[] {
    return [...this.types.entries()]
      .map(([type, d]) => ({ type, ...d }))
      .sort((a, b) => a.type.localeCompare(b.type))
  }

  /**
   * Guards that `type` is declared.
   * @throws AppError VALIDATION_FAILED naming the undeclared type.
   */
  assertDeclared(type: string): void {
    if (this.types.has(type)) return
    throw new AppError(
      'VALIDATION_FAILED',
      `ledger event type ${JSON.stringify(type)} is not declared by any module's <module>.events.ts`,
      { details: { type } },
    )
  }
}

/**
 * Every module's declarations. A module that starts appending a new event type adds it to its
 * `<module>.events.ts` (and a new module adds its file here); until then the appender refuses it.
 */
export const PLATFORM_EVENTS: Readonly<Record<string, EventDeclarations>> = {
  ledger: LEDGER_EVENTS,
  regions: REGION_EVENTS,
  org: ORG_EVENTS,
  catalog: CATALOG_EVENTS,
  dataplatform: DATAPLATFORM_EVENTS,
  system: SYSTEM_EVENTS,
  cases: CASE_EVENTS,
  'data-access': DATA_ACCESS_EVENTS,
  scheduler: SCHEDULER_EVENTS,
  policy: POLICY_EVENTS,
  ratings: RATING_EVENTS,
  appeals: APPEAL_EVENTS,
  open311: OPEN311_EVENTS,
  'org-evaluations': ORG_EVALUATION_EVENTS,
  'fact-contests': FACT_CONTEST_EVENTS,
}

/** A registry of every platform event type (a fresh one, so tests may declare their own). */
export function platformEvents(): EventRegistry {
  return new EventRegistry(PLATFORM_EVENTS)
}
