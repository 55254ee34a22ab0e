/**
 * Indexes for assessment's period queries (a scorecard reads a period's ratings, completed steps,
 * finished cases and due rectifications of a region): without them every scorecard call scanned these
 * tables whole, twice (the period and the previous one for the trend), and read each finished case's
 * full row (its form data and engine state) for its region. The period column leads, so a period is a
 * range scan; the columns the filters and the sub-selects need follow, so those are answered from the
 * index alone.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('case_file_completed_idx')
    .on('case_file')
    .columns(['completed_at', 'status', 'region_code', 'id'])
    .execute()
  await db.schema.createIndex('case_task_completed_idx').on('case_task').columns(['completed_at']).execute()
  await db.schema
    .createIndex('case_rating_rated_idx')
    .on('case_rating')
    .columns(['rated_at', 'excluded', 'region_code', 'case_id'])
    .execute()
  await db.schema.createIndex('rectification_due_idx').on('rectification').columns(['due_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'rectification_due_idx',
    'case_rating_rated_idx',
    'case_task_completed_idx',
    'case_file_completed_idx',
  ])
    await db.schema.dropIndex(name).execute()
}
