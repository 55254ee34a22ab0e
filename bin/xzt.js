#!/usr/bin/env node
// Launcher of the `xzt` command: the compiled CLI when `npm run build` has run, else the TypeScript
// sources through tsx (so `npx xzt` works right after `npm ci`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const compiled = new URL('../dist/server/cli/run.js', import.meta.url)
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(new URL('../src/cli/run.ts', import.meta.url).href)
}
