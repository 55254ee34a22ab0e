/**
 * SQL of governance policies. Returns typed versions (the body parsed).
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { PolicyOverrideTable, PolicyVersionTable } from '../../db/schema.js'
import type { PolicyKind, PolicyOverride, PolicyVersion } from './policy.model.js'

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

function toOverride(r: PolicyOverrideTable): PolicyOverride {
  return {
    id: r.id,
    kind: r.kind as PolicyKind,
    regionCode: r.region_code,
    level: r.level,
    seq: Number(r.seq),
    values: JSON.parse(r.overrides) as PolicyOverride['values'],
    effectiveAt: Number(r.effective_at),
    note: r.note,
    publishedBy: r.published_by,
    publishedAt: Number(r.published_at),
    retiredAt: r.retired_at === null ? null : Number(r.retired_at),
    retiredBy: r.retired_by,
    ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
  }
}

export async function insertOverride(db: Executor, o: PolicyOverride): Promise<void> {
  await db
    .insertInto('policy_override')
    .values({
      id: o.id,
      kind: o.kind,
      region_code: o.regionCode,
      level: o.level,
      seq: o.seq,
      overrides: JSON.stringify(o.values),
      effective_at: o.effectiveAt,
      note: o.note,
      published_by: o.publishedBy,
      published_at: o.publishedAt,
      retired_at: o.retiredAt,
      retired_by: o.retiredBy,
      ledger_log: o.ledger.log,
      ledger_index: o.ledger.index,
    })
    .execute()
}

/** The highest override number of a kind in a region (0 when none), read inside the publishing transaction. */
export async function latestOverrideSeq(db: Executor, kind: string, regionCode: string): Promise<number> {
  const row = await db
    .selectFrom('policy_override')
    .select((eb) => eb.fn.max('seq').as('s'))
    .where('kind', '=', kind)
    .where('region_code', '=', regionCode)
    .executeTakeFirst()
  return row?.s == null ? 0 : Number(row.s)
}

/** Overrides of a kind, in these regions when given (a region's chain), oldest first. */
export async function listOverrides(
  db: Executor,
  kind: string,
  regionCodes?: readonly string[],
): Promise<PolicyOverride[]> {
  let q = db.selectFrom('policy_override').selectAll().where('kind', '=', kind)
  if (regionCodes) {
    if (regionCodes.length === 0) return []
    q = q.where('region_code', 'in', regionCodes)
  }
  return (await q.orderBy('region_code').orderBy('seq').execute()).map(toOverride)
}

export async function findOverride(db: Executor, id: string): Promise<PolicyOverride | undefined> {
  const row = await db.selectFrom('policy_override').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toOverride(row)
}

/** Retires an override, once. @returns false when it was retired already */
export async function retireOverride(db: Executor, id: string, by: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('policy_override')
    .set({ retired_at: at, retired_by: by })
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function listAllOverrides(db: Executor): Promise<PolicyOverride[]> {
  return (await db.selectFrom('policy_override').selectAll().orderBy('id').execute()).map(toOverride)
}
