/**
 * Case figures, side by side in one run:
 *  - end-to-end business start-up cases per second through the service layer (CaseService: submit →
 *    window acceptance → four departments in parallel, each approving → completed), every step persisted
 *    and ledgered at full durability, on SQLite and PostgreSQL, against the same BPMN process run in
 *    memory by the npm package bpmn-engine (the peer; goal: ours ≥ 2× the peer's rate); and our engine
 *    alone (pure start/completeTask in memory) against the same peer;
 *  - p50/p99 latency of submit and complete under 64 concurrent HTTP clients against a real server
 *    process (goal p99 < 50 ms on SQLite), against p50/p99 of GET /healthz under the same 64-client load.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { BpmnModdle } from 'bpmn-moddle'
import { Engine } from 'bpmn-engine'
import { SYSTEM, type Principal } from '../../src/server/access.js'
import { createApp, type App } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import type { Role } from '../../src/shared/domain.js'
import type { CaseView, TaskView } from '../../src/shared/api.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoCitizen } from '../../src/server/modules/sim/demo.model.js'
import { DemoService } from '../../src/server/modules/sim/demo.service.js'
import { chinaWorkCalendar } from '../../src/server/modules/workflow/calendar/index.js'
import {
  completeTask,
  parseProcess,
  start,
  type InstanceState,
  type ProcessDefinition,
} from '../../src/server/modules/workflow/engine/index.js'
import {
  figure,
  freePort,
  PG_URL,
  ROOT,
  stop,
  tempDir,
  waitHealthy,
  withPgDatabase,
  XZT,
  type Figure,
} from '../lib.js'

const SUITE = 'cases'
const CASES = Number(process.env.XZT_BENCH_CASES ?? 300)
const PURE_CASES = Number(process.env.XZT_BENCH_PURE_CASES ?? 3000)
const CLIENTS = 64
const HTTP_REQUESTS = Number(process.env.XZT_BENCH_HTTP_REQUESTS ?? 3000)
const HTTP_SECONDS = Number(process.env.XZT_BENCH_HTTP_SECONDS ?? 60)
const ROUNDS = 5
/** Which halves to run (`XZT_BENCH_CASES_PARTS=latency` while working on one): both by default. */
const PARTS = new Set((process.env.XZT_BENCH_CASES_PARTS ?? 'throughput,latency').split(','))
const MATTER = 'BIZ_STARTUP'
const PROCESS_XML = path.join(ROOT, 'src', 'server', 'modules', 'catalog', 'demo', MATTER, 'process.bpmn')
const PASSWORD = 'xzt-demo'

type Label = 'SQLite' | 'PostgreSQL'

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}

