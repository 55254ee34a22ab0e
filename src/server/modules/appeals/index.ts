/**
 * What other modules may use of the appeals module besides its services: the shape of a
 * responsibility chain and of its links. Pure.
 * @module
 */
export type { Chain, ChainLink, ChainTraceStep, LedgerRef } from './chain.model.js'
