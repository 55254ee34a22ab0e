/**
 * Login, logout and "who am I". Login answers with a token for API clients (send it as
 * `Authorization: Bearer <token>`) and sets the httpOnly session cookie plus the CSRF cookie for browsers.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { clearSessionCookies, principalOf, setSessionCookies } from '../../http/auth.js'
import { errorResponses } from '../../http/schemas.js'
import type { Clock } from '../../clock.js'
import { AppError, isAppError } from '../../../shared/errors.js'
import type { AuthService } from './auth.service.js'
import { LoginThrottle } from './login-throttle.js'

const meSchema = {
  type: 'object',
  required: [
    'id',
    'username',
    'name',
    'kind',
    'roles',
    'regionCode',
    'regionName',
    'departmentId',
    'departmentName',
    'departmentKind',
    'permissions',
  ],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string', enum: ['staff', 'citizen'] },
    roles: { type: 'array', items: { type: 'string' } },
    regionCode: { type: 'string' },
    regionName: { type: 'string' },
    departmentId: { type: ['string', 'null'] },
    departmentName: { type: ['string', 'null'] },
    departmentKind: { type: ['string', 'null'] },
    /** Every permission of the table (`src/shared/permissions.ts`) the user holds in some scope. */
    permissions: { type: 'array', items: { type: 'string' } },
  },
} as const

export interface AuthRouteOptions {
  loginRateLimit: number
  cookieSecure: boolean
  clock: Clock
}

export function registerAuthRoutes(
  server: FastifyInstance,
  auth: AuthService,
  options: AuthRouteOptions,
): void {
  const tags = ['auth']
  const throttle = new LoginThrottle(() => options.clock.now())
  server.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: {
        csrf: false,
        rateLimit: {
          max: options.loginRateLimit,
          timeWindow: 60_000,
          // After body parsing, so the key can include the username.
          hook: 'preHandler',
          keyGenerator: (req) => {
            const body = req.body as { username?: unknown } | undefined
            return `${req.ip}|${typeof body?.username === 'string' ? body.username.toLowerCase() : ''}`
          },
          errorResponseBuilder: (_req, ctx) =>
            new AppError(
              'RATE_LIMITED',
              `too many login attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
              {
                details: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) },
              },
            ),
        },
      },
      schema: {
        tags,
        summary: 'Log in with username and password',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['token', 'csrfToken', 'expiresAt', 'user'],
            properties: {
              token: { type: 'string', description: 'send as Authorization: Bearer <token>' },
              csrfToken: {
                type: 'string',
                description: 'send as x-csrf-token on cookie-authenticated writes',
              },
              expiresAt: { type: 'integer', description: 'epoch ms' },
              user: meSchema,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const wait = throttle.retryAfterSeconds(req.body.username, req.ip)
      if (wait > 0) {
        throw new AppError('RATE_LIMITED', `too many failed logins; try again in ${wait} s`, {
          details: { retryAfterSeconds: wait },
        })
      }
      let login
      try {
        login = await auth.login(req.body.username, req.body.password)
      } catch (err) {
        if (isAppError(err) && err.code === 'INVALID_CREDENTIALS') throttle.failed(req.body.username, req.ip)
        throw err
      }
      throttle.succeeded(req.body.username)
      setSessionCookies(reply, login, options.cookieSecure, options.clock.now())
      return {
        token: login.token,
        csrfToken: login.csrfToken,
        expiresAt: login.expiresAt,
        user: await auth.describe(login.principal),
      }
    },
  )
  server.post(
    '/api/auth/logout',
    { schema: { tags, summary: 'End the session', response: { 204: { type: 'null' }, ...errorResponses } } },
    async (req, reply) => {
      principalOf(req)
      await auth.logout(req.auth!.sessionId)
      clearSessionCookies(reply)
      return reply.status(204).send()
    },
  )
  server.get(
    '/api/auth/me',
    { schema: { tags, summary: 'The logged-in user', response: { 200: meSchema, ...errorResponses } } },
    (req) => auth.describe(principalOf(req)),
  )
}
