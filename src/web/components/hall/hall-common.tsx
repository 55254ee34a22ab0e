/**
 * What the command hall's panels share, on the large screen (`variant="hall"`: dark, big numbers, no
 * export) and on the leaders' desk (`variant="desk"`: light, in the app shell, export buttons): the
 * context every panel reads (region, period, refresh tick, the drill drawer), a loader that keeps the
 * last figures while it refetches after a live event, the panel frame with its empty and error
 * states, and the number formats.
 * @module
 */
import { Component, createContext, useCallback, useContext, useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { App as AntApp, Button, Card, Empty, Space, Tooltip } from 'antd'
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons'
import { ApiError } from '../../api.js'
import type { Me } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { downloadBlob } from '../../forms.js'
import { analyticsApi } from '../../analytics-api.js'
import type {
  DrillKind,
  ExportView,
  Grain,
  OfficialMeasure,
  Period,
  ResponseBy,
} from '../../analytics-api.js'
import { LoadError } from '../load-error.js'

export type HallVariant = 'hall' | 'desk'

/** The slice of the figures a drill-down lists. */
export interface DrillSlice {
  kind: DrillKind
  region: string
  department?: string
  status?: string
  /** What the slice is, shown as the drawer's title. */
  title: string
}

export interface HallContextValue {
  me: Me
  variant: HallVariant
  /** The region every panel follows (the map's drill). */
  region: string
  regionName: string
  period: Period
  grain: Grain
  /** Bumped after live events (debounced): panels refetch, keeping what they show meanwhile. */
  tick: number
  openDrill: (slice: DrillSlice) => void
}

const HallContext = createContext<HallContextValue | null>(null)
export const HallProvider = HallContext.Provider

export function useHall(): HallContextValue {
  const ctx = useContext(HallContext)
  if (!ctx) throw new Error('useHall must be used inside <HallProvider>')
  return ctx
}

export interface Loaded<T> {
  data: T | null
  error: unknown
  loading: boolean
  reload: () => void
}

/**
 * Loads a panel's figures quietly (a route that fails shows in the panel, not as a toast), again
 * whenever `key` changes or (when `live`) the hall's tick moves. A refetch keeps the last figures on
 * screen; an answer overtaken by a newer request is dropped.
 */
export function useHallData<T>(key: string, load: () => Promise<T>, live = true): Loaded<T> {
  const hall = useHall()
  const tick = live ? hall.tick : 0
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const [retry, setRetry] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const seq = useRef(0)
  const lastKey = useRef(key)
  useEffect(() => {
    const mine = ++seq.current
    if (lastKey.current !== key) {
      lastKey.current = key
      setData(null)
    }
    setLoading(true)
    loadRef.current().then(
      (d) => {
        if (mine !== seq.current) return
        setData(d)
        setError(null)
        setLoading(false)
      },
      (e: unknown) => {
        if (mine !== seq.current) return
        setError(e)
        setLoading(false)
      },
    )
  }, [key, tick, retry])
  const reload = useCallback(() => setRetry((n) => n + 1), [])
  return { data, error, loading, reload }
}

/** Whether an error means the route is not there (yet): the panel says "no data" instead of failing. */
export function isMissingRoute(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 501)
}

/** The views the export route offers, with the query that selects what the panel shows. */
export interface ExportSpec {
  view: ExportView
  metric?: string
  by?: ResponseBy
  department?: string
  measure?: OfficialMeasure
}

function ExportButtons({ spec, name }: { spec: ExportSpec; name: string }) {
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const { region, period } = useHall()
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null)
  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format)
    try {
      const { blob, fileName } = await analyticsApi.export(
        { ...spec, region, ...period, ...(format === 'csv' ? { format: 'csv' as const } : {}) },
        { quiet: true },
      )
      downloadBlob(blob, fileName ?? t('desk.export.fileName', { name, region, ext: format }))
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'desk-export',
      })
    } finally {
      setBusy(null)
    }
  }
  return (
    <Space size={4}>
      <Tooltip title={t('desk.export.xlsxHint')}>
        <Button
          size="small"
          icon={<FileExcelOutlined />}
          loading={busy === 'xlsx'}
          onClick={() => void run('xlsx')}
          data-testid={`export-xlsx-${spec.view}`}
        >
          {t('desk.export.xlsx')}
        </Button>
      </Tooltip>
      <Tooltip title={t('desk.export.csvHint')}>
        <Button
          size="small"
          icon={<DownloadOutlined />}
          loading={busy === 'csv'}
          onClick={() => void run('csv')}
          data-testid={`export-csv-${spec.view}`}
        >
          {t('desk.export.csv')}
        </Button>
      </Tooltip>
    </Space>
  )
}

