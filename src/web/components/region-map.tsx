/**
 * ECharts choropleth of a region's subdivisions (or the outline of a single street).
 * Loaded lazily (React.lazy) so the ECharts chunk is fetched only when a map is shown.
 * ECharts is imported modularly: only the map chart, tooltip, visual map and canvas renderer.
 */
import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { MapChart } from 'echarts/charts'
import type { MapSeriesOption } from 'echarts/charts'
import { TooltipComponent, VisualMapComponent } from 'echarts/components'
import type { TooltipComponentOption, VisualMapComponentOption } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { RegionFeature, RegionFeatureCollection } from '../api.js'

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer])

type Option = echarts.ComposeOption<MapSeriesOption | TooltipComponentOption | VisualMapComponentOption>
type GeoJsonInput = Parameters<typeof echarts.registerMap>[1]

export interface RegionMapItem {
  code: string
  name: string
  population: number
}

export interface RegionMapProps {
  /** Unique name for `echarts.registerMap`, e.g. `xzt-4301-children`. */
  mapKey: string
  /** Children mode: one feature per subdivision; outline mode: the region's own feature. */
  geojson: RegionFeatureCollection | RegionFeature
  mode: 'children' | 'outline'
  items: RegionMapItem[]
  labels: {
    high: string
    low: string
    population: (n: number) => string
    formatNumber: (n: number) => string
  }
  onSelect?: (code: string) => void
  /** Code of the item highlighted from outside (table row hover). */
  highlighted?: string | null
  height?: number | string
}

/** Blues from light to the brand colour: readable on white, strong for the most populous. */
const SHADES = ['#e6f0fc', '#b9d3f5', '#7fb0ea', '#3f86d9', '#1f5fbf', '#123f86']

interface ItemData {
  name: string
  value: number
  regionName: string
  label?: { color: string; textBorderColor: string }
}

/** Labels on the darker shades are drawn white so they stay readable. */
const LIGHT_LABEL = { color: '#ffffff', textBorderColor: 'rgba(8, 30, 70, 0.6)' }

function toCollection(geojson: RegionFeatureCollection | RegionFeature): RegionFeatureCollection {
  return geojson.type === 'FeatureCollection' ? geojson : { type: 'FeatureCollection', features: [geojson] }
}

function buildOption(props: RegionMapProps, compact: boolean): Option {
  const { mapKey, items, labels, mode } = props
  const values = items.map((i) => i.population)
  const min = values.length ? Math.min(...values) : 0
  const max = values.length ? Math.max(...values) : 1
  const data: ItemData[] = items.map((item) => {
    const ratio = max > min ? (item.population - min) / (max - min) : 0
    return {
      name: item.code,
      value: item.population,
      regionName: item.name,
      ...(mode === 'children' && ratio >= 0.55 ? { label: LIGHT_LABEL } : {}),
    }
  })
  const showLabels = mode === 'outline' || items.length <= 40

  const option: Option = {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const p = raw as { data?: ItemData; name?: string }
        const name = p.data?.regionName ?? p.name ?? ''
        const value = p.data?.value
        const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
        return value === undefined
          ? escape(name)
          : `<strong>${escape(name)}</strong><br/>${escape(labels.population(value))}`
      },
    },
    series: [
      {
        type: 'map',
        map: mapKey,
        nameProperty: 'code',
        roam: true,
        scaleLimit: { min: 0.8, max: 12 },
        layoutCenter: compact ? ['50%', '44%'] : ['52%', '50%'],
        layoutSize: compact ? '84%' : '94%',
        selectedMode: false,
        data,
        label: {
          show: showLabels,
          color: '#0b2545',
          fontSize: compact ? 10 : 12,
          textBorderColor: 'rgba(255,255,255,0.85)',
          textBorderWidth: 2,
          formatter: (raw: unknown) => (raw as { data?: ItemData }).data?.regionName ?? '',
        },
        itemStyle: {
          areaColor: mode === 'outline' ? '#b9d3f5' : '#e6f0fc',
          borderColor: '#ffffff',
          borderWidth: 1.2,
        },
        emphasis: {
          label: { show: true, color: '#0b2545', fontWeight: 'bold' },
          itemStyle: { areaColor: '#f6c350', borderColor: '#ffffff', borderWidth: 1.5 },
        },
      },
    ],
  }
  if (mode === 'children' && items.length > 0) {
    option.visualMap = {
      type: 'continuous',
      min,
      max: max > min ? max : min + 1,
      ...(compact
        ? { orient: 'horizontal' as const, left: 'center', bottom: 4, itemWidth: 12, itemHeight: 160 }
        : { orient: 'vertical' as const, left: 16, bottom: 16, itemHeight: 140 }),
      text: [labels.high, labels.low],
      calculable: true,
      realtime: true,
      inRange: { color: SHADES },
      formatter: (value: unknown) => labels.formatNumber(Math.round(Number(value))),
      textStyle: { color: '#4a5568' },
    }
  }
  return option
}

export default function RegionMap(props: RegionMapProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const chartRef = useRef<echarts.ECharts | null>(null)
  const onSelectRef = useRef(props.onSelect)
  onSelectRef.current = props.onSelect
  const propsRef = useRef(props)
  propsRef.current = props
  /** Narrow containers (phones) get a horizontal legend and smaller labels. */
  const compactRef = useRef(false)

  // Create the chart once; resize it with its container.
  useEffect(() => {
    const el = containerRef.current
    if (!el) return
    const chart = echarts.init(el, undefined, { renderer: 'canvas' })
    chartRef.current = chart
    chart.on('click', (params) => {
      const code = (params as { name?: string }).name
      if (code) onSelectRef.current?.(code)
    })
    compactRef.current = el.clientWidth < 560
    const observer = new ResizeObserver(() => {
      chart.resize()
      const compact = el.clientWidth < 560
      if (compact !== compactRef.current) {
        compactRef.current = compact
        chart.setOption(buildOption(propsRef.current, compact), { notMerge: true })
      }
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      chart.dispose()
      chartRef.current = null
    }
  }, [])

  // (Re)register the geometry and set the option whenever the data changes.
  const { mapKey, geojson } = props
  useEffect(() => {
    const chart = chartRef.current
    if (!chart) return
    echarts.registerMap(mapKey, toCollection(geojson) as unknown as GeoJsonInput)
    chart.setOption(buildOption(props, compactRef.current), { notMerge: true })
    // buildOption reads only the props listed here.
  }, [mapKey, geojson, props.items, props.mode, props.labels])

  // Highlight the item hovered in the table.
  const { highlighted } = props
  useEffect(() => {
    const chart = chartRef.current
    if (!chart || !highlighted) return
    chart.dispatchAction({ type: 'highlight', seriesIndex: 0, name: highlighted })
    return () => {
      if (!chart.isDisposed()) chart.dispatchAction({ type: 'downplay', seriesIndex: 0, name: highlighted })
    }
  }, [highlighted])

  return (
    <div
      ref={containerRef}
      data-testid="region-map"
      data-map-key={mapKey}
      data-item-count={props.items.length}
      style={{ width: '100%', height: props.height ?? 520 }}
    />
  )
}
