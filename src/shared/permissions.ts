/**
 * Who may do what: the one permission table of the platform, used by the server (every service checks
 * through {@link assertCan} / {@link grantFor}) and by the web (which hides what {@link can} denies).
 * Never write a role list anywhere else.
 *
 * A permission is granted to roles, each grant with a scope that says which targets it reaches:
 * - `own`: the caller's own account (a citizen's own cases, appeals, data);
 * - `department`: resources of the caller's department (within the caller's region subtree);
 * - `subtree`: anything in the caller's region subtree (region code prefix, GB/T 2260);
 * - `any`: anywhere in the province (cross-region window service, 跨域通办: always recorded).
 *
 * Checking a permission against a target picks the widest grant the caller holds that reaches it.
 * Rules that are not about roles and scope (nobody reviews their own access; a task's assignee) stay in
 * the owning service, next to the state they depend on.
 *
 * Why not CASL: our scopes are region-code prefixes and departments, the same for every resource; CASL
 * would need a `$regex` condition per rule and per subject type for what is one `startsWith` here, and
 * its rules are built per user at run time, whereas this table is data both sides import and the
 * README documents. Ability objects add nothing we use.
 * @module
 */
import type { Role } from './domain.js'
import { AppError } from './errors.js'

export type PermissionScope = 'own' | 'department' | 'subtree' | 'any'

export interface Grant {
  readonly roles: readonly Role[]
  readonly scope: PermissionScope
}

/** What a grant is checked against: the caller as both server (`Principal`) and web (`Me`) know them. */
export interface Actor {
  readonly kind: 'staff' | 'citizen'
  readonly roles: readonly Role[]
  /** Staff: region of their department (the root of their jurisdiction). Citizen: home street. */
  readonly regionCode: string
  readonly departmentId: string | null
  /** The account id (`id` on the web's `Me`, `accountId` on the server's `Principal`). */
  readonly accountId?: string
  readonly id?: string
}

/** The resource a permission is exercised on. Omitted fields are not checked. */
export interface Target {
  /** Region the resource belongs to (a case's region, a department's region, a citizen's residence). */
  readonly regionCode?: string | null
  /** Department responsible for the resource (a task's department, an official's department). */
  readonly departmentId?: string | null
  /** Account that owns the resource (a case's applicant, an upload's owner). */
  readonly ownerId?: string | null
}

const STAFF_OVERSEERS: readonly Role[] = ['admin', 'leader', 'auditor']
const WORKERS: readonly Role[] = ['official', 'clerk', 'supervisor']

/**
 * The table. Names are `<resource>.<action>`; they are part of the API (`GET /api/auth/me` lists the
 * caller's), so never rename one. Add new ones at the end of their resource's group.
 */
export const PERMISSIONS = {
  // Regions and organisation
  /** Import region boundaries (GeoJSON) for regions in scope. */
  'region.import': [{ roles: ['admin', 'data_admin'], scope: 'subtree' }],
  /** Read departments and staff of a region. */
  'org.read': [
    {
      roles: [
        'admin',
        'leader',
        'supervisor',
        'data_admin',
        'auditor',
        'official',
        'clerk',
        'process_engineer',
      ],
      scope: 'subtree',
    },
  ],
  /** Create and change departments and staff accounts. */
  'org.manage': [{ roles: ['admin'], scope: 'subtree' }],
  /** Read a citizen's account (masked identity number). */
  'citizen.read': [
    { roles: ['citizen'], scope: 'own' },
    { roles: ['admin', 'data_admin'], scope: 'subtree' },
  ],
  /** Find a citizen by identity number or name at a window (masked results; every look-up recorded). */
  'citizen.lookup': [{ roles: ['clerk'], scope: 'any' }],
  /** Register a citizen on the spot at a window. */
  'citizen.register': [{ roles: ['clerk'], scope: 'any' }],

  // Catalogue
  /** Deploy a new version of a matter; a province-wide matter needs a province-level grant. */
  'matter.deploy': [{ roles: ['admin', 'process_engineer'], scope: 'subtree' }],

  // Cases
  /** Apply online for oneself. */
  'case.apply': [{ roles: ['citizen'], scope: 'own' }],
  /** Submit at a window on a citizen's behalf (跨域通办: any citizen of the province; recorded). */
  'case.submit_window': [{ roles: ['clerk'], scope: 'any' }],
  /**
   * Read a case (and its files and receipts). Workers of a department with a task on it see the fields
   * of their step; overseers of the region see it whole. Every look by staff is recorded.
   */
  'case.read': [
    { roles: ['citizen'], scope: 'own' },
    { roles: WORKERS, scope: 'department' },
    { roles: STAFF_OVERSEERS, scope: 'subtree' },
  ],
  /** Ledger receipts of a case: the same rule as reading the case (staff reads are recorded too). */
  'case.receipt': [
    { roles: ['citizen'], scope: 'own' },
    { roles: WORKERS, scope: 'department' },
    { roles: STAFF_OVERSEERS, scope: 'subtree' },
  ],
  /** Work (claim, complete) a task of one's department. */
  'task.work': [{ roles: WORKERS, scope: 'department' }],
  /** Release or reassign a task someone else holds. */
  'task.reassign': [{ roles: ['supervisor'], scope: 'department' }],
  /** Upload a file for a case: citizens for themselves, clerks for the citizen at their window. */
  'attachment.upload': [
    { roles: ['citizen'], scope: 'own' },
    { roles: ['clerk'], scope: 'any' },
  ],

  // Data access (who looked at my data)
  /** A citizen's list of who looked at their data. */
  'data_access.read_own': [{ roles: ['citizen'], scope: 'own' }],
  /** Flagged looks (no open task): a supervisor's department, an administrator's or auditor's region. */
  'data_access.read_flagged': [
    { roles: ['supervisor'], scope: 'department' },
    { roles: ['admin', 'auditor'], scope: 'subtree' },
  ],
  /** Record a verdict on a flagged look (auditors watch the judging, they do not judge). */
  'data_access.review': [
    { roles: ['supervisor'], scope: 'department' },
    { roles: ['admin'], scope: 'subtree' },
  ],

  // Ledger, audit, events
  /** Run the full audit (verification and replay). */
  'audit.run': [{ roles: ['auditor', 'admin'], scope: 'subtree' }],
  /** Read the ledger's event tail (`GET /api/events`, the event stream) for logs in scope. */
  'events.read': [{ roles: ['auditor', 'admin'], scope: 'subtree' }],

  // System
  /** Move the controllable clock (manual mode only): it moves the whole platform, so province only. */
  'clock.advance': [{ roles: ['admin'], scope: 'subtree' }],
  /** See scheduler jobs, including dead-lettered ones. */
  'scheduler.read': [{ roles: ['admin'], scope: 'subtree' }],
  /** Retry or discard a dead-lettered job. */
  'scheduler.manage': [{ roles: ['admin'], scope: 'subtree' }],

  // Web navigation (pages whose content is checked by the permissions above)
  /** The inbox (工作台). */
  'workbench.use': [{ roles: WORKERS, scope: 'department' }],
  /** The organisation pages. */
  'org.page': [{ roles: ['admin', 'leader', 'supervisor', 'data_admin', 'auditor'], scope: 'subtree' }],
} as const satisfies Record<string, readonly Grant[]>

