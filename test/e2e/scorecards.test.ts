/**
 * Browser test of the scorecards (考核) in Chromium, on a fresh SQLite database seeded with the small demo
 * province and given facts first: citizen.demo applies twice for 企业开办 (BIZ_STARTUP), the demo
 * accounts of 鸣河区 (clerk.demo, market.demo, police.demo, tax.demo, hrss.demo) approve every step,
 * and the citizen rates the two cases 5 and 2.
 *
 * - market.demo (an official: their own card only) finds 考核 in the menu, reads 我的考核 (every
 *   indicator, the promotion index with its missing part named, 样本不足 with its reason), opens the
 *   facts of 环节按时办结率, verifies a fact's ledger entry in the browser and contests a fact with a reason;
 * - a county leader of 鸣河区 lists the county's officials and departments, cannot pick outside the
 *   county, and opens a row's card and its facts;
 * - the province administrator lists the cities (地区) and the officials of 鸣河区, also on a phone.
 *
 * Every page is scanned for English words in the Chinese UI. Screenshots go to
 * test-artifacts/e2e/scorecards-*.png.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifacts, ensureWebBuilt, hasChromium, launchBrowser, login } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, login as apiLogin } from '../support/http.js'
import type { CaseView, TaskView } from '../../src/shared/api.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

/** The demo accounts of the departments 企业开办 goes through (README: demo accounts). */
const DEMO_WORKERS: Record<string, string> = {
  '430101001-service_center': 'clerk.demo',
  '430101-market_regulation': 'market.demo',
  '430101-public_security': 'police.demo',
  '430101-tax': 'tax.demo',
  '430101-human_resources_social_security': 'hrss.demo',
}

