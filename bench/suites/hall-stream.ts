/**
 * The command hall's live stream (SQLite, and PostgreSQL when DATABASE_URL names one; the small demo):
 * residence-permit cases submitted through the real services, paced so the ledger grows by
 * {@link RATE} events/s, while screens follow `GET /api/analytics/stream` at province scope.
 *  - event-to-screen latency p50/p99 (from the ledger append, the event's `time`, to its arrival at
 *    each of {@link SCREENS} screens), against the same with one screen;
 *  - the p50 against a plain message hop to the screens' thread (posted when a submission returns),
 *    under the same load: the floor of any push from this process.
 * The latency from the append includes the rest of the submission's transaction (its commit), so the
 * log line gives a submission's own duration beside it.
 * The screens run in a worker thread with its own event loop, so parsing 50 streams does not delay the
 * server they measure; both threads read the same wall clock.
 */
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Principal } from '../../src/server/access.js'
import { createApp, type App } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import { POLL_MS } from '../../src/server/modules/analytics/analytics.stream.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import { DemoService } from '../../src/server/modules/sim/demo.service.js'
import { figure, PG_URL, tempDir, withPgDatabase, type Figure } from '../lib.js'

const SUITE = 'hall-stream'
const SCREENS = Number(process.env.XZT_BENCH_HALL_SCREENS ?? 50)
/** Ledger events appended per second. */
const RATE = Number(process.env.XZT_BENCH_HALL_RATE ?? 100)
const SECONDS = Number(process.env.XZT_BENCH_HALL_SECONDS ?? 10)
const PASSWORD = 'xzt-demo'

type Label = 'SQLite' | 'PostgreSQL'

/** The screens' thread: opens SSE connections, records each `ledger` event's latency from its time. */
const SCREENS_WORKER = `
const http = require('node:http')
const { parentPort, workerData } = require('node:worker_threads')
const now = () => performance.timeOrigin + performance.now()
let latencies = []
let hops = []
let requests = []
parentPort.on('message', (m) => {
  if (m.type === 'hop') hops.push(now() - m.at)
  else if (m.type === 'open') open(m.n)
  else if (m.type === 'collect') {
    parentPort.postMessage({ type: 'collected', latencies, hops })
    latencies = []
    hops = []
  } else if (m.type === 'close') {
    for (const r of requests) r.destroy()
    requests = []
    parentPort.postMessage({ type: 'closed' })
  }
})
function open(n) {
  let ready = 0
  for (let i = 0; i < n; i++) {
    const req = http.get({
      host: '127.0.0.1', port: workerData.port, agent: false, path: '/api/analytics/stream',
      headers: { authorization: 'Bearer ' + workerData.token },
    })
    requests.push(req)
    req.on('error', () => undefined)
    req.on('response', (res) => {
      if (res.statusCode !== 200) throw new Error('stream answered ' + res.statusCode)
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        buffer += chunk
        let cut
        while ((cut = buffer.indexOf('\\n\\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          const at = now()
          if (!block.startsWith('event: ledger')) continue
          const data = /^data: (.*)$/m.exec(block)
          if (data) latencies.push(at - JSON.parse(data[1]).time)
        }
      })
      if (++ready === n) parentPort.postMessage({ type: 'opened' })
    })
  }
}
`

class Screens {
  private readonly worker: Worker
  private waiting = new Map<string, (m: never) => void>()

  constructor(port: number, token: string) {
    this.worker = new Worker(SCREENS_WORKER, { eval: true, workerData: { port, token } })
    this.worker.on('message', (m: { type: string }) => {
      const w = this.waiting.get(m.type)
      this.waiting.delete(m.type)
      w?.(m as never)
    })
    this.worker.on('error', (err) => {
      throw err
    })
  }

  private ask<T>(message: object, reply: string): Promise<T> {
    return new Promise<T>((resolve) => {
      this.waiting.set(reply, resolve)
      this.worker.postMessage(message)
    })
  }

  open(n: number): Promise<void> {
    return this.ask({ type: 'open', n }, 'opened')
  }

  hop(): void {
    this.worker.postMessage({ type: 'hop', at: performance.timeOrigin + performance.now() })
  }

  collect(): Promise<{ latencies: number[]; hops: number[] }> {
    return this.ask({ type: 'collect' }, 'collected')
  }

  close(): Promise<void> {
    return this.ask({ type: 'close' }, 'closed')
  }

