/**
 * Benchmark plumbing: a figure is a measured value printed next to the baseline it is compared with,
 * both measured in the same run. Results go to bench/results/<time>.json and bench/results/latest.json.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface Figure {
  suite: string
  name: string
  value: number
  unit: string
  /** What the value is compared with, measured in the same run. */
  baseline: { name: string; value: number }
  /** value / baseline.value */
  ratio: number
  /** e.g. 'lower is better' */
  better: 'lower' | 'higher'
  notes?: string
}

export function figure(f: Omit<Figure, 'ratio'>): Figure {
  return { ...f, ratio: f.baseline.value === 0 ? NaN : f.value / f.baseline.value }
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
export const XZT = path.join(ROOT, 'bin', 'xzt.js')

const tempDirs: string[] = []
process.once('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory, removed when the bench process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xzt-bench-${prefix}-`))
  tempDirs.push(dir)
  return dir
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

/** Polls `url` until it answers 200; resolves to the elapsed ms since `startedAt`. */
export async function waitHealthy(
  url: string,
  startedAt: number,
  child: ChildProcess,
  timeoutMs = 120_000,
): Promise<number> {
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before ${url} answered`)
    try {
      const res = await fetch(url)
      if (res.ok) return performance.now() - startedAt
    } catch {
      // not listening yet
    }
    if (performance.now() - startedAt > timeoutMs)
      throw new Error(`${url} did not answer within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Runs a command to completion under /usr/bin/time; returns wall ms and peak RSS in MiB. */
export async function runMeasured(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ ms: number; peakRssMiB: number; stderr: string }> {
  const started = performance.now()
  const child = spawn('/usr/bin/time', ['-f', 'XZT_MAXRSS_KB=%M', cmd, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  const ms = performance.now() - started
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`)
  const kb = Number(/XZT_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN)
  return { ms, peakRssMiB: kb / 1024, stderr }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** The PostgreSQL server of DATABASE_URL, when the bench runs with one. */
export const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined

/** Runs `fn` with the URL of a fresh PostgreSQL database on PG_URL's server, dropped afterwards. */
export async function withPgDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `xzt_bench_${randomBytes(5).toString('hex')}`
  const admin = async (q: string): Promise<void> => {
    const c = new pg.Client({ connectionString: PG_URL })
    await c.connect()
    try {
      await c.query(q)
    } finally {
      await c.end()
    }
  }
  await admin(`create database ${name}`)
  try {
    const u = new URL(PG_URL as string)
    u.pathname = `/${name}`
    return await fn(u.toString())
  } finally {
    await admin(`drop database if exists ${name} with (force)`)
  }
}

/** SQLite in `dir`, whatever DATABASE_URL the bench itself was started with. */
export function sqliteEnv(dir: string, env: Record<string, string> = {}): Record<string, string> {
  return { XZT_DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'xzt.db')}`, ...env }
}
