/**
 * The citizen's cases (我的办件): the list with status and time limits; one case with its timeline
 * (department, official, times, outcome, SLA, ledger position), discrepancies, ledger receipts and
 * the supplement form when a department asks for one, saying what it asked for; and "who viewed my
 * data" (谁查看了我的数据), with the supervisor's verdict on a look without a task.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { HTMLAttributes } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  FileSearchOutlined,
  PaperClipOutlined,
  ProfileOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import { ApiError, api, formDataErrors } from '../api.js'
import type { CaseView, DataAccessEntry, MatterDetail, Me, TaskView } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { asSchema, changedTopLevel, downloadBlob, fieldLabel } from '../forms.js'
import { caseReceiptFile, receiptFileName } from '../receipt-file.js'
import type { FormData, JsonSchema } from '../forms.js'
import {
  AccessedFields,
  CaseTimeline,
  Countdown,
  LedgerPosition,
  StatusTag,
  useNow,
  workingDaysBetween,
} from '../components/cases/case-common.js'
import { AttachmentList } from '../components/cases/attachment-list.js'
import { CardList } from '../components/card-list.js'
import { usePhone } from '../responsive.js'
import { DataView } from '../components/cases/data-view.js'
import { LazyMatterForm } from '../components/cases/lazy-form.js'
import type { ServerFieldError } from '../components/cases/lazy-form.js'
import { LoadError } from '../components/load-error.js'
import { canFileOwnAppeals, canInviteRating, canRateOwnCases } from '../access.js'
import { CaseAppealsCard, OverdueBanner } from '../components/citizen/case-appeals.js'
import { CaseRatingCard } from '../components/citizen/case-rating.js'
import { CounterRatingButton } from '../components/cases/counter-rating-button.js'

function shortId(id: string): string {
  return id.slice(0, 8)
}

// ---------------------------------------------------------------------------------------------
// My cases

type Filter = 'all' | 'active' | 'supplement' | 'done'

function matches(c: CaseView, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true
    case 'supplement':
      return c.status === 'supplement_requested'
    case 'done':
      return c.status === 'completed' || c.status === 'rejected'
    case 'active':
      return c.status !== 'completed' && c.status !== 'rejected' && c.status !== 'supplement_requested'
  }
}

function CaseCard({ c, now }: { c: CaseView; now: number }) {
  const { t, formatDateMinute } = useI18n()
  const done = c.status === 'completed' || c.status === 'rejected'
  return (
    <Card
      hoverable
      size="small"
      className="xzt-case-card"
      onClick={() => navigate(`/cases/${c.id}`)}
      data-testid={`case-row-${c.id}`}
      data-status={c.status}
    >
      <div className="xzt-case-card-head">
        <Typography.Text strong className="xzt-case-card-name">
          {c.matterName}
        </Typography.Text>
        <StatusTag status={c.status} testId="case-row-status" />
      </div>
      <div className="xzt-case-card-meta">
        <span>
          <Typography.Text type="secondary">
            {t('cases.id')}
            {t('common.colon')}
          </Typography.Text>
          <span className="xzt-mono">{shortId(c.id)}</span>
        </span>
        <span>
          <Typography.Text type="secondary">
            {t('cases.submittedAt')}
            {t('common.colon')}
          </Typography.Text>
          {formatDateMinute(c.submittedAt)}
        </span>
        <span>
          {done && c.completedAt !== null ? (
            <>
              <Typography.Text type="secondary">
                {t('cases.completedAt')}
                {t('common.colon')}
              </Typography.Text>
              {formatDateMinute(c.completedAt)}
            </>
          ) : (
            <>
              <Typography.Text type="secondary">
                {t('cases.dueAt')}
                {t('common.colon')}
              </Typography.Text>
              {formatDateMinute(c.dueAt)} <Countdown dueAt={c.dueAt} now={now} />
            </>
          )}
        </span>
      </div>
    </Card>
  )
}

export function MyCasesPage() {
  const { t } = useI18n()
  const now = useNow()
  const [cases, setCases] = useState<CaseView[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [filter, setFilter] = useState<Filter>('all')

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    api.myCases({ signal: controller.signal, quiet: true }).then(setCases, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [reload])

  if (error && !cases) {
    return <LoadError title={t('cases.loadFailed')} error={error} onRetry={() => setReload((n) => n + 1)} />
  }
  const supplements = cases?.filter((c) => c.status === 'supplement_requested').length ?? 0
  const shown = cases?.filter((c) => matches(c, filter)) ?? []
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="cases-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={4} className="xzt-page-title">
              <ProfileOutlined /> {t('cases.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('cases.intro')}</Typography.Text>
          </div>
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
              {t('common.refresh')}
            </Button>
            <Button
              icon={<EyeOutlined />}
              onClick={() => navigate('/cases/data-access')}
              data-testid="open-data-access"
            >
              {t('cases.dataAccess')}
            </Button>
          </Space>
        </div>
      </Card>
      {supplements > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<EditOutlined />}
          title={t('cases.supplementNeeded', { n: supplements })}
          data-testid="supplement-banner"
        />
      )}
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: t('common.all') },
          { value: 'active', label: t('cases.filter.active') },
          { value: 'supplement', label: t('cases.filter.supplement') },
          { value: 'done', label: t('cases.filter.done') },
        ]}
        data-testid="cases-filter"
      />
      {!cases ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : shown.length === 0 ? (
        <Card>
          <Empty description={t('cases.empty')}>
            <Button type="primary" onClick={() => navigate('/services')}>
              {t('cases.goServices')}
            </Button>
          </Empty>
        </Card>
      ) : (
        <Row gutter={[12, 12]} data-testid="cases-list">
          {shown.map((c) => (
            <Col key={c.id} xs={24} lg={12} xxl={8}>
              <CaseCard c={c} now={now} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  )
}

// ---------------------------------------------------------------------------------------------
// One case

interface CaseState {
  view: CaseView
  matter: MatterDetail | null
  /** The citizen's open supplement task on this case. */
  supplement: TaskView | null
}

