/**
 * Appeals (诉求): what an appeal is, how the routing policy sends it to a department (ordered
 * first-match rules), which deadlines the deadline policy gives it, when the escalation ladder fires,
 * what it is about (its concern, for the chain rules), which appeals are duplicates of one another, and
 * which step may follow which. Pure.
 * @module
 */
import {
  APPEAL_CATEGORIES,
  type AppealChannel,
  type AppealConcern,
  type AppealKind,
  type AppealSatisfaction,
  type AppealStatus,
  type DepartmentKind,
  type RegionLevel,
} from '../../../shared/domain.js'
import { distanceMetres } from '../../../shared/geo.js'
import type { CaseFacts } from '../cases/index.js'

/** An appeal as the module works with it (the `appeal` row, parsed). */
export interface Appeal {
  id: string
  kind: AppealKind
  category: string
  channel: AppealChannel
  /** Free text as the citizen wrote it (kept here; the ledger holds its salted commitment). */
  text: string
  lat: number | null
  lng: number | null
  regionCode: string
  caseId: string | null
  /** The citizen's account, when known (a hotline caller may have none). */
  citizenId: string | null
  /** Who recorded it: the citizen, the hotline operator or the window clerk; the system for discrepancies. */
  filedBy: string
  /** A hotline or window caller's name and phone, for the call-back (never in the ledger). */
  contact: { name?: string; phone?: string; email?: string } | null
  attachments: string[]
  salt: string
  status: AppealStatus
  departmentId: string
  handlerId: string | null
  /** Increases with each re-routing and reopening: a deadline job of an older round is obsolete. */
  round: number
  respondDueAt: number
  resolveDueAt: number
  respondedAt: number | null
  resolvedAt: number | null
  closedAt: number | null
  response: string | null
  resolution: string | null
  satisfaction: AppealSatisfaction | null
  reopened: boolean
  mergedInto: string | null
  concern: AppealConcern
  /** The routing rule that chose the department (`fallback` when none matched), and its policy. */
  routingRule: string
  routingPolicy: string
  deadlinePolicy: string
  escalationPolicy: string
  createdAt: number
  updatedAt: number
}

// ---- policies as this module reads them ---------------------------------------------------------

export interface DepartmentTarget {
  departmentKind: DepartmentKind
  level: RegionLevel
  preferResponsible?: boolean
}

export interface RoutingRule {
  id: string
  title?: string
  when?: {
    kinds?: AppealKind[]
    categories?: string[]
    regionPrefix?: string
    keywords?: string[]
    withCase?: boolean
  }
  to: DepartmentTarget
}

export interface RoutingPolicy {
  rules: RoutingRule[]
  fallback: DepartmentTarget
}

export interface DeadlinePolicy {
  default: { respondDays: number; resolveDays: number }
  byKind?: Partial<Record<AppealKind, { respondDays: number; resolveDays: number }>>
}

export interface EscalationPolicy {
  ladder: { to: 'supervisor' | 'leader'; afterWorkingDays: number }[]
}

/** What routing looks at. */
export interface RoutingFacts {
  kind: AppealKind
  category: string
  regionCode: string
  text: string
  withCase: boolean
}

/** A candidate destination: the rule (or `fallback`) and its target. */
export interface RoutingCandidate {
  rule: string
  title: string | null
  target: DepartmentTarget
}

export const FALLBACK_RULE = 'fallback'

function categoryMatches(patterns: readonly string[], category: string): boolean {
  return patterns.some((p) => category === p || category.startsWith(`${p}/`))
}

/** Whether a routing rule's conditions all hold (a rule without conditions matches everything). */
export function ruleMatches(rule: RoutingRule, f: RoutingFacts): boolean {
  const w = rule.when
  if (!w) return true
  if (w.kinds && !w.kinds.includes(f.kind)) return false
  if (w.categories && !categoryMatches(w.categories, f.category)) return false
  if (w.regionPrefix && !f.regionCode.startsWith(w.regionPrefix)) return false
  if (w.keywords && !w.keywords.some((k) => f.text.includes(k))) return false
  if (w.withCase !== undefined && w.withCase !== f.withCase) return false
  return true
}

/**
 * The destinations the routing policy offers, best first: every matching rule in order, then the
 * fallback. The first whose department exists (and has not returned the appeal) takes it.
 */
export function routingCandidates(policy: RoutingPolicy, f: RoutingFacts): RoutingCandidate[] {
  return [
    ...policy.rules
      .filter((r) => ruleMatches(r, f))
      .map((r) => ({ rule: r.id, title: r.title ?? null, target: r.to })),
    { rule: FALLBACK_RULE, title: null, target: policy.fallback },
  ]
}

const LEVEL_LENGTH: Record<RegionLevel, number> = { province: 2, city: 4, county: 6, street: 9 }

/**
 * The region codes a target's department is looked for in: the appeal's region at the target's level,
 * then each level above (a street has no tax bureau: its county's takes the appeal).
 */
export function targetRegions(regionCode: string, level: RegionLevel): string[] {
  const out: string[] = []
  for (const len of [9, 6, 4, 2]) {
    if (len > LEVEL_LENGTH[level] || len > regionCode.length) continue
    out.push(regionCode.slice(0, len))
  }
  return out
}

/** Working days to respond and to resolve an appeal of a kind. */
export function deadlineDays(
  policy: DeadlinePolicy,
  kind: AppealKind,
): { respondDays: number; resolveDays: number } {
  return policy.byKind?.[kind] ?? policy.default
}

/** The stage a deadline watches: the first response, or the resolution. */
export type DeadlineStage = 'respond' | 'resolve'

