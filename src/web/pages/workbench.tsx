/**
 * The officials' workbench (工作台): the department's inbox with SLA countdowns and filters, most urgent
 * first; for supervisors also the flagged data accesses of their department (数据访问预警) to review;
 * and one task with only the fields its step may see, the case's timeline (with colleagues' comments),
 * and the decision (approve, reject, request a supplement; a reason is required for the last two).
 */
import { useEffect, useMemo, useState } from 'react'
import type { HTMLAttributes } from 'react'
import {
  Alert,
  App as AntApp,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  ArrowLeftOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  CloseOutlined,
  DesktopOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  EyeInvisibleOutlined,
  FieldTimeOutlined,
  InboxOutlined,
  PaperClipOutlined,
  ReloadOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import { api } from '../api.js'
import type { CaseView, MatterDetail, MatterSummary, Me, TaskView } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { asSchema, restrictSchema } from '../forms.js'
import {
  CaseTimeline,
  Countdown,
  SlaTag,
  StatusTag,
  dueInfo,
  useNow,
} from '../components/cases/case-common.js'
import type { DueState } from '../components/cases/case-common.js'
import { AttachmentList } from '../components/cases/attachment-list.js'
import { DataView } from '../components/cases/data-view.js'
import { matterName } from './services.js'
import { LoadError } from '../components/load-error.js'
import { FlaggedAccessPanel } from '../components/cases/flagged-accesses.js'
import { canSeeFlagged } from '../access.js'
import { useFlaggedCount } from '../components/cases/flagged-count.js'
import { CardList } from '../components/card-list.js'
import { usePhone } from '../responsive.js'

type SlaFilter = 'ok' | 'warned' | 'breached'

function byDue(a: TaskView, b: TaskView): number {
  return (
    (a.dueAt ?? Number.MAX_SAFE_INTEGER) - (b.dueAt ?? Number.MAX_SAFE_INTEGER) || a.createdAt - b.createdAt
  )
}

type WorkbenchTab = 'inbox' | 'flagged'

function initialTab(): WorkbenchTab {
  return new URLSearchParams(window.location.search).get('tab') === 'flagged' ? 'flagged' : 'inbox'
}

export function WorkbenchPage({ me, canAudit }: { me: Me; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, formatDateMinute, formatNumber } = i18n
  const now = useNow(30_000)
  const [tasks, setTasks] = useState<TaskView[] | null>(null)
  const [matters, setMatters] = useState<Map<string, MatterSummary>>(new Map())
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [matter, setMatter] = useState<string | undefined>(undefined)
  const [sla, setSla] = useState<SlaFilter | undefined>(undefined)
  const oversees = canSeeFlagged(me)
  const phone = usePhone()
  const [tab, setTab] = useState<WorkbenchTab>(() => (oversees ? initialTab() : 'inbox'))
  const flaggedOpen = useFlaggedCount(oversees)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    api.tasks(o).then(setTasks, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    api.matters(o).then(
      (list) => setMatters(new Map(list.map((m) => [m.code, m]))),
      () => undefined,
    )
    // The inbox refreshes itself: other officials and timers change it.
    const timer = window.setInterval(() => {
      api.tasks(o).then(setTasks, () => undefined)
    }, 60_000)
    return () => {
      window.clearInterval(timer)
      controller.abort()
    }
  }, [reload])

  const nameOf = (code: string) => {
    const m = matters.get(code)
    return m ? matterName(i18n, m) : code
  }

  const sorted = useMemo(() => [...(tasks ?? [])].sort(byDue), [tasks])
  const shown = sorted.filter((task) => (!matter || task.matterCode === matter) && (!sla || task.sla === sla))
  const states = sorted.map((task) => (task.dueAt === null ? 'ok' : dueInfo(task.dueAt, now, task.sla).state))
  const count = (s: DueState) => states.filter((x) => x === s).length

  const columns: TableColumnsType<TaskView> = [
    {
      title: t('workbench.step'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string | null, task) => (
        <Space size={4} wrap>
          <Typography.Text strong>{name ?? task.node}</Typography.Text>
          {task.kind === 'applicant' && <Tag>{t('workbench.supplementTask')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('workbench.matter'),
      dataIndex: 'matterCode',
      key: 'matter',
      render: (code: string) => nameOf(code),
    },
    {
      title: t('workbench.case'),
      dataIndex: 'caseId',
      key: 'case',
      width: 120,
      responsive: ['lg'],
      render: (id: string) => <span className="xzt-mono">{id.slice(0, 8)}</span>,
    },
    {
      title: t('workbench.received'),
      dataIndex: 'createdAt',
      key: 'created',
      width: 170,
      responsive: ['xl'],
      render: (ms: number) => <span className="xzt-nowrap">{formatDateMinute(ms)}</span>,
    },
    {
      title: t('workbench.due'),
      dataIndex: 'dueAt',
      key: 'due',
      width: 170,
      responsive: ['md'],
      render: (ms: number | null) =>
        ms === null ? '—' : <span className="xzt-nowrap">{formatDateMinute(ms)}</span>,
    },
    {
      title: t('workbench.countdown'),
      key: 'countdown',
      width: 170,
      render: (_: unknown, task) =>
        task.dueAt === null ? '—' : <Countdown dueAt={task.dueAt} now={now} sla={task.sla} />,
    },
    {
      title: t('workbench.sla'),
      dataIndex: 'sla',
      key: 'sla',
      width: 100,
      responsive: ['sm'],
      render: (value: string) => <SlaTag sla={value} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_: unknown, task) => (
        <Button
          type="primary"
          size="small"
          onClick={(e) => {
            e.stopPropagation()
            navigate(`/workbench/${task.id}`)
          }}
          data-testid={`task-open-${task.id}`}
        >
          {t('workbench.handle')}
        </Button>
      ),
    },
  ]

  if (error && !tasks) {
    return (
      <LoadError title={t('workbench.loadFailed')} error={error} onRetry={() => setReload((n) => n + 1)} />
    )
  }

  const matterOptions = [...new Set(sorted.map((task) => task.matterCode))].map((code) => ({
    value: code,
    label: nameOf(code),
  }))

  const inbox = (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        {(
          [
            ['open', t('workbench.statOpen'), sorted.length, <InboxOutlined key="i" />, undefined],
            ['soon', t('workbench.statSoon'), count('soon'), <ClockCircleOutlined key="i" />, '#d46b08'],
            [
              'warned',
              t('workbench.statWarned'),
              sorted.filter((x) => x.sla === 'warned').length,
              <FieldTimeOutlined key="i" />,
              '#d46b08',
            ],
            [
              'late',
              t('workbench.statBreached'),
              count('late'),
              <ExclamationCircleOutlined key="i" />,
              '#cf1322',
            ],
          ] as const
        ).map(([key, title, value, icon, color]) => (
          <Col key={key} xs={12} xl={6}>
            <Card className="xzt-stat-card" data-testid={`inbox-stat-${key}`}>
              <Statistic
                title={title}
                value={formatNumber(value)}
                prefix={icon}
                styles={{ content: { color: value > 0 ? color : undefined } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        title={
          <Space>
            <InboxOutlined />
            {t('workbench.inbox')}
          </Space>
        }
        extra={
          <Space wrap className="xzt-inbox-filters">
            <Select
              allowClear
              placeholder={t('workbench.allMatters')}
              value={matter}
              onChange={setMatter}
              options={matterOptions}
              className="xzt-filter-select"
              data-testid="filter-matter"
            />
            <Select<SlaFilter>
              allowClear
              placeholder={t('workbench.allSla')}
              value={sla}
              onChange={setSla}
              options={(['ok', 'warned', 'breached'] as const).map((s) => ({
                value: s,
                label: t(`sla.${s}`),
              }))}
              className="xzt-filter-select"
              data-testid="filter-sla"
            />
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {phone ? (
          <CardList<TaskView>
            rowKey={(task) => task.id}
            columns={columns.filter((c) => c.key !== 'case' && c.key !== 'created')}
            dataSource={shown}
            loading={!tasks}
            rowClassName={(task) =>
              `xzt-clickable-row xzt-due-${task.dueAt === null ? 'ok' : dueInfo(task.dueAt, now, task.sla).state}`
            }
            onRow={(task) =>
              ({
                onClick: () => navigate(`/workbench/${task.id}`),
                'data-testid': 'inbox-card',
                'data-task': task.id,
              }) as HTMLAttributes<HTMLElement>
            }
            emptyText={<Empty description={t('workbench.empty')} />}
            testId="inbox-table"
          />
        ) : (
          <Table<TaskView>
            rowKey="id"
            columns={columns}
            dataSource={shown}
            loading={!tasks}
            size="middle"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            rowClassName={(task) =>
              `xzt-clickable-row xzt-due-${task.dueAt === null ? 'ok' : dueInfo(task.dueAt, now, task.sla).state}`
            }
            onRow={(task) => ({ onClick: () => navigate(`/workbench/${task.id}`) })}
            locale={{ emptyText: <Empty description={t('workbench.empty')} /> }}
            data-testid="inbox-table"
          />
        )}
      </Card>
    </Space>
  )

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="workbench-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={4} className="xzt-page-title">
              <DesktopOutlined /> {t('workbench.title')}
              {me.kind === 'staff' && me.departmentName && (
                <Typography.Text type="secondary" className="xzt-page-title-sub">
                  {me.departmentName}
                </Typography.Text>
              )}
            </Typography.Title>
            <Typography.Text type="secondary">{t('workbench.intro')}</Typography.Text>
          </div>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setReload((n) => n + 1)}
            data-testid="inbox-refresh"
          >
            {t('common.refresh')}
          </Button>
        </div>
      </Card>
      {oversees ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as WorkbenchTab)}
          data-testid="workbench-tabs"
          items={[
            {
              key: 'inbox',
              label: (
                <span data-testid="tab-inbox">
                  <InboxOutlined /> {t('workbench.tabInbox')}
                </span>
              ),
              children: inbox,
            },
            {
              key: 'flagged',
              label: (
                <span data-testid="tab-flagged">
                  <WarningOutlined /> {t('flagged.title')}{' '}
                  <Badge count={flaggedOpen ?? 0} overflowCount={999} data-testid="flagged-badge" />
                </span>
              ),
              children: <FlaggedAccessPanel me={me} canAudit={canAudit} />,
            },
          ]}
        />
      ) : (
        inbox
      )}
    </Space>
  )
}

// ---------------------------------------------------------------------------------------------
// One task

interface TaskState {
  task: TaskView
  view: CaseView
  matter: MatterDetail | null
}

type Outcome = 'approve' | 'reject' | 'supplement'

export function TaskPage({ id, canAudit }: { id: string; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const { message } = AntApp.useApp()
  const now = useNow(30_000)
  const [state, setState] = useState<TaskState | null | 'gone'>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [comment, setComment] = useState('')
  const [commentError, setCommentError] = useState(false)
  const [busy, setBusy] = useState<Outcome | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    ;(async () => {
      const task = (await api.tasks(o)).find((x) => x.id === id)
      if (!task) return 'gone' as const
      const view = await api.caseView(task.caseId, o)
      const matter = await api.matter(view.matterCode, view.matterVersion, o).catch((e: unknown) => {
        if (controller.signal.aborted) throw e
        return null
      })
      return { task, view, matter }
    })().then(setState, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [id, reload])

  if (error) {
    return (
      <LoadError
        title={t('task.loadFailed')}
        error={error}
        onRetry={() => setReload((n) => n + 1)}
        back={{ label: t('task.back'), onClick: () => navigate('/workbench') }}
      />
    )
  }
  if (state === 'gone') {
    return (
      <Result
        status="info"
        title={t('task.gone')}
        data-testid="task-gone"
        extra={
          <Button type="primary" onClick={() => navigate('/workbench')}>
            {t('task.back')}
          </Button>
        }
      />
    )
  }
  if (!state) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 12 }} />
      </Card>
    )
  }

  const { task, view, matter } = state
  const fullSchema = asSchema(matter?.formSchema)
  const schema = restrictSchema(fullSchema, view.data)
  const hidden = Object.keys(fullSchema.properties ?? {}).length - Object.keys(schema.properties ?? {}).length
  const name = view.matterName

  const complete = async (outcome: Outcome) => {
    const text = comment.trim()
    if (outcome !== 'approve' && !text) {
      setCommentError(true)
      return
    }
    setBusy(outcome)
    try {
      await api.completeTask(task.id, text ? { outcome, comment: text } : { outcome })
      void message.success({ content: t(`task.done.${outcome}`, { name }), key: 'task-done' })
      navigate('/workbench')
    } catch {
      // Shown by the global error notifier.
      setBusy(null)
    }
  }
  const allowed = (o: Outcome) => task.outcomes.includes(o)

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%' }}
      data-testid="task-page"
      data-task={task.id}
    >
      <Card size="small" className="xzt-page-head">
        <a {...linkProps('/workbench')} className="xzt-back-link">
          <ArrowLeftOutlined /> {t('task.back')}
        </a>
        <Space size={8} wrap align="center">
          <Typography.Title level={4} className="xzt-page-title" data-testid="task-title">
            {task.name ?? task.node}
          </Typography.Title>
          <StatusTag status={view.status} />
        </Space>
        <div>
          <Typography.Text type="secondary">
            {name} · {t('case.id')}
            {t('common.colon')}
          </Typography.Text>
          <Typography.Text className="xzt-mono" copyable>
            {view.id}
          </Typography.Text>
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15} xxl={16}>
          <Card
            title={t('task.caseData')}
            extra={
              hidden > 0 ? (
                <Tag icon={<EyeInvisibleOutlined />} data-testid="hidden-fields">
                  {t('task.hiddenFields', { n: hidden })}
                </Tag>
              ) : undefined
            }
          >
            <Alert type="info" showIcon title={t('task.fieldsHint')} style={{ marginBottom: 16 }} />
            <DataView
              schema={schema}
              data={view.data}
              testId="task-data"
              columns={{ xs: 1, md: 2 }}
              files={{ caseId: view.id, attachments: view.attachments }}
            />
          </Card>
          {view.attachments.length > 0 && (
            <Card
              title={
                <Space>
                  <PaperClipOutlined />
                  {t('attachments.title')}
                </Space>
              }
              style={{ marginTop: 16 }}
              data-testid="task-attachments"
            >
              <Typography.Paragraph type="secondary">{t('attachments.staffHint')}</Typography.Paragraph>
              <AttachmentList caseId={view.id} attachments={view.attachments} schema={fullSchema} />
            </Card>
          )}
        </Col>
        <Col xs={24} xl={9} xxl={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('task.decision')} className="xzt-decision-card" data-testid="decision">
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'matter', label: t('workbench.matter'), children: name },
                  {
                    key: 'received',
                    label: t('workbench.received'),
                    children: formatDateMinute(task.createdAt),
                  },
                  {
                    key: 'due',
                    label: t('workbench.due'),
                    children:
                      task.dueAt === null ? (
                        '—'
                      ) : (
                        <Space size={6} wrap>
                          {formatDateMinute(task.dueAt)}
                          <Countdown dueAt={task.dueAt} now={now} sla={task.sla} />
                          <SlaTag sla={task.sla} />
                        </Space>
                      ),
                  },
                ]}
              />
              <Form layout="vertical" style={{ marginTop: 12 }}>
                <Form.Item
                  label={t('task.comment')}
                  validateStatus={commentError ? 'error' : undefined}
                  help={commentError ? t('task.commentRequired') : undefined}
                >
                  <Input.TextArea
                    rows={4}
                    maxLength={2000}
                    showCount
                    value={comment}
                    onChange={(e) => {
                      setComment(e.target.value)
                      if (e.target.value.trim()) setCommentError(false)
                    }}
                    placeholder={t('task.commentPlaceholder')}
                    data-testid="task-comment"
                  />
                </Form.Item>
              </Form>
              <div className="xzt-decision-buttons">
                {allowed('approve') && (
                  <Button
                    type="primary"
                    size="large"
                    icon={<CheckOutlined />}
                    loading={busy === 'approve'}
                    disabled={busy !== null && busy !== 'approve'}
                    onClick={() => void complete('approve')}
                    data-testid="task-approve"
                  >
                    {t('task.approve')}
                  </Button>
                )}
                {allowed('supplement') && (
                  <Button
                    size="large"
                    icon={<EditOutlined />}
                    loading={busy === 'supplement'}
                    disabled={busy !== null && busy !== 'supplement'}
                    onClick={() => void complete('supplement')}
                    data-testid="task-supplement"
                  >
                    {t('task.supplement')}
                  </Button>
                )}
                {allowed('reject') && (
                  <Popconfirm
                    title={t('task.confirmReject')}
                    description={t('task.confirmRejectHint')}
                    okButtonProps={{ danger: true }}
                    okText={t('task.reject')}
                    cancelText={t('common.cancel')}
                    disabled={!comment.trim()}
                    onConfirm={() => void complete('reject')}
                  >
                    <Button
                      danger
                      size="large"
                      icon={<CloseOutlined />}
                      loading={busy === 'reject'}
                      disabled={busy !== null && busy !== 'reject'}
                      onClick={() => {
                        if (!comment.trim()) setCommentError(true)
                      }}
                      data-testid="task-reject"
                    >
                      {t('task.reject')}
                    </Button>
                  </Popconfirm>
                )}
              </div>
            </Card>
            <Card title={t('case.progress')}>
              <CaseTimeline view={view} canAudit={canAudit} now={now} />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  )
}
