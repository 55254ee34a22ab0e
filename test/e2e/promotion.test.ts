/**
 * Browser test of the organisation department's pages: orgdept.demo lands on 晋升指数, sees the
 * officials ranked with the parts and missing parts named and the policy versions in Chinese, enters
 * and corrects an official's 组织评价 (its revisions listed), and exports the Excel workbook; the
 * province administrator runs a what-if (模拟对比) under a draft of the promotion weights. Also on a
 * phone. A few citizen ratings of finished cases give officials a citizen-satisfaction part first.
 * Screenshots go to test-artifacts/e2e/promotion-*.png.

 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifacts, ensureWebBuilt, hasChromium, launchBrowser, login } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { caseFinisher } from '../support/cases.js'
import { api, login as apiLogin } from '../support/http.js'

describe.skipIf(!hasChromium)('promotion index and what-if in Chromium', () => {
  let app: TestApp
  let url: string
  let browser: Browser
  const contexts: BrowserContext[] = []
  /** An official with rated cases (citizen satisfaction), whom the organisation department evaluates. */
  let rated: { id: string; name: string }

  beforeAll(async () => {
    await ensureWebBuilt()
    app = await createTestApp('sqlite')
    const admin = await apiLogin(app, 'admin')
    const citizen = await apiLogin(app, 'citizen.demo')
    const finisher = caseFinisher(app, 't.promo', { citizen, admin })
    let decider = ''
    for (const score of [5, 4, 5]) {
      const c = await finisher.finishedCase()
      const res = await api(app, 'POST', `/api/cases/${c.id}/rating`, { token: citizen, body: { score } })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      decider = c.timeline.find((s) => s.node === 'police_review')!.departmentId!
    }
    const token = await finisher.desk(decider)
    const me = (await api(app, 'GET', '/api/auth/me', { token })).body as { id: string; name: string }
    rated = { id: me.id, name: me.name }
    // Three rated cases are a small sample under version 1 (ten facts at least): the province's data
    // administrator ranks from three on for this quarter (version 2), so the official is ranked.
    const published = await api(app, 'POST', '/api/policies/promotion/versions', {
      token: admin,
      body: {
        document: { weights: { reform: 1, organisation: 1, satisfaction: 1 }, minSample: 3 },
        effectiveAt: Date.now() + 2_000,
        note: '本季度起晋升排名最少样本三条',
      },
    })
    expect(published.status, JSON.stringify(published.body)).toBe(201)
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    browser = await launchBrowser()
  }, 180_000)
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined)
    await browser?.close()
    await app?.dispose()
  })
  const newContext = async (viewport: { width: number; height: number }) => {
    const c = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
    contexts.push(c)
    return c
  }
  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(artifacts, `promotion-${name}.png`), fullPage })

  it(
    'organisation department: ranking, 组织评价 entered and corrected, export',
    { timeout: 180_000 },
    async () => {
      const page = await (await newContext({ width: 1440, height: 900 })).newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      onTestFailed(() => shot(page, 'failed', true).then(() => undefined))

      // Lands on 晋升指数, in the menu too.
      expect(await login(page, url, 'orgdept.demo')).toBe('/promotion')
      await page.getByTestId('promotion-page').waitFor()
      await page.getByTestId('nav-promotion').waitFor()
      expect(await page.getByTestId('page-title').innerText()).toContain('晋升指数')

      // The policies named in Chinese; the rated official near the top, with the parts and what is missing.
      const policy = page.getByTestId('promotion-policy')
      await expect.poll(() => policy.innerText()).toContain('干部选拔任用指数权重 第 2 版')
      expect(await policy.innerText()).toContain('考核指标与权重 第 1 版')
      const ranked = page.getByTestId('promotion-ranked')
      const row = ranked.locator('tr', { hasText: rated.name })
      await row.first().waitFor()
      expect(await row.first().innerText()).toContain('缺组织评价')
      await page.getByTestId('promotion-chart').waitFor()
      expect(await asciiLeaks(page), 'the ranking').toEqual([])
      await page.locator('.ant-spin-blur').waitFor({ state: 'detached' })
      await shot(page, '1-ranking')

      // 组织评价: entered, then corrected; the period's latest revision listed with its ledger entry.
      await row.first().getByTestId('promotion-evaluate').click()
      const drawer = page.getByTestId('evaluation-drawer')
      await drawer.getByTestId('evaluation-history').waitFor()
      expect(await drawer.getByTestId('evaluation-history').innerText()).toContain('尚未录入组织评价')
      await drawer
        .locator('input[data-testid="evaluation-score"], [data-testid="evaluation-score"] input')
        .fill('88')
      await drawer.getByTestId('evaluation-comment').fill('年度考核优秀')
      await drawer.getByTestId('evaluation-submit').click()
      await drawer.getByTestId('evaluation-history').getByText('第 1 次').waitFor()
      await drawer
        .locator('input[data-testid="evaluation-score"], [data-testid="evaluation-score"] input')
        .fill('90')
      await drawer.getByTestId('evaluation-submit').click()
      await drawer.getByTestId('evaluation-history').getByText('第 2 次').waitFor()
      const history = await drawer.getByTestId('evaluation-history').innerText()
      // Each period's latest revision, its number telling how often it was corrected.
      expect(history).toContain('90')
      expect(history).not.toContain('88')
      expect(history).toContain('本期')
      // The index above is the row as the ranking reloads it after the correction: it follows.
      await expect.poll(() => drawer.innerText()).toContain('90.0')
      expect(await asciiLeaks(page), 'the evaluation drawer').toEqual([])
      await shot(page, '2-evaluation')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      await expect
        .poll(() => ranked.locator('tr', { hasText: rated.name }).first().innerText())
        .not.toContain('缺组织评价')

      // Excel export: the workbook of the ranking, named in Chinese.
      const download = page.waitForEvent('download')
      await page.getByTestId('promotion-export').click()
      const file = await download
      expect(file.suggestedFilename()).toMatch(/^考核结果-.*\.xlsx$/)
      expect(errors).toEqual([])

      // On a phone: the ranking as cards, nothing sideways.
      const small = await (await newContext({ width: 390, height: 844 })).newPage()
      await login(small, url, 'orgdept.demo')
      await small.getByTestId('promotion-ranked').getByText(rated.name).first().waitFor()
      expect(await asciiLeaks(small), 'the ranking on a phone').toEqual([])
      await shot(small, '3-phone-ranking', true)
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, 'nothing scrolls sideways').toBeLessThanOrEqual(0)
    },
  )

  it('administrator: a what-if under a draft of the promotion weights', { timeout: 180_000 }, async () => {
    const page = await (await newContext({ width: 1440, height: 900 })).newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    onTestFailed(() => shot(page, 'failed-what-if', true).then(() => undefined))
    await login(page, url, 'admin')

    // Reached from the policy page of the promotion weights.
    await page.goto(`${url}/policies/assessment.promotion`)
    await page.getByTestId('policy-what-if').click()
    await page.getByTestId('what-if-page').waitFor()
    expect(new URL(page.url()).searchParams.get('kind')).toBe('assessment.promotion')

    // A draft: the organisation evaluation weighs three times as much.
    await page.getByTestId('whatif-source').getByText('草案（在此修改）').click()
    await page.getByTestId('whatif-draft').waitFor()
    const weight = page.locator('#root_weights_organisation')
    await weight.waitFor()
    await weight.fill('3')
    await expect.poll(() => page.getByTestId('whatif-live-diff').getAttribute('data-changes')).toBe('1')
    expect(await asciiLeaks(page), 'the draft').toEqual([])

    await page.getByTestId('whatif-form-submit').click()
    const result = page.getByTestId('whatif-result')
    await result.waitFor()
    expect(await page.getByTestId('whatif-candidate-policy').innerText()).toContain('草案')
    expect(await page.getByTestId('whatif-current-policy').innerText()).toContain('第 2 版')
    expect(await page.getByTestId('whatif-rows').innerText()).toContain(rated.name)
    expect(await asciiLeaks(page), 'the comparison').toEqual([])
    await shot(page, '4-what-if', true)
    expect(errors).toEqual([])

    const small = await (await newContext({ width: 390, height: 844 })).newPage()
    await login(small, url, 'admin')
    await small.goto(`${url}/what-if?level=official&region=43&kind=assessment.promotion`)
    await small.getByTestId('what-if-page').waitFor()
    expect(await asciiLeaks(small), 'the what-if on a phone').toEqual([])
    await shot(small, '5-phone-what-if', true)
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, 'nothing scrolls sideways').toBeLessThanOrEqual(0)
  })
})
