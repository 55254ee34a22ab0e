/**
 * Browser test of the background-jobs page (后台任务): the province administrator finds it in the menu,
 * sees the demo's SLA timers waiting by status with Chinese kind names, and the page fits a phone.
 * Screenshots go to test-artifacts/e2e/jobs-*.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { artifacts, hasChromium, login, PASSWORD, useBrowserSession } from '../support/browser.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

describe.skipIf(!hasChromium)('background jobs in Chromium', () => {
  const session = useBrowserSession()

  /** citizen.demo applies for a residence permit, whose steps have SLA timers. */
  async function applyResidencePermit(): Promise<void> {
    const call = async (token: string | null, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${session.url}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      expect(res.status, `${method} ${url}`).toBeLessThan(300)
      return (await res.json()) as Record<string, unknown>
    }
    const { token } = (await call(null, 'POST', '/api/auth/login', {
      username: 'citizen.demo',
      password: PASSWORD,
    })) as { token: string }
    const prefill = (await call(token, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill')) as {
      data: Record<string, unknown>
    }
    await call(token, 'POST', '/api/cases', {
      matterCode: 'RESIDENCE_PERMIT',
      data: merge(prefill.data, typed(citizenDemo).RESIDENCE_PERMIT!),
      channel: 'online',
    })
  }

  it('administrator: jobs by status, on a desk and on a phone', { timeout: 120_000 }, async () => {
    await applyResidencePermit()
    for (const [name, viewport] of [
      ['desktop', { width: 1440, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const context = await session.newContext({ viewport, locale: 'zh-CN' })
      const page = await context.newPage()
      const pageErrors: string[] = []
      page.on('pageerror', (e) => pageErrors.push(e.message))
      await login(page, session.url, 'admin')
      await page.goto(`${session.url}/jobs`)
      await page.getByTestId('jobs-page').waitFor()
      await page.locator('[data-testid="job-status"]').first().waitFor()
      const statuses = await page.locator('[data-testid="job-status"]').allInnerTexts()
      expect(statuses.length).toBeGreaterThan(0)
      // Status names are Chinese, and so are the kinds.
      expect(statuses.every((s) => /[\u4e00-\u9fff]/.test(s))).toBe(true)
      expect(await page.getByTestId('jobs-page').innerText()).toContain('办件时限计时')
      // Nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(1)
      await page.screenshot({ path: path.join(artifacts, `jobs-${name}.png`), fullPage: true })
      expect(pageErrors).toEqual([])
      await context.close()
    }
  })
})
