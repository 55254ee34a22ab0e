/**
 * Crash test: the server is killed with SIGKILL while clients are appending (creating departments,
 * each one ledger event in the same transaction). After a restart every acknowledged department and
 * its ledger entry must be there, and the ledger and the audit must verify.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, DEMO_PASSWORD, DIALECTS, type TestDatabase } from '../support/db.js'

const XZT = path.resolve('bin/xzt.js')

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

/** Resolves when the child has exited, also when it already has (an 'exit' listener added late never fires). */
function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [XZT, 'serve'], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      XZT_LOG_LEVEL: 'warn',
      XZT_DEMO: 'none',
      XZT_CHECKPOINT_INTERVAL_MS: '200',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.each(DIALECTS)('crash while appending (%s)', (dialect) => {
  let db: TestDatabase
  let server: ChildProcess | undefined
  beforeAll(async () => {
    db = await createTestDatabase(dialect, true)
  })
  afterAll(async () => {
    server?.kill('SIGKILL')
    await db?.drop()
  })

  it('loses no acknowledged entry and still verifies after restart', { timeout: 180_000 }, async () => {
    const port = await freePort()
    server = await startServer(db.env, port)
    const base = `http://127.0.0.1:${port}`
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin.4301', password: DEMO_PASSWORD }),
    })
    const { token } = (await login.json()) as { token: string }
    const acknowledged: string[] = []
    let n = 0
    let killed = false
    const worker = async (): Promise<void> => {
      while (!killed) {
        const i = n++
        try {
          const res = await fetch(`${base}/api/departments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              name: `崩溃测试局${i}`,
              regionCode: i % 2 ? '4301' : `4301${String((i % 9) + 1).padStart(2, '0')}`,
              kind: 'tax',
            }),
          })
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id)
        } catch {
          // the connection died with the server: not acknowledged
        }
      }
    }
    const workers = Array.from({ length: 8 }, worker)
    // Kill in the middle of the traffic, once a good number of appends were acknowledged.
    const started = Date.now()
    while (acknowledged.length < 150) {
      if (Date.now() - started > 30_000)
        throw new Error(`only ${acknowledged.length} of ${n} appends acknowledged in 30 s`)
      await new Promise((r) => setTimeout(r, 10))
    }
    const exited = exitOf(server)
    server.kill('SIGKILL')
    killed = true
    await Promise.all(workers)
    await exited
    expect(acknowledged.length).toBeGreaterThanOrEqual(150)

    server = await startServer(db.env, port)
    const missing: string[] = []
    for (const id of acknowledged) {
      const res = await fetch(`${base}/api/departments/${encodeURIComponent(id)}`)
      if (res.status !== 200) missing.push(id)
    }
    expect(missing).toEqual([])
    // Every acknowledged department has its ledger entry: the audit replays department events
    // against the table (both directions) and must find nothing.
    const auditor = (await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'auditor', password: DEMO_PASSWORD }),
      })
    ).json()) as { token: string }
    const audit = (await (
      await fetch(`${base}/api/audit/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auditor.token}` },
      })
    ).json()) as {
      ok: boolean
      replay: { differences: unknown[] }
      ledger: { problem: unknown }[]
    }
    expect(audit.replay.differences).toEqual([])
    expect(audit.ledger.filter((l) => l.problem !== null)).toEqual([])
    expect(audit.ok).toBe(true)
    const stopped = exitOf(server)
    server.kill('SIGTERM')
    await stopped
    server = undefined
    const verify = spawnSync(process.execPath, [XZT, 'ledger', 'verify'], {
      env: { ...process.env, ...db.env, XZT_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    })
    expect(verify.status, verify.stderr).toBe(0)
  })
})
