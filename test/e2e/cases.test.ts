/**
 * Browser end-to-end test of one submission through every department (issue 4) against the real
 * server (fresh SQLite database seeded with the small demo province, serving dist/web), driven with
 * playwright-core and the system Chromium:
 *
 * - citizen.demo finds 企业开办 (BIZ_STARTUP) in the service hall, applies with the prefilled form (each
 *   prefilled value with its source), is told what is missing, completes the form (each picked file
 *   uploaded at once and shown with its SHA-256) and submits once;
 * - the street service centre accepts it in the workbench (clerk.demo), the four county departments
 *   work their parallel tasks with the README's demo accounts (market.demo, police.demo, tax.demo,
 *   hrss.demo): market regulation through the workbench UI, the other three through the API;
 * - the citizen sees the completed case with its full timeline and files, downloads a file and the
 *   ledger receipts, and sees who viewed the data (an official's file download among them);
 * - a window clerk submits for a citizen; the apply form on a phone;
 * - an official asks for a supplement: the citizen reads what for, colleagues see it on the timeline;
 * - a leader (a region overseer) looks at a case without a task: their department's supervisor reviews
 *   the flag in the workbench, an administrator sees it on the review page, and the citizen sees the
 *   verdict.
 *
 * Screenshots go to test-artifacts/e2e/cases-*.png.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { artifacts, hasChromium, login, PASSWORD, useBrowserSession } from '../support/browser.js'
import { merge, PEOPLE, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import { verifyReceiptBundle } from '../../src/server/modules/ledger/ledger.signing.js'
import { checkDigit } from '../../src/shared/idnumber.js'

interface TimelineStep {
  node: string
  departmentId: string | null
  department: string | null
  completedAt: number | null
  outcome: string | null
  ledger: { log: string; index: number } | null
}
interface CaseView {
  id: string
  status: string
  timeline: TimelineStep[]
  attachments: { path: string; id: string; sha256: string; filename: string }[]
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
interface TaskView {
  id: string
  caseId: string
  node: string
  kind: string
}

/** citizen.demo as the demo generator made them (their typed answers to the forms). */
const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]

/** The second demo citizen (a window clerk serves them). */
const secondCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(2).next()
  .value![1]!

const idNumberWithCheck = (first17: string): string => first17 + checkDigit(first17)

/** The four county departments that work in parallel after acceptance. */
const PARALLEL = ['market_registration', 'seal_filing', 'tax_registration', 'social_security_registration']
/** The README's demo account for each parallel step (鸣河区, citizen.demo's county). */
const COUNTY_ACCOUNTS: Record<string, string> = {
  market_registration: 'market.demo',
  seal_filing: 'police.demo',
  tax_registration: 'tax.demo',
  social_security_registration: 'hrss.demo',
}

/** The <input> of an antd Input, whether the test id lands on the input or on its affix wrapper. */
function inputOf(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()
}

/** Lets antd's motion settle before a screenshot. */
async function settle(page: Page, ms = 500): Promise<void> {
  await page.mouse.move(5, 5)
  await page.waitForTimeout(ms)
}

/** Scrolls so that the element's top sits just below the sticky header. */
async function scrollToTop(page: Page, selector: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 76))
}

