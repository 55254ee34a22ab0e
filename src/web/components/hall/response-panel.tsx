/**
 * 响应速度: how fast appeals get a first response and a resolution (p50 and p90, in hours) in each
 * child region or each department of the region. Clicking a bar opens that region's (or
 * department's) appeals.
 * @module
 */
import { useMemo, useState } from 'react'
import { Segmented } from 'antd'
import { useI18n } from '../../i18n.js'
import { analyticsApi } from '../../analytics-api.js'
import type { ResponseBy, ResponseSpeed } from '../../analytics-api.js'
import HallChart from './hall-chart.js'
import type { HallChartOption } from './hall-chart.js'
import {
  chartColors,
  formatDuration,
  formatShare,
  Panel,
  toHours,
  useHall,
  useHallData,
} from './hall-common.js'

const SERIES = ['responseP50Ms', 'responseP90Ms', 'resolutionP50Ms', 'resolutionP90Ms'] as const

export function ResponsePanel({ height }: { height: number }) {
  const { t } = useI18n()
  const { region, period, variant, openDrill } = useHall()
  const [by, setBy] = useState<ResponseBy>('region')
  const loaded = useHallData<ResponseSpeed>(`${region}|${by}|${period.from}|${period.to ?? ''}`, () =>
    analyticsApi.response({ region, by, ...period }, { quiet: true }),
  )
  const data = loaded.data
  const rows = useMemo(
    () =>
      (data?.rows ?? [])
        .filter((r) => r.responded > 0 || r.resolved > 0 || r.stepsCompleted > 0)
        .slice(0, 12),
    [data],
  )
  const option = useMemo<HallChartOption>(() => {
    const colors = chartColors(variant)
    const big = variant === 'hall'
    return {
      color: [colors.series[0]!, colors.series[3]!, colors.series[1]!, colors.series[2]!],
      legend: { top: 0, textStyle: { color: colors.text, fontSize: big ? 14 : 12 } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        valueFormatter: (v: unknown) => (typeof v === 'number' ? t('hall.unit.hours', { n: v }) : '—'),
      },
      grid: { left: 8, right: 16, top: big ? 64 : 56, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: {
          color: colors.text,
          interval: 0,
          rotate: rows.length > 6 ? 30 : 0,
          fontSize: big ? 13 : 11,
        },
        axisLine: { lineStyle: { color: colors.axis } },
      },
      yAxis: {
        type: 'value',
        name: t('hall.response.hours'),
        nameTextStyle: { color: colors.text, align: 'left' },
        nameGap: 12,
        axisLabel: { color: colors.text },
        splitLine: { lineStyle: { color: colors.split } },
      },
      series: SERIES.map((key) => ({
        type: 'bar',
        name: t(`hall.response.${key}`),
        data: rows.map((r) => toHours(r[key])),
        barMaxWidth: 18,
      })),
    }
  }, [rows, variant, t])

  return (
    <Panel<ResponseSpeed>
      id="hall-response"
      title={t('hall.response.title')}
      loaded={loaded}
      isEmpty={() => rows.length === 0}
      exportSpec={{ view: 'response', by }}
      extra={
        <Segmented<ResponseBy>
          value={by}
          onChange={setBy}
          options={[
            { value: 'region', label: t('hall.response.byRegion') },
            { value: 'department', label: t('hall.response.byDepartment') },
          ]}
          data-testid="response-by"
        />
      }
    >
      {() => (
        <>
          <HallChart
            option={option}
            height={height}
            testId="response-chart"
            onClick={(hit) => {
              const row = rows[hit.dataIndex]
              if (!row) return
              openDrill(
                by === 'region'
                  ? { kind: 'appeals', region: row.id, title: row.name }
                  : { kind: 'appeals', region, department: row.id, title: row.name },
              )
            }}
          />
          <div className="xzt-hall-response-steps" data-testid="response-steps">
            {rows.slice(0, 4).map((r) => (
              <span key={r.id}>
                {t('hall.response.steps', {
                  name: r.name,
                  p50: formatDuration(r.stepP50Ms, t),
                  onTime: formatShare(r.onTimeRate),
                })}
              </span>
            ))}
          </div>
        </>
      )}
    </Panel>
  )
}
