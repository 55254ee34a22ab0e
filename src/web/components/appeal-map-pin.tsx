/**
 * Where it happened, on a map: the streets of a county drawn as SVG from the regions' GeoJSON (served by
 * the API: no tiles, no third-party map), the citizen's own street marked. A tap drops a pin and zooms
 * into the street it fell in, so a second tap can put it on the right spot; the pin's longitude and
 * latitude come from inverting the drawing's projection (`map-projection.ts`). The server finds the
 * street again from the point; the street named here is what the citizen is shown before sending.
 * @module
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { MouseEvent as ReactMouseEvent } from 'react'
import { Alert, Button, Skeleton, Space, Typography } from 'antd'
import { AimOutlined, CloseOutlined, ZoomOutOutlined } from '@ant-design/icons'
import type { LonLat, RegionGeometry } from '../../shared/domain.js'
import { api } from '../api.js'
import type { RegionFeature } from '../api.js'
import { useI18n } from '../i18n.js'
import {
  bboxOf,
  contains,
  fitProjection,
  padBBox,
  roundCoord,
  svgPath,
  viewOf,
  type BBox,
} from './map-projection.js'

/** A pin on the map and the street it lies in. */
export interface MapPin {
  lat: number
  lng: number
  streetCode: string
  streetName: string
}

interface Street {
  code: string
  name: string
  geometry: RegionGeometry
  centroid: LonLat | null
  box: BBox
}

/** Units of the drawing's width (its height follows the county's shape). */
const WIDTH = 1000