export type Permission = keyof typeof PERMISSIONS

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[]

const SCOPE_WIDTH: Record<PermissionScope, number> = { own: 0, department: 1, subtree: 2, any: 3 }

function accountOf(actor: Actor): string | undefined {
  return actor.accountId ?? actor.id
}

function holds(actor: Actor, grant: Grant): boolean {
  if (!actor.roles.some((r) => grant.roles.includes(r))) return false
  // Staff roles never grant to a citizen account and the reverse, whatever a role list says.
  return actor.kind === 'citizen' ? grant.scope === 'own' : grant.scope !== 'own'
}

function reaches(actor: Actor, grant: Grant, target: Target): boolean {
  switch (grant.scope) {
    case 'own':
      return target.ownerId === undefined || (target.ownerId !== null && target.ownerId === accountOf(actor))
    case 'department':
      return (
        (target.departmentId === undefined ||
          (target.departmentId !== null && target.departmentId === actor.departmentId)) &&
        (target.regionCode === undefined ||
          (target.regionCode !== null && target.regionCode.startsWith(actor.regionCode)))
      )
    case 'subtree':
      return (
        target.regionCode === undefined ||
        (target.regionCode !== null && target.regionCode.startsWith(actor.regionCode))
      )
    case 'any':
      return true
  }
}

/**
 * The widest grant of `permission` the actor holds that reaches `target` (any target when omitted), or
 * undefined. Services use the grant's scope to build the store's query scope.
 */
export function grantFor(actor: Actor, permission: Permission, target: Target = {}): Grant | undefined {
  let best: Grant | undefined
  for (const grant of PERMISSIONS[permission] as readonly Grant[]) {
    if (!holds(actor, grant) || !reaches(actor, grant, target)) continue
    if (!best || SCOPE_WIDTH[grant.scope] > SCOPE_WIDTH[best.scope]) best = grant
  }
  return best
}

/**
 * True when the actor may exercise `permission` on `target`; without a target, whether they may
 * exercise it on anything at all (what the web asks to show or hide a page or a button).
 */
export function can(actor: Actor, permission: Permission, target?: Target): boolean {
  return grantFor(actor, permission, target) !== undefined
}

/**
 * Guards a permission.
 * @throws AppError FORBIDDEN naming the permission, the roles that hold it, and (when the caller holds
 *   it but not for this target) the target and the caller's jurisdiction.
 */
export function assertCan(actor: Actor, permission: Permission, target?: Target): Grant {
  const grant = grantFor(actor, permission, target)
  if (grant) return grant
  const grants = PERMISSIONS[permission] as readonly Grant[]
  const roles = [...new Set(grants.flatMap((g) => g.roles))]
  if (!grants.some((g) => holds(actor, g))) {
    throw new AppError('FORBIDDEN', `this needs the permission ${permission} (roles: ${roles.join(', ')})`, {
      details: { permission, requiredRoles: roles },
    })
  }
  throw new AppError('FORBIDDEN', `${permission}: the target is outside your jurisdiction`, {
    details: {
      permission,
      target,
      jurisdiction: { regionCode: actor.regionCode, departmentId: actor.departmentId },
    },
  })
}

/** Every permission the actor holds in some scope (`GET /api/auth/me` → `permissions`). */
export function permissionsOf(actor: Actor): Permission[] {
  return PERMISSION_NAMES.filter((p) => can(actor, p))
}
