/**
 * Excel export (导出) of a level's scorecards for the organisation department (`assessment.export`):
 * one workbook with the scorecards of the level asked (考核结果), the officials' promotion ranking
 * (晋升指数排名) and the indicator definitions (指标说明), each sheet opening with a header block that
 * names the period, the region, the policy versions and when it was generated (Beijing time). The
 * numbers are the scorecards' own (same computation, same rows the caller may read), written as numbers
 * with a display format, so a reader can recompute from them.
 * @module
 */
import ExcelJS from 'exceljs'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import {
  ASSESSMENT_DIMENSIONS,
  ASSESSMENT_LEVEL_NAMES,
  INDICATORS,
  INDICATOR_CODES,
  PROMOTION_PARTS,
  type AssessmentDimension,
  type AssessmentLevel,
  type IndicatorUnit,
} from '../../../shared/assessment.js'
import { assertCan } from '../../../shared/permissions.js'
import type { RegionService } from '../regions/regions.service.js'
import type { AssessmentService, ScorecardBasis, ScorecardRow, Scoring } from './assessment.service.js'

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface ExportQuery {
  level: AssessmentLevel
  region?: string
  period: string
}

export interface ExportedWorkbook {
  content: Buffer
  filename: string
  mediaType: string
}

/** The sheets' names, part of what a reader of the file relies on. */
export const SHEETS = { scorecards: '考核结果', promotion: '晋升指数排名', definitions: '指标说明' } as const

/** Rows of the header block before each sheet's table (the table's header row is the next one). */
export const HEADER_ROWS = 7

const UNIT_NAMES: Record<IndicatorUnit, { name: string; format: string }> = {
  rate: { name: '比例', format: '0.0%' },
  score: { name: '平均分（1–5）', format: '0.00' },
  per_1k: { name: '每千条记录', format: '0.00' },
  days: { name: '天', format: '0.0' },
}
const SCORE_FORMAT = '0.00'
const DIMENSIONS = Object.keys(ASSESSMENT_DIMENSIONS) as AssessmentDimension[]
const PARTS = Object.keys(PROMOTION_PARTS) as (keyof typeof PROMOTION_PARTS)[]
const NOT_RANKED = '样本不足'

/** `2026-12-04 10:00:00` in Beijing time (UTC+8, no daylight saving time). */
function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
}

export class AssessmentExportService {
  constructor(
    private readonly assessment: AssessmentService,
    private readonly regions: RegionService,
    private readonly clock: Clock,
  ) {}

  /**
   * The workbook of a level in a region for a period (the caller's region by default), with the rows
   * the caller may read.
   * @throws FORBIDDEN (not the organisation department or an administrator of the region),
   *   VALIDATION_FAILED (period), NOT_FOUND (region)
   */
  async workbook(principal: Principal, q: ExportQuery): Promise<ExportedWorkbook> {
    const region = q.region ?? (principal.regionCode || (await this.regions.provinceCode()))
    assertCan(principal, 'assessment.export', { regionCode: region })
    const query = { ...q, region }
    const { basis, scoring, rows } = await this.cards(principal, query)
    // The promotion ranking is of officials (the level whose scoring has a promotion policy), whatever
    // level the scorecards are of.
    const officials = scoring.promotion
      ? { scoring, rows }
      : await this.cards(principal, { ...query, level: 'official' })
    const generatedAt = this.clock.now()
    const wb = new ExcelJS.Workbook()
    wb.creator = '星政通'
    wb.created = new Date(generatedAt)
    const header = (sheet: ExcelJS.Worksheet, title: string, s: Scoring) =>
      headerBlock(sheet, title, basis, s, generatedAt)
    scorecardSheet(wb, q.level, rows, (sheet) =>
      header(sheet, `${ASSESSMENT_LEVEL_NAMES[q.level].zh}考核结果`, scoring),
    )
    promotionSheet(wb, officials.rows, (sheet) => header(sheet, '干部晋升指数排名', officials.scoring))
    definitionSheet(wb, scoring, (sheet) => header(sheet, '考核指标说明', officials.scoring))
    const content = Buffer.from(await wb.xlsx.writeBuffer())
    return {
      content,
      filename: `考核结果-${basis.region.name}-${basis.period.code}.xlsx`,
      mediaType: XLSX_MEDIA_TYPE,
    }
  }

