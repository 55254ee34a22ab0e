/**
 * Platform administration that belongs to no other module: the controllable clock. With
 * `XZT_CLOCK=manual` the clock's position survives restarts (it is kept in `meta`), and each advance is
 * an administrator action recorded in the ledger.
 * @module
 */
import type { Kysely } from 'kysely'
import { assertStaffRole, type Principal } from '../../access.js'
import { ManualClock, parseIsoDuration, type Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../../shared/errors.js'
import { actorOf, logIdForRegion, subjectOf } from '../ledger/ledger.model.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import * as store from './system.store.js'

const CLOCK_KEY = 'clock.manual.now'

export interface ClockState {
  mode: 'system' | 'manual'
  now: number
}

/** Restores a manual clock from where it was left (or starts it now). */
export async function loadManualClock(db: Kysely<DB>, fallback: number): Promise<ManualClock> {
  const stored = await store.findMeta(db, CLOCK_KEY)
  return new ManualClock(stored === undefined ? fallback : Number(stored))
}

export class SystemService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {}

  clockState(): ClockState {
    return { mode: this.clock instanceof ManualClock ? 'manual' : 'system', now: this.clock.now() }
  }

  /**
   * Advances the manual clock by an ISO 8601 duration; whatever falls due in between fires.
   * @throws FORBIDDEN (not an administrator), CONFLICT (the clock is the system clock), VALIDATION_FAILED
   */
  async advanceClock(principal: Principal, duration: string): Promise<ClockState> {
    assertStaffRole(principal, ['admin'])
    if (!(this.clock instanceof ManualClock)) {
      throw new AppError(
        'CONFLICT',
        'the platform runs on the system clock; start it with XZT_CLOCK=manual to control time',
      )
    }
    const ms = parseIsoDuration(duration)
    const from = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      await store.putMeta(trx, CLOCK_KEY, String(from + ms))
      await this.ledger.append(trx, {
        type: 'system.clock_advanced',
        subject: subjectOf('clock', 'manual'),
        regionCode: logIdForRegion(principal.regionCode || '43'),
        actor: actorOf(principal),
        data: { from, to: from + ms, duration },
      })
    })
    await this.clock.advance(ms)
    return this.clockState()
  }
}
