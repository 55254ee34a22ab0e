/**
 * Responsibility chains follow their cases. A chain is built from its case's facts as they stood when
 * it was built; when the case moves on after the appeal was filed (the unclaimed step that made a delay
 * complaint is claimed by an official and completed late, a step passes its limit, the case ends), the
 * chain of every open appeal about it is rebuilt (`cause: 'case'`) and recorded, with its `chain.built`
 * event, only if it names someone else or cites other evidence.
 *
 * This is an event-tail consumer (event-tail/event-consumer.service.ts): it is handed the cases
 * module's events (those of the cases replayer: `case.`, `task.`, `sla.`) whose subject is a case, and
 * rebuilds in the transaction that moves its cursor. So it never polls the case tables, and the events
 * the appeals module writes itself (`appeal.`, `chain.`) never reach it.
 * @module
 */
import { SYSTEM } from '../../access.js'
import type { EventConsumer, TailEvent } from '../event-tail/index.js'
import * as store from './appeals.store.js'
import type { ChainService } from './chains.service.js'

/** The consumer's name (its cursor's row). */
export const CHAINS_CONSUMER = 'appeals.chains'
/** Event types that change a case's facts: the cases module's (its replayer's prefixes). */
export const CASE_EVENT_TYPES = ['case.', 'task.', 'sla.'] as const

const CASE_SUBJECT = 'case:'

/** The cases these events are about (subject `case:<id>`), each once, in order of appearance. */
export function casesOf(events: readonly Pick<TailEvent, 'subject'>[]): string[] {
  const ids = new Set<string>()
  for (const e of events)
    if (e.subject.startsWith(CASE_SUBJECT) && e.subject.length > CASE_SUBJECT.length)
      ids.add(e.subject.slice(CASE_SUBJECT.length))
  return [...ids]
}

/**
 * The consumer: the open appeals about the page's cases get their chains rebuilt once per page (the
 * facts are read as they stand now, which covers every event of the page).
 */
export function chainsFollowCases(chains: ChainService): EventConsumer {
  return {
    name: CHAINS_CONSUMER,
    types: CASE_EVENT_TYPES,
    async handle(trx, events) {
      const cases = casesOf(events)
      if (!cases.length) return
      const appeals = await store.listOpenIdsAboutCases(trx, cases)
      if (appeals.length) await chains.rebuildIn(trx, appeals, 'case', SYSTEM)
    },
  }
}
