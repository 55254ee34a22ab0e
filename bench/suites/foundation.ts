/**
 * Foundation figures: server start time on an empty and on a seeded database (against a bare Fastify
 * process answering /healthz: the floor of starting Node + Fastify), and province-scale demo seeding
 * time and peak memory (against inserting the same rows with the raw driver: the floor of the storage).
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import {
  figure,
  freePort,
  median,
  PG_URL,
  ROOT,
  runMeasured,
  sqliteEnv,
  stop,
  tempDir,
  waitHealthy,
  withPgDatabase,
  XZT,
  type Figure,
} from '../lib.js'

const SUITE = 'foundation'
const RAW_INSERT = path.join(ROOT, 'bench', 'baselines', 'raw-insert.ts')

async function timeStart(env: Record<string, string>): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, [XZT, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', XZT_LOG_LEVEL: 'warn', ...env },
    // The banner and seeding progress would drown the report: keep stderr only to explain a failure.
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(stderr)
  })
  try {
    return await waitHealthy(`http://127.0.0.1:${port}/healthz`, started, child)
  } finally {
    await stop(child)
  }
}

async function timeBareFastify(): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bench', 'baselines', 'bare-fastify.mjs'), String(port)],
    { stdio: 'inherit' },
  )
  try {
    return await waitHealthy(`http://127.0.0.1:${port}/healthz`, started, child)
  } finally {
    await stop(child)
  }
}

export async function run(log: (line: string) => void): Promise<Figure[]> {
  const figures: Figure[] = []
  const bare = median([await timeBareFastify(), await timeBareFastify(), await timeBareFastify()])
  const baseline = { name: 'bare Fastify process to /healthz', value: bare }

  // SQLite: empty database (migrate + seed the small demo), then the same database again (seeded).
  const dir = tempDir('start')
  const env = sqliteEnv(dir, { XZT_DEMO: 'small' })
  const empty = await timeStart(env)
  const seeded = median([await timeStart(env), await timeStart(env), await timeStart(env)])
  const emptyNoDemo = await timeStart(sqliteEnv(tempDir('start-nodemo'), { XZT_DEMO: 'none' }))
  figures.push(
    figure({
      suite: SUITE,
      name: 'start, empty SQLite (migrate + seed small demo)',
      value: empty,
      unit: 'ms',
      baseline,
      better: 'lower',
    }),
    figure({
      suite: SUITE,
      name: 'start, empty SQLite (migrate only)',
      value: emptyNoDemo,
      unit: 'ms',
      baseline,
      better: 'lower',
    }),
    figure({
      suite: SUITE,
      name: 'start, seeded SQLite',
      value: seeded,
      unit: 'ms',
      baseline,
      better: 'lower',
    }),
  )
  log('start times on SQLite measured')

  if (PG_URL) {
    await withPgDatabase(async (url) => {
      const pgEnv = { XZT_DATA_DIR: tempDir('start-pg'), DATABASE_URL: url, XZT_DEMO: 'small' }
      const pgEmpty = await timeStart(pgEnv)
      const pgSeeded = median([await timeStart(pgEnv), await timeStart(pgEnv), await timeStart(pgEnv)])
      figures.push(
        figure({
          suite: SUITE,
          name: 'start, empty PostgreSQL (migrate + seed small demo)',
          value: pgEmpty,
          unit: 'ms',
          baseline,
          better: 'lower',
        }),
        figure({
          suite: SUITE,
          name: 'start, seeded PostgreSQL',
          value: pgSeeded,
          unit: 'ms',
          baseline,
          better: 'lower',
        }),
      )
    })
    log('start times on PostgreSQL measured')
  }

  // Province-scale seeding: ours through the services vs the raw driver inserting the same rows.
  const seedSqlite = await runMeasured(
    process.execPath,
    [XZT, 'demo', '--scale', 'province'],
    sqliteEnv(tempDir('province'), { XZT_LOG_LEVEL: 'warn' }),
  )
  const rawSqlite = await runMeasured(
    process.execPath,
    ['--import', 'tsx', RAW_INSERT, 'sqlite', tempDir('raw')],
    {},
  )
  figures.push(
    figure({
      suite: SUITE,
      name: 'xzt demo --scale province, SQLite',
      value: seedSqlite.ms / 1000,
      unit: 's',
      baseline: { name: 'raw better-sqlite3 inserts of the same row counts', value: rawSqlite.ms / 1000 },
      better: 'lower',
    }),
    figure({
      suite: SUITE,
      name: 'xzt demo --scale province, SQLite, peak RSS',
      value: seedSqlite.peakRssMiB,
      unit: 'MiB',
      baseline: { name: 'raw better-sqlite3 inserts, peak RSS', value: rawSqlite.peakRssMiB },
      better: 'lower',
    }),
  )
  log('province seeding on SQLite measured')
  if (PG_URL) {
    await withPgDatabase(async (url) => {
      const seedPg = await runMeasured(process.execPath, [XZT, 'demo', '--scale', 'province'], {
        XZT_DATA_DIR: tempDir('province-pg'),
        DATABASE_URL: url,
        XZT_LOG_LEVEL: 'warn',
      })
      const rawPg = await withPgDatabase((rawUrl) =>
        runMeasured(process.execPath, ['--import', 'tsx', RAW_INSERT, 'postgres', rawUrl], {}),
      )
      figures.push(
        figure({
          suite: SUITE,
          name: 'xzt demo --scale province, PostgreSQL',
          value: seedPg.ms / 1000,
          unit: 's',
          baseline: { name: 'raw pg multi-row inserts of the same row counts', value: rawPg.ms / 1000 },
          better: 'lower',
        }),
        figure({
          suite: SUITE,
          name: 'xzt demo --scale province, PostgreSQL, peak RSS',
          value: seedPg.peakRssMiB,
          unit: 'MiB',
          baseline: { name: 'raw pg inserts, peak RSS', value: rawPg.peakRssMiB },
          better: 'lower',
        }),
      )
    })
    log('province seeding on PostgreSQL measured')
  }
  return figures
}
