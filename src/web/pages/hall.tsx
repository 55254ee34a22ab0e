/**
 * 数据指挥大厅 (`/hall`): the large screen, dark, full-bleed, 1920×1080 and larger, live over the
 * ledger's event stream; and 领导驾驶舱 (`/desk`): the same panels as light pages in the app shell,
 * with a period picker and each view's export. Both start at the signed-in leader's region (a county
 * leader sees the county) and follow the region the map drills into.
 *
 * Live: each event of the stream goes into the ticker at once; the figures refetch once the events
 * pause for a second (a burst of submissions is one refetch, not one per event), and every 30 s while
 * the stream is not open.
 * @module
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { Button, Card, Col, ConfigProvider, DatePicker, Row, Segmented, Space, Typography, theme } from 'antd'
import { ArrowLeftOutlined, DashboardOutlined, FullscreenOutlined } from '@ant-design/icons'
import type { Dayjs } from 'dayjs'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { usePhone } from '../responsive.js'
import { fromBeijingWallClock } from '../time.js'
import { platformNow, useNow } from '../components/cases/case-common.js'
import { Logo } from '../components/logo.js'
import { analyticsApi, followLedger } from '../analytics-api.js'
import type { Period, TickerItem } from '../analytics-api.js'
import { HallProvider, useHall, useHallData } from '../components/hall/hall-common.js'
import type { DrillSlice, HallContextValue, HallVariant } from '../components/hall/hall-common.js'
import { HeatmapPanel } from '../components/hall/heatmap-panel.js'
import type { Crumb } from '../components/hall/heatmap-panel.js'
import { KpiPanel } from '../components/hall/kpi-panel.js'
import { TopicsPanel } from '../components/hall/topics-panel.js'
import { ResponsePanel } from '../components/hall/response-panel.js'
import { OfficialsPanel } from '../components/hall/officials-panel.js'
import { TickerPanel } from '../components/hall/ticker-panel.js'
import { PoliciesPanel } from '../components/hall/policies-panel.js'
import { DrillDrawer } from '../components/hall/drill-drawer.js'
import { grainOf, periodOf } from '../components/hall/hall-format.js'
import type { PeriodKind } from '../components/hall/hall-format.js'
import '../components/hall/hall.css'

const DAY = 86_400_000
/** How long the stream must be quiet before the figures refetch. */
const REFETCH_DEBOUNCE_MS = 1_000
const TICKER_SIZE = 50
/** Without the stream (a proxy that buffers it, a server without it) the figures refetch this often. */
const POLL_WITHOUT_STREAM_MS = 30_000

/**
 * The state both pages share: the drill path, the period, the live stream and its debounced tick,
 * the drill drawer. Renders the panels through `children` inside the hall's context.
 */
function HallBoard({
  me,
  variant,
  period,
  children,
}: {
  me: Me
  variant: HallVariant
  period: Period
  children: (board: {
    crumbs: Crumb[]
    drill: (c: Crumb) => void
    back: (i: number) => void
    ticker: ReactNode
  }) => ReactNode
}) {
  const [crumbs, setCrumbs] = useState<Crumb[]>([{ code: me.regionCode, name: me.regionName }])
  const [tick, setTick] = useState(0)
  const [slice, setSlice] = useState<DrillSlice | null>(null)
  const [streamed, setStreamed] = useState<TickerItem[]>([])
  const [live, setLive] = useState(false)
  const timer = useRef<number | null>(null)

  useEffect(() => {
    const close = followLedger((item) => {
      setStreamed((list) => [item, ...list].slice(0, TICKER_SIZE * 4))
      if (timer.current !== null) window.clearTimeout(timer.current)
      timer.current = window.setTimeout(() => {
        timer.current = null
        setTick((n) => n + 1)
      }, REFETCH_DEBOUNCE_MS)
    }, setLive)
    return () => {
      close()
      if (timer.current !== null) window.clearTimeout(timer.current)
    }
  }, [])

  useEffect(() => {
    if (live) return
    const poll = window.setInterval(() => setTick((n) => n + 1), POLL_WITHOUT_STREAM_MS)
    return () => window.clearInterval(poll)
  }, [live])

  const current = crumbs[crumbs.length - 1]!
  const now = useNow()
  const value = useMemo<HallContextValue>(
    () => ({
      me,
      variant,
      region: current.code,
      regionName: current.name,
      period,
      grain: grainOf(period, now),
      tick,
      openDrill: setSlice,
    }),
    // `now` only decides the grain, which does not change while the period stays.
    [me, variant, current, period, tick],
  )
  const drill = useCallback((c: Crumb) => setCrumbs((list) => [...list, c]), [])
  const back = useCallback((i: number) => setCrumbs((list) => list.slice(0, i + 1)), [])

  return (
    <HallProvider value={value}>
      {children({ crumbs, drill, back, ticker: <LiveTicker streamed={streamed} live={live} /> })}
      <DrillDrawer slice={slice} onClose={() => setSlice(null)} />
    </HallProvider>
  )
}

