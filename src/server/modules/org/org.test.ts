import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { Department, Staff } from '../../../shared/domain.js'

describe.each(DIALECTS)('organisation on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let admin4301: string
  let admin4302: string
  let official: string
  let citizen: string
  beforeAll(async () => {
    app = await createTestApp(dialect)
    const tokens = await Promise.all(
      ['admin', 'admin.4301', 'admin.4302', 'official.demo', 'citizen.demo'].map((u) => login(app, u)),
    )
    ;[admin, admin4301, admin4302, official, citizen] = tokens as [string, string, string, string, string]
  })
  afterAll(() => app?.dispose())

  it('lists departments of a subtree publicly', async () => {
    const res = await api(app, 'GET', '/api/departments?region=4301')
    expect(res.status).toBe(200)
    const departments = res.body as Department[]
    expect(departments.length).toBeGreaterThan(10)
    expect(departments.every((d) => d.regionCode.startsWith('4301'))).toBe(true)
    expect(departments.find((d) => d.id === '4301-market_regulation')).toMatchObject({
      name: '星城市市场监督管理局',
      kind: 'market_regulation',
    })
    expectError(await api(app, 'GET', '/api/departments'), 400, 'VALIDATION_FAILED')
    expectError(await api(app, 'GET', '/api/departments?region=4399'), 404, 'NOT_FOUND')
  })

  it('scopes staff to the caller’s jurisdiction', async () => {
    const mine = await api(app, 'GET', '/api/staff?region=4301', { token: admin4301 })
    expect(mine.status).toBe(200)
    expect(Number(mine.headers['x-total-count'])).toBeGreaterThan(0)
    expect((mine.body as Staff[]).every((s) => s.regionCode.startsWith('4301'))).toBe(true)
    expect(mine.body[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        username: expect.any(String),
        name: expect.any(String),
        departmentId: expect.any(String),
        roles: expect.any(Array),
      }),
    )

    // A city admin cannot read another city's staff, nor the province's.
    expectError(await api(app, 'GET', '/api/staff?region=4302', { token: admin4301 }), 403, 'FORBIDDEN')
    expectError(await api(app, 'GET', '/api/staff?region=43', { token: admin4301 }), 403, 'FORBIDDEN')
    const other = (await api(app, 'GET', '/api/staff?region=4302&limit=1', { token: admin4302 }))
      .body[0] as Staff
    expectError(await api(app, 'GET', `/api/staff/${other.id}`, { token: admin4301 }), 404, 'NOT_FOUND')

    // The province admin sees every city.
    const all = await api(app, 'GET', '/api/staff?region=4302&limit=5', { token: admin })
    expect(all.status).toBe(200)
    expect(all.body).toHaveLength(5)

    // An ordinary official sees only their own department, even inside their region.
    const dept = await api(app, 'GET', '/api/staff?region=4301&limit=1000', { token: official })
    expect(dept.status).toBe(200)
    expect(new Set((dept.body as Staff[]).map((s) => s.departmentId))).toEqual(
      new Set(['4301-market_regulation']),
    )

    // Citizens and anonymous callers see no staff.
    expectError(await api(app, 'GET', '/api/staff?region=4301', { token: citizen }), 403, 'FORBIDDEN')
    expectError(await api(app, 'GET', '/api/staff?region=4301'), 401, 'UNAUTHENTICATED')
  })

  it('pages and searches staff', async () => {
    const page1 = await api(app, 'GET', '/api/staff?region=4301&limit=3&offset=0', { token: admin4301 })
    const page2 = await api(app, 'GET', '/api/staff?region=4301&limit=3&offset=3', { token: admin4301 })
    expect(page1.body).toHaveLength(3)
    expect(page2.body).toHaveLength(3)
    expect(new Set([...page1.body, ...page2.body].map((s: Staff) => s.id)).size).toBe(6)
    const found = await api(app, 'GET', '/api/staff?region=4301&q=official.demo', { token: admin4301 })
    expect(found.body.map((s: Staff) => s.username)).toEqual(['official.demo'])
    expectError(
      await api(app, 'GET', '/api/staff?region=4301&limit=0', { token: admin4301 }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(
      await api(app, 'GET', '/api/staff?region=4301&limit=abc', { token: admin4301 }),
      400,
      'VALIDATION_FAILED',
    )
  })

  it('lets an administrator create and update staff within their jurisdiction', async () => {
    const body = {
      username: 'zhang.san',
      password: 'correct-horse',
      name: '张三',
      departmentId: '4301-tax',
      roles: ['official'],
    }
    const created = await api(app, 'POST', '/api/staff', { token: admin4301, body })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      username: 'zhang.san',
      name: '张三',
      departmentId: '4301-tax',
      roles: ['official'],
      regionCode: '4301',
    })
    const listed = await api(app, 'GET', '/api/staff?region=4301&q=zhang.san', { token: admin4301 })
    expect(listed.body.map((s: Staff) => s.id)).toEqual([created.body.id])

    // The new account can log in; duplicate usernames conflict.
    await login(app, 'zhang.san', 'correct-horse')
    expectError(await api(app, 'POST', '/api/staff', { token: admin4301, body }), 409, 'CONFLICT')

    // Outside the jurisdiction, without the admin role, or as a citizen: forbidden.
    expectError(
      await api(app, 'POST', '/api/staff', {
        token: admin4301,
        body: { ...body, username: 'li.si', departmentId: '4302-tax' },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/staff', { token: official, body: { ...body, username: 'li.si' } }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/staff', { token: citizen, body: { ...body, username: 'li.si' } }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/staff', {
        token: admin4301,
        body: { ...body, username: 'li.si', departmentId: 'nope' },
      }),
      404,
      'NOT_FOUND',
    )

    // Updates: move department, change roles, deactivate (then login fails).
    const patched = await api(app, 'PATCH', `/api/staff/${created.body.id}`, {
      token: admin4301,
      body: { departmentId: '4301-market_regulation', roles: ['official', 'supervisor'], position: '科长' },
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      departmentId: '4301-market_regulation',
      roles: ['official', 'supervisor'],
      position: '科长',
    })
    expectError(
      await api(app, 'PATCH', `/api/staff/${created.body.id}`, {
        token: admin4301,
        body: { departmentId: '4302-tax' },
      }),
      403,
      'FORBIDDEN',
    )
    expect(
      (
        await api(app, 'PATCH', `/api/staff/${created.body.id}`, {
          token: admin4301,
          body: { active: false },
        })
      ).body.active,
    ).toBe(false)
    await expect(login(app, 'zhang.san', 'correct-horse')).rejects.toThrow(/401/)
  })

  it('creates and renames departments', async () => {
    const created = await api(app, 'POST', '/api/departments', {
      token: admin4301,
      body: { name: '星城市信访局', regionCode: '4301', kind: 'government_office' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: '星城市信访局', regionCode: '4301' })
    expectError(
      await api(app, 'POST', '/api/departments', {
        token: admin4301,
        body: { name: '星城市信访局', regionCode: '4301', kind: 'government_office' },
      }),
      409,
      'CONFLICT',
    )
    expectError(
      await api(app, 'POST', '/api/departments', {
        token: admin4301,
        body: { name: '外地局', regionCode: '4302', kind: 'tax' },
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/departments', {
        token: admin4301,
        body: { name: 'x', regionCode: '4301', kind: 'spaceport' },
      }),
      400,
      'VALIDATION_FAILED',
    )
    const renamed = await api(app, 'PATCH', `/api/departments/${created.body.id}`, {
      token: admin4301,
      body: { name: '星城市人民来访接待局' },
    })
    expect(renamed.body.name).toBe('星城市人民来访接待局')
    expect((await api(app, 'GET', `/api/departments/${created.body.id}`)).body.name).toBe(
      '星城市人民来访接待局',
    )
  })

  it('lets a citizen read only their own profile, with identity numbers masked', async () => {
    const me = (await api(app, 'GET', '/api/auth/me', { token: citizen })).body
    const own = await api(app, 'GET', `/api/citizens/${me.id}`, { token: citizen })
    expect(own.status).toBe(200)
    expect(own.body.idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/)
    expect(own.body).not.toHaveProperty('idNumber')
    expectError(await api(app, 'GET', '/api/citizens/ct-0000002', { token: citizen }), 403, 'FORBIDDEN')
    // Province admin may; an official may not (personal data needs a purpose: cases, later).
    expect((await api(app, 'GET', '/api/citizens/ct-0000002', { token: admin })).status).toBe(200)
    expectError(await api(app, 'GET', '/api/citizens/ct-0000002', { token: official }), 403, 'FORBIDDEN')
  })
})
