/**
 * Open311: the `media_url` a client gave with a request (a photo it hosts), kept with the filing so
 * `GET /requests` gives it back, as the spec's response lists it.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('open311_request').addColumn('media_url', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('open311_request').dropColumn('media_url').execute()
}
