/**
 * Browser end-to-end test of the audit console (审计控制台) against the real server (fresh SQLite
 * database seeded with the small demo province, serving dist/web), driven with playwright-core and
 * the system Chromium: the ledger overview, checkpoint and entries views, receipt fetch / verify /
 * tamper, entry look-up with its inclusion proof, the full audit, and role gating.
 * Screenshots go to test-artifacts/e2e/audit-*.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { artifacts, hasChromium, login, useBrowserSession } from '../support/browser.js'

const ORIGIN_4301 = 'ledger.xiaoxiang.gov.cn/ledger/4301'

function logRows(page: Page) {
  return page.locator('[data-testid="log-table"] tbody tr.ant-table-row')
}

/** Picks a log in one of the console's log selects by typing its id into the search box. */
async function chooseLog(page: Page, testId: string, log: string): Promise<void> {
  const select = page.getByTestId(testId)
  await select.click()
  await page.keyboard.type(log)
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title^="${log} "]`).first().click()
  await expect.poll(() => select.innerText()).toContain(log)
}

/** The <input> of an antd InputNumber, whether the test id lands on the input or on its wrapper. */
function numberInput(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
}

/** Scrolls so that the element's top sits just below the sticky header. */
async function scrollToTop(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 76))
}

/** Lets animations (ECharts, antd motion) settle before a screenshot. */
async function settle(page: Page, ms = 600): Promise<void> {
  await page.mouse.move(5, 995)
  await page.waitForTimeout(ms)
}

describe.skipIf(!hasChromium)('audit console in Chromium', () => {
  const session = useBrowserSession()
  let context: BrowserContext

  it(
    'auditor: logs, checkpoint, entries, receipt verify and tamper, look-up, full audit',
    { timeout: 180_000 },
    async () => {
      context = await session.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })
      const page = await context.newPage()
      const pageErrors: string[] = []
      page.on('pageerror', (e) => pageErrors.push(e.message))

      await login(page, session.url, 'auditor')
      await page.getByTestId('nav-audit').click()
      await page.waitForURL('**/audit')

      // 15 logs: the province log and the 14 city logs, with region names and witness tags. (The test
      // server runs no background checkpointing: checkpoints are signed on demand below.)
      await logRows(page).first().waitFor()
      expect(await logRows(page).count()).toBe(15)
      const ids = await logRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-key')))
      expect(ids).toContain('43')
      expect(ids).toContain('4301')
      expect(ids).toContain('4314')
      const table = await page.getByTestId('log-table').innerText()
      expect(table).toContain('星城市')
      expect(table).toContain('潇湘省')
      expect(await page.locator('[data-testid="log-table"] [data-witness]').count()).toBe(15)
      expect(await page.getByTestId('stat-logs').innerText()).toContain('15')
      expect(await page.getByTestId('stat-coverage').innerText()).toMatch(/\d+\s*\/\s*14/)
      expect(await page.locator('.ant-menu-item-selected').innerText()).toContain('审计控制台')
      await page.locator('[data-testid="ledger-chart"] canvas').first().waitFor()
      expect(await page.getByTestId('ledger-chart').getAttribute('data-item-count')).toBe('15')
      await settle(page, 900)
      await page.screenshot({ path: path.join(artifacts, 'audit-01-overview.png') })
      await page.screenshot({ path: path.join(artifacts, 'audit-01-overview-full.png'), fullPage: true })

      // The checkpoint of 4301 as a signed note, cosigned by the province witness.
      await page.getByTestId('log-checkpoint-4301').click()
      await page.getByTestId('checkpoint-note').waitFor()
      const note = await page.getByTestId('checkpoint-note').innerText()
      expect(note.split('\n')[0]).toBe(ORIGIN_4301)
      expect(note).toContain('— ledger.xiaoxiang.gov.cn/witness ')
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-02-checkpoint.png') })
      await page.keyboard.press('Escape')
      await page.getByTestId('checkpoint-note').waitFor({ state: 'detached' })
      // The list refreshes: 4301's current checkpoint is cosigned by the province witness.
      await page.locator('[data-testid="log-table"] tr[data-row-key="4301"] [data-witness="ok"]').waitFor()
      expect(await page.getByTestId('stat-coverage').innerText()).toMatch(/[1-9]\d*\s*\/\s*14/)

      // The latest entries of 4301, newest first, decoded.
      await page.getByTestId('log-entries-4301').click()
      const entryRows = page.locator('[data-testid="entries-table"] tbody tr.ant-table-row')
      await entryRows.first().waitFor()
      expect(await entryRows.count()).toBe(20)
      const indexes = await entryRows.evaluateAll((rows) =>
        rows.map((r) => Number(r.getAttribute('data-row-key'))),
      )
      expect(indexes[0]).toBeGreaterThan(indexes[1]!)
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-03-entries.png') })
      // "Proof" on an entry closes the drawer and looks the entry up.
      await page.getByTestId(`entry-inspect-${indexes[0]}`).click()
      await page.getByTestId('entries-table').waitFor({ state: 'detached' })
      await page
        .locator(`[data-testid="lookup-result"][data-log="4301"][data-index="${indexes[0]}"]`)
        .waitFor()

      // Get a receipt for 4301/3 with the helper; it can be downloaded.
      await chooseLog(page, 'receipt-log', '4301')
      await numberInput(page, 'receipt-index').fill('3')
      await page.getByTestId('receipt-go').click()
      const receiptInput = page.getByTestId('receipt-input')
      await expect.poll(() => receiptInput.inputValue()).toContain('c2sp.org/tlog-proof')
      const receipt = await receiptInput.inputValue()
      expect(receipt).toMatch(/^index 3$/m)
      expect(await page.getByTestId('receipt-download').getAttribute('download')).toBe(
        '4301-3.tlog-proof.txt',
      )

      // It verifies.
      await page.getByTestId('receipt-verify').click()
      const ok = page.locator('[data-testid="receipt-result"][data-status="ok"]')
      await ok.waitFor()
      const okText = await ok.innerText()
      expect(okText).toContain('收据验证通过')
      expect(okText).toContain(ORIGIN_4301)
      expect(okText).toContain('ledger.xiaoxiang.gov.cn/witness')
      await scrollToTop(ok)
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-04-receipt-ok.png') })

      // A receipt file is read locally into the text area (nothing is uploaded).
      const uploads: string[] = []
      page.on('request', (r) => {
        if (r.method() === 'POST' && !r.url().includes('/api/ledger/verify-receipt')) uploads.push(r.url())
      })
      await receiptInput.fill('')
      await page.locator('#audit-receipt input[type="file"]').setInputFiles({
        name: '4301-3.tlog-proof.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(receipt),
      })
      await expect.poll(() => receiptInput.inputValue()).toBe(receipt)
      expect(uploads).toEqual([])

      // One character changed in the index line: it no longer verifies.
      const tampered = receipt.replace(/^index 3$/m, 'index 4')
      expect(tampered).not.toBe(receipt)
      await receiptInput.fill(tampered)
      await page.getByTestId('receipt-verify').click()
      const fail = page.locator('[data-testid="receipt-result"][data-status="fail"]')
      await fail.waitFor()
      expect(await fail.innerText()).toContain('收据验证失败')
      expect(await page.getByTestId('receipt-error').innerText()).toMatch(/does not verify/)
      await scrollToTop(page.locator('#audit-receipt'))
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-05-receipt-tampered.png') })

      // Look up 4301/0: the decoded leaf, its leaf hash and the inclusion proof, re-checked locally.
      await chooseLog(page, 'lookup-log', '4301')
      await numberInput(page, 'lookup-index').fill('0')
      await page.getByTestId('lookup-go').click()
      const result = page.locator('[data-testid="lookup-result"][data-log="4301"][data-index="0"]')
      await result.waitFor()
      const resultText = await result.innerText()
      // The event type by its display name; the raw type stays in the tag's title.
      const typeTag = result.locator('[data-type="region.upserted"]').first()
      expect(await typeTag.innerText()).toBe('区划登记或变更')
      expect(await typeTag.getAttribute('title')).toBe('region.upserted')
      expect(resultText).not.toContain('region.upserted')
      expect(resultText).toContain('region:4301')
      expect(await page.getByTestId('lookup-leaf-hash').innerText()).toMatch(/^[A-Za-z0-9+/]{43}=$/)
      expect(await page.locator('[data-testid="lookup-proof"] li').count()).toBeGreaterThan(0)
      expect((await page.getByTestId('lookup-checkpoint').innerText()).split('\n')[0]).toBe(ORIGIN_4301)
      await page.locator('[data-testid="lookup-local"][data-check="ok"]').waitFor()
      await scrollToTop(result)
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-06-lookup.png') })

      // The full audit: every log verifies, the replay finds no differences.
      await page.getByTestId('audit-run').click()
      const report = page.getByTestId('audit-report')
      await report.waitFor({ timeout: 90_000 })
      expect(await report.getAttribute('data-ok')).toBe('true')
      expect(await report.innerText()).toContain('全量审计通过')
      expect(await page.getByTestId('audit-no-differences').innerText()).toContain('未发现差异')
      expect(await page.locator('[data-testid="audit-ledger"] tbody tr.ant-table-row').count()).toBe(15)
      expect(await page.getByTestId('audit-replay').innerText()).toContain('人员')
      await scrollToTop(report)
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-07-full-audit.png') })

      // English.
      await page.getByTestId('lang-switch').click()
      await expect.poll(() => page.getByTestId('nav-audit').innerText()).toBe('Audit console')
      expect(await page.getByTestId('audit-no-differences').innerText()).toContain('No differences')
      await page.evaluate(() => window.scrollTo(0, 0))
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'audit-08-en.png') })
      await page.getByTestId('lang-switch').click()

      expect(pageErrors).toEqual([])
      await context.close()
    },
  )

  it('auditor on a phone: the console stays usable', { timeout: 120_000 }, async () => {
    context = await session.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await login(page, session.url, 'auditor')
    await page.goto(`${session.url}/audit`)
    await logRows(page).first().waitFor()
    expect(await logRows(page).count()).toBe(15)
    await page.locator('[data-testid="ledger-chart"] canvas').first().waitFor()
    await settle(page, 900)
    await page.screenshot({ path: path.join(artifacts, 'audit-09-phone.png'), fullPage: true })
    await context.close()
  })

  it('official: no audit entry, and the page is refused', { timeout: 120_000 }, async () => {
    context = await session.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await login(page, session.url, 'official.demo')
    await page.getByTestId('nav-regions').waitFor()
    expect(await page.getByTestId('nav-audit').count()).toBe(0)
    expect(await page.locator('.ant-menu').innerText()).not.toContain('审计控制台')

    await page.goto(`${session.url}/audit`)
    await page.locator('.ant-result-403').waitFor()
    expect(await page.getByTestId('audit-page').count()).toBe(0)
    await settle(page, 300)
    await page.screenshot({ path: path.join(artifacts, 'audit-10-official-403.png') })
    await context.close()
  })
})
