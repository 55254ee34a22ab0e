/**
 * SQL of ratings and rectifications. Returns typed objects.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { CaseRatingTable, RectificationTable } from '../../db/schema.js'

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
}

export interface StoredRectification {
  id: string
  caseId: string
  departmentId: string | null
  regionCode: string
  status: 'open'
  dueAt: number
  policy: string
  createdAt: number
  ledger: { log: string; index: number }
}

const toRating = (r: CaseRatingTable): StoredRating => ({
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
})

const toRectification = (r: RectificationTable): StoredRectification => ({
  id: r.id,
  caseId: r.case_id,
  departmentId: r.department_id,
  regionCode: r.region_code,
  status: r.status,
  dueAt: Number(r.due_at),
  policy: r.policy,
  createdAt: Number(r.created_at),
  ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
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
    })
    .execute()
}

export async function insertRectification(db: Executor, r: StoredRectification): Promise<void> {
  await db
    .insertInto('rectification')
    .values({
      id: r.id,
      case_id: r.caseId,
      department_id: r.departmentId,
      region_code: r.regionCode,
      status: r.status,
      due_at: r.dueAt,
      policy: r.policy,
      created_at: r.createdAt,
      ledger_log: r.ledger.log,
      ledger_index: r.ledger.index,
    })
    .execute()
}

export async function findRating(db: Executor, caseId: string): Promise<StoredRating | undefined> {
  const row = await db.selectFrom('case_rating').selectAll().where('case_id', '=', caseId).executeTakeFirst()
  return row && toRating(row)
}

export async function findRectificationOf(
  db: Executor,
  caseId: string,
): Promise<StoredRectification | undefined> {
  const row = await db
    .selectFrom('rectification')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst()
  return row && toRectification(row)
}

export async function listAllRatings(db: Executor): Promise<StoredRating[]> {
  return (await db.selectFrom('case_rating').selectAll().orderBy('case_id').execute()).map(toRating)
}

export async function listAllRectifications(db: Executor): Promise<StoredRectification[]> {
  return (await db.selectFrom('rectification').selectAll().orderBy('id').execute()).map(toRectification)
}
