/**
 * Cases (办件) and the workflow's operational rows: tasks, timers, case events (the timeline, each
 * with its ledger position) and officials' accesses to citizens' data.
 * Frozen in time: never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../dialect.js'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_file')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('matter_version', 'integer', (c) => c.notNull())
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online','window')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('discrepancies', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('trips', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('case_applicant_idx')
    .on('case_file')
    .columns(['applicant_id', 'submitted_at'])
    .execute()
  if (isPostgres(db))
    await sql`create index case_region_idx on case_file (region_code text_pattern_ops)`.execute(db)
  else await db.schema.createIndex('case_region_idx').on('case_file').column('region_code').execute()

  await db.schema
    .createTable('case_task')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('department','applicant')`))
    .addColumn('department_id', 'text')
    .addColumn('role', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('comment', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('outcomes', 'text', (c) => c.notNull())
    .addColumn('iteration', 'integer', (c) => c.notNull())
    .addColumn('sla', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('ledger_log', 'text')
    .addColumn('ledger_index', 'bigint')
    .execute()
  await db.schema
    .createIndex('case_task_case_idx')
    .on('case_task')
    .columns(['case_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('case_task_inbox_idx')
    .on('case_task')
    .columns(['department_id', 'status', 'due_at'])
    .execute()

  await db.schema
    .createTable('case_timer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'bigint')
    .execute()
  await db.schema.createIndex('case_timer_due_idx').on('case_timer').columns(['status', 'due_at']).execute()

  await db.schema
    .createTable('case_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('case_event_case_idx').on('case_event').columns(['case_id', 'at']).execute()

  await db.schema
    .createTable('data_access')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('citizen_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('flagged', 'integer', (c) => c.notNull())
    .addColumn('ledger_log', 'text', (c) => c.notNull())
    .addColumn('ledger_index', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('data_access_citizen_idx')
    .on('data_access')
    .columns(['citizen_id', 'at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['data_access', 'case_event', 'case_timer', 'case_task', 'case_file'])
    await db.schema.dropTable(t).execute()
}
