/**
 * Event types that only tests append (the appender refuses undeclared types, so tests declare theirs).
 */
import type { LedgerService } from '../../src/server/modules/ledger/ledger.service.js'

export const TEST_EVENTS = {
  'test.appended': 'a test event',
  'test.rolled_back': 'a test event whose transaction rolls back',
  'test.concurrent': 'a test event appended by concurrent transactions',
  'test.after_rotation': 'a test event after a key rotation',
  'test.after_forgery': 'a test event after a forged node',
  'test.tail': 'a test event read through the tail',
  'test.consumed': 'a test event an event-tail consumer is handed',
  'test.effect': 'a test event an event-tail consumer writes as its effect',
} as const

/** Lets `ledger` accept the `test.*` event types. */
export function declareTestEvents(ledger: LedgerService): void {
  ledger.registry.declare('test', TEST_EVENTS)
}
