/**
 * Locations inside the installed package, found from this file whether it runs from src/ (tsx, tests)
 * or from the compiled dist/server/.
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(start: string): string {
  let dir = start
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`package.json not found above ${start}`)
    dir = parent
  }
}

/** The repository / package root (where package.json is). */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)))

/** Where `npm run build:web` puts the web UI. */
export const WEB_DIST = path.join(PACKAGE_ROOT, 'dist', 'web')
