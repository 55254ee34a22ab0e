/**
 * 诉求工作台, the appeal desk: a department's appeal inbox, soonest deadline first (overdue in red, due
 * within a working day in amber), filtered by status, kind, category and deadline; a region's overseers
 * switch to their region's appeals. One appeal opens in a drawer over the list (`/appeal-desk/{id}`, so
 * it can be linked to), with its handling actions, timeline and responsibility chain. Rows open with a
 * click or Enter.
 * @module
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { HTMLAttributes, KeyboardEvent } from 'react'
import {
  Button,
  Card,
  Col,
  Drawer,
  Empty,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  InboxOutlined,
  MessageOutlined,
  ReloadOutlined,
  SyncOutlined,
} from '@ant-design/icons'
import { APPEAL_CATEGORIES, APPEAL_KINDS } from '../../shared/domain.js'
import type { AppealKind, AppealStatus } from '../../shared/domain.js'
import type { Me } from '../api.js'
import { appealsApi } from '../appeals-api.js'
import type { AppealSummary } from '../appeals-api.js'
import { canOverseeAppeals, canWorkAppealInbox } from '../access.js'
import { useI18n } from '../i18n.js'
import { navigate } from '../router.js'
import { usePhone } from '../responsive.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { Countdown, dueInfo, useNow } from '../components/cases/case-common.js'
import type { DueState } from '../components/cases/case-common.js'
import { AppealDetail } from '../components/appeals-staff/appeal-detail.js'
import {
  AppealStatusTag,
  KindTag,
  OPEN_STATUSES,
  categoryName,
  channelName,
  runningDeadline,
} from '../components/appeals-staff/labels.js'

type StatusView = 'open' | 'dispatched' | 'closed' | 'all'
type DueFilter = 'late' | 'soon'

const STATUS_VIEWS: Record<StatusView, AppealStatus[] | undefined> = {
  open: [...OPEN_STATUSES],
  dispatched: ['dispatched'],
  closed: ['closed', 'merged'],
  all: undefined,
}

/** How urgent an appeal is now: its running deadline's state, `ok` when none runs. */
function urgency(a: AppealSummary, now: number): DueState {
  const due = runningDeadline(a)
  return due ? dueInfo(due.dueAt, now).state : 'ok'
}

