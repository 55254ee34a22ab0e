/**
 * The platform's notion of "now". Every service takes a Clock instead of calling Date.now(), so tests
 * and demos can control time (issue: manual clock).
 * @module
 */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
