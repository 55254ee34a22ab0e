/**
 * The API calls of the staff's appeal pages (诉求工作台, 12345 热线, 申诉与整改): appeals and their
 * handling, responsibility chains and their contests, rectifications after a bad rating, and the
 * governance policies whose rule titles the pages show.
 * @module
 */
import type {
  AppealSummary,
  AppealView,
  RectificationDetail,
  RectificationList,
  RectificationStatus,
  ResponsibilityChainView,
} from '../shared/api.js'
import type { IndicatorCode } from '../shared/assessment.js'
import type { AppealChannel, AppealKind, AppealSatisfaction, AppealStatus } from '../shared/domain.js'
import { http } from './api.js'
import type { Page, RequestOptions } from './api.js'

export type { AppealSummary, AppealView, RectificationDetail, ResponsibilityChainView }

const enc = encodeURIComponent

/**
 * A contest as `GET /api/chain-contests` lists it: of a chain link (`subject: 'chain'`, with its appeal)
 * or of a fact on the official's scorecard (`subject: 'fact'`, with the fact's indicator and ref).
 */
export interface ChainContestView {
  subject: 'chain' | 'fact'
  id: string
  /** Chain contests. */
  appealId?: string
  revision?: number
  staffId: string
  departmentId: string
  reason: string
  status: 'pending' | 'upheld' | 'rejected'
  decidedBy: string | null
  decision: string | null
  createdAt: number
  decidedAt: number | null
  ledger: { log: string; index: number }
  /** Fact contests: the period, indicator and what the fact is about, and the contesting official's name. */
  period?: string
  indicator?: IndicatorCode
  ref?: { kind: 'case' | 'task' | 'appeal' | 'rectification'; id: string }
  key?: string
  staffName?: string
}

/** One version of a governance policy (`GET /api/policies/{kind}/{version}`). */
export interface PolicyVersionView {
  kind: string
  version: number
  effectiveAt: number
  body: unknown
  publishedAt: number
  ledger: { log: string; index: number }
}

/** Staff filing for a caller (`POST /api/appeals`, channel hotline or window). */
export interface StaffFileInput {
  kind: AppealKind
  category: string
  text: string
  channel: Extract<AppealChannel, 'hotline' | 'window'>
  contact?: { name?: string; phone?: string }
  regionCode?: string
  caseId?: string
}

export interface AppealListParams {
  scope: 'department' | 'region' | 'filed'
  status?: AppealStatus[]
  kind?: AppealKind
  limit?: number
  offset?: number
}

function listQuery(p: AppealListParams): string {
  const search = new URLSearchParams()
  search.set('scope', p.scope)
  for (const s of p.status ?? []) search.append('status', s)
  if (p.kind) search.set('kind', p.kind)
  if (p.limit !== undefined) search.set('limit', String(p.limit))
  if (p.offset !== undefined) search.set('offset', String(p.offset))
  return `?${search.toString()}`
}

export const appealsApi = {
  list: (p: AppealListParams, o?: RequestOptions): Promise<Page<AppealSummary>> =>
    http.page<AppealSummary>(`/api/appeals${listQuery(p)}`, o),
  get: (id: string, o?: RequestOptions) => http.get<AppealView>(`/api/appeals/${enc(id)}`, o),
  file: (input: StaffFileInput, o?: RequestOptions) =>
    http.send<AppealView>('POST', '/api/appeals', input, o),
  accept: (id: string, o?: RequestOptions) =>
    http.send<AppealView>('POST', `/api/appeals/${enc(id)}/accept`, undefined, o),
  return: (id: string, reason: string, o?: RequestOptions) =>
    http.send<AppealView>('POST', `/api/appeals/${enc(id)}/return`, { reason }, o),
  respond: (id: string, text: string, o?: RequestOptions) =>
    http.send<AppealView>('POST', `/api/appeals/${enc(id)}/respond`, { text }, o),
  resolve: (id: string, text: string, o?: RequestOptions) =>
    http.send<AppealView>('POST', `/api/appeals/${enc(id)}/resolve`, { text }, o),
  merge: (id: string, into: string, o?: RequestOptions) =>
    http.send<AppealView>('POST', `/api/appeals/${enc(id)}/merge`, { into }, o),
  rate: (id: string, satisfaction: AppealSatisfaction, comment?: string, o?: RequestOptions) =>
    http.send<AppealView>(
      'POST',
      `/api/appeals/${enc(id)}/rating`,
      comment ? { satisfaction, comment } : { satisfaction },
      o,
    ),

  chain: (id: string, o?: RequestOptions) =>
    http.get<ResponsibilityChainView>(`/api/appeals/${enc(id)}/responsibility`, o),
  contestLink: (id: string, reason: string, o?: RequestOptions) =>
    http.send<ResponsibilityChainView>(
      'POST',
      `/api/appeals/${enc(id)}/responsibility/contest`,
      { reason },
      o,
    ),
  contests: (status?: ChainContestView['status'], o?: RequestOptions) =>
    http.get<ChainContestView[]>(`/api/chain-contests${http.query({ status })}`, o),
  decideContest: (id: string, input: { upheld: boolean; reason: string }, o?: RequestOptions) =>
    http.send<unknown>('POST', `/api/chain-contests/${enc(id)}/decision`, input, o),

  /** A policy version by its id (`appeal.routing@3`). */
  policy: (id: string, o?: RequestOptions) => {
    const at = id.lastIndexOf('@')
    return http.get<PolicyVersionView>(`/api/policies/${enc(id.slice(0, at))}/${enc(id.slice(at + 1))}`, o)
  },

  rectifications: (
    p: { status?: RectificationStatus; overdue?: boolean; limit?: number; offset?: number },
    o?: RequestOptions,
  ) =>
    http.get<RectificationList>(
      `/api/rectifications${http.query({
        status: p.status,
        overdue: p.overdue === undefined ? undefined : String(p.overdue),
        limit: p.limit,
        offset: p.offset,
      })}`,
      o,
    ),
  rectification: (id: string, o?: RequestOptions) =>
    http.get<RectificationDetail>(`/api/rectifications/${enc(id)}`, o),
  callBack: (id: string, input: { calledAt: number; summary: string }, o?: RequestOptions) =>
    http.send<RectificationDetail>('POST', `/api/rectifications/${enc(id)}/callback`, input, o),
  rectify: (id: string, measures: string, o?: RequestOptions) =>
    http.send<RectificationDetail>('POST', `/api/rectifications/${enc(id)}/rectify`, { measures }, o),
  contestRating: (id: string, reason: string, o?: RequestOptions) =>
    http.send<RectificationDetail>('POST', `/api/rectifications/${enc(id)}/contest`, { reason }, o),
  decideRatingContest: (id: string, input: { upheld: boolean; reason: string }, o?: RequestOptions) =>
    http.send<RectificationDetail>('POST', `/api/rectifications/${enc(id)}/contest/decision`, input, o),
}
