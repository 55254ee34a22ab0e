/**
 * Request authentication: `Authorization: Bearer <token>` for API clients, or the `xzt_session`
 * cookie for the browser. Cookie-authenticated writes must carry the session's CSRF token in the
 * `x-csrf-token` header (the browser reads it from the `xzt_csrf` cookie: double submit).
 * @module
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Principal } from '../access.js'
import type { AuthService, Authenticated } from '../modules/auth/auth.service.js'
import { AppError } from '../../shared/errors.js'

export const SESSION_COOKIE = 'xzt_session'
export const CSRF_COOKIE = 'xzt_csrf'
export const CSRF_HEADER = 'x-csrf-token'

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null
    authVia: 'bearer' | 'cookie' | null
    /**
     * Authenticates this request's credential again (a long-lived stream checks that its session still
     * holds). @returns the caller as they are now, or undefined once the session ended or expired
     */
    reauthenticate: (() => Promise<Principal | undefined>) | null
  }
  interface FastifyContextConfig {
    /** false on routes that take no CSRF token even when a session cookie is present (login). */
    csrf?: boolean
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Installs the authentication and CSRF hooks. */
export function installAuth(server: FastifyInstance, auth: AuthService): void {
  server.decorateRequest('auth', null)
  server.decorateRequest('authVia', null)
  server.decorateRequest('reauthenticate', null)
  server.addHook('onRequest', async (request) => {
    const header = request.headers.authorization
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      if (!match) throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"')
      const authenticated = await auth.authenticate(match[1] as string)
      if (!authenticated) throw new AppError('UNAUTHENTICATED', 'the bearer token is invalid or has expired')
      request.auth = authenticated
      request.authVia = 'bearer'
      request.reauthenticate = async () => (await auth.authenticate(match[1] as string))?.principal
      return
    }
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie) {
      request.auth = (await auth.authenticate(cookie)) ?? null
      request.authVia = request.auth ? 'cookie' : null
      request.reauthenticate = async () => (await auth.authenticate(cookie))?.principal
    }
  })
  server.addHook('preHandler', async (request) => {
    if (request.authVia !== 'cookie' || SAFE_METHODS.has(request.method)) return
    if (request.routeOptions.config.csrf === false) return
    const presented = request.headers[CSRF_HEADER]
    if (
      !auth.checkCsrf(request.auth as Authenticated, typeof presented === 'string' ? presented : undefined)
    ) {
      throw new AppError(
        'CSRF_FAILED',
        `cookie-authenticated writes need the ${CSRF_HEADER} header (from the ${CSRF_COOKIE} cookie)`,
      )
    }
  })
}

/** The authenticated caller. @throws AppError UNAUTHENTICATED */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.auth) throw new AppError('UNAUTHENTICATED', 'log in first (session cookie or bearer token)')
  return request.auth.principal
}

/** Sets the session and CSRF cookies after login. */
export function setSessionCookies(
  reply: FastifyReply,
  login: { token: string; csrfToken: string; expiresAt: number },
  secure: boolean,
  now: number,
): void {
  const maxAge = Math.max(1, Math.floor((login.expiresAt - now) / 1000))
  reply.setCookie(SESSION_COOKIE, login.token, { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge })
  reply.setCookie(CSRF_COOKIE, login.csrfToken, {
    httpOnly: false,
    sameSite: 'strict',
    path: '/',
    secure,
    maxAge,
  })
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' })
  reply.clearCookie(CSRF_COOKIE, { path: '/' })
}
