/**
 * What the signed-in user may open in the web UI, and where they start. Every answer comes from the
 * one permission table (`src/shared/permissions.ts`) through {@link can}, so the web never keeps a role
 * list of its own: a grant changed there changes the menu here. The server checks every request again;
 * hiding is for the user, not for security.
 * @module
 */
import type { Me } from '../shared/api.js'
import { can } from '../shared/permissions.js'
import type { AssessmentLevel } from '../shared/assessment.js'

/** Organisation pages (departments and staff). */
export function canSeeOrg(me: Me): boolean {
  return can(me, 'org.page')
}

/** Creating and changing departments and staff accounts. */
export function canManageOrg(me: Me): boolean {
  return can(me, 'org.manage')
}

/** The audit console (ledger, proofs, receipts, full audit). */
export function canSeeAudit(me: Me): boolean {
  return can(me, 'audit.run')
}

/** The inbox (工作台). */
export function canSeeWorkbench(me: Me): boolean {
  return can(me, 'workbench.use')
}

/** The service window (窗口受理): submitting on a citizen's behalf. */
export function canSeeWindow(me: Me): boolean {
  return can(me, 'case.submit_window')
}

/** Applying online for oneself (a citizen's 在线申办, 我的办件). */
export function canApply(me: Me): boolean {
  return can(me, 'case.apply')
}

/** The service hall is for those who apply: citizens, and the clerks who apply for them. */
export function canSeeServices(me: Me): boolean {
  return canApply(me) || canSeeWindow(me)
}

/** A citizen's own list of who looked at their data. */
export function canSeeOwnDataAccess(me: Me): boolean {
  return can(me, 'data_access.read_own')
}

/** Flagged data accesses (supervisors: their department's; administrators and auditors: their region's). */
export function canSeeFlagged(me: Me): boolean {
  return can(me, 'data_access.read_flagged')
}

/** Recording a verdict on a flagged access (auditors watch the judging, they do not judge). */
export function canReviewFlagged(me: Me): boolean {
  return can(me, 'data_access.review')
}

/** The administrator's overview (管理概览): whoever manages the organisation of a region. */
export function canSeeOverview(me: Me): boolean {
  return canManageOrg(me)
}

/** Background jobs (后台任务): the scheduler's jobs and timers, the dead letter first of all. */
export function canSeeJobs(me: Me): boolean {
  return can(me, 'scheduler.read')
}

/** Open311 API keys (开放接口密钥): issuing and revoking them for civic apps. */
export function canManageOpen311Keys(me: Me): boolean {
  return can(me, 'open311.keys')
}

/**
 * Governance policies (治理规则): the registry and every kind's versions, in the staff menu. A citizen
 * may read them too (`policy.read`), where they apply to them: the rules an appeal was routed by are
 * shown on the appeal; the registry is not in their phone's short menu.
 */
export function canReadPolicies(me: Me): boolean {
  return me.kind === 'staff' && can(me, 'policy.read')
}

/**
 * Publishing a new version of a governance policy: it governs the whole province, so the grant must
 * reach the province (a city's administrator holds the permission for the city only).
 */
export function canPublishPolicies(me: Me): boolean {
  return can(me, 'policy.publish', { regionCode: me.regionCode.slice(0, 2) })
}

/** Adjusting a policy for one's region and below (各级调整), within the bounds the province set. */
export function canOverridePolicies(me: Me): boolean {
  return can(me, 'policy.override', { regionCode: me.regionCode })
}

/** Sending a failed or dead job back to the queue. */
export function canRetryJobs(me: Me): boolean {
  return can(me, 'scheduler.manage')
}

/** Window look-up of citizens by identity number or name. */
export function canLookUpCitizens(me: Me): boolean {
  return can(me, 'citizen.lookup')
}

/** Registering a citizen on the spot at a window. */
export function canRegisterCitizens(me: Me): boolean {
  return can(me, 'citizen.register')
}

/**
 * Administrators and auditors review flagged data accesses on a page of their own; supervisors, who
 * work an inbox, on their workbench's tab.
 */
