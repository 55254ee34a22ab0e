import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { loadDemoCatalogue } from './demo/index.js'

describe.each(DIALECTS)('catalogue on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect)
  })
  afterAll(() => app?.dispose())

  it('lists every demo matter with its time limit, departments and process summary', async () => {
    const res = await api(app, 'GET', '/api/matters')
    expect(res.status).toBe(200)
    const codes = res.body.map((m: { code: string }) => m.code)
    expect(codes).toEqual(
      expect.arrayContaining([
        'TAX_REFUND',
        'BIZ_STARTUP',
        'RESIDENCE_PERMIT',
        'SOCIAL_SECURITY_TRANSFER',
        'REAL_ESTATE_REGISTRATION',
        'CONSTRUCTION_PERMIT',
      ]),
    )
    expect(codes.length).toBeGreaterThanOrEqual(8)
    const startup = res.body.find((m: { code: string }) => m.code === 'BIZ_STARTUP')
    expect(startup).toMatchObject({
      name: expect.stringContaining('企业开办'),
      version: 2,
      slaDays: 2,
      trips: 0,
      process: { parallel: true },
    })
    expect(startup.departments).toEqual(
      expect.arrayContaining([
        'market_regulation',
        'tax',
        'human_resources_social_security',
        'public_security',
      ]),
    )
  })

  it('serves one matter with its form, materials and versions; old versions stay available', async () => {
    const res = await api(app, 'GET', '/api/matters/BIZ_STARTUP')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      code: 'BIZ_STARTUP',
      version: 2,
      versions: [1, 2],
      formSchema: { type: 'object' },
    })
    expect(res.body.materials.length).toBeGreaterThan(0)
    expect(
      res.body.process.steps.filter((s: { departmentKind: string | null }) => s.departmentKind).length,
    ).toBeGreaterThanOrEqual(5)
    const v1 = await api(app, 'GET', '/api/matters/BIZ_STARTUP?version=1')
    expect(v1.body).toMatchObject({ version: 1, process: { parallel: false } })
    expect(v1.body.slaDays).toBeGreaterThan(res.body.slaDays)
    expect(v1.body.trips).toBeGreaterThan(res.body.trips)
    const xml = await app.server.inject({
      method: 'GET',
      url: '/api/matters/CONSTRUCTION_PERMIT/process.bpmn',
    })
    expect(xml.statusCode).toBe(200)
    expect(xml.body).toContain('xzt:matter="CONSTRUCTION_PERMIT"')
    expectError(await api(app, 'GET', '/api/matters/NO_SUCH_MATTER'), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/matters/BIZ_STARTUP?version=9'), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/matters/lower-case'), 400, 'VALIDATION_FAILED')
  })

  it('prefills the citizen’s form from the data platform, naming each value’s source', async () => {
    const citizen = await login(app, 'citizen.demo')
    const res = await api(app, 'GET', '/api/matters/TAX_REFUND/prefill', { token: citizen })
    expect(res.status).toBe(200)
    const paths = Object.keys(res.body.sources)
    expect(paths.length).toBeGreaterThan(2)
    for (const path of paths) {
      const value = path.split('.').reduce<any>((v, k) => v?.[k], res.body.data)
      expect(value, path).not.toBeUndefined()
      expect(res.body.sources[path]).toMatchObject({
        source: expect.any(String),
        department: expect.any(String),
        recordKey: expect.any(String),
      })
    }
    expect(Object.values(res.body.sources).some((s: any) => s.source === 'tax')).toBe(true)
    expect(Object.values(res.body.sources).some((s: any) => s.source === 'household')).toBe(true)
    expectError(
      await api(app, 'GET', '/api/matters/TAX_REFUND/prefill', { token: await login(app, 'official.demo') }),
      403,
      'FORBIDDEN',
    )
    expectError(await api(app, 'GET', '/api/matters/TAX_REFUND/prefill'), 401, 'UNAUTHENTICATED')
  })

  it('deploys versions immutably, refuses bad processes with the element named, and records deployments', async () => {
    const admin = await login(app, 'admin')
    const demo = loadDemoCatalogue().find((m) => m.matter.code === 'RESIDENCE_PERMIT')!
    const same = await api(app, 'POST', '/api/matters', {
      token: admin,
      body: { matter: demo.matter, formSchema: demo.formSchema, processXml: demo.processXml },
    })
    expect(same.status).toBe(201)
    const changed = demo.processXml.replace(/name="[^"]*"/, 'name="改过的名字"')
    expectError(
      await api(app, 'POST', '/api/matters', {
        token: admin,
        body: { matter: demo.matter, formSchema: demo.formSchema, processXml: changed },
      }),
      409,
      'CONFLICT',
    )

    const v2 = { ...demo.matter, version: demo.matter.version + 1, previousVersion: demo.matter.version }
    const xml2 = demo.processXml.replace(
      `xzt:version="${demo.matter.version}"`,
      `xzt:version="${v2.version}"`,
    )
    const deployed = await api(app, 'POST', '/api/matters', {
      token: admin,
      body: { matter: v2, formSchema: demo.formSchema, processXml: xml2 },
    })
    expect(deployed.status).toBe(201)
    expect((await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT')).body.version).toBe(v2.version)

    const v3 = { ...v2, version: v2.version + 1 }
    const bad = xml2
      .replace(`xzt:version="${v2.version}"`, `xzt:version="${v3.version}"`)
      .replace(/<bpmn:userTask /, '<bpmn:scriptTask id="script_1" /><bpmn:userTask ')
    const refused = await api(app, 'POST', '/api/matters', {
      token: admin,
      body: { matter: v3, formSchema: demo.formSchema, processXml: bad },
    })
    expectError(refused, 400, 'INVALID_INPUT')
    expect(JSON.stringify(refused.body.error.details.problems)).toContain('script_1')
    expectError(
      await api(app, 'POST', '/api/matters', {
        token: admin,
        body: { matter: v3, formSchema: { type: 'nonsense' }, processXml: xml2 },
      }),
      400,
      'INVALID_INPUT',
    )
    expectError(
      await api(app, 'POST', '/api/matters', {
        token: await login(app, 'official.demo'),
        body: { matter: v3, formSchema: demo.formSchema, processXml: xml2 },
      }),
      403,
      'FORBIDDEN',
    )

    // A province-wide matter is outside a city administrator's jurisdiction (issue 9).
    const v4 = { ...v2, version: v2.version + 2 }
    const xml4 = xml2.replace(`xzt:version="${v2.version}"`, `xzt:version="${v4.version}"`)
    const byCity = await api(app, 'POST', '/api/matters', {
      token: await login(app, 'admin.4302'),
      body: { matter: v4, formSchema: demo.formSchema, processXml: xml4 },
    })
    expectError(byCity, 403, 'FORBIDDEN')
    expect(byCity.body.error.details.permission).toBe('matter.deploy')
    const byEngineer = await api(app, 'POST', '/api/matters', {
      token: await login(app, 'engineer'),
      body: { matter: v4, formSchema: demo.formSchema, processXml: xml4 },
    })
    expect(byEngineer.status).toBe(201)

    const events = await app.services.ledger.entries('43', 0, 10_000)
    expect(events.filter((e) => e.type === 'matter.deployed').length).toBeGreaterThanOrEqual(12)
  })
})
