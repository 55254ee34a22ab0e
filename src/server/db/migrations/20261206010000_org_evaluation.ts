/**
 * The organisation evaluation (组织评价) of an official for a period, entered by the organisation
 * department: one of the promotion index's three parts. A correction replaces the score with the next
 * revision; every revision is a ledger event (the comment only as a salted commitment).
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('org_evaluation')
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_evaluation_pk', ['staff_id', 'period'])
    .execute()
  await db.schema.createIndex('org_evaluation_period').on('org_evaluation').column('period').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('org_evaluation').execute()
}
