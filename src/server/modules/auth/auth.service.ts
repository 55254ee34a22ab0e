/**
 * Authentication: password login creating a session, bearer-token or cookie authentication of each
 * request, CSRF tokens for cookie-authenticated writes, logout.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Me } from '../../../shared/api.js'
import type { Clock } from '../../clock.js'
import { permissionsOf } from '../../../shared/permissions.js'
import type { DB } from '../../db/schema.js'
import { DUMMY_HASH, verifyPassword } from '../../security/password.js'
import { AppError } from '../../../shared/errors.js'
import type { OrgService } from '../org/org.service.js'
import type { RegionService } from '../regions/regions.service.js'
import * as store from './auth.store.js'

export interface LoginResult {
  token: string
  csrfToken: string
  expiresAt: number
  principal: Principal
}

export interface Authenticated {
  principal: Principal
  sessionId: string
  csrfToken: string
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** Extend a session on use only when this much of its lifetime has passed (saves a write per request). */
const TOUCH_AFTER_MS = 5 * 60_000

export class AuthService {
  private readonly ttlMs: number

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly org: OrgService,
    private readonly regions: RegionService,
    sessionTtlHours: number,
  ) {
    this.ttlMs = Math.round(sessionTtlHours * 3_600_000)
  }

  /**
   * Checks the password and opens a session.
   * @throws AppError INVALID_CREDENTIALS for an unknown user, a wrong password or a deactivated account
   *   (the same answer, in the same time, for all three).
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const account = await this.org.findLoginAccount({ username })
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH)
    if (!account || !ok || !account.active) {
      throw new AppError('INVALID_CREDENTIALS', 'wrong username or password')
    }
    const token = randomBytes(32).toString('base64url')
    const csrfToken = randomBytes(24).toString('base64url')
    const now = this.clock.now()
    const expiresAt = now + this.ttlMs
    await this.db.transaction().execute(async (trx) => {
      await store.insertSession(trx, {
        id: hashToken(token),
        account_id: account.principal.accountId,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
      })
      await store.deleteExpiredSessions(trx, now)
    })
    return { token, csrfToken, expiresAt, principal: account.principal }
  }

  /** The principal behind a token, or undefined when the token is unknown, expired or the account inactive. */
  async authenticate(token: string): Promise<Authenticated | undefined> {
    const sessionId = hashToken(token)
    const session = await store.findSession(this.db, sessionId)
    const now = this.clock.now()
    if (!session || session.expires_at <= now) return undefined
    const account = await this.org.findLoginAccount({ id: session.account_id })
    if (!account || !account.active) return undefined
    const expiresAt = now + this.ttlMs
    if (expiresAt - session.expires_at > TOUCH_AFTER_MS)
      await store.touchSession(this.db, sessionId, expiresAt)
    return { principal: account.principal, sessionId, csrfToken: session.csrf_token }
  }

  /** True when `presented` matches the session's CSRF token (constant time). */
  checkCsrf(auth: Authenticated, presented: string | undefined): boolean {
    if (!presented) return false
    const a = Buffer.from(presented)
    const b = Buffer.from(auth.csrfToken)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  async logout(sessionId: string): Promise<void> {
    await store.deleteSession(this.db, sessionId)
  }

  /** The caller as the client shows them (names of region and department resolved). */
  async describe(principal: Principal): Promise<Me> {
    const [region, department] = await Promise.all([
      this.regions.findRegion(principal.regionCode),
      principal.departmentId ? this.org.getDepartment(principal.departmentId) : Promise.resolve(null),
    ])
    return {
      id: principal.accountId,
      username: principal.username,
      name: principal.name,
      kind: principal.kind,
      roles: [...principal.roles],
      regionCode: principal.regionCode,
      regionName: region?.name ?? principal.regionCode,
      departmentId: principal.departmentId,
      departmentName: department?.name ?? null,
      departmentKind: department?.kind ?? null,
      permissions: permissionsOf(principal),
    }
  }
}
