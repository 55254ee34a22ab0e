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
import { ROLES, type Role } from './domain.js'
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
  /**
   * Department responsible for the resource (a task's department, an official's department); null
   * when no department is (department grants then never reach it). When given, a department grant
   * checks it instead of the region.
   */
  readonly departmentId?: string | null
  /** Account that owns the resource (a case's applicant, an upload's owner). */
  readonly ownerId?: string | null
}

/**
 * Who oversees a region: the one answer, used by cases, receipts, staff lists, flagged data accesses and
 * the store scopes of `src/server/access.ts`. An administrator, leader or auditor of a department
 * oversees that department's region subtree: they may open any case there whole (every look recorded,
 * and flagged when they have no open task on it), read its receipts, list its staff and see the
 * flagged looks of its officials. A supervisor oversees their own department only; a data
 * administrator manages records and regions, not cases.
 */
export const REGION_OVERSEERS: readonly Role[] = ['admin', 'leader', 'auditor']

/** The grant of oversight: {@link REGION_OVERSEERS} over their region subtree. */
const OVERSIGHT: Grant = { roles: REGION_OVERSEERS, scope: 'subtree' }

/** Every staff role. */
const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'citizen')

/** Staff who work a department's tasks (see {@link TASK_ROLE_WORKERS} for which tasks). */
const WORKERS: readonly Role[] = ['official', 'clerk', 'supervisor']

/**
 * Reading a case and reading its receipts: one rule. The applicant; staff of a department with a task
 * on the case (they see the fields of their steps); the region's overseers (the whole case).
 */
const CASE_READERS: readonly Grant[] = [
  { roles: ['citizen'], scope: 'own' },
  { roles: WORKERS, scope: 'department' },
  OVERSIGHT,
]

/**
 * Who works a department task, by the role the process assigns it to (BPMN `xzt:role`): its holders,
 * and a supervisor also their officials' and clerks' tasks. Always within the task's department
 * (`task.work`).
 */
export const TASK_ROLE_WORKERS = {
  clerk: ['clerk', 'supervisor'],
  official: ['official', 'supervisor'],
  supervisor: ['supervisor'],
  leader: ['leader'],
} as const satisfies Record<string, readonly Role[]>

export type TaskRoleName = keyof typeof TASK_ROLE_WORKERS

/**
 * The table. Names are `<resource>.<action>`; they are part of the API (`GET /api/auth/me` lists the
 * caller's), so never rename one. Add new ones at the end of their resource's group, with their
 * display names in {@link PERMISSION_TITLES}. The README's permission table is generated from both
 * (`test/docs/permissions-readme.test.ts` checks it).
 */
