/**
 * Flagged data accesses (数据访问预警): officials who opened a citizen's data without an open task on
 * the case. Supervisors see their department's, administrators and auditors their region's; supervisors
 * and administrators record one verdict per flag (justified or not, with a note), which the server
 * writes to the ledger. Used as a workbench tab (supervisors) and as a page of its own (administrators,
 * auditors).
 *
 * The case is shown by number, not linked: opening it from here would itself be an access to the
 * citizen's data without a task.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { HTMLAttributes } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Pagination,
  Radio,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import { api } from '../../api.js'
import type { AccessVerdict, FlaggedAccess, FlaggedQuery, Me } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { LoadError } from '../load-error.js'
import { CardList } from '../card-list.js'
import { usePhone } from '../../responsive.js'
import { asSchema } from '../../forms.js'
import type { JsonSchema } from '../../forms.js'
import { AccessedFields, LedgerPosition } from './case-common.js'
import { canReviewFlagged } from '../../access.js'
import { notifyFlaggedChanged } from './flagged-count.js'

function VerdictTag({ verdict }: { verdict: AccessVerdict }) {
  const { t } = useI18n()
  return verdict === 'justified' ? (
    <Tag color="success" icon={<CheckCircleOutlined />} data-testid="flag-verdict" data-verdict={verdict}>
      {t('flagged.verdict.justified')}
    </Tag>
  ) : (
    <Tag color="error" icon={<CloseCircleOutlined />} data-testid="flag-verdict" data-verdict={verdict}>
      {t('flagged.verdict.unjustified')}
    </Tag>
  )
}

interface ReviewValues {
  verdict: AccessVerdict
  note?: string
}

function ReviewModal({
  access,
  onClose,
  onDone,
}: {
  access: FlaggedAccess
  onClose: () => void
  onDone: () => void
}) {
  const { t, formatDateTime } = useI18n()
  const { message } = AntApp.useApp()
  const [form] = Form.useForm<ReviewValues>()
  const verdict = Form.useWatch('verdict', form)
  const [saving, setSaving] = useState(false)

  const submit = async (values: ReviewValues) => {
    setSaving(true)
    try {
      const note = values.note?.trim()
      await api.reviewAccess(
        access.id,
        note ? { verdict: values.verdict, note } : { verdict: values.verdict },
      )
      void message.success({ content: t('flagged.reviewed'), key: 'flag-reviewed' })
      notifyFlaggedChanged()
      onDone()
    } catch {
      // Shown by the global error notifier; a 409 means someone else was quicker: reload.
      setSaving(false)
    }
  }

  return (
    <Modal
      open
      title={t('flagged.modalTitle')}
      okText={t('flagged.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'flag-review-submit' }}
      destroyOnHidden
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text>
          {access.staff.name} · {formatDateTime(access.at)} · {access.matterName ?? access.matterCode ?? ''}{' '}
          <span className="xzt-mono">{access.caseId.slice(0, 8)}</span>
        </Typography.Text>
        <Alert type="info" showIcon title={t('flagged.modalHint')} />
        <Form<ReviewValues>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          data-testid="flag-review-form"
        >
          <Form.Item
            name="verdict"
            label={t('flagged.verdict')}
            rules={[{ required: true, message: t('flagged.verdictRequired') }]}
          >
            <Radio.Group data-testid="flag-verdict-choice">
              <Radio value="justified" data-testid="flag-verdict-justified">
                {t('flagged.verdict.justified')}
              </Radio>
              <Radio value="unjustified" data-testid="flag-verdict-unjustified">
                {t('flagged.verdict.unjustified')}
              </Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="note"
            label={t('flagged.note')}
            rules={[
              {
                required: verdict === 'unjustified',
                whitespace: true,
                message: t('flagged.noteRequired'),
              },
            ]}
          >
            <Input.TextArea
              rows={4}
              maxLength={2000}
              showCount
              placeholder={t('flagged.notePlaceholder')}
              data-testid="flag-note"
            />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  )
}

type Status = FlaggedQuery['status']
const PAGE_SIZE = 20

const flagRow = (row: FlaggedAccess): HTMLAttributes<HTMLElement> =>
  ({
    'data-testid': 'flag-row',
    'data-flag': row.id,
    'data-reviewed': String(row.review !== null),
  }) as HTMLAttributes<HTMLElement>

/** The table of flagged accesses with its open/reviewed filter and the review action. */
export function FlaggedAccessPanel({ me, canAudit }: { me: Me; canAudit: boolean }) {
  const { t, formatDateTime } = useI18n()
  const [status, setStatus] = useState<Status>('open')
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ items: FlaggedAccess[]; total: number } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [reviewing, setReviewing] = useState<FlaggedAccess | null>(null)
  const [schemas, setSchemas] = useState<Map<string, JsonSchema>>(new Map())
  const reviewer = canReviewFlagged(me)
  const phone = usePhone()

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    setData(null)
    api
      .flaggedAccesses(
        { status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        { signal: controller.signal, quiet: true },
      )
      .then(setData, (e: unknown) => {
        if (!controller.signal.aborted) setError(e)
      })
    return () => controller.abort()
  }, [status, page, reload])

  const refresh = useCallback(() => setReload((n) => n + 1), [])

  // Field names by the forms' titles (the current version of each matter on the page).
  useEffect(() => {
    const codes = [...new Set((data?.items ?? []).map((r) => r.matterCode))].filter(
      (c): c is string => c !== null && !schemas.has(c),
    )
    if (codes.length === 0) return
    const controller = new AbortController()
    void Promise.all(
      codes.map(async (code) => {
        try {
          const m = await api.matter(code, undefined, { signal: controller.signal, quiet: true })
          return [code, asSchema(m.formSchema)] as const
        } catch {
          return null
        }
      }),
    ).then((loaded) => {
      if (controller.signal.aborted) return
      setSchemas((prev) => {
        const next = new Map(prev)
        for (const entry of loaded) if (entry) next.set(entry[0], entry[1])
        return next
      })
    })
    return () => controller.abort()
  }, [data, schemas])

  const columns = useMemo<TableColumnsType<FlaggedAccess>>(() => {
    const list: TableColumnsType<FlaggedAccess> = [
      {
        title: t('flagged.at'),
        dataIndex: 'at',
        key: 'at',
        width: 180,
        render: (at: number) => <span className="xzt-nowrap">{formatDateTime(at)}</span>,
      },
      {
        title: t('flagged.staff'),
        key: 'staff',
        width: 130,
        render: (_: unknown, row) => (
          <Tooltip title={row.staff.id}>
            <span data-testid="flag-staff">{row.staff.name}</span>
          </Tooltip>
        ),
      },
      {
        title: t('flagged.case'),
        key: 'case',
        render: (_: unknown, row) => (
          <Space size={4} wrap>
            <span>{row.matterName ?? row.matterCode ?? ''}</span>
            <Typography.Text className="xzt-mono" copyable={{ text: row.caseId }}>
              {row.caseId.slice(0, 8)}
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: t('flagged.citizen'),
        dataIndex: 'citizenId',
        key: 'citizen',
        width: 110,
        responsive: ['xl'],
        render: (id: string) => (
          <Tooltip title={id}>
            <span className="xzt-mono">{id.length > 12 ? id.slice(0, 8) : id}</span>
          </Tooltip>
        ),
      },
      {
        title: t('flagged.what'),
        dataIndex: 'what',
        key: 'what',
        responsive: ['lg'],
        render: (what: string, row) => (
          <AccessedFields what={what} schema={row.matterCode ? schemas.get(row.matterCode) : undefined} />
        ),
      },
      {
        title: t('flagged.ledger'),
        dataIndex: 'ledger',
        key: 'ledger',
        width: 160,
        responsive: ['md'],
        render: (ledger: FlaggedAccess['ledger']) => <LedgerPosition ledger={ledger} canAudit={canAudit} />,
      },
      {
        title: t('flagged.review'),
        key: 'review',
        width: 220,
        render: (_: unknown, row) =>
          row.review ? (
            <Space orientation="vertical" size={2}>
              <Space size={4} wrap>
                <VerdictTag verdict={row.review.verdict} />
                {row.review.ledger && <LedgerPosition ledger={row.review.ledger} canAudit={canAudit} />}
              </Space>
              <Typography.Text type="secondary" className="xzt-flag-reviewer">
                {t('flagged.reviewedBy', {
                  name: row.review.reviewer.name,
                  time: formatDateTime(row.review.reviewedAt),
                })}
              </Typography.Text>
              {row.review.note && (
                <Typography.Paragraph
                  className="xzt-flag-note"
                  ellipsis={{ rows: 2, tooltip: row.review.note }}
                >
                  {row.review.note}
                </Typography.Paragraph>
              )}
            </Space>
          ) : (
            <Tag color="warning" icon={<WarningOutlined />}>
              {t('flagged.pending')}
            </Tag>
          ),
      },
    ]
    if (reviewer) {
      list.push({
        title: t('common.actions'),
        key: 'actions',
        width: 100,
        render: (_: unknown, row) => {
          if (row.review) return null
          const own = row.staff.id === me.id
          const button = (
            <Button
              type="primary"
              size="small"
              icon={<SafetyCertificateOutlined />}
              disabled={own}
              onClick={() => setReviewing(row)}
              data-testid={`flag-review-${row.id}`}
            >
              {t('flagged.reviewAction')}
            </Button>
          )
          return own ? <Tooltip title={t('flagged.ownAccess')}>{button}</Tooltip> : button
        },
      })
    }
    return list
  }, [t, formatDateTime, canAudit, reviewer, me.id, schemas])

  if (error && !data) {
    return <LoadError title={t('flagged.loadFailed')} error={error} onRetry={refresh} />
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="flagged-panel">
      <Alert
        type="info"
        showIcon
        title={t('flagged.intro')}
        description={reviewer ? undefined : t('flagged.auditorHint')}
        data-testid="flagged-intro"
      />
      <Card
        title={
          <Space>
            <WarningOutlined />
            <span data-testid="flag-total">{t('common.total', { n: data?.total ?? 0 })}</span>
          </Space>
        }
        extra={
          <Space wrap>
            <Segmented<Status>
              value={status}
              onChange={(value) => {
                setStatus(value)
                setPage(1)
              }}
              options={[
                { value: 'open', label: t('flagged.filter.open') },
                { value: 'reviewed', label: t('flagged.filter.reviewed') },
                { value: 'all', label: t('common.all') },
              ]}
              data-testid="flag-filter"
            />
            <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="flag-refresh">
              {t('common.refresh')}
            </Button>
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {phone ? (
          <CardList<FlaggedAccess>
            rowKey={(row) => row.id}
            columns={columns}
            dataSource={data?.items ?? []}
            loading={!data}
            onRow={flagRow}
            pageSize={PAGE_SIZE}
            emptyText={<Empty description={status === 'open' ? t('flagged.empty') : t('flagged.emptyAll')} />}
            testId="flag-table"
          />
        ) : null}
        {phone && (data?.total ?? 0) > PAGE_SIZE && (
          <Pagination
            className="xzt-card-list-pager"
            align="center"
            size="small"
            current={page}
            pageSize={PAGE_SIZE}
            total={data?.total ?? 0}
            showSizeChanger={false}
            onChange={setPage}
          />
        )}
        {phone ? null : (
          <Table<FlaggedAccess>
            rowKey="id"
            columns={columns}
            dataSource={data?.items ?? []}
            loading={!data}
            size="middle"
            scroll={{ x: 860 }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              hideOnSinglePage: true,
              showSizeChanger: false,
              onChange: setPage,
            }}
            onRow={(row) =>
              ({
                'data-testid': 'flag-row',
                'data-flag': row.id,
                'data-reviewed': String(row.review !== null),
              }) as HTMLAttributes<HTMLElement>
            }
            locale={{
              emptyText: (
                <Empty description={status === 'open' ? t('flagged.empty') : t('flagged.emptyAll')} />
              ),
            }}
            data-testid="flag-table"
          />
        )}
      </Card>
      {reviewing && (
        <ReviewModal
          key={reviewing.id}
          access={reviewing}
          onClose={() => setReviewing(null)}
          onDone={() => {
            setReviewing(null)
            refresh()
          }}
        />
      )}
    </Space>
  )
}