const openSteps = (c: CaseView) =>
  c.timeline.filter((s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled')

/** The role that works a department's tasks in the business start-up process. */
const roleFor = (departmentId: string): Role =>
  departmentId.endsWith('-service_center') ? 'clerk' : 'official'

/** The first citizens of the small demo province, as the seeder creates them (same seed). */
function demoCitizens(count: number): DemoCitizen[] {
  const out: DemoCitizen[] = []
  for (const batch of generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(count)) {
    out.push(...batch)
    if (out.length >= count) break
  }
  return out.slice(0, count)
}

/** The environment of a fresh database: SQLite in a new directory (whatever DATABASE_URL says), or `pgUrl`. */
function envFor(dialect: Label, pgUrl?: string): Record<string, string> {
  const dir = tempDir(`cases-${dialect === 'SQLite' ? 'sqlite' : 'pg'}`)
  return dialect === 'SQLite'
    ? { XZT_DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}` }
    : { XZT_DATA_DIR: dir, DATABASE_URL: pgUrl as string }
}

// ---- the peer: bpmn-engine -------------------------------------------------------------------

/**
 * The business start-up process as bpmn-engine can run it: the FEEL conditions (`= outcome = "reject"`)
 * become expressions over an `outcome_<name>` variable the driver sets when it completes a task, and the
 * empty SLA timer definitions (ours compute the due time from `xzt:atSla` on the working-day calendar)
 * get a plain duration, so the peer also starts and cancels a warning and a breach timer per task.
 * Everything `xzt:` is ignored by the peer.
 */
export function peerXml(xml: string): string {
  const adapted = xml
    .replace(
      /<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= outcome = "(\w+)"<\/bpmn:conditionExpression>/g,
      '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${environment.variables.outcome_$1}</bpmn:conditionExpression>',
    )
    .replace(
      /<bpmn:timerEventDefinition id="([^"]+)" \/>/g,
      '<bpmn:timerEventDefinition id="$1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P2D</bpmn:timeDuration></bpmn:timerEventDefinition>',
    )
  if (adapted.includes('= outcome'))
    throw new Error('a FEEL condition of the process was not adapted for the peer')
  return adapted
}

interface PeerEngineApi {
  id: string
  signal(message?: unknown): void
  environment: { variables: Record<string, unknown> }
}

/** The same without the SLA timers: the peer's best case, for reference. */
export function peerXmlWithoutTimers(xml: string): string {
  return peerXml(xml)
    .replace(/<bpmn:boundaryEvent [\s\S]*?<\/bpmn:boundaryEvent>/g, '')
    .replace(/<bpmn:sequenceFlow id="[^"]+" sourceRef="[^"]+_breach" targetRef="[^"]+" \/>/g, '')
    .replace(/<bpmn:incoming>Flow_[a-z_]+_breach_to_[a-z_]+<\/bpmn:incoming>/g, '')
}

async function peerContext(timers = true): Promise<unknown> {
  const xml = fs.readFileSync(PROCESS_XML, 'utf8')
  return new BpmnModdle().fromXML(timers ? peerXml(xml) : peerXmlWithoutTimers(xml))
}

/** Runs one case in bpmn-engine: every user task signalled with outcome approve; resolves with the count. */
async function peerCase(moddleContext: unknown): Promise<number> {
  const engine = new Engine({ name: 'BIZ_STARTUP', moddleContext })
  const listener = new EventEmitter()
  let tasks = 0
  listener.on('activity.wait', (api: PeerEngineApi) => {
    tasks++
    api.environment.variables.outcome_reject = false
    api.environment.variables.outcome_supplement = false
    api.signal({ outcome: 'approve' })
  })
  const ended = new Promise<void>((resolve, reject) => {
    engine.once('end', () => resolve())
    engine.once('error', (err: Error) => reject(err))
  })
  await engine.execute({ listener } as never)
  await ended
  return tasks
}

// ---- ours, in memory ---------------------------------------------------------------------------

function pureCase(def: ProcessDefinition, data: Record<string, unknown>): number {
  const calendar = chinaWorkCalendar()
  const now = Date.now()
  const ctx = { now, newId: () => randomUUID(), calendar }
  let state: InstanceState = start(def, {
    ...ctx,
    data,
    case: { matterCode: MATTER, regionCode: '430102001', channel: 'online' },
  }).state
  let tasks = 0
  while (state.status === 'running') {
    const open = Object.values(state.tasks)
    if (open.length === 0) throw new Error('the pure engine stopped with no task open')
    for (const t of open) {
      state = completeTask(def, state, { ...ctx, taskId: t.id, outcome: 'approve' }).state
      tasks++
    }
  }
  if (state.status !== 'completed') throw new Error(`the pure engine ended ${state.status}`)
  return tasks
}

// ---- ours, through the service layer ---------------------------------------------------------

interface ServiceBench {
  app: App
  applicants: { principal: Principal; data: Record<string, unknown> }[]
  workers: Map<string, Principal>
}

async function workerFor(bench: ServiceBench, departmentId: string): Promise<Principal> {
  const known = bench.workers.get(departmentId)
  if (known) return known
  const { org } = bench.app.services
  const role = roleFor(departmentId)
  const department = await org.getDepartment(departmentId)
  const staff = (
    await org.listStaff(SYSTEM, { regionCode: department.regionCode, departmentId, limit: 500 })
  ).items.sort((a, b) => a.id.localeCompare(b.id))
  let chosen = staff.find((s) => s.roles.includes(role))
  chosen ??= await org.createStaff(SYSTEM, {
    username: `bench.${role}.${departmentId.replace(/[^a-z0-9]/gi, '').toLowerCase()}`.slice(0, 60),
    password: PASSWORD,
    name: '基准测试员',
    departmentId,
    roles: [role],
  })
  const account = await org.findLoginAccount({ id: chosen.id })
  if (!account) throw new Error(`no account for staff ${chosen.id}`)
  bench.workers.set(departmentId, account.principal)
  return account.principal
}

/** One business start-up case through CaseService: submit, then every open task approved by its department. */
async function serviceCase(bench: ServiceBench, i: number): Promise<number> {
  const { cases, caseViews } = bench.app.services
  const applicant = bench.applicants[i % bench.applicants.length]!
  let view = await cases.submit(applicant.principal, {
    matterCode: MATTER,
    data: applicant.data,
    channel: 'online',
  })
  let tasks = 0
  for (let guard = 0; view.status !== 'completed'; guard++) {
    if (guard > 10 || view.status === 'rejected') throw new Error(`case ${view.id} is ${view.status}`)
    for (const step of openSteps(view)) {
      const by = await workerFor(bench, step.departmentId as string)
      const task = (await caseViews.listTasks(by)).find((t) => t.caseId === view.id && t.node === step.node)
      if (!task) throw new Error(`${step.node} of ${view.id} is not in the inbox of ${step.departmentId}`)
      view = await cases.completeTask(by, task.id, { outcome: 'approve', comment: '材料齐全，同意。' })
      tasks++
    }
  }
  return tasks
}

/** A seeded small demo and the citizens whose business start-up form validates (prefill + what they type). */
async function prepareServiceBench(
  env: Record<string, string>,
  log: (s: string) => void,
  label: Label,
): Promise<ServiceBench> {
  const app = await createApp(
    loadConfig({
      ...env,
      XZT_LOG_LEVEL: 'silent',
      XZT_DEMO_PASSWORD: PASSWORD,
      XZT_DEMO_SEED: String(DEFAULT_DEMO_SEED),
    }),
    { logger: false },
  )
  try {
    const t = performance.now()
    await new DemoService(app.services).seed({ scale: 'small', seed: DEFAULT_DEMO_SEED, password: PASSWORD })
    log(`${label}: small demo seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    const bench: ServiceBench = { app, applicants: [], workers: new Map() }
    for (const c of demoCitizens(200)) {
      if (bench.applicants.length >= 20) break
      const account = await app.services.org.findLoginAccount({ id: c.id })
      if (!account) continue
      const prefill = await app.services.catalog.prefill(account.principal, MATTER)
      const candidate = { principal: account.principal, data: merge(prefill.data, typed(c)[MATTER]!) }
      try {
        // Also the warm-up: each applicant's first case runs untimed.
        bench.applicants.push(candidate)
        await serviceCase(bench, bench.applicants.length - 1)
      } catch {
        bench.applicants.pop()
      }
    }
    if (bench.applicants.length === 0)
      throw new Error('no demo citizen could submit a business start-up case')
    log(
      `${label}: ${bench.applicants.length} applicants in ${new Set(bench.applicants.map((a) => a.principal.regionCode.slice(0, 6))).size} counties, ${bench.workers.size} departments`,
    )
    return bench
  } catch (err) {
    await app.close()
    throw err
  }
}

async function benchThroughput(
  label: Label,
  env: Record<string, string>,
  log: (s: string) => void,
  peers: { timers: unknown; noTimers: unknown },
  def: ProcessDefinition,
): Promise<Figure[]> {
  const peer = peers.timers
  const bench = await prepareServiceBench(env, log, label)
  try {
    // Ours and the peer alternate in rounds, so a change in machine load hits both alike.
    let oursMs = 0
    let peerMs = 0
    let oursTasks = 0
    let peerTasks = 0
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now()
      for (let i = 0; i < CASES / ROUNDS; i++) oursTasks += await serviceCase(bench, round * CASES + i)
      oursMs += performance.now() - t
      t = performance.now()
      for (let i = 0; i < CASES / ROUNDS; i++) peerTasks += await peerCase(peer)
      peerMs += performance.now() - t
    }
    if (oursTasks !== peerTasks)
      throw new Error(`ours completed ${oursTasks} tasks, the peer ${peerTasks}: not the same path`)
    const ours = CASES / (oursMs / 1000)
    const theirs = CASES / (peerMs / 1000)
    log(
      `${label}: ${CASES} cases through CaseService at ${ours.toFixed(1)}/s, bpmn-engine ${theirs.toFixed(1)}/s`,
    )
    const figures = [
      figure({
        suite: SUITE,
        name: `${label}: ${MATTER} cases/s end to end through CaseService (submit → 5 tasks approved → completed; persisted + ledgered)`,
        value: ours,
        unit: '/s',
        baseline: { name: 'bpmn-engine 25, same process in memory (peer)', value: theirs },
        better: 'higher',
        notes: `${CASES} sequential cases, ${oursTasks / CASES} user tasks each; ours includes each official's inbox query; goal ≥ 2× the peer`,
      }),
    ]
    if (label === 'SQLite') {
      // Our engine alone, in memory, against the same peer (measured again here, alternating).
      const data = bench.applicants[0]!.data
      let pureMs = 0
      let peerMs2 = 0
      for (let round = 0; round < ROUNDS; round++) {
        let t = performance.now()
        for (let i = 0; i < PURE_CASES / ROUNDS; i++) pureCase(def, data)
        pureMs += performance.now() - t
        t = performance.now()
        for (let i = 0; i < CASES / ROUNDS; i++) await peerCase(peer)
        peerMs2 += performance.now() - t
      }
      const pure = PURE_CASES / (pureMs / 1000)
      const peer2 = CASES / (peerMs2 / 1000)
      log(`in memory: our engine ${pure.toFixed(0)}/s, bpmn-engine ${peer2.toFixed(1)}/s`)
      // For reference: the peer without the SLA timer boundary events (it then does less than ours does).
      let bareMs = 0
      for (let round = 0; round < ROUNDS; round++) {
        const t = performance.now()
        for (let i = 0; i < CASES / ROUNDS; i++) {
          if ((await peerCase(peers.noTimers)) !== oursTasks / CASES)
            throw new Error('the peer without timers took another path')
        }
        bareMs += performance.now() - t
      }
      const bare = CASES / (bareMs / 1000)
      log(`bpmn-engine without the SLA timers: ${bare.toFixed(1)}/s`)
      figures.push(
        figure({
          suite: SUITE,
          name: `${label}: ${MATTER} cases/s end to end through CaseService (as above)`,
          value: ours,
          unit: '/s',
          baseline: { name: 'bpmn-engine 25 in memory, process without its SLA timers', value: bare },
          better: 'higher',
          notes:
            'the peer runs the process with its timer boundary events removed: less work than ours, which schedules and cancels two SLA timers per task',
        }),
      )
      figures.push(
        figure({
          suite: SUITE,
          name: `in memory: ${MATTER} cases/s, our engine alone (pure start/completeTask)`,
          value: pure,
          unit: '/s',
          baseline: { name: 'bpmn-engine 25, same process in memory (peer)', value: peer2 },
          better: 'higher',
        }),
      )
    }
    return figures
  } finally {
    await bench.app.close()
  }
}

