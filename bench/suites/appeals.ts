/**
 * Appeal figures, side by side in one run, through the service layer on a seeded small demo (SQLite,
 * and PostgreSQL when DATABASE_URL names one):
 *  - appeal intake per second: each appeal persisted, routed by policy, given its deadlines and
 *    ladder jobs, its responsibility chain built and everything ledgered at full durability, against
 *    plain case submissions per second (the residence permit) in the same run;
 *  - chain build time for an appeal about a case with 20 or more ledgered events (gathering the
 *    facts and building the chain), against reading that case's facts alone;
 *  - the rebuild of 10,000 open appeals' chains after a new chain policy takes effect (every chain
 *    rebuilt and recorded), against the same pass right after, when nothing changed (built, compared,
 *    nothing written).
 */
import path from 'node:path'
import { SYSTEM, type Principal } from '../../src/server/access.js'
import { createApp, type App } from '../../src/server/app.js'
import { ManualClock } from '../../src/server/clock.js'
import { loadConfig } from '../../src/server/config.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoCitizen } from '../../src/server/modules/sim/demo.model.js'
import { DEMO_POLICIES } from '../../src/server/modules/sim/demo.policies.js'
import { DemoService } from '../../src/server/modules/sim/demo.service.js'
import { figure, PG_URL, tempDir, withPgDatabase, type Figure } from '../lib.js'

const SUITE = 'appeals'
const INTAKE = Number(process.env.XZT_BENCH_APPEALS_INTAKE ?? 300)
const REBUILD = Number(process.env.XZT_BENCH_APPEALS_REBUILD ?? 10_000)
const CHAIN_ROUNDS = Number(process.env.XZT_BENCH_CHAIN_ROUNDS ?? 200)
const PASSWORD = 'xzt-demo'
const CATEGORIES = [
  'market/pricing',
  'urban/road',
  'environment/noise',
  'social_security/pension',
  'tax/invoice',
]

type Label = 'SQLite' | 'PostgreSQL'

function demoCitizens(count: number): DemoCitizen[] {
  const out: DemoCitizen[] = []
  for (const batch of generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(count)) {
    out.push(...batch)
    if (out.length >= count) break
  }
  return out.slice(0, count)
}

