/**
 * 好差评 at the window (counter tablet) and reform scores attributed to their team:
 * - `rating_invitation`: a one-time rating link a window clerk opens for a finished case, for the counter
 *   tablet turned to the citizen or the citizen's phone (QR code). Only a hash of its token is kept.
 * - `case_rating.channel` (`online` | `counter`) and `invited_by` (the clerk who handed the tablet over).
 * - `matter_version.published_by` and `team_id` (the publishing staff member and their unit): the team a
 *   reform score is attributed to; `case_rating.team_id` copies it when the case is rated.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rating_invitation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rating_invitation_case').on('rating_invitation').column('case_id').execute()
  await db.schema
    .alterTable('case_rating')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('online'))
    .execute()
  await db.schema.alterTable('case_rating').addColumn('invited_by', 'text').execute()
  await db.schema.alterTable('case_rating').addColumn('team_id', 'text').execute()
  await db.schema.alterTable('matter_version').addColumn('published_by', 'text').execute()
  await db.schema.alterTable('matter_version').addColumn('team_id', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('matter_version').dropColumn('team_id').execute()
  await db.schema.alterTable('matter_version').dropColumn('published_by').execute()
  await db.schema.alterTable('case_rating').dropColumn('team_id').execute()
  await db.schema.alterTable('case_rating').dropColumn('invited_by').execute()
  await db.schema.alterTable('case_rating').dropColumn('channel').execute()
  await db.schema.dropTable('rating_invitation').execute()
}