// ---- latency under 64 concurrent HTTP clients --------------------------------------------------

interface Http {
  base: string
  call(
    method: 'GET' | 'POST',
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; ms: number }>
}

function http(base: string): Http {
  return {
    base,
    async call(method, url, token, body) {
      const headers: Record<string, string> = {}
      if (token) headers.authorization = `Bearer ${token}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      const t = performance.now()
      const res = await fetch(base + url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      const ms = performance.now() - t
      return {
        status: res.status,
        body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
        ms,
      }
    },
  }
}

async function login(h: Http, username: string): Promise<string> {
  const res = await h.call('POST', '/api/auth/login', undefined, { username, password: PASSWORD })
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.token as string
}

async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string; stderr: () => string }> {
  const port = await freePort()
  const started = performance.now()
  // XZT_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load.
  const nodeArgs = process.env.XZT_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...nodeArgs, XZT, 'serve'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      XZT_LOG_LEVEL: 'warn',
      XZT_DEMO: 'small',
      XZT_DEMO_SEED: String(DEFAULT_DEMO_SEED),
      XZT_DEMO_PASSWORD: PASSWORD,
      // 64 clients log in from one address within a minute.
      XZT_LOGIN_RATE_LIMIT: '10000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)))
  const base = `http://127.0.0.1:${port}`
  try {
    await waitHealthy(`${base}/healthz`, started, child, 300_000)
  } catch (err) {
    process.stderr.write(stderr)
    await stop(child)
    throw err
  }
  return { child, base, stderr: () => stderr }
}

/** Runs `work` in `CLIENTS` concurrent loops until `budget` measured requests are spent or the time is up. */
async function loops(
  work: (client: number, spend: () => boolean) => Promise<void>,
  budget: number,
): Promise<number> {
  let spent = 0
  const deadline = performance.now() + HTTP_SECONDS * 1000
  const spend = (): boolean => {
    if (spent >= budget || performance.now() > deadline) return false
    spent++
    return true
  }
  const t = performance.now()
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => work(c, spend)))
  return performance.now() - t
}