async function seeded(env: Record<string, string>, log: (s: string) => void, label: Label): Promise<App> {
  const app = await createApp(
    loadConfig({ ...env, XZT_LOG_LEVEL: 'silent', XZT_CLOCK: 'manual', XZT_DEMO_PASSWORD: PASSWORD }),
    { logger: false },
  )
  const t = performance.now()
  await new DemoService(app.services).seed({ scale: 'small', seed: DEFAULT_DEMO_SEED, password: PASSWORD })
  log(`${label}: small demo seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  return app
}

async function applicants(
  app: App,
  n: number,
): Promise<{ principal: Principal; data: Record<string, unknown> }[]> {
  const out: { principal: Principal; data: Record<string, unknown> }[] = []
  for (const c of demoCitizens(200)) {
    if (out.length >= n) break
    const account = await app.services.org.findLoginAccount({ id: c.id })
    if (!account) continue
    const prefill = await app.services.catalog.prefill(account.principal, 'RESIDENCE_PERMIT')
    const data = merge(prefill.data, typed(c).RESIDENCE_PERMIT!)
    try {
      await app.services.cases.submit(account.principal, {
        matterCode: 'RESIDENCE_PERMIT',
        data,
        channel: 'online',
      })
      out.push({ principal: account.principal, data })
    } catch {
      // a citizen whose sample form does not validate
    }
  }
  return out
}

function appealOf(i: number, regionCode: string) {
  return {
    kind: 'complaint' as const,
    category: CATEGORIES[i % CATEGORIES.length]!,
    text: `基准测试诉求 ${i}：夜间施工噪音扰民，已持续一周`,
    regionCode,
  }
}

async function benchDialect(
  label: Label,
  env: Record<string, string>,
  log: (s: string) => void,
): Promise<Figure[]> {
  const app = await seeded(env, log, label)
  const figures: Figure[] = []
  try {
    const { appeals, cases, chains, caseViews, clock } = app.services
    const people = await applicants(app, 20)
    if (!people.length) throw new Error('no demo citizen could submit a residence permit')
    // Warm-up, untimed.
    for (let i = 0; i < 20; i++) {
      const p = people[i % people.length]!
      await appeals.file(p.principal, appealOf(i, p.principal.regionCode))
      await cases.submit(p.principal, { matterCode: 'RESIDENCE_PERMIT', data: p.data, channel: 'online' })
    }

    // ---- intake against plain case submission, interleaved in rounds so both see the same database
    let appealMs = 0
    let caseMs = 0
    const rounds = 5
    for (let r = 0; r < rounds; r++) {
      let t = performance.now()
      for (let i = 0; i < INTAKE / rounds; i++) {
        const p = people[i % people.length]!
        await appeals.file(p.principal, appealOf(r * INTAKE + i, p.principal.regionCode))
      }
      appealMs += performance.now() - t
      t = performance.now()
      for (let i = 0; i < INTAKE / rounds; i++) {
        const p = people[i % people.length]!
        await cases.submit(p.principal, { matterCode: 'RESIDENCE_PERMIT', data: p.data, channel: 'online' })
      }
      caseMs += performance.now() - t
    }
    const intake = (INTAKE / appealMs) * 1000
    const submissions = (INTAKE / caseMs) * 1000
    log(`${label}: ${intake.toFixed(1)} appeals/s filed, ${submissions.toFixed(1)} cases/s submitted`)
    figures.push(
      figure({
        suite: SUITE,
        name: `${label}: appeals filed per second (persisted, routed, chained, ledgered)`,
        value: intake,
        unit: '/s',
        baseline: { name: 'residence-permit case submissions per second, same run', value: submissions },
        better: 'higher',
      }),
    )

    // ---- chain build for an appeal about a case with 20+ events
    const p = people[0]!
    if (!(clock instanceof ManualClock)) throw new Error('the bench runs on the manual clock')
    let c = await cases.submit(p.principal, {
      matterCode: 'BIZ_STARTUP',
      data: await bizData(app, p.principal),
      channel: 'online',
    })
    // Every step left past its limit before it is done: warnings, breaches and escalations pile up.
    for (let guard = 0; c.status !== 'completed' && guard < 10; guard++) {
      await clock.advance(10 * 86_400_000)
      for (const step of c.timeline.filter(
        (s) => s.node !== 'submit' && s.completedAt === null && s.departmentId,
      )) {
        const by = await workerOf(app, step.departmentId!)
        const task = (await caseViews.listTasks(by)).find((t) => t.caseId === c.id && t.node === step.node)
        if (task) c = await cases.completeTask(by, task.id, { outcome: 'approve', comment: '同意' })
      }
    }
    const facts = await caseViews.facts(c.id)
    const eventCount = facts?.events.length ?? 0
    const appeal = await appeals.file(p.principal, {
      kind: 'complaint',
      caseId: c.id,
      text: '办件超期无人受理',
    })
    const draft = {
      ...appeal,
      handlerId: null,
      departmentId: appeal.department.id,
      createdAt: appeal.createdAt,
    }
    let buildMs = 0
    let factsMs = 0
    let links = 0
    for (let i = 0; i < CHAIN_ROUNDS; i++) {
      let t = performance.now()
      const context = await chains.context(draft, [draft.departmentId], clock.now())
      links = chains.build(draft, context, { filed: null, accepted: null }).links.length
      buildMs += performance.now() - t
      t = performance.now()
      await caseViews.facts(c.id)
      factsMs += performance.now() - t
    }
    log(`${label}: chain of ${links} links over ${eventCount} case events`)
    figures.push(
      figure({
        suite: SUITE,
        name: `${label}: chain build for a case with ${eventCount} events (mean)`,
        value: buildMs / CHAIN_ROUNDS,
        unit: 'ms',
        baseline: { name: 'reading that case’s facts alone (mean)', value: factsMs / CHAIN_ROUNDS },
        better: 'lower',
        notes: `${links} links`,
      }),
    )

    // ---- rebuild of 10,000 open appeals after a policy change
    let filed = 0
    const t0 = performance.now()
    while (filed < REBUILD) {
      const q = people[filed % people.length]!
      await appeals.file(q.principal, appealOf(filed, q.principal.regionCode))
      filed++
      if (filed % 1000 === 0)
        log(
          `${label}: ${filed}/${REBUILD} appeals filed for the rebuild (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
        )
    }
    const policy = structuredClone(DEMO_POLICIES['responsibility.chain']) as {
      rules: { id: string; secondary?: string[] }[]
    }
    for (const r of policy.rules) if (r.id === 'on-duty') r.secondary = ['supervisor']
    await app.services.policies.publish(SYSTEM, 'responsibility.chain', { body: policy, note: 'bench' }, '43')
    let t = performance.now()
    const changed = await chains.rebuildOpen(SYSTEM, (done) => {
      if (done % 2000 === 0) log(`${label}: ${done} chains rebuilt`)
    })
    const rebuildMs = performance.now() - t
    t = performance.now()
    const unchanged = await chains.rebuildOpen(SYSTEM)
    const noopMs = performance.now() - t
    log(
      `${label}: rebuilt ${changed.rebuilt} of ${changed.appeals} open appeals in ${(rebuildMs / 1000).toFixed(1)} s; again (no change: ${unchanged.rebuilt} rebuilt) ${(noopMs / 1000).toFixed(1)} s`,
    )
    figures.push(
      figure({
        suite: SUITE,
        name: `${label}: chains of ${changed.appeals} open appeals rebuilt after a policy change`,
        value: rebuildMs / 1000,
        unit: 's',
        baseline: {
          name: 'the same pass when nothing changed (built, compared, not written)',
          value: noopMs / 1000,
        },
        better: 'lower',
        notes: `${((changed.appeals / rebuildMs) * 1000).toFixed(0)} appeals/s; ${changed.rebuilt} chains recorded`,
      }),
    )
  } finally {
    await app.close()
  }
  return figures
}

