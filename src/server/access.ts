/**
 * Who is calling and what they may see. A Principal is the authenticated caller; a Scope is the
 * jurisdiction that stores apply to every query, derived from the grant of the permission the query
 * serves: a region subtree (by code prefix), narrowed to one department, or to one account.
 * @module
 */
import type { Role } from '../shared/domain.js'
import { assertCan, type Permission } from '../shared/permissions.js'

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

/**
 * The scope a principal's queries run in for `permission`: the widest grant of it they hold, turned
 * into what stores filter on. `own` → their account; `department` → their department within their
 * region; `subtree` → their region subtree; `any` → everything. Which roles get which grant is the
 * permission table's business (`src/shared/permissions.ts`), never this file's.
 * @throws AppError FORBIDDEN when they hold no grant of `permission`
 */
export function scopeFor(p: Principal, permission: Permission): Scope {
  const grant = assertCan(p, permission)
  switch (grant.scope) {
    case 'own':
      return { regionPrefix: '', departmentId: null, accountId: p.accountId }
    case 'department':
      // A staff member without a department sees no department's resources: never widen a scope.
      return { regionPrefix: p.regionCode, departmentId: p.departmentId ?? '', accountId: null }
    case 'subtree':
      return { regionPrefix: p.regionCode, departmentId: null, accountId: null }
    case 'any':
      return { regionPrefix: '', departmentId: null, accountId: null }
  }
}
