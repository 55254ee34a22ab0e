/**
 * Browser test of the Open311 keys page (开放接口密钥): the province administrator finds it in the menu,
 * issues a key for a civic app and sees it once, the key files a request through GeoReport v2, and the
 * administrator revokes it, after which it files nothing. Also on a phone. Screenshots go to
 * test-artifacts/e2e/open311-keys-*.png.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { artifacts, hasChromium, login, useBrowserSession } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'

describe.skipIf(!hasChromium)('Open311 keys in Chromium', () => {
  const session = useBrowserSession()

  /** Files a request with the key: the HTTP status GeoReport v2 answers. */
  async function file(apiKey: string): Promise<number> {
    const res = await fetch(`${session.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: apiKey,
        service_code: 'market/pricing',
        address_id: '430101001',
        description: '菜市场缺斤短两',
      }).toString(),
    })
    return res.status
  }

  it('administrator: issues a key, sees it once, revokes it', { timeout: 120_000 }, async () => {
    const context = await session.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await login(page, session.url, 'admin')
    await page.getByTestId('nav-open311-keys').click()
    await page.getByTestId('open311-keys-page').waitFor()
    await page.getByTestId('open311-key-new').click()
    // A name is required.
    await page.getByTestId('open311-key-issue').click()
    await page.getByText('请填写应用名称').waitFor()
    await page.getByTestId('open311-key-name').fill('星城随手拍小程序')
    await page.getByTestId('open311-key-issue').click()
    const secret = page.getByTestId('open311-key-secret')
    await secret.waitFor()
    const apiKey = (await secret.innerText()).trim()
    expect(apiKey).toMatch(/^o311_/)
    expect(await asciiLeaks(page), 'the key shown once').toEqual([])
    await page.screenshot({ path: path.join(artifacts, 'open311-keys-1-issued.png') })
    await page.getByTestId('open311-key-done').click()

    expect(await file(apiKey)).toBe(200)
    const status = page.getByTestId('open311-key-status').first()
    expect(await status.getAttribute('data-status')).toBe('active')
    expect(await asciiLeaks(page), 'the list of keys').toEqual([])
    // The list never shows the key again.
    expect(await page.getByTestId('open311-keys').innerText()).not.toContain(apiKey)
    await page.screenshot({ path: path.join(artifacts, 'open311-keys-2-list.png') })

    await page.getByTestId('open311-key-revoke').first().click()
    await page.locator('.ant-popconfirm .ant-btn-dangerous').click()
    await expect.poll(() => status.getAttribute('data-status')).toBe('revoked')
    expect(await file(apiKey)).toBe(403)
    await page.screenshot({ path: path.join(artifacts, 'open311-keys-3-revoked.png') })
    expect(errors).toEqual([])

    const phone = await session.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const small = await phone.newPage()
    await login(small, session.url, 'admin')
    await small.goto(`${session.url}/open311-keys`)
    await small.getByTestId('open311-key-status').first().waitFor()
    expect(await asciiLeaks(small), 'the keys on a phone').toEqual([])
    await small.screenshot({ path: path.join(artifacts, 'open311-keys-4-phone.png'), fullPage: true })
  })
})
