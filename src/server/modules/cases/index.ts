/**
 * What other modules may use of cases besides their services: the facts of a case as the
 * responsibility chains read them. Pure.
 * @module
 */
export type { CaseFacts } from './cases.model.js'
