/**
 * The one ECharts host of the hall's panels (imported modularly: line, bar and map charts, grid,
 * tooltip, legend, visual map, canvas): follows its container's size, redraws when the option
 * changes (merging, so a live refetch animates instead of flashing), and reports clicks on data.
 * A map's geometry is registered under `map.key` before the option that names it is set.
 * @module
 */
import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, LineChart, MapChart } from 'echarts/charts'
import type { BarSeriesOption, LineSeriesOption, MapSeriesOption } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  BarChart,
  LineChart,
  MapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
])

export type HallChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | MapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>

type GeoJsonInput = Parameters<typeof echarts.registerMap>[1]

/** What a click on the chart hit. */
export interface ChartClick {
  name: string
  seriesName?: string
  dataIndex: number
  seriesIndex?: number
}

export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

export default function HallChart({
  option,
  height,
  onClick,
  map,
  testId,
}: {
  option: HallChartOption
  height: number | string
  onClick?: (hit: ChartClick) => void
  map?: { key: string; geojson: unknown }
  testId?: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const onClickRef = useRef(onClick)
  onClickRef.current = onClick
  const mapKey = useRef<string | null>(null)

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const c = echarts.init(el, undefined, { renderer: 'canvas' })
    chart.current = c
    c.on('click', (p) => {
      const params = p as { name?: string; seriesName?: string; dataIndex?: number; seriesIndex?: number }
      onClickRef.current?.({
        name: params.name ?? '',
        seriesName: params.seriesName,
        dataIndex: params.dataIndex ?? -1,
        seriesIndex: params.seriesIndex,
      })
    })
    const observer = new ResizeObserver(() => c.resize())
    observer.observe(el)
    return () => {
      observer.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const c = chart.current
    if (!c) return
    // A new map (another region) replaces everything; the same map merges (live updates animate).
    let replace = false
    if (map && map.key !== mapKey.current) {
      echarts.registerMap(map.key, map.geojson as GeoJsonInput)
      mapKey.current = map.key
      replace = true
    }
    c.setOption(option, { notMerge: replace, replaceMerge: replace ? undefined : ['series'] })
  }, [option, map])

  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />
}