export const PERMISSIONS = {
  // Regions and organisation
  /** Import region boundaries (GeoJSON) for regions in scope. */
  'region.import': [{ roles: ['admin', 'data_admin'], scope: 'subtree' }],
  /** Oversee a region subtree ({@link REGION_OVERSEERS}): the grant in every overseer rule of this table. */
  'region.oversee': [OVERSIGHT],
  /** Read departments and staff: overseers and data administrators their subtree, the others their department. */
  'org.read': [
    { roles: [...REGION_OVERSEERS, 'data_admin'], scope: 'subtree' },
    { roles: ['supervisor', 'official', 'clerk', 'process_engineer'], scope: 'department' },
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
  /** The form prefilled from the records the government holds about oneself (a clerk never gets it). */
  'matter.prefill': [{ roles: ['citizen'], scope: 'own' }],

  // Cases
  /** Apply online for oneself. */
  'case.apply': [{ roles: ['citizen'], scope: 'own' }],
  /**
   * Submit at a window on a citizen's behalf: 跨域通办, any citizen of the province. The comparison
   * with the citizen's records is a recorded data access, flagged when the clerk's department does not
   * handle the case; which fields differ is not shown to the clerk (see `case.read_discrepancies`).
   */
  'case.submit_window': [{ roles: ['clerk'], scope: 'any' }],
  /**
   * Read a case (and its files). Workers of a department with a task on it see the fields of their
   * step; overseers of the region see it whole. Every look by staff is recorded.
   */
  'case.read': CASE_READERS,
  /** Ledger receipts of a case: the rule of `case.read`, and staff reads are recorded the same way. */
  'case.receipt': CASE_READERS,
  /**
   * Which submitted values differ from the authoritative records (`discrepancies`): the applicant, and
   * departments handling the case (for the fields of their steps). Everyone else who may see the case,
   * the submitting window clerk included, learns only that something differs (`recordMismatch`), so a
   * clerk cannot confirm anyone's personal data field by field. The departments owning a record receive
   * its discrepancies through their own work on the record, never through another case's view.
   */
  'case.read_discrepancies': [
    { roles: ['citizen'], scope: 'own' },
    { roles: WORKERS, scope: 'department' },
  ],
  /** Work (claim, complete) a task of one's department, if its role is theirs (`TASK_ROLE_WORKERS`). */
  'task.work': [{ roles: ['official', 'clerk', 'supervisor', 'leader'], scope: 'department' }],
  /** Release, reassign or complete a task someone else holds. */
  'task.reassign': [{ roles: ['supervisor'], scope: 'department' }],
  /** Upload a file for a case: citizens for themselves, clerks for the citizen at their window. */
  'attachment.upload': [
    { roles: ['citizen'], scope: 'own' },
    { roles: ['clerk'], scope: 'any' },
  ],

  // Data access (who looked at my data)
  /** A citizen's list of who looked at their data. */
  'data_access.read_own': [{ roles: ['citizen'], scope: 'own' }],
  /** Flagged looks (no open task): a supervisor's department's, an overseer's region's. */
  'data_access.read_flagged': [{ roles: ['supervisor'], scope: 'department' }, OVERSIGHT],
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

  /** Rate one's own finished case (好差评) and give its process a reform score. */
  'case.rate': [{ roles: ['citizen'], scope: 'own' }],
  /**
   * Open a one-time counter rating link (柜台评价器, or its QR code) for a finished case, so the citizen
   * rates it at the window without signing in: window clerks, anywhere (跨域通办); the service checks
   * the clerk's window served the case.
   */
  'rating.invite': [{ roles: ['clerk'], scope: 'any' }],

  // Rectifications after a bad rating (整改) and contests of false reviews (申诉不实评价)
  /**
   * Read rectifications and their timelines: the citizen whose bad rating opened one; the handling
   * department's officials, supervisors and leaders; the overseers of the case's region.
   */
  'rectification.read': [
    { roles: ['citizen'], scope: 'own' },
    { roles: ['official', 'supervisor', 'leader'], scope: 'department' },
    OVERSIGHT,
  ],
  /** Record the call-back (回访) and the measures taken (整改完成): the handling department's staff. */
  'rectification.handle': [{ roles: ['official', 'supervisor'], scope: 'department' }],
  /** Answer satisfied or not satisfied with the rectification of one's own bad rating, once. */
  'rectification.rate': [{ roles: ['citizen'], scope: 'own' }],
  /** Contest a bad rating as a false review: the handling department's officials and supervisors. */
  'rating.contest': [{ roles: ['official', 'supervisor'], scope: 'department' }],
  /**
   * Decide a contest (upheld: the rating is excluded and the rectification void): leaders and
   * administrators over the handling department's region. The service adds the rules that are not about
   * roles: nobody decides a contest they filed or one of their own department.
   */
  'rating.contest_decide': [{ roles: ['leader', 'admin'], scope: 'subtree' }],

  // Governance policies
  /** Read the governance policies and their versions: the rules are public to everyone who works with them. */
  'policy.read': [
    { roles: ['citizen'], scope: 'own' },
    { roles: STAFF_ROLES, scope: 'any' },
  ],
  /**
   * Publish a version of a governance policy: it governs the whole province, so a province
   * administrator or data administrator only (the service checks the grant reaches the province).
   */
  'policy.publish': [{ roles: ['admin', 'data_admin'], scope: 'subtree' }],
  /**
   * Override the fields a policy kind lets a city, county or street set for its region (各级调整), within
   * their bounds; retire such an override. Administrators and data administrators of that region or above.
   */
  'policy.override': [{ roles: ['admin', 'data_admin'], scope: 'subtree' }],

  // Appeals (诉求) and responsibility chains
  /** File an appeal: a citizen their own; a hotline operator or window clerk for a caller, anywhere. */
  'appeal.file': [
    { roles: ['citizen'], scope: 'own' },
    { roles: ['clerk'], scope: 'any' },
  ],
  /** Read an appeal: its citizen; the staff of the department handling it; the region's overseers. */
  'appeal.read': [
    { roles: ['citizen'], scope: 'own' },
    { roles: [...WORKERS, 'leader'], scope: 'department' },
    OVERSIGHT,
  ],
  /** Accept, return, answer and resolve an appeal sent to one's department. */
  'appeal.handle': [{ roles: [...WORKERS, 'leader'], scope: 'department' }],
  /** Merge a duplicate appeal of one's department into another. */
  'appeal.merge': [{ roles: ['official', 'supervisor', 'leader'], scope: 'department' }],
  /**
   * Say how satisfied one is with a resolved appeal; the operator or clerk who took a caller's appeal
   * records the caller's answer at the call-back (the service checks they took it).
   */
  'appeal.rate': [
    { roles: ['citizen'], scope: 'own' },
    { roles: ['clerk'], scope: 'any' },
  ],
  /** Contest one's own link in a responsibility chain (the service checks the link is the caller's). */
  'chain.contest': [{ roles: STAFF_ROLES, scope: 'department' }],
  /** Decide a contest of a link: a superior in the contesting official's department, never their own. */
  'chain.decide': [{ roles: ['supervisor', 'leader'], scope: 'department' }],
  /** Rebuild the chains of open appeals under the chain policy in force. */
  'chain.rebuild': [{ roles: ['admin'], scope: 'subtree' }],
  /** Issue and revoke Open311 API keys. */
  'open311.keys': [{ roles: ['admin'], scope: 'subtree' }],

  // The command hall (数据指挥大厅)
  /**
   * Read the command hall's rollups (heatmap, KPIs, live figures) of a region subtree: its overseers and
   * the data administrators of their subtree. Aggregates only, never a person's data.
   */
  'analytics.read': [{ roles: [...REGION_OVERSEERS, 'data_admin'], scope: 'subtree' }],
  /**
   * Export the command hall's views (heatmap, response speed, officials' spread, topics) of a region
   * subtree as a workbook or CSV: whoever may read them (the same aggregates, as a file).
   */
  'analytics.export': [{ roles: [...REGION_OVERSEERS, 'data_admin'], scope: 'subtree' }],
  // Assessment (考核)
  /**
   * Read scorecards and the facts behind them: every staff member their own card; a supervisor their
   * department's officials and the department; the region's overseers every official, department and
   * region of their subtree.
   */
  'assessment.read': [
    { roles: STAFF_ROLES, scope: 'own' },
    { roles: ['supervisor'], scope: 'department' },
    OVERSIGHT,
    // The organisation department ranks the officials of its region (the promotion index).
    { roles: ['organisation'], scope: 'subtree' },
  ],
  /**
   * Enter or correct an official's organisation evaluation (组织评价) for a period: the organisation
   * department, for the officials serving in its region; never one's own (the service checks).
   */
  'assessment.org_evaluate': [{ roles: ['organisation'], scope: 'subtree' }],
  /** Read organisation evaluations: an official their own; the organisation department its region's. */
  'assessment.org_read': [
    { roles: STAFF_ROLES, scope: 'own' },
    { roles: ['organisation'], scope: 'subtree' },
  ],
  /**
   * Export a region's scorecards and promotion ranking as an Excel workbook (for print and the cadre
   * files): the organisation department and administrators, over their region subtree.
   */
  'assessment.export': [{ roles: ['organisation', 'admin'], scope: 'subtree' }],

  // Web navigation (pages whose content is checked by the permissions above)
  /** The inbox (工作台). */
  'workbench.use': [{ roles: WORKERS, scope: 'department' }],
  /** The organisation pages. */
  'org.page': [{ roles: ['admin', 'leader', 'supervisor', 'data_admin', 'auditor'], scope: 'subtree' }],
} as const satisfies Record<string, readonly Grant[]>

export type Permission = keyof typeof PERMISSIONS

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[]

/** Display names of every permission (Chinese, English): the README's table and the web show these. */
export const PERMISSION_TITLES: Record<Permission, { readonly zh: string; readonly en: string }> = {
  'region.import': { zh: '导入区划边界', en: 'Import region boundaries' },
  'region.oversee': { zh: '监管辖区', en: 'Oversee a region' },
  'org.read': { zh: '查看部门和人员', en: 'Read departments and staff' },
  'org.manage': { zh: '管理部门和人员', en: 'Manage departments and staff' },
  'citizen.read': { zh: '查看群众账号', en: 'Read a citizen account' },
  'citizen.lookup': { zh: '窗口查找群众', en: 'Find a citizen at a window' },
  'citizen.register': { zh: '窗口登记群众', en: 'Register a citizen at a window' },
  'matter.deploy': { zh: '发布事项版本', en: 'Deploy a matter version' },
  'matter.prefill': { zh: '预填本人表单', en: 'Prefill one’s own form' },
  'case.apply': { zh: '网上申办', en: 'Apply online' },
  'case.submit_window': { zh: '窗口代办提交', en: 'Submit at a window' },
  'case.read': { zh: '查看办件', en: 'Read a case' },
  'case.receipt': { zh: '下载办件存证回执', en: 'Read a case’s ledger receipts' },
  'case.read_discrepancies': { zh: '查看数据不一致项', en: 'See which values differ from records' },
  'task.work': { zh: '办理环节任务', en: 'Work a task' },
  'task.reassign': { zh: '改派任务', en: 'Reassign a task' },
  'attachment.upload': { zh: '上传材料', en: 'Upload a file' },
  'data_access.read_own': { zh: '查看谁查阅了我的数据', en: 'See who looked at my data' },
  'data_access.read_flagged': { zh: '查看数据访问预警', en: 'Read flagged data accesses' },
  'data_access.review': { zh: '核查数据访问预警', en: 'Review a flagged data access' },
  'audit.run': { zh: '运行审计', en: 'Run the audit' },
  'events.read': { zh: '读取账本事件流', en: 'Read the ledger event tail' },
  'clock.advance': { zh: '调整平台时钟', en: 'Advance the platform clock' },
  'case.rate': { zh: '评价办件', en: 'Rate a finished case' },
  'rating.invite': { zh: '窗口邀请群众评价', en: 'Hand a citizen the counter rating' },
  'rectification.read': { zh: '查看差评整改', en: 'Read rectifications' },
  'rectification.handle': { zh: '差评回访与整改', en: 'Call back and rectify' },
  'rectification.rate': { zh: '评价整改结果', en: 'Rate a rectification' },
  'rating.contest': { zh: '申诉不实评价', en: 'Contest a false review' },
  'rating.contest_decide': { zh: '裁定评价申诉', en: 'Decide a review contest' },
  'policy.read': { zh: '查看治理规则', en: 'Read governance policies' },
  'policy.publish': { zh: '发布治理规则', en: 'Publish a governance policy' },
  'policy.override': { zh: '地方调整治理规则', en: 'Override a policy locally' },
  'scheduler.read': { zh: '查看调度任务', en: 'Read scheduler jobs' },
  'scheduler.manage': { zh: '处理死信任务', en: 'Retry or discard dead jobs' },
  'appeal.file': { zh: '登记诉求', en: 'File an appeal' },
  'appeal.read': { zh: '查看诉求', en: 'Read an appeal' },
  'appeal.handle': { zh: '办理诉求', en: 'Handle an appeal' },
  'appeal.merge': { zh: '合并重复诉求', en: 'Merge duplicate appeals' },
  'appeal.rate': { zh: '评价诉求办理', en: 'Rate an appeal’s handling' },
  'chain.contest': { zh: '对责任认定提出申诉', en: 'Contest one’s chain link' },
  'chain.decide': { zh: '裁定责任认定申诉', en: 'Decide a chain contest' },
  'chain.rebuild': { zh: '按现行规则重建责任链', en: 'Rebuild responsibility chains' },
  'open311.keys': { zh: '管理开放诉求接口密钥', en: 'Manage Open311 API keys' },
  'analytics.read': { zh: '查看指挥大厅数据', en: 'Read the command hall figures' },
  'analytics.export': { zh: '导出指挥大厅数据', en: 'Export the command hall figures' },
  'assessment.read': { zh: '查看考核结果', en: 'Read scorecards' },
  'assessment.org_evaluate': { zh: '录入组织评价', en: 'Enter the organisation evaluation' },
  'assessment.org_read': { zh: '查看组织评价', en: 'Read organisation evaluations' },
  'assessment.export': { zh: '导出考核结果', en: 'Export scorecards' },
  'workbench.use': { zh: '使用工作台', en: 'Use the workbench' },
  'org.page': { zh: '使用组织管理页面', en: 'Use the organisation pages' },
}

const SCOPE_WIDTH: Record<PermissionScope, number> = { own: 0, department: 1, subtree: 2, any: 3 }

function accountOf(actor: Actor): string | undefined {
  return actor.accountId ?? actor.id
}

function holds(actor: Actor, grant: Grant): boolean {
  if (!actor.roles.some((r) => grant.roles.includes(r))) return false
  // Staff roles never grant to a citizen account and the reverse, whatever a role list says: a citizen
  // holds only own-scope grants; staff never a grant to citizens (their own records, such as their
  // scorecard, are granted to staff roles by name).
  return actor.kind === 'citizen' ? grant.scope === 'own' : !grant.roles.includes('citizen')
}

function reaches(actor: Actor, grant: Grant, target: Target): boolean {
  switch (grant.scope) {
    case 'own':
      return target.ownerId === undefined || (target.ownerId !== null && target.ownerId === accountOf(actor))
    case 'department':
      // A resource of the caller's own department reaches them wherever it sits (a destination city's
      // bureau works its step of a transfer case from another city); without a department, the
      // resource must lie in the caller's region subtree.
      if (target.departmentId !== undefined)
        return target.departmentId !== null && target.departmentId === actor.departmentId
      return (
        target.regionCode === undefined ||
        (target.regionCode !== null && target.regionCode.startsWith(actor.regionCode))
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

/** True when the actor oversees the region `code` ({@link REGION_OVERSEERS} over its subtree). */
export function overseesRegion(actor: Actor, code: string): boolean {
  return can(actor, 'region.oversee', { regionCode: code })
}

/** A case as permission checks see it. */
export interface CaseSubject {
  readonly applicantId: string
  readonly regionCode: string
  /** Departments with a task on the case, open or closed (null for applicant tasks). */
  readonly departmentIds: readonly (string | null)[]
}

/**
 * The target a case is for `actor`, for `case.read`, `case.receipt` and `case.read_discrepancies`:
 * owned by its applicant, in its region, and a resource of the actor's department exactly when that
 * department has a task on it (wherever the department sits).
 */
export function caseTarget(actor: Actor, c: CaseSubject): Target {
  const handles = actor.departmentId !== null && c.departmentIds.includes(actor.departmentId)
  return {
    ownerId: c.applicantId,
    regionCode: c.regionCode,
    departmentId: handles ? actor.departmentId : null,
  }
}

/**
 * Whether the actor may work a department task assigned to `taskRole` (BPMN `xzt:role`) in their
 * department: `task.work` reaching the task's department, and a role of theirs that
 * {@link TASK_ROLE_WORKERS} lets work it.
 */
export function mayWorkTask(actor: Actor, task: { departmentId: string | null; role: string }): boolean {
  return (
    can(actor, 'task.work', { departmentId: task.departmentId }) &&
    taskRolesWorkedBy(actor).includes(task.role as TaskRoleName)
  )
}

/** The task roles (`xzt:role`) whose tasks the actor works: what their inbox lists. */
export function taskRolesWorkedBy(actor: Actor): TaskRoleName[] {
  if (actor.kind !== 'staff') return []
  return (Object.keys(TASK_ROLE_WORKERS) as TaskRoleName[]).filter((taskRole) =>
    (TASK_ROLE_WORKERS[taskRole] as readonly Role[]).some((r) => actor.roles.includes(r)),
  )
}
