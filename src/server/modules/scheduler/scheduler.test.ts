/**
 * The scheduler on both dialects: a job's changes commit once, with its completion; a handler that
 * throws is retried with backoff and then dead-lettered (counted on /metrics, listed for administrators,
 * sent back by one); only JobObsolete retires a job unrun; the audit replays the table and names a job
 * changed behind the scheduler. On PostgreSQL, two server processes race for the same jobs and run
 * each exactly once.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestDatabase,
  DIALECTS,
  type TestApp,
  type TestDatabase,
} from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { createApp, type App } from '../../app.js'
import { loadConfig } from '../../config.js'
import { AppError } from '../../../shared/errors.js'
import type { AuditRunResult } from '../../../shared/api.js'
import { caseTimerHandler } from '../cases/cases.timers.js'
import type { CaseEngine } from '../cases/cases.engine.js'
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  DEFAULT_MAX_ATTEMPTS,
  JobObsolete,
  afterFailure,
  backoffMs,
  type Job,
} from './scheduler.model.js'

describe('backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect(backoffMs(1)).toBe(BACKOFF_BASE_MS)
    expect(backoffMs(2)).toBe(2 * BACKOFF_BASE_MS)
    expect(backoffMs(3)).toBe(4 * BACKOFF_BASE_MS)
    expect(backoffMs(40)).toBe(BACKOFF_MAX_MS)
    expect(backoffMs(Number.MAX_SAFE_INTEGER)).toBe(BACKOFF_MAX_MS)
  })
  it('goes dead at the last attempt, not before', () => {
    expect(afterFailure(4, 5, 1000)).toEqual({ status: 'failed', dueAt: 1000 + backoffMs(4) })
    expect(afterFailure(5, 5, 1000)).toEqual({ status: 'dead' })
  })
})

describe('the case timer handler', () => {
  const job = { payload: { caseId: 'c1', timerId: 't1' } } as Job<{ caseId: string; timerId: string }>
  const engineThrowing = (err: Error): CaseEngine =>
    ({
      calendar: undefined,
      prepare: () => Promise.reject(err),
    }) as unknown as CaseEngine
  it('retires a job only when the engine says the timer is no longer pending', async () => {
    const gone = new AppError('CONFLICT', 'no pending timer', { details: { engine: 'TIMER_NOT_PENDING' } })
    await expect(caseTimerHandler(engineThrowing(gone)).prepare!(job, 0)).rejects.toBeInstanceOf(JobObsolete)
  })
  it('lets any other conflict fail the job, such as an escalation to a missing department', async () => {
    const missing = new AppError('CONFLICT', 'region 430102 has no department of kind market')
    const err = await caseTimerHandler(engineThrowing(missing)).prepare!(job, 0).catch((e: unknown) => e)
    expect(err).toBe(missing)
  })
})

/** Schedules jobs of `kind` in region 4301 in their own transaction. */
async function schedule(
  app: App,
  kind: string,
  n: number,
  dueAt: number,
  maxAttempts?: number,
): Promise<string[]> {
  return app.database.db.transaction().execute((trx) =>
    app.services.scheduler.schedule(
      trx,
      { regionCode: '4301', subject: 'test:scheduler' },
      Array.from({ length: n }, (_, i) => ({
        kind,
        payload: { n: i },
        dueAt,
        ...(maxAttempts ? { maxAttempts } : {}),
      })),
    ),
  )
}

async function job(app: App, id: string): Promise<Job> {
  const [j] = (await app.services.scheduler.list(adminOf(app), { limit: 200 })).jobs.filter(
    (x) => x.id === id,
  )
  return j as Job
}

function adminOf(app: App) {
  void app
  return {
    accountId: 'test-admin',
    username: 'admin',
    name: 'admin',
    kind: 'staff' as const,
    roles: ['admin' as const],
    regionCode: '43',
    departmentId: null,
  }
}

