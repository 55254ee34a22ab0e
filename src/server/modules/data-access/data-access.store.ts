/**
 * SQL for supervisors' review of flagged data accesses: the flagged rows a caller's Scope shows (their
 * department, or their region subtree), one access with its case, the conditional review update, and
 * the full list the audit compares with the ledger. Used only by the data-access service.
 * @module
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Scope } from '../../access.js'
import type { Executor } from '../../db/database.js'
import type { DataAccessTable, DB } from '../../db/schema.js'

/** A data access with what the review needs of its case. */
export interface AccessRow extends DataAccessTable {
  /** Null only if the case row is gone (the audit reports that separately). */
  matter_code: string | null
  matter_version: number | null
  case_region_code: string | null
  case_salt: string | null
}

export type ReviewStatus = 'open' | 'reviewed' | 'all'

export interface FlaggedQuery {
  status: ReviewStatus
  limit: number
  offset: number
}

const num = (v: number | null): number | null => (v === null ? null : Number(v))

function toAccess(row: AccessRow): AccessRow {
  return {
    ...row,
    at: Number(row.at),
    flagged: Number(row.flagged),
    ledger_index: Number(row.ledger_index),
    reviewed_at: num(row.reviewed_at),
    review_ledger_index: num(row.review_ledger_index),
    matter_version: num(row.matter_version),
  }
}

function withCase(db: Executor) {
  return db
    .selectFrom('data_access')
    .leftJoin('case_file', 'case_file.id', 'data_access.case_id')
    .selectAll('data_access')
    .select([
      'case_file.matter_code as matter_code',
      'case_file.matter_version as matter_version',
      'case_file.region_code as case_region_code',
      'case_file.salt as case_salt',
    ])
}

/**
 * Flagged accesses the scope shows, newest first, with the total: those by officials of the scope's
 * department when it has one (supervisors), else those by officials anywhere in its region subtree.
 * `flagged = 1` is written as a literal so both dialects can use the partial indexes.
 */
export async function listFlagged(
  db: Executor,
  scope: Scope,
  query: FlaggedQuery,
): Promise<{ rows: AccessRow[]; total: number }> {
  const inScope = (eb: ExpressionBuilder<DB, 'data_access'>): Expression<SqlBool> => {
    const terms: Expression<SqlBool>[] = [
      sql<boolean>`data_access.flagged = 1`,
      eb('data_access.region_code', 'like', `${scope.regionPrefix}%`),
    ]
    if (scope.departmentId !== null) terms.push(eb('data_access.department_id', '=', scope.departmentId))
    // A citizen's scope never reaches here (the service refuses), but a store never widens one.
    if (scope.accountId !== null) terms.push(eb('data_access.citizen_id', '=', scope.accountId))
    if (query.status === 'open') terms.push(eb('data_access.reviewed_at', 'is', null))
    if (query.status === 'reviewed') terms.push(eb('data_access.reviewed_at', 'is not', null))
    return eb.and(terms)
  }
  const [rows, count] = await Promise.all([
    withCase(db)
      .where(inScope)
      .orderBy('data_access.at', 'desc')
      .orderBy('data_access.id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    db
      .selectFrom('data_access')
      .where(inScope)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows: rows.map(toAccess), total: Number(count.n) }
}

export async function findAccess(db: Executor, id: string): Promise<AccessRow | undefined> {
  const row = await withCase(db).where('data_access.id', '=', id).executeTakeFirst()
  return row && toAccess(row)
}

/**
 * Records the review of a flagged access that has none yet. The condition makes a concurrent second
 * review update nothing. @returns whether this call recorded it
 */
export async function markReviewed(
  db: Executor,
  id: string,
  review: Pick<
    DataAccessTable,
    'reviewed_by' | 'reviewed_at' | 'review_verdict' | 'review_note' | 'review_ledger_index'
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('data_access')
    .set(review)
    .where('id', '=', id)
    .where(sql<boolean>`flagged = 1`)
    .where('reviewed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Every access with its case's salt (for the audit), in ledger order. */
export async function listAllAccesses(db: Executor): Promise<AccessRow[]> {
  const rows = await withCase(db)
    .orderBy('data_access.ledger_log')
    .orderBy('data_access.ledger_index')
    .execute()
  return rows.map(toAccess)
}

export async function insertAccess(db: Executor, row: DataAccessTable): Promise<void> {
  await db.insertInto('data_access').values(row).execute()
}

export async function listAccessesOfCitizen(db: Executor, citizenId: string): Promise<DataAccessTable[]> {
  const rows = await db
    .selectFrom('data_access')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .orderBy('at', 'desc')
    .limit(500)
    .execute()
  return rows.map((r) => ({ ...r, at: Number(r.at), ledger_index: Number(r.ledger_index) }))
}
