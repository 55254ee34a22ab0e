/**
 * The administrator's overview (管理概览), where administrators land: their jurisdiction in figures
 * (regions, population, departments, staff, flagged accesses waiting for a verdict), the state of the
 * ledger (logs, entries, the latest checkpoint, how many city logs the province witness has cosigned),
 * the latest ledger events by name, the platform clock, and the tools they may open. Every figure comes
 * from an existing endpoint; a figure whose request fails shows a dash rather than blocking the page.
 */
import { useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { Button, Card, Col, Empty, List, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd'
import {
  ApartmentOutlined,
  BankOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  GlobalOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import {
  canReviewFlagged,
  canSeeAudit,
  canSeeFlagged,
  canSeeJobs,
  canSeeOrg,
  flaggedInNav,
} from '../access.js'
import { api } from '../api.js'
import type { ClockState, LedgerLog, Me, TailEvent } from '../api.js'
import { useI18n } from '../i18n.js'
import { keyName } from '../ledger.js'
import { navigate } from '../router.js'
import { isProvinceLog, typeColor, witnessState } from '../components/audit/audit-common.js'

/** How many of the latest events the overview lists. */
const RECENT = 8

interface Figures {
  regionName: string
  population: number | null
  children: number | null
  departments: number | null
  staff: number | null
  flaggedOpen: number | null
  /** Dead-lettered jobs of the jurisdiction (null: cannot see jobs). */
  jobsDead: number | null
  logs: LedgerLog[] | null
  witnessed: number | null
  events: TailEvent[] | null
  clock: ClockState | null
  logNames: Map<string, string>
}

/** A value, or null when its request failed (the rest of the overview still shows). */
async function orNull<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | null> {
  try {
    return await promise
  } catch (e) {
    if (signal.aborted) throw e
    return null
  }
}

/** The logs an account of this jurisdiction reads: the province's every log, a city's its own. */
function logsInScope(logs: readonly LedgerLog[], regionCode: string): LedgerLog[] {
  return logs.filter((l) => l.id.startsWith(regionCode) || (regionCode.length === 2 && isProvinceLog(l.id)))
}

/**
 * The latest events of the logs in scope: the tail read from a cursor a few entries before each log's
 * end, newest first.
 */
async function recentEvents(logs: readonly LedgerLog[], o: { signal: AbortSignal }): Promise<TailEvent[]> {
  if (logs.length === 0) return []
  const after = logs.map((l) => `${l.id}:${Math.max(0, l.size - RECENT)}`).join(',')
  const page = await api.events({ after, limit: RECENT * logs.length }, { ...o, quiet: true })
  return [...page.events].sort((a, b) => b.time - a.time || b.index - a.index).slice(0, RECENT)
}

async function loadFigures(me: Me, signal: AbortSignal): Promise<Figures> {
  const o = { signal, quiet: true }
  const code = me.regionCode
  const [region, children, departments, staff, flagged, allLogs, witnesses, clock, jobs] = await Promise.all([
    orNull(api.region(code, o), signal),
    orNull(api.children(code, o), signal),
    orNull(api.departments(code, o), signal),
    orNull(api.staff({ region: code, limit: 1, offset: 0 }, o), signal),
    canSeeFlagged(me)
      ? orNull(api.flaggedAccesses({ status: 'open', limit: 1, offset: 0 }, o), signal)
      : Promise.resolve(null),
    orNull(api.ledgerLogs(o), signal),
    orNull(api.ledgerWitnesses(o), signal),
    orNull(api.clock(o), signal),
    canSeeJobs(me) ? orNull(api.jobs({ limit: 1 }, o), signal) : Promise.resolve(null),
  ])
  const logs = allLogs ? logsInScope(allLogs, code) : null
  const witnessName = witnesses ? keyName(witnesses.province) : null
  const cityLogs = logs?.filter((l) => !isProvinceLog(l.id)) ?? []
  const logNames = new Map<string, string>()
  if (region) logNames.set(region.code, region.name)
  for (const c of children ?? []) logNames.set(c.code, c.name)
  return {
    regionName: region?.name ?? me.regionName,
    population: region?.population ?? null,
    children: children?.length ?? null,
    departments: departments?.length ?? null,
    staff: staff?.total ?? null,
    flaggedOpen: flagged?.total ?? null,
    jobsDead: jobs?.counts.dead ?? null,
    logs,
    witnessed: logs ? cityLogs.filter((l) => witnessState(l, witnessName).kind === 'ok').length : null,
    events: logs ? await orNull(recentEvents(logs, o), signal) : null,
    clock,
    logNames,
  }
}

function Figure({
  title,
  value,
  icon,
  suffix,
  testId,
}: {
  title: string
  value: number | null
  icon: ReactNode
  suffix?: ReactNode
  testId: string
}) {
  const { formatNumber } = useI18n()
  return (
    <Card className="xzt-stat-card xzt-stat-wrap" data-testid={testId}>
      <Statistic
        title={title}
        value={value ?? '—'}
        formatter={(v) => (typeof v === 'number' ? formatNumber(v) : String(v))}
        prefix={icon}
        suffix={value === null ? undefined : suffix}
      />
    </Card>
  )
}

export function OverviewPage({ me }: { me: Me }) {
  const i18n = useI18n()
  const { t, formatDateTime, formatNumber, eventTypeName } = i18n
  const [figures, setFigures] = useState<Figures | null>(null)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    setFigures(null)
    loadFigures(me, controller.signal).then(setFigures, () => undefined)
    return () => controller.abort()
  }, [me, reload])

  const logs = figures?.logs ?? null
  const entries = logs ? logs.reduce((n, l) => n + l.size, 0) : null
  const cityLogs = logs ? logs.filter((l) => !isProvinceLog(l.id)).length : 0
  const latest = logs?.reduce<number | null>(
    (max, l) => (l.checkpoint && (max === null || l.checkpoint.time > max) ? l.checkpoint.time : max),
    null,
  )

  const tools: { key: string; icon: ReactNode; label: string; hint: string; path: string }[] = []
  if (canSeeOrg(me))
    tools.push({
      key: 'org',
      icon: <ApartmentOutlined />,
      label: t('nav.org'),
      hint: t('overview.tool.org'),
      path: '/org',
    })
  tools.push({
    key: 'regions',
    icon: <GlobalOutlined />,
    label: t('nav.regions'),
    hint: t('overview.tool.regions'),
    path: `/regions/${me.regionCode}`,
  })
  if (flaggedInNav(me))
    tools.push({
      key: 'access-review',
      icon: <WarningOutlined />,
      label: t('nav.accessReview'),
      hint: canReviewFlagged(me) ? t('overview.tool.review') : t('overview.tool.reviewRead'),
      path: '/access-review',
    })
  if (canSeeJobs(me))
    tools.push({
      key: 'jobs',
      icon: <ClockCircleOutlined />,
      label: t('nav.jobs'),
      hint: figures?.jobsDead
        ? t('overview.tool.jobsDead', { n: formatNumber(figures.jobsDead) })
        : t('overview.tool.jobs'),
      path: '/jobs',
    })
  if (canSeeAudit(me))
    tools.push({
      key: 'audit',
      icon: <SafetyCertificateOutlined />,
      label: t('nav.audit'),
      hint: t('overview.tool.audit'),
      path: '/audit',
    })

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="overview-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={4} className="xzt-page-title">
              <DashboardOutlined /> {t('overview.title')}
              <Typography.Text type="secondary" className="xzt-page-title-sub">
                {figures?.regionName ?? me.regionName}
              </Typography.Text>
            </Typography.Title>
            <Typography.Text type="secondary">{t('overview.intro')}</Typography.Text>
          </div>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setReload((n) => n + 1)}
            data-testid="overview-refresh"
          >
            {t('common.refresh')}
          </Button>
        </div>
      </Card>

      {!figures ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={8} xxl={4}>
              <Figure
                title={t('region.childCount')}
                value={figures.children}
                icon={<GlobalOutlined />}
                testId="overview-children"
              />
            </Col>
            <Col xs={12} md={8} xxl={4}>
              <Figure
                title={t('region.totalPopulation')}
                value={figures.population}
                icon={<TeamOutlined />}
                testId="overview-population"
              />
            </Col>
            <Col xs={12} md={8} xxl={4}>
              <Figure
                title={t('overview.departments')}
                value={figures.departments}
                icon={<BankOutlined />}
                testId="overview-departments"
              />
            </Col>
            <Col xs={12} md={8} xxl={4}>
              <Figure
                title={t('overview.staff')}
                value={figures.staff}
                icon={<UserOutlined />}
                testId="overview-staff"
              />
            </Col>
            <Col xs={12} md={8} xxl={4}>
              <Figure
                title={t('overview.flaggedOpen')}
                value={figures.flaggedOpen}
                icon={<WarningOutlined />}
                testId="overview-flagged"
              />
            </Col>
            <Col xs={12} md={8} xxl={4}>
              <Figure
                title={t('overview.entries')}
                value={entries}
                icon={<DatabaseOutlined />}
                testId="overview-entries"
              />
            </Col>
          </Row>

          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card
                title={
                  <Space>
                    <SafetyCertificateOutlined />
                    {t('overview.ledger')}
                  </Space>
                }
                className="xzt-fill"
                data-testid="overview-ledger"
              >
                {logs === null ? (
                  <Empty description={t('overview.unavailable')} />
                ) : (
                  <Space orientation="vertical" size={10} style={{ width: '100%' }}>
                    <Typography.Text>
                      {t('overview.logs', { n: logs.length, entries: formatNumber(entries ?? 0) })}
                    </Typography.Text>
                    <Typography.Text data-testid="overview-checkpoint">
                      <ClockCircleOutlined />{' '}
                      {latest
                        ? t('overview.latestCheckpoint', { time: formatDateTime(latest) })
                        : t('audit.noCheckpoint')}
                    </Typography.Text>
                    {cityLogs > 0 && figures.witnessed !== null && (
                      <Space size={6} wrap>
                        <Tag
                          color={figures.witnessed === cityLogs ? 'success' : 'warning'}
                          data-testid="overview-witnessed"
                        >
                          {t('overview.witnessed', { n: figures.witnessed, of: cityLogs })}
                        </Tag>
                      </Space>
                    )}
                    {figures.clock && (
                      <Typography.Text type="secondary" data-testid="overview-clock">
                        {t(
                          figures.clock.mode === 'manual' ? 'overview.clockManual' : 'overview.clockSystem',
                          {
                            time: formatDateTime(figures.clock.now),
                          },
                        )}
                      </Typography.Text>
                    )}
                  </Space>
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card
                title={
                  <Space>
                    <DashboardOutlined />
                    {t('overview.tools')}
                  </Space>
                }
                className="xzt-fill"
              >
                <List
                  dataSource={tools}
                  renderItem={(tool) => (
                    <List.Item
                      actions={[
                        <Button
                          key="open"
                          type="link"
                          onClick={() => navigate(tool.path)}
                          data-testid={`overview-tool-${tool.key}`}
                        >
                          {t('overview.open')}
                        </Button>,
                      ]}
                    >
                      <List.Item.Meta avatar={tool.icon} title={tool.label} description={tool.hint} />
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>

          <Card
            title={
              <Space>
                <DatabaseOutlined />
                {t('overview.recent')}
              </Space>
            }
            data-testid="overview-events"
          >
            {figures.events === null ? (
              <Empty description={t('overview.unavailable')} />
            ) : figures.events.length === 0 ? (
              <Empty description={t('overview.noEvents')} />
            ) : (
              <List
                size="small"
                dataSource={figures.events}
                renderItem={(e) => (
                  <List.Item data-testid="overview-event" data-type={e.type}>
                    <Space size={[8, 4]} wrap>
                      <span className="xzt-nowrap">{formatDateTime(e.time)}</span>
                      <Tag color={typeColor(e.type)} title={e.type}>
                        {eventTypeName(e.type)}
                      </Tag>
                      <Typography.Text type="secondary">
                        {t('overview.inLog', {
                          log: figures.logNames.get(e.log) ?? e.log,
                          index: e.index,
                        })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </>
      )}
    </Space>
  )
}
