/**
 * Export (导出) of the command hall's views (`analytics.export`): the heatmap, response speed, the
 * officials' spread and the opinion topics, each as an Excel workbook (a header block naming the view,
 * the region, the period and when it was generated, in Beijing time, then the table; Chinese sheet and
 * column names) or as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese, and
 * the same table). The figures are the views' own: the same service calls the API answers with.
 * Durations are written in hours and rates as fractions with a percent format, so a reader can
 * recompute from them.
 * @module
 */
import ExcelJS from 'exceljs'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { AppError } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { RegionService } from '../regions/regions.service.js'
import { HOUR_MS, type Grain } from './analytics.model.js'
import type { AnalyticsService, HeatmapMetric } from './analytics.service.js'
import type { KpiFigures } from '../../../shared/api.js'
import type { AnalyticsHallService, OfficialMeasure, ResponseBy } from './analytics-hall.service.js'

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8'
export const EXPORT_VIEWS = ['heatmap', 'kpis', 'response', 'officials', 'topics'] as const
export type ExportView = (typeof EXPORT_VIEWS)[number]
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportQuery {
  view: ExportView
  region: string
  from?: string
  to?: string
  format?: ExportFormat
  /** heatmap: cases_per_10k (default) or appeals_per_10k. */
  metric?: HeatmapMetric
  /** response: region (default) or department. */
  by?: ResponseBy
  /** officials: the department (required) and the measure (step_p50 by default). */
  department?: string
  measure?: OfficialMeasure
  /** kpis: one matter's cases only (and one of its versions); each version gets a column. */
  matter?: string
  version?: number
  /** topics: the trend's grain (d by default) and how many topics (10). */
  grain?: Grain
  limit?: number
}

export interface ExportedFile {
  content: Buffer
  filename: string
  mediaType: string
}

/** The views' Chinese names: in the file name, the sheet name and the title. */
export const VIEW_NAMES: Record<ExportView, string> = {
  heatmap: '需求热力图',
  kpis: '核心指标',
  response: '响应速度',
  officials: '人员分布',
  topics: '诉求热点',
}

type Cell = string | number | null
/** A share as a percentage with one decimal (the kpis view's rows mix units, so no cell format does). */
const percent = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10)
type ColumnFormat = 'text' | 'count' | 'hours' | 'rate' | 'number'
interface Column {
  header: string
  format: ColumnFormat
}
interface Table {
  columns: Column[]
  rows: Cell[][]
}
interface View {
  title: string
  from: number
  to: number
  /** Extra header lines (a measure, a mean). */
  notes: [string, string][]
  table: Table
  /** A second sheet (the topics' trend), xlsx only. */
  extra?: { name: string; table: Table }
}

const NUMBER_FORMATS: Record<ColumnFormat, string | undefined> = {
  text: undefined,
  count: '0',
  hours: '0.0',
  rate: '0.0%',
  number: '0.00',
}

/** Hours to the hundredth (a CSV cell shows what the workbook's format would). */
const hours = (ms: number | null): number | null =>
  ms === null ? null : Math.round((ms / HOUR_MS) * 100) / 100

