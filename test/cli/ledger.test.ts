/**
 * `xzt ledger verify`, `xzt ledger verify-receipt` and `xzt audit` as an auditor runs them: real
 * processes, exit codes, and the first bad entry or row named.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { CaseReceipt } from '../../src/shared/api.js'
import { api, login } from '../support/http.js'
import { createApp, type App } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import { isPostgres } from '../../src/server/db/dialect.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/db.js'

const XZT = path.resolve('bin/xzt.js')

function xzt(args: string[], env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [XZT, ...args], {
    env: { ...process.env, XZT_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  })
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr }
}

async function withApp<T>(env: Record<string, string>, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig({ XZT_LOG_LEVEL: 'silent', ...env }), { logger: false })
  try {
    return await fn(app)
  } finally {
    await app.close()
  }
}

describe.each(DIALECTS)('xzt ledger and audit on %s', (dialect) => {
  let db: TestDatabase
  let work: string
  beforeAll(async () => {
    db = await createTestDatabase(dialect, true)
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-ledger-cli-'))
  })
  afterAll(async () => {
    await db?.drop()
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('checkpoints and verifies every log', () => {
    const cp = xzt(['ledger', 'checkpoint'], db.env)
    expect(cp.code, cp.stderr).toBe(0)
    expect(cp.stdout).toMatch(/^4301 +size +\d+ +checkpoint \d+$/m)
    const verify = xzt(['ledger', 'verify'], db.env)
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toMatch(/^log 4301: \d+ entries, \d+ checkpoints, \d+ cosignatures: ok$/m)
    expect(xzt(['ledger', 'verify', '--log', '4399'], db.env).stderr).toMatch(/^NOT_FOUND: log/m)
  })

  it('verifies a receipt offline with the published key, and rejects it with another key', async () => {
    const { receipt, vkey, other } = await withApp(db.env, async (app) => {
      const logs = await app.services.ledger.listLogs()
      return {
        receipt: await app.services.ledger.receipt('4301', 5),
        vkey: logs.find((l) => l.id === '4301')!.verifierKey,
        other: logs.find((l) => l.id === '4302')!.verifierKey,
      }
    })
    const file = path.join(work, 'receipt.txt')
    fs.writeFileSync(file, receipt)
    // No database at all: point the CLI at nothing.
    const offline = {
      XZT_DATA_DIR: path.join(work, 'nowhere'),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    }
    const ok = xzt(['ledger', 'verify-receipt', file, '--key', vkey], offline)
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain('receipt verified: entry 5 of ledger.xiaoxiang.gov.cn/ledger/4301')
    const bad = xzt(['ledger', 'verify-receipt', file, '--key', other], offline)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^INVALID_INPUT: the receipt does not verify/m)
    fs.writeFileSync(file, receipt.replace('index 5', 'index 6'))
    expect(xzt(['ledger', 'verify-receipt', file, '--key', vkey], offline).code).toBe(1)
    expect(
      xzt(['ledger', 'verify-receipt', path.join(work, 'missing.txt'), '--key', vkey], offline).stderr,
    ).toMatch(/^INVALID_INPUT: cannot read/m)
  })

  it('verifies a case receipt file as the API answers it, every entry, and rejects one changed hash', async () => {
    const { bundle, keys } = await withApp(db.env, async (app) => {
      const citizen = await login(app, 'citizen.demo')
      const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
      const demo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
        .value![0]!
      const data = merge(prefill.body.data, typed(demo).BIZ_STARTUP!)
      const submitted = await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: { matterCode: 'BIZ_STARTUP', data, channel: 'online' },
      })
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
      await app.services.ledger.tick()
      const receipt = await api(app, 'GET', `/api/cases/${submitted.body.id as string}/receipt`, {
        token: citizen,
      })
      expect(receipt.status).toBe(200)
      const logs = (await api(app, 'GET', '/api/ledger/logs')).body as { verifierKey: string }[]
      return { bundle: receipt.body as CaseReceipt, keys: logs.map((l) => l.verifierKey) }
    })
    expect(bundle.entries.length).toBeGreaterThan(0)
    const file = path.join(work, 'case-receipts.json')
    fs.writeFileSync(file, JSON.stringify(bundle, null, 2))
    const offline = {
      XZT_DATA_DIR: path.join(work, 'nowhere'),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    }
    const args = ['ledger', 'verify-receipt', file, ...keys.flatMap((k) => ['--key', k])]
    const ok = xzt(args, offline)
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain(`all ${bundle.entries.length} receipts verified`)
    // One character of one proof hash changed: the file no longer verifies, and the entry is named.
    const entry = bundle.entries.find((e) => e.receipt.split('\n')[3] !== '')!
    const lines = entry.receipt.split('\n')
    const hashLine = lines.findIndex((l, i) => i > 1 && /^[A-Za-z0-9+/]{43}=$/.test(l))
    expect(hashLine).toBeGreaterThan(0)
    const h = lines[hashLine]!
    lines[hashLine] = (h[0] === 'A' ? 'B' : 'A') + h.slice(1)
    const tampered = {
      ...bundle,
      entries: bundle.entries.map((e) => (e === entry ? { ...e, receipt: lines.join('\n') } : e)),
    }
    fs.writeFileSync(file, JSON.stringify(tampered, null, 2))
    const bad = xzt(args, offline)
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/^INVALID_INPUT: entry \d+/m)
  })

  it('names the first bad entry when a leaf was changed behind the triggers, and the audit names edited rows', async () => {
    await withApp(db.env, async (app) => {
      const d = app.database.db
      if (isPostgres(d)) await sql`alter table ledger_leaf disable trigger ledger_leaf_append_only`.execute(d)
      else await sql`drop trigger ledger_leaf_no_update`.execute(d)
      const [row] = (
        await sql<{
          leaf: Uint8Array
        }>`select leaf from ledger_leaf where log_id = '4302' and idx = 11`.execute(d)
      ).rows
      await sql`update ledger_leaf set leaf = ${Buffer.from(Buffer.from(row!.leaf).toString('utf8').replace('"v":1', '"v":9'))} where log_id = '4302' and idx = 11`.execute(
        d,
      )
      await sql`update department set name = '被篡改的局' where id = '4303-tax'`.execute(d)
    })
    const verify = xzt(['ledger', 'verify'], db.env)
    expect(verify.code).toBe(1)
    expect(verify.stderr).toMatch(
      /^INTEGRITY_VIOLATION: log 4302: entry 11: its leaf hash does not match its data$/m,
    )
    const audit = xzt(['audit'], db.env)
    expect(audit.code).toBe(1)
    expect(audit.stdout).toMatch(
      /department 4303-tax: differs name \(ledger "星城市|department 4303-tax: differs name/,
    )
    expect(audit.stderr).toMatch(/^INTEGRITY_VIOLATION:/m)
  })
})

describe.each(DIALECTS)('rollback of a witnessed city log on %s', (dialect) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(dialect, true)
  })
  afterAll(async () => {
    await db?.drop()
  })

  /** Lifts the append-only triggers of the ledger tables (what a DBA with full rights can do). */
  async function liftTriggers(d: App['database']['db']): Promise<void> {
    for (const table of ['ledger_leaf', 'ledger_checkpoint', 'ledger_cosignature']) {
      if (isPostgres(d))
        await sql`alter table ${sql.id(table)} disable trigger ${sql.id(`${table}_append_only`)}`.execute(d)
      else await sql`drop trigger if exists ${sql.id(`${table}_no_delete`)}`.execute(d)
    }
  }

  it('names a deleted cosignature, then a city log cut back below what the province witnessed', async () => {
    const size = await withApp(db.env, async (app) => {
      await app.services.ledger.tick()
      const logs = await app.services.ledger.listLogs()
      const log = logs.find((l) => l.id === '4305')!
      expect(log.checkpoint?.size).toBe(log.size)
      await liftTriggers(app.database.db)
      await sql`delete from ledger_cosignature where log_id = '4305' and size = ${log.size}`.execute(
        app.database.db,
      )
      return log.size
    })
    const first = xzt(['ledger', 'verify'], db.env)
    expect(first.code).toBe(1)
    expect(first.stderr).toMatch(
      new RegExp(`^INTEGRITY_VIOLATION: log 4305: .*the cosignature of checkpoint ${size} was deleted`, 'm'),
    )
    // Now the rollback itself: the last entries, their checkpoint and cosignatures gone.
    await withApp(db.env, async (app) => {
      const d = app.database.db
      await sql`delete from ledger_cosignature where log_id = '4305' and size > ${size - 3}`.execute(d)
      await sql`delete from ledger_checkpoint where log_id = '4305' and size > ${size - 3}`.execute(d)
      await sql`delete from ledger_leaf where log_id = '4305' and idx >= ${size - 3}`.execute(d)
    })
    const second = xzt(['ledger', 'verify', '--log', '4305'], db.env)
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(
      /^INTEGRITY_VIOLATION: log 4305: .*province log \(entry 43#\d+\) records a witnessed checkpoint/m,
    )
  })
})
