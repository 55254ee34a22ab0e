/**
 * The citizen's side of appeals (诉求), case ratings (好差评) and rectifications (整改) over the HTTP API:
 * a client beside `api.ts` (same fetch wrapper, cookies, CSRF and error handling), kept apart so the
 * citizen and staff pages grow without stepping on each other.
 * @module
 */
import type {
  AppealSummary,
  AppealView,
  CounterRatingView,
  RatingInvitation,
  RectificationDetail,
  ResponsibilityChainView,
} from '../shared/api.js'
import type { AppealKind, AppealSatisfaction, RatingTag } from '../shared/domain.js'
import { request } from './api.js'
import type { RequestOptions } from './api.js'

export type {
  AppealSummary,
  AppealView,
  CounterRatingView,
  RatingInvitation,
  RectificationDetail,
  ResponsibilityChainView,
}

/** The longest rating comment the server takes. */
export const MAX_RATING_COMMENT = 500
/** The longest appeal text the server takes. */
export const MAX_APPEAL_TEXT = 4000
/** The longest comment on a satisfaction answer. */
export const MAX_SATISFACTION_COMMENT = 1000

/** `POST /api/appeals` as a citizen files it. */
export interface FileAppealInput {
  kind: Exclude<AppealKind, 'discrepancy'>
  category?: string
  text?: string
  location?: { lat: number; lng: number }
  regionCode?: string
  caseId?: string
  attachments?: string[]
}

/** `GET /api/cases/{id}/rating` (and the answer of `POST`). */
export interface CaseRatingView {
  caseId: string
  score: number
  reformScore: number | null
  tags: string[]
  comment: string | null
  ratedAt: number
  department: { id: string; name: string } | null
  matterCode: string
  matterVersion: number
  policy: string
  ledger: { log: string; index: number }
  /** A contest found the review false: kept, but assessment skips it. */
  excluded: boolean
  /** `online` (the signed-in applicant) or `counter` (at the window: tablet or QR code). */
  channel: 'online' | 'counter'
  /** The window clerk who opened the counter rating link. */
  invitedBy: string | null
  /** The team that published the rated process version (the reform score's attribution). */
  team: { id: string; name: string } | null
  rectification: {
    id: string
    dueAt: number
    department: { id: string; name: string } | null
    policy: string
  } | null
}

export interface CaseRatingInput {
  score: number
  reformScore?: number
  tags?: RatingTag[]
  comment?: string
}

/** One version of a governance policy (`GET /api/policies/{kind}/{version}`). */
export interface PolicyVersionView {
  kind: string
  version: number
  effectiveAt: number
  body: unknown
}

const enc = encodeURIComponent

async function get<T>(path: string, o?: RequestOptions): Promise<T> {
  return (await request<T>('GET', path, undefined, o)).data
}

async function post<T>(path: string, body: unknown, o?: RequestOptions): Promise<T> {
  return (await request<T>('POST', path, body, o)).data
}

export const citizenApi = {
  /** The citizen's own appeals, newest first (at most 500). */
  async myAppeals(o?: RequestOptions): Promise<{ items: AppealSummary[]; total: number }> {
    const { data, headers } = await request<AppealSummary[]>('GET', '/api/appeals?limit=500', undefined, o)
    const total = Number(headers.get('x-total-count'))
    return {
      items: data,
      total: Number.isFinite(total) && headers.has('x-total-count') ? total : data.length,
    }
  },
  /** The appeals about one case, the platform's own data-discrepancy appeals among them. */
  caseAppeals: (caseId: string, o?: RequestOptions) =>
    get<AppealSummary[]>(`/api/appeals?caseId=${enc(caseId)}`, o),
  appeal: (id: string, o?: RequestOptions) => get<AppealView>(`/api/appeals/${enc(id)}`, o),
  responsibility: (id: string, o?: RequestOptions) =>
    get<ResponsibilityChainView>(`/api/appeals/${enc(id)}/responsibility`, o),
  fileAppeal: (input: FileAppealInput, o?: RequestOptions) => post<AppealView>('/api/appeals', input, o),
  rateAppeal: (
    id: string,
    input: { satisfaction: AppealSatisfaction; comment?: string },
    o?: RequestOptions,
  ) => post<AppealView>(`/api/appeals/${enc(id)}/rating`, input, o),

  /** A policy version, e.g. the routing rules an appeal was sent by (`appeal.routing@1` → kind, 1). */
  policyVersion: (kind: string, version: number, o?: RequestOptions) =>
    get<PolicyVersionView>(`/api/policies/${enc(kind)}/${version}`, o),

  caseRating: (caseId: string, o?: RequestOptions) =>
    get<CaseRatingView>(`/api/cases/${enc(caseId)}/rating`, o),
  rateCase: (caseId: string, input: CaseRatingInput, o?: RequestOptions) =>
    post<CaseRatingView>(`/api/cases/${enc(caseId)}/rating`, input, o),
  /** A window clerk opens the counter rating of a finished case they served. */
  inviteRating: (caseId: string, o?: RequestOptions) =>
    post<RatingInvitation>(`/api/cases/${enc(caseId)}/rating/invitations`, undefined, o),
  /** The page behind a counter rating link (no sign-in needed). */
  counterRating: (token: string, o?: RequestOptions) =>
    get<CounterRatingView>(`/api/rating-invitations/${enc(token)}`, o),
  rateAtCounter: (token: string, input: CaseRatingInput, o?: RequestOptions) =>
    post<CounterRatingView>(`/api/rating-invitations/${enc(token)}/rating`, input, o),

  rectification: (id: string, o?: RequestOptions) =>
    get<RectificationDetail>(`/api/rectifications/${enc(id)}`, o),
  rateRectification: (id: string, input: { satisfied: boolean; comment?: string }, o?: RequestOptions) =>
    post<RectificationDetail>(`/api/rectifications/${enc(id)}/rating`, input, o),
}

/** `appeal.routing@3` → `{kind: 'appeal.routing', version: 3}`; undefined for anything else. */
export function parsePolicyId(id: string): { kind: string; version: number } | undefined {
  const m = /^([a-z][a-z0-9_.]*)@(\d+)$/.exec(id)
  return m?.[1] && m[2] ? { kind: m[1], version: Number(m[2]) } : undefined
}

/** The title of a routing rule in a routing policy's body, if it has one. */
export function routingRuleTitle(body: unknown, ruleId: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const rules = (body as { rules?: unknown }).rules
  if (!Array.isArray(rules)) return undefined
  for (const r of rules as unknown[]) {
    if (typeof r !== 'object' || r === null) continue
    const rule = r as { id?: unknown; title?: unknown }
    if (rule.id === ruleId && typeof rule.title === 'string' && rule.title) return rule.title
  }
  return undefined
}