describe.skipIf(!hasChromium)(
  'cases in Chromium: apply once, every department acts, the citizen follows',
  () => {
    const session = useBrowserSession()
    let context: BrowserContext | undefined
    /** The ledger position of the submission of the case the first test creates. */
    let submitted: { log: string; index: number } | null = null

    async function apiLogin(username: string): Promise<string> {
      const res = await fetch(`${session.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      })
      expect(res.status, `login ${username}`).toBe(200)
      return ((await res.json()) as { token: string }).token
    }

    async function apiCall<T>(
      token: string,
      method: string,
      url: string,
      body?: unknown,
    ): Promise<{ status: number; body: T }> {
      const res = await fetch(`${session.url}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
    }

    async function newPage(
      viewport = { width: 1600, height: 1000 },
    ): Promise<{ page: Page; errors: string[] }> {
      await context?.close()
      const opened = await session.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
      context = opened
      const page = await opened.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      return { page, errors }
    }

    /** citizen.demo applies for a residence permit through the API. @returns the case id */
    async function applyResidencePermit(citizen: string): Promise<string> {
      const prefill = await apiCall<{ data: Record<string, unknown> }>(
        citizen,
        'GET',
        '/api/matters/RESIDENCE_PERMIT/prefill',
      )
      const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
      const res = await apiCall<CaseView>(citizen, 'POST', '/api/cases', {
        matterCode: 'RESIDENCE_PERMIT',
        data,
        channel: 'online',
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body.id
    }

    /** A staff account in a department, created by the province administrator; @returns its token. */
    async function staffIn(
      departmentId: string,
      username: string,
      name: string,
      roles: string[],
    ): Promise<string> {
      const admin = await apiLogin('admin')
      const created = await apiCall(admin, 'POST', '/api/staff', {
        username,
        password: PASSWORD,
        name,
        departmentId,
        roles,
      })
      expect(created.status, `create ${username}`).toBe(201)
      return apiLogin(username)
    }

    it(
      '企业开办: prefilled application, acceptance and four parallel approvals, completed case with receipts',
      { timeout: 300_000 },
      async () => {
        // ---- The citizen: service hall → service guide → apply -------------------------------------
        let { page, errors } = await newPage()
        await login(page, session.url, 'citizen.demo')
        await page.getByTestId('nav-services').click()
        await page.waitForURL('**/services')
        const card = page.getByTestId('matter-card-BIZ_STARTUP')
        await card.waitFor()
        expect(await page.locator('[data-testid^="matter-card-"]').count()).toBeGreaterThanOrEqual(8)
        const cardText = await card.innerText()
        expect(cardText).toContain('企业开办')
        expect(cardText).toContain('承诺 2 个工作日')
        expect(cardText).toContain('法定 20 个工作日')
        expect(cardText).toContain('跑动 0 次')
        expect(cardText).toContain('全程网办')
        expect(cardText).toContain('并联审批')
        expect(cardText).toContain('市场监督管理局')
        expect(await page.locator('.ant-menu-item-selected').innerText()).toContain('办事大厅')
        // The search narrows the list.
        await inputOf(page, 'services-search').fill('退税')
        await expect.poll(() => page.locator('[data-testid^="matter-card-"]').count()).toBe(1)
        await inputOf(page, 'services-search').fill('')
        await card.waitFor()
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-01-services.png'), fullPage: true })

        // The service guide: materials the government fetches itself are marked 免提交.
        await card.getByTestId('matter-name').click()
        await page.waitForURL('**/services/BIZ_STARTUP')
        await page.getByTestId('materials').waitFor()
        expect(await page.getByTestId('material-APPLICANT_ID').innerText()).toContain(
          '免提交，由政府部门共享获取',
        )
        expect(await page.getByTestId('material-PREMISES_PROOF').innerText()).toContain('在申请表中上传')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-02-matter-guide.png'), fullPage: true })

        await page.getByTestId('apply-BIZ_STARTUP').first().click()
        await page.waitForURL('**/services/BIZ_STARTUP/apply')
        await page.locator('[data-testid="apply-form"] form').waitFor()

        // Prefilled from the household register, each value with its source; verified values are locked.
        const prefill = await page.evaluate(async () => {
          const res = await fetch('/api/matters/BIZ_STARTUP/prefill', { credentials: 'same-origin' })
          return (await res.json()) as { data: { applicant: { name: string; idNumber: string } } }
        })
        const { name, idNumber } = prefill.data.applicant
        expect(await page.locator('#root_applicant_name').inputValue()).toBe(name)
        expect(await page.locator('#root_applicant_idNumber').inputValue()).toBe(idNumber)
        expect(await page.locator('#root_legalRepresentative_idNumber').inputValue()).toBe(idNumber)
        const source = page.locator('[data-testid="prefill-source"][data-path="applicant.name"]')
        expect(await source.innerText()).toContain('来自：公安局（户籍信息）')
        expect(await page.locator('[data-testid="prefill-source"]').count()).toBe(4)
        expect(await page.getByTestId('prefill-banner').innerText()).toContain('4 项信息')
        expect(await page.locator('.xzt-verify-hint').first().innerText()).toContain(
          '与政府记录不一致将被标注',
        )
        expect(await page.locator('#root_applicant_name').isEditable()).toBe(false)
        // "修改" unlocks a verified value.
        await page.getByTestId('unlock-applicant.name').click()
        await expect.poll(() => page.locator('#root_applicant_name').isEditable()).toBe(true)
        expect(await page.locator('#root_applicant_name').inputValue()).toBe(name)
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-03-apply-prefill.png') })

        // Submitting the incomplete form shows what is missing, on the fields, in Chinese.
        await page.getByTestId('apply-form-submit').click()
        await page.getByTestId('apply-form-errors').waitFor()
        expect(await page.getByTestId('apply-form-errors').innerText()).toMatch(/有 \d+ 处需要修改/)
        expect(await page.locator('[data-field="root_applicant_phone"]').innerText()).toContain(
          '此项为必填项',
        )
        expect(await page.locator('[data-field="root_declaration"]').innerText()).toContain('请勾选确认此项')
        expect(page.url()).toContain('/apply')

        // The rest of the form, as the demo's sample submission fills it.
        await page.locator('#root_applicant_phone').fill('13812345678')
        await page.locator('#root_company_name').fill('星城市鸣河区星禾科技有限公司')
        await page.getByRole('radio', { name: '有限责任公司（自然人投资或控股）', exact: true }).check()
        await page.locator('#root_company_registeredCapital').fill('100')
        await page.locator('#root_company_address').fill('潇湘省星城市鸣河区古源街道桃花路88号金鸡大厦1203室')
        await page.getByRole('radio', { name: '租赁', exact: true }).check()
        await page.locator('#root_company_industry').fill('软件和信息技术服务业')
        await page
          .locator('#root_company_businessScope')
          .fill('软件开发；信息技术咨询服务；信息系统集成服务。')
        await page.locator('#root_shareholders_0_name').fill(name)
        await page.locator('#root_shareholders_0_idNumber').fill(idNumber)
        await page.locator('#root_shareholders_0_contribution').fill('60')
        await page.locator('#root_shareholders_0_contributionDate').fill('2031-12-31')
        await page.keyboard.press('Enter')
        await page.getByRole('button', { name: '添加' }).nth(1).click() // the second list: shareholders
        await page.locator('#root_shareholders_1_name').fill(PEOPLE.wife.name)
        await page.locator('#root_shareholders_1_idNumber').fill(PEOPLE.wife.idNumber)
        await page.locator('#root_shareholders_1_contribution').fill('40')
        await page.locator('#root_shareholders_1_contributionDate').fill('2031-12-31')
        await page.keyboard.press('Enter')
        await page.locator('#root_legalRepresentative_phone').fill('13812345678')
        await page.locator('#root_personnel_supervisor_name').fill(PEOPLE.supervisor.name)
        await page.locator('#root_personnel_supervisor_idNumber').fill(PEOPLE.supervisor.idNumber)
        await page.locator('#root_personnel_financeOfficer_name').fill(PEOPLE.finance.name)
        await page.locator('#root_personnel_financeOfficer_idNumber').fill(PEOPLE.finance.idNumber)
        await page.locator('#root_personnel_financeOfficer_phone').fill(PEOPLE.finance.phone)
        for (const seal of ['公章', '财务专用章', '发票专用章']) {
          await page.getByRole('checkbox', { name: seal, exact: true }).check()
        }
        await page.getByRole('radio', { name: '免费邮寄', exact: true }).check()
        await page.getByRole('radio', { name: '小规模纳税人', exact: true }).check()
        await page.locator('#root_socialSecurity_employeeCount').fill('5')
        const pdf = (file: string) => ({
          name: file,
          mimeType: 'application/pdf',
          buffer: Buffer.from(`%PDF-1.4\n% Xingzhengtong e2e: ${file}\n`),
        })
        const lease = pdf('租赁合同.pdf')
        const articles = pdf('公司章程.pdf')
        // Each picked file is uploaded at once; the field shows its name, size and SHA-256 prefix.
        await page
          .locator('[data-testid="file-root_attachments_premisesProof"] input[type="file"]')
          .setInputFiles(lease)
        await page
          .locator('[data-testid="file-root_attachments_articlesOfAssociation"] input[type="file"]')
          .setInputFiles(articles)
        const articlesField = page.getByTestId('file-root_attachments_articlesOfAssociation')
        await articlesField.getByTestId('upload-sha').waitFor()
        expect(await articlesField.innerText()).toContain('公司章程.pdf')
        expect(await articlesField.getByTestId('upload-sha').innerText()).toBe(
          sha256(articles.buffer).slice(0, 12),
        )
        const leaseField = page.getByTestId('file-root_attachments_premisesProof')
        await leaseField.getByTestId('upload-sha').waitFor()
        expect(await leaseField.innerText()).toContain('租赁合同.pdf')
        expect(await leaseField.getByTestId('upload-sha').innerText()).toBe(sha256(lease.buffer).slice(0, 12))
        await scrollToTop(page, '[data-section="attachments"]')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-03b-apply-files.png') })
        await page.getByRole('checkbox', { name: /本人承诺/ }).check()

        await page.getByTestId('apply-form-submit').click()
        await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/)
        const caseId = page.url().split('/').pop() as string
        await page.locator('[data-testid="case-status"][data-status="submitted"]').waitFor()
        expect(await page.getByTestId('case-status').innerText()).toContain('已提交')
        expect(await page.getByTestId('case-matter').innerText()).toContain('企业开办')
        const timeline = page.getByTestId('case-timeline')
        await timeline.locator('[data-node="accept"]').waitFor()
        expect(await timeline.locator('[data-node="submit"]').innerText()).toMatch(/账本 4301#\d+/)
        expect(await timeline.locator('[data-node="accept"]').innerText()).toContain('古源街道便民服务中心')
        expect(await page.getByTestId('case-data').innerText()).toContain('星城市鸣河区星禾科技有限公司')
        // The case lists its files with their SHA-256, and the data shows them by name.
        const files = page.getByTestId('case-attachments')
        expect(await files.locator('[data-testid="attachment-row"]').count()).toBe(2)
        expect(await files.innerText()).toContain(sha256(lease.buffer).slice(0, 12))
        expect(await page.getByTestId('case-data').innerText()).toContain('公司章程.pdf')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-04-case-submitted.png'), fullPage: true })
        expect(errors).toEqual([])

        // ---- Acceptance at the street service centre, in the workbench ------------------------------
        ;({ page, errors } = await newPage())
        await login(page, session.url, 'clerk.demo')
        expect(await page.getByTestId('nav-window').count()).toBe(1)
        await page.getByTestId('nav-workbench').click()
        await page.waitForURL('**/workbench')
        const clerk = await apiLogin('clerk.demo')
        const acceptTask = (await apiCall<TaskView[]>(clerk, 'GET', '/api/tasks')).body.find(
          (t) => t.caseId === caseId && t.node === 'accept',
        )
        expect(acceptTask).toBeDefined()
        const acceptRow = page.locator(`[data-testid="inbox-table"] tr[data-row-key="${acceptTask!.id}"]`)
        await acceptRow.waitFor()
        expect(await acceptRow.innerText()).toContain('综合窗口受理')
        expect(await acceptRow.locator('[data-testid="countdown"]').innerText()).toMatch(/剩余|超期/)
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-05-workbench-inbox.png') })

        await page.getByTestId(`task-open-${acceptTask!.id}`).click()
        await page.waitForURL(`**/workbench/${acceptTask!.id}`)
        await page.getByTestId('task-data').waitFor()
        expect(await page.getByTestId('task-title').innerText()).toContain('综合窗口受理')
        expect(await page.getByTestId('task-data').innerText()).toContain('星城市鸣河区星禾科技有限公司')
        // Reject and supplement need a reason.
        await page.getByTestId('task-supplement').click()
        expect(await page.getByTestId('decision').innerText()).toContain('必须填写理由')
        await page.getByTestId('task-comment').fill('材料齐全，予以受理')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-06-task-accept.png') })
        await page.getByTestId('task-approve').click()
        await page.waitForURL('**/workbench')
        await page.locator('.ant-message').getByText('已通过').waitFor()
        await expect.poll(() => acceptRow.count()).toBe(0)
        expect(errors).toEqual([])

        // ---- The four county departments work in parallel ------------------------------------------
        const citizen = await apiLogin('citizen.demo')
        const accepted = (await apiCall<CaseView>(citizen, 'GET', `/api/cases/${caseId}`)).body
        const open = accepted.timeline.filter((s) => s.completedAt === null && s.departmentId)
        expect(open.map((s) => s.node).sort()).toEqual([...PARALLEL].sort())
        // Each is worked by the README's demo account of its county department (no account created here).
        const officials = new Map(Object.entries(COUNTY_ACCOUNTS))
        for (const step of open) {
          const me = (
            await apiCall<{ departmentId: string }>(
              await apiLogin(officials.get(step.node)!),
              'GET',
              '/api/auth/me',
            )
          ).body
          expect(me.departmentId, step.node).toBe(step.departmentId)
        }

        // Market regulation through the workbench: inbox → task → approve.
        ;({ page, errors } = await newPage())
        await login(page, session.url, officials.get('market_registration')!)
        await page.getByTestId('nav-workbench').click()
        const market = await apiLogin(officials.get('market_registration')!)
        const marketTask = (await apiCall<TaskView[]>(market, 'GET', '/api/tasks')).body.find(
          (t) => t.caseId === caseId,
        )
        expect(marketTask?.node).toBe('market_registration')
        await page.locator(`[data-testid="inbox-table"] tr[data-row-key="${marketTask!.id}"]`).click()
        await page.waitForURL(`**/workbench/${marketTask!.id}`)
        await page.getByTestId('task-data').waitFor()
        expect(await page.getByTestId('task-title').innerText()).toContain('设立登记')
        const seen = await page.getByTestId('task-data').innerText()
        expect(seen).toContain('星城市鸣河区星禾科技有限公司')
        // The official downloads a file of the case: checked by the server, recorded as an access.
        const taskFiles = page.getByTestId('task-attachments')
        await taskFiles.waitFor()
        const [officialDownload] = await Promise.all([
          page.waitForEvent('download'),
          taskFiles
            .locator('[data-testid="attachment-row"][data-path="attachments.articlesOfAssociation"]')
            .getByTestId('attachment-download')
            .click(),
        ])
        expect(officialDownload.suggestedFilename()).toBe('公司章程.pdf')
        expect(fs.readFileSync(await officialDownload.path()).equals(articles.buffer)).toBe(true)
        // The timeline shows the four parallel steps, each still open.
        expect(await page.locator('[data-testid="timeline-step"][data-outcome="pending"]').count()).toBe(4)
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-07-task-view.png') })
        await page.getByTestId('task-comment').fill('符合设立登记条件，核发营业执照')
        await page.getByTestId('task-approve').click()
        await page.waitForURL('**/workbench')
        await page.locator('.ant-message').getByText('已通过').waitFor()
        expect(errors).toEqual([])

        // The other three through the API.
        for (const node of PARALLEL.filter((n) => n !== 'market_registration')) {
          const token = await apiLogin(officials.get(node)!)
          const task = (await apiCall<TaskView[]>(token, 'GET', '/api/tasks')).body.find(
            (t) => t.caseId === caseId,
          )
          expect(task?.node, node).toBe(node)
          const done = await apiCall<CaseView>(token, 'POST', `/api/tasks/${task!.id}/complete`, {
            outcome: 'approve',
            comment: '同意',
          })
          expect(done.status, node).toBe(200)
        }

        // ---- The citizen sees the completed case, its timeline and receipts -------------------------
        ;({ page, errors } = await newPage())
        await login(page, session.url, 'citizen.demo')
        await page.getByTestId('nav-cases').click()
        await page.waitForURL('**/cases')
        const row = page.getByTestId(`case-row-${caseId}`)
        await row.waitFor()
        expect(await row.getAttribute('data-status')).toBe('completed')
        expect(await row.innerText()).toContain('已办结')
        await row.click()
        await page.waitForURL(`**/cases/${caseId}`)
        await page.locator('[data-testid="case-status"][data-status="completed"]').waitFor()
        expect(await page.getByTestId('case-status').innerText()).toContain('已办结')
        await page.getByTestId('case-completed').waitFor()
        const steps = page.locator('[data-testid="timeline-step"]')
        expect(await steps.count()).toBe(6)
        expect(await page.locator('[data-testid="timeline-step"][data-outcome="approve"]').count()).toBe(5)
        for (const node of ['submit', 'accept', ...PARALLEL]) {
          const step = page.locator(`[data-testid="timeline-step"][data-node="${node}"]`)
          expect(await step.locator('[data-testid="ledger-position"]').innerText(), node).toMatch(
            /账本 4301#\d+/,
          )
        }
        const marketStep = await page
          .locator('[data-testid="timeline-step"][data-node="market_registration"]')
          .innerText()
        expect(marketStep).toContain('鸣河区市场监督管理局')
        expect(marketStep).toContain('经办人')
        expect(marketStep).toContain('并联')
        expect(
          await page.locator('[data-testid="timeline-step"] .ant-tag', { hasText: '并联' }).count(),
        ).toBe(4)
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-08-completed.png'), fullPage: true })

        // The citizen downloads a file: the same bytes, under its Chinese name.
        await scrollToTop(page, '[data-testid="case-attachments"]')
        const [fileDownload] = await Promise.all([
          page.waitForEvent('download'),
          page
            .locator('[data-testid="attachment-row"][data-path="attachments.premisesProof.0"]')
            .getByTestId('attachment-download')
            .click(),
        ])
        expect(fileDownload.suggestedFilename()).toBe('租赁合同.pdf')
        expect(fs.readFileSync(await fileDownload.path()).equals(lease.buffer)).toBe(true)
        const completedView = (await apiCall<CaseView>(citizen, 'GET', `/api/cases/${caseId}`)).body
        expect(completedView.attachments.map((a) => a.sha256).sort()).toEqual(
          [sha256(lease.buffer), sha256(articles.buffer)].sort(),
        )

        // All receipts in one file: every ledger entry of the case as a tlog-proof, with the keys.
        await scrollToTop(page, '[data-testid="receipt-download"]')
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByTestId('receipt-download').click(),
        ])
        expect(download.suggestedFilename()).toBe(`case-${caseId}-receipts.json`)
        const saved = path.join(artifacts, 'cases-receipts.json')
        await download.saveAs(saved)
        const receipts = JSON.parse(fs.readFileSync(saved, 'utf8')) as {
          caseId: string
          keys: string[]
          entries: { log: string; index: number; type: string; receipt: string }[]
        }
        expect(receipts.caseId).toBe(caseId)
        expect(receipts.keys.length).toBeGreaterThanOrEqual(2)
        const types = receipts.entries.map((e) => e.type)
        expect(types).toContain('case.submitted')
        expect(types).toContain('task.completed')
        for (const e of receipts.entries) expect(e.receipt).toContain('c2sp.org/tlog-proof')
        submitted = receipts.entries.find((e) => e.type === 'case.submitted') ?? null
        // The server verifies a downloaded receipt against the published keys.
        const check = await apiCall<{ valid?: boolean; ok?: boolean }>(
          citizen,
          'POST',
          '/api/ledger/verify-receipt',
          {
            receipt: receipts.entries[0]!.receipt,
          },
        )
        expect(check.status).toBe(200)
        // The whole file verifies offline, as `xzt ledger verify-receipt` reads it; what a person reads
        // in it is in Chinese (and English), each entry named, times in Beijing time.
        const bundle = verifyReceiptBundle(fs.readFileSync(saved, 'utf8'), receipts.keys)
        expect(bundle.entries).toHaveLength(receipts.entries.length)
        const human = JSON.parse(fs.readFileSync(saved, 'utf8')) as {
          title: { zh: string }
          about: { zh: string }
          entries: { type: string; typeName: { zh: string }; beijingTime: string }[]
        }
        expect(human.title.zh).toBe('星政通办件账本收据')
        expect(human.about.zh).toContain('企业开办')
        expect(human.entries.find((e) => e.type === 'case.completed')?.typeName.zh).toBe('办件办结')
        for (const e of human.entries) expect(e.beijingTime).toMatch(/\+08:00$/)

        // Who viewed my data: the officials who opened the case for their tasks, not flagged.
        await page.goto(`${session.url}/cases/data-access`)
        await page.locator('[data-testid="access-row"]').first().waitFor()
        const accessText = await page.getByTestId('access-table').innerText()
        expect(accessText).toContain('张雪霞') // clerk.demo
        expect(accessText).toContain(
          (await apiCall<{ name: string }>(market, 'GET', '/api/auth/me')).body.name,
        ) // market.demo
        expect(accessText).toContain('附件：申请材料 · 公司章程')
        expect(await page.locator('[data-testid="access-row"][data-flagged="true"]').count()).toBe(0)
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-09-data-access.png') })
        expect(errors).toEqual([])
      },
    )

    it('auditor: a ledger position opens in the audit console look-up', { timeout: 120_000 }, async () => {
      expect(submitted).not.toBeNull()
      const { log, index } = submitted!
      const { page, errors } = await newPage()
      await login(page, session.url, 'auditor')
      await page.goto(`${session.url}/audit?log=${log}&index=${index}`)
      const result = page.locator(`[data-testid="lookup-result"][data-log="${log}"][data-index="${index}"]`)
      await result.waitFor()
      // The event type by its display name (the raw type is in the tag's title and the event's JSON).
      expect(await result.locator('[data-type="case.submitted"]').first().innerText()).toBe('办件提交')
      expect(errors).toEqual([])
    })

    it(
      'window clerk: finds the citizen by ID number (or registers them on the spot) and submits for them',
      { timeout: 120_000 },
      async () => {
        const { page, errors } = await newPage()
        await login(page, session.url, 'clerk.demo')
        await page.getByTestId('nav-window').click()
        await page.waitForURL('**/window')
        await page.getByTestId('window-matter').click()
        await page.keyboard.type('个人所得税')
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click()
        await page.waitForURL('**/window/TAX_REFUND')
        await page.locator('[data-testid="window-form"] form').waitFor()
        // No prefill at the window: the form starts empty.
        expect(await page.locator('#root_applicant_name').inputValue()).toBe('')
        expect(await page.locator('[data-testid="prefill-source"]').count()).toBe(0)

        // The citizen is found by the ID card they hand over, never by an internal account id: a mistyped
        // number is caught before any look-up, an unknown one offers registration on the spot.
        await inputOf(page, 'citizen-query').fill('430101199312198778')
        await page.getByTestId('citizen-search').click()
        await page.locator('.ant-form-item-explain-error', { hasText: '校验位不符' }).waitFor()
        const newcomer = idNumberWithCheck('43010219900101002')
        await inputOf(page, 'citizen-query').fill(newcomer)
        await page.getByTestId('citizen-search').click()
        await page.getByTestId('citizen-none').waitFor()
        await page.getByTestId('citizen-register-open').click()
        expect(await inputOf(page, 'register-idNumber').inputValue()).toBe(newcomer)
        await inputOf(page, 'register-name').fill('窗口新')
        await inputOf(page, 'register-phone').fill('13812345678')
        await page.getByTestId('register-submit').click()
        const chosen = page.getByTestId('citizen-chosen')
        await chosen.waitFor()
        expect(await page.locator('#root_applicant_name').inputValue()).toBe('窗口新')
        expect(await page.locator('#root_applicant_idNumber').inputValue()).toBe(newcomer)
        expect(await chosen.innerText()).toContain('窗*新')
        expect(await chosen.innerText()).toContain(`4301**********${newcomer.slice(-4)}`)
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-10a-window-registered.png') })
        // Another citizen: by their ID number, masked.
        await page.getByTestId('citizen-change').click()
        await inputOf(page, 'citizen-query').fill(secondCitizen.idNumber)
        await page.getByTestId('citizen-search').click()
        await page.locator(`[data-testid="citizen-chosen"][data-citizen="${secondCitizen.id}"]`).waitFor()
        expect(await page.getByTestId('citizen-chosen').innerText()).not.toContain(secondCitizen.name)
        // What the clerk typed to find them fills the form: the ID number; the newcomer's name and phone,
        // filled when they were registered, are cleared again.
        expect(await page.locator('#root_applicant_idNumber').inputValue()).toBe(secondCitizen.idNumber)
        expect(await page.locator('#root_applicant_name').inputValue()).toBe('')
        await page.locator('#root_applicant_name').fill(secondCitizen.name)
        await page.locator('#root_applicant_phone').fill(secondCitizen.phone)
        await page.locator('#root_taxReturn_taxYear').fill('2025')
        await page.locator('#root_taxReturn_annualIncome').fill('186000')
        await page.locator('#root_taxReturn_taxPayable').fill('5280')
        await page.locator('#root_taxReturn_taxPaid').fill('6600')
        await page.locator('#root_taxReturn_refundable').fill('1320')
        await page.locator('#root_bank_bankName').click()
        await page
          .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '中国工商银行' })
          .click()
        await page.locator('#root_bank_accountNumber').fill('6222021901001234567')
        await page.getByRole('checkbox', { name: /本人承诺|承诺/ }).check()
        // The clerk scans a document the citizen brought: uploaded for the applicant.
        const scan = {
          name: '专项附加扣除证明.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('%PDF-1.4\n% window scan\n'),
        }
        await page
          .locator('[data-testid="file-root_specialDeductionProofs"] input[type="file"]')
          .setInputFiles(scan)
        const proofs = page.getByTestId('file-root_specialDeductionProofs')
        await proofs.getByTestId('upload-sha').waitFor()
        expect(await proofs.getByTestId('upload-sha').innerText()).toBe(sha256(scan.buffer).slice(0, 12))
        await page.getByTestId('window-form-submit').click()
        const created = page.getByTestId('window-created')
        await created.waitFor()
        expect(await created.getAttribute('data-case')).toMatch(/^[0-9a-f-]{36}$/)
        expect(await page.getByTestId('window-case-status').innerText()).toMatch(/已提交|已受理|办理中/)
        expect(await created.innerText()).toContain('窗口受理')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-10-window.png') })
        expect(errors).toEqual([])
      },
    )

    it(
      'supplement: the citizen reads what the official asked for; colleagues see it on the timeline',
      { timeout: 180_000 },
      async () => {
        const citizen = await apiLogin('citizen.demo')
        const caseId = await applyResidencePermit(citizen)
        const reason = '请补充近六个月的居住证明（房屋租赁合同或房产证明）。'
        // Accept at the window, then the public security review asks for a supplement.
        const desks = new Map<string, string>()
        let reviewer: { token: string; username: string } | null = null
        for (let round = 0; round < 5; round++) {
          const view = (await apiCall<CaseView>(citizen, 'GET', `/api/cases/${caseId}`)).body
          const step = view.timeline.find(
            (s) => s.completedAt === null && s.departmentId && s.outcome !== 'cancelled',
          )!
          const review = step.departmentId!.endsWith('public_security')
          const username = `e2e.desk.${step.node.replace(/_/g, '-')}`
          let token = desks.get(username)
          if (!token) {
            token = await staffIn(step.departmentId!, username, '经办人', ['clerk', 'official'])
            desks.set(username, token)
          }
          const task = (await apiCall<TaskView[]>(token, 'GET', '/api/tasks')).body.find(
            (t) => t.caseId === caseId,
          )!
          const body = review ? { outcome: 'supplement', comment: reason } : { outcome: 'approve' }
          expect((await apiCall(token, 'POST', `/api/tasks/${task.id}/complete`, body)).status).toBe(200)
          if (review) {
            reviewer = { token, username }
            break
          }
        }
        expect(reviewer).not.toBeNull()

        // The citizen: the supplement card says what is needed, and so does the timeline step.
        let { page, errors } = await newPage()
        await login(page, session.url, 'citizen.demo')
        await page.goto(`${session.url}/cases/${caseId}`)
        await page.getByTestId('supplement-card').waitFor()
        expect(await page.getByTestId('supplement-reason').innerText()).toContain(reason)
        const asked = page.locator('[data-testid="timeline-step"][data-outcome="supplement"]')
        expect(await asked.getByTestId('step-comment').innerText()).toContain(reason)
        await settle(page)
        await page.screenshot({
          path: path.join(artifacts, 'cases-13-supplement-reason.png'),
          fullPage: true,
        })
        expect(errors).toEqual([])

        // The citizen supplements; the reviewing department sees its colleague's request on the timeline.
        const supplement = (await apiCall<TaskView[]>(citizen, 'GET', '/api/tasks')).body.find(
          (t) => t.caseId === caseId && t.kind === 'applicant',
        )!
        expect(
          (await apiCall(citizen, 'POST', `/api/tasks/${supplement.id}/complete`, { outcome: 'approve' }))
            .status,
        ).toBe(200)
        const again = (await apiCall<TaskView[]>(reviewer!.token, 'GET', '/api/tasks')).body.find(
          (t) => t.caseId === caseId,
        )!
        ;({ page, errors } = await newPage())
        await login(page, session.url, reviewer!.username)
        await page.goto(`${session.url}/workbench/${again.id}`)
        await page.getByTestId('task-data').waitFor()
        const earlier = page.locator('[data-testid="timeline-step"][data-outcome="supplement"]')
        expect(await earlier.getByTestId('step-comment').innerText()).toContain(reason)
        await scrollToTop(page, '[data-testid="timeline-step"][data-outcome="supplement"]')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-14-task-colleague-comment.png') })
        expect(errors).toEqual([])
      },
    )

    it(
      'flagged access: the supervisor reviews it in the workbench, an administrator sees it, the citizen sees the verdict',
      { timeout: 180_000 },
      async () => {
        const citizen = await apiLogin('citizen.demo')
        const caseId = await applyResidencePermit(citizen)
        // A leader of the market regulation bureau (an overseer of the city; a supervisor oversees only
        // their department's cases) opens a case their bureau has no task on.
        const looker = await staffIn('4301-market_regulation', 'e2e.sup.look', '监督员乙', ['leader'])
        expect((await apiCall(looker, 'GET', `/api/cases/${caseId}`)).status).toBe(200)

        let { page, errors } = await newPage()
        await login(page, session.url, 'supervisor.demo')
        await page.getByTestId('nav-workbench').click()
        await page.waitForURL('**/workbench')
        await expect
          .poll(async () =>
            Number((await page.getByTestId('tab-flagged').innerText()).match(/\d+/)?.[0] ?? 0),
          )
          .toBeGreaterThanOrEqual(1)
        await page.getByTestId('tab-flagged').click()
        const row = page.locator('[data-testid="flag-row"]', { hasText: '监督员乙' }).first()
        await row.waitFor()
        expect(await row.innerText()).toContain(caseId.slice(0, 8))
        expect(await row.innerText()).toContain('待核查')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-15-flagged-accesses.png') })

        // An unjustified verdict needs a note.
        const flagId = (await row.getAttribute('data-flag'))!
        await page.getByTestId(`flag-review-${flagId}`).click()
        await page.getByTestId('flag-verdict-unjustified').click()
        await page.getByTestId('flag-review-submit').click()
        await page.locator('.ant-form-item-explain-error', { hasText: '必须填写核查说明' }).waitFor()
        await page.getByTestId('flag-note').fill('无办理任务查看群众材料，已提醒当事人。')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-16-flag-review.png') })
        await page.getByTestId('flag-review-submit').click()
        await page.locator('.ant-message').getByText('已记录核查结论').waitFor()
        await expect
          .poll(() => page.locator(`[data-testid="flag-row"][data-flag="${flagId}"]`).count())
          .toBe(0)
        await page.getByTestId('flag-filter').getByText('已核查').click()
        const done = page.locator(`[data-testid="flag-row"][data-flag="${flagId}"]`)
        await done.waitFor()
        expect(await done.getByTestId('flag-verdict').getAttribute('data-verdict')).toBe('unjustified')
        expect(await done.innerText()).toMatch(/账本 4301#\d+/)
        expect(errors).toEqual([])

        // The city administrator has the same flag on a page of their own.
        ;({ page, errors } = await newPage())
        await login(page, session.url, 'admin.4301')
        await page.getByTestId('nav-access-review').click()
        await page.waitForURL('**/access-review')
        await page.getByTestId('flag-filter').getByText('全部').click()
        await page.locator(`[data-testid="flag-row"][data-flag="${flagId}"]`).waitFor()
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-17-access-review-admin.png') })
        // In English too.
        await page.getByTestId('lang-switch').click()
        await expect
          .poll(() => page.getByTestId('access-review-page').innerText())
          .toContain('Flagged data accesses')
        expect(await page.locator(`[data-testid="flag-row"][data-flag="${flagId}"]`).innerText()).toContain(
          'Unjustified',
        )
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-17-access-review-admin-en.png') })
        await page.getByTestId('lang-switch').click()
        expect(errors).toEqual([])

        // The citizen sees the look and the verdict.
        ;({ page, errors } = await newPage())
        await login(page, session.url, 'citizen.demo')
        await page.goto(`${session.url}/cases/data-access`)
        const flagged = page.locator('[data-testid="access-row"][data-flagged="true"]', {
          hasText: '监督员乙',
        })
        await flagged.first().waitFor()
        expect(await flagged.first().getByTestId('access-review').getAttribute('data-verdict')).toBe(
          'unjustified',
        )
        expect(await flagged.first().innerText()).toContain('无正当理由')
        await settle(page)
        await page.screenshot({ path: path.join(artifacts, 'cases-18-citizen-verdict.png') })
        expect(errors).toEqual([])
      },
    )

    it('citizen on a phone: the apply form fits the screen', { timeout: 120_000 }, async () => {
      const { page, errors } = await newPage({ width: 390, height: 844 })
      await login(page, session.url, 'citizen.demo')
      await page.goto(`${session.url}/services/BIZ_STARTUP/apply`)
      await page.locator('[data-testid="apply-form"] form').waitFor()
      await page.locator('[data-testid="prefill-source"]').first().waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow).toBeLessThanOrEqual(1)
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'cases-11-phone-apply.png') })
      await page.screenshot({ path: path.join(artifacts, 'cases-11-phone-apply-full.png'), fullPage: true })
      await page.goto(`${session.url}/cases`)
      await page.locator('[data-testid^="case-row-"]').first().waitFor()
      await settle(page)
      await page.screenshot({ path: path.join(artifacts, 'cases-12-phone-cases.png') })
      expect(errors).toEqual([])
    })
  },
)
