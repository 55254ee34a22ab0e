/**
 * Browser test of what a newcomer meets first (issue 9 §5), in a Chromium whose zone is UTC:
 * - every README account lands on its own home (citizens: 办事大厅, staff: 工作台, auditors: the audit
 *   console, administrators: the overview) and sees only the menu entries its permissions allow;
 * - times show in Beijing time although the browser is in UTC.
 *
 * Screenshots go to test-artifacts/e2e/landing-*.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { artifacts, hasChromium, login, useBrowserSession } from '../support/browser.js'
import { timeFormatters } from '../../src/web/time.js'

/** Account → the path it lands on, the test id that page shows, and the menu it gets (in order). */
const LANDINGS: [string, string, string, string[]][] = [
  ['citizen.demo', '/services', 'services-page', ['services', 'cases', 'regions', 'me']],
  ['clerk.demo', '/workbench', 'workbench-page', ['workbench', 'window', 'services', 'regions']],
  ['official.demo', '/workbench', 'workbench-page', ['workbench', 'regions']],
  ['supervisor.demo', '/workbench', 'workbench-page', ['workbench', 'regions', 'org']],
  ['admin', '/overview', 'overview-page', ['overview', 'regions', 'org', 'access-review', 'audit']],
  ['admin.4301', '/overview', 'overview-page', ['overview', 'regions', 'org', 'access-review', 'audit']],
  ['auditor', '/audit', 'audit-page', ['regions', 'org', 'access-review', 'audit']],
  ['leader.4301', '/regions/4301', 'region-map', ['regions', 'org']],
]

async function menuKeys(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="nav-"]').evaluateAll((els) =>
    els
      .map((e) => e.getAttribute('data-testid') ?? '')
      .filter((id) => id !== 'nav-flagged-badge')
      .map((id) => id.slice('nav-'.length)),
  )
}

describe.skipIf(!hasChromium)('landing pages and Beijing time in Chromium', () => {
  const session = useBrowserSession()

  it.each(LANDINGS)(
    '%s lands on %s with only the menu it may use',
    { timeout: 120_000 },
    async (username, home, testId, menu) => {
      const context = await session.newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'zh-CN',
        timezoneId: 'UTC',
      })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      expect(await login(page, session.url, username)).toBe(home)
      await page.getByTestId(testId).first().waitFor()
      expect(await menuKeys(page)).toEqual(menu)
      await page.waitForTimeout(400)
      await page.screenshot({ path: path.join(artifacts, `landing-${username}.png`) })
      // The logo leads home too.
      await page.goto(`${session.url}/me`)
      await page.locator('.xzt-brand').click()
      await page.waitForURL(`**${home}`)
      expect(errors).toEqual([])
      await context.close()
    },
  )

  it('shows Beijing time in a browser set to UTC', { timeout: 120_000 }, async () => {
    const context = await session.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'UTC',
    })
    const page = await context.newPage()
    await login(page, session.url, 'admin')
    expect(await page.evaluate(() => new Date().getTimezoneOffset())).toBe(0)
    // The test server signs checkpoints on demand (no background tick): ask for two.
    for (const log of ['43', '4301'])
      expect((await fetch(`${session.url}/api/ledger/${log}/checkpoint`)).status).toBe(200)
    const logs = (await (await fetch(`${session.url}/api/ledger/logs`)).json()) as {
      checkpoint: { time: number } | null
    }[]
    const latest = Math.max(...logs.map((l) => l.checkpoint?.time ?? 0))
    await page.reload()
    const beijing = timeFormatters('zh-CN').dateTime(latest)
    const utc = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(latest)
    expect(beijing).not.toBe(utc)
    await expect.poll(() => page.getByTestId('overview-checkpoint').innerText()).toContain(beijing)

    // The audit console's log table and checkpoint card too.
    await page.goto(`${session.url}/audit`)
    await page.getByTestId('audit-page').waitFor()
    await expect.poll(() => page.getByTestId('audit-page').innerText()).toContain(beijing)
    expect(await page.getByTestId('audit-page').innerText()).not.toContain(utc)
    await context.close()
  })
})
