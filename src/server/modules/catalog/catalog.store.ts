/**
 * SQL for matters and their deployed versions. Used only by the catalogue service.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { MatterVersionTable } from '../../db/schema.js'
import { definitionFromJSON } from '../workflow/engine/index.js'
import type { MatterDefinition, MatterVersionRecord } from './catalog.model.js'
import type { FormSchema } from './forms.model.js'

function toRecord(r: MatterVersionTable): MatterVersionRecord {
  return {
    code: r.matter_code,
    version: Number(r.version),
    definition: JSON.parse(r.definition) as MatterDefinition,
    formSchema: JSON.parse(r.form_schema) as FormSchema,
    processXml: r.process_xml,
    process: definitionFromJSON(JSON.parse(r.process) as unknown),
    deployedAt: Number(r.deployed_at),
    publishedBy: r.published_by,
    teamId: r.team_id,
  }
}

export async function findVersion(
  db: Executor,
  code: string,
  version?: number,
): Promise<MatterVersionRecord | undefined> {
  let q = db.selectFrom('matter_version').selectAll().where('matter_code', '=', code)
  if (version === undefined) {
    q = q.where('version', '=', (eb) =>
      eb.selectFrom('matter').select('current_version').where('code', '=', code),
    )
  } else {
    q = q.where('version', '=', version)
  }
  const row = await q.executeTakeFirst()
  return row && toRecord(row)
}

export async function findCurrentVersionNumber(db: Executor, code: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('matter')
    .select('current_version')
    .where('code', '=', code)
    .executeTakeFirst()
  return row === undefined ? undefined : Number(row.current_version)
}

export async function listVersionNumbers(db: Executor, code: string): Promise<number[]> {
  const rows = await db
    .selectFrom('matter_version')
    .select('version')
    .where('matter_code', '=', code)
    .orderBy('version')
    .execute()
  return rows.map((r) => Number(r.version))
}

/** The current version of every matter, by code. */
export async function listCurrent(db: Executor): Promise<MatterVersionRecord[]> {
  const rows = await db
    .selectFrom('matter_version')
    .innerJoin('matter', (j) =>
      j
        .onRef('matter.code', '=', 'matter_version.matter_code')
        .onRef('matter.current_version', '=', 'matter_version.version'),
    )
    .selectAll('matter_version')
    .orderBy('matter_version.matter_code')
    .execute()
  return rows.map(toRecord)
}

export async function insertVersion(db: Executor, row: MatterVersionTable): Promise<void> {
  await db.insertInto('matter_version').values(row).execute()
}

/** Creates the matter or makes `version` current when it is newer. */
export async function upsertMatter(
  db: Executor,
  code: string,
  name: string,
  version: number,
  now: number,
): Promise<void> {
  await db
    .insertInto('matter')
    .values({ code, name, current_version: version, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          current_version: eb.ref('excluded.current_version'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('matter.current_version', '<', version),
    )
    .execute()
}

export async function countMatters(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('matter')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