/** `2026-12-04 10:00` in Beijing time (UTC+8, no daylight saving time). */
function beijingTime(ms: number): string {
  return new Date(ms + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ')
}
const beijingDate = (ms: number): string => beijingTime(ms).slice(0, 10)

export class AnalyticsExportService {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly hall: AnalyticsHallService,
    private readonly regions: RegionService,
    private readonly clock: Clock,
  ) {}

  /**
   * One view of a region as a file. @throws FORBIDDEN (analytics.export over the region),
   * NOT_FOUND (region, department), VALIDATION_FAILED (period; officials without a department)
   */
  async file(principal: Principal, q: ExportQuery): Promise<ExportedFile> {
    assertCan(principal, 'analytics.export', { regionCode: q.region })
    const region = await this.regions.getRegion(q.region)
    const view = await this.view(principal, q)
    const generatedAt = this.clock.now()
    const format = q.format ?? 'xlsx'
    const last = Math.max(view.from, view.to - 1)
    const period =
      view.from === 0 ? `截至${beijingDate(last)}` : `${beijingDate(view.from)}至${beijingDate(last)}`
    const filename = `指挥大厅-${VIEW_NAMES[q.view]}-${region.name}-${period}.${format}`
    if (format === 'csv')
      return { content: Buffer.from(`\uFEFF${csv(view.table)}`, 'utf8'), filename, mediaType: CSV_MEDIA_TYPE }
    const wb = new ExcelJS.Workbook()
    wb.creator = '星政通'
    wb.created = new Date(generatedAt)
    const lines: [string, string][] = [
      ['地区', `${region.name}（${region.code}）`],
      [
        '统计期间',
        `${view.from === 0 ? '起始' : beijingTime(view.from)} 至 ${beijingTime(view.to)}（北京时间，不含止点）`,
      ],
      ['生成时间', `${beijingTime(generatedAt)}（北京时间）`],
      ...view.notes,
    ]
    sheet(wb, VIEW_NAMES[q.view], view.title, lines, view.table)
    if (view.extra) sheet(wb, view.extra.name, `${view.title}（走势）`, lines, view.extra.table)
    return { content: Buffer.from(await wb.xlsx.writeBuffer()), filename, mediaType: XLSX_MEDIA_TYPE }
  }

  private async view(principal: Principal, q: ExportQuery): Promise<View> {
    const period = {
      region: q.region,
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
    }
    switch (q.view) {
      case 'heatmap': {
        const metric = q.metric ?? 'cases_per_10k'
        const h = await this.analytics.heatmap(principal, { ...period, metric })
        const what = metric === 'cases_per_10k' ? '办件数' : '诉求数'
        return {
          title: `${VIEW_NAMES.heatmap}（${metric === 'cases_per_10k' ? '每万人办件' : '每万人诉求'}）`,
          from: h.from,
          to: h.to,
          notes: [],
          table: {
            columns: [
              { header: '区划代码', format: 'text' },
              { header: '区划名称', format: 'text' },
              { header: what, format: 'count' },
              { header: '常住人口', format: 'count' },
              { header: `每万人${what}`, format: 'number' },
            ],
            rows: h.values.map((v) => [v.code, v.name, v.count, v.population, v.value]),
          },
        }
      }
      case 'kpis': {
        const k = await this.analytics.kpis(principal, {
          ...period,
          ...(q.matter !== undefined ? { matter: q.matter } : {}),
          ...(q.version !== undefined ? { version: q.version } : {}),
        })
        const columns = [
          {
            label:
              k.matter === null
                ? '全部办件'
                : `${k.matter}${k.version === null ? '' : ` 第 ${k.version} 版`}`,
            f: k,
          },
          ...k.versions.map((v) => ({ label: `第 ${v.version} 版`, f: v })),
        ]
        const row = (name: string, unit: string, pick: (f: KpiFigures) => Cell): Cell[] => [
          name,
          unit,
          ...columns.map((c) => pick(c.f)),
        ]
        return {
          title: VIEW_NAMES.kpis,
          from: k.from,
          to: k.to,
          notes: [
            [
              '治理效率（倍）',
              k.headline.efficiency.value === null ? '—' : k.headline.efficiency.value.toFixed(2),
            ],
            ['治理效率的定义', k.headline.efficiency.definition.zh],
            [
              '满意度',
              k.headline.satisfaction.value === null
                ? '—'
                : `${(k.headline.satisfaction.value * 100).toFixed(1)}%`,
            ],
            ['满意度的定义', k.headline.satisfaction.definition.zh],
          ],
          table: {
            columns: [
              { header: '指标', format: 'text' },
              { header: '单位', format: 'text' },
              ...columns.map((c) => ({ header: c.label, format: 'number' as const })),
            ],
            rows: [
              row('提交办件数', '件', (f) => f.submitted),
              row('办结办件数', '件', (f) => f.completed),
              row('不予办理数', '件', (f) => f.rejected),
              row('办理用时中位数', '小时', (f) => hours(f.medianMs)),
              row('办理用时第90百分位', '小时', (f) => hours(f.p90Ms)),
              row('零跑动占比', '%', (f) => percent(f.zeroTripShare)),
              row('当场办结占比', '%', (f) => percent(f.instantShare)),
              row('环节按时率', '%', (f) => percent(f.onTimeRate)),
              row('好评率', '%', (f) => percent(f.satisfactionRate)),
              row('时限压缩率', '%', (f) => percent(f.compression)),
              row('改革评分', '分（1–5）', (f) => f.reformScore),
            ],
          },
        }
      }
      case 'response': {
        const by = q.by ?? 'region'
        const r = await this.hall.response(principal, { ...period, by })
        return {
          title: `${VIEW_NAMES.response}（${by === 'region' ? '按下级区划' : '按部门'}）`,
          from: r.from,
          to: r.to,
          notes: [],
          table: {
            columns: [
              { header: by === 'region' ? '区划代码' : '部门编号', format: 'text' },
              { header: by === 'region' ? '区划名称' : '部门名称', format: 'text' },
              { header: '首次响应诉求数', format: 'count' },
              { header: '响应用时中位数（小时）', format: 'hours' },
              { header: '响应用时第90百分位（小时）', format: 'hours' },
              { header: '办结诉求数', format: 'count' },
              { header: '办结用时中位数（小时）', format: 'hours' },
              { header: '办结用时第90百分位（小时）', format: 'hours' },
              { header: '完成办理环节数', format: 'count' },
              { header: '环节用时中位数（小时）', format: 'hours' },
              { header: '环节用时第90百分位（小时）', format: 'hours' },
              { header: '环节按时率', format: 'rate' },
            ],
            rows: r.rows.map((x) => [
              x.id,
              x.name,
              x.responded,
              hours(x.responseP50Ms),
              hours(x.responseP90Ms),
              x.resolved,
              hours(x.resolutionP50Ms),
              hours(x.resolutionP90Ms),
              x.stepsCompleted,
              hours(x.stepP50Ms),
              hours(x.stepP90Ms),
              x.onTimeRate,
            ]),
          },
        }
      }
      case 'officials': {
        if (q.department === undefined)
          throw new AppError('VALIDATION_FAILED', 'the officials view needs a department', {
            details: [{ path: '/querystring/department', message: 'required for view=officials' }],
          })
        const measure = q.measure ?? 'step_p50'
        const o = await this.hall.officials(principal, { ...period, department: q.department, measure })
        const rate = measure === 'on_time_rate'
        const value = (v: number | null) => (rate ? v : hours(v))
        const shown = (v: number | null) =>
          v === null ? '—' : rate ? `${(v * 100).toFixed(1)}%` : `${(v / HOUR_MS).toFixed(1)} 小时`
        return {
          title: `${VIEW_NAMES.officials}（${o.name}）`,
          from: o.from,
          to: o.to,
          notes: [
            ['指标', rate ? '环节按时率' : '环节用时中位数'],
            ['平均值', shown(o.mean)],
            ['标准差', shown(o.stddev)],
          ],
          table: {
            columns: [
              { header: '人员编号', format: 'text' },
              { header: '姓名', format: 'text' },
              { header: rate ? '环节按时率' : '环节用时中位数（小时）', format: rate ? 'rate' : 'hours' },
              { header: '完成办理环节数', format: 'count' },
              { header: '是否异常', format: 'text' },
            ],
            rows: o.officials.map((x) => [x.id, x.name, value(x.value), x.n, x.outlier ? '是' : '否']),
          },
        }
      }
      case 'topics': {
        const grain = q.grain ?? 'd'
        const t = await this.hall.topics(principal, {
          ...period,
          grain,
          ...(q.limit !== undefined ? { limit: q.limit } : {}),
        })
        const points = t.series[0]?.points ?? []
        return {
          title: VIEW_NAMES.topics,
          from: t.from,
          to: t.to,
          notes: [],
          table: {
            columns: [
              { header: '排名', format: 'count' },
              { header: '热点', format: 'text' },
              { header: '诉求数', format: 'count' },
            ],
            rows: t.topics.map((x, i) => [i + 1, x.label, x.n]),
          },
          extra: {
            name: '热点走势',
            table: {
              columns: [
                { header: grain === 'h' ? '小时（北京时间）' : '日期（北京时间）', format: 'text' },
                ...t.topics.map((x) => ({ header: x.label, format: 'count' as const })),
              ],
              rows: points.map((p, i) => [
                grain === 'h' ? beijingTime(p.t) : beijingDate(p.t),
                ...t.series.map((s) => s.points[i]?.n ?? 0),
              ]),
            },
          },
        }
      }
    }
  }
}