/** Downloads every ledger receipt of the case as one JSON file (entries with tlog-proof texts and keys). */
export function ReceiptButton({ caseId, matterName }: { caseId: string; matterName: string }) {
  const { t } = useI18n()
  const { message } = AntApp.useApp()
  const [loading, setLoading] = useState(false)
  return (
    <Button
      icon={<DownloadOutlined />}
      loading={loading}
      data-testid="receipt-download"
      onClick={() => {
        setLoading(true)
        api.caseReceipt(caseId).then(
          (receipt) => {
            const name = receiptFileName(caseId)
            const text = caseReceiptFile(receipt, matterName, Date.now())
            downloadBlob(new Blob([text], { type: 'application/json' }), name)
            void message.success({ content: t('case.receiptDownloaded', { name }), key: 'receipt' })
            setLoading(false)
          },
          () => setLoading(false),
        )
      }}
    >
      {t('case.downloadReceipt')}
    </Button>
  )
}

function Discrepancies({ view, schema }: { view: CaseView; schema: JsonSchema }) {
  const { t, sourceName } = useI18n()
  if (view.discrepancies.length === 0) return null
  return (
    <Alert
      type="warning"
      showIcon
      icon={<WarningOutlined />}
      data-testid="discrepancies"
      title={t('case.discrepancies', { n: view.discrepancies.length })}
      description={
        <div>
          <ul className="xzt-plain-list">
            {view.discrepancies.map((d, i) => (
              <li key={`${d.path}-${i}`}>
                {t('case.discrepancyItem', {
                  field: fieldLabel(schema, d.path),
                  source: sourceName(d.source),
                })}
              </li>
            ))}
          </ul>
          <Typography.Text type="secondary">{t('case.discrepancyHint')}</Typography.Text>
        </div>
      }
    />
  )
}

