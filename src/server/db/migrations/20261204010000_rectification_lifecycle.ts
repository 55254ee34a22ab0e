/**
 * The rest of a rectification's (整改) lifecycle after a bad rating: the call-back (回访), the measures
 * taken (整改完成), the escalation of a missed deadline to the department's leaders, the contest of a
 * false review (申诉不实评价) and its decision, and the citizen's verdict on the rectification.
 *
 * - `rectification` gains its current state: `contest` (null, pending, upheld, rejected), `escalated_at`
 *   (the deadline passed before it was rectified) and `revision` (each change bumps it; a change commits
 *   only if the revision it read is unchanged).
 * - `rectification_step`: one row per step, at most one of each kind per rectification (the primary key
 *   refuses a second), with its free text kept here and only a salted commitment in the ledger.
 * - `case_rating.excluded`: a rating a contest found false is kept, marked excluded from assessment.
 *
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('case_rating')
    .addColumn('excluded', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('rectification').addColumn('contest', 'text').execute()
  await db.schema.alterTable('rectification').addColumn('escalated_at', 'bigint').execute()
  await db.schema
    .alterTable('rectification')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('rectification_step')
    .addColumn('rectification_id', 'text', (c) => c.notNull().references('rectification.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('salt', 'text')
    .addColumn('called_at', 'bigint')
    .addColumn('verdict', 'integer')
    .addColumn('staff_ids', 'text')
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rectification_step_pk', ['rectification_id', 'kind'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rectification_step').execute()
  for (const column of ['revision', 'escalated_at', 'contest'])
    await db.schema.alterTable('rectification').dropColumn(column).execute()
  await db.schema.alterTable('case_rating').dropColumn('excluded').execute()
}