/** A sheet: the title, the header block, a blank row, then the table with its header row frozen. */
function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  lines: [string, string][],
  table: Table,
): void {
  const ws = wb.addWorksheet(name)
  ws.getCell(1, 1).value = title
  ws.getCell(1, 1).font = { bold: true, size: 14 }
  lines.forEach(([k, v], i) => {
    ws.getCell(i + 2, 1).value = k
    ws.getCell(i + 2, 1).font = { bold: true }
    ws.getCell(i + 2, 2).value = v
  })
  // The title, the header block, a blank row: the table's header row is the next.
  const top = lines.length + 3
  table.columns.forEach((c, i) => {
    const cell = ws.getCell(top, i + 1)
    cell.value = c.header
    cell.font = { bold: true }
    ws.getColumn(i + 1).width = Math.max(10, c.header.length * 2 + 2)
  })
  table.rows.forEach((row, r) =>
    row.forEach((v, i) => {
      const cell = ws.getCell(top + 1 + r, i + 1)
      cell.value = v
      const fmt = NUMBER_FORMATS[table.columns[i]!.format]
      if (fmt && typeof v === 'number') cell.numFmt = fmt
    }),
  )
  ws.views = [{ state: 'frozen', ySplit: top }]
}

/** RFC 4180 CSV with CRLF line ends; null is an empty field. */
export function csv(table: Table): string {
  const field = (v: Cell) => {
    const s = v === null ? '' : String(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [table.columns.map((c) => field(c.header)), ...table.rows.map((r) => r.map(field))]
    .map((r) => r.join(','))
    .join('\r\n')
    .concat('\r\n')
}
