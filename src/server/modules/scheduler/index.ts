/**
 * What other modules may use of the scheduler besides its service: the handler a module registers for
 * its job kind, the job it is handed, and the two errors a handler throws to retire a job or run it
 * again. Pure; other modules import this, never `scheduler.model.js` or the store (eslint.config.js).
 * @module
 */
export { JobContended, JobObsolete, type Job, type JobHandler } from './scheduler.model.js'
