#!/usr/bin/env node
/**
 * `xzt`: the platform's command line. Every command goes through the services of the composition
 * root, never SQL. Errors print `CODE: message` and exit non-zero.
 * @module
 */
import fs from 'node:fs'
import pg from 'pg'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { SYSTEM } from '../server/access.js'
import { createApp, type App } from '../server/app.js'
import { loadConfig, type Config } from '../server/config.js'
import { openDatabase } from '../server/db/database.js'
import { migrateToLatest } from '../server/db/migrate.js'
import { CONSUMER_POLL_MS } from '../server/modules/event-tail/event-consumer.service.js'
import { AppError, isAppError } from '../shared/errors.js'
import { ROLES, type Role } from '../shared/domain.js'
import { rotateKey } from '../server/modules/ledger/ledger.keys.js'
import { verifyReceipt, verifyReceiptBundle } from '../server/modules/ledger/ledger.signing.js'
import type { LogVerification } from '../server/modules/ledger/ledger.verify.js'
import type { DemoService } from '../server/modules/sim/demo.service.js'
import { createProgress } from './progress.js'
import type { TrafficResult } from './traffic.js'

const DEMO_ACCOUNTS = [
  ['admin', '省级系统管理员 province administrator'],
  ['admin.4301', '星城市系统管理员 city administrator (admin.4302 … admin.4314 likewise)'],
  ['official.demo', '星城市市场监管局科员 official'],
  ['supervisor.demo', '星城市市场监管局副局长 supervisor'],
  ['clerk.demo', '窗口受理员 window clerk'],
  ['market.demo', '鸣河区市场监管局科员 official (企业开办: 设立登记)'],
  ['police.demo', '鸣河区公安局科员 official (企业开办: 公章刻制备案)'],
  ['tax.demo', '鸣河区税务局科员 official (企业开办: 税务登记)'],
  ['hrss.demo', '鸣河区人社局科员 official (企业开办: 单位社保登记)'],
  ['auditor', '省级审计员 auditor'],
  ['citizen.demo', '星城市居民 citizen'],
] as const

function parseIntOption(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number')
  return n
}

/**
 * Structured JSON logs (pino) for production; on an interactive terminal, human-readable lines through
 * pino-pretty when it is installed (it is a development dependency).
 */
function serveLogger(level: string): {
  level: string
  transport?: { target: string; options: Record<string, unknown> }
} {
  if (!process.stdout.isTTY) return { level }
  try {
    import.meta.resolve('pino-pretty')
    return {
      level,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' },
      },
    }
  } catch {
    return { level }
  }
}

/** Opens the app without listening: for commands that work on the database. */
async function withApp<T>(fn: (app: App) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const app = await createApp(config, { logger: false })
  try {
    return await fn(app)
  } finally {
    await app.close()
  }
}

/**
 * Like {@link withApp}, for commands that read or change an existing platform: a database that does
 * not exist yet is refused, naming where it was looked for, instead of being created (with new keys)
 * and found "all well". Only `serve`, `migrate` and `demo` create a database.
 * @throws AppError NOT_FOUND naming the path or database.
 */
async function withExistingApp<T>(fn: (app: App) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  await assertDatabaseExists(config)
  return withApp(fn, config)
}

