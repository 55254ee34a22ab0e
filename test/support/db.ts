/**
 * The storage matrix every storage-dependent test runs over: SQLite always; PostgreSQL when
 * DATABASE_URL points at a server (required in CI, skipped with a notice elsewhere). Each test app gets
 * its own database: a copied SQLite file, or a PostgreSQL database created from a seeded template
 * (`CREATE DATABASE … TEMPLATE`), dropped afterwards.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createApp, type App, type AppOptions } from '../../src/server/app.js'
import { loadConfig, type Config } from '../../src/server/config.js'

export type Dialect = 'sqlite' | 'postgres'

export const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined

if (!PG_URL && process.env.CI) {
  throw new Error(
    'CI must run the PostgreSQL tests: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test',
  )
}
if (!PG_URL && !process.env.XZT_PG_NOTICE_SHOWN) {
  process.env.XZT_PG_NOTICE_SHOWN = '1'
  console.warn('DATABASE_URL is not set: PostgreSQL variants of the storage tests are skipped')
}

/** Dialects to run storage tests on. */
export const DIALECTS: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite']

/** A database URL on the same server as DATABASE_URL but naming another database. */
export function pgUrlFor(database: string): string {
  const u = new URL(PG_URL as string)
  u.pathname = `/${database}`
  return u.toString()
}

/** Runs SQL on the maintenance connection (DATABASE_URL's own database). */
export async function pgAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  env: Record<string, string>
  drop(): Promise<void>
}

/** A fresh database for one test app: seeded from the run's template when `seeded`. */
export async function createTestDatabase(dialect: Dialect, seeded: boolean): Promise<TestDatabase> {
  const id = randomBytes(6).toString('hex')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `xzt-test-${id}-`))
  if (dialect === 'sqlite') {
    const file = path.join(dataDir, 'xzt.db')
    if (seeded) fs.copyFileSync(inject('sqliteTemplate'), file)
    return {
      env: { XZT_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${file}` },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    }
  }
  const name = `xzt_t_${id}`
  await pgAdmin((c) =>
    c.query(seeded ? `create database ${name} template ${inject('pgTemplate')}` : `create database ${name}`),
  )
  return {
    env: { XZT_DATA_DIR: dataDir, DATABASE_URL: pgUrlFor(name) },
    drop: async () => {
      await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`))
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface TestApp extends App {
  /** Closes the app and drops its database. */
  dispose(): Promise<void>
}

/** A complete app (not listening) on a fresh database of `dialect`, seeded with the small demo by default. */
export async function createTestApp(
  dialect: Dialect,
  options: { seeded?: boolean; env?: Record<string, string>; app?: AppOptions } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect, options.seeded ?? true)
  const config: Config = loadConfig({ XZT_LOG_LEVEL: 'silent', ...database.env, ...options.env })
  const app = await createApp(config, { logger: false, ...options.app })
  return Object.assign(app, {
    async dispose() {
      await app.close()
      await database.drop()
    },
  })
}

/** The demo password used by test templates. */
export const DEMO_PASSWORD = 'xzt-demo'
