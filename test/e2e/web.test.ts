/**
 * Browser end-to-end test of the web UI against the real server (fresh SQLite database seeded with
 * the small demo province, serving dist/web), driven with playwright-core and the system Chromium.
 * Screenshots go to test-artifacts/e2e/.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { artifacts, hasChromium, login, PASSWORD, useBrowserSession } from '../support/browser.js'

/** Waits until the breadcrumb shows `code` and the map has drawn its canvas. */
async function waitForRegion(page: Page, code: string): Promise<void> {
  await page.locator(`[data-testid="breadcrumb"][data-current="${code}"]`).waitFor()
  await page.locator('[data-testid="region-map"] canvas').first().waitFor()
  // Let ECharts finish its first animation before a screenshot.
  await page.waitForTimeout(700)
}

function tableRows(page: Page) {
  return page.locator('[data-testid="region-table"] tbody tr.ant-table-row')
}

describe.skipIf(!hasChromium)('web UI in Chromium', () => {
  const session = useBrowserSession()
  let context: BrowserContext

  it('admin: province map, drill into 星城市, language switch, logout', { timeout: 120_000 }, async () => {
    context = await session.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))

    await page.goto(`${session.url}/`)
    await page.waitForURL('**/login')
    await expect(page.getByText('星政通').first().isVisible()).resolves.toBe(true)
    await page.screenshot({ path: path.join(artifacts, '01-login.png') })

    // A wrong password is reported on the form.
    await page.getByTestId('login-username').fill('admin')
    await page.getByTestId('login-password').fill('not-the-password')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('login-error').waitFor()
    expect(await page.getByTestId('login-error').innerText()).toContain('用户名或密码错误')

    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    // Administrators land on their overview; the map is one click away.
    await page.waitForURL('**/overview')
    await page.getByTestId('overview-departments').waitFor()
    await page.getByTestId('nav-regions').click()
    await page.waitForURL('**/regions/43')
    await waitForRegion(page, '43')

    // The province: 14 cities on the map and in the table; admin sees the organisation entry.
    expect(await tableRows(page).count()).toBe(14)
    expect(await page.getByTestId('region-map').getAttribute('data-item-count')).toBe('14')
    expect(await page.getByTestId('breadcrumb').innerText()).toContain('潇湘省')
    await page.getByTestId('nav-regions').waitFor()
    await page.getByTestId('nav-org').waitFor()
    expect(await page.getByTestId('user-menu').innerText()).toMatch(/潇湘省/)
    await page.screenshot({ path: path.join(artifacts, '02-province.png') })

    // Drill down into 星城市 by clicking its table row.
    await page.locator('[data-testid="region-table"] tr[data-row-key="4301"] td').nth(2).click()
    await page.waitForURL('**/regions/4301')
    await waitForRegion(page, '4301')
    const crumb = await page.getByTestId('breadcrumb').innerText()
    expect(crumb).toContain('潇湘省')
    expect(crumb).toContain('星城市')
    const countyCodes = await tableRows(page).evaluateAll((rows) =>
      rows.map((r) => r.getAttribute('data-row-key')),
    )
    expect(countyCodes.length).toBeGreaterThan(0)
    for (const code of countyCodes) expect(code).toMatch(/^4301\d{2}$/)
    expect(await page.getByTestId('region-table').innerText()).toContain('县（区）')
    await page.screenshot({ path: path.join(artifacts, '03-city-4301.png') })

    // English, remembered across a reload; then back to Chinese.
    await page.getByTestId('lang-switch').click()
    await expect.poll(() => page.getByTestId('nav-regions').innerText()).toBe('Region map')
    expect(await page.getByTestId('region-table').innerText()).toContain('Population')
    expect(await page.evaluate(() => localStorage.getItem('xzt_lang'))).toBe('en')
    await page.reload()
    await waitForRegion(page, '4301')
    expect(await page.getByTestId('nav-regions').innerText()).toBe('Region map')
    await page.screenshot({ path: path.join(artifacts, '04-city-4301-en.png') })
    await page.getByTestId('lang-switch').click()
    await expect.poll(() => page.getByTestId('nav-regions').innerText()).toBe('区划地图')

    // Back up through the breadcrumb.
    await page.getByTestId('breadcrumb').getByText('潇湘省').click()
    await page.waitForURL('**/regions/43')
    await waitForRegion(page, '43')

    // The organisation page lists departments and staff.
    await page.getByTestId('nav-org').click()
    await page.waitForURL('**/org')
    await page.locator('[data-testid="staff-table"] tbody tr.ant-table-row').first().waitFor()
    await page.locator('[data-testid="dept-table"] tbody tr.ant-table-row').first().waitFor()
    await page.screenshot({ path: path.join(artifacts, '05-org.png') })

    // Logout ends the session.
    await page.getByTestId('logout').click()
    await page.waitForURL('**/login')
    await page.getByTestId('login-submit').waitFor()
    const status = await page.evaluate(async () => (await fetch('/api/auth/me')).status)
    expect(status).toBe(401)

    expect(pageErrors).toEqual([])
    await context.close()
  })

  it('citizen: no organisation entry, own profile', { timeout: 120_000 }, async () => {
    context = await session.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    // Citizens land on the service hall; their region map starts at the province.
    expect(await login(page, session.url, 'citizen.demo')).toBe('/services')
    await page.getByTestId('nav-regions').click()
    await page.waitForURL('**/regions/43')
    await waitForRegion(page, '43')
    await page.getByTestId('nav-me').waitFor()
    expect(await page.getByTestId('nav-org').count()).toBe(0)
    expect(await page.locator('.ant-menu').innerText()).not.toContain('组织机构')

    await page.getByTestId('nav-me').click()
    await page.waitForURL('**/me')
    await page.getByTestId('me-card').waitFor()
    expect(await page.getByTestId('me-card').innerText()).toContain('citizen.demo')
    await page.mouse.move(800, 600)
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(artifacts, '06-citizen-me.png') })

    // Typing the organisation URL directly is refused by the UI too.
    await page.goto(`${session.url}/org`)
    await page.locator('.ant-result-403').waitFor()
    await context.close()
  })
})