function SupplementCard({
  state,
  onDone,
}: {
  state: CaseState & { supplement: TaskView }
  onDone: () => void
}) {
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [data, setData] = useState<FormData>(state.view.data)
  const [serverErrors, setServerErrors] = useState<ServerFieldError[]>([])
  const [submitting, setSubmitting] = useState(false)
  // The latest step that asked for this supplement: who asked, and what for.
  const request = [...state.view.timeline]
    .filter((s) => s.outcome === 'supplement')
    .sort((a, b) => (b.completedAt ?? 0) - (a.completedAt ?? 0))[0]
  const requester = request?.department

  const submit = async (formData: FormData) => {
    setSubmitting(true)
    setServerErrors([])
    try {
      const changed = changedTopLevel(state.view.data, formData)
      await api.completeTask(
        state.supplement.id,
        Object.keys(changed).length > 0 ? { outcome: 'approve', data: changed } : { outcome: 'approve' },
        { quiet: true },
      )
      void message.success({ content: t('case.supplemented'), key: 'supplemented' })
      onDone()
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && e.code === 'VALIDATION_FAILED') {
        setServerErrors(formDataErrors(e.details))
        void message.error({ content: t('apply.serverInvalid'), key: 'supplement-invalid' })
      } else if (e instanceof ApiError) {
        void message.error({ content: describeError(e), key: 'supplement-failed' })
      }
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <Card
      title={
        <Space>
          <EditOutlined />
          {t('case.supplementTitle')}
        </Space>
      }
      className="xzt-supplement-card"
      data-testid="supplement-card"
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title={
          requester ? t('case.supplementHint', { department: requester }) : t('case.supplementHintGeneric')
        }
        description={
          request?.comment ? (
            <div className="xzt-supplement-reason" data-testid="supplement-reason">
              <Typography.Text strong>
                {t('case.supplementReason')}
                {t('common.colon')}
              </Typography.Text>
              <Typography.Text className="xzt-supplement-reason-text">{request.comment}</Typography.Text>
            </div>
          ) : undefined
        }
      />
      {state.matter && (
        <LazyMatterForm
          schema={state.matter.formSchema}
          formData={data}
          onChange={setData}
          onSubmit={(d) => void submit(d)}
          serverErrors={serverErrors}
          submitting={submitting}
          submitLabel={t('case.supplementSubmit')}
          submitIcon={<SendOutlined />}
          testId="supplement-form"
          files={state.view.attachments}
        />
      )}
    </Card>
  )
}

