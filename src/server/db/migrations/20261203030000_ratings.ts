/**
 * 好差评: one rating per finished case by its applicant (score 1–5, an optional reform score for the
 * redesigned process, tags from a fixed list, a comment kept here with its salted commitment in the
 * ledger), attributed to the handling department and the matter's process version; and the
 * rectification (整改) a bad rating opens for that department, with the deadline its policy set.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_rating')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('case_file.id'))
    .addColumn('applicant_id', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('reform_score', 'integer')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('matter_version', 'integer', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('rated_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('case_rating_department_idx')
    .on('case_rating')
    .columns(['department_id', 'rated_at'])
    .execute()
  await db.schema
    .createTable('rectification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('department_id', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('rectification_department_idx')
    .on('rectification')
    .columns(['department_id', 'status', 'due_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rectification').execute()
  await db.schema.dropTable('case_rating').execute()
}