describe.each(DIALECTS)('the scheduler on %s', (dialect) => {
  let app: TestApp
  let attemptsSeen = 0
  let healthy = false
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    app.services.scheduler.register({
      kind: 'test.flaky',
      label: { zh: '测试任务', en: 'Test job' },
      async run(trx) {
        attemptsSeen++
        // The handler's own change: kept only when the job completes.
        await sql`update meta set value = value where key = 'none'`.execute(trx)
        if (!healthy) throw new Error('the upstream registry is down')
      },
    })
    app.services.scheduler.register({
      kind: 'test.obsolete',
      async run() {
        throw new JobObsolete('nothing left to do')
      },
    })
  })
  afterAll(() => app?.dispose())

  it('retries a throwing handler with backoff, then dead-letters it; an administrator sends it back', async () => {
    const scheduler = app.services.scheduler
    const t0 = app.services.clock.now()
    const [id] = await schedule(app, 'test.flaky', 1, t0)
    expect((await scheduler.runDue(t0)).failed).toBe(1)
    let j = await job(app, id!)
    expect(j).toMatchObject({ status: 'failed', attempts: 1, dueAt: t0 + BACKOFF_BASE_MS })
    expect(j.lastError).toContain('the upstream registry is down')
    // Not due again before its backoff.
    expect(await scheduler.runDue(t0 + BACKOFF_BASE_MS - 1)).toEqual({
      done: 0,
      failed: 0,
      dead: 0,
      cancelled: 0,
    })

    let now = t0
    for (let attempt = 2; attempt <= DEFAULT_MAX_ATTEMPTS; attempt++) {
      now = (await job(app, id!)).dueAt
      await scheduler.runDue(now)
    }
    j = await job(app, id!)
    expect(j.status).toBe('dead')
    expect(j.attempts).toBe(DEFAULT_MAX_ATTEMPTS)
    expect(attemptsSeen).toBe(DEFAULT_MAX_ATTEMPTS)
    // Dead stays dead, however late it gets.
    await scheduler.runDue(now + 365 * 86_400_000)
    expect(attemptsSeen).toBe(DEFAULT_MAX_ATTEMPTS)

    // Counted on /metrics and listed for administrators.
    const metrics = await app.server.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/xzt_scheduler_jobs\{status="dead"\} [1-9]/)
    const admin = await login(app, 'admin')
    const listed = await api(app, 'GET', '/api/admin/jobs?status=dead', { token: admin })
    expect(listed.status).toBe(200)
    expect(listed.body.counts.dead).toBeGreaterThanOrEqual(1)
    expect(listed.body.jobs.map((x: Job) => x.id)).toContain(id)
    expect(listed.body.jobs[0].kindLabel.zh).toBe('测试任务')

    // Not for another city's administrator, nor for a clerk.
    const other = await login(app, 'admin.4302')
    const theirs = await api(app, 'GET', '/api/admin/jobs?status=dead', { token: other })
    expect(theirs.body.jobs.map((x: Job) => x.id)).not.toContain(id)
    expectError(await api(app, 'POST', `/api/admin/jobs/${id}/retry`, { token: other }), 403, 'FORBIDDEN')
    expectError(
      await api(app, 'POST', `/api/admin/jobs/no-such-job/retry`, { token: admin }),
      404,
      'NOT_FOUND',
    )

    healthy = true
    const retried = await api(app, 'POST', `/api/admin/jobs/${id}/retry`, { token: admin })
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 })
    expectError(await api(app, 'POST', `/api/admin/jobs/${id}/retry`, { token: admin }), 409, 'CONFLICT')
    expect((await scheduler.runDue()).done).toBeGreaterThanOrEqual(1)
    expect((await job(app, id!)).status).toBe('done')

    // Every outcome is on the ledger, and the audit replays the table.
    const audit = await api(app, 'POST', '/api/audit/run', { token: admin })
    expect((audit.body as AuditRunResult).ok, JSON.stringify(audit.body)).toBe(true)
  })

  it('retires only a job its handler finds obsolete, as cancelled', async () => {
    const [id] = await schedule(app, 'test.obsolete', 1, app.services.clock.now())
    expect((await app.services.scheduler.runDue()).cancelled).toBe(1)
    expect((await job(app, id!)).status).toBe('cancelled')
  })

  it('schedules a kind and key once', async () => {
    const scheduler = app.services.scheduler
    const now = app.services.clock.now() + 86_400_000
    const twice = await app.database.db
      .transaction()
      .execute(async (trx) => [
        ...(await scheduler.schedule(trx, { regionCode: '4301', subject: 'test:k' }, [
          { kind: 'test.obsolete', key: 'k-1', payload: {}, dueAt: now },
        ])),
        ...(await scheduler.schedule(trx, { regionCode: '4301', subject: 'test:k' }, [
          { kind: 'test.obsolete', key: 'k-1', payload: {}, dueAt: now },
        ])),
      ])
    expect(twice).toHaveLength(1)
  })

  it('names a job changed behind the scheduler in the audit', async () => {
    const [id] = await schedule(app, 'test.flaky', 1, app.services.clock.now() + 30 * 86_400_000)
    // Someone drops a pending escalation by marking it done in the table.
    await app.database.db.updateTable('scheduler_job').set({ status: 'done' }).where('id', '=', id!).execute()
    const admin = await login(app, 'admin')
    const audit = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(audit.ok).toBe(false)
    expect(audit.replay.differences).toContainEqual(
      expect.objectContaining({
        table: 'scheduler_job',
        key: id,
        field: 'status',
        expected: 'pending',
        actual: 'done',
      }),
    )
    await app.database.db
      .updateTable('scheduler_job')
      .set({ status: 'pending' })
      .where('id', '=', id!)
      .execute()
  })
})