async function assertDatabaseExists(config: Config): Promise<void> {
  const hint =
    'run `xzt migrate` or `xzt demo` (or `xzt serve`) first, or point XZT_DATA_DIR / DATABASE_URL at it'
  if (config.database.kind === 'sqlite') {
    const file = config.database.file
    if (file !== ':memory:' && (!fs.existsSync(file) || fs.statSync(file).size === 0)) {
      throw new AppError('NOT_FOUND', `there is no database at ${file}: ${hint}`, { details: { path: file } })
    }
    return
  }
  const client = new pg.Client({ connectionString: config.database.url })
  try {
    await client.connect()
    const res = await client.query(
      "select 1 from information_schema.tables where table_name = 'kysely_migration' limit 1",
    )
    if (res.rowCount === 0) {
      throw new AppError('NOT_FOUND', `the PostgreSQL database has no platform schema: ${hint}`, {
        details: { database: new URL(config.database.url).pathname.slice(1) },
      })
    }
  } catch (err) {
    if (isAppError(err)) throw err
    throw new AppError('UNAVAILABLE', `the PostgreSQL database cannot be reached: ${(err as Error).message}`)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** One line of what the traffic simulator did. */
function trafficSummary(r: TrafficResult): string {
  const a = r.appeals
  return (
    `${r.submitted} cases submitted (${r.online} online, ${r.window} at a window), ${r.completed} completed, ${r.rejected} rejected, ` +
    `${r.open} still open; ${r.tasksCompleted} tasks done, ${r.supplements} supplements requested (${r.resubmitted} handed in); ` +
    `${a.appeals} appeals (${a.hotline} hotline, ${a.online} online), ${a.accepted} accepted, ${a.responded} responded, ` +
    `${a.resolved} resolved, ${a.appealsRated} rated; ${a.casesRated} cases rated`
  )
}

/**
 * `xzt sim --live`: the traffic simulator on the real clock at a rate of ledger events per second,
 * with a progress line (the achieved rate) on stderr, until Ctrl-C or the duration. Safe next to a
 * running `xzt serve` on the same database (SQLite in WAL mode takes one writer at a time; PostgreSQL
 * locks rows).
 */
async function simLive(
  config: Config,
  opts: { perDay: number; appealsPerDay: number; seed?: number; rate: number; duration?: number },
): Promise<void> {
  const { runLiveTraffic } = await import('./traffic.js')
  await withExistingApp(async (app) => {
    if (await (await demoOf(app)).isEmpty())
      throw new AppError('CONFLICT', 'the database holds no demo province: run `xzt demo` first')
    const abort = new AbortController()
    const stop = (): void => abort.abort()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    const tty = process.stderr.isTTY
    try {
      const r = await runLiveTraffic(app, {
        seed: opts.seed ?? config.demoSeed,
        casesPerDay: opts.perDay,
        appealsPerDay: opts.appealsPerDay,
        rate: opts.rate,
        ...(opts.duration !== undefined ? { durationS: opts.duration } : {}),
        signal: abort.signal,
        onProgress: (events, seconds) =>
          process.stderr.write(
            `${tty ? '\r' : ''}live: ${events} ledger events in ${seconds.toFixed(0)} s, ` +
              `${(events / seconds).toFixed(1)}/s (target ${opts.rate}/s)${tty ? '  ' : '\n'}`,
          ),
      })
      if (tty) process.stderr.write('\n')
      await app.services.ledger.tick()
      process.stdout.write(
        `live for ${r.seconds.toFixed(1)} s: ${r.events} ledger events (${(r.events / r.seconds).toFixed(1)}/s, ` +
          `target ${opts.rate}/s); ${trafficSummary(r)}\n`,
      )
    } finally {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }
  }, config)
}

/** The demo seeding over `app`, loaded only by the commands that seed or need the demo. */
async function demoOf(app: App): Promise<DemoService> {
  const { DemoService } = await import('../server/modules/sim/demo.service.js')
  return new DemoService(app.services)
}

async function seedDemo(app: App, scale: 'small' | 'province', seed: number): Promise<void> {
  const progress = createProgress()
  try {
    const result = await (
      await demoOf(app)
    ).seed({
      scale,
      seed,
      password: app.config.demoPassword,
      onProgress: (phase, done, total) => progress.update(phase, done, total),
    })
    progress.stop()
    process.stderr.write(
      `seeded the ${scale} demo province in ${(result.ms / 1000).toFixed(1)} s: ${result.regions} regions, ` +
        `${result.departments} departments, ${result.staff} staff, ${result.citizens} citizens, ` +
        `${result.records} authoritative records, ${result.matters} matter versions\n`,
    )
  } finally {
    progress.stop()
  }
}

/**
 * An empty database (no region yet): only then is the demo loaded and seeded, as of
 * `XZT_DEMO_HISTORY_DAYS` ago, and that many days of citizens applying, appealing and rating and
 * officials working are simulated up to now, so that the hall, the scorecards and the promotion index
 * have figures on first start. Done on an app of its own with a manual clock, closed before `serve`
 * opens the database for real.
 */
async function seedOnFirstStart(config: Config): Promise<void> {
  if (config.demoOnEmpty === 'none') return
  const { ManualClock } = await import('../server/clock.js')
  const days = config.demoHistoryDays
  const app = await createApp(config, {
    logger: false,
    clock: new ManualClock(Date.now() - days * 86_400_000),
  })
  try {
    if (!(await app.services.regions.isEmpty())) return
    await seedDemo(app, config.demoOnEmpty, config.demoSeed)
    if (days === 0) return
    const { runTraffic } = await import('./traffic.js')
    const progress = createProgress()
    try {
      const r = await runTraffic(app, {
        seed: config.demoSeed,
        days,
        casesPerDay: DEMO_HISTORY_CASES_PER_DAY,
        appealsPerDay: DEMO_HISTORY_APPEALS_PER_DAY,
        onProgress: (done, total) => progress.update('history h', done, total),
      })
      progress.stop()
      await app.services.eventConsumers.drain()
      await app.services.ledger.tick()
      process.stderr.write(
        `simulated ${days} day(s) of demo history: ${r.submitted} cases (${r.completed} completed), ` +
          `${r.appeals.appeals} appeals, ${r.appeals.casesRated} case ratings (XZT_DEMO_HISTORY_DAYS=0 for none)\n`,
      )
    } finally {
      progress.stop()
    }
  } finally {
    await app.close()
  }
}

/** The demo history's pace: a quiet province, enough for every chart and scorecard to show something. */
const DEMO_HISTORY_CASES_PER_DAY = 30
const DEMO_HISTORY_APPEALS_PER_DAY = 12

export function buildCli(): Command {
  const program = new Command()
  program
    .name('xzt')
    .description('Xingzhengtong (星政通) digital-government platform')
    .showHelpAfterError()
    .exitOverride()

  program
    .command('serve')
    .description('migrate, seed the demo province into an empty database (XZT_DEMO), and serve API + web UI')
    .action(async () => {
      const config = loadConfig()
      await seedOnFirstStart(config)
      const app = await createApp(config, { logger: serveLogger(config.logLevel) })
      const shutdown = async (signal: string): Promise<void> => {
        app.server.log.info({ signal }, 'shutting down')
        await app.close()
        process.exit(0)
      }
      process.once('SIGINT', () => void shutdown('SIGINT'))
      process.once('SIGTERM', () => void shutdown('SIGTERM'))
      app.services.ledger.start(config.checkpointIntervalMs, (err) =>
        app.server.log.error({ err }, 'ledger checkpointing failed'),
      )
      const adopted = await app.services.adoptPendingTimers()
      if (adopted)
        app.server.log.info(
          { adopted },
          'scheduled jobs for SLA timers and rectification deadlines recorded before their jobs existed',
        )
      app.services.scheduler.start(config.timerIntervalMs, (err) =>
        app.server.log.error({ err }, 'running scheduled jobs failed'),
      )
      app.services.eventConsumers.start(CONSUMER_POLL_MS, (err) =>
        app.server.log.error({ err }, 'an event consumer failed; it is retried with a backoff'),
      )
      const address = await app.server.listen({ port: config.port, host: config.host })
      const shown =
        config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${config.port}` : address
      process.stderr.write(
        `\n星政通 Xingzhengtong is serving at ${shown}  (storage: ${app.database.kind}, ${app.database.location})\n` +
          `API docs: ${shown}/docs\n` +
          `Demo accounts (password from XZT_DEMO_PASSWORD${process.env.XZT_DEMO_PASSWORD ? '' : ', default xzt-demo'}):\n` +
          DEMO_ACCOUNTS.map(([u, what]) => `  ${u.padEnd(16)} ${what}`).join('\n') +
          '\n\n',
      )
    })

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const config = loadConfig()
      const database = await openDatabase(config)
      try {
        const applied = await migrateToLatest(database.db)
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n')
      } finally {
        await database.close()
      }
    })

  program
    .command('demo')
    .description('seed the deterministic demo province 潇湘省 into an empty database')
    .addOption(
      new Option('--scale <scale>', 'small: seconds, for tests; province: about a million citizens')
        .choices(['small', 'province'])
        .default('small'),
    )
    .option('--seed <n>', 'generator seed (default XZT_DEMO_SEED or 20261127)', parseIntOption)
    .action(async (opts: { scale: 'small' | 'province'; seed?: number }) => {
      await withApp(async (app) => seedDemo(app, opts.scale, opts.seed ?? app.config.demoSeed))
    })

  program
    .command('sim')
    .description(
      'simulate citizens applying, filing appeals and rating, and officials working their inboxes: over the last N days up to now, or live at a rate of ledger events per second',
    )
    .option('--days <n>', 'days to simulate, ending now', parseIntOption, 7)
    .option(
      '--per-day <n>',
      'applications on a working day (weekends and holidays about a third)',
      parseIntOption,
      50,
    )
    .option('--appeals-per-day <n>', 'appeals filed on a day (default: a third of --per-day)', parseIntOption)
    .option('--seed <n>', 'simulation seed (default XZT_DEMO_SEED or 20261127)', parseIntOption)
    .option('--live', 'run on the real clock until Ctrl-C or --duration, at --rate ledger events per second')
    .option('--rate <n>', 'live: ledger events per second', Number, 10)
    .option('--duration <s>', 'live: stop after this many seconds', parseIntOption)
    .action(
      async (opts: {
        days: number
        perDay: number
        appealsPerDay?: number
        seed?: number
        live?: boolean
        rate: number
        duration?: number
      }) => {
        if (opts.days < 1 || opts.perDay < 0 || (opts.appealsPerDay ?? 0) < 0)
          throw new AppError(
            'VALIDATION_FAILED',
            '--days must be at least 1, --per-day and --appeals-per-day not negative',
          )
        const appealsPerDay = opts.appealsPerDay ?? Math.round(opts.perDay / 3)
        const config = loadConfig()
        if (opts.live) {
          if (!(opts.rate > 0) || (opts.duration !== undefined && opts.duration < 1))
            throw new AppError('VALIDATION_FAILED', '--rate must be positive and --duration at least 1')
          await simLive(config, { ...opts, appealsPerDay })
          return
        }
        const { ManualClock } = await import('../server/clock.js')
        const { runTraffic } = await import('./traffic.js')
        // The platform's present (the system clock, or where XZT_CLOCK=manual was left): the simulation ends there.
        const end = await withApp(async (app) => {
          if (await (await demoOf(app)).isEmpty())
            throw new AppError('CONFLICT', 'the database holds no demo province: run `xzt demo` first')
          return app.services.clock.now()
        }, config)
        const app = await createApp(config, {
          logger: false,
          clock: new ManualClock(end - opts.days * 86_400_000),
        })
        const progress = createProgress()
        try {
          const started = performance.now()
          const r = await runTraffic(app, {
            seed: opts.seed ?? config.demoSeed,
            days: opts.days,
            casesPerDay: opts.perDay,
            appealsPerDay,
            onProgress: (done, total) => progress.update('simulate h', done, total),
          })
          progress.stop()
          await app.services.ledger.tick()
          process.stdout.write(
            `simulated ${opts.days} day(s) up to ${new Date(r.to).toISOString()} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
              `${trafficSummary(r)}, ` +
              `${r.warned} SLA warnings, ${r.breached} breaches\n`,
          )
        } finally {
          progress.stop()
          await app.close()
        }
      },
    )

  const regions = program.command('regions').description('import and export region boundaries (GeoJSON)')
  regions
    .command('import')
    .description('create or replace regions from a GeoJSON FeatureCollection; all or nothing')
    .argument(
      '<file>',
      'GeoJSON file: features with properties code, name, population (geometry Polygon/MultiPolygon)',
    )
    .action(async (file: string) => {
      const input = readJsonFile(file)
      const result = await withExistingApp((app) =>
        app.services.regions.importFeatureCollection(SYSTEM, input),
      )
      process.stdout.write(`imported ${file}: ${result.created} created, ${result.updated} updated\n`)
    })
  regions
    .command('export')
    .description('write a region and its subtree as GeoJSON')
    .option('--root <code>', 'region code to export from', '43')
    .option('--out <file>', 'output file (default: standard output)')
    .action(async (opts: { root: string; out?: string }) => {
      const fc = await withExistingApp((app) => app.services.regions.exportFeatureCollection(opts.root))
      const text = JSON.stringify(fc)
      if (opts.out) {
        fs.writeFileSync(opts.out, text)
        process.stderr.write(`wrote ${fc.features.length} regions to ${opts.out}\n`)
      } else {
        process.stdout.write(`${text}\n`)
      }
    })

  const ledger = program
    .command('ledger')
    .description('the tamper-evident ledger: verify, receipts, checkpoints, keys')
  ledger
    .command('verify')
    .description('recompute every tree from its leaves and check every checkpoint and cosignature')
    .option('--log <code>', 'only this log (province or city code)')
    .action(async (opts: { log?: string }) => {
      await withExistingApp(async (app) => {
        const progress = createProgress()
        const results = await app.services.ledger.verify(opts.log, (log, done, total) =>
          progress.update(`log ${log}`, done, total),
        )
        progress.stop()
        reportVerification(results)
      })
    })
  ledger
    .command('verify-receipt')
    .description(
      'check a c2sp.org/tlog-proof@v1 receipt, or a case receipt file (every entry), offline, with no database',
    )
    .argument('<file>', 'the receipt text')
    .requiredOption(
      '--key <vkey>',
      'verifier key of the log (and, repeated, of witnesses)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .action((file: string, opts: { key: string[] }) => {
      const text = readTextFile(file)
      // A case's receipt file (JSON, as the API answers and the web saves it) holds many receipts.
      if (text.trimStart().startsWith('{')) {
        const bundle = verifyReceiptBundle(text, opts.key)
        for (const e of bundle.entries) {
          process.stdout.write(
            `✓ log ${e.log} #${e.index} ${e.type}: in the tree of size ${e.size}, signed by ${e.signers.join(', ')}${e.cosigners.length ? `, cosigned by ${e.cosigners.join(', ')}` : ''}\n`,
          )
        }
        process.stdout.write(`case ${bundle.caseId}: all ${bundle.entries.length} receipts verified\n`)
        return
      }
      const result = verifyReceipt(text, opts.key)
      process.stdout.write(
        `receipt verified: entry ${result.index} of ${result.origin} is in the tree of size ${result.size} (root ${result.root})\n` +
          `signed by: ${result.signers.join(', ')}${result.cosigners.length ? `; cosigned by: ${result.cosigners.join(', ')}` : ''}\n` +
          `${JSON.stringify(result.leaf, null, 2)}\n`,
      )
    })
  ledger
    .command('checkpoint')
    .description('sign checkpoints of every grown log now and let the province witness cosign them')
    .action(async () => {
      await withExistingApp(async (app) => {
        await app.services.ledger.tick()
        for (const log of await app.services.ledger.listLogs()) {
          process.stdout
            .write(`${log.id.padEnd(4)} size ${String(log.size).padStart(8)}  checkpoint ${log.checkpoint?.size ?? '-'}
`)
        }
      })
    })
  ledger
    .command('rotate-key')
    .description('replace the log signing key (or --witness key); old verifier keys stay published')
    .option('--witness', 'rotate the province witness key instead')
    .action(async (opts: { witness?: boolean }) => {
      const config = loadConfig()
      const file = opts.witness ? config.witnessKeyFile : config.ledgerKeyFile
      await assertDatabaseExists(config)
      rotateKey(file, Date.now())
      await withExistingApp(async (app) => {
        await app.services.ledger.init()
        process.stdout.write(`rotated ${file}; the old key is kept beside it as .retired
`)
      }, config)
    })

  program
    .command('audit')
    .description('verify every ledger, then replay every event and name each live row that differs')
    .action(async () => {
      await withExistingApp(async (app) => {
        const progress = createProgress()
        const results = await app.services.ledger.verify(undefined, (log, done, total) =>
          progress.update(`verify ${log}`, done, total),
        )
        const report = await app.services.audit.replay((done, total) =>
          progress.update('replay', done, total),
        )
        progress.stop()
        const ledgerOk = results.every((r) => r.problem === null)
        process.stdout.write(`replayed ${report.events} events: ${Object.entries(report.byModule)
          .map(([m, n]) => `${m} ${n}`)
          .join(', ')}
`)
        for (const d of report.differences) {
          process.stdout.write(
            `  ${d.table} ${d.key}: ${d.problem}${d.field ? ` ${d.field} (ledger ${JSON.stringify(d.expected)}, table ${JSON.stringify(d.actual)})` : ''}
`,
          )
        }
        reportVerification(results, report.differences.length === 0)
        if (ledgerOk && report.differences.length > 0) {
          throw new AppError(
            'INTEGRITY_VIOLATION',
            `${report.differences.length} live row(s) differ from the ledger`,
          )
        }
      })
    })

  const analytics = program.command('analytics').description("the command hall's rollups")
  analytics
    .command('rebuild')
    .description(
      'recompute every rollup from the whole ledger (the live consumer then carries on from there)',
    )
    .action(async () => {
      await withExistingApp(async (app) => {
        const progress = createProgress()
        const result = await app.services.analytics.rebuild((done, total) =>
          progress.update('rebuild', done, total),
        )
        progress.stop()
        const perMillion = result.events > 0 ? (result.ms * 1_000_000) / result.events / 1000 : 0
        process.stdout.write(
          `rebuilt the rollups from ${result.events} events in ${(result.ms / 1000).toFixed(1)} s (${perMillion.toFixed(1)} s per million events)\n`,
        )
      })
    })

  const staff = program.command('staff').description('manage staff accounts')
  staff
    .command('create')
    .description('create a staff account (as the system administrator)')
    .requiredOption('--username <name>', 'login name: lowercase letters, digits, . _ -')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--department <id>', 'department id, e.g. 4301-tax')
    .requiredOption(
      '--roles <list>',
      `comma-separated roles: ${ROLES.filter((r) => r !== 'citizen').join(', ')}`,
    )
    .option('--position <title>', 'position title', '科员')
    .option('--password <password>', 'initial password (default: read XZT_NEW_PASSWORD)')
    .action(
      async (opts: {
        username: string
        name: string
        department: string
        roles: string
        position: string
        password?: string
      }) => {
        const password = opts.password ?? process.env.XZT_NEW_PASSWORD
        if (!password)
          throw new AppError('VALIDATION_FAILED', 'give a password with --password or XZT_NEW_PASSWORD')
        const roles = opts.roles.split(',').map((r) => r.trim()) as Role[]
        const created = await withExistingApp((app) =>
          app.services.org.createStaff(SYSTEM, {
            username: opts.username,
            password,
            name: opts.name,
            departmentId: opts.department,
            position: opts.position,
            roles,
          }),
        )
        process.stdout.write(`created staff ${created.username} (${created.id}) in ${created.departmentId}\n`)
      },
    )
  return program
}

