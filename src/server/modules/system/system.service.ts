/**
 * Platform administration that belongs to no other module: the controllable clock. With
 * `XZT_CLOCK=manual` the clock's position survives restarts (it is kept in `meta`), and each advance is
 * an administrator action recorded in the ledger.
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import { isValidClockTime, ManualClock, parseIsoDuration, type Clock } from '../../clock.js'
import { assertCan } from '../../../shared/permissions.js'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../../shared/errors.js'
import { actorOf, logIdForRegion, subjectOf } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import * as store from './system.store.js'

const CLOCK_KEY = 'clock.manual.now'

export interface ClockState {
  mode: 'system' | 'manual'
  now: number
}

/**
 * Restores a manual clock from where it was left (or starts it now). A stored time the clock could
 * never have reached (an older version accepted absurd advances) is refused, so the server starts.
 * @throws Error naming the stored value.
 */
export async function loadManualClock(db: Kysely<DB>, fallback: number): Promise<ManualClock> {
  const stored = await store.findMeta(db, CLOCK_KEY)
  if (stored === undefined) return new ManualClock(fallback)
  const at = Number(stored)
  if (!isValidClockTime(at)) {
    throw new Error(
      `the stored manual clock (meta ${CLOCK_KEY} = ${stored}) is outside 1970..2999; set it to a sane epoch-millisecond time or delete that row`,
    )
  }
  return new ManualClock(at)
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
   * The clock moves the whole platform, so only a province-level administrator may move it.
   * @throws FORBIDDEN (not a province administrator), CONFLICT (the clock is the system clock),
   *   VALIDATION_FAILED (not a duration, more than ten years, or past 2999)
   */
  async advanceClock(principal: Principal, duration: string): Promise<ClockState> {
    assertCan(principal, 'clock.advance', { regionCode: principal.regionCode.slice(0, 2) })
    if (!(this.clock instanceof ManualClock)) {
      throw new AppError(
        'CONFLICT',
        'the platform runs on the system clock; start it with XZT_CLOCK=manual to control time',
      )
    }
    const ms = parseIsoDuration(duration)
    const from = this.clock.now()
    if (!isValidClockTime(from + ms)) {
      throw new AppError('VALIDATION_FAILED', 'the clock may not move past the end of the year 2999', {
        details: [{ path: '/body/advance', message: 'moves the clock past 2999-12-31' }],
      })
    }
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
