/**
 * The `xzt` command as an operator runs it: a real process, exit codes, `CODE: message` errors, and
 * files that are rejected leaving the database untouched.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/db.js'

const XZT = path.resolve('bin/xzt.js')

function xzt(args: string[], env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [XZT, ...args], {
    env: { ...process.env, XZT_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr }
}

async function readRegion(env: Record<string, string>, code: string) {
  const app = await createApp(loadConfig(env), { logger: false })
  try {
    return await app.services.regions.findRegion(code)
  } finally {
    await app.close()
  }
}

describe('xzt without a database', () => {
  it('prints help and rejects unknown commands', () => {
    const help = xzt(['--help'], {})
    expect(help.code).toBe(0)
    for (const cmd of ['serve', 'migrate', 'demo', 'regions', 'staff']) expect(help.stdout).toContain(cmd)
    expect(xzt(['regions', '--help'], {}).stdout).toContain('import')
    expect(xzt(['fly'], {}).code).not.toBe(0)
  })

  it('refuses a bad configuration naming the variable', () => {
    const res = xzt(['migrate'], {
      PORT: 'eighty',
      XZT_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-cli-')),
    })
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^INVALID_INPUT: invalid configuration: PORT must be integer/m)
  })

  it('refuses to verify or audit a database that does not exist, and creates nothing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-cli-empty-'))
    try {
      for (const args of [
        ['ledger', 'verify'],
        ['audit'],
        ['ledger', 'checkpoint'],
        ['ledger', 'rotate-key'],
      ]) {
        const res = xzt(args, { XZT_DATA_DIR: empty, DATABASE_URL: `sqlite:${path.join(empty, 'xzt.db')}` })
        expect(res.code, args.join(' ')).not.toBe(0)
        expect(res.stderr).toContain(`NOT_FOUND: there is no database at ${path.join(empty, 'xzt.db')}`)
        expect(fs.readdirSync(empty), args.join(' ')).toEqual([])
      }
    } finally {
      fs.rmSync(empty, { recursive: true, force: true })
    }
  })
})

describe.each(DIALECTS)('xzt on %s', (dialect) => {
  let db: TestDatabase
  let work: string
  beforeAll(async () => {
    db = await createTestDatabase(dialect, true)
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-cli-files-'))
  })
  afterAll(async () => {
    await db?.drop()
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('migrate reports an up-to-date schema', () => {
    const res = xzt(['migrate'], db.env)
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('up to date')
  })

  it('rejects a bad GeoJSON file with a clear message and changes nothing', async () => {
    const before = await readRegion(db.env, '4301')
    const bad = path.join(work, 'bad.geojson')
    fs.writeFileSync(
      bad,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: '4301', name: '被改名市', population: 5 }, geometry: null },
          { type: 'Feature', properties: { code: '43011', name: '坏代码' }, geometry: null },
        ],
      }),
    )
    const res = xzt(['regions', 'import', bad], db.env)
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^INVALID_INPUT: the GeoJSON file was rejected: feature 1/m)
    expect(await readRegion(db.env, '4301')).toEqual(before)

    fs.writeFileSync(path.join(work, 'broken.geojson'), '{"type": "FeatureCollection", ')
    const broken = xzt(['regions', 'import', path.join(work, 'broken.geojson')], db.env)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/^INVALID_INPUT: .*not valid JSON/m)
    const missing = xzt(['regions', 'import', path.join(work, 'nope.geojson')], db.env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^INVALID_INPUT: cannot read/m)
  })

  it('exports a subtree and imports it back', () => {
    const out = path.join(work, 'county.geojson')
    const exported = xzt(['regions', 'export', '--root', '4301', '--out', out], db.env)
    expect(exported.code).toBe(0)
    const fc = JSON.parse(fs.readFileSync(out, 'utf8'))
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features[0].properties.code).toBe('4301')
    const res = xzt(['regions', 'import', out], db.env)
    expect(res.code).toBe(0)
    expect(res.stdout).toContain(`0 created, ${fc.features.length} updated`)
    expect(xzt(['regions', 'export', '--root', '4399'], db.env).stderr).toMatch(/^NOT_FOUND:/m)
  })

  it('creates staff and reports bad input as CODE: message', () => {
    const ok = xzt(
      [
        'staff',
        'create',
        '--username',
        'cli.user',
        '--name',
        '命令行',
        '--department',
        '4301-tax',
        '--roles',
        'official,supervisor',
        '--password',
        'long-enough',
      ],
      db.env,
    )
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('created staff cli.user')
    const dup = xzt(
      [
        'staff',
        'create',
        '--username',
        'cli.user',
        '--name',
        'x',
        '--department',
        '4301-tax',
        '--roles',
        'official',
        '--password',
        'long-enough',
      ],
      db.env,
    )
    expect(dup.stderr).toMatch(/^CONFLICT:/m)
    const dept = xzt(
      [
        'staff',
        'create',
        '--username',
        'cli.two',
        '--name',
        'x',
        '--department',
        'nowhere',
        '--roles',
        'official',
        '--password',
        'long-enough',
      ],
      db.env,
    )
    expect(dept.code).toBe(1)
    expect(dept.stderr).toMatch(/^NOT_FOUND: department/m)
    const role = xzt(
      [
        'staff',
        'create',
        '--username',
        'cli.two',
        '--name',
        'x',
        '--department',
        '4301-tax',
        '--roles',
        'wizard',
        '--password',
        'long-enough',
      ],
      db.env,
    )
    expect(role.stderr).toMatch(/^VALIDATION_FAILED: unknown roles: wizard/m)
    expect(xzt(['staff', 'create', '--username', 'cli.two'], db.env).code).not.toBe(0)
  })

  it('refuses to seed the demo into a database that has data', () => {
    const res = xzt(['demo'], db.env)
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^CONFLICT:/m)
  })
})