export function flaggedInNav(me: Me): boolean {
  return canSeeFlagged(me) && !canSeeWorkbench(me)
}

/** The appeal desk (诉求工作台): whoever handles their department's appeals, and a region's overseers. */
export function canSeeAppealDesk(me: Me): boolean {
  return canWorkAppealInbox(me) || canOverseeAppeals(me)
}

/** The department's inbox of appeals (the desk's 本部门 view): those who handle what it receives. */
export function canWorkAppealInbox(me: Me): boolean {
  return me.departmentId !== null && can(me, 'appeal.handle', { departmentId: me.departmentId })
}

/** A region's appeals (the desk's 辖区 view): the region's overseers. */
export function canOverseeAppeals(me: Me): boolean {
  return me.kind === 'staff' && can(me, 'appeal.read', { regionCode: me.regionCode, departmentId: null })
}

/** Filing appeals for callers (12345 热线 and windows: the fast entry form). */
export function canTakeCalls(me: Me): boolean {
  return me.kind === 'staff' && can(me, 'appeal.file')
}

/**
 * Filers whose work is the telephone: those outside a service centre (whose clerks serve its windows
 * and file for the citizen in front of them). They start on the fast entry form, as 12345 calls.
 */
export function takesCallsFirst(me: Me): boolean {
  return canTakeCalls(me) && me.departmentKind !== 'service_center'
}

/** 申诉与整改: contested chain links to decide, and the rectifications of bad ratings. */
export function canSeeAppealReviews(me: Me): boolean {
  return (
    me.kind === 'staff' &&
    (can(me, 'chain.decide') || can(me, 'rectification.read') || can(me, 'rating.contest_decide'))
  )
}

/** Deciding contests of chain links (a superior in the contesting official's department). */
export function canDecideChainContests(me: Me): boolean {
  return can(me, 'chain.decide')
}

/** Contesting one's own link of a chain (the service also checks that the link is the caller's). */
export function canContestOwnLink(me: Me, departmentId: string): boolean {
  return can(me, 'chain.contest', { departmentId })
}

/** Recording a rectification's call-back and measures: the handling department's staff. */
export function canHandleRectification(me: Me, departmentId: string | null): boolean {
  return departmentId !== null && can(me, 'rectification.handle', { departmentId })
}

/** Contesting a bad rating as a false review: the handling department's staff. */
export function canContestRating(me: Me, departmentId: string | null): boolean {
  return departmentId !== null && can(me, 'rating.contest', { departmentId })
}

/** Deciding a contest of a rating: leaders and administrators over the case's region. */
export function canDecideRatingContest(me: Me, regionCode: string): boolean {
  return can(me, 'rating.contest_decide', { regionCode })
}

// ---- Assessment: the promotion index (晋升指数) and the what-if (模拟对比) ------------------------------

/**
 * 晋升指数: whoever reads other officials' organisation evaluations in their region (the organisation
 * department; every official reads only their own, on their own scorecard).
 */
export function canSeePromotion(me: Me): boolean {
  return can(me, 'assessment.org_read', { ownerId: null, regionCode: me.regionCode })
}

/** Entering or correcting an official's organisation evaluation (组织评价) for a period. */
export function canEvaluateOfficials(me: Me): boolean {
  return can(me, 'assessment.org_evaluate', { regionCode: me.regionCode })
}

/** The Excel export of the scorecards and the promotion ranking: the organisation department and administrators. */
export function canExportScorecards(me: Me): boolean {
  return can(me, 'assessment.export', { regionCode: me.regionCode })
}

/** 模拟对比 (the what-if): whoever may read scorecards recomputes them under another policy version. */
export function canRunWhatIf(me: Me): boolean {
  return can(me, 'assessment.read')
}

/**
 * The command hall (数据指挥大厅) and the leaders' desk (领导驾驶舱): whoever reads the hall's figures
 * over their own region (leaders, auditors, administrators, data administrators).
 */