/** Prints one line per log; throws INTEGRITY_VIOLATION naming the first problem. */
function reportVerification(results: readonly LogVerification[], quietOk = false): void {
  for (const r of results) {
    if (r.problem) continue
    if (!quietOk || results.length < 20) {
      process.stdout.write(
        `log ${r.log}: ${r.entries} entries, ${r.checkpoints} checkpoints, ${r.cosignatures} cosignatures: ok\n`,
      )
    }
  }
  const bad = results.find((r) => r.problem)
  if (bad?.problem) {
    throw new AppError('INTEGRITY_VIOLATION', `log ${bad.log}: ${bad.problem.problem}`, {
      details: bad.problem,
    })
  }
}

function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new AppError('INVALID_INPUT', `cannot read ${file}: ${(err as Error).message}`)
  }
}

function readJsonFile(file: string): unknown {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new AppError('INVALID_INPUT', `cannot read ${file}: ${(err as Error).message}`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${file} is not valid JSON: ${(err as Error).message}`)
  }
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode
    if (isAppError(err)) {
      process.stderr.write(`${err.code}: ${err.message}\n`)
      const problems = (err.details as { problems?: unknown[] } | null)?.problems
      if (Array.isArray(problems)) for (const p of problems) process.stderr.write(`  ${JSON.stringify(p)}\n`)
      return 1
    }
    process.stderr.write(`INTERNAL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    return 1
  }
}
