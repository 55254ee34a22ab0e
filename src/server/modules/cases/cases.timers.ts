/**
 * SLA timers of cases: a due timer row is claimed and fired through the workflow engine in its own
 * transaction (SKIP LOCKED semantics through a conditional update), by a polling loop or by the
 * manual clock's advance.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SYSTEM } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../../shared/errors.js'
import { fireTimer as engineFireTimer } from '../workflow/engine/index.js'
import type { CaseEngine, Prepared } from './cases.engine.js'
import * as store from './cases.store.js'

export class CaseTimers {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly engine: CaseEngine,
  ) {}

  private timer: NodeJS.Timeout | undefined
  private firing: Promise<unknown> | undefined

  /** Fires due timers every `intervalMs` (the system clock; a manual clock fires on advance). */
  startScheduler(intervalMs: number, onError: (err: unknown) => void): void {
    if (intervalMs <= 0 || this.timer) return
    this.timer = setInterval(() => {
      if (this.firing) return
      this.firing = this.fireDueTimers()
        .catch(onError)
        .finally(() => {
          this.firing = undefined
        })
    }, intervalMs)
    this.timer.unref()
  }

  async stopScheduler(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.firing
  }

  /**
   * Fires every timer due at `now`, each claimed in its own transaction (SKIP LOCKED on PostgreSQL),
   * so several instances never fire one twice. @returns how many fired
   */
  async fireDueTimers(now = this.clock.now()): Promise<number> {
    let fired = 0
    const skipped = new Set<string>()
    for (let guard = 0; guard < 10_000; guard++) {
      const timer = (await store.listDueTimers(this.db, now, 50)).find((t) => !skipped.has(t.id))
      if (!timer) break
      let prepared: Prepared
      try {
        prepared = await this.engine.prepare(timer.case_id, (def, state) =>
          engineFireTimer(def, state, {
            timerId: timer.id,
            now,
            newId: () => randomUUID(),
            calendar: this.engine.calendar,
          }),
        )
      } catch (err) {
        // The engine no longer has this timer (its task closed meanwhile): retire the row.
        if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err
        await store.claimTimer(this.db, timer.id, now)
        skipped.add(timer.id)
        continue
      }
      // The conditional update of the timer row is the claim: of several instances racing, exactly one
      // moves it from pending to fired, in the same transaction as the case's new state.
      const won = await this.db
        .transaction()
        .execute(async (trx) => {
          if (!(await store.claimTimer(trx, timer.id, now))) return 'taken'
          if (!(await this.engine.persist(trx, prepared, SYSTEM, null))) throw new RetryTimer()
          return 'fired'
        })
        .catch((err: unknown) => {
          if (err instanceof RetryTimer) return 'retry'
          throw err
        })
      if (won === 'fired') fired++
      if (won === 'taken') skipped.add(timer.id)
    }
    return fired
  }
}

/** A timer's case changed while it fired: roll back and fire it again. */
class RetryTimer extends Error {}
