/**
 * Rules of the review of flagged data accesses (数据访问预警): who may see and who may review a flag,
 * and what of a review the citizen sees. Pure.
 *
 * An access is flagged when the official had no open task on the case. It goes to the supervisors of
 * the department the official was in when they looked; the region's overseers see their whole region
 * subtree. Administrators and those supervisors may record a verdict, once; nobody judges their own
 * access. Auditors watch but do not judge (they audit the judging). Who holds which of these is the
 * permission table's (`data_access.read_flagged`, `data_access.review`).
 * @module
 */
import type { Principal } from '../../access.js'
import type { AccessVerdict, CitizenAccessReview } from '../../../shared/api.js'
import { AppError, forbidden } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'

/** What a review needs to know about the access it judges. */
export interface ReviewTarget {
  staffId: string
  /** The official's department and region when they looked. */
  departmentId: string | null
  regionCode: string | null
  flagged: boolean
  reviewedAt: number | null
}

/**
 * Guards that `p` may review `access` (`data_access.review`): an administrator whose jurisdiction
 * covers the official's region, or a supervisor of the official's department; never the official
 * themself.
 * @throws FORBIDDEN, CONFLICT (not flagged, or already reviewed)
 */
export function assertMayReview(p: Principal, access: ReviewTarget): void {
  assertCan(p, 'data_access.review')
  if (access.staffId === p.accountId) throw forbidden('nobody reviews their own access to citizens’ data')
  // A look recorded without a department or region (the system's) is reviewed by nobody's grant.
  assertCan(p, 'data_access.review', {
    departmentId: access.departmentId,
    regionCode: access.regionCode,
  })
  if (!access.flagged)
    throw new AppError('CONFLICT', 'only flagged accesses are reviewed: this one was needed for an open task')
  if (access.reviewedAt !== null) throw new AppError('CONFLICT', 'this access has already been reviewed')
}

/** The review columns of a new access: none yet. */
export const UNREVIEWED = Object.freeze({
  reviewed_by: null,
  reviewed_at: null,
  review_verdict: null,
  review_note: null,
  review_ledger_index: null,
})

/** The note as it is stored and committed to: trimmed, and null when empty. */
export function normaliseNote(note: string | undefined): string | null {
  const trimmed = note?.trim() ?? ''
  return trimmed === '' ? null : trimmed
}

/**
 * What the citizen sees of a review of an access to their data: the verdict and when. The note is
 * the supervisor's internal assessment of an official and stays with supervisors and auditors.
 */
export function citizenReviewOf(row: {
  reviewed_at: number | null
  review_verdict: AccessVerdict | null
}): CitizenAccessReview | null {
  return row.reviewed_at === null || row.review_verdict === null
    ? null
    : { verdict: row.review_verdict, reviewedAt: Number(row.reviewed_at) }
}
