/**
 * In-process HTTP helpers over fastify.inject: log in as a demo account, call the API, assert the
 * error shape.
 */
import { expect } from 'vitest'
import type { App } from '../../src/server/app.js'
import { DEMO_PASSWORD } from './db.js'

export interface ApiResponse {
  status: number
  body: any
  headers: Record<string, unknown>
}

/** Logs in and returns the bearer token. */
export async function login(app: App, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  })
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`)
  return res.json<{ token: string }>().token
}

export async function api(
  app: App,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let payload: string | undefined
  if (options.rawBody !== undefined) {
    payload = options.rawBody
    headers['content-type'] ??= 'application/json'
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  const res = await app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
  let body: unknown = res.body
  if (String(res.headers['content-type'] ?? '').includes('json') && res.body.length > 0) body = res.json()
  return { status: res.statusCode, body, headers: res.headers }
}

/** Asserts `{"error":{"code","message","details"}}` with the given status and code. */
export function expectError(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }, JSON.stringify(res.body)).toEqual({
    status,
    code,
  })
  expect(typeof res.body.error.message).toBe('string')
  expect(res.body.error.message.length).toBeGreaterThan(0)
  expect(res.body.error).toHaveProperty('details')
}

/** GeoReport v2 (`/open311/v2/…`) answers errors in the spec's own shape, not the platform's. */
export const isOpen311 = (url: string): boolean => url.startsWith('/open311/')

/**
 * Asserts the GeoReport v2 error document in JSON, `[{"code","description"}]`, with the HTTP status
 * (the spec's: 400, 403, 404, or a 5xx) and the body's code (which may say more, e.g. 415 under a 400).
 */
export function expectOpen311Error(res: ApiResponse, status: number, bodyCode = status): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(Array.isArray(res.body), JSON.stringify(res.body)).toBe(true)
  const errors = res.body as { code: unknown; description: unknown }[]
  expect(errors.length).toBeGreaterThan(0)
  for (const e of errors) {
    expect(e.code).toBe(bodyCode)
    expect(typeof e.description).toBe('string')
  }
}
