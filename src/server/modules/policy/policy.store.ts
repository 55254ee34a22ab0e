/**
 * SQL of governance policies. Returns typed versions (the body parsed).
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { PolicyVersionTable } from '../../db/schema.js'
import type { PolicyKind, PolicyVersion } from './policy.model.js'

function toVersion(r: PolicyVersionTable): PolicyVersion {
  return {
    kind: r.kind as PolicyKind,
    version: Number(r.version),
    effectiveAt: Number(r.effective_at),
    body: JSON.parse(r.body) as unknown,
    digest: r.digest,
    note: r.note,
    publishedBy: r.published_by,
    publishedAt: Number(r.published_at),
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertVersion(db: Executor, v: PolicyVersion): Promise<void> {
  await db
    .insertInto('policy_version')
    .values({
      kind: v.kind,
      version: v.version,
      effective_at: v.effectiveAt,
      body: JSON.stringify(v.body),
      digest: v.digest,
      note: v.note,
      published_by: v.publishedBy,
      published_at: v.publishedAt,
      ledger_log: v.ledger.log,
      ledger_index: v.ledger.index,
    })
    .execute()
}

/** The highest version number of a kind (0 when none), read inside the publishing transaction. */
export async function latestVersion(db: Executor, kind: string): Promise<number> {
  const row = await db
    .selectFrom('policy_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('kind', '=', kind)
    .executeTakeFirst()
  return row?.v == null ? 0 : Number(row.v)
}

/** Every version of a kind, newest first. */
export async function listVersions(db: Executor, kind: string): Promise<PolicyVersion[]> {
  const rows = await db
    .selectFrom('policy_version')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .execute()
  return rows.map(toVersion)
}

export async function findVersion(
  db: Executor,
  kind: string,
  version: number,
): Promise<PolicyVersion | undefined> {
  const row = await db
    .selectFrom('policy_version')
    .selectAll()
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst()
  return row && toVersion(row)
}

/** Every version of every kind (the audit's replay; policies are few). */
export async function listAllVersions(db: Executor): Promise<PolicyVersion[]> {
  const rows = await db.selectFrom('policy_version').selectAll().orderBy('kind').orderBy('version').execute()
  return rows.map(toVersion)
}
