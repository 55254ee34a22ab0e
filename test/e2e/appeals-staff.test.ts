/**
 * Browser test of the staff's appeal pages (issue 10 item 6) against the real server (fresh SQLite
 * database seeded with the small demo province, serving dist/web), in Debian's Chromium:
 *
 * - market.demo (鸣河区市场监督管理局) finds citizen.demo's pricing complaint in the 诉求工作台, opens it,
 *   accepts it, and verifies its responsibility chain in the browser: every evidence entry ✓ (the leaf
 *   hashed here, proven into the log's signed checkpoint, the signature checked with WebCrypto);
 *   the same inbox on a phone;
 * - market.demo contests their own link; market.supervisor.demo decides it on 申诉与整改, and the chain
 *   shows the outcome;
 * - market.demo merges a duplicate, answers and resolves the complaint (every timeline step ✓), and
 *   returns an appeal that is not theirs, which goes on to another department and off the desk; every
 *   reason (a return, a contest, its decision, a rectification's steps) is asked for when missing,
 *   counted to its limit and sent with Ctrl+Enter;
 * - hotline.demo lands on the 12345 fast entry, files a call with the keyboard, sees where it went
 *   (department, deadlines, routing rule by its title), gets an empty form for the next call, and
 *   records the caller's satisfaction once the department resolved it;
 * - a department's official records the call-back and the measures of a rectification after a bad
 *   rating;
 * - no English word in any of these pages in Chinese, and the chain in English names no Chinese rule;
 * - on a manual clock weeks ahead of the browser's, the desk's countdowns, the hotline's calls of today
 *   and a rectification call-back's default time follow the platform's clock.
 *
 * Screenshots go to test-artifacts/e2e/appeals-staff-*.png.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  artifacts,
  ensureWebBuilt,
  hasChromium,
  launchBrowser,
  login,
  PASSWORD,
  useBrowserSession,
} from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'
import { caseFinisher } from '../support/cases.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, login as apiLogin } from '../support/http.js'
import type { RectificationDetail } from '../../src/shared/api.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'

const DESK = { width: 1600, height: 1000 }
const PHONE = { width: 390, height: 844 }

interface Appeal {
  id: string
  status: string
  department: { id: string; name: string }
  actions: string[]
}

/** Lets antd's motion settle before a screenshot. */
async function settle(page: Page, ms = 500): Promise<void> {
  await page.mouse.move(5, 5)
  await page.waitForTimeout(ms)
}

/** The drawer's scrolling body, for screenshots of what is below its fold. */
async function scrollDrawer(page: Page, selector: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el) => el.scrollIntoView({ block: 'start' }))
}

