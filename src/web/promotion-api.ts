/**
 * The assessment API as the organisation department's pages use it (晋升指数, 模拟对比): officials'
 * scorecards with the promotion index and its rank, the organisation evaluation (组织评价) with its
 * revisions, the Excel export, and the what-if recomputation of a level's scorecards under another
 * version or a draft of the assessment formula and the promotion weights.
 * @module
 */
import { http, request } from './api.js'
import type { RequestOptions } from './api.js'
import type { AssessmentDimension, AssessmentLevel } from '../shared/assessment.js'
import type { ScorecardQuery } from './assessment-api.js'

/** A ledger entry. */
interface LedgerRef {
  log: string
  index: number
}

/** One revision of an official's organisation evaluation for a period. */
export interface OrgEvaluation {
  staffId: string
  staffName: string
  departmentId: string
  period: string
  score: number
  comment: string | null
  revision: number
  enteredBy: string
  enteredAt: number
  ledger: LedgerRef
}

export interface OrgEvaluationInput {
  staffId: string
  period: string
  score: number
  comment?: string
}

/** A candidate policy for the what-if: a published version, or a draft document. */
export type Candidate = { version: number } | { document: unknown }

export interface WhatIfInput {
  level: AssessmentLevel
  region?: string
  period: string
  formula?: Candidate
  promotion?: Candidate
}

/** One side of a what-if row. */
export interface WhatIfSide {
  total: number | null
  rank: number | null
  promotionIndex?: number | null
  promotionRank?: number | null
  dimensions: Record<AssessmentDimension, number | null>
}

export interface WhatIfRow {
  subject: { id: string; name: string }
  current: WhatIfSide
  candidate: WhatIfSide
  delta: { total: number | null; rank: number | null; promotionIndex?: number | null }
}

/** `POST /api/assessment/what-if`. */
export interface WhatIfResult {
  current: { policyVersion: string; promotionPolicy?: string }
  /** `policyVersion` is `assessment.formula@N` or `assessment.formula@draft`. */
  candidate: { policyVersion: string; promotionPolicy?: string }
  rows: WhatIfRow[]
}

export const promotionApi = {
  evaluations: (q: { staffId?: string; period?: string }, o?: RequestOptions) =>
    http.get<OrgEvaluation[]>(`/api/assessment/org-evaluations${http.query(q)}`, o),
  evaluate: (input: OrgEvaluationInput) =>
    http.send<OrgEvaluation>('POST', '/api/assessment/org-evaluations', input, { quiet: true }),
  whatIf: (input: WhatIfInput, o?: RequestOptions) =>
    http.send<WhatIfResult>('POST', '/api/assessment/what-if', input, o),
  /** The workbook (`GET …/export.xlsx`) as bytes, with the file name the server suggests. */
  async exportXlsx(q: ScorecardQuery, o?: RequestOptions): Promise<{ blob: Blob; fileName: string | null }> {
    const { data, headers } = await request<Blob>(
      'GET',
      `/api/assessment/scorecards/export.xlsx${http.query({ ...q })}`,
      undefined,
      o,
      'blob',
    )
    return { blob: data, fileName: fileNameOf(headers.get('content-disposition')) }
  },
}

/** The file name of a `Content-Disposition` header (RFC 6266 `filename*` first), or null. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)
  return plain?.[1]?.trim() ?? null
}
