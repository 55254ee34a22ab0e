/**
 * Browser test of the governance policy pages (治理规则): the province administrator opens the registry
 * from the menu, opens 差评整改规则, makes version 2 through the form generated from its schema (the
 * rectification deadline 5 → 3 working days) with the live difference beside it, is refused a value
 * out of range (by the form, and by the server when the form is bypassed), publishes, and reads the
 * difference between versions 2 and 1 in Chinese. Also on a phone. Screenshots go to
 * test-artifacts/e2e/policies-*.png.
 */
import path from 'node:path'
import { describe, expect, it, onTestFailed } from 'vitest'
import type { Page } from 'playwright-core'
import { artifacts, hasChromium, login, useBrowserSession } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'

describe.skipIf(!hasChromium)('governance policies in Chromium', () => {
  const session = useBrowserSession()

  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(artifacts, `policies-${name}.png`), fullPage })

  it('administrator: registry, a new version through the form, the diff', { timeout: 180_000 }, async () => {
    const context = await session.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    onTestFailed(() => shot(page, 'failed', true).then(() => undefined))
    await login(page, session.url, 'admin')

    // The registry: every kind by its Chinese name, the version in force, who published it.
    await page.getByTestId('nav-policies').click()
    await page.getByTestId('policies-page').waitFor()
    const links = page.getByTestId('policy-kind-link')
    await links.first().waitFor()
    expect(await links.count()).toBeGreaterThanOrEqual(7)
    const registry = await page.getByTestId('policies').innerText()
    expect(registry).toContain('差评整改规则')
    expect(registry).toContain('诉求分派规则')
    expect(registry).toContain('第 1 版')
    expect(registry).toContain('平台初始化')
    expect(await asciiLeaks(page), 'the registry').toEqual([])
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' })
    await shot(page, '1-registry')

    // 差评整改规则: its versions.
    await page.locator('[data-testid="policy-kind-link"][data-kind="rating.rectification"]').click()
    await page.getByTestId('policy-kind-page').waitFor()
    await page.getByTestId('policy-versions').waitFor()
    expect(await page.getByTestId('page-title').innerText()).toContain('差评整改规则')
    expect(await page.getByTestId('policy-version-state').first().getAttribute('data-state')).toBe(
      'governing',
    )
    expect(await asciiLeaks(page), 'the kind page').toEqual([])

    // A new version through the form, prefilled with version 1.
    await page.getByTestId('policy-tab-publish').click()
    const days = page.locator('#root_deadlineWorkingDays')
    await days.waitFor()
    expect(await days.inputValue()).toBe('5')
    expect(await page.locator('[data-testid="policy-form"]').innerText()).toContain('整改时限（工作日）')
    expect(await asciiLeaks(page), 'the form').toEqual([])

    // Not a whole number of days: the form says so in Chinese and sends nothing (a number out of range
    // the number box itself brings back within the schema's bounds).
    await days.fill('2.5')
    await page.getByTestId('policy-form-submit').click()
    await page.locator('[data-field="root_deadlineWorkingDays"]').getByText('请填写整数').waitFor()
    await page.getByTestId('policy-form-errors').waitFor()
    expect(await asciiLeaks(page), 'the form refusing 0').toEqual([])
    await shot(page, '3-invalid')

    // The server refuses what the form would have: its answer lands on the field, in Chinese.
    await page.route('**/api/policies/rating.rectification', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      const sent = route.request().postDataJSON() as { body: Record<string, unknown> }
      await route.continue({
        postData: JSON.stringify({ ...sent, body: { ...sent.body, deadlineWorkingDays: 99 } }),
      })
    })
    await days.fill('3')
    await page.getByTestId('policy-form-submit').click()
    const refused = page.getByTestId('policy-refused')
    await refused.waitFor()
    expect(await refused.innerText()).toContain('整改时限（工作日）：不能大于 60')
    await page.locator('[data-field="root_deadlineWorkingDays"]').getByText('不能大于 60').waitFor()
    expect(await asciiLeaks(page), 'the server refusing 99').toEqual([])
    await shot(page, '4-server-refused')
    await page.unrouteAll()

    // The live difference against version 1, then publish.
    const live = page.getByTestId('policy-live-diff')
    await expect.poll(() => live.getAttribute('data-changes')).toBe('1')
    expect(await live.innerText()).toMatch(/整改时限（工作日）[\s\S]*5[\s\S]*3/)
    await page.getByTestId('policy-note').fill('依据省政府办公厅通知，整改时限缩短为 3 个工作日')
    expect(await asciiLeaks(page), 'the draft with its live diff').toEqual([])
    await shot(page, '2-draft-live-diff', true)
    await page.getByTestId('policy-form-submit').click()

    // Published: the page shows the difference between versions 1 and 2.
    const heading = page.getByTestId('policy-diff-heading')
    await heading.waitFor()
    expect(await heading.innerText()).toBe('第 1 版 → 第 2 版：1 处变化')
    const change = page.getByTestId('policy-change')
    expect(await change.count()).toBe(1)
    expect(await change.first().getAttribute('data-op')).toBe('changed')
    expect(await change.first().innerText()).toContain('整改时限（工作日）')
    expect(await page.getByTestId('policy-change-before').innerText()).toBe('5')
    expect(await page.getByTestId('policy-change-after').innerText()).toBe('3')
    expect(await page.getByTestId('policy-current').first().getAttribute('data-version')).toBe('2')
    expect(await asciiLeaks(page), 'the diff of versions 1 and 2').toEqual([])
    await shot(page, '5-diff')

    await page.getByTestId('policy-tab-versions').click()
    const states = await page
      .locator('[data-testid="policy-versions"] tr [data-testid="policy-version-state"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))
    expect(states).toEqual(['governing', 'superseded'])
    expect(await page.getByTestId('policy-versions').innerText()).toContain('依据省政府办公厅通知')
    await shot(page, '6-versions')

    // A rule-bearing kind's diff reads by rule titles (routing: version 1 only, so its form).
    await page.goto(`${session.url}/policies/appeal.routing`)
    await page.getByTestId('policy-tab-publish').click()
    await page.locator('[data-testid="policy-form"]').getByText('分派至').first().waitFor()
    // The form adds nothing the document does not hold: no change until someone edits.
    expect(await page.getByTestId('policy-live-diff').getAttribute('data-changes')).toBe('0')
    expect(await asciiLeaks(page), 'the routing form').toEqual([])
    await shot(page, '7-routing-form')
    expect(errors).toEqual([])

    // On a phone: the registry and the kind page as cards.
    const phone = await session.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const small = await phone.newPage()
    await login(small, session.url, 'admin')
    await small.goto(`${session.url}/policies`)
    await small.getByTestId('policy-kind-link').first().waitFor()
    expect(await asciiLeaks(small), 'the registry on a phone').toEqual([])
    await shot(small, '8-phone-registry', true)
    await small.goto(`${session.url}/policies/rating.rectification`)
    await small.getByTestId('policy-versions').waitFor()
    await small.getByTestId('policy-tab-diff').click()
    await small.getByTestId('policy-diff-heading').waitFor()
    expect(await asciiLeaks(small), 'the diff on a phone').toEqual([])
    await shot(small, '9-phone-diff', true)
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, 'nothing scrolls sideways').toBeLessThanOrEqual(0)
  })

  it(
    'a city administrator adjusts the rectification deadline for the city, within the bound',
    { timeout: 120_000 },
    async () => {
      const context = await session.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      onTestFailed(() => shot(page, 'failed-overrides', true).then(() => undefined))
      await login(page, session.url, 'admin.4301')
      await page.goto(`${session.url}/policies/rating.rectification`)
      await page.getByTestId('policy-versions').waitFor()
      // A city publishes no province version; it adjusts within the bounds.
      expect(await page.getByTestId('policy-tab-publish').count()).toBe(0)
      await page.getByTestId('policy-tab-overrides').click()
      const add = page.getByTestId('policy-override-add')
      await add.waitFor()
      expect(await page.getByTestId('policy-overrides').innerText()).toContain('暂无地区调整')
      const value = page.getByTestId('policy-override-value')
      // Inherited from the province's version 2: 3 working days.
      await expect.poll(() => value.inputValue()).toBe('3')

      // Longer than the province allows: refused, the bound said in words.
      await value.fill('4')
      await page.getByTestId('policy-override-note').fill('星城市试行')
      await page.getByTestId('policy-override-submit').click()
      await add.getByText('未通过：不得长于省定 3 个工作日').waitFor()
      expect(await asciiLeaks(page), 'the refused adjustment').toEqual([])
      await shot(page, '10-override-refused', true)

      await value.fill('2')
      await page.getByTestId('policy-override-submit').click()
      const state = page.getByTestId('policy-override-state').first()
      await state.waitFor()
      expect(await state.getAttribute('data-state')).toBe('active')
      const list = await page.getByTestId('policy-override-list').innerText()
      expect(list).toContain('差评整改期限（工作日）')
      expect(list).toMatch(/3\s*→\s*2/)
      expect(list).toContain('不得长于省定 3 个工作日')
      // The rules in force in the city: the province's, 3 → 2 days.
      const effective = page.getByTestId('policy-effective-diff')
      await expect.poll(() => effective.getAttribute('data-changes')).toBe('1')
      expect(await effective.innerText()).toContain('整改时限（工作日）')
      expect(await asciiLeaks(page), 'the city’s adjustment').toEqual([])
      await page.getByTestId('policy-override-list').scrollIntoViewIfNeeded()
      await shot(page, '11-overrides')

      await page.getByTestId('policy-override-retire').click()
      await page.locator('.ant-popconfirm .ant-btn-dangerous').click()
      await expect.poll(() => state.getAttribute('data-state')).toBe('retired')
      await expect.poll(() => effective.getAttribute('data-changes')).toBe('0')
      expect(await asciiLeaks(page), 'the retired adjustment').toEqual([])
      await shot(page, '12-override-retired')
      expect(errors).toEqual([])
    },
  )
})
