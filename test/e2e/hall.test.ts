/**
 * Browser test of the command hall (数据指挥大厅, `/hall`) and the leaders' desk (领导驾驶舱, `/desk`):
 * the province administrator watches the large screen at 1920×1080 while citizen.demo submits cases
 * through the API (the ticker moves, the figures follow), drills the heatmap province → city → county
 * → street along citizen.demo's street and back, and opens the list behind a region; the city leader
 * lands on their city; the county leader's desk shows the county only, on a desktop and on a phone.
 * Screenshots go to test-artifacts/e2e/hall-*.png.
 *
 * Some of the hall's routes (kpis, topics, response, officials, drill, ticker, stream) come with the
 * hall's read helpers: where a route does not answer yet, the test checks that its panel says 暂无数据
 * instead of failing, and checks the figures once it answers (`answers` below), so the test means
 * something both before and after those routes are merged.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifacts, ensureWebBuilt, hasChromium, launchBrowser, login } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, login as apiLogin } from '../support/http.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

describe.skipIf(!hasChromium)('command hall and leaders’ desk in Chromium', () => {
  let app: TestApp
  let url: string
  let browser: Browser
  const contexts: BrowserContext[] = []
  let admin: string
  let citizen: string
  /** citizen.demo's street: where the submissions land, and the drill's path. */
  let street: string
  /** Which of the hall's routes answer in this build (see the file's comment). */
  const answers: Record<string, boolean> = {}

  /** Submits one case of citizen.demo and folds the ledger into the rollups. */
  const submitCase = async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'RESIDENCE_PERMIT',
        data: merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!),
        channel: 'online',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    await app.services.eventConsumers.drain()
  }

  beforeAll(async () => {
    await ensureWebBuilt()
    app = await createTestApp('sqlite')
    admin = await apiLogin(app, 'admin')
    citizen = await apiLogin(app, 'citizen.demo')
    street = ((await api(app, 'GET', '/api/auth/me', { token: citizen })).body as { regionCode: string })
      .regionCode
    await submitCase()
    const period = 'from=0'
    for (const [name, route] of Object.entries({
      kpis: `/api/analytics/kpis?region=43&${period}`,
      topics: `/api/analytics/topics?region=43&grain=d&${period}`,
      response: `/api/analytics/response?region=43&by=region&${period}`,
      drill: `/api/analytics/drill?region=43&kind=cases&${period}`,
      ticker: '/api/analytics/ticker?region=43',
    })) {
      answers[name] = (await api(app, 'GET', route, { token: admin })).status === 200
    }
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    // The event stream never ends: its answer's head is enough.
    const abort = new AbortController()
    const stream = await fetch(`${url}/api/analytics/stream`, {
      headers: { authorization: `Bearer ${admin}` },
      signal: abort.signal,
    })
    answers.stream = stream.status === 200
    abort.abort()
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
    page.screenshot({ path: path.join(artifacts, `hall-${name}.png`), fullPage })
  const current = (page: Page) => page.getByTestId('hall-crumb-current').getAttribute('data-code')
  /** Drills into the child region `code` through its row of the heatmap's ranking. */
  const drillTo = async (page: Page, code: string) => {
    await page
      .locator(`[data-testid="heatmap-region"][data-code="${code}"] [data-testid="heatmap-drill"]`)
      .click()
    await expect.poll(() => current(page)).toBe(code)
    await page.getByTestId('heatmap-map').waitFor()
  }

  it('GET /hall serves the large-screen page', async () => {
    const res = await fetch(`${url}/hall`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
  })

  it(
    'administrator: the large screen, live, drilled province → street and back, a list behind a region',
    { timeout: 240_000 },
    async () => {
      const page = await (await newContext({ width: 1920, height: 1080 })).newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      onTestFailed(() => shot(page, 'failed', true).then(() => undefined))
      await login(page, url, 'admin')
      await page.goto(`${url}/hall`)
      await page.getByTestId('hall-page').waitFor()
      // Full-bleed: no side menu, no shell.
      expect(await page.getByTestId('shell').count()).toBe(0)
      expect(await page.getByTestId('page-title').innerText()).toContain('数据指挥大厅')
      await expect.poll(() => current(page)).toBe('43')
      await page.getByTestId('heatmap-map').waitFor()
      const city = street.slice(0, 4)
      const cityRow = page.locator(`[data-testid="heatmap-region"][data-code="${city}"]`)
      await cityRow.waitFor()

      // Cases keep coming while the leader watches: the ticker moves (once the ticker and stream routes
      // are there) and the figures refetch.
      const ticker = page.getByTestId('hall-ticker')
      /** The ledger entries the ticker lists (it keeps the latest few dozen, so new ones push old ones out). */
      const entries = () =>
        page.getByTestId('ticker-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-entry')))
      const before = new Set(await entries())
      /** The city's count in the heatmap's ranking (`办件 N 件`). */
      const cityCount = async () =>
        Number(/办件 ([\d,]+) 件/.exec(await cityRow.innerText())?.[1]?.replace(/,/g, ''))
      const counted = await cityCount()
      expect(counted).toBeGreaterThanOrEqual(1)
      for (let i = 0; i < 3; i++) await submitCase()
      if (answers.stream) {
        await expect
          .poll(async () => (await entries()).filter((e) => !before.has(e)).length, { timeout: 20_000 })
          .toBeGreaterThanOrEqual(3)
        expect(await ticker.innerText()).toContain('办件')
        await expect.poll(() => page.getByTestId('ticker-live').getAttribute('data-live')).toBe('true')
        // The figures followed the events: the city counts the three new submissions.
        await expect.poll(cityCount, { timeout: 20_000 }).toBe(counted + 3)
      } else if (answers.ticker) {
        // Filled from the ticker route (the submission before the page opened), not followed.
        await page.getByTestId('ticker-item').first().waitFor()
      } else {
        await ticker.getByTestId('hall-ticker-empty').waitFor()
      }
      for (const [panel, route] of [
        ['hall-kpis', 'kpis'],
        ['hall-topics', 'topics'],
        ['hall-response', 'response'],
      ] as const) {
        const el = page.getByTestId(panel)
        if (answers[route]) await expect.poll(() => el.getAttribute('data-state')).toBe('ready')
        else await el.getByTestId(`${panel}-empty`).waitFor()
      }
      if (answers.kpis) {
        expect(await page.getByTestId('kpi-efficiency').innerText()).toMatch(/治理效率/)
        await page.getByTestId('kpi-efficiency').hover()
        await page.getByTestId('kpi-definition').waitFor()
      }
      await page.getByTestId('policies-list').waitFor()
      expect(await page.getByTestId('policy-row').count()).toBeGreaterThan(0)
      // The province administrator may publish: rollback and publish are offered where there are versions.
      expect(await page.getByTestId('policy-publish').count()).toBeGreaterThan(0)
      expect(await asciiLeaks(page), 'the large screen').toEqual([])
      await page.waitForTimeout(800) // the charts' entry animation
      await shot(page, '1-screen')

      // Drill: province → city → county → street, the whole screen following.
      await drillTo(page, city)
      expect(await page.getByTestId('hall-region').innerText()).not.toBe('')
      await drillTo(page, street.slice(0, 6))
      await shot(page, '2-county')
      await drillTo(page, street)
      expect(await page.getByTestId('hall-crumb').count()).toBe(3)
      expect(await asciiLeaks(page), 'a street').toEqual([])
      await shot(page, '3-street')

      // The list behind the street's count.
      await page.getByTestId('heatmap-list').click()
      const drawer = page.getByTestId('drill-drawer')
      await drawer.waitFor()
      if (answers.drill) {
        await drawer.locator('.ant-table-row').first().waitFor()
        expect(await drawer.innerText()).toContain('共')
      } else {
        await drawer.getByTestId('drill-empty').waitFor()
      }
      expect(await asciiLeaks(page), 'the drill-down list').toEqual([])
      await shot(page, '4-drill')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })

      // And back to the province by the breadcrumb.
      await page.locator('[data-testid="hall-crumb"][data-code="43"]').click()
      await expect.poll(() => current(page)).toBe('43')
      await cityRow.waitFor()
      expect(errors).toEqual([])
    },
  )

  it('city leader: the large screen starts at the city', { timeout: 120_000 }, async () => {
    const page = await (await newContext({ width: 1920, height: 1080 })).newPage()
    await login(page, url, 'leader.4301')
    await page.goto(`${url}/hall`)
    await page.getByTestId('hall-page').waitFor()
    await expect.poll(() => current(page)).toBe('4301')
    await page.getByTestId('heatmap-map').waitFor()
    const codes = await page
      .getByTestId('heatmap-region')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))
    expect(codes.length).toBeGreaterThan(0)
    for (const c of codes) expect(c?.startsWith('4301')).toBe(true)
    // A leader reads the policies but does not publish them.
    await page.getByTestId('policies-list').waitFor()
    expect(await page.getByTestId('policy-rollback').count()).toBe(0)
    expect(await asciiLeaks(page), 'the city leader’s screen').toEqual([])
    await page.waitForTimeout(800)
    await shot(page, '5-city-leader')
  })

  it(
    'county leader: the desk scoped to the county, on a desktop and a phone',
    { timeout: 180_000 },
    async () => {
      const county = '430101'
      const page = await (await newContext({ width: 1440, height: 900 })).newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      onTestFailed(() => shot(page, 'failed-desk', true).then(() => undefined))
      await login(page, url, `leader.${county}`)
      await page.getByTestId('nav-desk').click()
      await page.getByTestId('desk-page').waitFor()
      expect(await page.getByTestId('page-title').innerText()).toContain('领导驾驶舱')
      await expect.poll(() => current(page)).toBe(county)
      await page.getByTestId('heatmap-ranking').waitFor()
      const codes = await page
        .getByTestId('heatmap-region')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))
      for (const c of codes) expect(c?.startsWith(county)).toBe(true)
      // The period picker and each view's export.
      await page.getByTestId('desk-period').getByText('本周').click()
      await page.getByTestId('export-xlsx-heatmap').waitFor()
      expect(await page.getByTestId('export-csv-heatmap').count()).toBe(1)
      expect(await asciiLeaks(page), 'the desk').toEqual([])
      await page.waitForTimeout(800)
      await shot(page, '6-desk', true)
      expect(errors).toEqual([])

      const small = await (await newContext({ width: 390, height: 844 })).newPage()
      await login(small, url, `leader.${county}`)
      await small.goto(`${url}/desk`)
      await small.getByTestId('desk-page').waitFor()
      await small.getByTestId('heatmap-map').waitFor()
      expect(await asciiLeaks(small), 'the desk on a phone').toEqual([])
      await small.waitForTimeout(800)
      await shot(small, '7-phone-desk', true)
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, 'nothing scrolls sideways').toBeLessThanOrEqual(0)
    },
  )
})
