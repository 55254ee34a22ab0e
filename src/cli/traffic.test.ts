/**
 * The traffic simulator on both storage modes: two simulated working days of about twenty applications
 * each leave completed, running, rejected and supplemented cases, SLA timers fire, the same seed gives
 * the same counts, and the ledger and the audit replay are clean afterwards.
 */
import { describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS } from '../../test/support/db.js'
import { SYSTEM } from '../server/access.js'
import { ManualClock, systemClock } from '../server/clock.js'
import { runLiveTraffic, runTraffic, type TrafficResult } from './traffic.js'

/** Monday 7 December 2026, 00:00 in Beijing: two ordinary working days follow. */
const START = Date.parse('2026-12-07T00:00:00+08:00')

describe.each(DIALECTS)('traffic simulator on %s', (dialect) => {
  async function simulate(
    seed: number,
    days = 2,
    casesPerDay = 20,
    appealsPerDay = 0,
  ): Promise<{
    result: TrafficResult
    statuses: Record<string, number>
    audit: { ok: boolean; problems: unknown[]; differences: unknown[] }
  }> {
    const app = await createTestApp(dialect, { app: { clock: new ManualClock(START) } })
    try {
      const progress: number[] = []
      const result = await runTraffic(app, {
        seed,
        days,
        casesPerDay,
        appealsPerDay,
        onProgress: (done) => progress.push(done),
      })
      expect(progress.at(-1)).toBe(days * 24)
      expect(app.services.clock.now()).toBe(START + days * 86_400_000)
      // The statuses the cases table holds at the end.
      const statuses: Record<string, number> = {}
      const citizens = new Set<string>()
      for (const row of await app.database.db
        .selectFrom('case_file')
        .select(['applicant_id', 'status'])
        .execute()) {
        statuses[row.status] = (statuses[row.status] ?? 0) + 1
        citizens.add(row.applicant_id)
      }
      expect(citizens.size).toBeGreaterThan(10)
      const audit = await app.services.audit.run(SYSTEM)
      return {
        result,
        statuses,
        audit: {
          ok: audit.ok,
          problems: audit.ledger.filter((l) => l.problem !== null),
          differences: audit.replay.differences,
        },
      }
    } finally {
      await app.dispose()
    }
  }

  it('two days × ~20 applications: completed, running, rejected and supplemented cases, deterministic, ledger clean', async () => {
    const first = await simulate(20261207)
    const r = first.result
    expect(r.submitted).toBeGreaterThanOrEqual(30)
    expect(r.submitted).toBeLessThanOrEqual(50)
    expect(r.submitted).toBe(r.online + r.window)
    expect(r.window).toBeGreaterThan(0)
    expect(r.completed).toBeGreaterThan(0)
    expect(r.rejected).toBeGreaterThan(0)
    expect(r.open).toBeGreaterThan(0)
    expect(r.supplements).toBeGreaterThan(0)
    expect(r.resubmitted).toBeGreaterThan(0)
    expect(r.completed + r.rejected + r.open).toBe(r.submitted)
    expect(first.statuses.completed).toBe(r.completed)
    expect(first.statuses.rejected).toBe(r.rejected)
    expect(Object.keys(first.statuses)).toEqual(expect.arrayContaining(['in_progress']))
    expect(first.audit).toEqual({ ok: true, problems: [], differences: [] })

    // The same seed from the same start: the same traffic, whatever ids and row order the database gives.
    const again = await simulate(20261207)
    expect(again.result).toEqual(first.result)
    expect(again.statuses).toEqual(first.statuses)
  }, 240_000)

  it('a working week: officials late now and then, so SLA warnings and breaches fire on the working-day calendar', async () => {
    const { result, audit } = await simulate(7, 7, 20)
    expect(result.warned).toBeGreaterThan(0)
    expect(result.breached).toBeGreaterThan(0)
    expect(result.open).toBeGreaterThan(0)
    expect(audit).toEqual({ ok: true, problems: [], differences: [] })
  }, 240_000)

  it('with appeals: hotline and online appeals in several categories, handled, rated; finished cases rated; deterministic', async () => {
    const first = await simulate(20261208, 2, 20, 20)
    const a = first.result.appeals
    expect(a.appeals).toBeGreaterThanOrEqual(20)
    expect(a.appeals).toBe(a.hotline + a.online)
    expect(a.hotline).toBeGreaterThan(0)
    expect(a.online).toBeGreaterThan(0)
    expect(a.accepted).toBeGreaterThan(0)
    expect(a.responded).toBeGreaterThan(0)
    expect(a.resolved).toBeGreaterThan(0)
    expect(a.casesRated).toBeGreaterThan(0)
    expect(first.audit).toEqual({ ok: true, problems: [], differences: [] })
    const again = await simulate(20261208, 2, 20, 20)
    expect(again.result).toEqual(first.result)
  }, 240_000)

  it('live: about the asked rate of ledger events per second on the real clock, cases and appeals', async () => {
    const app = await createTestApp(dialect, { app: { clock: systemClock } })
    try {
      const seconds: number[] = []
      const r = await runLiveTraffic(app, {
        seed: 5,
        casesPerDay: 200,
        appealsPerDay: 100,
        rate: 20,
        durationS: 2,
        onProgress: (_events, s) => seconds.push(s),
      })
      expect(r.seconds).toBeGreaterThanOrEqual(1.9)
      expect(r.seconds).toBeLessThan(4)
      expect(r.submitted).toBeGreaterThan(0)
      // At most the rate allows (one action may overshoot), and not far below it.
      expect(r.events).toBeLessThanOrEqual(20 * r.seconds + 15)
      expect(r.events).toBeGreaterThanOrEqual(20 * r.seconds * 0.6)
      expect(seconds.length).toBeGreaterThan(0)
      await expect(runTraffic(app, { seed: 1, days: 1, casesPerDay: 1 })).rejects.toMatchObject({
        code: 'CONFLICT',
      })
    } finally {
      await app.dispose()
    }
  }, 60_000)

  it('refuses an app on the system clock', async () => {
    const app = await createTestApp(dialect, { app: { clock: systemClock } })
    try {
      await expect(runTraffic(app, { seed: 1, days: 1, casesPerDay: 1 })).rejects.toMatchObject({
        code: 'CONFLICT',
      })
    } finally {
      await app.dispose()
    }
  })
})