export function CasePage({ me, id, canAudit }: { me: Me; id: string; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const now = useNow()
  const [state, setState] = useState<CaseState | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    ;(async () => {
      const view = await api.caseView(id, o)
      const [matter, tasks] = await Promise.all([
        api.matter(view.matterCode, view.matterVersion, o).catch((e: unknown) => {
          if (controller.signal.aborted) throw e
          return null
        }),
        me.kind === 'citizen' && view.status === 'supplement_requested'
          ? api.tasks(o).catch((e: unknown) => {
              if (controller.signal.aborted) throw e
              return [] as TaskView[]
            })
          : Promise.resolve([] as TaskView[]),
      ])
      const supplement = tasks.find((task) => task.caseId === view.id && task.kind === 'applicant') ?? null
      return { view, matter, supplement }
    })().then(setState, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [id, reload, me.kind])

  const refresh = useCallback(() => setReload((n) => n + 1), [])

  if (error) return <LoadError title={t('case.loadFailed')} error={error} onRetry={refresh} />
  if (!state || state.view.id !== id) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 12 }} />
      </Card>
    )
  }
  const { view, matter } = state
  const schema = asSchema(matter?.formSchema)
  const done = view.status === 'completed' || view.status === 'rejected'
  const ledgerSteps = view.timeline.filter((s) => s.ledger).length
  // The applicant rates the finished case and may complain about it (their own case only).
  const own = view.applicantId === me.id
  const rates = own && canRateOwnCases(me)
  const complains = own && canFileOwnAppeals(me)
  // At the window, the clerk hands the citizen the counter rating of a finished case.
  const invites = done && !own && canInviteRating(me)
  // Past its time limit the complaint is offered in a banner of its own, not in the head too.
  const overdue = !done && now > view.dueAt

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%' }}
      data-testid="case-page"
      data-case={view.id}
    >
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            {me.kind === 'citizen' && (
              <a {...linkProps('/cases')} className="xzt-back-link">
                <ArrowLeftOutlined /> {t('case.back')}
              </a>
            )}
            <Space size={8} wrap align="center">
              <Typography.Title level={4} className="xzt-page-title" data-testid="case-matter">
                {view.matterName}
              </Typography.Title>
              <StatusTag status={view.status} />
            </Space>
            <div>
              <Typography.Text type="secondary">
                {t('case.id')}
                {t('common.colon')}
              </Typography.Text>
              <Typography.Text className="xzt-mono" copyable data-testid="case-id">
                {view.id}
              </Typography.Text>
            </div>
          </div>
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="case-refresh">
              {t('common.refresh')}
            </Button>
            {invites && <CounterRatingButton caseId={view.id} />}
            {complains && !overdue && (
              <Button
                danger
                size="large"
                icon={<WarningOutlined />}
                onClick={() => navigate(`/my-appeals/new?case=${encodeURIComponent(view.id)}`)}
                data-testid="case-complain-head"
              >
                {t('citizenAppeals.case.complain')}
              </Button>
            )}
          </Space>
        </div>
      </Card>

      {view.status === 'completed' && (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleOutlined />}
          data-testid="case-completed"
          title={
            workingDaysBetween(view.submittedAt, view.completedAt ?? now) === 0
              ? t('case.completedSameDay')
              : t('case.completedBanner', {
                  days: workingDaysBetween(view.submittedAt, view.completedAt ?? now),
                })
          }
        />
      )}
      {view.status === 'rejected' && <Alert type="error" showIcon title={t('case.rejectedBanner')} />}
      {rates && <CaseRatingCard view={view} />}
      {complains && overdue && <OverdueBanner view={view} />}
      <Discrepancies view={view} schema={schema} />
      {state.supplement && (
        <SupplementCard
          key={state.supplement.id}
          state={{ ...state, supplement: state.supplement }}
          onDone={refresh}
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card
            title={
              <Space>
                <FileSearchOutlined />
                {t('case.progress')}
              </Space>
            }
          >
            <CaseTimeline view={view} canAudit={canAudit} now={now} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('case.title')}>
              <Descriptions
                size="small"
                column={1}
                data-testid="case-overview"
                items={[
                  { key: 'matter', label: t('case.matter'), children: view.matterName },
                  {
                    key: 'status',
                    label: t('cases.status'),
                    children: <StatusTag status={view.status} testId="case-status-2" />,
                  },
                  { key: 'channel', label: t('case.channel'), children: t(`channel.${view.channel}`) },
                  {
                    key: 'submitted',
                    label: t('case.submittedAt'),
                    children: formatDateMinute(view.submittedAt),
                  },
                  {
                    key: 'accepted',
                    label: t('case.acceptedAt'),
                    children: view.acceptedAt === null ? '—' : formatDateMinute(view.acceptedAt),
                  },
                  {
                    key: 'due',
                    label: t('case.dueAt'),
                    children: (
                      <Space size={6} wrap>
                        {formatDateMinute(view.dueAt)}
                        {!done && <Countdown dueAt={view.dueAt} now={now} testId="case-countdown" />}
                      </Space>
                    ),
                  },
                  ...(view.completedAt !== null
                    ? [
                        {
                          key: 'completed',
                          label: t('case.completedAt'),
                          children: formatDateMinute(view.completedAt),
                        },
                      ]
                    : []),
                  {
                    key: 'trips',
                    label: t('case.trips'),
                    children: t('matter.tripsValue', { n: view.trips }),
                  },
                ]}
              />
            </Card>
            <Card
              title={
                <Space>
                  <SafetyCertificateOutlined />
                  {t('case.receipts')}
                </Space>
              }
            >
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                <Typography.Text type="secondary">{t('case.receiptHint')}</Typography.Text>
                <Tag color="blue">{t('case.receiptCount', { n: ledgerSteps })}</Tag>
                <ReceiptButton caseId={view.id} matterName={view.matterName} />
              </Space>
            </Card>
          </Space>
        </Col>
      </Row>

      {complains && <CaseAppealsCard view={view} />}

      {view.attachments.length > 0 && (
        <Card
          title={
            <Space>
              <PaperClipOutlined />
              {t('attachments.title')}
            </Space>
          }
          data-testid="case-attachments"
        >
          <AttachmentList caseId={view.id} attachments={view.attachments} schema={schema} />
        </Card>
      )}

      <Card title={t('case.data')}>
        <DataView
          schema={schema}
          data={view.data}
          testId="case-data"
          files={{ caseId: view.id, attachments: view.attachments }}
        />
      </Card>
    </Space>
  )
}

