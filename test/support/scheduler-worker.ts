/**
 * One server process for the scheduler's two-process test: opens the platform on the database its
 * environment names, registers the `test.effect` handler (one row in `job_effect` per run, in the job's
 * transaction, after a short pause so that runs overlap), says `ready`, waits for `go` on stdin, then
 * runs due jobs until none are left and prints what it did as JSON.
 */
import { sql } from 'kysely'
import { createApp } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'

const app = await createApp(loadConfig({ ...process.env, XZT_LOG_LEVEL: 'silent' }), { logger: false })
app.services.scheduler.register<{ n: number }, undefined>({
  kind: 'test.effect',
  async run(trx, job) {
    await sql`select pg_sleep(0.003)`.execute(trx)
    await sql`insert into job_effect (job_id, worker) values (${job.id}, ${app.services.scheduler.owner})`.execute(
      trx,
    )
  },
})
process.stdout.write('ready\n')
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
let done = 0
for (let idle = 0; idle < 2;) {
  const r = await app.services.scheduler.runDue()
  done += r.done
  idle = r.done + r.failed + r.dead + r.cancelled === 0 ? idle + 1 : 0
}
process.stdout.write(`${JSON.stringify({ done })}\n`)
await app.close()
process.exit(0)
