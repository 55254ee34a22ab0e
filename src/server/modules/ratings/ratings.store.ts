/**
 * SQL of ratings. Returns typed objects. (Rectifications: `rectifications.store.ts`.)
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { CaseRatingTable } from '../../db/schema.js'

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
