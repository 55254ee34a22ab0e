/**
 * 需求热力图: cases (or appeals) per 10,000 residents in each child region of the region the hall
 * follows, on the region map, with the child regions ranked beside it. Clicking a region (on the map
 * or in the ranking) drills into it, province → city → county → street, and the breadcrumb goes back;
 * the rest of the screen follows. A street has no children: its outline is shown, and a click opens
 * the list behind its count. Each ranking row also opens the list of its region.
 * @module
 */
import { useEffect, useMemo, useState } from 'react'
import { Breadcrumb, Button, Segmented, Tooltip } from 'antd'
import { UnorderedListOutlined } from '@ant-design/icons'
import { api } from '../../api.js'
import type { RegionFeature, RegionFeatureCollection } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { analyticsApi, HEATMAP_METRICS } from '../../analytics-api.js'
import type { Heatmap, HeatmapMetric, HeatmapValue } from '../../analytics-api.js'
import HallChart, { escapeHtml } from './hall-chart.js'
import type { HallChartOption } from './hall-chart.js'
import { Panel, useHall, useHallData } from './hall-common.js'
import { formatRate } from './hall-format.js'

/** One step of the drill: a region and what the level above counted in it. */
export interface Crumb {
  code: string
  name: string
}

/** A street (GB/T 2260 with the 3-digit street part) has no children on the map. */
export const isStreet = (code: string) => code.length >= 9

const HALL_SHADES = ['#0f2d5c', '#15508f', '#1890ff', '#36cfc9', '#ffd666', '#ff7a45', '#f5222d']
const DESK_SHADES = ['#e6f0fc', '#b9d3f5', '#7fb0ea', '#3f86d9', '#1f5fbf', '#123f86']

type Geometry = RegionFeatureCollection | RegionFeature