  /** A level's rows the caller may read, under the governing policies, with what they were computed from. */
  private async cards(principal: Principal, q: ExportQuery & { region: string }) {
    const basis = await this.assessment.basis(principal, q)
    const scoring = await this.assessment.governingScoring(basis)
    return {
      basis,
      scoring,
      rows: this.assessment.visible(principal, basis, this.assessment.score(basis, scoring)),
    }
  }
}

/** Rows 1–6: title, period, region, the policy versions, when generated; row 7 blank. */
function headerBlock(
  sheet: ExcelJS.Worksheet,
  title: string,
  basis: ScorecardBasis,
  scoring: Scoring,
  generatedAt: number,
): void {
  sheet.getCell('A1').value = title
  sheet.getCell('A1').font = { bold: true, size: 14 }
  const lines: [string, string][] = [
    ['考核期间', basis.period.code],
    ['地区', `${basis.region.name}（${basis.region.code}）`],
    ['考核规则版本', scoring.formula.id],
    ['晋升指数规则版本', scoring.promotion?.id ?? '—'],
    ['生成时间', `${beijingTime(generatedAt)}（北京时间）`],
  ]
  lines.forEach(([k, v], i) => {
    sheet.getCell(i + 2, 1).value = k
    sheet.getCell(i + 2, 1).font = { bold: true }
    sheet.getCell(i + 2, 2).value = v
  })
}

/** A table under the header block: its header row bold and frozen. */
function table(sheet: ExcelJS.Worksheet, headers: string[], widths?: number[]): void {
  const row = sheet.getRow(HEADER_ROWS + 1)
  headers.forEach((h, i) => {
    row.getCell(i + 1).value = h
    row.getCell(i + 1).font = { bold: true }
    sheet.getColumn(i + 1).width = widths?.[i] ?? Math.max(10, h.length * 2 + 2)
  })
  sheet.views = [{ state: 'frozen', ySplit: HEADER_ROWS + 1 }]
}

/** A number, or empty for null (never 0: a missing value is not a zero), with its display format. */
function put(cell: ExcelJS.Cell, value: number | null | undefined, format?: string): void {
  if (value === null || value === undefined) return
  cell.value = value
  if (format) cell.numFmt = format
}

function scorecardSheet(
  wb: ExcelJS.Workbook,
  level: AssessmentLevel,
  rows: readonly ScorecardRow[],
  header: (sheet: ExcelJS.Worksheet) => void,
): void {
  const sheet = wb.addWorksheet(SHEETS.scorecards)
  header(sheet)
  const subject = ASSESSMENT_LEVEL_NAMES[level].zh
  table(sheet, [
    '排名',
    `${subject}编号`,
    `${subject}名称`,
    '总分',
    '较上期',
    ...DIMENSIONS.map((d) => ASSESSMENT_DIMENSIONS[d].zh),
    ...INDICATOR_CODES.flatMap((c) => [
      `${INDICATORS[c].zh}（值）`,
      `${INDICATORS[c].zh}（得分）`,
      `${INDICATORS[c].zh}（样本数）`,
    ]),
  ])
  const sorted = [...rows].sort(
    byRank(
      (r) => r.rank,
      (r) => r.total,
    ),
  )
  sorted.forEach((r, k) => {
    const row = sheet.getRow(HEADER_ROWS + 2 + k)
    row.getCell(1).value = r.rank ?? NOT_RANKED
    row.getCell(2).value = r.subject.id
    row.getCell(3).value = r.subject.name
    put(row.getCell(4), r.total, SCORE_FORMAT)
    put(row.getCell(5), r.trend, SCORE_FORMAT)
    DIMENSIONS.forEach((d, i) => put(row.getCell(6 + i), r.dimensions[d], SCORE_FORMAT))
    INDICATOR_CODES.forEach((c, i) => {
      const at = 6 + DIMENSIONS.length + i * 3
      const ind = r.indicators[c]
      put(row.getCell(at), ind.value, UNIT_NAMES[INDICATORS[c].unit].format)
      put(row.getCell(at + 1), ind.score, SCORE_FORMAT)
      row.getCell(at + 2).value = ind.n
    })
  })
}

