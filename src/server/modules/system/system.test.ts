import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { createApp } from '../../app.js'

const DAY = 86_400_000

describe.each(DIALECTS)('the controllable clock on %s', (dialect) => {
  let manual: TestApp
  let system: TestApp
  beforeAll(async () => {
    manual = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    system = await createTestApp(dialect)
  })
  afterAll(async () => {
    await manual?.dispose()
    await system?.dispose()
  })

  it('moves only when an administrator advances it, records it in the ledger, and survives a restart', async () => {
    const admin = await login(manual, 'admin')
    const before = (await api(manual, 'GET', '/api/admin/clock')).body
    expect(before.mode).toBe('manual')
    await new Promise((r) => setTimeout(r, 20))
    expect((await api(manual, 'GET', '/api/admin/clock')).body.now).toBe(before.now)

    const res = await api(manual, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P30D' } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ mode: 'manual', now: before.now + 30 * DAY })
    // The administrator stays logged in: sessions run on wall-clock time.
    expect((await api(manual, 'GET', '/api/auth/me', { token: admin })).status).toBe(200)
    const province = await manual.services.ledger.entries('43', 0, 10_000)
    expect(province.some((e) => e.type === 'system.clock_advanced')).toBe(true)

    const restarted = await createApp(manual.config, { logger: false })
    try {
      expect(restarted.services.clock.now()).toBe(before.now + 30 * DAY)
    } finally {
      await restarted.close()
    }
  })

  it('refuses non-administrators, bad durations, and the system clock', async () => {
    expectError(
      await api(manual, 'POST', '/api/admin/clock', {
        token: await login(manual, 'official.demo'),
        body: { advance: 'P1D' },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(manual, 'POST', '/api/admin/clock', { body: { advance: 'P1D' } }),
      401,
      'UNAUTHENTICATED',
    )
    const admin = await login(manual, 'admin')
    expectError(
      await api(manual, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P1M' } }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(manual, 'POST', '/api/admin/clock', { token: admin, body: { advance: 3 } }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(system, 'POST', '/api/admin/clock', {
        token: await login(system, 'admin'),
        body: { advance: 'P1D' },
      }),
      409,
      'CONFLICT',
    )
    expect((await api(system, 'GET', '/api/admin/clock')).body.mode).toBe('system')
  })

  it('refuses an absurd advance with 400 and keeps answering (a city administrator gets 403)', async () => {
    const admin = await login(manual, 'admin')
    const before = (await api(manual, 'GET', '/api/admin/clock')).body.now
    for (const advance of ['P99999999999999999999999999999999999999W', 'P999999999999999D', 'P3661D']) {
      expectError(
        await api(manual, 'POST', '/api/admin/clock', { token: admin, body: { advance } }),
        400,
        'VALIDATION_FAILED',
      )
    }
    expectError(
      await api(manual, 'POST', '/api/admin/clock', {
        token: await login(manual, 'admin.4302'),
        body: { advance: 'P1D' },
      }),
      403,
      'FORBIDDEN',
    )
    expect((await api(manual, 'GET', '/api/admin/clock')).body.now).toBe(before)
    expect((await api(manual, 'GET', '/healthz')).status).toBe(200)
    // A submission still gets its time limit computed and answered.
    const citizen = await login(manual, 'citizen.demo')
    expect((await api(manual, 'GET', '/api/cases', { token: citizen })).status).toBe(200)
  })
})