export function HeatmapPanel({
  crumbs,
  onDrill,
  onBack,
  height,
}: {
  crumbs: Crumb[]
  onDrill: (crumb: Crumb) => void
  /** Back to the crumb at this index. */
  onBack: (index: number) => void
  height: number
}) {
  const { t, formatNumber } = useI18n()
  const { region, regionName, period, variant, openDrill } = useHall()
  const [metric, setMetric] = useState<HeatmapMetric>('cases_per_10k')
  const street = isStreet(region)
  const kind = metric === 'cases_per_10k' ? 'cases' : 'appeals'

  const [geometry, setGeometry] = useState<{ code: string; geojson: Geometry } | null>(null)
  useEffect(() => {
    let live = true
    const load = street
      ? api.regionGeojson(region, { quiet: true })
      : api.childrenGeojson(region, { quiet: true })
    load.then(
      (g) => live && setGeometry({ code: region, geojson: g }),
      () => live && setGeometry(null),
    )
    return () => {
      live = false
    }
  }, [region, street])

  // The values of a street's parent name the street's own count.
  const heatRegion = street && crumbs.length > 1 ? crumbs[crumbs.length - 2]!.code : region
  const loaded = useHallData<Heatmap>(`${heatRegion}|${metric}|${period.from}|${period.to ?? ''}`, () =>
    analyticsApi.heatmap({ region: heatRegion, metric, ...period }, { quiet: true }),
  )
  const values = useMemo(() => {
    const all = loaded.data?.values ?? []
    return street ? all.filter((v) => v.code === region) : all
  }, [loaded.data, street, region])
  const ranked = useMemo(
    () => [...values].sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || b.count - a.count),
    [values],
  )

  const metricLabel = t(`hall.heatmap.metric.${metric}`)
  const option = useMemo<HallChartOption | null>(() => {
    if (!geometry || geometry.code !== region) return null
    const nums = values.map((v) => v.value ?? 0)
    const max = nums.length ? Math.max(...nums, 0) : 0
    const dark = variant === 'hall'
    return {
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (raw: unknown) => {
          const p = raw as { data?: { regionName: string; value: number; count: number; population: number } }
          const d = p.data
          if (!d) return ''
          return [
            `<strong>${escapeHtml(d.regionName)}</strong>`,
            escapeHtml(`${metricLabel}：${formatRate(d.value)}`),
            escapeHtml(t(`hall.heatmap.count.${metric}`, { n: formatNumber(d.count) })),
            escapeHtml(t('hall.heatmap.population', { n: formatNumber(d.population) })),
          ].join('<br/>')
        },
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max: max > 0 ? max : 1,
        orient: 'vertical',
        left: 12,
        bottom: 12,
        itemHeight: dark ? 180 : 120,
        text: [t('hall.heatmap.high'), t('hall.heatmap.low')],
        calculable: false,
        inRange: { color: dark ? HALL_SHADES : DESK_SHADES },
        textStyle: { color: dark ? '#d6e4ff' : '#4a5568', fontSize: dark ? 16 : 12 },
        formatter: (v: unknown) => formatRate(Number(v)),
      },
      series: [
        {
          type: 'map',
          map: `hall-${region}`,
          nameProperty: 'code',
          roam: true,
          scaleLimit: { min: 0.8, max: 12 },
          layoutCenter: ['54%', '50%'],
          layoutSize: '94%',
          selectedMode: false,
          data: values.map((v) => ({
            name: v.code,
            value: v.value ?? 0,
            regionName: v.name,
            count: v.count,
            population: v.population,
            // On the light map the darker shades get white labels.
            ...(!dark && max > 0 && (v.value ?? 0) / max >= 0.55
              ? { label: { color: '#ffffff', textBorderColor: 'rgba(8, 30, 70, 0.6)' } }
              : {}),
          })),
          label: {
            show: values.length <= 40,
            color: dark ? '#ffffff' : '#0b2545',
            fontSize: dark ? 15 : 11,
            textBorderColor: dark ? 'rgba(0, 10, 30, 0.85)' : 'rgba(255,255,255,0.85)',
            textBorderWidth: 2,
            formatter: (raw: unknown) => (raw as { data?: { regionName: string } }).data?.regionName ?? '',
          },
          itemStyle: {
            areaColor: dark ? '#0f2d5c' : '#e6f0fc',
            borderColor: dark ? '#5b8ff9' : '#ffffff',
            borderWidth: 1.2,
          },
          emphasis: {
            label: { show: true, fontWeight: 'bold', color: dark ? '#ffffff' : '#0b2545' },
            itemStyle: { areaColor: '#f6c350', borderColor: '#ffffff', borderWidth: 1.5 },
          },
        },
      ],
    }
  }, [geometry, region, values, variant, metricLabel, metric, t, formatNumber])

  const map = useMemo(
    () =>
      geometry && geometry.code === region
        ? {
            key: `hall-${region}`,
            geojson:
              geometry.geojson.type === 'FeatureCollection'
                ? geometry.geojson
                : { type: 'FeatureCollection', features: [geometry.geojson] },
          }
        : undefined,
    [geometry, region],
  )

  const drillInto = (v: HeatmapValue) => {
    if (street) openDrill({ kind, region: v.code, title: v.name })
    else onDrill({ code: v.code, name: v.name })
  }

  return (
    <Panel<Heatmap>
      id="hall-heatmap"
      title={t('hall.heatmap.title')}
      loaded={loaded}
      exportSpec={{ view: 'heatmap', metric }}
      extra={
        <>
          <Segmented<HeatmapMetric>
            size={variant === 'hall' ? 'large' : 'middle'}
            value={metric}
            onChange={setMetric}
            options={HEATMAP_METRICS.map((m) => ({ value: m, label: t(`hall.heatmap.metric.${m}`) }))}
            data-testid="heatmap-metric"
          />
          <Tooltip title={t('hall.drill.open')}>
            <Button
              icon={<UnorderedListOutlined />}
              onClick={() => openDrill({ kind, region, title: regionName })}
              data-testid="heatmap-list"
            >
              {t('hall.drill.list')}
            </Button>
          </Tooltip>
        </>
      }
    >
      {() => (
        <div className="xzt-hall-heatmap">
          <Breadcrumb
            className="xzt-hall-crumbs"
            data-testid="hall-crumbs"
            items={crumbs.map((c, i) => ({
              key: c.code,
              title:
                i === crumbs.length - 1 ? (
                  <span data-testid="hall-crumb-current" data-code={c.code}>
                    {c.name}
                  </span>
                ) : (
                  <a onClick={() => onBack(i)} data-testid="hall-crumb" data-code={c.code}>
                    {c.name}
                  </a>
                ),
            }))}
          />
          <div className="xzt-hall-heatmap-body">
            <div className="xzt-hall-heatmap-map">
              {option && map ? (
                <HallChart
                  option={option}
                  map={map}
                  height={height}
                  testId="heatmap-map"
                  onClick={(hit) => {
                    const v = values.find((x) => x.code === hit.name)
                    if (v) drillInto(v)
                    else if (street) openDrill({ kind, region, title: regionName })
                  }}
                />
              ) : (
                <div style={{ height }} className="xzt-hall-loading" />
              )}
            </div>
            <ol className="xzt-hall-ranking" data-testid="heatmap-ranking" style={{ maxHeight: height }}>
              {ranked.map((v, i) => (
                <li key={v.code} data-testid="heatmap-region" data-code={v.code}>
                  <span className="xzt-hall-rank">{i + 1}</span>
                  <a
                    className="xzt-hall-ranking-name"
                    onClick={() => drillInto(v)}
                    data-testid="heatmap-drill"
                  >
                    {v.name}
                  </a>
                  <span className="xzt-hall-ranking-value" title={metricLabel}>
                    {formatRate(v.value)}
                  </span>
                  <span className="xzt-hall-ranking-count">
                    {t(`hall.heatmap.count.${metric}`, { n: formatNumber(v.count) })}
                  </span>
                  <Tooltip title={t('hall.drill.open')}>
                    <Button
                      type="text"
                      size="small"
                      icon={<UnorderedListOutlined />}
                      aria-label={t('hall.drill.open')}
                      onClick={() => openDrill({ kind, region: v.code, title: v.name })}
                      data-testid="heatmap-region-list"
                    />
                  </Tooltip>
                </li>
              ))}
            </ol>
          </div>
        </div>
      )}
    </Panel>
  )
}
