/**
 * Event tail figures (SQLite, and PostgreSQL when DATABASE_URL names one; the small demo plus bench events):
 *  - tail throughput: events/s read by following `next` through `GET /api/events` over HTTP, against a
 *    plain keyset scan of the same ledger rows by primary key in the same run (the limit);
 *  - SSE delivery latency p50/p99 from a commit to its arrival at each of 100 connected clients, against
 *    the same with one client.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import path from 'node:path'
import pg from 'pg'
import { createApp, type App } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import type { LedgerEvent } from '../../src/server/modules/ledger/index.js'
import { DemoService } from '../../src/server/modules/sim/demo.service.js'
import { figure, tempDir, type Figure } from '../lib.js'

const SUITE = 'events'
const EVENTS = Number(process.env.XZT_BENCH_TAIL_EVENTS ?? 50_000)
const CLIENTS = 100
const PUSHES = 100
const LOGS = ['4301', '4302', '4303', '4304', '43']

const actor = { id: 'st-bench', roles: ['admin'], department: null, region: '43' }

function event(i: number): LedgerEvent {
  const log = LOGS[i % LOGS.length] as string
  return {
    type: 'department.created',
    subject: `department:${log}-bench-${i}`,
    regionCode: log,
    actor,
    data: { id: `${log}-bench-${i}`, name: `星城市基准测试局${i}`, regionCode: log, kind: 'tax' },
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'xzt-demo' }),
  })
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`)
  return ((await res.json()) as { token: string }).token
}

async function readTail(base: string, token: string): Promise<{ count: number; ms: number; next: string }> {
  const t0 = performance.now()
  let after = ''
  let count = 0
  for (;;) {
    const res = await fetch(`${base}/api/events?limit=1000&after=${after}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const page = (await res.json()) as { events: unknown[]; next: string }
    if (page.events.length === 0) return { count, ms: performance.now() - t0, next: after }
    count += page.events.length
    after = page.next
  }
}

async function plainScan(app: App): Promise<{ count: number; ms: number }> {
  const t0 = performance.now()
  let count = 0
  let last: { log: string; idx: number } = { log: '', idx: -1 }
  for (;;) {
    const rows = await app.database.db
      .selectFrom('ledger_leaf')
      .select(['log_id', 'idx', 'time', 'type', 'subject', 'leaf'])
      .where((eb) =>
        eb.or([eb('log_id', '>', last.log), eb.and([eb('log_id', '=', last.log), eb('idx', '>', last.idx)])]),
      )
      .orderBy('log_id')
      .orderBy('idx')
      .limit(1000)
      .execute()
    if (rows.length === 0) return { count, ms: performance.now() - t0 }
    count += rows.length
    const end = rows[rows.length - 1] as { log_id: string; idx: number }
    last = { log: end.log_id, idx: Number(end.idx) }
  }
}

/** Connects `n` stream clients from `after`; each records when every event (by subject) arrived. */
async function connect(
  port: number,
  token: string,
  after: string,
  n: number,
): Promise<{ arrivals: Map<string, number>[]; close(): void }> {
  const arrivals: Map<string, number>[] = []
  const requests: http.ClientRequest[] = []
  await Promise.all(
    Array.from({ length: n }, () => {
      const seen = new Map<string, number>()
      arrivals.push(seen)
      return new Promise<void>((resolve, reject) => {
        const req = http.get({
          host: '127.0.0.1',
          port,
          path: '/api/events/stream',
          agent: false,
          headers: { authorization: `Bearer ${token}`, 'last-event-id': after },
        })
        requests.push(req)
        req.on('error', reject)
        req.on('response', (res) => {
          let buffer = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            buffer += chunk
            let cut: number
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const data = /^data: (.*)$/m.exec(buffer.slice(0, cut))?.[1]
              buffer = buffer.slice(cut + 2)
              if (data) seen.set((JSON.parse(data) as { subject: string }).subject, performance.now())
            }
          })
          resolve()
        })
      })
    }),
  )
  return { arrivals, close: () => requests.forEach((r) => r.destroy()) }
}

async function sseLatency(
  app: App,
  port: number,
  token: string,
  clients: number,
  tag: string,
): Promise<{ p50: number; p99: number }> {
  const { next } = await readTail(`http://127.0.0.1:${port}`, token)
  const streams = await connect(port, token, next, clients)
  const committed = new Map<string, number>()
  for (let i = 0; i < PUSHES; i++) {
    const e = { ...event(i), subject: `bench:${tag}-${i}` }
    await app.database.db.transaction().execute((trx) => app.services.ledger.append(trx, e))
    committed.set(e.subject, performance.now())
    await new Promise((r) => setTimeout(r, 25))
  }
  const deadline = performance.now() + 10_000
  while (streams.arrivals.some((a) => a.size < PUSHES) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20))
  streams.close()
  const latencies: number[] = []
  for (const a of streams.arrivals)
    for (const [subject, at] of committed) {
      const got = a.get(subject)
      latencies.push(got === undefined ? Infinity : got - at)
    }
  latencies.sort((x, y) => x - y)
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) }
}

