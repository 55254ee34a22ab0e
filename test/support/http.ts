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
