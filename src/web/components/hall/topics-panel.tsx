/**
 * 舆情走势: appeals per topic over the period (stacked areas, topics read by jieba from the appeals, or
 * their categories) and the top topics. Clicking a topic (its area or its row) opens the appeals
 * behind the chart for the region and period.
 * @module
 */
import { useMemo } from 'react'
import { useI18n } from '../../i18n.js'
import { analyticsApi } from '../../analytics-api.js'
import type { Topics } from '../../analytics-api.js'
import { provinceFormat } from '../../time.js'
import HallChart from './hall-chart.js'
import type { HallChartOption } from './hall-chart.js'
import { chartColors, Panel, useHall, useHallData } from './hall-common.js'

export function TopicsPanel({ height }: { height: number }) {
  const { t, lang, formatNumber } = useI18n()
  const { region, period, grain, variant, openDrill, regionName } = useHall()
  const loaded = useHallData<Topics>(`${region}|${grain}|${period.from}|${period.to ?? ''}`, () =>
    analyticsApi.topics({ region, grain, limit: 8, ...period }, { quiet: true }),
  )
  const data = loaded.data
  const option = useMemo<HallChartOption | null>(() => {
    if (!data) return null
    const colors = chartColors(variant)
    const label = new Map(data.topics.map((x) => [x.topic, x.label]))
    const fmt = provinceFormat(
      lang,
      grain === 'h'
        ? { hour: '2-digit', minute: '2-digit', hour12: false }
        : { month: 'numeric', day: 'numeric' },
    )
    const times = data.series[0]?.points.map((p) => p.t) ?? []
    return {
      color: colors.series,
      tooltip: { trigger: 'axis', confine: true },
      legend: {
        top: 0,
        textStyle: { color: colors.text, fontSize: variant === 'hall' ? 14 : 12 },
        type: 'scroll',
        pageTextStyle: { color: colors.text },
      },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: times.map((x) => fmt.format(x)),
        axisLabel: { color: colors.text },
        axisLine: { lineStyle: { color: colors.axis } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: colors.text },
        splitLine: { lineStyle: { color: colors.split } },
      },
      series: data.series.map((s) => ({
        type: 'line',
        name: label.get(s.topic) ?? s.topic,
        stack: 'topics',
        smooth: true,
        symbol: 'none',
        areaStyle: { opacity: 0.55 },
        lineStyle: { width: 1 },
        emphasis: { focus: 'series' },
        data: s.points.map((p) => p.n),
      })),
    }
  }, [data, variant, lang, grain])

  const open = (topicLabel: string) =>
    openDrill({
      kind: 'appeals',
      region,
      title: t('hall.topics.drillTitle', { region: regionName, topic: topicLabel }),
    })

  return (
    <Panel<Topics>
      id="hall-topics"
      title={t('hall.topics.title')}
      loaded={loaded}
      isEmpty={(d) => d.topics.length === 0}
      exportSpec={{ view: 'topics' }}
    >
      {(d) => {
        const max = Math.max(1, ...d.topics.map((x) => x.n))
        return (
          <div className="xzt-hall-topics">
            <div className="xzt-hall-topics-chart">
              {option && (
                <HallChart
                  option={option}
                  height={height}
                  testId="topics-chart"
                  onClick={(hit) => hit.seriesName && open(hit.seriesName)}
                />
              )}
            </div>
            <ol className="xzt-hall-topics-top" data-testid="topics-top">
              {d.topics.map((x, i) => (
                <li
                  key={x.topic}
                  onClick={() => open(x.label)}
                  className="xzt-hall-clickable"
                  data-testid="topic"
                >
                  <span className="xzt-hall-rank">{i + 1}</span>
                  <span className="xzt-hall-topic-label">{x.label}</span>
                  <span className="xzt-hall-bar" style={{ width: `${(x.n / max) * 100}%` }} />
                  <span className="xzt-hall-topic-n">{formatNumber(x.n)}</span>
                </li>
              ))}
            </ol>
          </div>
        )
      }}
    </Panel>
  )
}
