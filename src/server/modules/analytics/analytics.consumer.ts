/**
 * The rollups follow the ledger: an event-tail consumer (event-tail/event-consumer.service.ts) handed
 * the events the rollups read (cases, their department steps, appeals filed), a page at a time. It
 * loads what it remembers of the page's cases and steps, folds the page (analytics.model.ts) and
 * writes the increments and the remembered state in the transaction that moves its cursor: a restart
 * resumes exactly where the last committed page ended, and no event is counted twice. It writes no
 * ledger event, so it never feeds itself.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { EventConsumer } from '../event-tail/index.js'
import { foldPage, ROLLUP_EVENT_TYPES, stateKeys } from './analytics.model.js'
import * as store from './analytics.store.js'

/** The consumer's name (its cursor's row). */
export const ROLLUPS_CONSUMER = 'analytics.rollups'

/**
 * The topic words of the given appeals (from their texts), read in the caller's transaction. The same
 * appeal always gets the same words, so a rebuild counts them as the live rollups did.
 */
export type TopicSource = (db: Executor, appealIds: readonly string[]) => Promise<Map<string, string[]>>

export const NO_TOPICS: TopicSource = async () => new Map()

export function rollupsConsumer(topicsOf: TopicSource = NO_TOPICS): EventConsumer {
  return {
    name: ROLLUPS_CONSUMER,
    types: ROLLUP_EVENT_TYPES,
    async handle(trx, events) {
      const keys = stateKeys(events)
      const cases = await store.findCases(trx, keys.cases)
      const tasks = await store.findTasks(trx, keys.tasks)
      const appeals = await store.findAppeals(trx, keys.appeals)
      const topics = await topicsOf(trx, keys.filed)
      const result = foldPage(events, cases, tasks, appeals, topics)
      await store.addIncrements(trx, result.increments)
      await store.putCases(trx, result.cases)
      await store.putTasks(trx, result.tasksPut)
      await store.dropTasks(trx, result.tasksDropped)
      await store.putAppeals(trx, result.appeals)
    },
  }
}
