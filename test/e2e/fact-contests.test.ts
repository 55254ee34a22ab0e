/**
 * Browser test of scorecard-fact contests on 申诉与整改, against the real server (fresh SQLite database
 * seeded with the small demo province, serving dist/web), in Debian's Chromium: market.demo answers a
 * pricing complaint and contests the response fact on their own card; market.supervisor.demo sees it
 * in the queue tagged 考核事实, with the indicator's Chinese name and no English word, and upholds it.
 * Screenshot: test-artifacts/e2e/fact-contests-01-queue.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { artifacts, hasChromium, login, useBrowserSession } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'

describe.skipIf(!hasChromium)('fact contests in Chromium', () => {
  const session = useBrowserSession()

  async function token(username: string): Promise<string> {
    const res = await fetch(`${session.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'xzt-demo' }),
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

  it('lists a fact contest in the queue in Chinese, and the supervisor upholds it', async () => {
    const citizen = await token('citizen.demo')
    const market = await token('market.demo')
    const appeal = await call<{ id: string }>(citizen, 'POST', '/api/appeals', {
      kind: 'complaint',
      category: 'market/pricing',
      text: '价格标签不符',
      regionCode: '430101001',
    })
    await call(market, 'POST', `/api/appeals/${appeal.id}/accept`)
    await call(market, 'POST', `/api/appeals/${appeal.id}/respond`, { text: '已处理' })
    const me = await call<{ id: string }>(market, 'GET', '/api/auth/me')
    const period = String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear())
    const facts = await call<{ key: string; indicator: string; ref: { kind: string; id: string } }[]>(
      market,
      'GET',
      `/api/assessment/scorecards/official/${me.id}/facts?period=${period}&indicator=appeal_response_rate`,
    )
    const fact = facts.find((f) => f.ref.id === appeal.id)!
    expect(fact).toBeDefined()
    const filed = await call<{ id: string }>(market, 'POST', '/api/assessment/fact-contests', {
      period,
      indicator: fact.indicator,
      ref: fact.ref,
      key: fact.key,
      reason: '该诉求已于受理当日电话答复',
    })

    const context = await session.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await login(page, session.url, 'market.supervisor.demo')
    await page.goto(`${session.url}/appeal-reviews`)
    const row = page.locator(`[data-testid="contest-row"][data-contest="${filed.id}"]`)
    await row.waitFor()
    expect(await row.getByTestId('contest-fact').textContent()).toBe('考核事实')
    expect(await row.textContent()).toContain('计入「诉求响应率」')
    const leaks = await asciiLeaks(page)
    expect(leaks, JSON.stringify(leaks)).toEqual([])
    await page.mouse.move(5, 5)
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(artifacts, 'fact-contests-01-queue.png') })

    await row.getByTestId('contest-decide').click()
    await page.getByTestId('decision-outcome').getByText('申诉成立').click()
    await page.getByTestId('decision-reason').fill('经核实已按时答复')
    await page.getByTestId('decision-submit').click()
    await page
      .locator(`[data-testid="contest-row"][data-contest="${filed.id}"]`)
      .waitFor({ state: 'detached' })
    const decided = await call<{ id: string; status: string }[]>(
      market,
      'GET',
      '/api/assessment/fact-contests',
    )
    expect(decided.find((c) => c.id === filed.id)?.status).toBe('upheld')
    expect(errors).toEqual([])
  })
})
