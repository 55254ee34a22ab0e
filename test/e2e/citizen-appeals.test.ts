/**
 * The citizen's side of issue 10 in Chromium, on a phone (390 × 844, touch), against a server with the
 * manual clock (fresh SQLite database seeded with the small demo province, serving dist/web):
 *
 * - citizen.demo rates a finished residence permit (好差评): two stars with words, the reform score, tags
 *   and a comment; the bad review opens a rectification, which the handling department calls back and
 *   rectifies through the API, and the citizen answers satisfied on the case page;
 * - citizen.demo's 企业开办 is left untouched past its time limit (`POST /api/admin/clock
 *   {"advance":"P30D"}`): on the case page they press 投诉这个办件, send it as it is, and are told which
 *   department it went to, why and by when; the appeal's page tells its story and who is responsible;
 * - citizen.demo files a complaint with a pin on the map (tapped twice: the street, then the spot) and a
 *   photo; the department answers and resolves it through the API; the citizen says 不满意 once (it is
 *   reopened), and 满意 the second time (it closes).
 *
 * Every page is scanned for English words in the Chinese UI. Screenshots go to
 * test-artifacts/e2e/citizen-*.png.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { artifacts, ensureWebBuilt, hasChromium, launchBrowser, login, PASSWORD } from '../support/browser.js'
import { asciiLeaks } from '../support/ascii-scan.js'
import { caseFinisher } from '../support/cases.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, login as apiLogin } from '../support/http.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type {
  AppealView,
  RectificationDetail,
  RegionFeatureCollection,
  ResponsibilityChainView,
} from '../../src/shared/api.js'
import { RATING_TAG_CODES } from '../../src/shared/domain.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

/** A 1 × 1 PNG: the photo of the complaint. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

const PHONE = { width: 390, height: 844 }

describe.skipIf(!hasChromium)('citizens file, follow and rate appeals and rate cases, on a phone', () => {
  let app: TestApp
  let url: string
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    await ensureWebBuilt()
    app = await createTestApp('sqlite', { env: { XZT_CLOCK: 'manual' } })
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await context?.close().catch(() => undefined)
    await browser?.close()
    await app?.dispose()
  })

  /** A phone with touch, in Chinese, signed in as citizen.demo. */
  async function phone(): Promise<{ page: Page; errors: string[] }> {
    await context?.close()
    context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text())
    })
    await login(page, url, 'citizen.demo')
    return { page, errors }
  }

  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.mouse.move(2, 2)
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(artifacts, `citizen-${name}.png`), fullPage })
  }

  /** No English words in the Chinese page. */
  async function chineseOnly(page: Page, where: string): Promise<void> {
    const leaks = await asciiLeaks(page)
    expect(leaks, where).toEqual([])
  }

  it(
    'rates a finished case with stars, a reform score and tags; the bad review is rectified and rated',
    { timeout: 240_000 },
    async () => {
      // The form offers the shared list of rating tags; the API takes exactly those codes.
      const spec = (await api(app, 'GET', '/docs/json')).body as {
        paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: any }> } } }>
      }
      const body = spec.paths['/api/cases/{id}/rating']!.post!.requestBody.content['application/json']!.schema
      expect(body.properties.tags.items.enum).toEqual(RATING_TAG_CODES)

      const citizen = await apiLogin(app, 'citizen.demo')
      const admin = await apiLogin(app, 'admin')
      const finisher = caseFinisher(app, 'webcit.desk', { citizen, admin })
      const finished = await finisher.finishedCase()

      const { page, errors } = await phone()
      await page.goto(`${url}/cases/${finished.id}`)
      const form = page.getByTestId('case-rating-form')
      await form.waitFor()
      await chineseOnly(page, 'the rating form')
      expect(await form.innerText()).toContain('这次改革后的流程对您帮助多大')
      expect(await page.getByTestId('case-rating-submit').isDisabled()).toBe(true)
      await form.scrollIntoViewIfNeeded()
      await shot(page, 'rating-1-form', false)

      // Two stars: 不满意, a bad review, said before sending.
      const stars = page.locator('[data-testid="case-rating-score"] .ant-rate-star')
      expect(await stars.count()).toBe(5)
      const box = (await stars.nth(1).boundingBox())!
      expect(box.width, 'a star is a finger wide').toBeGreaterThanOrEqual(40)
      await stars.nth(1).tap()
      expect(await page.getByTestId('case-rating-word').innerText()).toBe('不满意')
      await page.locator('[data-testid="case-rating-reform"] .ant-rate-star').nth(3).tap()
      await page.getByTestId('case-rating-tag-long_wait').tap()
      await page.getByTestId('case-rating-tag-no_trips').tap()
      await page.getByTestId('case-rating-comment').fill('网上办很方便，但等了好几天才有人处理')
      expect(await form.innerText()).toContain('这是差评')
      await shot(page, 'rating-2-filled')
      await page.getByTestId('case-rating-submit').tap()

      const given = page.getByTestId('case-rating-given')
      await given.waitFor()
      const thanks = await page.getByTestId('case-rating-thanks').innerText()
      expect(thanks).toContain('感谢您的评价')
      expect(thanks).toMatch(/已交给.+整改/)
      const rating = (await api(app, 'GET', `/api/cases/${finished.id}/rating`, { token: citizen })).body
      expect(rating).toMatchObject({
        score: 2,
        reformScore: 4,
        tags: ['long_wait', 'no_trips'],
        comment: '网上办很方便，但等了好几天才有人处理',
        rectification: { id: expect.any(String) },
      })
      expect(await page.getByTestId('rectification-status').innerText()).toBe('待回访')
      await chineseOnly(page, 'the rating given')
      await shot(page, 'rating-3-given')

      // The handling department calls the citizen back and rectifies; the citizen answers on the page.
      const desk = await finisher.desk(rating.department.id)
      const now = (await api(app, 'GET', '/api/admin/clock', { token: admin })).body.now as number
      const id = rating.rectification.id as string
      expect(
        (
          await api(app, 'POST', `/api/rectifications/${id}/callback`, {
            token: desk,
            body: { calledAt: now, summary: '已电话回访，群众反映等待时间长' },
          })
        ).status,
      ).toBe(200)
      expect(
        (
          await api(app, 'POST', `/api/rectifications/${id}/rectify`, {
            token: desk,
            body: { measures: '增加审批人员，承诺当天受理' },
          })
        ).status,
      ).toBe(200)
      await page.reload()
      await page.getByTestId('rectification-rate').waitFor()
      const steps = page.getByTestId('rectification-step')
      expect(await steps.count()).toBe(3)
      expect(await steps.nth(1).innerText()).toContain('已电话回访')
      expect(await steps.nth(2).innerText()).toContain('增加审批人员，承诺当天受理')
      await page.getByTestId('rectification-rate').scrollIntoViewIfNeeded()
      await shot(page, 'rating-4-rectified', false)
      await page.getByTestId('rectification-rate-yes').tap()
      await page.getByTestId('rectification-rate-submit').tap()
      await expect.poll(() => page.getByTestId('rectification').getAttribute('data-status')).toBe('closed')
      expect(await page.getByTestId('rectification-status').innerText()).toBe('已办结')
      const closed = (await api(app, 'GET', `/api/rectifications/${id}`, { token: citizen }))
        .body as RectificationDetail
      expect(closed).toMatchObject({ status: 'closed', satisfied: true })
      await chineseOnly(page, 'the rectification closed')
      await shot(page, 'rating-5-closed')
      expect(errors).toEqual([])
    },
  )

  it(
    'complains about a delayed 企业开办 from its page and sees where the complaint went',
    { timeout: 240_000 },
    async () => {
      let citizen = await apiLogin(app, 'citizen.demo')
      const admin = await apiLogin(app, 'admin')
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
      const caseId = submitted.body.id as string
      const advanced = await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P30D' } })
      expect(advanced.status, JSON.stringify(advanced.body)).toBe(200)
      citizen = await apiLogin(app, 'citizen.demo')

      // Signed in after the clock moved: sessions live by the platform's clock.
      const { page, errors } = await phone()
      await page.goto(`${url}/cases/${caseId}`)
      await page.getByTestId('case-page').waitFor()
      await page.getByTestId('case-appeals').waitFor()
      await chineseOnly(page, 'the delayed case')
      await shot(page, 'delay-1-case', false)
      // Past its time limit: the page says so, and offers the complaint right there.
      expect(await page.getByTestId('case-overdue').innerText()).toContain('已经超过承诺的办结时间')
      await page.getByTestId('case-overdue-complain').tap()
      await page.waitForURL(`**/my-appeals/new?case=${caseId}`)
      await page.getByTestId('file-appeal-case').waitFor()
      // The case's matter name arrives after the form itself.
      await expect.poll(() => page.getByTestId('file-appeal-case').innerText()).toContain('企业开办')
      // About a case nothing else is needed: "let the staff decide" is chosen, the text may stay empty.
      expect(await page.getByTestId('file-sub-auto').getAttribute('aria-pressed')).toBe('true')
      await page.getByTestId('file-sub-delay').tap()
      await page.getByTestId('file-text-input').fill('提交一个月了，还没有人受理')
      await chineseOnly(page, 'the complaint form about a case')
      await shot(page, 'delay-2-form')
      await page.getByTestId('file-submit').tap()

      const filed = page.getByTestId('appeal-filed')
      await filed.waitFor()
      const appealId = (await filed.getAttribute('data-appeal'))!
      const appeal = (await api(app, 'GET', `/api/appeals/${appealId}`, { token: citizen }))
        .body as AppealView
      expect(appeal).toMatchObject({
        caseId,
        kind: 'complaint',
        category: 'service/delay',
        concern: 'delay',
        routing: { rule: 'case-complaints' },
      })
      // Where it went, why and by when, in words.
      expect(await page.getByTestId('filed-department').innerText()).toBe(appeal.department.name)
      await expect
        .poll(() => page.getByTestId('filed-why').innerText())
        .toContain('针对办件的投诉由负有责任的环节所在部门办理')
      expect(await page.getByTestId('filed-deadlines').innerText()).toMatch(
        /\d{4}年\d{1,2}月\d{1,2}日周.+前答复您/,
      )
      await chineseOnly(page, 'the complaint sent')
      await shot(page, 'delay-3-filed')

      // The chain names the people whose step breached its limit.
      const chain = (await api(app, 'GET', `/api/appeals/${appealId}/responsibility`, { token: citizen }))
        .body as ResponsibilityChainView
      const primary = chain.links.filter((l) => l.primary)
      expect(primary.length).toBeGreaterThan(0)
      for (const l of primary) expect(l).toMatchObject({ staffId: expect.any(String), rule: 'delay' })

      await page.getByTestId('filed-open').tap()
      await page.waitForURL(`**/my-appeals/${appealId}`)
      await page.getByTestId('appeal-timeline').waitFor()
      expect(await page.getByTestId('appeal-department').innerText()).toBe(appeal.department.name)
      expect(await page.getByTestId('appeal-step').first().innerText()).toContain(
        `已分派至${appeal.department.name}`,
      )
      expect(await page.getByTestId('appeal-next').innerText()).toContain('等待受理')
      const chainList = await page.getByTestId('appeal-chain').innerText()
      for (const l of primary) expect(chainList).toContain(l.name)
      await page.getByTestId('appeal-case-link').waitFor()
      await chineseOnly(page, 'the appeal followed')
      await shot(page, 'delay-4-appeal')

      // Back on the case, the complaint is listed.
      await page.goto(`${url}/cases/${caseId}`)
      await page.getByTestId(`case-appeal-${appealId}`).waitFor()
      expect(errors).toEqual([])
    },
  )

  it(
    'files a complaint with a pin on the map and a photo, follows it, and rates it twice',
    { timeout: 240_000 },
    async () => {
      const citizen = await apiLogin(app, 'citizen.demo')
      const admin = await apiLogin(app, 'admin')
      const streets = (await api(app, 'GET', '/api/regions/430101/children/geojson', { token: citizen }))
        .body as RegionFeatureCollection
      // A street that is not the citizen's own: the pin, not the home street, must decide.
      const target = streets.features.find((f) => f.properties.code !== '430101001' && f.geometry)!.properties

      const { page, errors } = await phone()
      await page.getByTestId('nav-open').tap()
      await page.getByTestId('nav-my-appeals').tap()
      await page.waitForURL('**/my-appeals')
      await page.getByTestId('my-appeals-page').waitFor()
      await page.getByTestId('appeal-new').tap()
      await page.waitForURL('**/my-appeals/new')
      await page.getByTestId('file-kind-complaint').tap()
      await page.getByTestId('file-top-urban').tap()
      await page.getByTestId('file-sub-streetlight').tap()
      await page.getByTestId('file-text-input').fill('小区门口的路灯坏了一个多月，晚上老人出门看不清路。')
      await page.getByTestId('file-place-map').tap()
      const svg = page.getByTestId('appeal-map-svg')
      await svg.waitFor()
      await svg.scrollIntoViewIfNeeded()
      await chineseOnly(page, 'the map')
      await shot(page, 'pin-1-map', false)

      /** The screen position of a point inside the street, near its middle (an SVG fill test). */
      const inside = (code: string) =>
        page.evaluate((c) => {
          const el = document.querySelector<SVGPathElement>(
            `[data-testid="appeal-map-svg"] path[data-code="${c}"]`,
          )!
          const b = el.getBBox()
          const svgEl = el.ownerSVGElement!
          let best: { x: number; y: number; d: number } | null = null
          for (let i = 1; i < 20; i++)
            for (let j = 1; j < 20; j++) {
              const x = b.x + (b.width * i) / 20
              const y = b.y + (b.height * j) / 20
              const p = svgEl.createSVGPoint()
              p.x = x
              p.y = y
              if (!el.isPointInFill(p)) continue
              const d = Math.hypot(i - 10, j - 10)
              if (!best || d < best.d) best = { x, y, d }
            }
          const m = el.getScreenCTM()!
          const s = new DOMPoint(best!.x, best!.y).matrixTransform(m)
          return { x: s.x, y: s.y }
        }, code)

      // First tap: the street (the map zooms into it); second tap: the spot.
      let at = await inside(target.code)
      await page.touchscreen.tap(at.x, at.y)
      await expect.poll(() => svg.getAttribute('data-zoom')).toBe(target.code)
      at = await inside(target.code)
      await page.touchscreen.tap(at.x, at.y)
      expect((await page.getByTestId('appeal-map-where').innerText()).trim()).toBe(`已标记：${target.name}`)
      await page.getByTestId('appeal-map-pin').waitFor()
      await svg.scrollIntoViewIfNeeded()
      await shot(page, 'pin-2-pinned', false)

      await page
        .locator('[data-testid="file-photos"] input[type="file"]')
        .setInputFiles({ name: '路灯.png', mimeType: 'image/png', buffer: PHOTO })
      await expect
        .poll(() => page.locator('[data-testid="file-photos"] .ant-upload-list-item').count())
        .toBe(1)
      await expect.poll(() => page.getByTestId('file-submit').isDisabled()).toBe(false)
      await page.getByTestId('file-submit').tap()
      await page.getByTestId('appeal-filed').waitFor()
      const appealId = (await page.getByTestId('appeal-filed').getAttribute('data-appeal'))!
      let appeal = (await api(app, 'GET', `/api/appeals/${appealId}`, { token: citizen })).body as AppealView
      expect(appeal).toMatchObject({
        kind: 'complaint',
        category: 'urban/streetlight',
        regionCode: target.code,
        regionName: target.name,
        department: { id: '430101-housing_construction' },
        attachments: [{ filename: '路灯.png', mediaType: 'image/png' }],
      })
      expect(appeal.location).toEqual({ lat: expect.any(Number), lng: expect.any(Number) })
      expect(await page.getByTestId('filed-department').innerText()).toBe(appeal.department.name)
      await chineseOnly(page, 'the pinned complaint sent')
      await shot(page, 'pin-3-filed')

      // The department takes it, answers and resolves it.
      const created = await api(app, 'POST', '/api/staff', {
        token: admin,
        body: {
          username: 'webcit.housing',
          password: PASSWORD,
          name: '周建国',
          departmentId: '430101-housing_construction',
          roles: ['official'],
        },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const official = await apiLogin(app, 'webcit.housing', PASSWORD)
      const act = async (action: string, body?: unknown) => {
        const res = await api(app, 'POST', `/api/appeals/${appealId}/${action}`, { token: official, body })
        expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200)
      }
      await act('accept')
      await act('respond', { text: '已收到，明天派人查看。' })
      await act('resolve', { text: '路灯已修好，晚上已经亮了。' })

      await page.goto(`${url}/my-appeals`)
      const row = page.getByTestId(`appeal-row-${appealId}`)
      await row.waitFor()
      expect(await row.getAttribute('data-status')).toBe('resolved')
      expect(await row.innerText()).toContain('请您评价')
      await chineseOnly(page, 'my appeals')
      await shot(page, 'pin-4-list')
      await row.tap()
      await page.getByTestId('appeal-rate').waitFor()
      const story = await page.getByTestId('appeal-timeline').innerText()
      expect(story).toContain('已受理，由周建国负责办理')
      expect(story).toContain('已收到，明天派人查看。')
      expect(story).toContain('路灯已修好，晚上已经亮了。')
      expect(await page.getByTestId('appeal-rate').innerText()).toContain('会重新办理一次')
      await page.getByTestId('appeal-photos').locator('img').first().waitFor()
      await chineseOnly(page, 'the satisfaction question')
      await shot(page, 'pin-5-rate')

      // 不满意 once: reopened.
      await page.getByTestId('appeal-rate-dissatisfied').tap()
      await page.getByTestId('appeal-rate-comment').fill('只修了一盏，另一盏还是不亮')
      await page.getByTestId('appeal-rate-submit').tap()
      await expect.poll(() => page.getByTestId('appeal-status').getAttribute('data-status')).toBe('accepted')
      expect(await page.getByTestId('appeal-timeline').innerText()).toContain('您的评价：不满意，已重新办理')
      await shot(page, 'pin-6-reopened')

      // Resolved again; 满意 closes it.
      await act('resolve', { text: '两盏路灯都已修好。' })
      await page.reload()
      await page.getByTestId('appeal-rate').waitFor()
      expect(await page.getByTestId('appeal-rate').innerText()).toContain('最终评价')
      await page.getByTestId('appeal-rate-satisfied').tap()
      await page.getByTestId('appeal-rate-submit').tap()
      await expect.poll(() => page.getByTestId('appeal-status').getAttribute('data-status')).toBe('closed')
      appeal = (await api(app, 'GET', `/api/appeals/${appealId}`, { token: citizen })).body as AppealView
      expect(appeal).toMatchObject({ status: 'closed', satisfaction: 'satisfied', reopened: true })
      expect(await page.getByTestId('appeal-next').innerText()).toContain('已经办结')
      await chineseOnly(page, 'the appeal closed')
      await shot(page, 'pin-7-closed')
      expect(errors).toEqual([])
    },
  )
  it(
    'without the map: picks the street from a list of big buttons and sends a suggestion',
    { timeout: 120_000 },
    async () => {
      const citizen = await apiLogin(app, 'citizen.demo')
      const streets = (await api(app, 'GET', '/api/regions/430101/children', { token: citizen })).body as {
        code: string
        name: string
      }[]
      const target = streets.find((r) => r.code !== '430101001')!
      const { page, errors } = await phone()
      await page.goto(`${url}/my-appeals/new`)
      await page.getByTestId('file-kind-suggestion').tap()
      await page.getByTestId('file-top-transport').tap()
      await page.getByTestId('file-sub-bus').tap()
      await page.getByTestId('file-text-input').fill('建议增开一条到街道卫生院的公交线路。')
      await page.getByTestId('file-place-region').tap()
      // Sending without a street says what is missing, on the section.
      await page.getByTestId('file-submit').tap()
      expect(await page.getByTestId('file-place-error').innerText()).toBe('请选择事情发生的街道（乡镇）')
      const button = page.getByTestId(`file-street-${target.code}`)
      expect((await button.boundingBox())!.height, 'a street is a finger high').toBeGreaterThanOrEqual(56)
      await button.tap()
      await page.getByTestId('file-streets').scrollIntoViewIfNeeded()
      await chineseOnly(page, 'the street list')
      await shot(page, 'street-1-list', false)
      await page.getByTestId('file-submit').tap()
      await page.getByTestId('appeal-filed').waitFor()
      const appealId = (await page.getByTestId('appeal-filed').getAttribute('data-appeal'))!
      const appeal = (await api(app, 'GET', `/api/appeals/${appealId}`, { token: citizen }))
        .body as AppealView
      expect(appeal).toMatchObject({
        kind: 'suggestion',
        category: 'transport/bus',
        regionCode: target.code,
        location: null,
        routing: { rule: 'transport' },
      })
      expect(await page.getByTestId('filed-department').innerText()).toBe(appeal.department.name)
      expect(await page.getByTestId('appeal-filed').innerText()).toContain(`建议已提交`)
      await shot(page, 'street-2-filed')
      expect(errors).toEqual([])
    },
  )
})
