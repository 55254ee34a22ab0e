/**
 * The demo service catalogue (事项) of 潇湘省: one folder per matter with `matter.json`,
 * `form.schema.json` and `process.bpmn` (BPMN 2.0 with the `xzt:` extension), plus
 * `matter.v<N>.json` / `process.v<N>.bpmn` for older versions kept for comparison.
 *
 * The files are data, not code: `tsc` does not copy them to `dist/`, so the loader looks for them next
 * to this module first (tsx, tests) and then under the package's `src/` (the compiled server).
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PACKAGE_ROOT } from '../../../paths.js'
import { parseMatterDefinition, type MatterDefinition } from '../catalog.model.js'
import type { FormSchema } from '../forms.model.js'

/** One version of a matter: its definition and its process. */
export interface DemoMatterVersion {
  version: number
  matter: MatterDefinition
  /** BPMN 2.0 XML. */
  processXml: string
  /** File name of the process inside the matter folder, e.g. `process.v1.bpmn`. */
  processFile: string
}

/** A matter of the demo catalogue: the current version, its form, and every version (oldest first). */
export interface DemoMatter {
  matter: MatterDefinition
  formSchema: FormSchema
  processXml: string
  /** All versions, ascending; the last one is the current (`matter`, `processXml`). */
  versions: DemoMatterVersion[]
}

/** Where the catalogue folders are, relative to the package root. */
export const DEMO_CATALOGUE_SOURCE_DIR = path.join('src', 'server', 'modules', 'catalog', 'demo')

function hasMatters(dir: string): boolean {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .some((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'matter.json')))
  } catch {
    return false
  }
}

/**
 * The catalogue folder for a module living in `moduleDir`: `moduleDir` itself when it holds matter
 * folders (running from `src/`), otherwise `<packageRoot>/src/server/modules/catalog/demo` (running
 * from `dist/server/…`).
 * @throws Error when neither holds a catalogue
 */
export function resolveDemoCatalogueDir(moduleDir: string, packageRoot: string = PACKAGE_ROOT): string {
  if (hasMatters(moduleDir)) return moduleDir
  const fallback = path.join(packageRoot, DEMO_CATALOGUE_SOURCE_DIR)
  if (hasMatters(fallback)) return fallback
  throw new Error(`demo catalogue not found in ${moduleDir} nor in ${fallback}`)
}

/** The catalogue folder of this installation. */
export function demoCatalogueDir(): string {
  return resolveDemoCatalogueDir(path.dirname(fileURLToPath(import.meta.url)))
}

const VERSIONED = /^matter\.v(\d+)\.json$/

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`)
  }
}

function readProcess(dir: string, file: string, matter: MatterDefinition): string {
  const full = path.join(dir, file)
  if (!fs.existsSync(full)) throw new Error(`${full} is missing`)
  const xml = fs.readFileSync(full, 'utf8')
  // A cheap cross-check; the workflow engine parses and validates the process at deploy time.
  const process = /<bpmn:process\b[^>]*>/.exec(xml)?.[0] ?? ''
  const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(process)?.[1]
  if (attr('xzt:matter') !== matter.code || attr('xzt:version') !== String(matter.version))
    throw new Error(`${full}: xzt:matter/xzt:version do not match ${matter.code} version ${matter.version}`)
  return xml
}

/** Loads one matter folder. */
export function loadDemoMatter(dir: string): DemoMatter {
  const code = path.basename(dir)
  const currentFile = path.join(dir, 'matter.json')
  const current = parseMatterDefinition(readJson(currentFile), currentFile)
  if (current.code !== code)
    throw new Error(`${currentFile}: code ${current.code} does not match its folder ${code}`)
  const versions: DemoMatterVersion[] = []
  for (const name of fs.readdirSync(dir).sort()) {
    const m = VERSIONED.exec(name)
    if (!m) continue
    const file = path.join(dir, name)
    const matter = parseMatterDefinition(readJson(file), file)
    if (matter.code !== code || matter.version !== Number(m[1]))
      throw new Error(`${file}: code/version do not match the file name`)
    const processFile = `process.v${matter.version}.bpmn`
    versions.push({
      version: matter.version,
      matter,
      processXml: readProcess(dir, processFile, matter),
      processFile,
    })
  }
  versions.sort((a, b) => a.version - b.version)
  const latestOld = versions.at(-1)
  if (latestOld && latestOld.version >= current.version)
    throw new Error(`${currentFile}: version ${current.version} must be newer than ${latestOld.processFile}`)
  const processXml = readProcess(dir, 'process.bpmn', current)
  versions.push({ version: current.version, matter: current, processXml, processFile: 'process.bpmn' })
  const formFile = path.join(dir, 'form.schema.json')
  const formSchema = readJson(formFile)
  if (typeof formSchema !== 'object' || formSchema === null || (formSchema as FormSchema).type !== 'object')
    throw new Error(`${formFile}: the form must be a JSON Schema of type object`)
  return { matter: current, formSchema: formSchema as FormSchema, processXml, versions }
}

/**
 * Reads every matter of the demo catalogue, in code order. Synchronous and uncached (a few dozen
 * small files); each call returns fresh objects.
 * @param dir the catalogue folder (default: {@link demoCatalogueDir})
 */
export function loadDemoCatalogue(dir: string = demoCatalogueDir()): DemoMatter[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'matter.json')))
    .map((e) => e.name)
    .sort()
    .map((name) => loadDemoMatter(path.join(dir, name)))
}