describe.skipIf(!DIALECTS.includes('postgres'))(
  'the scheduler with two server processes on PostgreSQL',
  () => {
    let database: TestDatabase
    let app: App
    beforeAll(async () => {
      database = await createTestDatabase('postgres', true)
      app = await createApp(loadConfig({ XZT_LOG_LEVEL: 'silent', ...database.env }), { logger: false })
      await sql`create table job_effect (job_id text not null, worker text not null)`.execute(app.database.db)
    })
    afterAll(async () => {
      await app?.close()
      await database?.drop()
    })

    /** Starts one worker process; resolves with its `go` and its result once it says `ready`. */
    function worker(): Promise<{ go: () => void; result: Promise<{ done: number }> }> {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.resolve('test/support/scheduler-worker.ts')],
        {
          env: { ...process.env, ...database.env, XZT_LOG_LEVEL: 'silent' },
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      )
      let out = ''
      return new Promise((resolve, reject) => {
        const result = new Promise<{ done: number }>((done, fail) => {
          child.on('exit', (code) => {
            const last = out.trim().split('\n').pop() ?? ''
            if (code === 0) done(JSON.parse(last) as { done: number })
            else fail(new Error(`worker exited with ${code}: ${out}`))
          })
        })
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.startsWith('ready\n') && !out.includes('"done"') && out.length === 6)
            resolve({ go: () => child.stdin.write('go\n'), result })
        })
        child.on('error', reject)
      })
    }

    it('runs each job exactly once while two processes claim from the same table', async () => {
      const jobs = 400
      const ids = await schedule(app, 'test.effect', jobs, app.services.clock.now())
      const [a, b] = await Promise.all([worker(), worker()])
      a.go()
      b.go()
      const [ra, rb] = await Promise.all([a.result, b.result])
      expect(ra.done + rb.done).toBe(jobs)
      // Both took part: the claim let them work side by side, not one after the other.
      expect(ra.done).toBeGreaterThan(0)
      expect(rb.done).toBeGreaterThan(0)
      const effects = await sql<{ job_id: string; n: string }>`
      select job_id, count(*) as n from job_effect group by job_id`.execute(app.database.db)
      expect(effects.rows).toHaveLength(jobs)
      expect(effects.rows.every((r) => Number(r.n) === 1)).toBe(true)
      const statuses = await app.database.db
        .selectFrom('scheduler_job')
        .select('status')
        .where('id', 'in', ids)
        .execute()
      expect(statuses.every((s) => s.status === 'done')).toBe(true)
    }, 120_000)
  },
)