async function benchLatency(
  label: Label,
  env: Record<string, string>,
  log: (s: string) => void,
): Promise<Figure[]> {
  const server = await startServer(env)
  try {
    const h = http(server.base)
    const admin = await login(h, 'admin')
    const citizenDemo = demoCitizens(1)[0]!
    const citizens: string[] = []
    for (let c = 0; c < CLIENTS; c++) citizens.push(await login(h, 'citizen.demo'))
    const prefill = await h.call('GET', `/api/matters/${MATTER}/prefill`, citizens[0])
    if (prefill.status !== 200) throw new Error(`prefill: ${prefill.status} ${JSON.stringify(prefill.body)}`)
    const data = merge(prefill.body.data, typed(citizenDemo)[MATTER]!)

    // One staff account per department the case passes through, created by the administrator.
    const staff = new Map<string, string>()
    const tokenFor = async (departmentId: string): Promise<string> => {
      const known = staff.get(departmentId)
      if (known) return known
      const role = roleFor(departmentId)
      const username = `bench.${role}.${departmentId.replace(/[^a-z0-9]/gi, '').toLowerCase()}`.slice(0, 60)
      const created = await h.call('POST', '/api/staff', admin, {
        username,
        password: PASSWORD,
        name: '基准测试员',
        departmentId,
        roles: [role],
      })
      if (created.status !== 201)
        throw new Error(`create staff in ${departmentId}: ${created.status} ${JSON.stringify(created.body)}`)
      const token = await login(h, username)
      staff.set(departmentId, token)
      return token
    }

    const submitMs: number[] = []
    const completeMs: number[] = []
    /** One case over HTTP; `spend` false stops before a measured request (the case stays open). */
    const runCase = async (citizen: string, spend: () => boolean, record: boolean): Promise<boolean> => {
      if (!spend()) return false
      const submitted = await h.call('POST', '/api/cases', citizen, {
        matterCode: MATTER,
        data,
        channel: 'online',
      })
      if (submitted.status !== 201)
        throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`)
      if (record) submitMs.push(submitted.ms)
      let view = submitted.body as CaseView
      for (let guard = 0; view.status !== 'completed'; guard++) {
        if (guard > 10) throw new Error(`case ${view.id} did not complete: ${view.status}`)
        for (const step of openSteps(view)) {
          const token = await tokenFor(step.departmentId as string)
          const inbox = await h.call('GET', '/api/tasks', token)
          const task = (inbox.body as TaskView[]).find((t) => t.caseId === view.id && t.node === step.node)
          if (!task) throw new Error(`${step.node} of ${view.id} not in the inbox of ${step.departmentId}`)
          if (!spend()) return false
          const done = await h.call('POST', `/api/tasks/${task.id}/complete`, token, {
            outcome: 'approve',
            comment: '材料齐全，同意。',
          })
          if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`)
          if (record) completeMs.push(done.ms)
          view = done.body as CaseView
        }
      }
      return true
    }
    // Warm-up (untimed): staff accounts, JIT, caches.
    for (let i = 0; i < 20; i++) await runCase(citizens[0]!, () => true, false)
    log(`${label}: server up, ${staff.size} staff accounts, warmed up`)

    // Baseline: GET /healthz from the same 64 concurrent clients.
    const healthMs: number[] = []
    await loops(async (_c, spend) => {
      while (spend()) {
        const res = await h.call('GET', '/healthz')
        if (res.status !== 200) throw new Error(`healthz: ${res.status}`)
        healthMs.push(res.ms)
      }
    }, HTTP_REQUESTS)

    let cases = 0
    const elapsed = await loops(async (c, spend) => {
      while (await runCase(citizens[c]!, spend, true)) cases++
    }, HTTP_REQUESTS)
    const requests = submitMs.length + completeMs.length
    log(
      `${label}: ${cases} cases, ${requests} measured requests from ${CLIENTS} clients in ${(elapsed / 1000).toFixed(1)} s (${(requests / (elapsed / 1000)).toFixed(0)} submit+complete/s)`,
    )
    const metrics = String((await h.call('GET', '/metrics')).body)
    const counter = (name: string): number | undefined => {
      const m = new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)
      return m ? Number(m[1]) : undefined
    }
    const writes = counter('xzt_sqlite_durable_writes_total')
    const syncs = counter('xzt_sqlite_wal_syncs_total')
    if (writes !== undefined && syncs)
      log(
        `${label}: ${writes} durable writes by ${syncs} WAL fdatasyncs since start (${(writes / syncs).toFixed(2)} per fdatasync)`,
      )

    for (const a of [submitMs, completeMs, healthMs]) a.sort((x, y) => x - y)
    const healthP50 = {
      name: `GET /healthz p50, ${CLIENTS} concurrent clients`,
      value: quantile(healthMs, 0.5),
    }
    const healthP99 = {
      name: `GET /healthz p99, ${CLIENTS} concurrent clients`,
      value: quantile(healthMs, 0.99),
    }
    const notes = `${CLIENTS} clients, ${submitMs.length} submits and ${completeMs.length} completes measured in ${(elapsed / 1000).toFixed(1)} s (plus an untimed inbox GET before each complete)`
    return [
      figure({
        suite: SUITE,
        name: `${label}: POST /api/cases (submit) p50, ${CLIENTS} concurrent clients`,
        value: quantile(submitMs, 0.5),
        unit: 'ms',
        baseline: healthP50,
        better: 'lower',
        notes,
      }),
      figure({
        suite: SUITE,
        name: `${label}: POST /api/cases (submit) p99, ${CLIENTS} concurrent clients`,
        value: quantile(submitMs, 0.99),
        unit: 'ms',
        baseline: healthP99,
        better: 'lower',
        notes: `goal < 50 ms on SQLite; ${notes}`,
      }),
      figure({
        suite: SUITE,
        name: `${label}: POST /api/tasks/{id}/complete p50, ${CLIENTS} concurrent clients`,
        value: quantile(completeMs, 0.5),
        unit: 'ms',
        baseline: healthP50,
        better: 'lower',
        notes,
      }),
      figure({
        suite: SUITE,
        name: `${label}: POST /api/tasks/{id}/complete p99, ${CLIENTS} concurrent clients`,
        value: quantile(completeMs, 0.99),
        unit: 'ms',
        baseline: healthP99,
        better: 'lower',
        notes: `goal < 50 ms on SQLite; ${notes}`,
      }),
    ]
  } finally {
    await stop(server.child)
  }
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = []
  const peer = { timers: await peerContext(true), noTimers: await peerContext(false) }
  const def = await parseProcess(fs.readFileSync(PROCESS_XML, 'utf8'))
  // Warm the peer up as ours is (untimed).
  for (let i = 0; i < 20; i++) await peerCase(peer.timers)
  for (let i = 0; i < 20; i++) await peerCase(peer.noTimers)

  if (PARTS.has('throughput')) {
    figures.push(...(await benchThroughput('SQLite', envFor('SQLite'), log, peer, def)))
    if (PG_URL)
      figures.push(
        ...(await withPgDatabase((url) =>
          benchThroughput('PostgreSQL', envFor('PostgreSQL', url), log, peer, def),
        )),
      )
  }
  if (PARTS.has('latency')) {
    figures.push(...(await benchLatency('SQLite', envFor('SQLite'), log)))
    if (PG_URL)
      figures.push(
        ...(await withPgDatabase((url) => benchLatency('PostgreSQL', envFor('PostgreSQL', url), log))),
      )
  }
  return figures
}
