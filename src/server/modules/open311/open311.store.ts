/**
 * SQL of Open311 keys and the requests they filed. Returns typed objects.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { Open311KeyTable, Open311RequestTable } from '../../db/schema.js'
import type { Open311Filing, Open311Key } from './open311.model.js'

const n = (v: number | null): number | null => (v === null ? null : Number(v))

function toKey(r: Open311KeyTable): Open311Key {
  return {
    id: r.id,
    name: r.name,
    digest: r.digest,
    regionCode: r.region_code,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    revokedBy: r.revoked_by,
    revokedAt: n(r.revoked_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

function toFiling(r: Open311RequestTable): Open311Filing {
  return {
    appealId: r.appeal_id,
    keyId: r.key_id,
    token: r.token,
    createdAt: Number(r.created_at),
    mediaUrl: r.media_url,
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertKey(db: Executor, k: Open311Key): Promise<void> {
  await db
    .insertInto('open311_key')
    .values({
      id: k.id,
      name: k.name,
      digest: k.digest,
      region_code: k.regionCode,
      created_by: k.createdBy,
      created_at: k.createdAt,
      revoked_by: k.revokedBy,
      revoked_at: k.revokedAt,
      ledger_log: k.ledger.log,
      ledger_index: k.ledger.index,
    })
    .execute()
}

export async function findKey(db: Executor, id: string): Promise<Open311Key | undefined> {
  const row = await db.selectFrom('open311_key').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toKey(row)
}

export async function findKeyByDigest(db: Executor, digest: string): Promise<Open311Key | undefined> {
  const row = await db.selectFrom('open311_key').selectAll().where('digest', '=', digest).executeTakeFirst()
  return row && toKey(row)
}

/** Keys whose region lies in the subtree of `regionPrefix` ('' = all), newest first. */
export async function listKeys(db: Executor, regionPrefix: string): Promise<Open311Key[]> {
  let q = db.selectFrom('open311_key').selectAll()
  if (regionPrefix) q = q.where('region_code', 'like', `${regionPrefix}%`)
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute()
  return rows.map(toKey)
}

/** Marks a key revoked unless it already is. @returns whether this call revoked it */
export async function revokeKey(db: Executor, id: string, by: string, at: number): Promise<boolean> {
  const res = await db
    .updateTable('open311_key')
    .set({ revoked_by: by, revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

export async function insertFiling(db: Executor, f: Open311Filing): Promise<void> {
  await db
    .insertInto('open311_request')
    .values({
      appeal_id: f.appealId,
      key_id: f.keyId,
      token: f.token,
      created_at: f.createdAt,
      media_url: f.mediaUrl,
      ledger_log: f.ledger.log,
      ledger_index: f.ledger.index,
    })
    .execute()
}

export async function findFilingByToken(db: Executor, token: string): Promise<Open311Filing | undefined> {
  const row = await db.selectFrom('open311_request').selectAll().where('token', '=', token).executeTakeFirst()
  return row && toFiling(row)
}

/** The `media_url` of each of these appeals that an Open311 client filed with one. */
export async function mediaOf(db: Executor, appealIds: readonly string[]): Promise<Map<string, string>> {
  if (appealIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('open311_request')
    .select(['appeal_id', 'media_url'])
    .where('appeal_id', 'in', appealIds)
    .where('media_url', 'is not', null)
    .execute()
  return new Map(rows.map((r) => [r.appeal_id, r.media_url as string]))
}

/** Every key and every filing (the audit's replay). */
export async function listAll(db: Executor): Promise<{ keys: Open311Key[]; filings: Open311Filing[] }> {
  const [keys, filings] = await Promise.all([
    db.selectFrom('open311_key').selectAll().orderBy('id').execute(),
    db.selectFrom('open311_request').selectAll().orderBy('appeal_id').execute(),
  ])
  return { keys: keys.map(toKey), filings: filings.map(toFiling) }
}
