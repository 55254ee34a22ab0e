/**
 * What other modules may use of the ledger besides its service: the event they append and where it
 * landed, how actors and subjects are written, which log a region's events go to, and replay (the
 * event a replayer sees, the interface it implements, the diff helper). Pure; other modules import
 * this, never `ledger.model.js` or the store (eslint.config.js).
 * @module
 */
export {
  actorOf,
  logIdForRegion,
  subjectOf,
  type LedgerActor,
  type LedgerEvent,
  type LedgerPosition,
} from './ledger.model.js'
export { diffStates, type ReplayEvent, type Replayer } from './ledger.replay.js'
