/**
 * The promotion ranking, the what-if comparison and the Excel export on both dialects, over a small
 * fixture: three residence-permit cases decided by a county police desk and rated 5, 4 and 4, and a
 * market complaint handled by a market desk and rated satisfied. Ties and small samples of the
 * promotion ranking; a what-if under a published version equals `scorecards?policyVersion=N`; a draft
 * with changed weights gives the total computed by hand; an invalid draft is a 400 naming each
 * violation; an official sees only their own row; the organisation department gets the workbook,
 * whose cells are the JSON scorecards', and an official is refused it.
 */
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { caseFinisher } from '../../../../test/support/cases.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { DEMO_POLICIES } from '../sim/demo.policies.js'
import { scale, type FormulaPolicy } from './assessment.model.js'
import { HEADER_ROWS, SHEETS } from './assessment-export.service.js'
import type { WhatIfResult } from './assessment-whatif.service.js'
import type { ScorecardRow } from './assessment.service.js'

/** exceljs types its input as the Buffer of older @types/node (an ArrayBuffer-backed one). */
const workbookBytes = (b: Buffer) => b as unknown as Parameters<ExcelJS.Xlsx['load']>[0]

const formulaV1 = DEMO_POLICIES['assessment.formula'] as FormulaPolicy
const weightOf = (code: string) => formulaV1.indicators.find((i) => i.code === code)!
const s1 = (code: string, value: number) => scale(value, weightOf(code).worst, weightOf(code).best)

