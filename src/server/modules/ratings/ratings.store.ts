/**
 * SQL of ratings. Returns typed objects. (Rectifications: `rectifications.store.ts`.)
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { CaseRatingTable, RatingInvitationTable } from '../../db/schema.js'

export interface StoredRating {
  caseId: string
  applicantId: string
  score: number
  reformScore: number | null
  tags: string[]
  comment: string | null
  salt: string
  matterCode: string
  matterVersion: number
  departmentId: string | null
  regionCode: string
  policy: string
  ratedAt: number
  ledger: { log: string; index: number }
  /** A contest found the review false: kept, skipped by assessment. */
  excluded: boolean
  /** `online` (the applicant signed in) or `counter` (a window's one-time rating link). */
  channel: 'online' | 'counter'
  /** The window clerk who opened the counter rating link. */
  invitedBy: string | null
  /** The team that published the rated process version, to which the reform score is attributed. */
  teamId: string | null
}

export const toRating = (r: CaseRatingTable): StoredRating => ({
  caseId: r.case_id,
  applicantId: r.applicant_id,
  score: Number(r.score),
  reformScore: r.reform_score === null ? null : Number(r.reform_score),
  tags: JSON.parse(r.tags) as string[],
  comment: r.comment,
  salt: r.salt,
  matterCode: r.matter_code,
  matterVersion: Number(r.matter_version),
  departmentId: r.department_id,
  regionCode: r.region_code,
  policy: r.policy,
  ratedAt: Number(r.rated_at),
  ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  excluded: Number(r.excluded) === 1,
  channel: r.channel,
  invitedBy: r.invited_by,
  teamId: r.team_id,
})

export async function insertRating(db: Executor, r: StoredRating): Promise<void> {
  await db
    .insertInto('case_rating')
    .values({
      case_id: r.caseId,
      applicant_id: r.applicantId,
      score: r.score,
      reform_score: r.reformScore,
      tags: JSON.stringify(r.tags),
      comment: r.comment,
      salt: r.salt,
      matter_code: r.matterCode,
      matter_version: r.matterVersion,
      department_id: r.departmentId,
      region_code: r.regionCode,
      policy: r.policy,
      rated_at: r.ratedAt,
      ledger_log: r.ledger.log,
      ledger_index: r.ledger.index,
      excluded: r.excluded ? 1 : 0,
      channel: r.channel,
      invited_by: r.invitedBy,
      team_id: r.teamId,
    })
    .execute()
}

export async function findRating(db: Executor, caseId: string): Promise<StoredRating | undefined> {
  const row = await db.selectFrom('case_rating').selectAll().where('case_id', '=', caseId).executeTakeFirst()
  return row && toRating(row)
}

/** Marks a rating excluded (a contest upheld). @returns false when it was already */
export async function excludeRating(db: Executor, caseId: string): Promise<boolean> {
  const r = await db
    .updateTable('case_rating')
    .set({ excluded: 1 })
    .where('case_id', '=', caseId)
    .where('excluded', '=', 0)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function listAllRatings(db: Executor): Promise<StoredRating[]> {
  return (await db.selectFrom('case_rating').selectAll().orderBy('case_id').execute()).map(toRating)
}

/** A counter rating link (the token itself is never stored, only its hash). */
export interface StoredInvitation {
  id: string
  tokenHash: string
  caseId: string
  invitedBy: string
  createdAt: number
  expiresAt: number
  usedAt: number | null
  ledger: { log: string; index: number }
}

const toInvitation = (r: RatingInvitationTable): StoredInvitation => ({
  id: r.id,
  tokenHash: r.token_hash,
  caseId: r.case_id,
  invitedBy: r.invited_by,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  usedAt: r.used_at === null ? null : Number(r.used_at),
  ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
})

export async function insertInvitation(db: Executor, i: StoredInvitation): Promise<void> {
  await db
    .insertInto('rating_invitation')
    .values({
      id: i.id,
      token_hash: i.tokenHash,
      case_id: i.caseId,
      invited_by: i.invitedBy,
      created_at: i.createdAt,
      expires_at: i.expiresAt,
      used_at: i.usedAt,
      ledger_log: i.ledger.log,
      ledger_index: i.ledger.index,
    })
    .execute()
}

export async function findInvitationByHash(
  db: Executor,
  tokenHash: string,
): Promise<StoredInvitation | undefined> {
  const row = await db
    .selectFrom('rating_invitation')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return row && toInvitation(row)
}

/**
 * Marks a link used, once: the conditional update is the guard against two taps racing.
 * @returns false when it was used (or had expired) already
 */
export async function useInvitation(db: Executor, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('rating_invitation')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function listAllInvitations(db: Executor): Promise<StoredInvitation[]> {
  return (await db.selectFrom('rating_invitation').selectAll().orderBy('id').execute()).map(toInvitation)
}