const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined

async function adminSql(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try {
    await c.query(q)
  } finally {
    await c.end()
  }
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const dir = tempDir('events')
  const figures = await benchDialect(
    'SQLite',
    { DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}`, XZT_DATA_DIR: dir },
    log,
  )
  if (PG_URL) {
    const name = `xzt_bench_events_${randomBytes(4).toString('hex')}`
    await adminSql(`create database ${name}`)
    const u = new URL(PG_URL)
    u.pathname = `/${name}`
    try {
      figures.push(
        ...(await benchDialect(
          'PostgreSQL',
          { DATABASE_URL: u.toString(), XZT_DATA_DIR: tempDir('events-pg') },
          log,
        )),
      )
    } finally {
      await adminSql(`drop database if exists ${name} with (force)`)
    }
  } else log('DATABASE_URL is not PostgreSQL: the PostgreSQL figures are skipped')
  return figures
}

async function benchDialect(
  label: 'SQLite' | 'PostgreSQL',
  env: { DATABASE_URL: string; XZT_DATA_DIR: string },
  log: (line: string) => void,
): Promise<Figure[]> {
  const app = await createApp(
    loadConfig({
      ...env,
      XZT_LOG_LEVEL: 'silent',
      XZT_DEMO_PASSWORD: 'xzt-demo',
    }),
    { logger: false },
  )
  try {
    log(`${label}: seeding the small demo`)
    await new DemoService(app.services).seed({
      scale: 'small',
      seed: app.config.demoSeed,
      password: 'xzt-demo',
    })
    log(`${label}: appending ${EVENTS} events across ${LOGS.length} logs`)
    for (let i = 0; i < EVENTS; i += 500) {
      const batch = Array.from({ length: Math.min(500, EVENTS - i) }, (_, k) => event(i + k))
      await app.database.db.transaction().execute((trx) => app.services.ledger.appendMany(trx, batch))
    }
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const port = (app.server.server.address() as { port: number }).port
    const base = `http://127.0.0.1:${port}`
    const token = await login(base, 'auditor')

    // Alternate the two reads, so a change in machine load hits both alike; keep the best of each.
    let tail = { count: 0, ms: Infinity }
    let plain = { count: 0, ms: Infinity }
    for (let round = 0; round < 3; round++) {
      const t = await readTail(base, token)
      if (t.ms < tail.ms) tail = t
      const p = await plainScan(app)
      if (p.ms < plain.ms) plain = p
    }
    if (tail.count !== plain.count)
      throw new Error(`the tail read ${tail.count} events, the table holds ${plain.count}`)
    log(
      `${label}: tail: ${tail.count} events in ${tail.ms.toFixed(0)} ms; plain scan ${plain.ms.toFixed(0)} ms`,
    )

    const one = await sseLatency(app, port, token, 1, 'one')
    const many = await sseLatency(app, port, token, CLIENTS, 'many')
    log(
      `${label}: SSE p50/p99: 1 client ${one.p50.toFixed(1)}/${one.p99.toFixed(1)} ms, ${CLIENTS} clients ${many.p50.toFixed(1)}/${many.p99.toFixed(1)} ms`,
    )

    const perSecond = (r: { count: number; ms: number }): number => (r.count / r.ms) * 1000
    return [
      figure({
        suite: SUITE,
        name: `${label}: tail through GET /api/events (${tail.count} events, pages of 1000)`,
        value: perSecond(tail),
        unit: 'events/s',
        baseline: { name: 'keyset scan of the same ledger rows by primary key', value: perSecond(plain) },
        better: 'higher',
      }),
      figure({
        suite: SUITE,
        name: `${label}: SSE delivery p50, ${CLIENTS} clients`,
        value: many.p50,
        unit: 'ms',
        baseline: { name: 'the same with 1 client', value: one.p50 },
        better: 'lower',
      }),
      figure({
        suite: SUITE,
        name: `${label}: SSE delivery p99, ${CLIENTS} clients`,
        value: many.p99,
        unit: 'ms',
        baseline: { name: 'the same with 1 client', value: one.p99 },
        better: 'lower',
      }),
    ]
  } finally {
    await app.close()
  }
}
