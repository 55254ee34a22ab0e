/**
 * No English in the Chinese UI (issue 9 §5): every page each demo role opens, with data on it (a case
 * in progress, a flagged look, a full audit, ledger entries), is scanned for words of Latin letters in
 * its visible text (`test/support/ascii-scan.ts` says what is allowed: identifiers, codes, acronyms,
 * what people typed). Screenshots of the pages with findings go to test-artifacts/e2e/zh-*.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { artifacts, hasChromium, login, PASSWORD, useBrowserSession } from '../support/browser.js'
import { asciiLeaks, type AsciiLeak } from '../support/ascii-scan.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'

/** Proper names of file formats, written as their owners write them. */
const ALLOWED = ['WebP']

describe.skipIf(!hasChromium)('the Chinese UI has no English words', () => {
  const session = useBrowserSession()

  async function token(username: string): Promise<string> {
    const res = await fetch(`${session.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
    return ((await res.json()) as { token: string }).token
  }

  async function call(tok: string, method: string, url: string, body?: unknown): Promise<any> {
    const res = await fetch(`${session.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${tok}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    expect(res.status, `${method} ${url}`).toBeLessThan(300)
    return res.json()
  }

  /** Opens `url`, lets it render, and returns what it leaks (a screenshot when it leaks). */
  async function scan(page: Page, url: string, name: string, ready?: string): Promise<AsciiLeak[]> {
    if (url) await page.goto(`${session.url}${url}`)
    await page.getByTestId('shell').waitFor()
    if (ready) await page.locator(ready).first().waitFor()
    await page.waitForTimeout(800)
    const leaks = await asciiLeaks(page, ALLOWED)
    if (leaks.length > 0)
      await page.screenshot({ path: path.join(artifacts, `zh-${name}.png`), fullPage: true })
    return leaks.map((l) => ({ ...l, text: `${name}: ${l.text}` }))
  }

  it(
    'on every role’s pages, with a case, a flagged look and a full audit',
    { timeout: 300_000 },
    async () => {
      // A case in progress: citizen.demo applied, the clerk accepted it, the market official opened it,
      // and the supervisor looked without a task (a flag).
      const citizen = await token('citizen.demo')
      const demo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
        .value![0]!
      const prefill = await call(citizen, 'GET', '/api/matters/BIZ_STARTUP/prefill')
      const created = await call(citizen, 'POST', '/api/cases', {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.data, typed(demo).BIZ_STARTUP!),
        channel: 'online',
      })
      const clerk = await token('clerk.demo')
      const accept = ((await call(clerk, 'GET', '/api/tasks')) as { id: string; caseId: string }[]).find(
        (t) => t.caseId === created.id,
      )!
      await call(clerk, 'POST', `/api/tasks/${accept.id}/complete`, {
        outcome: 'approve',
        comment: '材料齐全',
      })
      const market = await token('market.demo')
      const marketTask = ((await call(market, 'GET', '/api/tasks')) as { id: string; caseId: string }[]).find(
        (t) => t.caseId === created.id,
      )!
      await call(market, 'GET', `/api/cases/${created.id}`)
      // A look without a task on the case (a leader overseeing the city): flagged.
      const leader = await token('leader.4301')
      await call(leader, 'GET', `/api/cases/${created.id}`)
      // And a window look-up of citizen.demo.
      await call(clerk, 'GET', `/api/citizens?query=${demo.idNumber}`)

      const plan: [string, [string, string, string?][]][] = [
        [
          'citizen.demo',
          [
            ['/services', 'citizen-services', '[data-testid="matter-card-BIZ_STARTUP"]'],
            ['/services/BIZ_STARTUP', 'citizen-matter'],
            ['/services/BIZ_STARTUP/apply', 'citizen-apply', '[data-testid="apply-form"] form'],
            ['/cases', 'citizen-cases', `[data-testid="case-row-${created.id}"]`],
            [`/cases/${created.id}`, 'citizen-case', '[data-testid="case-timeline"]'],
            ['/cases/data-access', 'citizen-data-access', '[data-testid="access-row"]'],
            ['/me', 'citizen-me', '[data-testid="me-card"]'],
            ['/regions/4301', 'citizen-region', '[data-testid="region-map"] canvas'],
          ],
        ],
        [
          'clerk.demo',
          [
            ['/workbench', 'clerk-workbench'],
            ['/window/TAX_REFUND', 'clerk-window', '[data-testid="window-form"] form'],
          ],
        ],
        [
          'market.demo',
          [
            ['/workbench', 'market-workbench', `[data-row-key="${marketTask.id}"]`],
            [`/workbench/${marketTask.id}`, 'market-task', '[data-testid="task-data"]'],
          ],
        ],
        [
          'supervisor.demo',
          [
            ['/workbench?tab=flagged', 'supervisor-flagged'],
            ['/org', 'supervisor-org', '[data-testid="staff-table"] tbody tr.ant-table-row'],
          ],
        ],
        // The leader's own look, flagged, on the region's list.
        ['leader.4301', [['/access-review', 'leader-access-review', '[data-testid="flag-row"]']]],
        [
          'admin',
          [
            ['/overview', 'admin-overview', '[data-testid="overview-event"]'],
            ['/org', 'admin-org', '[data-testid="staff-table"] tbody tr.ant-table-row'],
            ['/access-review', 'admin-access-review', '[data-testid="flag-row"]'],
          ],
        ],
      ]

      const leaks: AsciiLeak[] = []
      for (const [username, pages] of plan) {
        const context = await session.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })
        const page = await context.newPage()
        await login(page, session.url, username)
        for (const [url, name, ready] of pages) leaks.push(...(await scan(page, url, name, ready)))
        await context.close()
      }

      // The auditor's console: the log table, a log's entries, a looked-up entry and the full audit.
      const context = await session.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })
      const page = await context.newPage()
      await login(page, session.url, 'auditor')
      leaks.push(...(await scan(page, '/audit', 'auditor-console', '[data-testid="audit-page"]')))
      await page.getByTestId('log-entries-4301').click()
      await page.locator('[data-testid="entries-table"] tbody tr.ant-table-row').first().waitFor()
      leaks.push(...(await scan(page, '', 'auditor-entries')))
      await page.keyboard.press('Escape')
      await page.goto(`${session.url}/audit?log=4301&index=0`)
      await page.locator('[data-testid="lookup-result"]').waitFor()
      leaks.push(...(await scan(page, '', 'auditor-lookup')))
      await page.getByTestId('audit-run').first().click()
      await page.getByTestId('audit-replay').waitFor({ timeout: 120_000 })
      leaks.push(...(await scan(page, '', 'auditor-full-audit')))
      await context.close()

      expect(leaks).toEqual([])
    },
  )
})
