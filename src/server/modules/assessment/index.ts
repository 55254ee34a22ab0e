/**
 * The assessment module's public surface: the pure rules other modules (and the organisation
 * evaluation to come) may use: periods and how a result names its period.
 * @module
 */
export { parsePeriod, previousPeriod, type Fact, type Period } from './assessment.model.js'
