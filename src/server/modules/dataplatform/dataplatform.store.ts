/**
 * SQL for the data platform's authoritative records. Used only by the data-platform service.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { DataRecordTable } from '../../db/schema.js'

export interface StoredRecord {
  source: string
  key: string
  citizenId: string
  ownerDepartmentKind: string
  regionCode: string
  data: Record<string, unknown>
  updatedAt: number
  updatedBy: string | null
  /** The ledger entry that registered the record's current state, when recorded. */
  ledger: { log: string; index: number } | null
}

function toRecord(r: DataRecordTable): StoredRecord {
  return {
    source: r.source,
    key: r.record_key,
    citizenId: r.citizen_id,
    ownerDepartmentKind: r.owner_department_kind,
    regionCode: r.region_code,
    data: JSON.parse(r.data) as Record<string, unknown>,
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
    ledger:
      r.ledger_log === null || r.ledger_index === null
        ? null
        : { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertRecords(db: Executor, rows: readonly DataRecordTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('data_record')
      .values(rows.slice(i, i + 500))
      .execute()
}

export async function findRecord(
  db: Executor,
  source: string,
  key: string,
): Promise<StoredRecord | undefined> {
  const row = await db
    .selectFrom('data_record')
    .selectAll()
    .where('source', '=', source)
    .where('record_key', '=', key)
    .executeTakeFirst()
  return row && toRecord(row)
}

/** Every record about a citizen (their own, and for businesses those they represent), by source. */
export async function findRecordsOfCitizen(db: Executor, citizenId: string): Promise<StoredRecord[]> {
  const rows = await db
    .selectFrom('data_record')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .orderBy('source')
    .orderBy('record_key')
    .execute()
  return rows.map(toRecord)
}

export async function countRecords(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('data_record')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