  terminate(): Promise<number> {
    return this.worker.terminate()
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}

async function applicants(app: App, n: number): Promise<{ principal: Principal; data: unknown }[]> {
  const out: { principal: Principal; data: unknown }[] = []
  for (const batch of generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(200)) {
    for (const c of batch) {
      if (out.length >= n) return out
      const account = await app.services.org.findLoginAccount({ id: c.id })
      if (!account) continue
      const prefill = await app.services.catalog.prefill(account.principal, 'RESIDENCE_PERMIT')
      const data = merge(prefill.data, typed(c).RESIDENCE_PERMIT!)
      try {
        await app.services.cases.submit(account.principal, {
          matterCode: 'RESIDENCE_PERMIT',
          data: data,
          channel: 'online',
        })
        out.push({ principal: account.principal, data })
      } catch {
        // a citizen whose sample form does not validate
      }
    }
    break
  }
  return out
}

async function ledgerSize(app: App): Promise<number> {
  return app.services.ledger.totalSize()
}

/**
 * Submits cases for `seconds`, one every `everyMs` (open loop: late ones go at once, up to 8 in
 * flight), posting a hop to the screens' thread as each returns. @returns ledger events appended per s
 */
async function write(
  app: App,
  people: { principal: Principal; data: unknown }[],
  everyMs: number,
  seconds: number,
  screens: Screens,
): Promise<{ eventsPerSecond: number; submissions: number; appended: number; submitP50: number }> {
  const before = await ledgerSize(app)
  const t0 = performance.now()
  const inFlight = new Set<Promise<void>>()
  const durations: number[] = []
  let i = 0
  while (performance.now() - t0 < seconds * 1000) {
    const due = t0 + i * everyMs
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    while (inFlight.size >= 8) await Promise.race(inFlight)
    const p = people[i % people.length]!
    const started = performance.now()
    const job = app.services.cases
      .submit(p.principal, {
        matterCode: 'RESIDENCE_PERMIT',
        data: p.data as Record<string, unknown>,
        channel: 'online',
      })
      .then(() => {
        durations.push(performance.now() - started)
        screens.hop()
      })
      .finally(() => inFlight.delete(job))
    inFlight.add(job)
    i++
  }
  await Promise.all(inFlight)
  const ms = performance.now() - t0
  const appended = (await ledgerSize(app)) - before
  durations.sort((a, b) => a - b)
  return {
    eventsPerSecond: appended / (ms / 1000),
    submissions: i,
    appended,
    submitP50: quantile(durations, 0.5),
  }
}

async function benchDialect(label: Label, env: Record<string, string>, log: (s: string) => void) {
  const app = await createApp(loadConfig({ ...env, XZT_LOG_LEVEL: 'silent', XZT_DEMO_PASSWORD: PASSWORD }), {
    logger: false,
  })
  try {
    log(`${label}: seeding the small demo`)
    await new DemoService(app.services).seed({ scale: 'small', seed: DEFAULT_DEMO_SEED, password: PASSWORD })
    const people = await applicants(app, 20)
    if (people.length === 0) throw new Error('no demo citizen could submit a residence permit')
    // Events one submission appends (with its jobs and first steps): sets the pace for RATE events/s.
    const before = await ledgerSize(app)
    for (let i = 0; i < 20; i++) {
      const p = people[i % people.length]!
      await app.services.cases.submit(p.principal, {
        matterCode: 'RESIDENCE_PERMIT',
        data: p.data as Record<string, unknown>,
        channel: 'online',
      })
    }
    const perSubmission = ((await ledgerSize(app)) - before) / 20
    const everyMs = (1000 * perSubmission) / RATE
    log(
      `${label}: ${perSubmission.toFixed(1)} ledger events per submission: one every ${everyMs.toFixed(1)} ms`,
    )

    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const port = (app.server.server.address() as { port: number }).port
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    })
    const token = ((await res.json()) as { token: string }).token
    const screens = new Screens(port, token)
    try {
      const phase = async (n: number, seconds = SECONDS) => {
        await screens.open(n)
        await screens.collect()
        const w = await write(app, people, everyMs, seconds, screens)
        // Let the last poll deliver.
        await new Promise((r) => setTimeout(r, 4 * POLL_MS + 200))
        const { latencies, hops } = await screens.collect()
        await screens.close()
        await new Promise((r) => setTimeout(r, 200))
        // Every event appended is in the province's scope: one not delivered counts as never arriving.
        const missing = Math.max(0, w.appended * n - latencies.length)
        for (let k = 0; k < missing; k++) latencies.push(Infinity)
        latencies.sort((a, b) => a - b)
        hops.sort((a, b) => a - b)
        const r = {
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          hopP50: quantile(hops, 0.5),
          received: latencies.length - missing,
          missing,
          ...w,
        }
        log(
          `${label}: ${n} screen(s): ${w.submissions} submissions, ${w.eventsPerSecond.toFixed(0)} events/s, ` +
            `${r.received} deliveries (${missing} missing); p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; message hop p50 ${r.hopP50.toFixed(2)} ms; a submission takes ${w.submitP50.toFixed(1)} ms (p50)`,
        )
        return r
      }
      // Warm-up, untimed: the first seconds of load run slower on a cold database.
      await phase(1, 2)
      const one = await phase(1)
      const many = await phase(SCREENS)
      log(
        `${label}: dropped for slow screens: ${app.services.analyticsStream.dropped}; poll interval ${POLL_MS} ms`,
      )
      const at = `${many.eventsPerSecond.toFixed(0)} events/s`
      return [
        figure({
          suite: SUITE,
          name: `${label}: event-to-screen p50, ${SCREENS} screens, ${at}`,
          value: many.p50,
          unit: 'ms',
          baseline: { name: 'the same with 1 screen', value: one.p50 },
          better: 'lower',
        }),
        figure({
          suite: SUITE,
          name: `${label}: event-to-screen p99, ${SCREENS} screens, ${at}`,
          value: many.p99,
          unit: 'ms',
          baseline: { name: 'the same with 1 screen', value: one.p99 },
          better: 'lower',
        }),
        figure({
          suite: SUITE,
          name: `${label}: event-to-screen p50, ${SCREENS} screens, against a message hop`,
          value: many.p50,
          unit: 'ms',
          baseline: {
            name: 'postMessage to the screens’ thread as a submission returns, p50',
            value: many.hopP50,
          },
          better: 'lower',
          notes: `the hub polls every ${POLL_MS} ms`,
        }),
      ]
    } finally {
      await screens.terminate()
    }
  } finally {
    await app.close()
  }
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const dir = tempDir('hall-stream')
  const figures = await benchDialect(
    'SQLite',
    { DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}`, XZT_DATA_DIR: dir },
    log,
  )
  if (PG_URL)
    figures.push(
      ...(await withPgDatabase((url) =>
        benchDialect('PostgreSQL', { DATABASE_URL: url, XZT_DATA_DIR: tempDir('hall-stream-pg') }, log),
      )),
    )
  else log('DATABASE_URL is not PostgreSQL: the PostgreSQL figures are skipped')
  return figures
}