describe.each(DIALECTS)('promotion ranking, what-if and export on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let orgdept: string
  let period: string
  let county: string
  let police: { staff: string; token: string }
  let market: { staff: string; token: string }
  let window: { staff: string }

  const me = async (token: string) => (await api(app, 'GET', '/api/auth/me', { token })).body.id as string
  const cards = async (query: string, token = admin) => {
    const res = await api(app, 'GET', `/api/assessment/scorecards?${query}`, { token })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as ScorecardRow[]
  }
  const whatIf = async (body: Record<string, unknown>, token = admin) => {
    const res = await api(app, 'POST', '/api/assessment/what-if', { token, body })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as WhatIfResult
  }
  const row = <R extends { subject: { id: string } }>(rows: R[], id: string) =>
    rows.find((r) => r.subject.id === id)!
  const officials = () => ({ level: 'official', region: county, period })

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    admin = await login(app, 'admin')
    orgdept = await login(app, 'orgdept.demo')
    const citizen = await login(app, 'citizen.demo')
    const finisher = caseFinisher(app, 't.whatif', { citizen, admin })
    period = String(new Date(app.services.clock.now() + 8 * 3_600_000).getUTCFullYear())
    const cases = [
      await finisher.finishedCase(),
      await finisher.finishedCase(),
      await finisher.finishedCase(),
    ]
    const decided = cases[0]!.timeline.find((s) => s.node === 'police_review')!
    const accepted = cases[0]!.timeline.find((s) => s.node === 'accept')!
    const policeToken = await finisher.desk(decided.departmentId!)
    police = { token: policeToken, staff: await me(policeToken) }
    window = { staff: await me(await finisher.desk(accepted.departmentId!)) }
    county = cases[0]!.regionCode.slice(0, 6)
    for (const [i, score] of [5, 4, 4].entries()) {
      const res = await api(app, 'POST', `/api/cases/${cases[i]!.id}/rating`, {
        token: citizen,
        body: { score },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
    const filed = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: {
        kind: 'complaint',
        category: 'market/pricing',
        text: '价格标签不符',
        regionCode: cases[0]!.regionCode,
      },
    })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    const marketToken = await finisher.desk(filed.body.department.id as string)
    market = { token: marketToken, staff: await me(marketToken) }
    for (const step of ['accept', 'respond', 'resolve'] as const) {
      const r = await api(app, 'POST', `/api/appeals/${filed.body.id}/${step}`, {
        token: marketToken,
        ...(step === 'accept' ? {} : { body: { text: '已处理' } }),
      })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }
    const rated = await api(app, 'POST', `/api/appeals/${filed.body.id}/rating`, {
      token: citizen,
      body: { satisfaction: 'satisfied' },
    })
    expect(rated.status, JSON.stringify(rated.body)).toBe(200)
    // The organisation department's evaluation: the same for police and market, higher for the window.
    for (const [staffId, score] of [
      [police.staff, 80],
      [market.staff, 80],
      [window.staff, 95],
    ] as const) {
      const r = await api(app, 'POST', '/api/assessment/org-evaluations', {
        token: orgdept,
        body: { staffId, period, score },
      })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
    }
  })
  afterAll(() => app?.dispose())

  it('counts the facts behind the promotion index and leaves small samples unranked', async () => {
    const rows = await cards(`level=official&region=${county}&period=${period}`)
    const p = row(rows, police.staff)
    // Three ratings behind the satisfaction part; no reform score, no appeal rating.
    expect(p).toMatchObject({ promotionSample: 3, promotionSmallSample: true, promotionRank: null })
    expect(p.promotionIndex).toBeCloseTo((s1('rating_avg', 13 / 3) + 80) / 2, 9)
    expect(row(rows, market.staff)).toMatchObject({ promotionSample: 1, promotionSmallSample: true })
    // The organisation evaluation alone is no sample: an index, but never a rank.
    expect(row(rows, window.staff)).toMatchObject({
      promotionIndex: 95,
      promotionSample: 0,
      promotionSmallSample: true,
      promotionRank: null,
    })
    // The demo policy's minimum of ten facts: nobody here is ranked.
    expect(rows.every((r) => r.promotionRank === null)).toBe(true)
  })

  it('ranks by promotion index under a draft promotion policy, ties sharing a rank', async () => {
    const organisationOnly = { weights: { reform: 0, organisation: 1, satisfaction: 0 }, minSample: 1 }
    const res = await whatIf({ ...officials(), promotion: { document: organisationOnly } })
    expect(res.candidate).toEqual({
      policyVersion: 'assessment.formula@1',
      promotionPolicy: 'assessment.promotion@draft',
    })
    expect(res.current.promotionPolicy).toBe('assessment.promotion@1')
    // Police and market both at 80: rank 1 shared; the window's 95 rests on no fact: not ranked.
    expect(row(res.rows, police.staff).candidate).toMatchObject({ promotionIndex: 80, promotionRank: 1 })
    expect(row(res.rows, market.staff).candidate).toMatchObject({ promotionIndex: 80, promotionRank: 1 })
    expect(row(res.rows, window.staff).candidate).toMatchObject({ promotionIndex: 95, promotionRank: null })
    expect(row(res.rows, police.staff).current.promotionRank).toBeNull()
    // Two facts at least: the market official's one appeal rating is a small sample.
    const two = await whatIf({
      ...officials(),
      promotion: { document: { ...organisationOnly, minSample: 2 } },
    })
    expect(row(two.rows, police.staff).candidate.promotionRank).toBe(1)
    expect(row(two.rows, market.staff).candidate.promotionRank).toBeNull()
    // The formula is the governing one: totals unchanged.
    expect(row(two.rows, police.staff).delta.total).toBe(0)
  })

  it('under a published version equals the scorecards computed under it', async () => {
    const v2: FormulaPolicy = {
      ...formulaV1,
      dimensions: { experience: 1, traceability: 3, consistency: 1 },
      minSample: 1,
    }
    const published = await api(app, 'POST', '/api/policies/assessment.formula', {
      token: admin,
      body: { body: v2, effectiveAt: app.services.clock.now() + 3 * 366 * 86_400_000, note: '征求意见稿' },
    })
    expect(published.status, JSON.stringify(published.body)).toBe(201)
    const version = published.body.version as number
    for (const level of ['official', 'department'] as const) {
      const res = await whatIf({ level, region: county, period, formula: { version } })
      expect(res.current.policyVersion).toBe('assessment.formula@1')
      expect(res.candidate.policyVersion).toBe(`assessment.formula@${version}`)
      const under = await cards(`level=${level}&region=${county}&period=${period}&policyVersion=${version}`)
      const governing = await cards(`level=${level}&region=${county}&period=${period}`)
      expect(res.rows.map((r) => r.subject.id)).toEqual(under.map((r) => r.subject.id))
      for (const [i, r] of res.rows.entries()) {
        const pick = (c: ScorecardRow) => ({
          total: c.total,
          rank: c.rank,
          dimensions: c.dimensions,
          ...(level === 'official'
            ? { promotionIndex: c.promotionIndex, promotionRank: c.promotionRank }
            : {}),
        })
        expect(r.candidate).toEqual(pick(under[i]!))
        expect(r.current).toEqual(pick(governing[i]!))
        const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b)
        expect(r.delta.total).toBe(delta(under[i]!.total, governing[i]!.total))
        expect(r.delta.rank).toBe(delta(under[i]!.rank, governing[i]!.rank))
      }
    }
    expectError(
      await api(app, 'POST', '/api/assessment/what-if', {
        token: admin,
        body: { ...officials(), formula: { version: 999 } },
      }),
      404,
      'NOT_FOUND',
    )
  })

  it('computes a draft formula with changed weights as by hand', async () => {
    const draft: FormulaPolicy = {
      ...formulaV1,
      dimensions: { experience: 1, traceability: 3, consistency: 1 },
      indicators: formulaV1.indicators.map((i) =>
        i.code === 'rating_avg'
          ? { ...i, weight: 1 }
          : i.code === 'bad_review_rate'
            ? { ...i, weight: 3 }
            : i,
      ),
    }
    const res = await whatIf({ ...officials(), formula: { document: draft } })
    expect(res.candidate.policyVersion).toBe('assessment.formula@draft')
    const p = row(res.rows, police.staff)
    // Police: rating_avg 13/3 (weight 1), no bad review (100, weight 3); every step on time, no supplement.
    const experience = (s1('rating_avg', 13 / 3) * 1 + 100 * 3) / 4
    expect(p.candidate.dimensions.experience).toBeCloseTo(experience, 9)
    expect(p.candidate.total).toBeCloseTo((experience * 1 + 100 * 3) / 4, 9)
    const v1Experience = (s1('rating_avg', 13 / 3) * 3 + 100 * 2) / 5
    expect(p.current.total).toBeCloseTo((v1Experience * 4 + 100 * 4) / 8, 9)
    expect(p.delta.total).toBeCloseTo(p.candidate.total! - p.current.total!, 9)
  })

  it('refuses an invalid draft naming each violation', async () => {
    const res = await api(app, 'POST', '/api/assessment/what-if', {
      token: admin,
      body: {
        ...officials(),
        formula: {
          document: { ...formulaV1, dimensions: { experience: -1, traceability: 1 }, minSample: 0 },
        },
      },
    })
    expectError(res, 400, 'VALIDATION_FAILED')
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/body/formula/document/dimensions',
        '/body/formula/document/dimensions/experience',
        '/body/formula/document/minSample',
      ]),
    )
    const promotion = await api(app, 'POST', '/api/assessment/what-if', {
      token: admin,
      body: {
        ...officials(),
        promotion: { document: { weights: { reform: 1 }, minSample: 1, extra: true } },
      },
    })
    expectError(promotion, 400, 'VALIDATION_FAILED')
    expect((promotion.body.error.details as { path: string }[]).map((d) => d.path)).toEqual(
      expect.arrayContaining(['/body/promotion/document', '/body/promotion/document/weights']),
    )
    // A candidate is a version or a document, not both, not neither.
    for (const formula of [{}, { version: 1, document: formulaV1 }])
      expectError(
        await api(app, 'POST', '/api/assessment/what-if', {
          token: admin,
          body: { ...officials(), formula },
        }),
        400,
        'VALIDATION_FAILED',
      )
  })

  it('scopes the what-if as the scorecards: an official sees only their own row', async () => {
    const own = await whatIf({ ...officials(), formula: { document: formulaV1 } }, police.token)
    expect(own.rows.map((r) => r.subject.id)).toEqual([police.staff])
    expectError(
      await api(app, 'POST', '/api/assessment/what-if', {
        token: police.token,
        body: { level: 'region', region: county, period },
      }),
      403,
      'FORBIDDEN',
    )
  })

  it('exports the workbook to the organisation department, cell for cell the JSON scorecards', async () => {
    const refused = await api(
      app,
      'GET',
      `/api/assessment/scorecards/export.xlsx?level=official&region=${county}&period=${period}`,
      { token: police.token },
    )
    expectError(refused, 403, 'FORBIDDEN')
    const res = await app.server.inject({
      method: 'GET',
      url: `/api/assessment/scorecards/export.xlsx?level=official&region=${county}&period=${period}`,
      headers: { authorization: `Bearer ${orgdept}` },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    const regionName = (await app.services.regions.getRegion(county)).name
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(`考核结果-${regionName}-${period}.xlsx`)}`,
    )
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(workbookBytes(res.rawPayload))
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      SHEETS.scorecards,
      SHEETS.promotion,
      SHEETS.definitions,
    ])
    const json = await cards(`level=official&region=${county}&period=${period}`, orgdept)
    const sheet = wb.getWorksheet(SHEETS.scorecards)!
    expect(sheet.getCell('A1').value).toBe('干部考核结果')
    expect(sheet.getCell('B2').value).toBe(period)
    expect(sheet.getCell('B3').value).toBe(`${regionName}（${county}）`)
    expect(sheet.getCell('B4').value).toBe('assessment.formula@1')
    expect(sheet.getCell('B5').value).toBe('assessment.promotion@1')
    expect(sheet.getCell('B6').text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）$/)
    const header = sheet.getRow(HEADER_ROWS + 1).values as unknown[]
    expect(header.slice(1, 9)).toEqual([
      '排名',
      '干部编号',
      '干部名称',
      '总分',
      '较上期',
      '群众体验',
      '流程追溯',
      '数据一致性',
    ])
    const col = (name: string) => header.indexOf(name)
    const byId = new Map<string, ExcelJS.Row>()
    for (let r = HEADER_ROWS + 2; r <= sheet.rowCount; r++)
      byId.set(sheet.getCell(r, 2).text, sheet.getRow(r))
    expect(byId.size).toBe(json.length)
    const cell = (r: ExcelJS.Row, name: string) => {
      const v = r.getCell(col(name)).value
      return v === null || v === undefined ? null : v
    }
    for (const card of json) {
      const r = byId.get(card.subject.id)!
      expect(cell(r, '干部名称')).toBe(card.subject.name)
      expect(cell(r, '排名')).toBe(card.rank ?? '样本不足')
      expect(cell(r, '总分')).toBe(card.total)
      expect(cell(r, '群众体验')).toBe(card.dimensions.experience)
      expect(cell(r, '好差评平均分（值）')).toBe(card.indicators.rating_avg.value)
      expect(cell(r, '好差评平均分（样本数）')).toBe(card.indicators.rating_avg.n)
      expect(cell(r, '环节按时办结率（得分）')).toBe(card.indicators.step_on_time.score)
    }
    const promotion = wb.getWorksheet(SHEETS.promotion)!
    const pHeader = promotion.getRow(HEADER_ROWS + 1).values as unknown[]
    expect(pHeader.slice(1)).toEqual([
      '晋升排名',
      '干部编号',
      '姓名',
      '晋升指数',
      '改革评分',
      '组织评价',
      '群众满意度',
      '缺项',
      '样本数',
      '样本不足',
    ])
    for (let r = HEADER_ROWS + 2; r <= promotion.rowCount; r++) {
      const card = row(json, promotion.getCell(r, 2).text)
      expect(promotion.getCell(r, 1).value).toBe(card.promotionRank ?? '样本不足')
      expect(promotion.getCell(r, 4).value ?? null).toBe(card.promotionIndex)
      expect(promotion.getCell(r, 6).value ?? null).toBe(card.promotionParts!.organisation)
      expect(promotion.getCell(r, 9).value).toBe(card.promotionSample)
      expect(promotion.getCell(r, 10).value).toBe(card.promotionSmallSample ? '是' : '否')
    }
    const w = [...Array(promotion.rowCount).keys()].find(
      (i) => promotion.getCell(i + 1, 2).value === window.staff,
    )!
    expect(promotion.getCell(w + 1, 8).value).toBe('改革评分、群众满意度')
    const definitions = wb.getWorksheet(SHEETS.definitions)!
    expect(definitions.getCell(HEADER_ROWS + 2, 1).value).toBe('rating_avg')
    expect(definitions.getCell(HEADER_ROWS + 2, 2).value).toBe('好差评平均分')
    expect(definitions.getCell(HEADER_ROWS + 2, 6).value).toBe(3)
    // Another level: departments' cards, the promotion ranking still of officials.
    const departments = await app.server.inject({
      method: 'GET',
      url: `/api/assessment/scorecards/export.xlsx?level=department&region=${county}&period=${period}`,
      headers: { authorization: `Bearer ${orgdept}` },
    })
    expect(departments.statusCode).toBe(200)
    const wb2 = new ExcelJS.Workbook()
    await wb2.xlsx.load(workbookBytes(departments.rawPayload))
    expect(wb2.getWorksheet(SHEETS.scorecards)!.getCell('A1').value).toBe('部门考核结果')
    expect(wb2.getWorksheet(SHEETS.promotion)!.rowCount).toBe(promotion.rowCount)
  })
})
