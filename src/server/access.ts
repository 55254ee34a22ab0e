/**
 * Who is calling and what they may see. A Principal is the authenticated caller; its Scope is the
 * jurisdiction that stores apply to every query: a region subtree (by code prefix), narrowed to one
 * department for department-bound roles, or to one account for a citizen.
 * @module
 */
import type { Role } from '../shared/domain.js'
import { AppError, forbidden } from '../shared/errors.js'

export interface Principal {
  accountId: string
  username: string
  name: string
  kind: 'staff' | 'citizen'
  roles: readonly Role[]
  /** Staff: region of their department (the root of their jurisdiction). Citizen: home street. */
  regionCode: string
  departmentId: string | null
}

/** The system itself (CLI, seeding, scheduler): unrestricted. */
export const SYSTEM: Principal = Object.freeze({
  accountId: 'system',
  username: 'system',
  name: 'system',
  kind: 'staff',
  roles: ['admin'] as Role[],
  regionCode: '',
  departmentId: null,
})

export interface Scope {
  /** Region-code prefix every visible row must start with ('' = everything). */
  regionPrefix: string
  /** When set, departmental resources are limited to this department. */
  departmentId: string | null
  /** When set (citizens), only this account's own data is visible. */
  accountId: string | null
}

/** Roles whose holders see their whole region subtree, not just their own department. */
const SUBTREE_ROLES: readonly Role[] = ['admin', 'leader', 'data_admin', 'auditor']

/** The scope a principal's queries run in. */
export function scopeOf(p: Principal): Scope {
  if (p.kind === 'citizen') return { regionPrefix: p.regionCode, departmentId: null, accountId: p.accountId }
  const subtree = p.roles.some((r) => SUBTREE_ROLES.includes(r))
  return { regionPrefix: p.regionCode, departmentId: subtree ? null : p.departmentId, accountId: null }
}

/** True when the principal's jurisdiction includes the region `code` (staff only). */
export function coversRegion(p: Principal, code: string): boolean {
  return p.kind === 'staff' && code.startsWith(p.regionCode)
}

/**
 * Guards that the caller is staff holding one of `roles` (any role when empty).
 * @throws AppError FORBIDDEN
 */
export function assertStaffRole(p: Principal, roles: readonly Role[] = []): void {
  if (p.kind !== 'staff') throw forbidden('this is available to government staff only')
  if (roles.length > 0 && !p.roles.some((r) => roles.includes(r))) {
    throw forbidden(`this needs one of the roles ${roles.join(', ')}`, { requiredRoles: roles })
  }
}

/**
 * Guards that the region `code` lies in the caller's jurisdiction.
 * @throws AppError FORBIDDEN naming the region and the caller's jurisdiction.
 */
export function assertCoversRegion(p: Principal, code: string): void {
  if (!coversRegion(p, code)) {
    throw new AppError('FORBIDDEN', `region ${code} is outside your jurisdiction`, {
      details: { region: code, jurisdiction: p.kind === 'staff' ? p.regionCode : null },
    })
  }
}
