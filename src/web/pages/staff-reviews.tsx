/**
 * 申诉与整改: what supervisors and leaders decide, and what a department owes after bad ratings.
 * - 责任认定申诉: contests of responsibility-chain links and of facts on officials' scorecards (考核事实),
 *   pending first; a superior of the contesting official's department upholds or rejects each with a
 *   reason (never their own); officials see their own contests and how they were decided.
 * - 差评整改: rectifications after bad ratings, overdue first then by deadline; one opens in a drawer
 *   with its timeline (every step with its ledger position) and the steps the caller may record: the
 *   call-back (回访), the measures (整改完成), a contest of the rating as a false review, and its decision.
 * @module
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { HTMLAttributes, KeyboardEvent } from 'react'
import {
  Alert,
  App as AntApp,
  Badge,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import { AuditOutlined, FlagOutlined, ReloadOutlined, ToolOutlined } from '@ant-design/icons'
import { RECTIFICATION_STATUSES, RECTIFICATION_STATUS_NAMES } from '../../shared/api.js'
import { INDICATORS } from '../../shared/assessment.js'
import type { ChainLinkView, RectificationStatus, RectificationView } from '../../shared/api.js'
import { ApiError, api } from '../api.js'
import type { MatterSummary, Me } from '../api.js'
import { appealsApi } from '../appeals-api.js'
import type { AppealView, ChainContestView, RectificationDetail } from '../appeals-api.js'
import {
  canContestRating,
  canDecideChainContests,
  canDecideRatingContest,
  canHandleRectification,
} from '../access.js'
import { useI18n } from '../i18n.js'
import type { I18n, MessageKey } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { usePhone } from '../responsive.js'
import { provinceIso } from '../time.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { ReasonField } from '../components/reason-field.js'
import { Countdown, platformNow, useNow } from '../components/cases/case-common.js'
import { matterName } from './services.js'
import {
  explainText,
  linkFunctionName,
  categoryName,
  KindTag,
  policyVersionName,
  ratingTagName,
} from '../components/appeals-staff/labels.js'
import { LedgerRefCheck, refKey, useLedgerChecks } from '../components/appeals-staff/ledger-check.js'

type ReviewTab = 'contests' | 'rectifications'

function initialTab(): ReviewTab {
  return new URLSearchParams(window.location.search).get('tab') === 'rectifications'
    ? 'rectifications'
    : 'contests'
}

/** Uphold (the link is taken out of the person's responsibility) or reject, with a reason. */
function DecisionModal({
  title,
  hint,
  upheldLabel,
  rejectedLabel,
  onClose,
  onSubmit,
}: {
  title: string
  hint: string
  upheldLabel: string
  rejectedLabel: string
  onClose: () => void
  onSubmit: (input: { upheld: boolean; reason: string }) => Promise<boolean>
}) {
  const { t } = useI18n()
  const [upheld, setUpheld] = useState<boolean | null>(null)
  const [reason, setReason] = useState('')
  const [error, setError] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    if (upheld === null) return
    if (!reason.trim()) {
      setError(true)
      return
    }
    setBusy(true)
    const ok = await onSubmit({ upheld, reason: reason.trim() })
    setBusy(false)
    if (ok) onClose()
  }
  return (
    <Modal
      open
      title={title}
      okText={t('appealsStaff.contest.decide')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: upheld === null, 'data-testid': 'decision-submit' }}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('appealsStaff.contest.outcome')} required>
          <Radio.Group
            value={upheld}
            onChange={(e) => setUpheld(e.target.value as boolean)}
            options={[
              { value: true, label: upheldLabel },
              { value: false, label: rejectedLabel },
            ]}
            data-testid="decision-outcome"
          />
        </Form.Item>
        <ReasonField
          label={t('appealsStaff.contest.decisionReason')}
          value={reason}
          onChange={(v) => {
            setReason(v)
            if (v.trim()) setError(false)
          }}
          onSubmit={() => void submit()}
          error={error}
          testId="decision-reason"
        />
      </Form>
    </Modal>
  )
}

