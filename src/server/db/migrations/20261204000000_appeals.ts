/**
 * Appeals (诉求): the appeal itself (its text and pin kept here, their salted commitment in the ledger),
 * its timeline (each step with its ledger entry), the escalations its missed deadlines triggered, the
 * responsibility chains built for it (every revision kept, the latest current) and the contests of
 * their links.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('appeal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.references('case_file.id'))
    .addColumn('citizen_id', 'text')
    .addColumn('filed_by', 'text', (c) => c.notNull())
    .addColumn('contact', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('handler_id', 'text')
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('respond_due_at', 'bigint', (c) => c.notNull())
    .addColumn('resolve_due_at', 'bigint', (c) => c.notNull())
    .addColumn('responded_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('response', 'text')
    .addColumn('resolution', 'text')
    .addColumn('satisfaction', 'text')
    .addColumn('reopened', 'integer', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('concern', 'text', (c) => c.notNull())
    .addColumn('routing_rule', 'text', (c) => c.notNull())
    .addColumn('routing_policy', 'text', (c) => c.notNull())
    .addColumn('deadline_policy', 'text', (c) => c.notNull())
    .addColumn('escalation_policy', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('appeal_inbox_idx')
    .on('appeal')
    .columns(['department_id', 'status', 'resolve_due_at'])
    .execute()
  await db.schema
    .createIndex('appeal_citizen_idx')
    .on('appeal')
    .columns(['citizen_id', 'created_at'])
    .execute()
  await db.schema.createIndex('appeal_case_idx').on('appeal').columns(['case_id']).execute()
  await db.schema
    .createIndex('appeal_place_idx')
    .on('appeal')
    .columns(['category', 'region_code', 'created_at'])
    .execute()
  await db.schema
    .createIndex('appeal_region_idx')
    .on('appeal')
    .columns(['region_code', 'created_at'])
    .execute()

  await db.schema
    .createTable('appeal_step')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeal.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('appeal_step_appeal_idx')
    .on('appeal_step')
    .columns(['appeal_id', 'at'])
    .execute()

  await db.schema
    .createTable('appeal_escalation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeal.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('to_ids', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('appeal_escalation_appeal_idx')
    .on('appeal_escalation')
    .columns(['appeal_id', 'at'])
    .execute()

  await db.schema
    .createTable('appeal_chain')
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeal.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('trace', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('built_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('appeal_chain_pk', ['appeal_id', 'revision'])
    .execute()

  await db.schema
    .createTable('chain_contest')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeal.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decision', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .addColumn('decision_ledger_log', 'text')
    .addColumn('decision_ledger_index', 'bigint')
    .execute()
  await db.schema
    .createIndex('chain_contest_appeal_idx')
    .on('chain_contest')
    .columns(['appeal_id', 'staff_id'])
    .execute()
  await db.schema
    .createIndex('chain_contest_department_idx')
    .on('chain_contest')
    .columns(['department_id', 'status'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chain_contest').execute()
  await db.schema.dropTable('appeal_chain').execute()
  await db.schema.dropTable('appeal_escalation').execute()
  await db.schema.dropTable('appeal_step').execute()
  await db.schema.dropTable('appeal').execute()
}
