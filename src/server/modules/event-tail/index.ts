/**
 * What other modules may use of the event tail besides its services: the consumer a module registers
 * to follow the ledger (event-consumer.service.ts runs it), and the event it is handed. Pure.
 * @module
 */
export type { EventConsumer } from './event-consumer.model.js'
export type { TailEvent } from '../ledger/ledger.cursor.js'
