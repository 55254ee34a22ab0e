/**
 * Shared set-up of the browser tests: Debian's Chromium driven by playwright-core with the flags this
 * machine needs, the built web UI, demo logins and the screenshot folder.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startTestServer } from './server.js'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
/** Screenshots of key pages, kept as test artifacts. */
export const artifacts = path.join(repoRoot, 'test-artifacts/e2e')
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Browser tests skip without Chromium, except in CI, where that is an error. */
export const hasChromium = fs.existsSync(chromiumPath)
if (!hasChromium && process.env.CI)
  throw new Error(`CI needs Chromium at ${chromiumPath} for the browser tests`)

export const PASSWORD = 'xzt-demo'

/** Builds dist/web when missing (`npm test` builds first; this makes a browser test runnable alone). */
export async function ensureWebBuilt(): Promise<void> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/web/index.html'))) {
    const { build } = await import('vite')
    await build({ configFile: path.join(repoRoot, 'src/web/vite.config.ts'), logLevel: 'warn' })
  }
  fs.mkdirSync(artifacts, { recursive: true })
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * Logs in through the login page and waits for the user's home page (each role has its own: see
 * `homePath` in src/web/access.ts) with its navigation. @returns the home page's path
 */
export async function login(
  page: Page,
  baseUrl: string,
  username: string,
  password = PASSWORD,
): Promise<string> {
  await page.goto(`${baseUrl}/`)
  await page.waitForURL('**/login')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => url.pathname !== '/login' && url.pathname !== '/')
  await page.getByTestId('shell').waitFor()
  return new URL(page.url()).pathname
}

/** A seeded server and a Chromium for one describe block (see {@link useBrowserSession}). */
export interface BrowserSession {
  /** The server's base URL. */
  readonly url: string
  /** A new browser context, closed with the session if the test has not closed it. */
  newContext(options: BrowserContextOptions): Promise<BrowserContext>
}

/**
 * Starts a server on a fresh seeded database and launches Chromium before the describe block's tests,
 * and closes both (with every context opened through it) after them. Call it in the describe body.
 */
export function useBrowserSession(): BrowserSession {
  let server: { url: string; close(): Promise<void> } | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    await ensureWebBuilt()
    server = await startTestServer({ seed: true })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
  })
  return {
    get url(): string {
      if (!server) throw new Error('the browser session starts in beforeAll')
      return server.url
    },
    async newContext(options) {
      if (!browser) throw new Error('the browser session starts in beforeAll')
      const context = await browser.newContext(options)
      contexts.push(context)
      return context
    },
  }
}