export function AppealDeskPage({ me, id, canAudit }: { me: Me; id: string | null; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, formatDateMinute, formatNumber } = i18n
  const now = useNow(30_000)
  const phone = usePhone()
  const oversees = canOverseeAppeals(me)
  const inbox = canWorkAppealInbox(me)
  // Overseers (leaders) start with their region; their own department's inbox is one click away.
  const [scope, setScope] = useState<'department' | 'region'>(oversees ? 'region' : 'department')
  const [view, setView] = useState<StatusView>('open')
  const [kind, setKind] = useState<AppealKind | undefined>(undefined)
  const [category, setCategory] = useState<string | undefined>(undefined)
  const [due, setDue] = useState<DueFilter | undefined>(undefined)
  const [list, setList] = useState<{ items: AppealSummary[]; total: number } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    const load = () =>
      appealsApi
        .list({ scope, status: STATUS_VIEWS[view], kind, limit: 500 }, o)
        .then(setList, (e: unknown) => {
          if (!controller.signal.aborted) setError(e)
        })
    setError(null)
    void load()
    // The inbox refreshes itself: filings, returns elsewhere and deadlines change it.
    const timer = window.setInterval(() => void load(), 60_000)
    return () => {
      window.clearInterval(timer)
      controller.abort()
    }
  }, [scope, view, kind, reload])

  const refresh = useCallback(() => setReload((n) => n + 1), [])

  const items = list?.items ?? []
  const sorted = useMemo(
    () =>
      [...items].sort(
        (a, b) =>
          (runningDeadline(a)?.dueAt ?? Number.MAX_SAFE_INTEGER) -
            (runningDeadline(b)?.dueAt ?? Number.MAX_SAFE_INTEGER) || b.createdAt - a.createdAt,
      ),
    [items],
  )
  const shown = sorted.filter(
    (a) => (!category || a.category.startsWith(`${category}/`)) && (!due || urgency(a, now) === due),
  )
  const count = (pred: (a: AppealSummary) => boolean) => items.filter(pred).length
  const open = (a: AppealSummary) => navigate(`/appeal-desk/${a.id}`, { keepScroll: true })

  const columns: TableColumnsType<AppealSummary> = [
    {
      title: t('appealsStaff.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 96,
      render: (k: AppealKind) => <KindTag kind={k} />,
    },
    {
      title: t('appealsStaff.col.appeal'),
      key: 'appeal',
      render: (_: unknown, a) => (
        <div className="xzt-appeal-cell">
          <Typography.Text strong>{categoryName(i18n, a.category)}</Typography.Text>
          <Typography.Text type="secondary" ellipsis className="xzt-appeal-cell-text">
            {a.text || '—'}
          </Typography.Text>
          <Typography.Text type="secondary" className="xzt-appeal-cell-place">
            {a.regionName} · {channelName(t, a.channel)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('appealsStaff.col.status'),
      dataIndex: 'status',
      key: 'status',
      width: 120,
      render: (s: AppealStatus, a) => (
        <Space size={4} wrap>
          <AppealStatusTag status={s} testId="row-status" />
          {a.reopened && <SyncOutlined title={t('appealsStaff.reopened')} />}
        </Space>
      ),
    },
    {
      title: t('appealsStaff.col.due'),
      key: 'due',
      width: 210,
      render: (_: unknown, a) => {
        const d = runningDeadline(a)
        if (!d) return <Typography.Text type="secondary">{t('appealsStaff.noDeadline')}</Typography.Text>
        return (
          <Space size={4} wrap>
            <Typography.Text type="secondary">
              {t(d.stage === 'respond' ? 'appealsStaff.stage.respond' : 'appealsStaff.stage.resolve')}
            </Typography.Text>
            <Countdown dueAt={d.dueAt} now={now} testId="row-countdown" />
          </Space>
        )
      },
    },
    {
      title: t('appealsStaff.col.dueAt'),
      key: 'dueAt',
      width: 150,
      responsive: ['lg'],
      render: (_: unknown, a) => {
        const d = runningDeadline(a)
        return d ? <span className="xzt-nowrap">{formatDateMinute(d.dueAt)}</span> : '—'
      },
    },
    {
      title: t('appealsStaff.col.handler'),
      key: 'handler',
      width: 110,
      responsive: ['xl'],
      render: (_: unknown, a) =>
        a.handler?.name ?? <Typography.Text type="secondary">{t('appealsStaff.noHandler')}</Typography.Text>,
    },
    ...(scope === 'region'
      ? [
          {
            title: t('appealsStaff.col.department'),
            key: 'department',
            width: 180,
            responsive: ['lg' as const],
            render: (_: unknown, a: AppealSummary) => a.department.name,
          },
        ]
      : []),
    {
      title: t('appealsStaff.col.filed'),
      dataIndex: 'createdAt',
      key: 'filed',
      width: 150,
      responsive: ['xl'],
      render: (ms: number) => <span className="xzt-nowrap">{formatDateMinute(ms)}</span>,
    },
  ]

  const rowProps = (a: AppealSummary) =>
    ({
      onClick: () => open(a),
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key === 'Enter') open(a)
      },
      tabIndex: 0,
      'data-testid': 'appeal-row',
      'data-appeal': a.id,
    }) as HTMLAttributes<HTMLElement>

  const stats = (
    [
      [
        'dispatched',
        t('appealsStaff.stat.dispatched'),
        count((a) => a.status === 'dispatched'),
        <InboxOutlined key="i" />,
        '#d48806',
      ],
      [
        'working',
        t('appealsStaff.stat.working'),
        count((a) => a.status === 'accepted' || a.status === 'responded'),
        <MessageOutlined key="i" />,
        undefined,
      ],
      [
        'soon',
        t('appealsStaff.stat.soon'),
        count((a) => urgency(a, now) === 'soon'),
        <ClockCircleOutlined key="i" />,
        '#d46b08',
      ],
      [
        'late',
        t('appealsStaff.stat.late'),
        count((a) => urgency(a, now) === 'late'),
        <ExclamationCircleOutlined key="i" />,
        '#cf1322',
      ],
    ] as const
  ).map(([key, title, value, icon, color]) => (
    <Col key={key} xs={12} xl={6}>
      <Card
        className="xzt-stat-card xzt-clickable-row"
        data-testid={`appeal-stat-${key}`}
        onClick={() => {
          if (key === 'soon' || key === 'late') setDue(due === key ? undefined : key)
          else if (key === 'dispatched') setView(view === 'dispatched' ? 'open' : 'dispatched')
        }}
      >
        <Statistic
          title={title}
          value={formatNumber(value)}
          prefix={icon}
          styles={{ content: { color: value > 0 ? color : undefined } }}
        />
      </Card>
    </Col>
  ))

  const filters = (
    <Space wrap className="xzt-inbox-filters">
      {oversees && inbox && (
        <Segmented<'department' | 'region'>
          value={scope}
          onChange={setScope}
          options={[
            { value: 'department', label: t('appealsStaff.scope.department') },
            { value: 'region', label: t('appealsStaff.scope.region') },
          ]}
          data-testid="appeal-scope"
        />
      )}
      <Select<StatusView>
        value={view}
        onChange={setView}
        options={(['open', 'dispatched', 'closed', 'all'] as const).map((v) => ({
          value: v,
          label: t(`appealsStaff.view.${v}`),
        }))}
        className="xzt-filter-select"
        data-testid="appeal-filter-status"
      />
      <Select<AppealKind>
        allowClear
        placeholder={t('appealsStaff.filter.kind')}
        value={kind}
        onChange={setKind}
        options={APPEAL_KINDS.map((k) => ({ value: k, label: t(`appealsStaff.kind.${k}`) }))}
        className="xzt-filter-select"
        data-testid="appeal-filter-kind"
      />
      <Select<string>
        allowClear
        placeholder={t('appealsStaff.filter.category')}
        value={category}
        onChange={setCategory}
        options={Object.entries(APPEAL_CATEGORIES).map(([code, c]) => ({
          value: code,
          label: i18n.lang === 'en' ? c.en : c.zh,
        }))}
        className="xzt-filter-select"
        data-testid="appeal-filter-category"
      />
      <Select<DueFilter>
        allowClear
        placeholder={t('appealsStaff.filter.due')}
        value={due}
        onChange={setDue}
        options={[
          { value: 'late', label: t('appealsStaff.filter.late') },
          { value: 'soon', label: t('appealsStaff.filter.soon') },
        ]}
        className="xzt-filter-select"
        data-testid="appeal-filter-due"
      />
    </Space>
  )

  const rowClass = (a: AppealSummary) => `xzt-clickable-row xzt-due-${urgency(a, now)}`
  const table = phone ? (
    <CardList<AppealSummary>
      rowKey={(a) => a.id}
      columns={columns.filter((c) => c.key !== 'dueAt' && c.key !== 'filed' && c.key !== 'handler')}
      dataSource={shown}
      loading={!list}
      rowClassName={rowClass}
      onRow={rowProps}
      emptyText={<Empty description={t('appealsStaff.empty')} />}
      testId="appeal-table"
    />
  ) : (
    <Table<AppealSummary>
      rowKey="id"
      columns={columns}
      dataSource={shown}
      loading={!list}
      size="middle"
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      rowClassName={rowClass}
      onRow={rowProps}
      locale={{ emptyText: <Empty description={t('appealsStaff.empty')} /> }}
      data-testid="appeal-table"
    />
  )

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="appeal-desk">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={4} className="xzt-page-title">
              <MessageOutlined /> {t('appealsStaff.desk.title')}
              {me.departmentName && (
                <Typography.Text type="secondary" className="xzt-page-title-sub">
                  {scope === 'region' ? me.regionName : me.departmentName}
                </Typography.Text>
              )}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t(scope === 'region' ? 'appealsStaff.desk.introRegion' : 'appealsStaff.desk.intro')}
            </Typography.Text>
          </div>
          <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="appeal-refresh">
            {t('common.refresh')}
          </Button>
        </div>
      </Card>
      {error && !list ? (
        <LoadError title={t('appealsStaff.listFailed')} error={error} onRetry={refresh} />
      ) : (
        <>
          <Row gutter={[16, 16]}>{stats}</Row>
          <Card
            title={
              <Space>
                <InboxOutlined />
                {t('appealsStaff.desk.inbox')}
                {list && (
                  <Typography.Text type="secondary" className="xzt-nowrap">
                    {t('common.total', { n: formatNumber(shown.length) })}
                  </Typography.Text>
                )}
              </Space>
            }
            extra={filters}
            styles={{ body: { padding: 0 } }}
          >
            {table}
          </Card>
        </>
      )}
      <Drawer
        open={id !== null}
        onClose={() => navigate('/appeal-desk', { keepScroll: true })}
        size={phone ? '100%' : 'min(1280px, 94vw)'}
        title={t('appealsStaff.detail.title')}
        destroyOnHidden
        data-testid="appeal-drawer"
        styles={{ body: { padding: phone ? 12 : 20 } }}
      >
        {id && (
          <AppealDetail
            key={id}
            id={id}
            me={me}
            canAudit={canAudit}
            onChanged={refresh}
            onClose={() => navigate('/appeal-desk', { keepScroll: true })}
          />
        )}
      </Drawer>
    </Space>
  )
}