/**
 * A panel's frame: its title, controls, export buttons on the desk, and the one place that decides
 * between the figures, a load error (with retry) and 暂无数据 (also when the route is not offered).
 */
/** Renders `render()` as a child, so that what it throws reaches the boundary around it. */
function Deferred({ render }: { render: () => ReactNode }) {
  return <>{render()}</>
}

/**
 * One panel that fails to render (figures of a shape it did not expect) shows that it failed, and the
 * rest of the screen stays up; the next figures (a new `resetKey`) try again.
 */
class PanelBoundary extends Component<
  { children: ReactNode; fallback: ReactNode; resetKey: unknown },
  { failed: boolean; key: unknown }
> {
  override state = { failed: false, key: this.props.resetKey }

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true }
  }

  static getDerivedStateFromProps(
    props: { resetKey: unknown },
    state: { failed: boolean; key: unknown },
  ): { failed: boolean; key: unknown } | null {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey }
  }

  override componentDidCatch(error: Error): void {
    console.error('a hall panel failed to render', error)
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children
  }
}

export function Panel<T>({
  id,
  title,
  extra,
  exportSpec,
  loaded,
  isEmpty,
  children,
  className,
}: {
  id: string
  title: ReactNode
  extra?: ReactNode
  exportSpec?: ExportSpec
  loaded?: Loaded<T>
  isEmpty?: (data: T) => boolean
  children: (data: T) => ReactNode
  className?: string
}) {
  const { t } = useI18n()
  const { variant } = useHall()
  let body: ReactNode
  if (!loaded) body = children(undefined as T)
  else if (loaded.error && !loaded.data) {
    body = isMissingRoute(loaded.error) ? (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={t('hall.empty')}
        data-testid={`${id}-empty`}
        data-reason="unavailable"
      />
    ) : (
      <div data-testid={`${id}-error`} className="xzt-hall-error">
        <LoadError title={t('hall.loadFailed')} error={loaded.error} onRetry={loaded.reload} />
      </div>
    )
  } else if (!loaded.data) {
    body = <div className="xzt-hall-loading" data-testid={`${id}-loading`} />
  } else if (isEmpty?.(loaded.data)) {
    body = (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hall.empty')} data-testid={`${id}-empty`} />
    )
  } else {
    const data = loaded.data
    body = (
      <PanelBoundary
        resetKey={data}
        fallback={
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('hall.panelFailed')}
            data-testid={`${id}-failed`}
          />
        }
      >
        <Deferred render={() => children(data)} />
      </PanelBoundary>
    )
  }
  const name = typeof title === 'string' ? title : id
  return (
    <Card
      size="small"
      className={`xzt-hall-panel xzt-hall-panel-${variant} ${className ?? ''}`}
      title={<span className="xzt-hall-panel-title">{title}</span>}
      extra={
        <Space size={8} wrap>
          {extra}
          {variant === 'desk' && exportSpec && <ExportButtons spec={exportSpec} name={name} />}
        </Space>
      }
      data-testid={id}
      data-state={
        !loaded ? 'ready' : loaded.error && !loaded.data ? 'error' : loaded.data ? 'ready' : 'loading'
      }
    >
      <div className="xzt-hall-panel-body">{body}</div>
    </Card>
  )
}

export { formatDuration, formatDurationShort, formatShare, toHours } from './hall-format.js'

/** Colours of the charts on either background. */
export function chartColors(variant: HallVariant) {
  return variant === 'hall'
    ? {
        text: '#d6e4ff',
        axis: '#5b7bb3',
        split: 'rgba(120, 160, 230, 0.16)',
        series: ['#36cfc9', '#ffc53d', '#ff7a45', '#597ef7', '#73d13d', '#f759ab', '#9254de', '#40a9ff'],
      }
    : {
        text: '#4a5568',
        axis: '#a0aec0',
        split: '#edf2f7',
        series: ['#1f5fbf', '#d48806', '#d4380d', '#389e0d', '#531dab', '#c41d7f', '#08979c', '#7cb305'],
      }
}