/** The ticker: the latest events of the region (filled once per region), then what the stream brings. */
function LiveTicker({ streamed, live }: { streamed: TickerItem[]; live: boolean }) {
  const { region } = useHall()
  const loaded = useHallData(
    `ticker|${region}`,
    () => analyticsApi.ticker({ region, limit: TICKER_SIZE }, { quiet: true }),
    // Followed by the stream while it is open; refilled with the figures while it is not.
    !live,
  )
  const items = useMemo(() => {
    const seen = new Set<string>()
    const out: TickerItem[] = []
    for (const e of [...streamed, ...(loaded.data?.items ?? [])]) {
      const key = `${e.log}:${e.index}`
      if (seen.has(key) || !e.region.startsWith(region)) continue
      seen.add(key)
      out.push(e)
    }
    return out.sort((a, b) => b.time - a.time).slice(0, TICKER_SIZE)
  }, [streamed, loaded.data, region])
  return <TickerPanel items={items} live={live} loaded={loaded} />
}

/** The Beijing clock in the hall's header. */
function Clock() {
  const { formatDateTime } = useI18n()
  const now = useNow(1_000)
  return (
    <span className="xzt-hall-clock" data-testid="hall-clock">
      {formatDateTime(now)}
    </span>
  )
}

const HALL_PERIODS: PeriodKind[] = ['day', 'last7', 'last30']