// ---- contests of chain links --------------------------------------------------------------------------

interface ContestRow {
  contest: ChainContestView
  appeal: AppealView | null
  link: ChainLinkView | null
}

function ContestsPanel({ me }: { me: Me }) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const { message } = AntApp.useApp()
  const phone = usePhone()
  const [status, setStatus] = useState<'pending' | 'decided'>('pending')
  const [rows, setRows] = useState<ContestRow[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [deciding, setDeciding] = useState<ContestRow | null>(null)
  const decides = canDecideChainContests(me)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    ;(async () => {
      const all = await appealsApi.contests(status === 'pending' ? 'pending' : undefined, o)
      const list = status === 'pending' ? all : all.filter((c) => c.status !== 'pending')
      const ids = [...new Set(list.flatMap((c) => (c.subject === 'fact' || !c.appealId ? [] : [c.appealId])))]
      // The appeal and the chain say what was contested; one that cannot be read shows by its contest alone.
      const found = new Map(
        await Promise.all(
          ids.map(async (id) => {
            const [appeal, chain] = await Promise.all([
              appealsApi.get(id, o).catch(() => null),
              appealsApi.chain(id, o).catch(() => null),
            ])
            return [id, { appeal, chain }] as const
          }),
        ),
      )
      return list.map((contest) => {
        const f = contest.appealId ? found.get(contest.appealId) : undefined
        return {
          contest,
          appeal: f?.appeal ?? null,
          link: f?.chain?.links.find((l) => l.staffId === contest.staffId) ?? null,
        }
      })
    })().then(setRows, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [status, reload])

  const columns: TableColumnsType<ContestRow> = [
    {
      title: t('appealsStaff.contest.col.official'),
      key: 'official',
      width: 200,
      render: (_: unknown, r) =>
        r.contest.subject === 'fact' ? (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>{r.contest.staffName}</Typography.Text>
            <Tag data-testid="contest-fact">{t('appealsStaff.contest.factTag')}</Tag>
          </Space>
        ) : r.link ? (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>{r.link.name}</Typography.Text>
            <Typography.Text type="secondary">
              {r.link.role} · {linkFunctionName(t, r.link.function)}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('appealsStaff.contest.unknownLink')}</Typography.Text>
        ),
    },
    {
      title: t('appealsStaff.contest.col.appeal'),
      key: 'appeal',
      render: (_: unknown, r) =>
        r.contest.subject === 'fact' && r.contest.ref ? (
          <Space size={4} wrap>
            <span>{t(`appealsStaff.contest.factRef.${r.contest.ref.kind}`)}</span>
            {r.contest.ref.kind === 'appeal' ? (
              <a {...linkProps(`/appeal-desk/${r.contest.ref.id}`)} className="xzt-mono">
                {r.contest.ref.id.slice(0, 8)}
              </a>
            ) : (
              <span className="xzt-mono">{r.contest.ref.id.slice(0, 8)}</span>
            )}
          </Space>
        ) : r.appeal ? (
          <Space orientation="vertical" size={0}>
            <Space size={4} wrap>
              <KindTag kind={r.appeal.kind} />
              <a {...linkProps(`/appeal-desk/${r.appeal.id}`)}>{categoryName(i18n, r.appeal.category)}</a>
            </Space>
            <Typography.Text type="secondary" ellipsis className="xzt-appeal-cell-text">
              {r.appeal.text}
            </Typography.Text>
          </Space>
        ) : (
          <span className="xzt-mono">{(r.contest.appealId ?? r.contest.id).slice(0, 8)}</span>
        ),
    },
    {
      title: t('appealsStaff.contest.col.link'),
      key: 'link',
      width: 260,
      responsive: ['lg'],
      render: (_: unknown, r) =>
        r.contest.subject === 'fact' && r.contest.indicator
          ? t('appealsStaff.contest.factCounted', {
              indicator: INDICATORS[r.contest.indicator][i18n.lang === 'en' ? 'en' : 'zh'],
              period: r.contest.period ?? '',
            })
          : r.link
            ? explainText(i18n, r.link)
            : '—',
    },
    {
      title: t('appealsStaff.contest.col.reason'),
      key: 'reason',
      width: 280,
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <span data-testid="contest-reason-text">{r.contest.reason}</span>
          {r.contest.decision && (
            <Typography.Text type="secondary">
              {t('appealsStaff.contest.decision')}
              {t('common.colon')}
              {r.contest.decision}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('appealsStaff.contest.col.filed'),
      key: 'filed',
      width: 150,
      responsive: ['xl'],
      render: (_: unknown, r) => <span className="xzt-nowrap">{formatDateMinute(r.contest.createdAt)}</span>,
    },
    {
      title: t('appealsStaff.contest.col.status'),
      key: 'status',
      width: 110,
      render: (_: unknown, r) => (
        <Tag
          color={
            r.contest.status === 'pending'
              ? 'processing'
              : r.contest.status === 'upheld'
                ? 'success'
                : 'default'
          }
          data-testid="contest-status"
        >
          {t(`appealsStaff.contest.status.${r.contest.status}`)}
        </Tag>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_: unknown, r) =>
        decides && r.contest.status === 'pending' && r.contest.staffId !== me.id ? (
          <Button size="small" type="primary" onClick={() => setDeciding(r)} data-testid="contest-decide">
            {t('appealsStaff.contest.decide')}
          </Button>
        ) : null,
    },
  ]

  return (
    <Card
      title={
        <Space>
          <FlagOutlined />
          {t('appealsStaff.contest.title')}
        </Space>
      }
      extra={
        <Space wrap>
          <Segmented<'pending' | 'decided'>
            value={status}
            onChange={setStatus}
            options={[
              { value: 'pending', label: t('appealsStaff.contest.status.pending') },
              { value: 'decided', label: t('appealsStaff.contest.decided') },
            ]}
            data-testid="contest-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
            {t('common.refresh')}
          </Button>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
      data-testid="contests-panel"
    >
      {error && !rows ? (
        <LoadError
          title={t('appealsStaff.contest.loadFailed')}
          error={error}
          onRetry={() => setReload((n) => n + 1)}
        />
      ) : phone ? (
        <CardList<ContestRow>
          rowKey={(r) => r.contest.id}
          columns={columns.filter((c) => c.key !== 'filed' && c.key !== 'link')}
          dataSource={rows ?? []}
          loading={!rows}
          onRow={(r) =>
            ({ 'data-testid': 'contest-row', 'data-contest': r.contest.id }) as HTMLAttributes<HTMLElement>
          }
          emptyText={<Empty description={t('appealsStaff.contest.empty')} />}
        />
      ) : (
        <Table<ContestRow>
          rowKey={(r) => r.contest.id}
          columns={columns}
          dataSource={rows ?? []}
          loading={!rows}
          size="middle"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(r) =>
            ({ 'data-testid': 'contest-row', 'data-contest': r.contest.id }) as HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty description={t('appealsStaff.contest.empty')} /> }}
        />
      )}
      {deciding && (
        <DecisionModal
          title={t('appealsStaff.contest.decideTitle', {
            name: deciding.link?.name ?? deciding.contest.staffName ?? '',
          })}
          hint={t(
            deciding.contest.subject === 'fact'
              ? 'appealsStaff.contest.decideFactHint'
              : 'appealsStaff.contest.decideHint',
          )}
          upheldLabel={t('appealsStaff.contest.uphold')}
          rejectedLabel={t('appealsStaff.contest.reject')}
          onClose={() => setDeciding(null)}
          onSubmit={async (input) => {
            try {
              await appealsApi.decideContest(deciding.contest.id, input)
              void message.success({
                content: t('appealsStaff.contest.decidedMessage'),
                key: 'contest-decided',
              })
              setReload((n) => n + 1)
              return true
            } catch (e) {
              if (e instanceof ApiError && e.status === 409) setReload((n) => n + 1)
              return false
            }
          }}
        />
      )}
    </Card>
  )
}

