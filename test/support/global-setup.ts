/**
 * Seeds the small demo province once per test run and dialect, as a template every test database is
 * copied from: seeding per test file would cost seconds each.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { createApp } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import { DemoService } from '../../src/server/modules/sim/demo.service.js'

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string
    pgTemplate: string
  }
}

const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined

async function seedInto(env: Record<string, string>): Promise<void> {
  const app = await createApp(
    loadConfig({ XZT_LOG_LEVEL: 'silent', XZT_DEMO_PASSWORD: 'xzt-demo', ...env }),
    { logger: false },
  )
  try {
    await new DemoService(app.services).seed({
      scale: 'small',
      seed: app.config.demoSeed,
      password: app.config.demoPassword,
    })
  } finally {
    await app.close()
  }
}

async function pgQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const id = randomBytes(6).toString('hex')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xzt-template-${id}-`))
  const sqliteFile = path.join(dir, 'template.db')
  const pgName = `xzt_tpl_${id}`
  const seeding: Promise<void>[] = [seedInto({ XZT_DATA_DIR: dir, DATABASE_URL: `sqlite:${sqliteFile}` })]
  if (PG_URL) {
    await pgQuery(`create database ${pgName}`)
    const u = new URL(PG_URL)
    u.pathname = `/${pgName}`
    seeding.push(seedInto({ XZT_DATA_DIR: dir, DATABASE_URL: u.toString() }))
  }
  await Promise.all(seeding)
  project.provide('sqliteTemplate', sqliteFile)
  project.provide('pgTemplate', pgName)
  return async () => {
    if (PG_URL) await pgQuery(`drop database if exists ${pgName} with (force)`)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
