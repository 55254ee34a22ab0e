/**
 * 干部响应分布: in one department of the region (a picker), how the officials' median step time or
 * on-time rate is spread (a histogram), with the outliers named (|z| ≥ 2 or outside Tukey's fences).
 * An official's name opens their scorecard (`/scorecards?subject=official:<id>`); a bar opens the
 * department's cases.
 * @module
 */
import { useEffect, useMemo, useState } from 'react'
import { Segmented, Select, Tag } from 'antd'
import { api } from '../../api.js'
import type { Department } from '../../../shared/domain.js'
import { useI18n } from '../../i18n.js'
import { linkProps } from '../../router.js'
import { analyticsApi } from '../../analytics-api.js'
import type { OfficialMeasure, OfficialsDistribution } from '../../analytics-api.js'
import HallChart from './hall-chart.js'
import type { HallChartOption } from './hall-chart.js'
import {
  chartColors,
  formatDuration,
  formatDurationShort,
  formatShare,
  Panel,
  useHall,
  useHallData,
} from './hall-common.js'

export function OfficialsPanel({ height }: { height: number }) {
  const { t } = useI18n()
  const { region, period, variant, openDrill } = useHall()
  const [departments, setDepartments] = useState<Department[] | null>(null)
  const [department, setDepartment] = useState<string | null>(null)
  const [measure, setMeasure] = useState<OfficialMeasure>('step_p50')

  useEffect(() => {
    let live = true
    // Which of the region's departments did the most steps in the period: the picker opens on it.
    const busiest = analyticsApi
      .response({ region, by: 'department', ...period }, { quiet: true })
      .then((r) => [...r.rows].sort((a, b) => b.stepsCompleted - a.stepsCompleted)[0])
      .catch(() => undefined)
    api.departments(region, { quiet: true }).then(
      async (list) => {
        if (!live) return
        // The region's own departments first (a county's bureaus before its streets' offices).
        const sorted = [...list].sort(
          (a, b) => a.regionCode.length - b.regionCode.length || a.name.localeCompare(b.name, 'zh'),
        )
        const top = await busiest
        if (!live) return
        const first =
          top && top.stepsCompleted > 0 && sorted.some((x) => x.id === top.id) ? top.id : sorted[0]?.id
        setDepartments(sorted)
        setDepartment((d) => (d && sorted.some((x) => x.id === d) ? d : (first ?? null)))
      },
      () => live && setDepartments([]),
    )
    return () => {
      live = false
    }
  }, [region])

  const loaded = useHallData<OfficialsDistribution | null>(
    `${region}|${department}|${measure}|${period.from}|${period.to ?? ''}`,
    () =>
      department
        ? analyticsApi.officials({ region, department, measure, ...period }, { quiet: true })
        : Promise.resolve(null),
  )
  const data = loaded.data
  const fmt = (v: number | null) => (measure === 'step_p50' ? formatDuration(v, t) : formatShare(v))

  const option = useMemo<HallChartOption | null>(() => {
    if (!data) return null
    const colors = chartColors(variant)
    return {
      color: [colors.series[0]!],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      grid: { left: 8, right: 12, top: 12, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: data.bins.map((b) =>
          measure === 'step_p50'
            ? `${formatDurationShort(b.lower, t)}–${formatDurationShort(b.upper, t)}`
            : `${Math.round(b.lower * 100)}–${Math.round(b.upper * 100)}%`,
        ),
        axisLabel: {
          color: colors.text,
          fontSize: variant === 'hall' ? 12 : 11,
          interval: 0,
          hideOverlap: true,
        },
        axisLine: { lineStyle: { color: colors.axis } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: colors.text },
        splitLine: { lineStyle: { color: colors.split } },
      },
      series: [
        {
          type: 'bar',
          name: t('hall.officials.count'),
          data: data.bins.map((b) => b.count),
          barMaxWidth: 28,
        },
      ],
    }
    // fmt follows measure and t.
  }, [data, variant, t, measure])

  const depName = departments?.find((d) => d.id === department)?.name ?? ''
  const officials = useMemo(
    () => [...(data?.officials ?? [])].sort((a, b) => Number(b.outlier) - Number(a.outlier)),
    [data],
  )

  return (
    <Panel<OfficialsDistribution | null>
      id="hall-officials"
      title={t('hall.officials.title')}
      loaded={loaded}
      isEmpty={(d) => !d || d.officials.length === 0}
      exportSpec={department ? { view: 'officials', department, measure } : undefined}
      extra={
        <>
          <Select
            size="small"
            className="xzt-hall-department-picker"
            value={department ?? undefined}
            placeholder={t('hall.officials.pick')}
            loading={departments === null}
            options={(departments ?? []).map((d) => ({ value: d.id, label: d.name }))}
            onChange={setDepartment}
            popupMatchSelectWidth={false}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="officials-department"
          />
          <Segmented<OfficialMeasure>
            size="small"
            value={measure}
            onChange={setMeasure}
            options={[
              { value: 'step_p50', label: t('hall.officials.stepP50') },
              { value: 'on_time_rate', label: t('hall.officials.onTime') },
            ]}
            data-testid="officials-measure"
          />
        </>
      }
    >
      {(d) =>
        d && (
          <div className="xzt-hall-officials">
            {option && (
              <HallChart
                option={option}
                height={height}
                testId="officials-chart"
                onClick={() => department && openDrill({ kind: 'cases', region, department, title: depName })}
              />
            )}
            <div className="xzt-hall-officials-summary">
              {t('hall.officials.summary', { mean: fmt(d.mean), sd: fmt(d.stddev) })}
            </div>
            <ul className="xzt-hall-officials-list" data-testid="officials-list">
              {officials.slice(0, 8).map((o) => (
                <li key={o.id} data-outlier={o.outlier}>
                  <a
                    {...linkProps(`/scorecards?subject=official:${o.id}`)}
                    data-testid="official-link"
                    translate="no"
                  >
                    {o.name}
                  </a>
                  <span className="xzt-hall-official-value">{fmt(o.value)}</span>
                  {o.outlier && <Tag color="volcano">{t('hall.officials.outlier')}</Tag>}
                </li>
              ))}
            </ul>
          </div>
        )
      }
    </Panel>
  )
}