// ---- rectifications -------------------------------------------------------------------------------------

const STATUS_COLORS: Record<RectificationStatus, string> = {
  open: 'warning',
  called_back: 'processing',
  rectified: 'cyan',
  closed: 'success',
  void: 'default',
}

function rectStatusName(i18n: I18n, s: RectificationStatus): string {
  return RECTIFICATION_STATUS_NAMES[s][i18n.lang === 'en' ? 'en' : 'zh']
}

/** `2026-12-03 17:35` in Beijing time ↔ epoch ms. */
function beijingText(ms: number): string {
  return provinceIso(ms).slice(0, 16).replace('T', ' ')
}
function parseBeijing(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim())
  if (!m) return null
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`)
  return Number.isFinite(ms) ? ms : null
}

type RectAction = 'callback' | 'rectify' | 'contest'
/** The longest call-back summary, measures or contest reason the server takes. */
const MAX_STEP_TEXT = 2000

function RectificationActions({
  me,
  rect,
  onChanged,
}: {
  me: Me
  rect: RectificationDetail
  onChanged: (next: RectificationDetail | null) => void
}) {
  const { t } = useI18n()
  const { message } = AntApp.useApp()
  const department = rect.department?.id ?? null
  const actions: RectAction[] = []
  if (canHandleRectification(me, department) && rect.status === 'open') actions.push('callback')
  if (canHandleRectification(me, department) && rect.status === 'called_back') actions.push('rectify')
  if (
    canContestRating(me, department) &&
    rect.contest === null &&
    (rect.status === 'open' || rect.status === 'called_back')
  )
    actions.push('contest')
  const decides = rect.contest === 'pending' && canDecideRatingContest(me, rect.regionCode)
  const [action, setAction] = useState<RectAction | null>(null)
  const [text, setText] = useState('')
  // When the call took place: the platform's current minute (its clock may be manual) until edited.
  const now = useNow(30_000)
  const [calledAt, setCalledAt] = useState<string | null>(null)
  /** `true`: the text is missing; a string: what else is wrong (the call's time). */
  const [error, setError] = useState<boolean | string | null>(null)
  const [busy, setBusy] = useState(false)
  const [deciding, setDeciding] = useState(false)
  useEffect(() => {
    setAction(actions[0] ?? null)
    setText('')
    setError(null)
    // A new status (or contest) offers other steps: start with the first of them.
  }, [rect.status, rect.contest])

  if (actions.length === 0 && !decides) return null
  const run = async () => {
    if (!action) return
    const value = text.trim()
    if (!value) {
      setError(true)
      return
    }
    let when = 0
    if (action === 'callback') {
      // The field holds minutes: a call in the rating's own minute, or in this one, is clamped into
      // the span the server accepts (after the rating, not in the future).
      const parsed = parseBeijing(calledAt ?? beijingText(now))
      const current = platformNow()
      if (parsed === null || parsed > current || parsed + 60_000 <= rect.createdAt) {
        setError(t('appealsStaff.rect.calledAtInvalid'))
        return
      }
      when = Math.min(Math.max(parsed, rect.createdAt), current)
    }
    setBusy(true)
    try {
      const next =
        action === 'callback'
          ? await appealsApi.callBack(rect.id, { calledAt: when, summary: value })
          : action === 'rectify'
            ? await appealsApi.rectify(rect.id, value)
            : await appealsApi.contestRating(rect.id, value)
      void message.success({ content: t(`appealsStaff.rect.done.${action}`), key: 'rect-done' })
      onChanged(next)
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) onChanged(null)
    } finally {
      setBusy(false)
    }
  }
  const labels: Record<RectAction, MessageKey> = {
    callback: 'appealsStaff.rect.action.callback',
    rectify: 'appealsStaff.rect.action.rectify',
    contest: 'appealsStaff.rect.action.contest',
  }
  const fieldLabels: Record<RectAction, MessageKey> = {
    callback: 'appealsStaff.rect.summary',
    rectify: 'appealsStaff.rect.measures',
    contest: 'appealsStaff.rect.contestReason',
  }
  return (
    <Card size="small" title={t('appealsStaff.actions.title')} data-testid="rect-actions">
      {actions.length > 0 && action && (
        <Form layout="vertical">
          {actions.length > 1 && (
            <Form.Item>
              <Segmented<RectAction>
                value={action}
                onChange={(v) => {
                  setAction(v)
                  setError(null)
                }}
                options={actions.map((a) => ({ value: a, label: t(labels[a]) }))}
                data-testid="rect-action"
              />
            </Form.Item>
          )}
          {action === 'callback' && (
            <Form.Item label={t('appealsStaff.rect.calledAt')} help={t('appealsStaff.rect.calledAtHint')}>
              <Input
                value={calledAt ?? beijingText(now)}
                onChange={(e) => setCalledAt(e.target.value)}
                className="xzt-mono"
                style={{ maxWidth: 220 }}
                data-testid="rect-called-at"
              />
            </Form.Item>
          )}
          {action === 'contest' && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('appealsStaff.rect.contestHint')}
            />
          )}
          <ReasonField
            label={t(fieldLabels[action])}
            value={text}
            onChange={(v) => {
              setText(v)
              if (v.trim()) setError(null)
            }}
            onSubmit={() => void run()}
            error={error}
            maxLength={MAX_STEP_TEXT}
            testId="rect-text"
          />
          <Button
            type="primary"
            danger={action === 'contest'}
            loading={busy}
            onClick={() => void run()}
            data-testid="rect-submit"
          >
            {t(labels[action])}
          </Button>
        </Form>
      )}
      {decides && (
        <Button type="primary" onClick={() => setDeciding(true)} data-testid="rect-decide">
          {t('appealsStaff.rect.decide')}
        </Button>
      )}
      {deciding && (
        <DecisionModal
          title={t('appealsStaff.rect.decide')}
          hint={t('appealsStaff.rect.decideHint')}
          upheldLabel={t('appealsStaff.rect.uphold')}
          rejectedLabel={t('appealsStaff.rect.reject')}
          onClose={() => setDeciding(false)}
          onSubmit={async (input) => {
            try {
              onChanged(await appealsApi.decideRatingContest(rect.id, input))
              void message.success({ content: t('appealsStaff.contest.decidedMessage'), key: 'rect-decided' })
              return true
            } catch (e) {
              if (e instanceof ApiError && e.status === 409) onChanged(null)
              return false
            }
          }}
        />
      )}
    </Card>
  )
}

function RectificationDetailView({
  id,
  me,
  canAudit,
  matters,
  onChanged,
}: {
  id: string
  me: Me
  canAudit: boolean
  matters: Map<string, MatterSummary>
  onChanged: () => void
}) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const now = useNow(30_000)
  const checks = useLedgerChecks()
  const [rect, setRect] = useState<RectificationDetail | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    appealsApi.rectification(id, { signal: controller.signal, quiet: true }).then(setRect, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [id, reload])

  if (error)
    return (
      <LoadError
        title={t('appealsStaff.rect.loadFailed')}
        error={error}
        onRetry={() => setReload((n) => n + 1)}
      />
    )
  if (!rect) return <Skeleton active paragraph={{ rows: 10 }} />
  const matter = matters.get(rect.matterCode)
  return (
    <Space
      orientation="vertical"
      size={12}
      style={{ width: '100%' }}
      data-testid="rect-detail"
      data-status={rect.status}
    >
      <Descriptions
        size="small"
        bordered
        column={1}
        styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'status',
            label: t('appealsStaff.rect.col.status'),
            children: (
              <Space size={4} wrap>
                <Tag color={STATUS_COLORS[rect.status]}>{rectStatusName(i18n, rect.status)}</Tag>
                {rect.overdue && <Tag color="error">{t('appealsStaff.rect.overdue')}</Tag>}
                {rect.contest && <Tag>{t(`appealsStaff.rect.contest.${rect.contest}`)}</Tag>}
              </Space>
            ),
          },
          {
            key: 'matter',
            label: t('appealsStaff.rect.col.matter'),
            children: (
              <Space size={6} wrap>
                {matter ? matterName(i18n, matter) : t('appealsStaff.rect.matterUnknown')}
                <a {...linkProps(`/cases/${rect.caseId}`)} className="xzt-mono">
                  {rect.caseId.slice(0, 8)}
                </a>
              </Space>
            ),
          },
          {
            key: 'department',
            label: t('appealsStaff.field.department'),
            children: rect.department?.name ?? '—',
          },
          {
            key: 'rating',
            label: t('appealsStaff.rect.col.rating'),
            children: (
              <Space orientation="vertical" size={2}>
                <Space size={4} wrap>
                  <Tag color="error">{t('appealsStaff.rect.score', { n: rect.rating.score })}</Tag>
                  {rect.rating.tags.map((tag) => (
                    <Tag key={tag}>{ratingTagName(i18n, tag)}</Tag>
                  ))}
                  {rect.rating.excluded && <Tag color="success">{t('appealsStaff.rect.excluded')}</Tag>}
                </Space>
                {rect.rating.comment && <Typography.Text>{rect.rating.comment}</Typography.Text>}
              </Space>
            ),
          },
          {
            key: 'due',
            label: t('appealsStaff.rect.col.due'),
            children: (
              <Space size={4} wrap>
                {formatDateMinute(rect.dueAt)}
                {(rect.status === 'open' || rect.status === 'called_back') && (
                  <Countdown dueAt={rect.dueAt} now={now} />
                )}
                <Typography.Text type="secondary">{policyVersionName(t, rect.policy)}</Typography.Text>
              </Space>
            ),
          },
          ...(rect.escalatedTo.length > 0
            ? [
                {
                  key: 'escalated',
                  label: t('appealsStaff.rect.escalatedTo'),
                  children: rect.escalatedTo.map((p) => p.name).join('、'),
                },
              ]
            : []),
          ...(rect.satisfied !== null
            ? [
                {
                  key: 'satisfied',
                  label: t('appealsStaff.rect.satisfied'),
                  children: rect.satisfied
                    ? t('appealsStaff.rect.satisfiedYes')
                    : t('appealsStaff.rect.satisfiedNo'),
                },
              ]
            : []),
        ]}
      />
      <RectificationActions
        me={me}
        rect={rect}
        onChanged={(next) => {
          if (next) setRect(next)
          else setReload((n) => n + 1)
          onChanged()
        }}
      />
      <Card size="small" title={t('appealsStaff.timeline.title')}>
        <Timeline
          className="xzt-timeline"
          data-testid="rect-timeline"
          items={rect.timeline.map((s, i) => ({
            key: `${s.kind}-${i}`,
            color: s.kind === 'escalated' ? 'red' : s.kind === 'rectified' ? 'green' : 'blue',
            content: (
              <div className="xzt-step" data-testid="rect-step" data-kind={s.kind}>
                <div className="xzt-step-head">
                  <Typography.Text strong>{t(`appealsStaff.rect.step.${s.kind}`)}</Typography.Text>
                  {s.upheld !== null && (
                    <Tag color={s.upheld ? 'success' : 'default'}>
                      {s.upheld ? t('appealsStaff.rect.uphold') : t('appealsStaff.rect.reject')}
                    </Tag>
                  )}
                  {s.satisfied !== null && (
                    <Tag color={s.satisfied ? 'success' : 'error'}>
                      {s.satisfied ? t('appealsStaff.rect.satisfiedYes') : t('appealsStaff.rect.satisfiedNo')}
                    </Tag>
                  )}
                </div>
                <div className="xzt-step-meta">
                  <span>{formatDateMinute(s.at)}</span>
                  <span>{s.actor ? s.actor.name : t('audit.systemActor')}</span>
                  {s.calledAt !== null && (
                    <span>
                      {t('appealsStaff.rect.calledAt')}
                      {t('common.colon')}
                      {formatDateMinute(s.calledAt)}
                    </span>
                  )}
                </div>
                {s.text && <div className="xzt-step-comment">{s.text}</div>}
                {s.staff.length > 0 && (
                  <div className="xzt-step-comment">
                    {t('appealsStaff.rect.escalatedTo')}
                    {t('common.colon')}
                    {s.staff.map((p) => p.name).join('、')}
                  </div>
                )}
                <div className="xzt-step-tags">
                  <LedgerRefCheck
                    ledger={s.ledger}
                    state={checks.results.get(refKey(s.ledger))}
                    onCheck={(r) => void checks.check([r], true)}
                    canAudit={canAudit}
                  />
                </div>
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  )
}

function RectificationsPanel({ me, canAudit }: { me: Me; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const now = useNow(30_000)
  const phone = usePhone()
  const [status, setStatus] = useState<RectificationStatus | undefined>(undefined)
  const [overdueOnly, setOverdueOnly] = useState(false)
  const [list, setList] = useState<{ items: RectificationView[]; total: number } | null>(null)
  const [matters, setMatters] = useState<Map<string, MatterSummary>>(new Map())
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [opened, setOpened] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    appealsApi
      .rectifications({ status, overdue: overdueOnly ? true : undefined, limit: 200 }, o)
      .then(setList, (e: unknown) => {
        if (!controller.signal.aborted) setError(e)
      })
    return () => controller.abort()
  }, [status, overdueOnly, reload])
  useEffect(() => {
    const controller = new AbortController()
    api.matters({ signal: controller.signal, quiet: true }).then(
      (m) => setMatters(new Map(m.map((x) => [x.code, x]))),
      () => undefined,
    )
    return () => controller.abort()
  }, [])

  const sorted = useMemo(
    () => [...(list?.items ?? [])].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt),
    [list],
  )
  const columns: TableColumnsType<RectificationView> = [
    {
      title: t('appealsStaff.rect.col.matter'),
      key: 'matter',
      render: (_: unknown, r) => {
        const m = matters.get(r.matterCode)
        return (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>
              {m ? matterName(i18n, m) : t('appealsStaff.rect.matterUnknown')}
            </Typography.Text>
            <Typography.Text type="secondary">{r.department?.name ?? '—'}</Typography.Text>
          </Space>
        )
      },
    },
    {
      title: t('appealsStaff.rect.col.rating'),
      key: 'rating',
      width: 200,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag color="error">{t('appealsStaff.rect.score', { n: r.rating.score })}</Tag>
          {r.rating.tags.slice(0, 2).map((tag) => (
            <Tag key={tag}>{ratingTagName(i18n, tag)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('appealsStaff.rect.col.status'),
      key: 'status',
      width: 170,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLORS[r.status]} data-testid="rect-status">
            {rectStatusName(i18n, r.status)}
          </Tag>
          {r.overdue && <Tag color="error">{t('appealsStaff.rect.overdue')}</Tag>}
          {r.contest === 'pending' && <Tag color="processing">{t('appealsStaff.rect.contest.pending')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('appealsStaff.rect.col.due'),
      key: 'due',
      width: 190,
      render: (_: unknown, r) =>
        r.status === 'open' || r.status === 'called_back' ? (
          <Countdown dueAt={r.dueAt} now={now} />
        ) : (
          <span className="xzt-nowrap">{formatDateMinute(r.dueAt)}</span>
        ),
    },
    {
      title: t('appealsStaff.rect.col.opened'),
      key: 'opened',
      width: 150,
      responsive: ['xl'],
      render: (_: unknown, r) => <span className="xzt-nowrap">{formatDateMinute(r.createdAt)}</span>,
    },
  ]
  const rowProps = (r: RectificationView) =>
    ({
      onClick: () => setOpened(r.id),
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key === 'Enter') setOpened(r.id)
      },
      tabIndex: 0,
      'data-testid': 'rect-row',
      'data-rect': r.id,
    }) as HTMLAttributes<HTMLElement>
  const rowClass = (r: RectificationView) =>
    `xzt-clickable-row ${r.overdue ? 'xzt-due-late' : r.status === 'open' || r.status === 'called_back' ? 'xzt-due-soon' : 'xzt-due-ok'}`

  return (
    <Card
      title={
        <Space>
          <ToolOutlined />
          {t('appealsStaff.rect.title')}
          {list && <Typography.Text type="secondary">{t('common.total', { n: list.total })}</Typography.Text>}
        </Space>
      }
      extra={
        <Space wrap>
          <Select<RectificationStatus>
            allowClear
            placeholder={t('appealsStaff.rect.allStatuses')}
            value={status}
            onChange={setStatus}
            options={RECTIFICATION_STATUSES.map((s) => ({ value: s, label: rectStatusName(i18n, s) }))}
            className="xzt-filter-select"
            data-testid="rect-filter-status"
          />
          <Segmented<'all' | 'overdue'>
            value={overdueOnly ? 'overdue' : 'all'}
            onChange={(v) => setOverdueOnly(v === 'overdue')}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'overdue', label: t('appealsStaff.rect.overdue') },
            ]}
          />
          <Button icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
            {t('common.refresh')}
          </Button>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
      data-testid="rects-panel"
    >
      {error && !list ? (
        <LoadError
          title={t('appealsStaff.rect.loadFailed')}
          error={error}
          onRetry={() => setReload((n) => n + 1)}
        />
      ) : phone ? (
        <CardList<RectificationView>
          rowKey={(r) => r.id}
          columns={columns.filter((c) => c.key !== 'opened')}
          dataSource={sorted}
          loading={!list}
          rowClassName={rowClass}
          onRow={rowProps}
          emptyText={<Empty description={t('appealsStaff.rect.empty')} />}
        />
      ) : (
        <Table<RectificationView>
          rowKey="id"
          columns={columns}
          dataSource={sorted}
          loading={!list}
          size="middle"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          rowClassName={rowClass}
          onRow={rowProps}
          locale={{ emptyText: <Empty description={t('appealsStaff.rect.empty')} /> }}
        />
      )}
      <Drawer
        open={opened !== null}
        onClose={() => setOpened(null)}
        size={phone ? '100%' : 720}
        title={t('appealsStaff.rect.detailTitle')}
        destroyOnHidden
      >
        {opened && (
          <RectificationDetailView
            key={opened}
            id={opened}
            me={me}
            canAudit={canAudit}
            matters={matters}
            onChanged={() => setReload((n) => n + 1)}
          />
        )}
      </Drawer>
    </Card>
  )
}

export function AppealReviewsPage({ me, canAudit }: { me: Me; canAudit: boolean }) {
  const { t } = useI18n()
  const [tab, setTab] = useState<ReviewTab>(initialTab)
  const [pending, setPending] = useState<number | null>(null)
  const countPending = useCallback(() => {
    appealsApi.contests('pending', { quiet: true }).then(
      (list) => setPending(list.filter((c) => c.staffId !== me.id).length),
      () => setPending(null),
    )
  }, [me.id])
  useEffect(countPending, [countPending])
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="reviews-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-text">
          <Typography.Title level={4} className="xzt-page-title">
            <AuditOutlined /> {t('appealsStaff.reviews.title')}
            {me.departmentName && (
              <Typography.Text type="secondary" className="xzt-page-title-sub">
                {me.departmentName}
              </Typography.Text>
            )}
          </Typography.Title>
          <Typography.Text type="secondary">{t('appealsStaff.reviews.intro')}</Typography.Text>
        </div>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key as ReviewTab)
          navigate(`/appeal-reviews?tab=${key}`, { replace: true, keepScroll: true })
        }}
        items={[
          {
            key: 'contests',
            label: (
              <span data-testid="tab-contests">
                <FlagOutlined /> {t('appealsStaff.contest.title')}{' '}
                <Badge count={pending ?? 0} overflowCount={99} />
              </span>
            ),
            children: <ContestsPanel me={me} />,
          },
          {
            key: 'rectifications',
            label: (
              <span data-testid="tab-rectifications">
                <ToolOutlined /> {t('appealsStaff.rect.title')}
              </span>
            ),
            children: <RectificationsPanel me={me} canAudit={canAudit} />,
          },
        ]}
      />
    </Space>
  )
}
