/**
 * Background jobs (后台任务, `/admin/jobs`): administrators see the scheduler's jobs and timers of their
 * region subtree by status, the dead letter first of all, and send a failed or dead job back to the
 * queue once its cause is fixed. The server decides what each administrator sees and may retry.
 */
import { useCallback, useEffect, useState } from 'react'
import { Alert, App as AntApp, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { ClockCircleOutlined, RedoOutlined, ReloadOutlined } from '@ant-design/icons'
import { api } from '../api.js'
import type { Me, SchedulerJob, SchedulerJobList, SchedulerJobStatus } from '../api.js'
import { SCHEDULER_JOB_STATUSES } from '../../shared/api.js'
import { useI18n } from '../i18n.js'
import { canRetryJobs } from '../access.js'
import { LoadError } from '../components/load-error.js'

const STATUS_COLOR: Record<SchedulerJobStatus, string> = {
  pending: 'blue',
  running: 'processing',
  done: 'success',
  failed: 'warning',
  dead: 'error',
  cancelled: 'default',
}

const PAGE_SIZE = 20

export function JobsPage({ me }: { me: Me }) {
  const { t, lang, formatDateTime, formatNumber } = useI18n()
  const { message } = AntApp.useApp()
  const [status, setStatus] = useState<SchedulerJobStatus | 'all'>('all')
  const [page, setPage] = useState(1)
  const [list, setList] = useState<SchedulerJobList | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const mayRetry = canRetryJobs(me)

  const load = useCallback(async () => {
    setLoading(true)
    try {
      setList(
        await api.jobs({
          ...(status === 'all' ? {} : { status }),
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        }),
      )
      setError(null)
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }, [status, page])

  useEffect(() => {
    void load()
  }, [load])

  const retry = async (job: SchedulerJob) => {
    await api.retryJob(job.id)
    void message.success(t('jobs.retried'))
    await load()
  }

  const statusName = (s: SchedulerJobStatus) => t(`jobs.status.${s}`)
  const columns: TableColumnsType<SchedulerJob> = [
    {
      title: t('jobs.col.kind'),
      key: 'kind',
      render: (_, j) => (lang === 'en' ? j.kindLabel.en : j.kindLabel.zh),
    },
    {
      title: t('jobs.col.status'),
      key: 'status',
      render: (_, j) => (
        <Tag color={STATUS_COLOR[j.status]} data-testid="job-status" data-status={j.status}>
          {statusName(j.status)}
        </Tag>
      ),
    },
    {
      title: t('jobs.col.dueAt'),
      key: 'dueAt',
      render: (_, j) => formatDateTime(j.dueAt),
    },
    {
      title: t('jobs.col.attempts'),
      key: 'attempts',
      responsive: ['md'],
      render: (_, j) => t('jobs.attempts', { n: j.attempts, max: j.maxAttempts }),
    },
    {
      title: t('jobs.col.error'),
      key: 'error',
      responsive: ['lg'],
      render: (_, j) =>
        j.lastError ? (
          // The handler's own message is technical (for whoever fixes the cause): shown on demand.
          <Tooltip title={<span style={{ whiteSpace: 'pre-wrap' }}>{j.lastError}</span>}>
            <Typography.Link>{t('jobs.errorDetail')}</Typography.Link>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      title: t('jobs.col.createdAt'),
      key: 'createdAt',
      responsive: ['xl'],
      render: (_, j) => formatDateTime(j.createdAt),
    },
    ...(mayRetry
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, j: SchedulerJob) =>
              j.status === 'failed' || j.status === 'dead' ? (
                <Popconfirm title={t('jobs.retryConfirm')} onConfirm={() => void retry(j)}>
                  <Button size="small" icon={<RedoOutlined />} data-testid="job-retry">
                    {t('jobs.retry')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ]

  const counts = list?.counts
  const total = counts ? SCHEDULER_JOB_STATUSES.reduce((n, s) => n + counts[s], 0) : 0
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="jobs-page">
      <Card size="small" className="xzt-page-head">
        <Typography.Title level={4} className="xzt-page-title">
          <ClockCircleOutlined /> {t('jobs.title')}
          {me.kind === 'staff' && me.regionName && (
            <Typography.Text type="secondary" className="xzt-page-title-sub">
              {me.regionName}
            </Typography.Text>
          )}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('jobs.intro')}
        </Typography.Paragraph>
      </Card>
      {counts && counts.dead > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="jobs-dead-alert"
          title={t('jobs.deadAlert', { n: formatNumber(counts.dead) })}
          action={
            <Button size="small" danger onClick={() => (setStatus('dead'), setPage(1))}>
              {statusName('dead')}
            </Button>
          }
        />
      )}
      <Card
        size="small"
        title={t('jobs.col.status')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            {t('jobs.refresh')}
          </Button>
        }
      >
        <Space wrap size={[4, 8]} style={{ marginBottom: 12 }} data-testid="jobs-filter">
          {(['all', ...SCHEDULER_JOB_STATUSES] as const).map((s) => (
            <Tag.CheckableTag
              key={s}
              checked={status === s}
              onChange={() => (setStatus(s), setPage(1))}
              className={s === 'dead' && (counts?.dead ?? 0) > 0 ? 'xzt-jobs-dead' : undefined}
              style={{ fontSize: 14, padding: '2px 10px' }}
            >
              {s === 'all' ? t('jobs.filter.all') : statusName(s)}
              {counts ? ` ${formatNumber(s === 'all' ? total : counts[s])}` : ''}
            </Tag.CheckableTag>
          ))}
        </Space>
        {error ? (
          <LoadError title={t('jobs.title')} error={error} onRetry={() => void load()} />
        ) : (
          <Table<SchedulerJob>
            rowKey="id"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={list?.jobs ?? []}
            locale={{ emptyText: t('jobs.empty') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list?.total ?? 0,
              showSizeChanger: false,
              showTotal: (n) => t('common.total', { n }),
              onChange: setPage,
            }}
          />
        )}
      </Card>
    </Space>
  )
}
