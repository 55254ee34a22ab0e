/**
 * The assessment pages' ECharts (bundled, imported modularly, loaded lazily with the pages): the top
 * officials' promotion index split into its three weighted parts (晋升指数), and the rank moves of a
 * what-if (模拟对比). Labels come from the caller in the page's language.
 * @module
 */
import { useEffect, useMemo, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import type { BarSeriesOption } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

type Option = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** A chart that follows its container's size and redraws when its option changes. */
function useChart(option: Option) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const c = echarts.init(el, undefined, { renderer: 'canvas' })
    chart.current = c
    const observer = new ResizeObserver(() => c.resize())
    observer.observe(el)
    return () => {
      observer.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true })
  }, [option])
  return ref
}

export interface PromotionBarItem {
  name: string
  /** Each part's contribution to the index (its value × its share of the weights present). */
  parts: number[]
  index: number
}

/** Horizontal stacked bars, the first official on top. */
export function PromotionBarChart({
  items,
  partNames,
  indexLabel,
  height,
}: {
  items: PromotionBarItem[]
  partNames: string[]
  indexLabel: string
  height: number
}) {
  const option = useMemo<Option>(() => {
    const ordered = [...items].reverse()
    const colors = ['#1f5fbf', '#d48806', '#389e0d']
    return {
      color: colors,
      legend: { top: 0, data: partNames },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        formatter: (raw: unknown) => {
          const list = raw as { dataIndex: number; seriesName: string; value: number; marker: string }[]
          const item = ordered[list[0]?.dataIndex ?? -1]
          if (!item) return ''
          return [
            `<strong>${escape(item.name)}</strong> ${escape(indexLabel)} ${item.index.toFixed(1)}`,
            ...list.map((p) => `${p.marker}${escape(p.seriesName)} ${Number(p.value).toFixed(1)}`),
          ].join('<br/>')
        },
      },
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100, splitLine: { lineStyle: { color: '#eef2f8' } } },
      yAxis: {
        type: 'category',
        data: ordered.map((i) => i.name),
        axisTick: { show: false },
        axisLabel: { color: '#1f2937', interval: 0 },
      },
      series: partNames.map((name, p) => ({
        type: 'bar',
        name,
        stack: 'index',
        barMaxWidth: 20,
        data: ordered.map((i) => Math.round((i.parts[p] ?? 0) * 10) / 10),
        ...(p === partNames.length - 1
          ? {
              label: {
                show: true,
                position: 'right',
                color: '#4a5568',
                formatter: (d: unknown) =>
                  (ordered[(d as { dataIndex: number }).dataIndex]?.index ?? 0).toFixed(1),
              },
            }
          : {}),
      })),
    }
  }, [items, partNames, indexLabel])
  const ref = useChart(option)
  return (
    <div
      ref={ref}
      data-testid="promotion-chart"
      data-items={items.length}
      style={{ width: '100%', height }}
    />
  )
}

export interface RankMoveItem {
  name: string
  /** Places moved up (positive) or down (negative). */
  move: number
  from: number | null
  to: number | null
}

/** Diverging horizontal bars: green up, red down, the biggest move on top. */
export function RankChangeChart({
  items,
  labels,
  height,
}: {
  items: RankMoveItem[]
  labels: { move: string; tooltip: (item: RankMoveItem) => string }
  height: number
}) {
  const option = useMemo<Option>(() => {
    const ordered = [...items].reverse()
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        formatter: (raw: unknown) => {
          const item = ordered[(raw as { dataIndex: number }[])[0]?.dataIndex ?? -1]
          return item ? `<strong>${escape(item.name)}</strong><br/>${escape(labels.tooltip(item))}` : ''
        },
      },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef2f8' } } },
      yAxis: {
        type: 'category',
        data: ordered.map((i) => i.name),
        axisTick: { show: false },
        axisLabel: { color: '#1f2937', interval: 0 },
      },
      series: [
        {
          type: 'bar',
          name: labels.move,
          barMaxWidth: 18,
          data: ordered.map((i) => ({
            value: i.move,
            itemStyle: { color: i.move > 0 ? '#389e0d' : '#cf1322' },
          })),
          label: {
            show: true,
            position: 'right',
            color: '#4a5568',
            formatter: (d: unknown) => {
              const v = (d as { value: number }).value
              return v > 0 ? `↑${v}` : `↓${-v}`
            },
          },
        },
      ],
    }
  }, [items, labels])
  const ref = useChart(option)
  return (
    <div
      ref={ref}
      data-testid="rank-change-chart"
      data-items={items.length}
      style={{ width: '100%', height }}
    />
  )
}