export function canSeeHall(me: Me): boolean {
  return me.kind === 'staff' && can(me, 'analytics.read', { regionCode: me.regionCode })
}

/** Where the region browser starts: the jurisdiction root for staff, the province for citizens. */
export function homeRegion(me: Me): string {
  return me.kind === 'citizen' ? me.regionCode.slice(0, 2) : me.regionCode
}

/**
 * Where a user lands after signing in, by what they may do first: those who apply on the service hall
 * (办事大厅), hotline operators on the fast entry form (12345 热线), those who work an inbox on the
 * workbench (工作台), administrators on their overview, auditors on the audit console, the organisation
 * department on the promotion index (晋升指数); everyone else (leaders, data administrators, process
 * engineers) on the region map of their jurisdiction.
 */
export function homePath(me: Me): string {
  if (canApply(me)) return '/services'
  if (takesCallsFirst(me)) return '/hotline'
  if (canSeeWorkbench(me)) return '/workbench'
  if (canSeeOverview(me)) return '/overview'
  if (canSeeAudit(me)) return '/audit'
  if (canSeePromotion(me)) return '/promotion'
  // Leaders: their region's figures first (领导驾驶舱), the large screen one click away.
  if (canSeeHall(me)) return '/desk'
  return `/regions/${homeRegion(me)}`
}

// ---- Citizens' appeals (诉求) and ratings (好差评) ----------------------------------------------------

/**
 * 我的诉求 and filing an appeal for oneself. Only a citizen's own: clerks and hotline operators hold
 * `appeal.file` too, for callers, on their own pages.
 */
export function canFileOwnAppeals(me: Me): boolean {
  return me.kind === 'citizen' && can(me, 'appeal.file', { ownerId: me.id })
}

/** Rating one's own finished case (好差评) and giving its process a reform score. */
export function canRateOwnCases(me: Me): boolean {
  return can(me, 'case.rate', { ownerId: me.id })
}

/** Opening the counter rating (柜台评价器, QR code) of a finished case one's window served. */
export function canInviteRating(me: Me): boolean {
  return can(me, 'rating.invite')
}

// ---- Assessment (考核) ------------------------------------------------------------------------------

/** The scorecards page (考核): every staff member reads at least their own card. */
export function canSeeScorecards(me: Me): boolean {
  return me.kind === 'staff' && can(me, 'assessment.read')
}

/**
 * Whether a level's table in a region is theirs to list, as the server decides it: officials wherever
 * some grant reaches beyond one's own card (a department's supervisor, a region's overseers, the
 * organisation department); departments with a department grant or wider reaching the region; regions
 * with a subtree grant over it. An official whose reach is their own card gets the card, not a table.
 */
export function canListScorecards(me: Me, level: AssessmentLevel, region: string): boolean {
  if (me.kind !== 'staff') return false
  const byLevel: Record<AssessmentLevel, () => boolean> = {
    official: () =>
      can(me, 'assessment.read', { ownerId: null, regionCode: region }) ||
      (me.departmentId !== null &&
        region.length <= me.regionCode.length &&
        me.regionCode.startsWith(region) &&
        can(me, 'assessment.read', { ownerId: null, departmentId: me.departmentId })),
    department: () => can(me, 'assessment.read', { ownerId: null, regionCode: region }),
    region: () => can(me, 'assessment.read', { ownerId: null, departmentId: null, regionCode: region }),
  }
  return byLevel[level]()
}

/** An own card (我的考核): staff serving in a department. */
export function hasOwnScorecard(me: Me): boolean {
  return me.kind === 'staff' && me.departmentId !== null && can(me, 'assessment.read', { ownerId: me.id })
}

/**
 * Contesting a fact on one's own card (申诉): it joins the chain-contest flow, so whoever may contest
 * their own chain links; the server checks the fact is the caller's.
 */
export function canContestOwnFacts(me: Me): boolean {
  return me.departmentId !== null && can(me, 'chain.contest', { departmentId: me.departmentId })
}