/** A member of a department who works its tasks (a clerk or an official). */
async function workerOf(app: App, departmentId: string): Promise<Principal> {
  const members = (await app.services.org.membersOf([departmentId])).get(departmentId) ?? []
  const m = members.find((x) => x.roles.includes('official') || x.roles.includes('clerk'))
  const account = m && (await app.services.org.findLoginAccount({ id: m.id }))
  if (!account) throw new Error(`nobody works the tasks of ${departmentId}`)
  return account.principal
}

async function bizData(app: App, principal: Principal): Promise<Record<string, unknown>> {
  const prefill = await app.services.catalog.prefill(principal, 'BIZ_STARTUP')
  const citizen = demoCitizens(200).find((c) => c.id === principal.accountId)!
  return merge(prefill.data, typed(citizen).BIZ_STARTUP!)
}

function envFor(label: Label, pgUrl?: string): Record<string, string> {
  const dir = tempDir(`appeals-${label === 'SQLite' ? 'sqlite' : 'pg'}`)
  return label === 'SQLite'
    ? { XZT_DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}` }
    : { XZT_DATA_DIR: dir, DATABASE_URL: pgUrl as string }
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const figures = await benchDialect('SQLite', envFor('SQLite'), log)
  if (PG_URL)
    figures.push(
      ...(await withPgDatabase((url) => benchDialect('PostgreSQL', envFor('PostgreSQL', url), log))),
    )
  return figures
}