// ---------------------------------------------------------------------------------------------
// Who viewed my data

interface AccessState {
  rows: DataAccessEntry[]
  cases: Map<string, CaseView>
  schemas: Map<string, JsonSchema>
}

const accessKey = (r: DataAccessEntry): string => `${r.at}-${r.staffId}-${r.ledger?.index ?? ''}`
const accessRow = (r: DataAccessEntry): HTMLAttributes<HTMLElement> =>
  ({ 'data-testid': 'access-row', 'data-flagged': String(r.flagged) }) as HTMLAttributes<HTMLElement>

export function DataAccessPage({ canAudit }: { canAudit: boolean }) {
  const { t, formatDateTime, formatNumber } = useI18n()
  const phone = usePhone()
  const [state, setState] = useState<AccessState | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    ;(async () => {
      const [rows, cases] = await Promise.all([api.dataAccess(o), api.myCases(o)])
      const byId = new Map(cases.map((c) => [c.id, c]))
      // Field names by the forms' titles: one schema per matter version involved.
      const versions = [
        ...new Set(
          rows
            .map((r) => byId.get(r.caseId))
            .filter((c) => c !== undefined)
            .map((c) => `${c.matterCode}@${c.matterVersion}`),
        ),
      ]
      const schemas = new Map<string, JsonSchema>()
      await Promise.all(
        versions.map(async (v) => {
          const [code, version] = v.split('@') as [string, string]
          try {
            schemas.set(v, asSchema((await api.matter(code, Number(version), o)).formSchema))
          } catch (e) {
            if (controller.signal.aborted) throw e
          }
        }),
      )
      return { rows, cases: byId, schemas }
    })().then(setState, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [reload])

  const columns = useMemo<TableColumnsType<DataAccessEntry>>(
    () => [
      {
        title: t('access.at'),
        dataIndex: 'at',
        key: 'at',
        width: 180,
        render: (at: number) => <span className="xzt-nowrap">{formatDateTime(at)}</span>,
      },
      {
        title: t('access.staff'),
        dataIndex: 'staffName',
        key: 'staff',
        width: 140,
        render: (name: string, row) => (
          <Tooltip title={row.staffId}>
            <span data-testid="access-staff">{name}</span>
          </Tooltip>
        ),
      },
      {
        title: t('access.case'),
        dataIndex: 'caseId',
        key: 'case',
        width: 200,
        render: (caseId: string) => {
          // A window clerk's look-up is about the citizen, not a case.
          if (!caseId) return <span data-testid="access-lookup">{t('access.lookup')}</span>
          const c = state?.cases.get(caseId)
          return (
            <a {...linkProps(`/cases/${caseId}`)}>
              {c ? c.matterName : ''} <span className="xzt-mono">{shortId(caseId)}</span>
            </a>
          )
        },
      },
      {
        title: t('access.what'),
        dataIndex: 'what',
        key: 'what',
        render: (what: string, row) => {
          const c = state?.cases.get(row.caseId)
          const schema = c ? state?.schemas.get(`${c.matterCode}@${c.matterVersion}`) : undefined
          return <AccessedFields what={what} schema={schema} />
        },
      },
      {
        title: t('access.status'),
        dataIndex: 'flagged',
        key: 'flagged',
        width: 130,
        render: (flagged: boolean) =>
          flagged ? (
            <Tooltip title={t('access.flaggedHint')}>
              <Tag color="error" icon={<WarningOutlined />}>
                {t('access.flagged')}
              </Tag>
            </Tooltip>
          ) : (
            <Tag color="success">{t('access.normal')}</Tag>
          ),
      },
      {
        title: t('access.review'),
        dataIndex: 'review',
        key: 'review',
        width: 150,
        render: (review: DataAccessEntry['review'], row) =>
          !row.flagged ? (
            '—'
          ) : review ? (
            <Tooltip title={t('access.reviewedAt', { time: formatDateTime(review.reviewedAt) })}>
              <Tag
                color={review.verdict === 'justified' ? 'success' : 'error'}
                data-testid="access-review"
                data-verdict={review.verdict}
              >
                {t(`access.reviewVerdict.${review.verdict}`)}
              </Tag>
            </Tooltip>
          ) : (
            <Tooltip title={t('access.reviewPendingHint')}>
              <Tag data-testid="access-review" data-verdict="pending">
                {t('access.reviewPending')}
              </Tag>
            </Tooltip>
          ),
      },
      {
        title: t('access.ledger'),
        dataIndex: 'ledger',
        key: 'ledger',
        width: 170,
        responsive: ['md'],
        render: (ledger: DataAccessEntry['ledger']) =>
          ledger ? <LedgerPosition ledger={ledger} canAudit={canAudit} /> : '—',
      },
    ],
    [t, formatDateTime, state, canAudit],
  )

  if (error && !state) {
    return <LoadError title={t('cases.loadFailed')} error={error} onRetry={() => setReload((n) => n + 1)} />
  }
  const flagged = state?.rows.filter((r) => r.flagged).length ?? 0
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="access-page">
      <Card size="small" className="xzt-page-head">
        <a {...linkProps('/cases')} className="xzt-back-link">
          <ArrowLeftOutlined /> {t('case.back')}
        </a>
        <Typography.Title level={4} className="xzt-page-title">
          <EyeOutlined /> {t('access.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('access.intro')}</Typography.Text>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={6}>
          <Card className="xzt-stat-card">
            <Statistic
              title={t('access.total')}
              value={formatNumber(state?.rows.length ?? 0)}
              prefix={<EyeOutlined />}
            />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={6}>
          <Card className="xzt-stat-card">
            <Statistic
              title={t('access.flagged')}
              value={formatNumber(flagged)}
              prefix={<WarningOutlined />}
              styles={{ content: { color: flagged > 0 ? '#cf1322' : undefined } }}
            />
          </Card>
        </Col>
      </Row>
      {flagged > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('access.flaggedCount', { n: flagged })}
          data-testid="access-flagged"
        />
      )}
      {phone ? (
        // A phone shows each look as a card: no sideways scrolling for the citizen.
        <CardList<DataAccessEntry>
          rowKey={accessKey}
          columns={columns}
          dataSource={state?.rows ?? []}
          loading={!state}
          rowClassName={(r) => (r.flagged ? 'xzt-row-flagged' : '')}
          onRow={accessRow}
          emptyText={<Empty description={t('access.empty')} />}
          testId="access-table"
        />
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<DataAccessEntry>
            rowKey={accessKey}
            columns={columns}
            dataSource={state?.rows ?? []}
            loading={!state}
            size="middle"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 900 }}
            rowClassName={(r) => (r.flagged ? 'xzt-row-flagged' : '')}
            onRow={accessRow}
            locale={{ emptyText: <Empty description={t('access.empty')} /> }}
            data-testid="access-table"
          />
        </Card>
      )}
    </Space>
  )
}
