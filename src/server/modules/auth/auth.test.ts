import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError } from '../../../../test/support/http.js'

function cookieHeader(setCookie: unknown): string {
  const list = Array.isArray(setCookie) ? setCookie : [setCookie]
  return list.map((c) => String(c).split(';')[0]).join('; ')
}

describe.each(DIALECTS)('authentication on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_LOGIN_RATE_LIMIT: '5' } })
  })
  afterAll(() => app?.dispose())

  it('logs in with a token, a httpOnly session cookie and a CSRF cookie', async () => {
    const res = await api(app, 'POST', '/api/auth/login', {
      body: { username: 'admin', password: 'xzt-demo' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      token: expect.any(String),
      csrfToken: expect.any(String),
      user: { username: 'admin', kind: 'staff', roles: ['admin'], regionCode: '43' },
    })
    const cookies = (res.headers['set-cookie'] as string[]).join('\n')
    expect(cookies).toMatch(/xzt_session=[^;]+;.*HttpOnly/i)
    expect(cookies).toMatch(/xzt_session=[^;]+;.*SameSite=Lax/i)
    expect(cookies).toMatch(/xzt_csrf=/)
    const me = await api(app, 'GET', '/api/auth/me', { token: res.body.token })
    expect(me.body).toMatchObject({
      username: 'admin',
      regionName: '潇湘省',
      departmentName: expect.stringContaining('潇湘省'),
    })
    // The permissions come from the one table, so the web hides exactly what the server refuses.
    expect(me.body.permissions).toEqual(expect.arrayContaining(['org.manage', 'audit.run', 'clock.advance']))
    expect(me.body.permissions).not.toContain('case.apply')
    expect(res.body.user.permissions).toEqual(me.body.permissions)
  })

  it('answers 401 for a wrong password, an unknown user and a bad token', async () => {
    expectError(
      await api(app, 'POST', '/api/auth/login', { body: { username: 'admin.4303', password: 'nope' } }),
      401,
      'INVALID_CREDENTIALS',
    )
    expectError(
      await api(app, 'POST', '/api/auth/login', { body: { username: 'nobody.here', password: 'xzt-demo' } }),
      401,
      'INVALID_CREDENTIALS',
    )
    expectError(await api(app, 'GET', '/api/auth/me', { token: 'forged' }), 401, 'UNAUTHENTICATED')
    expectError(
      await api(app, 'GET', '/api/auth/me', { headers: { authorization: 'Basic abc' } }),
      401,
      'UNAUTHENTICATED',
    )
    expectError(await api(app, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED')
  })

  it('requires the CSRF header on cookie-authenticated writes but not with a bearer token', async () => {
    const login = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin.4305', password: 'xzt-demo' },
    })
    const cookie = cookieHeader(login.headers['set-cookie'])
    const csrf = login.json<{ csrfToken: string }>().csrfToken
    const body = { name: '测试局', regionCode: '4305', kind: 'tax' }
    // GET with the cookie works without CSRF.
    expect((await api(app, 'GET', '/api/auth/me', { headers: { cookie } })).status).toBe(200)
    expectError(await api(app, 'POST', '/api/departments', { headers: { cookie }, body }), 403, 'CSRF_FAILED')
    expectError(
      await api(app, 'POST', '/api/departments', { headers: { cookie, 'x-csrf-token': 'wrong' }, body }),
      403,
      'CSRF_FAILED',
    )
    expect(
      (await api(app, 'POST', '/api/departments', { headers: { cookie, 'x-csrf-token': csrf }, body }))
        .status,
    ).toBe(201)
    // Logout with the cookie ends the session.
    expect(
      (await api(app, 'POST', '/api/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } })).status,
    ).toBe(204)
    expectError(await api(app, 'GET', '/api/auth/me', { headers: { cookie } }), 401, 'UNAUTHENTICATED')
  })

  it('rate-limits repeated login attempts per client and username', async () => {
    const attempt = () =>
      api(app, 'POST', '/api/auth/login', { body: { username: 'admin.4306', password: 'wrong' } })
    for (let i = 0; i < 5; i++) expectError(await attempt(), 401, 'INVALID_CREDENTIALS')
    const limited = await attempt()
    expectError(limited, 429, 'RATE_LIMITED')
    expect(limited.body.error.details.retryAfterSeconds).toBeGreaterThan(0)
    // Another username from the same client is not affected.
    expect(
      (await api(app, 'POST', '/api/auth/login', { body: { username: 'admin.4307', password: 'xzt-demo' } }))
        .status,
    ).toBe(200)
  })
})
