/**
 * `npm run bench`: runs every suite (or those named with --suite), prints each figure next to its
 * baseline measured in the same run, and writes bench/results/<timestamp>.json and latest.json.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, type Figure } from './lib.js'
import * as appeals from './suites/appeals.js'
import * as assessment from './suites/assessment.js'
import * as cases from './suites/cases.js'
import * as events from './suites/events.js'
import * as foundation from './suites/foundation.js'
import * as hall from './suites/hall.js'
import * as hallStream from './suites/hall-stream.js'
import * as ledger from './suites/ledger.js'

const SUITES: Record<string, { run(log: (line: string) => void): Promise<Figure[]> }> = {
  foundation,
  ledger,
  cases,
  events,
  appeals,
  assessment,
  hall,
  'hall-stream': hallStream,
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const wanted = args.flatMap((a, i) => (a === '--suite' && args[i + 1] ? [args[i + 1] as string] : []))
  const names = wanted.length ? wanted : Object.keys(SUITES)
  const unknown = names.filter((n) => !SUITES[n])
  if (unknown.length) {
    process.stderr.write(
      `unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`,
    )
    process.exit(2)
  }
  const figures: Figure[] = []
  for (const name of names) {
    process.stderr.write(`== ${name}\n`)
    figures.push(...(await SUITES[name]!.run((line) => process.stderr.write(`   ${line}\n`))))
  }
  const rows = figures.map((f) => [
    f.suite,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    `${fmt(f.baseline.value)} ${f.unit}`,
    f.baseline.name,
    `${fmt(f.ratio)}×`,
  ])
  const header = ['suite', 'figure', 'value', 'baseline', 'baseline is', 'value/baseline']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] as string)].length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ')
  process.stdout.write(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  )

  const result = {
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    figures,
  }
  const dir = path.join(ROOT, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${result.at.replace(/[:.]/g, '-')}.json`)
  fs.writeFileSync(file, JSON.stringify(result, null, 2))
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(result, null, 2))
  process.stdout.write(`\nresults: ${path.relative(ROOT, file)}\n`)
}

await main()
