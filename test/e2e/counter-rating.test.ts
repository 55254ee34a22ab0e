/**
 * 好差评 at the window in Chromium (fresh SQLite database seeded with the small demo province, serving
 * dist/web):
 *
 * - a clerk of the department that decided citizen.demo's finished residence permit opens its case page,
 *   presses 请群众评价, sees the QR code, and opens the rating page on the counter tablet (the clerk's
 *   own device, 1280 × 800); the citizen taps five stars and a tag and sends it, with nobody signed in
 *   as them;
 * - for a second finished case the citizen scans the QR code with their phone (390 × 844, touch, not
 *   signed in) and gives two stars: the thanks say who calls back, and by when; opening the link again
 *   says it was used.
 *
 * Every page is scanned for English words in the Chinese UI. Screenshots go to
 * test-artifacts/e2e/counter-*.png.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifacts, ensureWebBuilt, hasChromium, launchBrowser, login } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'
import { caseFinisher, type CaseFinisher } from '../support/cases.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, login as apiLogin } from '../support/http.js'
import type { CaseView } from '../../src/shared/api.js'

/** The department that decided a finished case: its last completed department step's. */
function handlingDepartment(timeline: CaseView['timeline']): { id: string; name: string } | null {
  const steps = timeline
    .filter((s) => s.departmentId && s.completedAt !== null)
    .sort((a, b) => a.completedAt! - b.completedAt! || (a.ledger?.index ?? 0) - (b.ledger?.index ?? 0))
  const last = steps.at(-1)
  return last ? { id: last.departmentId!, name: last.department ?? last.departmentId! } : null
}

describe.skipIf(!hasChromium)('好差评 at the window: the counter tablet and the QR code', () => {
  let app: TestApp
  let url: string
  let browser: Browser
  let citizen: string
  let admin: string
  let finisher: CaseFinisher
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    await ensureWebBuilt()
    app = await createTestApp('sqlite')
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    browser = await launchBrowser()
    citizen = await apiLogin(app, 'citizen.demo')
    admin = await apiLogin(app, 'admin')
    finisher = caseFinisher(app, 'webctr.desk', { citizen, admin })
  })
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined)
    await browser?.close()
    await app?.dispose()
  })

  async function open(
    options: Parameters<Browser['newContext']>[0],
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'zh-CN', ...options })
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text())
    })
    return { page, errors }
  }

  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.mouse.move(2, 2)
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(artifacts, `counter-${name}.png`), fullPage })
  }

  async function chineseOnly(page: Page, where: string): Promise<void> {
    expect(await asciiLeaks(page), where).toEqual([])
  }

  /** A window clerk of the department that decided `c`, created for the test. */
  async function clerkOf(c: CaseView, username: string): Promise<void> {
    const res = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: {
        username,
        password: 'test-password',
        name: '窗口测试员',
        departmentId: handlingDepartment(c.timeline)!.id,
        roles: ['clerk'],
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  }

  it(
    'the clerk hands the counter tablet to the citizen, who rates without signing in',
    { timeout: 240_000 },
    async () => {
      const finished = await finisher.finishedCase()
      await clerkOf(finished, 'counter.clerk')
      const { page, errors } = await open({ viewport: { width: 1280, height: 800 } })
      await login(page, url, 'counter.clerk', 'test-password')
      await page.goto(`${url}/cases/${finished.id}`)
      await page.getByTestId('counter-rating-invite').click()
      const modal = page.getByTestId('counter-rating-modal')
      await modal.waitFor()
      await page.getByTestId('counter-rating-qr').locator('canvas').waitFor()
      expect(await modal.innerText()).toContain('窗口人员无法代评')
      await chineseOnly(page, 'the invitation')
      await shot(page, '1-invite', false)

      await page.getByTestId('counter-rating-open-here').click()
      await page.waitForURL('**/rate/**')
      const form = page.getByTestId('case-rating-form')
      await form.waitFor()
      // Nothing of the staff UI, and nothing personal: the matter, its unit, when it finished.
      expect(await page.getByTestId('shell').count()).toBe(0)
      const matter = await page.getByTestId('counter-rating-matter').innerText()
      expect(matter).toContain(finished.matterName)
      expect(matter).toContain(handlingDepartment(finished.timeline)!.name)
      await chineseOnly(page, 'the counter rating page')
      await shot(page, '2-tablet-form')

      await page.locator('[data-testid="case-rating-score"] .ant-rate-star').nth(4).click()
      expect(await page.getByTestId('case-rating-word').innerText()).toBe('非常满意')
      await page.getByTestId('case-rating-tag-friendly').click()
      await page.getByTestId('case-rating-submit').click()
      const thanks = page.getByTestId('counter-rating-thanks')
      await thanks.waitFor()
      expect(await thanks.innerText()).toContain('请将平板交还窗口工作人员')
      await chineseOnly(page, 'the thanks')
      await shot(page, '3-tablet-thanks')

      const rating = (await api(app, 'GET', `/api/cases/${finished.id}/rating`, { token: citizen })).body
      expect(rating).toMatchObject({ score: 5, tags: ['friendly'], channel: 'counter' })
      // Handed back, the clerk returns to the desk.
      await page.getByTestId('counter-rating-back').click()
      await page.getByTestId('shell').waitFor()
      expect(errors).toEqual([])
    },
  )

  it(
    'the citizen scans the QR code with their phone and gives a bad rating',
    { timeout: 240_000 },
    async () => {
      const finished = await finisher.finishedCase()
      await clerkOf(finished, 'counter.clerk2')
      const clerk = await apiLogin(app, 'counter.clerk2', 'test-password')
      const invitation = (
        await api(app, 'POST', `/api/cases/${finished.id}/rating/invitations`, { token: clerk })
      ).body as { path: string }
      const { page, errors } = await open({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      })
      await page.goto(`${url}${invitation.path}`)
      const form = page.getByTestId('case-rating-form')
      await form.waitFor()
      await chineseOnly(page, 'the rating page on a phone')
      await shot(page, '4-phone-form', false)
      const stars = page.locator('[data-testid="case-rating-score"] .ant-rate-star')
      expect((await stars.nth(1).boundingBox())!.width, 'a star is a finger wide').toBeGreaterThanOrEqual(40)
      await stars.nth(1).tap()
      await page.getByTestId('case-rating-tag-long_wait').tap()
      await page.getByTestId('case-rating-submit').tap()
      const thanks = page.getByTestId('counter-rating-thanks')
      await thanks.waitFor()
      const text = await thanks.innerText()
      expect(text).toContain(handlingDepartment(finished.timeline)!.name)
      expect(text).toContain('回访并整改')
      await chineseOnly(page, 'the thanks for a bad rating')
      await shot(page, '5-phone-thanks')

      // The link works once.
      await page.reload()
      const closed = page.getByTestId('counter-rating-closed')
      await closed.waitFor()
      expect(await closed.getAttribute('data-state')).toBe('used')
      expect(await closed.innerText()).toContain('已经评价过了')
      await shot(page, '6-phone-used', false)
      expect(errors).toEqual([])
    },
  )
})