export function AppealMapPin({
  areaCode,
  homeCode,
  value,
  onChange,
  onUnavailable,
}: {
  /** The county (or any region) whose streets are drawn. */
  areaCode: string
  /** The citizen's own street, marked on the map. */
  homeCode?: string
  value: MapPin | null
  onChange: (pin: MapPin | null) => void
  /** The map cannot be drawn (no geometry, or the request failed): offer the street list instead. */
  onUnavailable?: () => void
}) {
  const { t } = useI18n()
  const [streets, setStreets] = useState<Street[] | null>(null)
  const [failed, setFailed] = useState(false)
  const [zoom, setZoom] = useState<string | null>(null)
  const [outside, setOutside] = useState(false)
  const svgRef = useRef<SVGSVGElement>(null)
  const unavailable = useRef(onUnavailable)
  unavailable.current = onUnavailable

  useEffect(() => {
    const controller = new AbortController()
    setStreets(null)
    setFailed(false)
    api.childrenGeojson(areaCode, { signal: controller.signal, quiet: true }).then(
      (fc) => {
        const list = fc.features.flatMap((f: RegionFeature): Street[] => {
          const box = f.geometry ? bboxOf([f.geometry]) : undefined
          return f.geometry && box
            ? [
                {
                  code: f.properties.code,
                  name: f.properties.name,
                  geometry: f.geometry,
                  centroid: f.properties.centroid,
                  box,
                },
              ]
            : []
        })
        setStreets(list)
        if (list.length === 0) unavailable.current?.()
      },
      () => {
        if (controller.signal.aborted) return
        setFailed(true)
        unavailable.current?.()
      },
    )
    return () => controller.abort()
  }, [areaCode])

  const projection = useMemo(() => {
    const box = streets ? bboxOf(streets.map((s) => s.geometry)) : undefined
    return box ? fitProjection(padBBox(box, 0.03), WIDTH) : null
  }, [streets])

  if (failed || (streets && streets.length === 0)) {
    return <Alert type="warning" showIcon title={t('citizenAppeals.map.unavailable')} />
  }
  if (!streets || !projection) {
    return (
      <div className="xzt-cit-map-loading">
        <Skeleton active paragraph={{ rows: 6 }} />
      </div>
    )
  }

  const zoomed = zoom ? streets.find((s) => s.code === zoom) : undefined
  const view = zoomed
    ? viewOf(projection, padBBox(zoomed.box, 0.25))
    : { x: 0, y: 0, w: projection.width, h: projection.height }
  const fontSize = Math.max(view.w, view.h) / (zoomed ? 20 : 26)
  const pinAt = value ? projection.project([value.lng, value.lat]) : null
  const pinSize = Math.max(view.w, view.h) / 11

  const tap = (e: ReactMouseEvent<SVGSVGElement>) => {
    const svg = svgRef.current
    const ctm = svg?.getScreenCTM()
    if (!svg || !ctm) return
    const point = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse())
    const [lng, lat] = projection.invert([point.x, point.y])
    const street = streets.find((s) => contains(s.geometry, [lng, lat]))
    if (!street) {
      setOutside(true)
      return
    }
    setOutside(false)
    onChange({ lat: roundCoord(lat), lng: roundCoord(lng), streetCode: street.code, streetName: street.name })
    setZoom(street.code)
  }

  return (
    <div className="xzt-cit-map" data-testid="appeal-map">
      <svg
        ref={svgRef}
        viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
        preserveAspectRatio="xMidYMid meet"
        className="xzt-cit-map-svg"
        role="img"
        aria-label={t('citizenAppeals.map.aria')}
        onClick={tap}
        data-testid="appeal-map-svg"
        data-zoom={zoom ?? ''}
      >
        {streets.map((s) => {
          const chosen = value?.streetCode === s.code
          const home = s.code === homeCode
          return (
            <path
              key={s.code}
              d={svgPath(s.geometry, projection)}
              className={`xzt-cit-map-street${chosen ? ' is-chosen' : ''}${home ? ' is-home' : ''}`}
              fillRule="evenodd"
              data-code={s.code}
              vectorEffect="non-scaling-stroke"
            />
          )
        })}
        {streets.map((s) => {
          if (!s.centroid) return null
          const [x, c] = projection.project(s.centroid)
          // A pin near the name would hide it: the name goes just below the pin.
          const near = pinAt !== null && Math.hypot(pinAt[0] - x, pinAt[1] - c) < pinSize
          const y = near ? pinAt[1] + fontSize * 0.9 : c
          return (
            <text
              key={`label-${s.code}`}
              x={x}
              y={y}
              fontSize={fontSize}
              className={`xzt-cit-map-label${value?.streetCode === s.code ? ' is-chosen' : ''}`}
              textAnchor="middle"
              dominantBaseline="middle"
            >
              {s.name}
            </text>
          )
        })}
        {pinAt && (
          // A map pin whose point is the spot: drawn upwards from it.
          <g
            transform={`translate(${pinAt[0]} ${pinAt[1]}) scale(${pinSize / 100})`}
            className="xzt-cit-map-pin"
            data-testid="appeal-map-pin"
          >
            <path d="M0 0 C -12 -30 -38 -48 -38 -70 A 38 38 0 1 1 38 -70 C 38 -48 12 -30 0 0 Z" />
            <circle cx="0" cy="-70" r="14" className="xzt-cit-map-pin-dot" />
          </g>
        )}
      </svg>
      <div className="xzt-cit-map-foot">
        {homeCode && streets.some((s) => s.code === homeCode) && (
          <div className="xzt-cit-map-legend">
            <span className="xzt-cit-map-swatch is-home" />
            {t('citizenAppeals.map.home', {
              street: streets.find((s) => s.code === homeCode)?.name ?? '',
            })}
          </div>
        )}
        {value ? (
          <Typography.Text strong className="xzt-cit-map-where" data-testid="appeal-map-where">
            <AimOutlined /> {t('citizenAppeals.map.pinned', { street: value.streetName })}
          </Typography.Text>
        ) : (
          <Typography.Text className="xzt-cit-map-where">{t('citizenAppeals.map.tapHint')}</Typography.Text>
        )}
        {value && zoomed && <div className="xzt-cit-map-refine">{t('citizenAppeals.map.refine')}</div>}
        {outside && <Alert type="warning" showIcon title={t('citizenAppeals.map.outside')} />}
        <Space wrap size={8}>
          {zoomed && (
            <Button size="large" icon={<ZoomOutOutlined />} onClick={() => setZoom(null)}>
              {t('citizenAppeals.map.zoomOut')}
            </Button>
          )}
          {value && (
            <Button
              size="large"
              icon={<CloseOutlined />}
              onClick={() => {
                onChange(null)
                setZoom(null)
              }}
              data-testid="appeal-map-clear"
            >
              {t('citizenAppeals.map.clear')}
            </Button>
          )}
        </Space>
      </div>
    </div>
  )
}