describe.skipIf(!hasChromium)('scorecards (考核) in Chromium', () => {
  let app: TestApp
  let url: string
  let browser: Browser
  const contexts: BrowserContext[] = []
  const tokens = new Map<string, string>()

  async function token(username: string, password?: string): Promise<string> {
    let found = tokens.get(username)
    if (!found) {
      found = await apiLogin(app, username, password)
      tokens.set(username, found)
    }
    return found
  }

  /** citizen.demo's 企业开办, every step approved by the demo account of its department, then rated. */
  async function finishedAndRated(score: number): Promise<string> {
    const citizen = await token('citizen.demo')
    const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!),
        channel: 'online',
      },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const id = submitted.body.id as string
    for (let round = 0; round < 20; round++) {
      const c = (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body as CaseView
      const open = c.timeline.filter(
        (s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled' && s.departmentId,
      )
      if (open.length === 0) {
        const rated = await api(app, 'POST', `/api/cases/${id}/rating`, {
          token: citizen,
          body: { score, reformScore: score },
        })
        expect(rated.status, JSON.stringify(rated.body)).toBe(201)
        return id
      }
      for (const s of open) {
        const worker = DEMO_WORKERS[s.departmentId!]
        expect(worker, `a demo account for ${s.departmentId}`).toBeDefined()
        const t = await token(worker!)
        const task = ((await api(app, 'GET', '/api/tasks', { token: t })).body as TaskView[]).find(
          (x) => x.caseId === id && x.node === s.node,
        )!
        const done = await api(app, 'POST', `/api/tasks/${task.id}/complete`, {
          token: t,
          body: { outcome: 'approve', comment: '同意' },
        })
        expect(done.status, JSON.stringify(done.body)).toBe(200)
      }
    }
    throw new Error('the case did not finish')
  }

  beforeAll(async () => {
    await ensureWebBuilt()
    app = await createTestApp('sqlite')
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    browser = await launchBrowser()
    await finishedAndRated(5)
    await finishedAndRated(2)
    // A leader of 鸣河区 (a county): the demo has leaders of cities only.
    const leader = await api(app, 'POST', '/api/staff', {
      token: await token('admin'),
      body: {
        username: 'county.leader',
        password: 'test-password',
        name: '区政府领导',
        departmentId: '430101-government_office',
        roles: ['leader'],
      },
    })
    expect(leader.status, JSON.stringify(leader.body)).toBe(201)
  }, 240_000)

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
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(artifacts, `scorecards-${name}.png`), fullPage })
  }

  async function chineseOnly(page: Page, where: string): Promise<void> {
    expect(await asciiLeaks(page), where).toEqual([])
  }

  const DESK = { viewport: { width: 1440, height: 900 } }
  const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

  it(
    'an official: 我的考核, the facts of an indicator, a ledger proof, a contest',
    { timeout: 180_000 },
    async () => {
      const { page, errors } = await open(DESK)
      await login(page, url, 'market.demo')
      await page.getByTestId('nav-scorecards').click()
      await page.getByTestId('scorecards-page').waitFor()
      expect(await page.getByTestId('page-title').innerText()).toContain('我的考核')
      // An official's reach is their own card: no level tabs, no region picker.
      expect(await page.locator('[data-testid^="scorecards-tab-"]').count()).toBe(0)
      expect(await page.getByTestId('scorecards-region').count()).toBe(0)
      const card = page.getByTestId('my-scorecard')
      await card.waitFor()
      expect(await page.getByTestId('period-picker').getAttribute('data-period')).toMatch(/^\d{4}-Q[1-4]$/)
      expect(await page.getByTestId('scorecard-policy').first().innerText()).toBe('考核公式 第1版')
      // Every indicator is on the card, by its Chinese name with its definition.
      expect(await page.getByTestId('scorecard-indicator').count()).toBe(16)
      const steps = page.locator('[data-testid="scorecard-indicator"][data-code="step_on_time"]')
      expect(await steps.innerText()).toContain('环节按时办结率')
      expect(await steps.innerText()).toContain('期内完成的办理环节中未超过时限的比例')
      expect(await steps.getByTestId('indicator-value').innerText()).toMatch(/%$/)
      expect(Number((await steps.getByTestId('indicator-n').innerText()).match(/\d+/)![0])).toBeGreaterThan(0)
      // Two cases are a small sample: not ranked, and the card says why.
      expect(await card.getByTestId('scorecard-rank').getAttribute('data-rank')).toBe('small')
      expect(await card.getByTestId('scorecard-rank-reason').innerText()).toContain('少于 10 条事实')
      // The promotion index names what it misses (no organisation evaluation entered).
      expect(await page.getByTestId('promotion-missing').innerText()).toContain('组织评价')
      await chineseOnly(page, 'my scorecard')
      await shot(page, '1-official-card')

      // The facts of 环节按时办结率: each with its outcome in words, its case, its ledger entry.
      await steps.click()
      const panel = page.getByTestId('facts-panel')
      await panel.waitFor()
      await page.getByTestId('fact-row').first().waitFor()
      expect(await page.getByTestId('facts-heading').innerText()).toContain('环节按时办结率')
      expect(['按时', '超时']).toContain(await page.getByTestId('fact-outcome').first().innerText())
      expect(await page.getByTestId('fact-ref').first().innerText()).toContain('办理环节')
      // The ledger entry verified here: the leaf hashed, its proof against the signed checkpoint.
      await page.getByTestId('facts-verify-all').click()
      await expect
        .poll(() => page.getByTestId('ref-check').first().getAttribute('data-check'), { timeout: 20_000 })
        .toBe('ok')
      await chineseOnly(page, 'the facts of an indicator')
      await shot(page, '2-official-facts', false)

      // 申诉: a reason is required, then the contest is pending.
      await page.getByTestId('fact-contest').first().click()
      await page.getByTestId('fact-contest-reason').waitFor()
      await page.getByTestId('fact-contest-submit').click()
      await page.getByText('请填写理由').waitFor()
      await page.getByTestId('fact-contest-reason').fill('该环节因申请人补充材料暂停计时，不应计为超时')
      await chineseOnly(page, 'the contest dialog')
      await shot(page, '3-official-contest', false)
      await page.getByTestId('fact-contest-submit').click()
      const status = page.getByTestId('fact-contest-status').first()
      await status.waitFor()
      expect(await status.innerText()).toBe('申诉审核中')
      expect(errors).toEqual([])
    },
  )

  it(
    'a county leader: the county’s officials and departments, a row’s card and facts',
    { timeout: 180_000 },
    async () => {
      const { page, errors } = await open(DESK)
      await login(page, url, 'county.leader', 'test-password')
      await page.goto(`${url}/scorecards`)
      await page.getByTestId('scorecards-page').waitFor()
      expect(await page.getByTestId('page-title').innerText()).toContain('考核')
      const tabs = await page
        .locator('[data-testid^="scorecards-tab-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
      expect(tabs).toEqual([
        'scorecards-tab-official',
        'scorecards-tab-department',
        'scorecards-tab-region',
        'scorecards-tab-mine',
      ])
      // The region picker starts at, and cannot leave, the county.
      const region = page.getByTestId('scorecards-region')
      expect(await region.innerText()).toContain('鸣河区')
      await region.locator('.ant-select').click()
      const menus = page.locator('.ant-cascader-menu')
      await menus.first().waitFor()
      expect(await menus.first().innerText()).not.toContain('星城市')
      await page.keyboard.press('Escape')

      const rows = page.getByTestId('scorecard-row')
      await rows.first().waitFor()
      const table = await page.getByTestId('scorecards').innerText()
      expect(table).toContain('总分')
      expect(table).toContain('考核公式 第1版')
      const market = page.locator('[data-testid="scorecard-row"]', { hasText: '鸣河区市场监督管理局' })
      expect(await market.count()).toBe(0) // officials, not departments, on this tab
      await chineseOnly(page, 'the county’s officials')
      await shot(page, '4-leader-officials')

      await page.getByTestId('scorecards-tab-department').click()
      const dept = page.locator('[data-testid="scorecard-row"][data-subject="430101-market_regulation"]')
      await dept.waitFor()
      expect(await dept.innerText()).toContain('鸣河区市场监督管理局')
      await chineseOnly(page, 'the county’s departments')
      await shot(page, '5-leader-departments')

      // A row opens its card; an indicator opens its facts.
      await dept.getByTestId('scorecard-name').click()
      const drawer = page.getByTestId('scorecard-drawer')
      await drawer.getByTestId('scorecard-view').waitFor()
      await drawer.getByTestId('scorecard-all-facts').click()
      await drawer.getByTestId('fact-row').first().waitFor()
      expect(await drawer.getByTestId('facts-heading').innerText()).toContain('全部指标')
      expect(await drawer.getByTestId('facts').innerText()).toContain('环节按时办结率')
      // Not their card: no contest.
      expect(await drawer.getByTestId('fact-contest').count()).toBe(0)
      await chineseOnly(page, 'a department’s facts')
      await shot(page, '6-leader-department-facts', false)
      expect(errors).toEqual([])
    },
  )

  it('the province administrator: the cities, and on a phone', { timeout: 180_000 }, async () => {
    const { page, errors } = await open(DESK)
    await login(page, url, 'admin')
    await page.goto(`${url}/scorecards`)
    await page.getByTestId('scorecards-tab-region').click()
    const city = page.locator('[data-testid="scorecard-row"][data-subject="4301"]')
    await city.waitFor()
    expect(await page.getByTestId('scorecard-row').count()).toBe(14)
    expect(await city.innerText()).toContain('星城市')
    // The year 2026 instead of the quarter.
    await page.getByTestId('period-kind-year').click()
    await expect.poll(() => page.getByTestId('period-picker').getAttribute('data-period')).toMatch(/^\d{4}$/)
    await city.waitFor()
    expect(await page.getByTestId('scorecards-period-name').innerText()).toMatch(/^\d{4}年度$/)
    await chineseOnly(page, 'the cities')
    await shot(page, '7-admin-regions')
    expect(errors).toEqual([])

    const phone = await open(PHONE)
    await login(phone.page, url, 'market.demo')
    await phone.page.goto(`${url}/scorecards`)
    await phone.page.getByTestId('my-scorecard').waitFor()
    await chineseOnly(phone.page, 'my scorecard on a phone')
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0)
    await shot(phone.page, '8-phone-card', false)
    await shot(phone.page, '8-phone-card-full')
    await phone.page.locator('[data-testid="scorecard-indicator"][data-code="step_on_time"]').click()
    await phone.page.getByTestId('fact-row').first().waitFor()
    await chineseOnly(phone.page, 'the facts on a phone')
    await shot(phone.page, '9-phone-facts', false)

    const leader = await open(PHONE)
    await login(leader.page, url, 'county.leader', 'test-password')
    await leader.page.goto(`${url}/scorecards`)
    await leader.page.getByTestId('scorecard-row').first().waitFor()
    await chineseOnly(leader.page, 'the county’s officials on a phone')
    expect(await leader.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0)
    await shot(leader.page, '10-phone-leader', false)
    expect([...phone.errors, ...leader.errors]).toEqual([])
  })
})
