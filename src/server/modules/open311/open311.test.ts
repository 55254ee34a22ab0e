/**
 * Open311 GeoReport v2 conformance on both dialects, written from the spec summary
 * (shared/specs/open311.md): every endpoint in JSON and XML (the XML read back by a strict reader),
 * POST as a form and as JSON, each error case with the spec's status and error document, the 90-day
 * window and the 1000-row cap, the status filter, ids overriding the other filters, jurisdictions as
 * region codes; API keys issued, listed and revoked by administrators; a filed request reaching the
 * routed department's inbox; and the audit's replay of keys and filings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login, type ApiResponse } from '../../../../test/support/http.js'
import { childText, childrenNamed, parseXml, type XmlElement } from '../../../../test/support/xml.js'
import type { AppealView, AuditRunResult } from '../../../shared/api.js'
import { APPEAL_CATEGORY_CODES } from '../../../shared/domain.js'

const V2 = '/open311/v2'
const JSON_TYPE = 'application/json; charset=utf-8'
const XML_TYPE = 'application/xml; charset=utf-8'
/** The fields of a service request, in the spec's order. */
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
]
const BEIJING_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/

interface Place {
  code: string
  lat: number
  long: number
}

/** A form body, as a GeoReport client sends it. */
const form = (fields: Record<string, string | number>): string =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&')

function xmlOf(res: ApiResponse): XmlElement {
  expect(res.headers['content-type']).toBe(XML_TYPE)
  expect(typeof res.body).toBe('string')
  return parseXml(res.body as string)
}

/** Asserts the spec's error document in either format, with the HTTP status and the body's code. */
function expectOpen311Error(res: ApiResponse, status: number, format: 'json' | 'xml', code = status): string {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  if (format === 'json') {
    expect(res.headers['content-type']).toBe(JSON_TYPE)
    const errors = res.body as { code: number; description: string }[]
    expect(Array.isArray(errors)).toBe(true)
    expect(errors.length).toBeGreaterThan(0)
    for (const e of errors) {
      expect(Object.keys(e).sort()).toEqual(['code', 'description'])
      expect(e.code).toBe(code)
      expect(e.description.length).toBeGreaterThan(0)
    }
    return errors.map((e) => e.description).join('; ')
  }
  const root = xmlOf(res)
  expect(root.name).toBe('errors')
  const errors = childrenNamed(root, 'error')
  expect(errors.length).toBeGreaterThan(0)
  for (const e of errors) {
    expect(childText(e, 'code')).toBe(String(code))
    expect(childText(e, 'description')?.length).toBeGreaterThan(0)
  }
  return errors.map((e) => childText(e, 'description')).join('; ')
}