/** How much taller than 1080 px the screen is (at least 1): the charts grow with it, the grid does too. */
function useScreenScale(): number {
  const read = () => Math.min(2.5, Math.max(1, window.innerHeight / 1080))
  const [scale, setScale] = useState(read)
  useEffect(() => {
    const onResize = () => setScale(read())
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [])
  return scale
}

/** `/hall`: the large screen. */
export function HallPage({ me }: { me: Me }) {
  const { t } = useI18n()
  const [kind, setKind] = useState<PeriodKind>('last30')
  const period = useMemo(() => periodOf(kind, platformNow()), [kind])
  const scale = useScreenScale()
  const px = (n: number) => Math.round(n * scale)
  useEffect(() => {
    const before = document.title
    document.title = `${t('hall.title')} · ${t('app.name')}`
    return () => {
      document.title = before
    }
  }, [t])

  return (
    <ConfigProvider
      theme={{
        algorithm: theme.darkAlgorithm,
        // The app's light layout tokens (main.tsx) are inherited unless replaced here.
        token: {
          colorPrimary: '#3c89ff',
          colorInfo: '#3c89ff',
          colorBgLayout: '#06122b',
          colorBgContainer: '#0b1d3f',
          colorBgElevated: '#10264f',
          colorLink: '#91caff',
          fontSize: 16,
        },
        components: {
          Card: { headerFontSize: 20 },
          Table: { headerBg: '#10264f' },
          Segmented: { trackBg: '#06122b', itemSelectedBg: '#1f5fbf', itemColor: '#b5cdf7' },
        },
      }}
    >
      <div className="xzt-hall xzt-hall-screen" data-testid="hall-page">
        <HallBoard me={me} variant="hall" period={period}>
          {({ crumbs, drill, back, ticker }) => (
            <>
              <header className="xzt-hall-header">
                <div className="xzt-hall-brand">
                  <Logo size={40} />
                  <span className="xzt-hall-title" data-testid="page-title">
                    {t('hall.title')}
                  </span>
                  <span className="xzt-hall-region" data-testid="hall-region">
                    {crumbs[crumbs.length - 1]!.name}
                  </span>
                </div>
                <Space size={16}>
                  <Segmented<PeriodKind>
                    size="large"
                    value={kind}
                    onChange={setKind}
                    options={HALL_PERIODS.map((k) => ({ value: k, label: t(`hall.period.${k}`) }))}
                    data-testid="hall-period"
                  />
                  <Clock />
                  <Button
                    icon={<FullscreenOutlined />}
                    onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
                    aria-label={t('hall.fullscreen')}
                  >
                    {t('hall.fullscreen')}
                  </Button>
                  <Button icon={<ArrowLeftOutlined />} {...linkProps('/desk')} data-testid="hall-exit">
                    {t('hall.exit')}
                  </Button>
                </Space>
              </header>
              <main className="xzt-hall-grid">
                <section className="xzt-hall-col xzt-hall-col-left">
                  <KpiPanel />
                  <ResponsePanel height={px(250)} />
                </section>
                <section className="xzt-hall-col xzt-hall-col-center">
                  <HeatmapPanel crumbs={crumbs} onDrill={drill} onBack={back} height={px(500)} />
                  <TopicsPanel height={px(200)} />
                </section>
                <section className="xzt-hall-col xzt-hall-col-right">
                  {ticker}
                  <OfficialsPanel height={px(150)} />
                  <PoliciesPanel />
                </section>
              </main>
            </>
          )}
        </HallBoard>
      </div>
    </ConfigProvider>
  )
}

const DESK_PERIODS: PeriodKind[] = ['day', 'week', 'month', 'quarter', 'custom']

/** Picked days (browser zone) as the Beijing period they show: the first day's midnight to the day after the last. */
function pickedDays(range: [Dayjs, Dayjs]): [number, number] {
  const at = (d: Dayjs) =>
    fromBeijingWallClock({ year: d.year(), month: d.month(), day: d.date(), hour: 0, minute: 0 })
  return [at(range[0]), at(range[1]) + DAY]
}

/** `/desk`: the leaders' desk in the app shell. */
export function DeskPage({ me }: { me: Me }) {
  const { t } = useI18n()
  const phone = usePhone()
  const [kind, setKind] = useState<PeriodKind>('month')
  const [custom, setCustom] = useState<[number, number] | undefined>(undefined)
  const period = useMemo(() => periodOf(kind, platformNow(), custom), [kind, custom])

  return (
    <div className="xzt-hall xzt-hall-desk" data-testid="desk-page">
      <HallBoard me={me} variant="desk" period={period}>
        {({ crumbs, drill, back, ticker }) => (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" className="xzt-page-head">
              <div className="xzt-page-head-row">
                <div className="xzt-page-head-text">
                  <Typography.Title level={3} className="xzt-page-title" data-testid="page-title">
                    <DashboardOutlined /> {t('desk.title')}
                  </Typography.Title>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                    {t('desk.intro', { region: crumbs[crumbs.length - 1]!.name })}
                  </Typography.Paragraph>
                </div>
                <Space wrap size={[8, 8]}>
                  <Segmented<PeriodKind>
                    value={kind}
                    onChange={setKind}
                    options={DESK_PERIODS.map((k) => ({ value: k, label: t(`hall.period.${k}`) }))}
                    data-testid="desk-period"
                  />
                  {kind === 'custom' && (
                    <DatePicker.RangePicker
                      allowClear={false}
                      onChange={(r) => {
                        if (r?.[0] && r[1]) setCustom(pickedDays([r[0], r[1]]))
                      }}
                      data-testid="desk-range"
                    />
                  )}
                  {!phone && (
                    <Button
                      type="primary"
                      icon={<FullscreenOutlined />}
                      onClick={() => navigate('/hall')}
                      data-testid="desk-open-hall"
                    >
                      {t('desk.openHall')}
                    </Button>
                  )}
                </Space>
              </div>
            </Card>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <HeatmapPanel crumbs={crumbs} onDrill={drill} onBack={back} height={phone ? 320 : 460} />
              </Col>
              <Col xs={24} xl={10}>
                <KpiPanel />
              </Col>
              <Col xs={24} xl={12}>
                <TopicsPanel height={phone ? 220 : 260} />
              </Col>
              <Col xs={24} xl={12}>
                <ResponsePanel height={phone ? 240 : 260} />
              </Col>
              <Col xs={24} xl={12}>
                <OfficialsPanel height={200} />
              </Col>
              <Col xs={24} xl={12}>
                {ticker}
              </Col>
              <Col xs={24}>
                <PoliciesPanel />
              </Col>
            </Row>
          </Space>
        )}
      </HallBoard>
    </div>
  )
}
