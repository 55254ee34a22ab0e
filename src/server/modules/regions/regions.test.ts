import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { SYSTEM } from '../../access.js'
import type { Region } from '../../../shared/domain.js'

describe.each(DIALECTS)('regions on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect)
  })
  afterAll(() => app?.dispose())

  it('serves the province, its 14 cities and drill-down to streets', async () => {
    const province = await api(app, 'GET', '/api/regions/43')
    expect(province.status).toBe(200)
    expect(province.body).toMatchObject({ code: '43', name: '潇湘省', level: 'province', parentCode: null })
    expect(province.body.population).toBeGreaterThan(10_000_000)

    const cities = await api(app, 'GET', '/api/regions/43/children')
    expect(cities.body.map((r: Region) => r.code)).toEqual(
      Array.from({ length: 14 }, (_, i) => `43${String(i + 1).padStart(2, '0')}`),
    )
    expect(cities.body.find((r: Region) => r.code === '4301').name).toBe('星城市')

    const counties = (await api(app, 'GET', '/api/regions/4301/children')).body as Region[]
    expect(counties.length).toBeGreaterThan(3)
    const streets = (await api(app, 'GET', `/api/regions/${counties[0]!.code}/children`)).body as Region[]
    expect(
      streets.every((s) => s.level === 'street' && s.code.length === 9 && s.parentCode === counties[0]!.code),
    ).toBe(true)
    expect((await api(app, 'GET', `/api/regions/${streets[0]!.code}/children`)).body).toEqual([])

    const ancestors = (await api(app, 'GET', `/api/regions/${streets[0]!.code}/ancestors`)).body as Region[]
    expect(ancestors.map((r) => r.level)).toEqual(['province', 'city', 'county', 'street'])
  })

  it('code structure holds for every stored region', async () => {
    const fc = await app.services.regions.exportFeatureCollection('43')
    const codes = new Set(fc.features.map((f) => f.properties.code))
    for (const { properties: r, geometry } of fc.features) {
      expect(r.code).toMatch(/^\d+$/)
      expect({ level: r.level, length: r.code.length }).toEqual({
        level: r.level,
        length: { province: 2, city: 4, county: 6, street: 9 }[r.level],
      })
      if (r.parentCode !== null) {
        expect(r.code.startsWith(r.parentCode)).toBe(true)
        expect(codes.has(r.parentCode)).toBe(true)
      } else {
        expect(r.level).toBe('province')
      }
      expect(geometry?.type).toMatch(/Polygon/)
      expect(r.centroid).not.toBeNull()
    }
  })

  it('serves GeoJSON of a level for the map', async () => {
    const fc = await api(app, 'GET', '/api/regions/43/children/geojson')
    expect(fc.status).toBe(200)
    expect(fc.body.type).toBe('FeatureCollection')
    expect(fc.body.features).toHaveLength(14)
    expect(fc.body.features[0].properties).toMatchObject({ code: '4301', level: 'city' })
    const own = await api(app, 'GET', '/api/regions/4301/geojson')
    expect(own.body).toMatchObject({ type: 'Feature', properties: { code: '4301' } })
  })

  it('answers 404 for unknown codes and 400 for malformed ones, in the error shape', async () => {
    expectError(await api(app, 'GET', '/api/regions/99'), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/regions/4399/children'), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/regions/abc'), 400, 'VALIDATION_FAILED')
    expectError(await api(app, 'GET', '/api/regions/12345'), 400, 'VALIDATION_FAILED')
  })

  it('imports GeoJSON all-or-nothing: a bad file changes nothing', async () => {
    const before = await app.services.regions.getRegion('4301')
    const county = (await app.services.regions.listChildren('4301'))[0]!
    const bad = {
      type: 'FeatureCollection',
      features: [
        // A valid rename that must NOT be applied because another feature is bad.
        { type: 'Feature', properties: { code: '4301', name: '改名市', population: 1 }, geometry: null },
        {
          type: 'Feature',
          properties: { code: `${county.code}999`, name: '新街道', population: 5 },
          geometry: null,
        },
        {
          type: 'Feature',
          properties: { code: '4399', name: '', population: -3 },
          geometry: { type: 'Point', coordinates: [0, 0] },
        },
        { type: 'Feature', properties: { code: '439901001', name: '孤儿街道' }, geometry: null },
      ],
    }
    await expect(app.services.regions.importFeatureCollection(SYSTEM, bad)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: {
        problems: expect.arrayContaining([
          expect.objectContaining({ feature: 2, problem: expect.stringContaining('name') }),
          expect.objectContaining({ feature: 2, problem: expect.stringContaining('population') }),
          expect.objectContaining({ feature: 2, problem: expect.stringContaining('Polygon') }),
          expect.objectContaining({ feature: 3, problem: expect.stringContaining('parent region 439901') }),
        ]),
      },
    })
    expect(await app.services.regions.getRegion('4301')).toEqual(before)
    expect(await app.services.regions.findRegion(`${county.code}999`)).toBeUndefined()

    for (const input of [
      null,
      [],
      { type: 'Feature' },
      { type: 'FeatureCollection', features: [] },
      { type: 'FeatureCollection', features: [42] },
    ]) {
      await expect(app.services.regions.importFeatureCollection(SYSTEM, input)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      })
    }
  })

  it('imports a good file (create and update) and round-trips the export', async () => {
    const county = (await app.services.regions.listChildren('4302'))[0]!
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [112, 28],
          [112.01, 28],
          [112.01, 28.01],
          [112, 28.01],
          [112, 28],
        ],
      ],
    }
    const result = await app.services.regions.importFeatureCollection(SYSTEM, {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: `${county.code}998`, name: '试验街道', population: 1234 },
          geometry: square,
        },
        {
          type: 'Feature',
          properties: { code: county.code, name: county.name, population: county.population },
          geometry: square,
        },
      ],
    })
    expect(result).toEqual({ created: 1, updated: 1 })
    const created = await app.services.regions.getRegion(`${county.code}998`)
    expect(created).toMatchObject({ level: 'street', parentCode: county.code, population: 1234 })
    expect(created.centroid![0]).toBeCloseTo(112.005, 4)

    const exported = await app.services.regions.exportFeatureCollection(county.code)
    const again = await app.services.regions.importFeatureCollection(
      SYSTEM,
      JSON.parse(JSON.stringify(exported)),
    )
    expect(again.created).toBe(0)
    expect(again.updated).toBe(exported.features.length)
  })

  it('lets only administrators covering every code import over HTTP', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '4302', name: '改名', population: 1 }, geometry: null },
      ],
    }
    expectError(await api(app, 'POST', '/api/regions/import', { body: fc }), 401, 'UNAUTHENTICATED')
    expectError(
      await api(app, 'POST', '/api/regions/import', { body: fc, token: await login(app, 'admin.4301') }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await api(app, 'POST', '/api/regions/import', { body: fc, token: await login(app, 'citizen.demo') }),
      403,
      'FORBIDDEN',
    )
    expect((await app.services.regions.getRegion('4302')).name).not.toBe('改名')
  })
})