describe.each(DIALECTS)('Open311 GeoReport v2 (%s)', (dialect) => {
  let app: TestApp
  let admin: string
  let cityAdmin: string
  let apiKey: string
  /** citizen.demo's street (its department: the demo county's, market.demo's). */
  let home: Place
  /** A street of another city. */
  let elsewhere: Place

  async function streetOf(code: string): Promise<Place> {
    const r = (await api(app, 'GET', `/api/regions/${code}`)).body as {
      code: string
      centroid: [number, number]
    }
    const [long, lat] = r.centroid
    return { code: r.code, lat, long }
  }

  async function issueKey(
    token: string,
    name: string,
  ): Promise<{ id: string; api_key: string; regionCode: string }> {
    const res = await api(app, 'POST', '/api/open311/keys', { token, body: { name } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  function post(
    format: 'json' | 'xml',
    fields: Record<string, string | number>,
    as: 'form' | 'json' = 'form',
  ) {
    return api(app, 'POST', `${V2}/requests.${format}`, {
      rawBody: as === 'form' ? form(fields) : JSON.stringify(fields),
      headers: { 'content-type': as === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' },
    })
  }

  /** Files a request at citizen.demo's street; returns its id and token. */
  async function file(fields: Record<string, string | number> = {}): Promise<{ id: string; token: string }> {
    const res = await post('json', {
      api_key: apiKey,
      service_code: 'market/pricing',
      lat: home.lat,
      long: home.long,
      description: '菜市场乱收费',
      ...fields,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const [one] = res.body as { service_request_id: string; token: string }[]
    return { id: one!.service_request_id, token: one!.token }
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
    cityAdmin = await login(app, 'admin.4301')
    apiKey = (await issueKey(admin, 'FixMyStreet 潇湘')).api_key
    const me = (await api(app, 'GET', '/api/auth/me', { token: await login(app, 'citizen.demo') })).body as {
      regionCode: string
    }
    home = await streetOf(me.regionCode)
    const cities = (await api(app, 'GET', '/api/regions/43/children')).body as { code: string }[]
    const other = cities.find((c) => c.code !== home.code.slice(0, 4))!.code
    let code = other
    for (;;) {
      const children = (await api(app, 'GET', `/api/regions/${code}/children`)).body as { code: string }[]
      if (children.length === 0) break
      code = children[0]!.code
    }
    elsewhere = await streetOf(code)
  })
  afterAll(() => app?.dispose())

  describe('API keys', () => {
    it('are issued to administrators for their region, shown once, listed without secrets, and revoked', async () => {
      const key = await issueKey(cityAdmin, '长沙市城管通')
      expect(key).toMatchObject({ name: '长沙市城管通', regionCode: '4301' })
      expect(key.api_key).toMatch(/^o311_[A-Za-z0-9_-]{43}$/)
      const listed = (await api(app, 'GET', '/api/open311/keys', { token: cityAdmin })).body as Record<
        string,
        unknown
      >[]
      const mine = listed.find((k) => k.id === key.id)
      expect(mine).toMatchObject({ name: '长沙市城管通', regionCode: '4301', revokedAt: null })
      expect(JSON.stringify(listed)).not.toContain(key.api_key)
      expect(Object.keys(mine!)).not.toContain('digest')
      // The city's administrator sees the city's keys, the province's sees every key.
      expect(listed.every((k) => String(k.regionCode).startsWith('4301'))).toBe(true)
      const all = (await api(app, 'GET', '/api/open311/keys', { token: admin })).body as { id: string }[]
      expect(all.map((k) => k.id)).toContain(key.id)

      const filed = await post('json', {
        api_key: key.api_key,
        service_code: 'urban/road',
        lat: home.lat,
        long: home.long,
        description: '路面坑洼',
      })
      expect(filed.status).toBe(200)
      expect((await api(app, 'DELETE', `/api/open311/keys/${key.id}`, { token: cityAdmin })).status).toBe(204)
      expect((await api(app, 'DELETE', `/api/open311/keys/${key.id}`, { token: cityAdmin })).status).toBe(204)
      const after = (await api(app, 'GET', '/api/open311/keys', { token: cityAdmin })).body as Record<
        string,
        unknown
      >[]
      expect(after.find((k) => k.id === key.id)).toMatchObject({ revokedBy: expect.any(String) })
      const refused = await post('xml', {
        api_key: key.api_key,
        service_code: 'urban/road',
        lat: home.lat,
        long: home.long,
      })
      expect(expectOpen311Error(refused, 403, 'xml')).toMatch(/revoked/)
    })

    it('are for administrators only, within their region', async () => {
      const citizen = await login(app, 'citizen.demo')
      const official = await login(app, 'official.demo')
      expectError(
        await api(app, 'POST', '/api/open311/keys', { token: citizen, body: { name: 'x' } }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await api(app, 'POST', '/api/open311/keys', { token: official, body: { name: 'x' } }),
        403,
        'FORBIDDEN',
      )
      expectError(await api(app, 'GET', '/api/open311/keys', { token: official }), 403, 'FORBIDDEN')
      expectError(
        await api(app, 'POST', '/api/open311/keys', { body: { name: 'x' } }),
        401,
        'UNAUTHENTICATED',
      )
      expectError(
        await api(app, 'POST', '/api/open311/keys', { token: admin, body: { name: '   ' } }),
        400,
        'VALIDATION_FAILED',
      )
      expectError(
        await api(app, 'POST', '/api/open311/keys', { token: admin, body: {} }),
        400,
        'VALIDATION_FAILED',
      )
      const province = await issueKey(admin, '省级客户端')
      expectError(
        await api(app, 'DELETE', `/api/open311/keys/${province.id}`, { token: cityAdmin }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await api(app, 'DELETE', '/api/open311/keys/no-such-key', { token: admin }),
        404,
        'NOT_FOUND',
      )
    })

    it('file only inside their region', async () => {
      const key = await issueKey(cityAdmin, '长沙市客户端')
      const res = await post('json', {
        api_key: key.api_key,
        service_code: 'urban/road',
        lat: elsewhere.lat,
        long: elsewhere.long,
        description: '路灯不亮',
      })
      expect(expectOpen311Error(res, 403, 'json')).toMatch(/4301/)
    })
  })

  describe('discovery and services', () => {
    it('discovery lists the endpoint and both formats', async () => {
      const json = await api(app, 'GET', `${V2}/discovery.json`)
      expect(json.status).toBe(200)
      expect(json.headers['content-type']).toBe(JSON_TYPE)
      expect(json.body).toMatchObject({
        changeset: expect.stringMatching(BEIJING_ISO),
        key_service: expect.any(String),
      })
      const [endpoint] = json.body.endpoints
      expect(endpoint).toMatchObject({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        type: 'production',
        formats: ['text/xml', 'application/json'],
      })
      expect(endpoint.url).toMatch(/\/open311\/v2$/)
      const xml = xmlOf(await api(app, 'GET', `${V2}/discovery.xml`))
      expect(xml.name).toBe('discovery')
      const ep = childrenNamed(childrenNamed(xml, 'endpoints')[0]!, 'endpoint')[0]!
      expect(childrenNamed(childrenNamed(ep, 'formats')[0]!, 'format').map((f) => f.text)).toEqual([
        'text/xml',
        'application/json',
      ])
    })

    it('services are the appeal categories, the same in JSON and XML', async () => {
      const json = await api(app, 'GET', `${V2}/services.json`)
      expect(json.status).toBe(200)
      const services = json.body as Record<string, unknown>[]
      expect(services.map((s) => s.service_code)).toEqual([...APPEAL_CATEGORY_CODES])
      expect(services.find((s) => s.service_code === 'urban/road')).toEqual({
        service_code: 'urban/road',
        service_name: '道路破损',
        description: expect.stringContaining('城市管理'),
        metadata: true,
        type: 'realtime',
        keywords: expect.stringContaining('道路破损'),
        group: '城市管理',
      })
      const xml = xmlOf(await api(app, 'GET', `${V2}/services.xml?jurisdiction_id=4301`))
      expect(xml.name).toBe('services')
      const items = childrenNamed(xml, 'service')
      expect(items.map((s) => childText(s, 'service_code'))).toEqual([...APPEAL_CATEGORY_CODES])
      const road = items.find((s) => childText(s, 'service_code') === 'urban/road')!
      expect(childText(road, 'metadata')).toBe('true')
      expect(childText(road, 'group')).toBe('城市管理')
      expect((await api(app, 'GET', `${V2}/services.json?jurisdiction_id=`)).status).toBe(200)
      expectOpen311Error(await api(app, 'GET', `${V2}/services.xml?jurisdiction_id=4399`), 404, 'xml')
    })

    it('a service definition offers the kind of appeal, by encoded or plain code', async () => {
      for (const url of [`${V2}/services/urban%2Froad.json`, `${V2}/services/urban/road.json`]) {
        const res = await api(app, 'GET', url)
        expect(res.status, url).toBe(200)
        expect(res.body).toMatchObject({
          service_code: 'urban/road',
          attributes: [
            {
              variable: true,
              code: 'kind',
              datatype: 'singlevaluelist',
              required: false,
              order: 1,
              values: [
                { key: 'complaint', name: expect.stringContaining('投诉') },
                { key: 'suggestion', name: expect.any(String) },
                { key: 'inquiry', name: expect.any(String) },
                { key: 'praise', name: expect.any(String) },
              ],
            },
          ],
        })
      }
      const xml = xmlOf(await api(app, 'GET', `${V2}/services/urban/road.xml`))
      expect(xml.name).toBe('service_definition')
      const attr = childrenNamed(childrenNamed(xml, 'attributes')[0]!, 'attribute')[0]!
      expect(childText(attr, 'datatype')).toBe('singlevaluelist')
      expect(
        childrenNamed(childrenNamed(attr, 'values')[0]!, 'value').map((v) => childText(v, 'key')),
      ).toEqual(['complaint', 'suggestion', 'inquiry', 'praise'])
      expectOpen311Error(await api(app, 'GET', `${V2}/services/urban/nothing.json`), 404, 'json')
      expectOpen311Error(await api(app, 'GET', `${V2}/services/nothing.xml`), 404, 'xml')
    })

    it('answers another extension, or another resource, with 404 in the spec’s shape', async () => {
      for (const url of [
        'discovery.html',
        'services.csv',
        'requests.yaml',
        'requests/x.txt',
        'tokens/x.',
        'nothing.json',
      ])
        expectOpen311Error(await api(app, 'GET', `${V2}/${url}`), 404, 'json')
      expectOpen311Error(await api(app, 'GET', `${V2}/nothing.xml`), 404, 'xml')
      expectOpen311Error(
        await api(app, 'POST', `${V2}/requests.html`, {
          rawBody: form({ api_key: apiKey }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        404,
        'json',
      )
      // The rest of the API keeps its own error shape.
      expectError(await api(app, 'GET', '/api/no-such-route'), 404, 'NOT_FOUND')
    })
  })

  describe('POST requests', () => {
    it('files a form as an appeal, routed like every appeal, visible to the department', async () => {
      const res = await post('xml', {
        api_key: apiKey,
        service_code: 'market/pricing',
        lat: home.lat,
        long: home.long,
        description: '农贸市场 <摊位> 乱收费 & 不开票',
        first_name: '三',
        last_name: '张',
        phone: '13800000000',
        email: 'zhang@example.cn',
        account_id: 'fms-42',
        'attribute[kind]': 'suggestion',
      })
      expect(res.status).toBe(200)
      const root = xmlOf(res)
      expect(root.name).toBe('service_requests')
      const [request] = childrenNamed(root, 'request')
      const id = childText(request!, 'service_request_id')!
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      expect(childText(request!, 'token')!.length).toBeGreaterThan(10)
      expect(childText(request!, 'account_id')).toBe('fms-42')
      expect(childText(request!, 'service_notice')).toMatch(/市场监督管理局/)

      const market = await login(app, 'market.demo')
      const seen = await api(app, 'GET', `/api/appeals/${id}`, { token: market })
      expect(seen.status, JSON.stringify(seen.body)).toBe(200)
      const appeal = seen.body as AppealView
      expect(appeal).toMatchObject({
        kind: 'suggestion',
        category: 'market/pricing',
        channel: 'open311',
        status: 'dispatched',
        text: '农贸市场 <摊位> 乱收费 & 不开票',
        regionCode: home.code,
        location: { lat: home.lat, lng: home.long },
      })
      expect(appeal.contact).toMatchObject({ name: '张三', phone: '13800000000' })
      expect(appeal.timeline[0]).toMatchObject({
        type: 'appeal.filed',
        ledger: { log: home.code.slice(0, 4) },
      })
      const inbox = (await api(app, 'GET', '/api/appeals?limit=500', { token: market })).body as {
        id: string
      }[]
      expect(inbox.map((a) => a.id)).toContain(id)

      const published = (await api(app, 'GET', `${V2}/requests/${id}.json`)).body as Record<string, unknown>[]
      expect(published).toHaveLength(1)
      expect(Object.keys(published[0]!)).toEqual(REQUEST_FIELDS)
      expect(published[0]).toMatchObject({
        service_request_id: id,
        status: 'open',
        service_code: 'market/pricing',
        service_name: '价格收费',
        agency_responsible: appeal.department.name,
        expected_datetime: expect.stringMatching(BEIJING_ISO),
        requested_datetime: expect.stringMatching(BEIJING_ISO),
        address_id: home.code,
        lat: home.lat,
        long: home.long,
      })
      expect(Date.parse(published[0]!.expected_datetime as string)).toBe(appeal.dueAt)
      // The caller's contact is the department's to see, never published.
      expect(JSON.stringify(published)).not.toContain('13800000000')
    })

    it('takes JSON bodies too, with attributes as an object, and places an address in its jurisdiction', async () => {
      const res = await post(
        'json',
        {
          api_key: apiKey,
          jurisdiction_id: home.code.slice(0, 6),
          service_code: 'other/general',
          address_string: '人民路 88 号',
          description: '表扬社区工作人员',
          attribute: { kind: 'praise' } as unknown as string,
        },
        'json',
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect(res.headers['content-type']).toBe(JSON_TYPE)
      const [one] = res.body as Record<string, unknown>[]
      expect(Object.keys(one!).sort()).toEqual([
        'account_id',
        'service_notice',
        'service_request_id',
        'token',
      ])
      expect(one!.account_id).toBeNull()
      const appeal = (
        await api(app, 'GET', `/api/appeals/${String(one!.service_request_id)}`, { token: admin })
      ).body as AppealView
      expect(appeal).toMatchObject({ kind: 'praise', regionCode: home.code.slice(0, 6), location: null })
      expect(appeal.text).toContain('人民路 88 号')
      // address_id is the region code GET requests gives.
      const byId = await post('json', {
        api_key: apiKey,
        service_code: 'urban/road',
        address_id: home.code,
        description: '井盖缺失',
      })
      expect(byId.status, JSON.stringify(byId.body)).toBe(200)
    })

    it('refuses a missing, unknown or revoked key with 403', async () => {
      const fields = { service_code: 'urban/road', lat: home.lat, long: home.long, description: 'x' }
      expect(expectOpen311Error(await post('json', fields), 403, 'json')).toMatch(/api_key/)
      expectOpen311Error(await post('xml', fields), 403, 'xml')
      expectOpen311Error(await post('json', { ...fields, api_key: '' }), 403, 'json')
      expectOpen311Error(await post('xml', { ...fields, api_key: 'o311_not-a-key' }), 403, 'xml')
      // The key goes in the body (or the query), never a session: a bearer token is no key.
      const res = await api(app, 'POST', `${V2}/requests.json`, { token: admin, body: fields })
      expectOpen311Error(res, 403, 'json')
      const viaQuery = await api(app, 'POST', `${V2}/requests.json?api_key=${encodeURIComponent(apiKey)}`, {
        body: { ...fields, service_code: 'urban/streetlight' },
      })
      expect(viaQuery.status, JSON.stringify(viaQuery.body)).toBe(200)
    })

    it('answers what is missing or wrong with 400 (unknown jurisdiction: 404)', async () => {
      const base = {
        api_key: apiKey,
        service_code: 'urban/road',
        lat: home.lat,
        long: home.long,
        description: '积水',
      }
      const cases: [Record<string, string | number>, RegExp][] = [
        [{ ...base, service_code: '' }, /service_code/],
        [{ ...base, service_code: 'urban/nothing' }, /service_code/],
        [{ api_key: apiKey, service_code: 'urban/road', description: '积水' }, /lat/],
        [{ api_key: apiKey, service_code: 'urban/road', address_string: '人民路' }, /address_string/],
        [{ ...base, long: '' }, /long/],
        [{ ...base, lat: 'north' }, /lat/],
        [{ ...base, lat: 91 }, /lat/],
        [{ ...base, lat: 39.9, long: 116.4 }, /outside the province/],
        [{ ...base, description: '长'.repeat(4001) }, /description/],
        [{ ...base, 'attribute[kind]': 'discrepancy' }, /attribute\[kind\]/],
        [{ ...base, email: 'not-an-address' }, /email/],
        [{ api_key: apiKey, service_code: 'urban/road', address_id: '4399' }, /address_id/],
      ]
      for (const [i, [fields, why]] of cases.entries()) {
        const format = i % 2 ? 'xml' : 'json'
        expect(
          expectOpen311Error(await post(format, fields), 400, format),
          JSON.stringify(fields).slice(0, 80),
        ).toMatch(why)
      }
      expectOpen311Error(await post('xml', { ...base, jurisdiction_id: '4399' }), 404, 'xml')
      const text = await api(app, 'POST', `${V2}/requests.json`, {
        rawBody: 'api_key=x',
        headers: { 'content-type': 'text/plain' },
      })
      expectOpen311Error(text, 400, 'json', 415)
      const malformed = await api(app, 'POST', `${V2}/requests.xml`, { rawBody: '{"api_key":' })
      expectOpen311Error(malformed, 400, 'xml')
    })

    it('gives a token that finds the request', async () => {
      const { id, token } = await file()
      expect(token).not.toBe(id)
      const json = await api(app, 'GET', `${V2}/tokens/${token}.json`)
      expect(json.status).toBe(200)
      expect(json.body).toEqual([{ service_request_id: id, token }])
      const xml = xmlOf(
        await api(app, 'GET', `${V2}/tokens/${token}.xml?jurisdiction_id=${home.code.slice(0, 4)}`),
      )
      const [request] = childrenNamed(xml, 'request')
      expect(childText(request!, 'service_request_id')).toBe(id)
      expect(childText(request!, 'token')).toBe(token)
      expectOpen311Error(
        await api(app, 'GET', `${V2}/tokens/${token}.json?jurisdiction_id=${elsewhere.code.slice(0, 4)}`),
        404,
        'json',
      )
      expectOpen311Error(await api(app, 'GET', `${V2}/tokens/no-such-token.json`), 404, 'json')
      expectOpen311Error(await api(app, 'GET', `${V2}/tokens/no-such-token.xml`), 404, 'xml')
    })
  })

  describe('the audit', () => {
    it('keeps the audit clean, and names a key whose digest was swapped', async () => {
      const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
      expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
      expect(clean.replay.byModule.open311).toBeGreaterThanOrEqual(5)
      const key = await issueKey(admin, '被篡改的密钥')
      await app.database.db
        .updateTable('open311_key')
        .set({ digest: 'f'.repeat(64) })
        .where('id', '=', key.id)
        .execute()
      const tampered = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
      expect(tampered.ok).toBe(false)
      expect(tampered.replay.differences).toContainEqual(
        expect.objectContaining({ table: 'open311_key', key: key.id, field: 'digest' }),
      )
    })
  })

  describe('GET requests', () => {
    it('lists requests in both formats, newest first, by service, jurisdiction and status', async () => {
      const market = await login(app, 'market.demo')
      // A minute between filings, so "newest first" is seen (the manual clock stands still otherwise).
      const minute = async () =>
        expect(
          (await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'PT1M' } })).status,
        ).toBe(200)
      const first = await file({ service_code: 'market/consumer', description: '商家拒绝退货' })
      await minute()
      const second = await file({ service_code: 'market/consumer', description: '商家拒绝退货，同一家' })
      await minute()
      // The department merges the duplicate, and resolves a third.
      const merged = await api(app, 'POST', `/api/appeals/${second.id}/merge`, {
        token: market,
        body: { into: first.id },
      })
      expect(merged.status, JSON.stringify(merged.body)).toBe(200)
      const third = await file({
        service_code: 'market/consumer',
        description: '过期食品',
        lat: home.lat + 0.0001,
      })
      expect((await api(app, 'POST', `/api/appeals/${third.id}/accept`, { token: market })).status).toBe(200)
      const resolved = await api(app, 'POST', `/api/appeals/${third.id}/resolve`, {
        token: market,
        body: { text: '已责令下架并处罚' },
      })
      expect(resolved.status, JSON.stringify(resolved.body)).toBe(200)

      const list = async (query: string) => {
        const res = await api(app, 'GET', `${V2}/requests.json?${query}`)
        expect(res.status, JSON.stringify(res.body)).toBe(200)
        return res.body as Record<string, unknown>[]
      }
      const all = await list('service_code=market/consumer')
      expect(all.map((r) => r.service_request_id)).toEqual([third.id, second.id, first.id])
      expect(all.find((r) => r.service_request_id === second.id)).toMatchObject({
        status: 'closed',
        status_notes: expect.stringContaining(first.id),
        updated_datetime: expect.stringMatching(BEIJING_ISO),
      })
      expect(all.find((r) => r.service_request_id === third.id)).toMatchObject({
        status: 'open',
        status_notes: '已责令下架并处罚',
      })
      const open = await list('service_code=market/consumer&status=open')
      expect(open.map((r) => r.service_request_id)).toEqual([third.id, first.id])
      const closed = await list('service_code=market/consumer&status=closed')
      expect(closed.map((r) => r.service_request_id)).toEqual([second.id])
      expect(await list('service_code=market/consumer&status=open,closed')).toHaveLength(3)
      expect(await list('service_code=market/consumer,market/pricing&status=')).toEqual(
        expect.arrayContaining(all),
      )
      expect(
        await list(`service_code=market/consumer&jurisdiction_id=${elsewhere.code.slice(0, 4)}`),
      ).toEqual([])
      expect(await list(`service_code=market/consumer&jurisdiction_id=${home.code}`)).toHaveLength(3)
      expect(await list('service_code=market/consumer&jurisdiction_id=43')).toHaveLength(3)

      const xml = xmlOf(await api(app, 'GET', `${V2}/requests.xml?service_code=market/consumer`))
      expect(xml.name).toBe('service_requests')
      const items = childrenNamed(xml, 'request')
      expect(items.map((r) => childText(r, 'service_request_id'))).toEqual([third.id, second.id, first.id])
      expect(items[0]!.children.map((c) => c.name)).toEqual(REQUEST_FIELDS)
      expect(childText(items[1]!, 'status')).toBe('closed')
    })

    it('ids override every other filter (not the jurisdiction); unknown ids are left out', async () => {
      const a = await file({ service_code: 'tax/invoice', description: '不开发票' })
      const b = await file({ service_code: 'tax/refund', description: '退税慢' })
      const res = await api(
        app,
        'GET',
        `${V2}/requests.json?service_request_id=${a.id},${b.id},no-such-id&service_code=urban/road&status=closed&start_date=2020-01-01&end_date=2020-01-02`,
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect((res.body as { service_request_id: string }[]).map((r) => r.service_request_id).sort()).toEqual(
        [a.id, b.id].sort(),
      )
      const outside = await api(
        app,
        'GET',
        `${V2}/requests.xml?service_request_id=${a.id}&jurisdiction_id=${elsewhere.code.slice(0, 4)}`,
      )
      expect(childrenNamed(xmlOf(outside), 'request')).toEqual([])
    })

    it('one request is a one-element list; an unknown one is 404', async () => {
      const { id } = await file({ service_code: 'housing/property', description: '物业不作为' })
      const xml = xmlOf(await api(app, 'GET', `${V2}/requests/${id}.xml`))
      expect(childrenNamed(xml, 'request')).toHaveLength(1)
      expect(childText(childrenNamed(xml, 'request')[0]!, 'service_name')).toBe('物业服务')
      expect((await api(app, 'GET', `${V2}/requests/${id}.json?jurisdiction_id=`)).body).toHaveLength(1)
      expectOpen311Error(
        await api(app, 'GET', `${V2}/requests/${id}.json?jurisdiction_id=${elsewhere.code.slice(0, 4)}`),
        404,
        'json',
      )
      expectOpen311Error(await api(app, 'GET', `${V2}/requests/no-such-request.json`), 404, 'json')
      expectOpen311Error(await api(app, 'GET', `${V2}/requests/no-such-request.xml`), 404, 'xml')
    })

    it('gives back the media_url a client filed, in both formats; a URL that is not http(s) is 400', async () => {
      const photo = 'https://media.example.org/photos/market-42.jpg'
      const { id } = await file({ media_url: photo })
      const [one] = (await api(app, 'GET', `${V2}/requests/${id}.json`)).body as {
        media_url: string | null
      }[]
      expect(one!.media_url).toBe(photo)
      const xml = xmlOf(await api(app, 'GET', `${V2}/requests.xml?service_request_id=${id}`))
      expect(childText(childrenNamed(xml, 'request')[0]!, 'media_url')).toBe(photo)
      const listed = (await api(app, 'GET', `${V2}/requests.json?service_code=market/pricing`)).body as {
        service_request_id: string
        media_url: string | null
      }[]
      expect(listed.find((r) => r.service_request_id === id)?.media_url).toBe(photo)
      expect(listed.filter((r) => r.service_request_id !== id).every((r) => r.media_url === null)).toBe(true)
      for (const bad of ['not a url', 'javascript:alert(1)', 'ftp://media.example.org/a.jpg'])
        expectOpen311Error(
          await post('json', {
            api_key: apiKey,
            service_code: 'market/pricing',
            lat: home.lat,
            long: home.long,
            media_url: bad,
          }),
          400,
          'json',
        )
      // The filing's ledger entry holds a digest of the URL, which the audit checks.
      await app.database.db
        .updateTable('open311_request')
        .set({ media_url: 'https://elsewhere.example.org/other.jpg' })
        .where('appeal_id', '=', id)
        .execute()
      const report = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
      expect(report.replay.differences).toContainEqual(
        expect.objectContaining({ table: 'open311_request', key: id, field: 'media' }),
      )
      await app.database.db
        .updateTable('open311_request')
        .set({ media_url: photo })
        .where('appeal_id', '=', id)
        .execute()
    })

    it('refuses bad arguments with 400 and an unknown jurisdiction with 404', async () => {
      const cases: [string, RegExp][] = [
        ['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', /90 days/],
        ['start_date=2026-06-01&end_date=2026-05-01', /before start_date/],
        ['start_date=last-week', /start_date/],
        ['end_date=2026-02-30', /end_date/],
        ['status=fixed', /status/],
        ['service_code=urban/nothing', /service_code/],
      ]
      for (const [query, why] of cases) {
        expect(
          expectOpen311Error(await api(app, 'GET', `${V2}/requests.json?${query}`), 400, 'json'),
          query,
        ).toMatch(why)
        expectOpen311Error(await api(app, 'GET', `${V2}/requests.xml?${query}`), 400, 'xml')
      }
      expectOpen311Error(await api(app, 'GET', `${V2}/requests.json?jurisdiction_id=4399`), 404, 'json')
      expectOpen311Error(await api(app, 'GET', `${V2}/requests.xml?jurisdiction_id=nowhere`), 404, 'xml')
    })

    it('shows the last 90 days by default, and older ones when asked for their dates', async () => {
      const { id } = await file({ service_code: 'transport/bus', description: '公交改线' })
      const filedAt = (await api(app, 'GET', `${V2}/requests/${id}.json`)).body[0]
        .requested_datetime as string
      const ids = async (query: string) =>
        (
          (await api(app, 'GET', `${V2}/requests.json?${query}`)).body as { service_request_id: string }[]
        ).map((r) => r.service_request_id)
      expect(await ids('service_code=transport/bus')).toContain(id)
      expect(
        (await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P91D' } })).status,
      ).toBe(200)
      expect(await ids('service_code=transport/bus')).not.toContain(id)
      const day = filedAt.slice(0, 10)
      expect(await ids(`service_code=transport/bus&start_date=${day}`)).toContain(id)
      expect(await ids(`service_code=transport/bus&end_date=${day}`)).toContain(id)
      expect(await ids(`service_code=transport/bus&start_date=${day}&end_date=${day}`)).toContain(id)
      expect(
        await ids(
          `service_code=transport/bus&start_date=${encodeURIComponent(filedAt)}&end_date=${encodeURIComponent(filedAt)}`,
        ),
      ).toContain(id)
    })

    it('answers at most 1000 requests, newest first', async () => {
      const key = (await api(app, 'GET', '/api/open311/keys', { token: admin })).body as {
        id: string
        regionCode: string
      }[]
      const client = { keyId: key[0]!.id, regionCode: '43' }
      const batch = dialect === 'postgres' ? 4 : 1
      for (let i = 0; i < 1001; i += batch)
        await Promise.all(
          Array.from({ length: Math.min(batch, 1001 - i) }, (_, j) =>
            app.services.appeals.fileOpen311(client, {
              category: 'environment/noise',
              text: `夜间施工噪声 ${i + j}`,
              regionCode: home.code,
            }),
          ),
        )
      const res = await api(app, 'GET', `${V2}/requests.json?service_code=environment/noise`)
      expect(res.status).toBe(200)
      const list = res.body as { requested_datetime: string; description: string }[]
      expect(list).toHaveLength(1000)
      const times = list.map((r) => Date.parse(r.requested_datetime))
      expect([...times].sort((x, y) => y - x)).toEqual(times)
      const xml = xmlOf(
        await api(app, 'GET', `${V2}/requests.xml?service_code=environment/noise&status=open`),
      )
      expect(childrenNamed(xml, 'request')).toHaveLength(1000)
    })
  })
})

describe('Open311 rate limit per API key', () => {
  let app: TestApp
  afterAll(() => app?.dispose())

  it('answers a key that files too fast with 429 in the spec’s shape, and counts each key apart', async () => {
    app = await createTestApp('sqlite', { env: { XZT_OPEN311_RATE_LIMIT: '2' } })
    const admin = await login(app, 'admin')
    const keyOf = async (name: string) =>
      (await api(app, 'POST', '/api/open311/keys', { token: admin, body: { name } })).body.api_key as string
    const [first, second] = [await keyOf('快速客户端'), await keyOf('另一个客户端')]
    const file = (apiKey: string, format: 'json' | 'xml' = 'json') =>
      api(app, 'POST', `${V2}/requests.${format}`, {
        rawBody: form({ api_key: apiKey, service_code: 'market/pricing', address_id: '430101001' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    expect((await file(first)).status).toBe(200)
    expect((await file(first)).status).toBe(200)
    const refused = await file(first)
    const description = expectOpen311Error(refused, 429, 'json')
    expect(description).toMatch(/at most 2 requests a minute/)
    expect(refused.headers['retry-after']).toBeDefined()
    expectOpen311Error(await file(first, 'xml'), 429, 'xml')
    // Another key is not held back by the first.
    expect((await file(second)).status).toBe(200)
  })
})
