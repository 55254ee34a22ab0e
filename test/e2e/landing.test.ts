/**
 * Browser test of what a newcomer meets first (issue 9 §5), in a Chromium whose zone is UTC:
 * - every README account lands on its own home (citizens: 办事大厅, staff: 工作台, hotline operators: the
 *   12345 fast entry, auditors: the audit console, administrators: the overview) and sees only the menu
 *   entries its permissions allow;
 * - times show in Beijing time although the browser is in UTC;
 * - on a 390 px phone the menu is a drawer, nothing is clipped or squeezed to "…", and the page never
 *   scrolls sideways (who looked at my data is a list of cards); on a desk the sidebar runs the whole
 *   height of a long page.
 *
 * Screenshots go to test-artifacts/e2e/landing-*.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { artifacts, hasChromium, login, PASSWORD, useBrowserSession } from '../support/browser.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import { timeFormatters } from '../../src/web/time.js'

/** Account → the path it lands on, the test id that page shows, and the menu it gets (in order). */
const LANDINGS: [string, string, string, string[]][] = [
  ['citizen.demo', '/services', 'services-page', ['services', 'cases', 'my-appeals', 'regions', 'me']],
  [
    'clerk.demo',
    '/workbench',
    'workbench-page',
    ['workbench', 'hotline', 'appeal-desk', 'window', 'services', 'regions', 'scorecards', 'policies'],
  ],
  [
    'hotline.demo',
    '/hotline',
    'hotline-page',
    ['workbench', 'hotline', 'appeal-desk', 'window', 'services', 'regions', 'scorecards', 'policies'],
  ],
  [
    'official.demo',
    '/workbench',
    'workbench-page',
    ['workbench', 'appeal-desk', 'appeal-reviews', 'regions', 'scorecards', 'policies'],
  ],
  [
    'supervisor.demo',
    '/workbench',
    'workbench-page',
    ['workbench', 'appeal-desk', 'appeal-reviews', 'regions', 'org', 'scorecards', 'policies'],
  ],
  [
    'admin',
    '/overview',
    'overview-page',
    [
      'overview',
      'appeal-desk',
      'appeal-reviews',
      'desk',
      'regions',
      'org',
      'access-review',
      'audit',
      'jobs',
      'open311-keys',
      'scorecards',
      'policies',
    ],
  ],
  [
    'admin.4301',
    '/overview',
    'overview-page',
    [
      'overview',
      'appeal-desk',
      'appeal-reviews',
      'desk',
      'regions',
      'org',
      'access-review',
      'audit',
      'jobs',
      'open311-keys',
      'scorecards',
      'policies',
    ],
  ],
  [
    'auditor',
    '/audit',
    'audit-page',
    [
      'appeal-desk',
      'appeal-reviews',
      'desk',
      'regions',
      'org',
      'access-review',
      'audit',
      'scorecards',
      'policies',
    ],
  ],
  [
    'leader.4301',
    '/desk',
    'desk-page',
    ['appeal-desk', 'appeal-reviews', 'desk', 'regions', 'org', 'access-review', 'scorecards', 'policies'],
  ],
]

const PHONE = { width: 390, height: 844 }

/** How far the page scrolls sideways (0: it fits the screen). */
function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

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

  it(
    'on a 390 px phone: a menu drawer, nothing clipped, no sideways scrolling',
    { timeout: 180_000 },
    async () => {
      // citizen.demo has a case the window clerk opened for their task: one look in their list.
      const citizen = await token('citizen.demo')
      const demo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
        .value![0]!
      const prefill = await call(citizen, 'GET', '/api/matters/BIZ_STARTUP/prefill')
      const created = await call(citizen, 'POST', '/api/cases', {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.data, typed(demo).BIZ_STARTUP!),
        channel: 'online',
      })
      await call(await token('clerk.demo'), 'GET', `/api/cases/${created.id}`)

      const context = await session.newContext({
        viewport: PHONE,
        locale: 'zh-CN',
        timezoneId: 'UTC',
        isMobile: true,
        hasTouch: true,
      })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      expect(await login(page, session.url, 'citizen.demo')).toBe('/services')

      // The service hall: no sidebar taking the width; each 在线申办 is whole and on screen.
      await page.getByTestId('matter-card-BIZ_STARTUP').waitFor()
      expect(await page.locator('.xzt-sider').count()).toBe(0)
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      const apply = page.getByTestId('apply-BIZ_STARTUP')
      const box = (await apply.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
      expect(await apply.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
      expect(await apply.innerText()).toContain('在线申办')
      await page.screenshot({ path: path.join(artifacts, 'landing-phone-01-services.png') })

      // The menu opens as a drawer and navigates.
      await page.getByTestId('nav-open').click()
      await page.getByTestId('nav-regions').click()
      await page.waitForURL('**/regions/43')
      await page.getByTestId('nav-drawer').waitFor({ state: 'hidden' })
      await page.goto(`${session.url}/regions/4301`)
      await page.locator('[data-testid="breadcrumb"][data-current="4301"]').waitFor()
      // 总人口 shows its figure, not "…".
      const population = page.locator('.xzt-stat-card', { hasText: '总人口' })
      await expect.poll(() => population.innerText()).toMatch(/\d{1,3}(,\d{3})+/)
      expect(
        await population.locator('.ant-statistic-content').evaluate((el) => el.scrollWidth <= el.clientWidth),
      ).toBe(true)
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await page.waitForTimeout(600)
      await page.screenshot({ path: path.join(artifacts, 'landing-phone-02-region.png') })

      // Who looked at my data: cards, no table to scroll sideways.
      await page.goto(`${session.url}/cases/data-access`)
      await page.locator('[data-testid="access-row"]').first().waitFor()
      expect(await page.locator('[data-testid="access-table"] table').count()).toBe(0)
      expect(await page.getByTestId('access-table').innerText()).toContain('张雪霞')
      expect(await sideways(page)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: path.join(artifacts, 'landing-phone-03-data-access.png') })

      // The case page and the apply form fit too.
      for (const url of [`/cases/${created.id}`, '/services/BIZ_STARTUP/apply', '/cases']) {
        await page.goto(`${session.url}${url}`)
        await page.getByTestId('shell').waitFor()
        await page.waitForTimeout(800)
        expect(await sideways(page), url).toBeLessThanOrEqual(0)
      }
      expect(errors).toEqual([])
      await context.close()
    },
  )

  it('on a desk the sidebar runs the whole height of a long page', { timeout: 120_000 }, async () => {
    const context = await session.newContext({ viewport: { width: 1440, height: 800 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await login(page, session.url, 'citizen.demo')
    await page.goto(`${session.url}/services/BIZ_STARTUP/apply`)
    await page.locator('[data-testid="apply-form"] form').waitFor()
    const { sider, pageHeight } = await page.evaluate(() => ({
      sider: document.querySelector('.xzt-sider')!.getBoundingClientRect().height,
      pageHeight: document.documentElement.scrollHeight,
    }))
    expect(pageHeight).toBeGreaterThan(2000)
    expect(sider).toBeGreaterThanOrEqual(pageHeight - 1)
    // Scrolled to the bottom, the menu is still in view.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await page.waitForTimeout(300)
    const nav = (await page.getByTestId('nav-services').boundingBox())!
    expect(nav.y).toBeGreaterThanOrEqual(0)
    expect(nav.y).toBeLessThan(800)
    await page.screenshot({ path: path.join(artifacts, 'landing-desk-long-page.png'), fullPage: true })
    await context.close()
  })
})
