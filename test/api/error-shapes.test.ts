/**
 * Every route, driven from the OpenAPI document so a new route is covered automatically: malformed
 * JSON, wrong types, missing fields, unknown ids and malformed parameters all get a 4xx in the one
 * error shape — never a 500. GeoReport v2 (`/open311/v2/…`) answers in the spec's error shape and
 * statuses instead (400 for anything but a key or a missing resource), checked the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../support/db.js'
import { api, expectError, expectOpen311Error, isOpen311, login, type ApiResponse } from '../support/http.js'

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
interface Operation {
  method: Method
  path: string
  params: string[]
  query: { name: string; required: boolean; schema: any }[]
  body: any
}

function operations(doc: any): Operation[] {
  const ops: Operation[] = []
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const parameters: any[] = op.parameters ?? []
      ops.push({
        method: method.toUpperCase() as Method,
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: !!p.required, schema: p.schema })),
        body: op.requestBody?.content?.['application/json']?.schema,
      })
    }
  }
  return ops
}

type Kind = 'known' | 'unknown' | 'malformed'
/** Path parameter values by kind; ledger ids are log ids (province or city codes), not department ids. */
const VALUES: Record<Kind, Record<string, string>> = {
  known: { code: '4301', id: '4301-tax', index: '0', format: 'json' },
  unknown: { code: '4399', id: 'no-such-thing', index: '999999999', format: 'html' },
  malformed: { code: 'not-a-code', index: 'minus-one' },
}
const LEDGER_IDS: Record<Kind, string> = { known: '4301', unknown: '4399', malformed: 'x' }

function fill(path: string, kind: Kind): string {
  const values: Record<string, string> = {
    ...VALUES.unknown,
    ...VALUES[kind],
    ...(path.startsWith('/api/ledger/{id}') ? { id: LEDGER_IDS[kind] } : {}),
  }
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'x')
}

function canBeMalformed(op: Operation): boolean {
  return op.params.some(
    (p) => p in VALUES.malformed || (p === 'id' && op.path.startsWith('/api/ledger/{id}')),
  )
}

/** A value of the wrong JSON type for a schema. */
function wrongTypeFor(schema: any): unknown {
  const t = Array.isArray(schema?.type) ? schema.type[0] : schema?.type
  switch (t) {
    case 'string':
      return 12345
    case 'integer':
    case 'number':
      return 'not-a-number'
    case 'boolean':
      return 'yes'
    case 'array':
      return { not: 'an array' }
    default:
      return 'not-an-object'
  }
}

function validQuery(op: Operation): string {
  const parts = op.query.filter((q) => q.required).map((q) => `${q.name}=${q.name === 'region' ? '43' : 'x'}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

function assertClientError(res: ApiResponse, what: string): void {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400)
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500)
  if (isOpen311(what.split(' ')[1] ?? '')) return expectOpen311Error(res, res.status)
  expect(res.body?.error?.code, what).toMatch(/^[A-Z_]+$/)
  expect(typeof res.body.error.message, what).toBe('string')
}

/** GeoReport v2's status for one of our codes: its own for a key or a missing resource, else 400. */
const OPEN311_STATUS: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404 }

/** The error in the shape of the route's family: ours, or under /open311/v2 the spec's. */
function expectShape(res: ApiResponse, url: string, status: number, code: string): void {
  if (!isOpen311(url)) return expectError(res, status, code)
  const spec = OPEN311_STATUS[code] ?? 400
  expectOpen311Error(res, spec, spec === 400 ? status : spec)
}

describe.each(DIALECTS)('error shapes on every route (%s)', (dialect) => {
  let app: TestApp
  let token: string
  let ops: Operation[]
  beforeAll(async () => {
    app = await createTestApp(dialect)
    token = await login(app, 'admin')
    ops = operations((await api(app, 'GET', '/api/openapi.json')).body)
  })
  afterAll(() => app?.dispose())

  it('the OpenAPI document lists the public contract', () => {
    const listed = ops.map((o) => `${o.method} ${o.path}`)
    for (const route of [
      'GET /healthz',
      'POST /api/auth/login',
      'GET /api/regions/{code}',
      'GET /api/regions/{code}/children',
      'GET /api/departments',
      'GET /api/staff',
      'POST /api/staff',
    ]) {
      expect(listed).toContain(route)
    }
  })

  it('answers malformed JSON, non-objects, missing fields and wrong types with 400', async () => {
    for (const op of ops.filter((o) => o.body)) {
      const url = fill(op.path, 'known') + validQuery(op)
      const what = `${op.method} ${op.path}`
      expectShape(
        await api(app, op.method, url, { token, rawBody: '{"username": "a",' }),
        url,
        400,
        'MALFORMED_REQUEST',
      )
      for (const body of ['[]', '"text"', '42', 'null']) {
        const res = await api(app, op.method, url, { token, rawBody: body })
        assertClientError(res, `${what} with ${body}`)
        expect(res.status).toBe(400)
      }
      if ((op.body.required ?? []).length > 0 || op.body.minProperties) {
        expectShape(await api(app, op.method, url, { token, body: {} }), url, 400, 'VALIDATION_FAILED')
      }
      for (const [name, schema] of Object.entries<any>(op.body.properties ?? {})) {
        const res = await api(app, op.method, url, { token, body: { [name]: wrongTypeFor(schema) } })
        expectShape(res, url, 400, 'VALIDATION_FAILED')
        const details = isOpen311(url) ? res.body : res.body.error.details
        expect(JSON.stringify(details), `${what} ${name}`).toContain(`/body/${name}`)
      }
      const text = await api(app, op.method, url, {
        token,
        rawBody: 'plain',
        headers: { 'content-type': 'text/plain' },
      })
      expectShape(text, url, 415, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('answers missing or malformed query parameters with 400', async () => {
    for (const op of ops.filter((o) => o.query.some((q) => q.required))) {
      const url = fill(op.path, 'known')
      expectError(await api(app, op.method, url, { token }), 400, 'VALIDATION_FAILED')
      const bad = op.query.map((q) => `${q.name}=%%%not-valid`).join('&')
      assertClientError(
        await api(app, op.method, `${url}?${bad}`, { token }),
        `${op.method} ${op.path}?${bad}`,
      )
    }
  })

  it('answers unknown ids with 404 and malformed path parameters with 400', async () => {
    for (const op of ops.filter((o) => o.params.length > 0)) {
      const what = `${op.method} ${op.path}`
      const body = op.body ? { name: '新名称' } : undefined
      const unknownUrl = fill(op.path, 'unknown') + validQuery(op)
      const unknown = await api(app, op.method, unknownUrl, {
        token,
        ...(body ? { body } : {}),
      })
      if (unknown.status !== 400) expectShape(unknown, unknownUrl, 404, 'NOT_FOUND')
      if (canBeMalformed(op)) {
        const malformedUrl = fill(op.path, 'malformed')
        const malformed = await api(app, op.method, malformedUrl, {
          token,
          ...(body ? { body } : {}),
        })
        expectShape(malformed, malformedUrl, 400, 'VALIDATION_FAILED')
      }
      expect(what).toBeTruthy()
    }
  })

  it('answers unknown routes and methods with 404 in the same shape', async () => {
    expectError(await api(app, 'GET', '/api/no-such-route'), 404, 'NOT_FOUND')
    expectError(await api(app, 'DELETE', '/api/regions/43'), 404, 'NOT_FOUND')
    expectError(await api(app, 'POST', '/api/nothing', { body: {} }), 404, 'NOT_FOUND')
  })
})
