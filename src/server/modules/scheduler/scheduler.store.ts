/**
 * SQL of the scheduler. Claiming is the one dialect-specific statement: on PostgreSQL the candidate rows
 * are locked with `FOR UPDATE SKIP LOCKED`, so any number of processes claim disjoint jobs without
 * waiting on each other; SQLite has one writer at a time, so the same conditional UPDATE is atomic.
 * @module
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/database.js'
import type { SchedulerJobTable } from '../../db/schema.js'
import { isPostgres } from '../../db/dialect.js'
import type { Job, JobStatus } from './scheduler.model.js'

function toJob(r: SchedulerJobTable): Job {
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    payload: JSON.parse(r.payload) as unknown,
    regionCode: r.region_code,
    dueAt: Number(r.due_at),
    status: r.status,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    lastError: r.last_error,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
    createdAt: Number(r.created_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  }
}

/** Inserts jobs, skipping any whose (kind, key) exists. @returns the ids inserted */
export async function insertJobs(db: Executor, rows: readonly SchedulerJobTable[]): Promise<Set<string>> {
  if (!rows.length) return new Set()
  const inserted = await db
    .insertInto('scheduler_job')
    .values([...rows])
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .returning('id')
    .execute()
  return new Set(inserted.map((r) => r.id))
}

/**
 * Claims up to `limit` jobs due at `now` (pending, failed and waiting for their retry, or running with
 * a lease that ran out at `wallNow`), soonest first: each becomes `running` under `owner` until
 * `leaseUntil`, its attempt counted. @returns the claimed jobs
 */
export async function claimDue(
  db: Executor,
  now: number,
  wallNow: number,
  owner: string,
  leaseUntil: number,
  limit: number,
): Promise<Job[]> {
  const due = sql`
    select id from scheduler_job
     where (status in ('pending', 'failed') and due_at <= ${now})
        or (status = 'running' and lease_until < ${wallNow})
     order by due_at, id
     limit ${limit}`
  // PostgreSQL: the candidates are locked (skipping rows another claim holds) and evaluated once, as an
  // array, so the update touches exactly the rows this statement locked.
  const which = isPostgres(db) ? sql`id = any(array(${due} for update skip locked))` : sql`id in (${due})`
  const result = await sql<SchedulerJobTable>`
    update scheduler_job
       set status = 'running', attempts = attempts + 1, lease_owner = ${owner}, lease_until = ${leaseUntil}
     where ${which}
    returning *`.execute(db)
  return result.rows.map(toJob).sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id))
}

/** Claims these jobs, those of them still pending (or failed) and due at `now`. */
export async function claimByIds(
  db: Executor,
  ids: readonly string[],
  now: number,
  owner: string,
  leaseUntil: number,
): Promise<Job[]> {
  if (!ids.length) return []
  const result = await db
    .updateTable('scheduler_job')
    .set({
      status: 'running',
      attempts: sql<number>`attempts + 1`,
      lease_owner: owner,
      lease_until: leaseUntil,
    })
    .where('id', 'in', [...ids])
    .where('status', 'in', ['pending', 'failed'])
    .where('due_at', '<=', now)
    .returningAll()
    .execute()
  return result.map(toJob).sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id))
}

/** Marks a running job done, if `owner` still holds it. @returns whether it did */
export async function complete(db: Executor, id: string, owner: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('scheduler_job')
    .set({ status: 'done', finished_at: at, lease_owner: null, lease_until: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', owner)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Ends a running job held by `owner` as failed (with its next due time), dead or cancelled. */
export async function release(
  db: Executor,
  id: string,
  owner: string,
  change: {
    status: Extract<JobStatus, 'pending' | 'failed' | 'dead' | 'cancelled'>
    dueAt?: number
    lastError?: string | null
    finishedAt?: number | null
    /** Give the attempt back (a contended run does not count). */
    uncount?: boolean
  },
): Promise<boolean> {
  const r = await db
    .updateTable('scheduler_job')
    .set({
      status: change.status,
      lease_owner: null,
      lease_until: null,
      ...(change.dueAt !== undefined ? { due_at: change.dueAt } : {}),
      ...(change.lastError !== undefined ? { last_error: change.lastError } : {}),
      ...(change.finishedAt !== undefined ? { finished_at: change.finishedAt } : {}),
      ...(change.uncount ? { attempts: sql<number>`attempts - 1` } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', owner)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Cancels the pending or failed jobs of a kind with these keys. @returns the ids cancelled */
export async function cancelByKeys(
  db: Executor,
  kind: string,
  keys: readonly string[],
  at: number,
): Promise<string[]> {
  if (!keys.length) return []
  const rows = await db
    .updateTable('scheduler_job')
    .set({ status: 'cancelled', finished_at: at, lease_owner: null, lease_until: null })
    .where('kind', '=', kind)
    .where('key', 'in', [...keys])
    .where('status', 'in', ['pending', 'failed'])
    .returning('id')
    .execute()
  return rows.map((r) => r.id).sort()
}

/** Sends a failed or dead job back to pending, due at `dueAt`, with a fresh set of attempts. */
export async function requeue(db: Executor, id: string, dueAt: number): Promise<boolean> {
  const r = await db
    .updateTable('scheduler_job')
    .set({ status: 'pending', due_at: dueAt, attempts: 0, finished_at: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'dead'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function findJob(db: Executor, id: string): Promise<Job | undefined> {
  const row = await db.selectFrom('scheduler_job').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toJob(row)
}

export async function findByKey(db: Executor, kind: string, key: string): Promise<Job | undefined> {
  const row = await db
    .selectFrom('scheduler_job')
    .selectAll()
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst()
  return row && toJob(row)
}

/** Which of these keys of a kind have a job. */
export async function existingKeys(
  db: Executor,
  kind: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('scheduler_job')
      .select('key')
      .where('kind', '=', kind)
      .where('key', 'in', keys.slice(i, i + 500))
      .execute()
    for (const r of rows) found.add(r.key)
  }
  return found
}

export interface JobQuery {
  /** Region subtree (code prefix). */
  region: string
  status?: JobStatus
  kind?: string
  limit: number
  offset: number
}

/** Jobs in a region subtree, newest first. */
export async function listJobs(db: Executor, q: JobQuery): Promise<{ jobs: Job[]; total: number }> {
  let base = db.selectFrom('scheduler_job').where('region_code', 'like', `${q.region}%`)
  if (q.status) base = base.where('status', '=', q.status)
  if (q.kind) base = base.where('kind', '=', q.kind)
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { jobs: rows.map(toJob), total: Number(count.n) }
}

/** How many jobs are in each status (in a region subtree; every region when omitted). */
export async function countByStatus(db: Executor, region = ''): Promise<Record<string, number>> {
  let q = db.selectFrom('scheduler_job')
  if (region) q = q.where('region_code', 'like', `${region}%`)
  const rows = await q
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

/** The soonest due time of a job waiting to run, if any. */
export async function nextDue(db: Executor): Promise<number | undefined> {
  const row = await db
    .selectFrom('scheduler_job')
    .select((eb) => eb.fn.min('due_at').as('due'))
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst()
  return row?.due == null ? undefined : Number(row.due)
}

/** Every job, for the audit's replay. */
export async function listAllJobs(db: Executor): Promise<Job[]> {
  return (await db.selectFrom('scheduler_job').selectAll().orderBy('id').execute()).map(toJob)
}