describe.skipIf(!hasChromium)('staff appeal pages in Chromium', () => {
  const session = useBrowserSession()

  async function token(username: string, password = PASSWORD): Promise<string> {
    const res = await fetch(`${session.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    expect(res.status, `login ${username}`).toBe(200)
    return ((await res.json()) as { token: string }).token
  }

  async function call<T = any>(tok: string, method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${session.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${tok}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    expect(res.status, `${method} ${url}: ${text}`).toBeLessThan(300)
    return (text ? JSON.parse(text) : null) as T
  }

  async function open(
    username: string,
    viewport = DESK,
    password?: string,
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await session.newContext({
      viewport,
      locale: 'zh-CN',
      ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}),
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    if (password) {
      await page.goto(`${session.url}/`)
      await page.waitForURL('**/login')
      await page.getByTestId('login-username').fill(username)
      await page.getByTestId('login-password').fill(password)
      await page.getByTestId('login-submit').click()
      await page.waitForURL((url) => url.pathname !== '/login' && url.pathname !== '/')
      await page.getByTestId('shell').waitFor()
    } else {
      await login(page, session.url, username)
    }
    return { page, errors }
  }

  /** No English words in the page's visible text (identifiers, codes and key caps aside). */
  async function expectChinese(page: Page, where: string): Promise<void> {
    const leaks = await asciiLeaks(page)
    expect(leaks, `${where}: ${JSON.stringify(leaks)}`).toEqual([])
  }

  /**
   * A reason field (one component in every dialog that asks for a reason): sent empty, it asks for the
   * reason; it counts what is written up to its limit; Ctrl+Enter sends it like the dialog's button.
   */
  async function sendReason(
    page: Page,
    field: string,
    submit: string,
    text: string,
    limit = 1000,
  ): Promise<void> {
    const item = page.locator('.ant-form-item', { has: page.getByTestId(field) })
    await page.getByTestId(submit).click()
    await expect.poll(() => item.innerText()).toContain('请填写理由')
    await page.getByTestId(field).fill(text)
    // The message goes as soon as there is a reason (antd lets it fade out).
    await expect.poll(() => item.innerText()).not.toContain('请填写理由')
    expect(await item.innerText()).toContain(`${text.length} / ${limit}`)
    await page.getByTestId(field).press('Control+Enter')
  }

  let complaint: Appeal | null = null

  it(
    'market.demo accepts a complaint on the appeal desk and verifies its chain in the browser',
    { timeout: 240_000 },
    async () => {
      const citizen = await token('citizen.demo')
      complaint = await call<Appeal>(citizen, 'POST', '/api/appeals', {
        kind: 'complaint',
        category: 'market/pricing',
        text: '古源街道一家超市价签标价与结账价格不一致，结账时多收了十几元，要求核查处理。',
        regionCode: '430101001',
      })
      expect(complaint.department.name).toBe('鸣河区市场监督管理局')

      const { page, errors } = await open('market.demo')
      await page.getByTestId('nav-appeal-desk').click()
      await page.waitForURL('**/appeal-desk')
      const row = page.locator(`[data-testid="appeal-row"][data-appeal="${complaint.id}"]`)
      await row.waitFor()
      const rowText = await row.innerText()
      expect(rowText).toContain('投诉')
      expect(rowText).toContain('市场监管 / 价格收费')
      expect(rowText).toContain('待受理')
      expect(rowText).toMatch(/剩余 \d+ 个工作日|剩余 \d+ 小时/)
      expect(await page.getByTestId('appeal-stat-dispatched').innerText()).toContain('1')
      await expectChinese(page, 'desk')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-01-desk.png') })

      // Open it with the keyboard: focus the row, Enter.
      await row.focus()
      await page.keyboard.press('Enter')
      await page.waitForURL(`**/appeal-desk/${complaint.id}`)
      const detail = page.getByTestId('appeal-detail')
      await detail.waitFor()
      expect(await page.getByTestId('appeal-department').innerText()).toBe('鸣河区市场监督管理局')
      expect(await page.getByTestId('appeal-rule').innerText()).toBe('市场经营类投诉由区县市场监管部门办理')
      await page.getByTestId('chain-card').waitFor()
      await page.getByTestId('chain-link').first().waitFor()

      // Accept it, confirming.
      await page.getByTestId('appeal-accept').click()
      await page.getByTestId('appeal-accept-confirm').click()
      await page.locator('[data-testid="appeal-detail"][data-status="accepted"]').waitFor()
      await expect.poll(() => page.getByTestId('appeal-status').innerText()).toBe('办理中')
      // Accepting rebuilt the chain: market.demo is now its handler, the primary link.
      const own = page.locator('[data-testid="chain-link"][data-primary="true"]', { hasText: '马美悦' })
      await own.waitFor()
      await expect.poll(() => own.innerText()).toContain('诉求承办人')
      expect(await own.innerText()).toContain('鸣河区市场监督管理局受理该诉求的承办人')
      expect(await page.getByTestId('chain-policy').innerText()).toBe('责任链规则 第 1 版')

      // Verify every link in the browser: all ✓.
      await page.getByTestId('chain-verify-all').click()
      const summary = page.getByTestId('chain-verify-summary')
      await summary.waitFor({ timeout: 60_000 })
      expect(await summary.getAttribute('data-ok')).toBe('true')
      expect(await summary.innerText()).toMatch(/全部 \d+ 条账本记录验证通过/)
      const entries = page.getByTestId('evidence-entry')
      expect(await entries.count()).toBeGreaterThanOrEqual(3)
      expect(
        new Set(await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-check')))),
      ).toEqual(new Set(['ok']))
      for (const link of await page.getByTestId('chain-link').all())
        expect(await link.getAttribute('data-verified')).toBe('ok')
      // The ✓ says what was checked, the signature included.
      await page.getByTestId('ref-check').first().hover()
      await expect.poll(() => page.locator('.ant-tooltip').last().innerText()).toContain('检查点签名有效')
      await expectChinese(page, 'appeal detail')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-02-detail-top.png') })
      await scrollDrawer(page, '[data-testid="chain-primary"]')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-03-chain-verified.png') })

      // The timeline names each step and its ledger position, checkable in place.
      const steps = page.getByTestId('appeal-step')
      expect(await steps.count()).toBe(2)
      expect(await steps.nth(0).innerText()).toContain('诉求登记并分派')
      expect(await steps.nth(1).innerText()).toContain('诉求受理')
      expect(await page.getByTestId('appeal-timeline').innerText()).toMatch(/账本 4301#\d+/)

      // In English (the switch sits under the drawer's mask: set it, and reload): no Chinese rule
      // title, no raw rule id.
      await page.evaluate(() => window.localStorage.setItem('xzt_lang', 'en'))
      await page.reload()
      await page.getByTestId('chain-link').first().waitFor()
      await expect.poll(() => page.getByTestId('chain-policy').innerText()).toBe('Chain rules, version 1')
      const english = await page.getByTestId('chain-card').innerText()
      expect(english).toContain('Other appeals: the department’s handler or whoever is on duty')
      expect(english).toContain('Handles the appeal at')
      expect(english).not.toContain('on-duty')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-04-chain-en.png') })
      await page.evaluate(() => window.localStorage.removeItem('xzt_lang'))
      expect(errors).toEqual([])
    },
  )

  it('the inbox on a phone', { timeout: 120_000 }, async () => {
    expect(complaint).not.toBeNull()
    const { page, errors } = await open('market.demo', PHONE)
    await page.goto(`${session.url}/appeal-desk`)
    const card = page.locator(`[data-testid="appeal-row"][data-appeal="${complaint!.id}"]`)
    await card.waitFor()
    expect(await card.innerText()).toContain('办理中')
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0)
    await expectChinese(page, 'phone desk')
    await settle(page)
    await page.screenshot({ path: path.join(artifacts, 'appeals-staff-05-phone-desk.png'), fullPage: true })
    await card.click()
    await page.getByTestId('appeal-detail').waitFor()
    await page.getByTestId('chain-link').first().waitFor()
    await settle(page)
    await page.screenshot({ path: path.join(artifacts, 'appeals-staff-06-phone-detail.png') })
    expect(errors).toEqual([])
  })

  it(
    'market.demo contests their own link; market.supervisor.demo decides it',
    { timeout: 180_000 },
    async () => {
      expect(complaint).not.toBeNull()
      const official = await open('market.demo')
      await official.page.goto(`${session.url}/appeal-desk/${complaint!.id}`)
      const own = official.page.locator('[data-testid="chain-link"][data-primary="true"]', {
        hasText: '马美悦',
      })
      await own.waitFor()
      await own.getByTestId('link-contest-open').click()
      await sendReason(
        official.page,
        'contest-reason',
        'contest-submit',
        '该超市不在本人负责的片区，已转交片区责任人。',
      )
      await own.locator('[data-testid="link-contest"][data-status="pending"]').waitFor()
      expect(await own.innerText()).toContain('待裁定')
      expect(await own.getByTestId('link-contest-open').count()).toBe(0)
      expect(official.errors).toEqual([])

      const supervisor = await open('market.supervisor.demo')
      await supervisor.page.getByTestId('nav-appeal-reviews').click()
      await supervisor.page.waitForURL('**/appeal-reviews')
      const row = supervisor.page.locator('[data-testid="contest-row"]', { hasText: '马美悦' })
      await row.waitFor()
      expect(await row.innerText()).toContain('该超市不在本人负责的片区')
      expect(await row.innerText()).toContain('市场监管 / 价格收费')
      await expectChinese(supervisor.page, 'contests')
      await settle(supervisor.page)
      await supervisor.page.screenshot({ path: path.join(artifacts, 'appeals-staff-07-contests.png') })
      await row.getByTestId('contest-decide').click()
      await supervisor.page.locator('[data-testid="decision-outcome"] input[type="radio"]').first().check()
      await sendReason(
        supervisor.page,
        'decision-reason',
        'decision-submit',
        '经核实，该片区由其他同事负责，申诉成立。',
      )
      await expect
        .poll(() => supervisor.page.locator('[data-testid="contest-row"]', { hasText: '马美悦' }).count())
        .toBe(0)
      await supervisor.page.getByTestId('contest-filter').getByText('已裁定').click()
      const decided = supervisor.page.locator('[data-testid="contest-row"]', { hasText: '马美悦' })
      await decided.waitFor()
      expect(await decided.getByTestId('contest-status').innerText()).toBe('申诉成立')

      await official.page.reload()
      const after = official.page.locator('[data-testid="chain-link"]', { hasText: '马美悦' }).first()
      await after.locator('[data-testid="link-contest"][data-status="upheld"]').waitFor()
      expect(await after.innerText()).toContain('申诉成立，已免责')
      expect(supervisor.errors).toEqual([])
    },
  )

  it(
    'market.demo answers and resolves, merges a duplicate, and returns an appeal that is not theirs',
    { timeout: 180_000 },
    async () => {
      expect(complaint).not.toBeNull()
      const citizen = await token('citizen.demo')
      const duplicate = await call<Appeal>(citizen, 'POST', '/api/appeals', {
        kind: 'complaint',
        category: 'market/pricing',
        text: '还是那家超市，今天又多收了钱。',
        regionCode: '430101001',
      })
      const notOurs = await call<Appeal>(citizen, 'POST', '/api/appeals', {
        kind: 'complaint',
        category: 'market/licensing',
        text: '小区门口的早餐店没有营业执照。',
        regionCode: '430101001',
      })
      const { page, errors } = await open('market.demo')
      const confirm = () => page.locator('.ant-popconfirm:visible .ant-btn-primary').click()

      // The duplicate: offered for merging with the first complaint, merged into it.
      await page.goto(`${session.url}/appeal-desk/${duplicate.id}`)
      const duplicates = page.getByTestId('appeal-duplicates')
      await duplicates.waitFor()
      expect(await duplicates.innerText()).toContain(complaint!.id.slice(0, 8))
      expect(await duplicates.innerText()).toContain('同一街道')
      await duplicates.getByTestId('duplicate-merge').first().click()
      await confirm()
      await page.locator('[data-testid="appeal-detail"][data-status="merged"]').waitFor()
      expect(await page.getByTestId('appeal-detail').innerText()).toContain('本诉求已并入')

      // The first complaint: answered, then resolved (with a confirmation).
      await page.goto(`${session.url}/appeal-desk/${complaint!.id}`)
      await page.getByTestId('appeal-text').waitFor()
      await page.getByTestId('appeal-text').fill('已派执法人员到店核查价签。')
      await page.getByTestId('appeal-respond').click()
      await page.locator('[data-testid="appeal-detail"][data-status="responded"]').waitFor()
      await page.getByTestId('appeal-text').fill('经核查，商家多收费用属实，已责令退还并立案处罚。')
      await page.getByTestId('appeal-resolve').click()
      await confirm()
      await page.locator('[data-testid="appeal-detail"][data-status="resolved"]').waitFor()
      const timeline = await page.getByTestId('appeal-timeline').innerText()
      for (const step of ['诉求首次答复', '诉求办结', '重复诉求合并'].slice(0, 2))
        expect(timeline).toContain(step)
      expect(timeline).toContain('经核查，商家多收费用属实')
      // Every step of the timeline checks out too.
      await page.getByTestId('timeline-verify').click()
      await expect
        .poll(async () =>
          (
            await page
              .getByTestId('appeal-timeline')
              .getByTestId('ref-check')
              .evaluateAll((els) => els.map((e) => e.getAttribute('data-check')))
          ).join(),
        )
        .toMatch(/^ok(,ok)+$/)
      await expectChinese(page, 'resolved appeal')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-07a-resolved.png') })

      // Not theirs: returned with a reason; it goes on to another department and off this desk.
      await page.goto(`${session.url}/appeal-desk/${notOurs.id}`)
      await page.getByTestId('appeal-return').click()
      await sendReason(
        page,
        'appeal-return-reason',
        'appeal-return-confirm',
        '无照经营属于城市管理部门查处范围。',
      )
      await page.waitForURL('**/appeal-desk')
      await expect.poll(() => page.locator(`[data-appeal="${notOurs.id}"]`).count()).toBe(0)
      const admin = await token('admin')
      const moved = await call<Appeal>(admin, 'GET', `/api/appeals/${notOurs.id}`)
      expect(moved.department.id).not.toBe(complaint!.department.id)
      expect(errors).toEqual([])
    },
  )

  it(
    'hotline.demo files a call on the fast entry form, sees where it went, and records the call-back',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = await open('hotline.demo')
      expect(new URL(page.url()).pathname).toBe('/hotline')
      await page.getByTestId('hotline-form').waitFor()

      // The keyboard first: the number field has the focus.
      await page.keyboard.type('13912345678')
      await page.getByTestId('hotline-name').fill('王先生')
      await page.getByTestId('hotline-kind').getByText('投诉').click()
      // The category: type to search, pick the match.
      await page.getByTestId('hotline-category').click()
      await page.keyboard.type('价格')
      await page.locator('.ant-cascader-menu-item', { hasText: '价格收费' }).first().click()
      await page
        .getByTestId('hotline-text')
        .fill('鸣河区古源街道农贸市场有商户缺斤短两、价格不明码标价，请相关部门查处。')
      // Where: 星城市 → 鸣河区 → 古源街道.
      await page.locator('[data-testid="hotline-region"] .ant-select').click()
      await page.locator('.ant-cascader-menu-item', { hasText: '星城市' }).first().click()
      await page.locator('.ant-cascader-menu-item', { hasText: '鸣河区' }).first().click()
      await page.locator('.ant-cascader-menu-item', { hasText: '古源街道' }).first().click()
      await expectChinese(page, 'hotline form')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-08-hotline-form.png') })

      // Ctrl+Enter files it.
      await page.getByTestId('hotline-text').focus()
      await page.keyboard.press('Control+Enter')
      const result = page.getByTestId('hotline-result')
      await result.waitFor()
      expect(await page.getByTestId('hotline-result-department').innerText()).toBe('鸣河区市场监督管理局')
      await expect
        .poll(() => page.getByTestId('hotline-result-rule').innerText())
        .toBe('市场经营类投诉由区县市场监管部门办理')
      expect(await result.innerText()).toMatch(/答复时限[\s\S]*剩余/)
      expect(await result.innerText()).toMatch(/办结时限[\s\S]*剩余/)
      // The form is empty for the next call, the number field focused.
      expect(await page.getByTestId('hotline-phone').inputValue()).toBe('')
      expect(await page.getByTestId('hotline-text').inputValue()).toBe('')
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'hotline-phone',
      )
      const calls = page.getByTestId('hotline-call')
      await expect.poll(() => calls.count()).toBe(1)
      expect(await calls.first().innerText()).toContain('待受理')
      await expectChinese(page, 'hotline filed')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-09-hotline-filed.png') })

      // The department answers and resolves it; the operator calls the caller back.
      const id = (await calls.first().getAttribute('data-appeal'))!
      const market = await token('market.demo')
      await call(market, 'POST', `/api/appeals/${id}/accept`)
      await call(market, 'POST', `/api/appeals/${id}/respond`, { text: '已安排执法人员现场核查。' })
      await call(market, 'POST', `/api/appeals/${id}/resolve`, { text: '已责令商户整改并立案调查。' })
      await page.reload()
      const rate = page.getByTestId('hotline-call-rate')
      await rate.waitFor()
      await rate.click()
      await page.getByTestId('rate-options').getByText('满意', { exact: true }).click()
      await page.getByTestId('rate-submit').click()
      await expect.poll(() => page.getByTestId('hotline-call').first().innerText()).toContain('已结案')
      const appeal = await call<Appeal>(await token('hotline.demo'), 'GET', `/api/appeals/${id}`)
      expect(appeal.status).toBe('closed')

      // Its detail, from the list: the caller's contact for the operator who took the call.
      await page.getByTestId('hotline-call-open').first().click()
      await page.getByTestId('appeal-detail').waitFor()
      expect(await page.getByTestId('appeal-contact').innerText()).toContain('13912345678')
      await expectChinese(page, 'hotline detail')
      expect(errors).toEqual([])
    },
  )

  it(
    'a bad rating: the handling department records the call-back and the measures',
    { timeout: 240_000 },
    async () => {
      // citizen.demo's residence permit, approved by a test desk of every department on its way.
      const admin = await token('admin')
      const citizen = await token('citizen.demo')
      const demo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
        .value![0]!
      const prefill = await call(citizen, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill')
      const created = await call<{ id: string }>(citizen, 'POST', '/api/cases', {
        matterCode: 'RESIDENCE_PERMIT',
        data: merge(prefill.data, typed(demo).RESIDENCE_PERMIT!),
        channel: 'online',
      })
      const desks = new Map<string, string>()
      const desk = async (departmentId: string) => {
        const known = desks.get(departmentId)
        if (known) return known
        const username = `rect.desk.${desks.size}`
        await call(admin, 'POST', '/api/staff', {
          username,
          password: 'test-password',
          name: `测试${desks.size + 1}`,
          departmentId,
          roles: ['clerk', 'official'],
        })
        const t = await token(username, 'test-password')
        desks.set(departmentId, username)
        return t
      }
      const tokens = new Map<string, string>()
      for (let round = 0; round < 20; round++) {
        const c = await call<{ status: string; timeline: any[] }>(citizen, 'GET', `/api/cases/${created.id}`)
        const open = c.timeline.filter(
          (s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled' && s.departmentId,
        )
        if (open.length === 0) break
        for (const s of open) {
          if (!tokens.has(s.departmentId)) tokens.set(s.departmentId, await desk(s.departmentId))
          const t = tokens.get(s.departmentId)!
          const task = (await call<{ id: string; caseId: string }[]>(t, 'GET', '/api/tasks')).find(
            (x) => x.caseId === created.id,
          )
          if (task) await call(t, 'POST', `/api/tasks/${task.id}/complete`, { outcome: 'approve' })
        }
      }
      const rated = await call<{ rectification: { id: string; department: { id: string } } }>(
        citizen,
        'POST',
        `/api/cases/${created.id}/rating`,
        { score: 1, tags: ['long_wait', 'rude'], comment: '等了很久，窗口态度也不好。' },
      )
      const rect = rated.rectification
      const username = desks.get(rect.department.id)!

      const { page, errors } = await open(username, DESK, 'test-password')
      await page.goto(`${session.url}/appeal-reviews?tab=rectifications`)
      const row = page.locator(`[data-testid="rect-row"][data-rect="${rect.id}"]`)
      await row.waitFor()
      expect(await row.innerText()).toContain('待回访')
      expect(await row.innerText()).toContain('等待过久')
      await expectChinese(page, 'rectifications')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-10-rectifications.png') })
      await row.click()
      const detail = page.getByTestId('rect-detail')
      await detail.waitFor()
      await sendReason(page, 'rect-text', 'rect-submit', '已电话回访申请人，致歉并说明改进措施。', 2000)
      await page.locator('[data-testid="rect-detail"][data-status="called_back"]').waitFor()
      // In English the field asks for the reason in English.
      await page.evaluate(() => window.localStorage.setItem('xzt_lang', 'en'))
      await page.reload()
      await row.click()
      await page.getByTestId('rect-submit').click()
      await expect
        .poll(() => page.locator('.ant-form-item', { has: page.getByTestId('rect-text') }).innerText())
        .toContain('A reason is required')
      await page.evaluate(() => window.localStorage.removeItem('xzt_lang'))
      await page.reload()
      await row.click()
      await page.getByTestId('rect-text').fill('增设取号引导，窗口人员服务规范培训。')
      await page.getByTestId('rect-submit').click()
      await page.locator('[data-testid="rect-detail"][data-status="rectified"]').waitFor()
      expect(await page.getByTestId('rect-step').count()).toBe(3)
      expect(await page.getByTestId('rect-timeline').innerText()).toContain('整改完成')
      await expectChinese(page, 'rectification detail')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'appeals-staff-11-rectification.png') })
      expect(errors).toEqual([])
    },
  )
})

/**
 * The same pages when the platform's clock is manual (`XZT_CLOCK=manual`) and has been advanced weeks
 * past the browser's: countdowns, the hotline's "today" and a call-back's default time follow the
 * platform's clock (GET /api/admin/clock), never the browser's.
 */
describe.skipIf(!hasChromium)('staff appeal pages on a manual clock weeks ahead of the browser', () => {
  let app: TestApp
  let url: string
  let browser: Browser

  beforeAll(async () => {
    await ensureWebBuilt()
    app = await createTestApp('sqlite', { env: { XZT_CLOCK: 'manual' } })
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.dispose()
  })

  async function advance(by: string): Promise<number> {
    const res = await api(app, 'POST', '/api/admin/clock', {
      token: await apiLogin(app, 'admin'),
      body: { advance: by },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return (await api(app, 'GET', '/api/admin/clock')).body.now as number
  }

  /** `2026-12-03 17:35`: an instant's Beijing minute, as the call-back field shows it. */
  const beijingMinute = (ms: number) =>
    new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

  it(
    'counts down, lists today’s calls and dates a call-back by the platform’s clock',
    { timeout: 240_000 },
    async () => {
      // Everything below happens 30 days after the browser's today, and is then left 30 days more.
      await advance('P30D')
      const citizen = await apiLogin(app, 'citizen.demo')
      const admin = await apiLogin(app, 'admin')
      const finished = await caseFinisher(app, 'clock.desk', { citizen, admin }).finishedCase()
      const rated = await api(app, 'POST', `/api/cases/${finished.id}/rating`, {
        token: citizen,
        body: { score: 1, tags: ['long_wait'] },
      })
      expect(rated.status, JSON.stringify(rated.body)).toBe(201)
      const rect = rated.body.rectification as { id: string; department: { id: string } }
      const filed = await api(app, 'POST', '/api/appeals', {
        token: citizen,
        body: {
          kind: 'complaint',
          category: 'market/pricing',
          text: '超市结账多收钱',
          regionCode: '430101001',
        },
      })
      expect(filed.status, JSON.stringify(filed.body)).toBe(201)
      const complaint = filed.body as Appeal
      const now = await advance('P30D')

      // Staff of the rectification's department (the test desks' password is not the demo's).
      expect(
        (
          await api(app, 'POST', '/api/staff', {
            token: await apiLogin(app, 'admin'),
            body: {
              username: 'clock.rect',
              password: PASSWORD,
              name: '测试回访',
              departmentId: rect.department.id,
              roles: ['clerk', 'official'],
            },
          })
        ).status,
      ).toBe(201)
      const call = await api(app, 'POST', '/api/appeals', {
        token: await apiLogin(app, 'hotline.demo'),
        body: {
          kind: 'complaint',
          category: 'market/pricing',
          text: '农贸市场缺斤短两',
          regionCode: '430101001',
          channel: 'hotline',
          contact: { name: '王先生', phone: '13800000000' },
        },
      })
      expect(call.status, JSON.stringify(call.body)).toBe(201)

      const errors: string[] = []
      /** A desk browser signed in as `username`, in its own context. */
      const signedIn = async (username: string): Promise<Page> => {
        const context = await browser.newContext({ viewport: DESK, locale: 'zh-CN' })
        const page = await context.newPage()
        page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`))
        await login(page, url, username)
        return page
      }

      // The appeal desk: a month past its deadline is overdue in red, not "days left".
      const desk = await signedIn('market.demo')
      await desk.goto(`${url}/appeal-desk`)
      const row = desk.locator(`[data-testid="appeal-row"][data-appeal="${complaint.id}"]`)
      await row.waitFor()
      await expect.poll(() => row.getAttribute('class')).toContain('xzt-due-late')
      expect(await row.getByTestId('row-countdown').innerText()).toMatch(/超期 \d+ 个工作日/)
      await desk.context().close()

      // The hotline's calls of today: the platform's today, when the call was taken.
      const hotline = await signedIn('hotline.demo')
      await hotline.goto(`${url}/hotline`)
      await hotline.locator(`[data-testid="hotline-call"][data-appeal="${call.body.id as string}"]`).waitFor()
      await hotline.context().close()

      // The rectification: overdue, and the call-back took place now by the platform's clock.
      const reviews = await signedIn('clock.rect')
      await reviews.goto(`${url}/appeal-reviews?tab=rectifications`)
      const rectRow = reviews.locator(`[data-testid="rect-row"][data-rect="${rect.id}"]`)
      await rectRow.waitFor()
      await expect.poll(() => rectRow.innerText()).toMatch(/超期 \d+ 个工作日/)
      await rectRow.click()
      await reviews.getByTestId('rect-detail').waitFor()
      await expect.poll(() => reviews.getByTestId('rect-called-at').inputValue()).toBe(beijingMinute(now))
      await reviews.getByTestId('rect-text').fill('已电话回访申请人，致歉并说明改进措施。')
      await reviews.getByTestId('rect-submit').click()
      await reviews.locator('[data-testid="rect-detail"][data-status="called_back"]').waitFor()
      await reviews.context().close()
      const detail = (
        await api(app, 'GET', `/api/rectifications/${rect.id}`, { token: await apiLogin(app, 'admin') })
      ).body as RectificationDetail
      const calledBack = detail.timeline.find((s) => s.kind === 'called_back')!
      expect(calledBack.calledAt).toBeGreaterThanOrEqual(now - 60_000)
      expect(calledBack.calledAt).toBeLessThanOrEqual(now)
      expect(errors).toEqual([])
    },
  )
})