function promotionSheet(
  wb: ExcelJS.Workbook,
  rows: readonly ScorecardRow[],
  header: (sheet: ExcelJS.Worksheet) => void,
): void {
  const sheet = wb.addWorksheet(SHEETS.promotion)
  header(sheet)
  table(
    sheet,
    [
      '晋升排名',
      '干部编号',
      '姓名',
      '晋升指数',
      ...PARTS.map((p) => PROMOTION_PARTS[p].zh),
      '缺项',
      '样本数',
      '样本不足',
    ],
    [10, 28, 12, 10, 10, 10, 12, 24, 8, 10],
  )
  const sorted = [...rows].sort(
    byRank(
      (r) => r.promotionRank ?? null,
      (r) => r.promotionIndex ?? null,
    ),
  )
  sorted.forEach((r, k) => {
    const row = sheet.getRow(HEADER_ROWS + 2 + k)
    row.getCell(1).value = r.promotionRank ?? NOT_RANKED
    row.getCell(2).value = r.subject.id
    row.getCell(3).value = r.subject.name
    put(row.getCell(4), r.promotionIndex, SCORE_FORMAT)
    PARTS.forEach((p, i) => put(row.getCell(5 + i), r.promotionParts?.[p], SCORE_FORMAT))
    row.getCell(8).value = (r.promotionMissing ?? []).map((p) => PROMOTION_PARTS[p].zh).join('、')
    row.getCell(9).value = r.promotionSample ?? 0
    row.getCell(10).value = r.promotionSmallSample ? '是' : '否'
  })
}

function definitionSheet(
  wb: ExcelJS.Workbook,
  scoring: Scoring,
  header: (sheet: ExcelJS.Worksheet) => void,
): void {
  const sheet = wb.addWorksheet(SHEETS.definitions)
  header(sheet)
  table(
    sheet,
    ['指标代码', '指标', '维度', '单位', '方向', '权重', '最差值（0分）', '最佳值（100分）', '口径'],
    [26, 18, 12, 14, 10, 8, 14, 14, 80],
  )
  const inFormula = new Map(scoring.formula.body.indicators.map((i) => [i.code, i]))
  INDICATOR_CODES.forEach((c, k) => {
    const d = INDICATORS[c]
    const f = inFormula.get(c)
    const row = sheet.getRow(HEADER_ROWS + 2 + k)
    row.getCell(1).value = c
    row.getCell(2).value = d.zh
    row.getCell(3).value = ASSESSMENT_DIMENSIONS[d.dimension].zh
    row.getCell(4).value = UNIT_NAMES[d.unit].name
    row.getCell(5).value = d.higherIsBetter ? '越高越好' : '越低越好'
    if (f) {
      row.getCell(6).value = f.weight
      row.getCell(7).value = f.worst
      row.getCell(8).value = f.best
    } else row.getCell(6).value = '不计入'
    row.getCell(9).value = d.definition.zh
  })
}

/** Ranked rows first by rank, then the unranked by value descending, then those without a value. */
function byRank<R>(rankOf: (r: R) => number | null, valueOf: (r: R) => number | null) {
  return (a: R, b: R): number => {
    const ra = rankOf(a) ?? Number.POSITIVE_INFINITY
    const rb = rankOf(b) ?? Number.POSITIVE_INFINITY
    if (ra !== rb) return ra - rb
    return (valueOf(b) ?? Number.NEGATIVE_INFINITY) - (valueOf(a) ?? Number.NEGATIVE_INFINITY) || 0
  }
}
