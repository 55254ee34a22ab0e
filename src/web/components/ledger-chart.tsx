/**
 * ECharts bar chart of entries per ledger log (one bar per city log plus the province log).
 * Loaded lazily (React.lazy) like the region map, and imported modularly: only the bar chart,
 * grid, tooltip and canvas renderer.
 */
import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import type { BarSeriesOption } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>

export interface LedgerChartItem {
  /** Log id (`43`, `4301`, …). */
  id: string
  /** Display label (the region name, or the id when unknown). */
  label: string
  entries: number
  /** Size of the latest checkpoint, null without one. */
  checkpointSize: number | null
  /** The province log is drawn in a different colour. */
  province: boolean
}

export interface LedgerChartProps {
  items: LedgerChartItem[]
  labels: {
    entries: (n: string) => string
    checkpoint: (n: string) => string
    formatNumber: (n: number) => string
  }
  onSelect?: (id: string) => void
  height?: number | string
}

const CITY_COLOR = '#1f5fbf'
const PROVINCE_COLOR = '#d48806'

interface BarDatum {
  value: number
  id: string
  checkpointSize: number | null
  itemStyle: { color: string }
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * How the chart is laid out for its container: wide and low containers get vertical columns (regions
 * along the bottom, rotated when space is short), tall or narrow ones horizontal bars (first log on top).
 */
interface Layout {
  vertical: boolean
  compact: boolean
  rotate: number
}

function layoutFor(width: number, height: number): Layout {
  const vertical = width >= 720 && width > height * 1.6
  return { vertical, compact: width < 420, rotate: vertical && width < 1000 ? 30 : 0 }
}

function sameLayout(a: Layout, b: Layout): boolean {
  return a.vertical === b.vertical && a.compact === b.compact && a.rotate === b.rotate
}

function buildOption({ items, labels }: LedgerChartProps, layout: Layout): Option {
  const { vertical, compact, rotate } = layout
  const ordered = vertical ? items : [...items].reverse()
  const data: BarDatum[] = ordered.map((item) => ({
    value: item.entries,
    id: item.id,
    checkpointSize: item.checkpointSize,
    itemStyle: { color: item.province ? PROVINCE_COLOR : CITY_COLOR },
  }))
  const valueAxis = {
    type: 'value' as const,
    axisLabel: { color: '#6b7280', formatter: (v: number) => labels.formatNumber(v), hideOverlap: true },
    splitLine: { lineStyle: { color: '#eef2f8' } },
  }
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (raw: unknown) => {
        const list = raw as { name?: string; data?: BarDatum }[]
        const p = list[0]
        if (!p?.data) return ''
        const lines = [
          `<strong>${escape(p.name ?? '')}</strong> <span style="color:#8a94a6">${escape(p.data.id)}</span>`,
          escape(labels.entries(labels.formatNumber(p.data.value))),
        ]
        if (p.data.checkpointSize !== null)
          lines.push(escape(labels.checkpoint(labels.formatNumber(p.data.checkpointSize))))
        return lines.join('<br/>')
      },
    },
    grid: vertical
      ? { left: 8, right: 16, top: 28, bottom: 8, containLabel: true }
      : { left: 8, right: compact ? 48 : 64, top: 8, bottom: 8, containLabel: true },
    [vertical ? 'yAxis' : 'xAxis']: valueAxis,
    [vertical ? 'xAxis' : 'yAxis']: {
      type: 'category',
      data: ordered.map((i) => i.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#c9d3e3' } },
      axisLabel: { color: '#1f2937', fontSize: compact ? 11 : 12, interval: 0, rotate },
    },
    series: [
      {
        type: 'bar',
        data,
        barMaxWidth: vertical ? 36 : 18,
        label: {
          show: true,
          position: vertical ? 'top' : 'right',
          color: '#4a5568',
          fontSize: compact ? 10 : 11,
          formatter: (raw: unknown) => labels.formatNumber((raw as { value: number }).value),
        },
        emphasis: { itemStyle: { color: '#f6a623' } },
      },
    ],
  }
}

export default function LedgerChart(props: LedgerChartProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const chartRef = useRef<echarts.ECharts | null>(null)
  const propsRef = useRef(props)
  propsRef.current = props
  const layoutRef = useRef<Layout>({ vertical: false, compact: false, rotate: 0 })

  useEffect(() => {
    const el = containerRef.current
    if (!el) return
    const chart = echarts.init(el, undefined, { renderer: 'canvas' })
    chartRef.current = chart
    chart.on('click', (params) => {
      const id = (params as { data?: BarDatum }).data?.id
      if (id) propsRef.current.onSelect?.(id)
    })
    layoutRef.current = layoutFor(el.clientWidth, el.clientHeight)
    const observer = new ResizeObserver(() => {
      chart.resize()
      const layout = layoutFor(el.clientWidth, el.clientHeight)
      if (!sameLayout(layout, layoutRef.current)) {
        layoutRef.current = layout
        chart.setOption(buildOption(propsRef.current, layout), { notMerge: true })
      }
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      chart.dispose()
      chartRef.current = null
    }
  }, [])

  useEffect(() => {
    chartRef.current?.setOption(buildOption(props, layoutRef.current), { notMerge: true })
    // buildOption reads only the props listed here.
  }, [props.items, props.labels])

  return (
    <div
      ref={containerRef}
      data-testid="ledger-chart"
      data-item-count={props.items.length}
      style={{ width: '100%', height: props.height ?? 420 }}
    />
  )
}
