/**
 * Audit console (审计控制台) for auditors and administrators: the transparency ledger at a glance
 * (one log per city plus the province log), each log's latest signed checkpoint and whether the
 * province witness has cosigned it, entries per log, receipt verification (paste, upload or fetch a
 * c2sp.org/tlog-proof receipt), entry look-up with its inclusion proof re-checked locally, and the
 * full audit (every tree recomputed, every signature checked, every event replayed).
 * `?log=<id>&index=<n>` opens the look-up of that entry.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Col,
  Grid,
  Progress,
  Row,
  Skeleton,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  AuditOutlined,
  ClockCircleOutlined,
  DatabaseOutlined,
  InfoCircleOutlined,
  ProfileOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons'
import { ApiError, api } from '../api.js'
import type { LedgerLog, LedgerWitnesses } from '../api.js'
import { useI18n } from '../i18n.js'
import { keyName } from '../ledger.js'
import {
  isProvinceLog,
  witnessState,
  LogLabel,
  WitnessTag,
  SectionTitle,
} from '../components/audit/audit-common.js'
import type { Target } from '../components/audit/audit-common.js'
import { CheckpointModal } from '../components/audit/checkpoint-modal.js'
import { EntriesDrawer } from '../components/audit/entries-drawer.js'
import { ReceiptCard } from '../components/audit/receipt-card.js'
import { LookupCard } from '../components/audit/lookup-card.js'
import { FullAuditCard } from '../components/audit/full-audit-card.js'
import type { AuditRun } from '../components/audit/full-audit-card.js'
import type { LedgerChartItem } from '../components/ledger-chart.js'
import { LoadError } from '../components/load-error.js'

const LedgerChart = lazy(() => import('../components/ledger-chart.js'))

interface LedgerView {
  logs: LedgerLog[]
  witnesses: LedgerWitnesses | null
  names: Map<string, string>
}

async function loadLedger(signal: AbortSignal): Promise<LedgerView> {
  const o = { signal, quiet: true }
  const [logs, witnesses] = await Promise.all([
    api.ledgerLogs(o),
    api.ledgerWitnesses(o).catch((e: unknown) => {
      if (signal.aborted) throw e
      return null
    }),
  ])
  const names = new Map<string, string>()
  // Region names are a nicety: the console works without them.
  const provinces = [...new Set(logs.map((l) => l.id.slice(0, 2)))]
  await Promise.all(
    provinces.map(async (code) => {
      try {
        const [region, children] = await Promise.all([api.region(code, o), api.children(code, o)])
        names.set(region.code, region.name)
        for (const c of children) names.set(c.code, c.name)
      } catch (e) {
        if (signal.aborted) throw e
      }
    }),
  )
  return { logs, witnesses, names }
}

type LoadState =
  | { status: 'loading'; view: LedgerView | null }
  | { status: 'ready'; view: LedgerView }
  | { status: 'error'; view: LedgerView | null; error: unknown }

function scrollToSection(id: string): void {
  // After React has rendered the section's new content.
  window.setTimeout(
    () => document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
    50,
  )
}

export function AuditPage() {
  const i18n = useI18n()
  const { t, lang, formatNumber, formatDateTime, formatDate, formatTime, describeError } = i18n
  const [state, setState] = useState<LoadState>({ status: 'loading', view: null })
  const [reload, setReload] = useState(0)
  const [checkpointLog, setCheckpointLog] = useState<LedgerLog | null>(null)
  const [entriesLog, setEntriesLog] = useState<LedgerLog | null>(null)
  const [lookupTarget, setLookupTarget] = useState<Target | null>(null)
  const [receiptTarget, setReceiptTarget] = useState<Target | null>(null)
  const [run, setRun] = useState<AuditRun | null>(null)
  const [running, setRunning] = useState(false)
  const seq = useRef(0)
  const screens = Grid.useBreakpoint()
  /** Phones: icon-only actions and a horizontally scrolling log table. */
  const narrow = !screens.md

  useEffect(() => {
    const controller = new AbortController()
    setState((prev) => ({ status: 'loading', view: prev.view }))
    loadLedger(controller.signal).then(
      (view) => setState({ status: 'ready', view }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        setState((prev) => ({ status: 'error', view: prev.view, error }))
      },
    )
    return () => controller.abort()
  }, [reload])

  const view = state.view
  const witnessName = view?.witnesses ? keyName(view.witnesses.province) : null

  const summary = useMemo(() => {
    if (!view) return null
    const cities = view.logs.filter((l) => !isProvinceLog(l.id))
    const covered = cities.filter((l) => witnessState(l, witnessName).kind === 'ok').length
    const latest = view.logs.reduce<number | null>(
      (max, l) => (l.checkpoint && (max === null || l.checkpoint.time > max) ? l.checkpoint.time : max),
      null,
    )
    return {
      logs: view.logs.length,
      provinces: view.logs.length - cities.length,
      cities: cities.length,
      entries: view.logs.reduce((n, l) => n + l.size, 0),
      latest,
      covered,
    }
  }, [view, witnessName])

  const chartItems = useMemo<LedgerChartItem[]>(
    () =>
      view?.logs.map((l) => ({
        id: l.id,
        label: view.names.get(l.id) ?? l.id,
        entries: l.size,
        checkpointSize: l.checkpoint?.size ?? null,
        province: isProvinceLog(l.id),
      })) ?? [],
    [view],
  )
  const chartLabels = useMemo(
    () => ({
      entries: (n: string) => t('audit.chartEntries', { n }),
      checkpoint: (n: string) => t('audit.chartCheckpoint', { n }),
      formatNumber,
    }),
    [t, formatNumber],
  )

  // A deep link `/audit?log=4301&index=123` (e.g. a case timeline's ledger position) looks the entry up.
  const linked = useRef(false)
  useEffect(() => {
    if (linked.current || state.status !== 'ready') return
    linked.current = true
    const params = new URLSearchParams(window.location.search)
    const log = params.get('log')
    const index = params.has('index') ? Number(params.get('index')) : Number.NaN
    if (log && /^\d{2,4}$/.test(log) && Number.isSafeInteger(index) && index >= 0) {
      setLookupTarget({ log, index, seq: ++seq.current })
      scrollToSection('audit-lookup')
    }
  }, [state.status])

  /** Reloads the log list in the background (the current view stays on screen meanwhile). */
  const refresh = useCallback(() => setReload((n) => n + 1), [])

  const runAudit = useCallback(async () => {
    setRunning(true)
    const started = performance.now()
    try {
      const report = await api.runAudit()
      setRun({ report, finishedAt: Date.now(), seconds: (performance.now() - started) / 1000 })
    } catch {
      // Shown by the global error notifier.
    } finally {
      setRunning(false)
    }
  }, [])

  const inspect = useCallback((log: string, index: number) => {
    setEntriesLog(null)
    setLookupTarget({ log, index, seq: ++seq.current })
    scrollToSection('audit-lookup')
  }, [])
  const receiptFor = useCallback((log: string, index: number) => {
    setReceiptTarget({ log, index, seq: ++seq.current })
    scrollToSection('audit-receipt')
  }, [])

  if (state.status === 'error' && !view) {
    return (
      <LoadError title={t('audit.loadFailed')} error={state.error} onRetry={() => setReload((n) => n + 1)} />
    )
  }
  if (!view || !summary) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    )
  }

  const { logs, names, witnesses } = view
  const logById = new Map(logs.map((l) => [l.id, l]))

  const columns: TableColumnsType<LedgerLog> = [
    {
      title: t('audit.log'),
      dataIndex: 'id',
      key: 'id',
      width: 170,
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (id: string) => <LogLabel id={id} name={names.get(id)} />,
    },
    {
      title: t('audit.origin'),
      dataIndex: 'origin',
      key: 'origin',
      responsive: ['xxl'],
      ellipsis: { showTitle: true },
      render: (origin: string) => <span className="xzt-mono">{origin}</span>,
    },
    {
      title: t('audit.size'),
      dataIndex: 'size',
      key: 'size',
      align: 'right',
      width: 100,
      sorter: (a, b) => a.size - b.size,
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (n: number) => formatNumber(n),
    },
    {
      title: t('audit.checkpointSize'),
      key: 'checkpointSize',
      align: 'right',
      width: 120,
      responsive: ['md'],
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_: unknown, row) => (row.checkpoint ? formatNumber(row.checkpoint.size) : '—'),
    },
    {
      title: t('audit.checkpointTime'),
      key: 'checkpointTime',
      width: 180,
      responsive: ['lg'],
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_: unknown, row) =>
        row.checkpoint ? <span className="xzt-nowrap">{formatDateTime(row.checkpoint.time)}</span> : '—',
    },
    {
      title: t('audit.witness'),
      key: 'witness',
      width: 110,
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_: unknown, row) => <WitnessTag state={witnessState(row, witnessName)} />,
    },
    {
      title: t('audit.verifierKey'),
      dataIndex: 'verifierKey',
      key: 'verifierKey',
      width: 150,
      responsive: ['xl'],
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      // The key id (a hash of name and key) identifies the key; copy gives the whole verifier key.
      render: (key: string, row) => (
        <Space size={4} className="xzt-nowrap">
          <Tooltip title={<span className="xzt-mono xzt-break">{key}</span>}>
            <Typography.Text code copyable={{ text: key }} data-testid={`log-key-${row.id}`}>
              {key.split('+')[1] ?? key}
            </Typography.Text>
          </Tooltip>
          {row.verifierKeys.length > 1 && (
            <Tooltip title={t('audit.keyCount', { n: row.verifierKeys.length })}>
              <Tag>+{row.verifierKeys.length - 1}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: narrow ? 84 : lang === 'en' ? 224 : 190,
      render: (_: unknown, row) => (
        <Space size={4}>
          <Tooltip title={narrow ? t('audit.viewCheckpoint') : undefined}>
            <Button
              size="small"
              icon={<SafetyCertificateOutlined />}
              disabled={row.size === 0}
              onClick={() => setCheckpointLog(row)}
              aria-label={t('audit.viewCheckpoint')}
              data-testid={`log-checkpoint-${row.id}`}
            >
              {!narrow && t('audit.viewCheckpoint')}
            </Button>
          </Tooltip>
          <Tooltip title={narrow ? t('audit.browseEntries') : undefined}>
            <Button
              size="small"
              icon={<ProfileOutlined />}
              disabled={row.size === 0}
              onClick={() => setEntriesLog(row)}
              aria-label={t('audit.browseEntries')}
              data-testid={`log-entries-${row.id}`}
            >
              {!narrow && t('audit.browseEntries')}
            </Button>
          </Tooltip>
        </Space>
      ),
    },
  ]

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="audit-page">
      <Card size="small" className="xzt-breadcrumb-card">
        <div className="xzt-audit-head">
          <div className="xzt-audit-head-text">
            <Typography.Title level={4} className="xzt-audit-title">
              <SafetyCertificateOutlined /> {t('audit.title')}
            </Typography.Title>
            <Typography.Text type="secondary" className="xzt-hide-narrow">
              {t('audit.intro')}
            </Typography.Text>
          </div>
          <Space size={8} wrap>
            {state.status === 'loading' && <Spin size="small" />}
            <Button
              icon={<ReloadOutlined />}
              onClick={() => setReload((n) => n + 1)}
              data-testid="audit-refresh"
            >
              {t('audit.refresh')}
            </Button>
            <Button
              type="primary"
              icon={<AuditOutlined />}
              loading={running}
              onClick={() => {
                scrollToSection('audit-full')
                void runAudit()
              }}
              data-testid="audit-run-top"
            >
              {t('audit.run')}
            </Button>
          </Space>
        </div>
      </Card>

      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          title={t('audit.loadFailed')}
          description={state.error instanceof ApiError ? describeError(state.error) : undefined}
          action={
            <Button size="small" onClick={() => setReload((n) => n + 1)}>
              {t('common.retry')}
            </Button>
          }
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card" data-testid="stat-logs">
            <Statistic
              title={t('audit.statLogs')}
              value={summary.logs}
              prefix={<DatabaseOutlined />}
              suffix={
                <span className="xzt-stat-sub">
                  {t('audit.statLogsSub', { province: summary.provinces, cities: summary.cities })}
                </span>
              }
            />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card" data-testid="stat-entries">
            <Statistic
              title={t('audit.statEntries')}
              value={summary.entries}
              formatter={(v) => formatNumber(Number(v))}
              prefix={<ProfileOutlined />}
            />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card xzt-stat-wrap" data-testid="stat-latest">
            <Tooltip title={summary.latest === null ? undefined : formatDateTime(summary.latest)}>
              <Statistic
                title={t('audit.statLatest')}
                value={summary.latest === null ? '—' : formatDate(summary.latest)}
                prefix={<ClockCircleOutlined />}
                suffix={
                  summary.latest !== null && <span className="xzt-stat-of">{formatTime(summary.latest)}</span>
                }
              />
            </Tooltip>
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card" data-testid="stat-coverage">
            <Statistic
              title={
                <Space size={6}>
                  {t('audit.statCoverage')}
                  <Tooltip title={t('audit.statCoverageHint')}>
                    <InfoCircleOutlined className="xzt-hint-icon" />
                  </Tooltip>
                </Space>
              }
              value={summary.covered}
              prefix={<SafetyCertificateOutlined />}
              suffix={
                <span className="xzt-stat-of">
                  / {summary.cities}
                  <Progress
                    type="circle"
                    size={22}
                    percent={summary.cities ? Math.round((summary.covered / summary.cities) * 100) : 0}
                    strokeColor={summary.covered === summary.cities ? '#52c41a' : '#fa8c16'}
                    showInfo={false}
                    className="xzt-coverage-ring"
                  />
                </span>
              }
            />
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xxxl={16}>
          <Card
            title={<SectionTitle icon={<DatabaseOutlined />} title={t('audit.logs')} />}
            extra={
              witnesses && (
                <Space size={6} wrap className="xzt-hide-narrow">
                  <Typography.Text type="secondary">{t('audit.provinceWitness')}</Typography.Text>
                  <Typography.Text
                    className="xzt-mono xzt-witness-key"
                    copyable={{ text: witnesses.province }}
                    ellipsis={{ tooltip: witnesses.province }}
                    data-testid="witness-key"
                  >
                    {witnesses.province}
                  </Typography.Text>
                  {witnesses.external.length > 0 && (
                    <Tooltip title={witnesses.external.join('\n')}>
                      <Tag>{t('audit.externalWitnesses', { n: witnesses.external.length })}</Tag>
                    </Tooltip>
                  )}
                </Space>
              )
            }
            styles={{ body: { padding: 0 } }}
          >
            <div data-testid="log-table">
              <Table<LedgerLog>
                rowKey="id"
                size="middle"
                columns={columns}
                dataSource={logs}
                pagination={false}
                tableLayout="fixed"
                scroll={narrow ? { x: 480 } : undefined}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} xxxl={8}>
          <Card
            title={<SectionTitle icon={<DatabaseOutlined />} title={t('audit.chart')} />}
            extra={
              <Typography.Text type="secondary" className="xzt-hide-narrow">
                {t('audit.chartHint')}
              </Typography.Text>
            }
            styles={{ body: { padding: 8 } }}
            className="xzt-chart-card"
          >
            <Suspense
              fallback={
                <div className="xzt-ledger-chart">
                  <Spin />
                </div>
              }
            >
              <div className="xzt-ledger-chart">
                <LedgerChart
                  items={chartItems}
                  labels={chartLabels}
                  onSelect={(id) => {
                    const log = logById.get(id)
                    if (log && log.size > 0) setEntriesLog(log)
                  }}
                  height="100%"
                />
              </div>
            </Suspense>
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ReceiptCard logs={logs} names={names} target={receiptTarget} onLedgerChanged={refresh} />
        </Col>
        <Col xs={24} xl={12}>
          <LookupCard
            logs={logs}
            names={names}
            target={lookupTarget}
            onReceipt={receiptFor}
            onLedgerChanged={refresh}
          />
        </Col>
      </Row>

      <FullAuditCard run={run} running={running} names={names} onRun={() => void runAudit()} />

      {checkpointLog && (
        <CheckpointModal
          log={logById.get(checkpointLog.id) ?? checkpointLog}
          name={names.get(checkpointLog.id)}
          onClose={() => setCheckpointLog(null)}
          onLoaded={refresh}
        />
      )}
      {entriesLog && (
        <EntriesDrawer
          log={logById.get(entriesLog.id) ?? entriesLog}
          name={names.get(entriesLog.id)}
          onClose={() => setEntriesLog(null)}
          onInspect={inspect}
        />
      )}
    </Space>
  )
}