/** The payload of an `appeal.deadline` job: one step of the ladder, for one stage of one round. */
export interface DeadlineJob {
  appealId: string
  round: number
  stage: DeadlineStage
  step: number
}

/** The scheduler key of a ladder step's job: unique per appeal, round, stage and step. */
export function deadlineJobKey(j: DeadlineJob): string {
  return `${j.appealId}:${j.round}:${j.stage}:${j.step}`
}

/** Whether an appeal is still being handled (not closed, not merged into another). */
export function isOpen(a: Pick<Appeal, 'status'>): boolean {
  return a.status !== 'closed' && a.status !== 'merged'
}

/** Whether a stage is done, so its ladder has nothing more to do. */
export function stageDone(
  a: Pick<Appeal, 'status' | 'respondedAt' | 'resolvedAt'>,
  stage: DeadlineStage,
): boolean {
  if (a.status === 'closed' || a.status === 'merged') return true
  return stage === 'respond' ? a.respondedAt !== null || a.resolvedAt !== null : a.resolvedAt !== null
}

// ---- what an appeal is about ----------------------------------------------------------------------

/** The concern a category names, if any (`service/delay` → delay). */
export function categoryConcern(category: string): AppealConcern | undefined {
  const [top, sub] = category.split('/')
  return top && sub ? APPEAL_CATEGORIES[top]?.subs[sub]?.concern : undefined
}

/** Whether a case step ran past its time limit (or still runs past it, open at `now`). */
export function stepBreached(t: CaseFacts['tasks'][number], now: number, cancelledAt?: number): boolean {
  if (t.sla === 'breached') return true
  if (t.dueAt === null) return false
  const end = t.completedAt ?? (t.status === 'open' ? now : (cancelledAt ?? null))
  return end !== null && end > t.dueAt
}

/**
 * What an appeal is about: a discrepancy is about data; a category that names a concern decides;
 * otherwise an appeal about a case is read from the case's facts (a step past its limit: delay; a
 * rejection: wrongful rejection; taken in at a window: the window's conduct).
 */
export function concernOf(
  kind: AppealKind,
  category: string,
  facts: CaseFacts | null,
  now: number,
): AppealConcern {
  if (kind === 'discrepancy') return 'data_discrepancy'
  const named = categoryConcern(category)
  if (named) return named
  if (!facts || kind !== 'complaint') return 'other'
  const overdue = facts.tasks.some((t) => t.kind === 'department' && stepBreached(t, now))
  if (overdue || (facts.completedAt === null && now > facts.dueAt)) return 'delay'
  if (facts.status === 'rejected') return 'wrongful_rejection'
  if (facts.channel === 'window') return 'window_conduct'
  return 'other'
}

/** The category an appeal about a case gets when the citizen named none: the service one for its concern. */
export function defaultCategory(kind: AppealKind, concern: AppealConcern): string {
  if (kind === 'discrepancy') return 'data/record'
  switch (concern) {
    case 'delay':
      return 'service/delay'
    case 'wrongful_rejection':
      return 'service/rejection'
    case 'window_conduct':
      return 'service/window_conduct'
    case 'data_discrepancy':
      return 'data/record'
    case 'bad_review':
    case 'other':
      return 'service/other'
  }
}

// ---- duplicates ------------------------------------------------------------------------------------

/** Appeals of one category filed this close in time… */
export const DUPLICATE_WINDOW_MS = 72 * 3_600_000
/** …and this close in space (or, without pins, in the same street) are offered for merging. */
export const DUPLICATE_RADIUS_M = 300

/** Whether `other` looks like a duplicate of `a`: same category and place, within the window, still open. */
export function isDuplicate(
  a: Pick<Appeal, 'id' | 'category' | 'lat' | 'lng' | 'regionCode' | 'createdAt'>,
  other: Pick<Appeal, 'id' | 'category' | 'lat' | 'lng' | 'regionCode' | 'createdAt' | 'status'>,
): { distance: number | null } | undefined {
  if (a.id === other.id || a.category !== other.category) return undefined
  if (other.status === 'closed' || other.status === 'merged') return undefined
  if (Math.abs(a.createdAt - other.createdAt) > DUPLICATE_WINDOW_MS) return undefined
  if (a.lat !== null && a.lng !== null && other.lat !== null && other.lng !== null) {
    const d = distanceMetres({ lat: a.lat, lng: a.lng }, { lat: other.lat, lng: other.lng })
    return d <= DUPLICATE_RADIUS_M ? { distance: Math.round(d) } : undefined
  }
  return a.regionCode === other.regionCode ? { distance: null } : undefined
}

// ---- the lifecycle ----------------------------------------------------------------------------------

/** The handling actions and the statuses each may be taken from. */
export const ACTIONS = {
  accept: ['dispatched'],
  return: ['dispatched', 'accepted'],
  respond: ['accepted'],
  resolve: ['accepted', 'responded'],
  rate: ['resolved'],
  merge: ['dispatched', 'accepted', 'responded'],
} as const satisfies Record<string, readonly AppealStatus[]>

export type AppealAction = keyof typeof ACTIONS

export function mayTake(action: AppealAction, status: AppealStatus): boolean {
  return (ACTIONS[action] as readonly AppealStatus[]).includes(status)
}

/**
 * Whether an appeal closes when resolved: a discrepancy is raised by the system, with no citizen to
 * ask. Every other appeal waits for the citizen's satisfaction (a hotline caller's is recorded by the
 * operator's call-back).
 */
export function closesOnResolve(kind: AppealKind): boolean {
  return kind === 'discrepancy'
}

export const MAX_TEXT_LENGTH = 4000
export const MAX_REPLY_LENGTH = 4000
export const MAX_REASON_LENGTH = 1000
