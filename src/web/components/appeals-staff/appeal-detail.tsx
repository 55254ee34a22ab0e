/**
 * One appeal as its handlers work it: what it is about and who raised it (a caller's contact, for the
 * handling department and the operator who took the call), where it went and by which rule, both
 * deadlines with their working-day countdowns, the handling actions the caller may take now (accept;
 * return as not ours, with a reason; answer; resolve; merge a duplicate), its escalations, the timeline
 * with every step's ledger position (checkable here), and its responsibility chain.
 * @module
 */
import { useCallback, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import {
  CheckOutlined,
  FileDoneOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  PhoneOutlined,
  RiseOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
  SmileOutlined,
} from '@ant-design/icons'
import type { AppealStepView, Me } from '../../../shared/api.js'
import { APPEAL_SATISFACTIONS } from '../../../shared/domain.js'
import type { AppealSatisfaction } from '../../../shared/domain.js'
import { ApiError } from '../../api.js'
import { appealsApi } from '../../appeals-api.js'
import type { AppealView } from '../../appeals-api.js'
import { useI18n } from '../../i18n.js'
import { canVerifyHere } from '../../ledger-verify.js'
import { linkProps } from '../../router.js'
import { usePhone } from '../../responsive.js'
import { Countdown, useNow } from '../cases/case-common.js'
import { LoadError } from '../load-error.js'
import { ReasonField } from '../reason-field.js'
import { ChainCard } from './chain-card.js'
import {
  AppealStatusTag,
  KindTag,
  RuleName,
  Shortcut,
  categoryName,
  channelName,
  policyVersionName,
  satisfactionName,
  usePolicy,
} from './labels.js'
import { LedgerRefCheck, refKey, useLedgerChecks } from './ledger-check.js'

type Checks = ReturnType<typeof useLedgerChecks>

/** A deadline with its countdown while it runs, or when it was met. */
function Deadline({ dueAt, doneAt, now }: { dueAt: number; doneAt: number | null; now: number }) {
  const { t, formatDateMinute } = useI18n()
  return (
    <Space size={6} wrap>
      <span className="xzt-nowrap">{formatDateMinute(dueAt)}</span>
      {doneAt === null ? (
        <Countdown dueAt={dueAt} now={now} />
      ) : (
        <Tag color={doneAt <= dueAt ? 'success' : 'error'}>
          {doneAt <= dueAt ? t('sla.doneOnTime') : t('sla.doneLate')}
        </Tag>
      )}
    </Space>
  )
}

function StepBody({ step, appeal }: { step: AppealStepView; appeal: AppealView }) {
  const i18n = useI18n()
  const { t } = i18n
  const routing = usePolicy(
    typeof step.data.routingPolicy === 'string' ? step.data.routingPolicy : appeal.routing.policy,
  )
  const line = (label: string, value: ReactNode) => (
    <div className="xzt-step-comment">
      <Typography.Text type="secondary">
        {label}
        {t('common.colon')}
      </Typography.Text>
      {value}
    </div>
  )
  const text = (v: unknown) => (typeof v === 'string' ? v : '')
  const department = (d: AppealStepView['department']) =>
    d?.name || t('appealsStaff.timeline.anotherDepartment')
  switch (step.type) {
    case 'appeal.filed':
      return (
        <>
          {line(t('appealsStaff.timeline.routedTo'), department(step.department))}
          {typeof step.data.rule === 'string' &&
            line(t('appealsStaff.timeline.rule'), <RuleName policy={routing} ruleId={step.data.rule} />)}
        </>
      )
    case 'appeal.returned':
      return (
        <>
          {line(t('appealsStaff.timeline.returnReason'), text(step.data.reason))}
          {line(t('appealsStaff.timeline.reroutedTo'), department(step.department))}
          {typeof step.data.rule === 'string' &&
            line(t('appealsStaff.timeline.rule'), <RuleName policy={routing} ruleId={step.data.rule} />)}
        </>
      )
    case 'appeal.responded':
      return line(t('appealsStaff.timeline.response'), text(step.data.text))
    case 'appeal.resolved':
      return line(t('appealsStaff.timeline.resolution'), text(step.data.text))
    case 'appeal.rated': {
      const s = step.data.satisfaction
      return (
        <>
          {line(
            t('appealsStaff.timeline.satisfaction'),
            <Space size={4}>
              {APPEAL_SATISFACTIONS.includes(s as AppealSatisfaction) && (
                <Tag color={s === 'dissatisfied' ? 'error' : 'success'}>
                  {satisfactionName(t, s as AppealSatisfaction)}
                </Tag>
              )}
              {step.data.reopened === true && (
                <Tag color="warning">{t('appealsStaff.timeline.reopened')}</Tag>
              )}
            </Space>,
          )}
          {text(step.data.comment) && line(t('appealsStaff.timeline.comment'), text(step.data.comment))}
        </>
      )
    }
    case 'appeal.merged':
      return line(
        t('appealsStaff.timeline.mergedInto'),
        <a {...linkProps(`/appeal-desk/${text(step.data.into)}`)} className="xzt-mono">
          {text(step.data.into).slice(0, 8)}
        </a>,
      )
    default:
      return null
  }
}

function AppealTimeline({
  appeal,
  checks,
  canAudit,
}: {
  appeal: AppealView
  checks: Checks
  canAudit: boolean
}) {
  const { t, formatDateMinute, eventTypeName } = useI18n()
  return (
    <Timeline
      className="xzt-timeline"
      data-testid="appeal-timeline"
      items={appeal.timeline.map((step, i) => ({
        key: `${step.type}-${i}`,
        color:
          step.type === 'appeal.returned' ? 'orange' : step.type === 'appeal.resolved' ? 'green' : 'blue',
        content: (
          <div className="xzt-step" data-testid="appeal-step" data-type={step.type}>
            <div className="xzt-step-head">
              <Typography.Text strong className="xzt-step-name">
                {eventTypeName(step.type)}
              </Typography.Text>
            </div>
            <div className="xzt-step-meta">
              <span>{formatDateMinute(step.at)}</span>
              <span>
                <Typography.Text type="secondary">
                  {t('appealsStaff.timeline.actor')}
                  {t('common.colon')}
                </Typography.Text>
                {step.actor.id === 'system' ? t('audit.systemActor') : step.actor.name}
              </span>
            </div>
            <StepBody step={step} appeal={appeal} />
            <div className="xzt-step-tags">
              <LedgerRefCheck
                ledger={step.ledger}
                state={checks.results.get(refKey(step.ledger))}
                onCheck={(r) => void checks.check([r], true)}
                canAudit={canAudit}
              />
            </div>
          </div>
        ),
      }))}
    />
  )
}

type TextAction = 'respond' | 'resolve'

function ActionsCard({
  appeal,
  onChanged,
  onGone,
}: {
  appeal: AppealView
  onChanged: (next: AppealView | null) => void
  /** The appeal left the caller's reach (returned to be routed elsewhere). */
  onGone: () => void
}) {
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [text, setText] = useState('')
  const [textError, setTextError] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const [returning, setReturning] = useState(false)
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState(false)
  const can = (a: AppealView['actions'][number]) => appeal.actions.includes(a)

  const run = async (name: string, call: () => Promise<AppealView>, done: string) => {
    setBusy(name)
    try {
      const next = await call()
      void message.success({ content: done, key: `appeal-${name}` })
      setText('')
      onChanged(next)
      return true
    } catch (e) {
      // The global notifier shows the error; a conflict means the appeal moved on: show it as it is now.
      if (e instanceof ApiError && e.status === 409) onChanged(null)
      return false
    } finally {
      setBusy(null)
    }
  }
  const textAction = (action: TextAction) => {
    const value = text.trim()
    if (!value) {
      setTextError(true)
      return
    }
    void run(
      action,
      () =>
        action === 'respond' ? appealsApi.respond(appeal.id, value) : appealsApi.resolve(appeal.id, value),
      t(action === 'respond' ? 'appealsStaff.done.respond' : 'appealsStaff.done.resolve'),
    )
  }
  const submitReturn = async () => {
    const value = reason.trim()
    if (!value) {
      setReasonError(true)
      return
    }
    setBusy('return')
    try {
      const returned = await appealsApi.return(appeal.id, value, { quiet: true })
      setReturning(false)
      setReason('')
      if (returned.department.id !== appeal.department.id) {
        // Routed to another department: it leaves this desk (the returning department may still
        // look it up, but it is no longer theirs to handle).
        void message.success({ content: t('appealsStaff.done.returnedAway'), key: 'appeal-return' })
        onGone()
      } else {
        onChanged(returned)
        void message.success({ content: t('appealsStaff.done.return'), key: 'appeal-return' })
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        // A department that may not read the appeal once it has gone elsewhere: the return worked.
        setReturning(false)
        void message.success({ content: t('appealsStaff.done.returnedAway'), key: 'appeal-return' })
        onGone()
      } else if (e instanceof ApiError) {
        void message.error({ content: describeError(e), key: 'appeal-return' })
        if (e.status === 409) onChanged(null)
      }
    } finally {
      setBusy(null)
    }
  }
  const writes = can('respond') || can('resolve')
  if (!can('accept') && !can('return') && !writes) return null

  return (
    <Card title={t('appealsStaff.actions.title')} size="small" data-testid="appeal-actions">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {appeal.status === 'dispatched' && (
          <Alert type="info" showIcon title={t('appealsStaff.actions.dispatchedHint')} />
        )}
        {writes && (
          <Form layout="vertical">
            <Form.Item
              label={
                can('respond') ? t('appealsStaff.actions.textRespond') : t('appealsStaff.actions.textResolve')
              }
              validateStatus={textError ? 'error' : undefined}
              help={
                textError ? (
                  t('appealsStaff.actions.textRequired')
                ) : (
                  <Shortcut what={t('appealsStaff.actions.ctrlEnter')} />
                )
              }
              style={{ marginBottom: 0 }}
            >
              <Input.TextArea
                rows={4}
                maxLength={4000}
                showCount
                value={text}
                onChange={(e) => {
                  setText(e.target.value)
                  if (e.target.value.trim()) setTextError(false)
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
                    textAction(can('respond') ? 'respond' : 'resolve')
                }}
                placeholder={t('appealsStaff.actions.textPlaceholder')}
                data-testid="appeal-text"
              />
            </Form.Item>
          </Form>
        )}
        <div className="xzt-decision-buttons">
          {can('accept') && (
            <Popconfirm
              title={t('appealsStaff.actions.acceptConfirm')}
              description={t('appealsStaff.actions.acceptHint')}
              okText={t('appealsStaff.actions.accept')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                void run('accept', () => appealsApi.accept(appeal.id), t('appealsStaff.done.accept'))
              }
              okButtonProps={{ 'data-testid': 'appeal-accept-confirm' }}
            >
              <Button
                type="primary"
                icon={<CheckOutlined />}
                loading={busy === 'accept'}
                disabled={busy !== null}
                data-testid="appeal-accept"
              >
                {t('appealsStaff.actions.accept')}
              </Button>
            </Popconfirm>
          )}
          {can('respond') && (
            <Button
              type="primary"
              icon={<MessageOutlined />}
              loading={busy === 'respond'}
              disabled={busy !== null}
              onClick={() => textAction('respond')}
              data-testid="appeal-respond"
            >
              {t('appealsStaff.actions.respond')}
            </Button>
          )}
          {can('resolve') && (
            <Popconfirm
              title={t('appealsStaff.actions.resolveConfirm')}
              description={t('appealsStaff.actions.resolveHint')}
              okText={t('appealsStaff.actions.resolve')}
              cancelText={t('common.cancel')}
              disabled={!text.trim()}
              onConfirm={() => textAction('resolve')}
            >
              <Button
                icon={<FileDoneOutlined />}
                loading={busy === 'resolve'}
                disabled={busy !== null}
                onClick={() => {
                  if (!text.trim()) setTextError(true)
                }}
                data-testid="appeal-resolve"
              >
                {t('appealsStaff.actions.resolve')}
              </Button>
            </Popconfirm>
          )}
          {can('return') && (
            <Button
              danger
              icon={<RollbackOutlined />}
              disabled={busy !== null}
              onClick={() => setReturning(true)}
              data-testid="appeal-return"
            >
              {t('appealsStaff.actions.return')}
            </Button>
          )}
        </div>
      </Space>
      <Modal
        open={returning}
        title={t('appealsStaff.actions.returnTitle')}
        okText={t('appealsStaff.actions.return')}
        okButtonProps={{ danger: true, 'data-testid': 'appeal-return-confirm' }}
        cancelText={t('common.cancel')}
        confirmLoading={busy === 'return'}
        onOk={() => void submitReturn()}
        onCancel={() => setReturning(false)}
      >
        <Typography.Paragraph type="secondary">{t('appealsStaff.actions.returnHint')}</Typography.Paragraph>
        <Form layout="vertical">
          <ReasonField
            label={t('appealsStaff.actions.returnReason')}
            value={reason}
            onChange={(v) => {
              setReason(v)
              if (v.trim()) setReasonError(false)
            }}
            onSubmit={() => void submitReturn()}
            error={reasonError}
            autoFocus
            testId="appeal-return-reason"
          />
        </Form>
      </Modal>
    </Card>
  )
}

function Duplicates({
  appeal,
  onChanged,
}: {
  appeal: AppealView
  onChanged: (next: AppealView | null) => void
}) {
  const { t, formatDateMinute, formatNumber } = useI18n()
  const { message } = AntApp.useApp()
  const [busy, setBusy] = useState<string | null>(null)
  if (appeal.duplicates.length === 0) return null
  const merge = async (into: string) => {
    setBusy(into)
    try {
      onChanged(await appealsApi.merge(appeal.id, into))
      void message.success({ content: t('appealsStaff.done.merge'), key: 'appeal-merge' })
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) onChanged(null)
    } finally {
      setBusy(null)
    }
  }
  return (
    <Card
      size="small"
      title={
        <Space>
          <MergeCellsOutlined />
          {t('appealsStaff.duplicates.title', { n: appeal.duplicates.length })}
        </Space>
      }
      data-testid="appeal-duplicates"
    >
      <Typography.Paragraph type="secondary">{t('appealsStaff.duplicates.hint')}</Typography.Paragraph>
      <List
        size="small"
        dataSource={appeal.duplicates}
        renderItem={(d) => (
          <List.Item
            actions={
              appeal.actions.includes('merge')
                ? [
                    <Popconfirm
                      key="merge"
                      title={t('appealsStaff.duplicates.confirm')}
                      description={t('appealsStaff.duplicates.confirmHint')}
                      okText={t('appealsStaff.duplicates.merge')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => void merge(d.id)}
                    >
                      <Button size="small" loading={busy === d.id} data-testid="duplicate-merge">
                        {t('appealsStaff.duplicates.merge')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Space size={8} wrap>
              <a {...linkProps(`/appeal-desk/${d.id}`)} className="xzt-mono">
                {d.id.slice(0, 8)}
              </a>
              <AppealStatusTag status={d.status} />
              <span>{formatDateMinute(d.createdAt)}</span>
              <Typography.Text type="secondary">
                {d.distance === null
                  ? t('appealsStaff.duplicates.sameStreet')
                  : t('appealsStaff.duplicates.distance', { m: formatNumber(d.distance) })}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  )
}

function Escalations({
  appeal,
  checks,
  canAudit,
}: {
  appeal: AppealView
  checks: Checks
  canAudit: boolean
}) {
  const { t, formatDateMinute } = useI18n()
  if (appeal.escalations.length === 0) return null
  return (
    <Card
      size="small"
      title={
        <Space>
          <RiseOutlined />
          {t('appealsStaff.escalations.title', { n: appeal.escalations.length })}
        </Space>
      }
      data-testid="appeal-escalations"
    >
      <List
        size="small"
        dataSource={appeal.escalations}
        renderItem={(e) => (
          <List.Item>
            <Space orientation="vertical" size={2}>
              <Space size={6} wrap>
                <Tag color="error">{t(`appealsStaff.escalations.stage.${e.stage}`)}</Tag>
                <span>{t(`appealsStaff.escalations.level.${e.level}`)}</span>
                <span>{e.to.map((p) => p.name).join('、') || t('common.none')}</span>
                <Typography.Text type="secondary">{formatDateMinute(e.at)}</Typography.Text>
              </Space>
              <Space size={6} wrap>
                <Typography.Text type="secondary">{policyVersionName(t, e.policy)}</Typography.Text>
                <LedgerRefCheck
                  ledger={e.ledger}
                  state={checks.results.get(refKey(e.ledger))}
                  onCheck={(r) => void checks.check([r], true)}
                  canAudit={canAudit}
                />
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  )
}

/** The operator's call-back: the caller's satisfaction with a resolved appeal they phoned in. */
export function RateModal({
  appealId,
  onClose,
  onDone,
}: {
  appealId: string
  onClose: () => void
  onDone: (next: AppealView) => void
}) {
  const { t } = useI18n()
  const { message } = AntApp.useApp()
  const [value, setValue] = useState<AppealSatisfaction | null>(null)
  const [comment, setComment] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    if (!value) return
    setBusy(true)
    try {
      const next = await appealsApi.rate(appealId, value, comment.trim() || undefined)
      void message.success({ content: t('appealsStaff.done.rate'), key: 'appeal-rate' })
      onDone(next)
    } catch {
      // Shown by the global error notifier.
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      open
      title={t('appealsStaff.rate.title')}
      okText={t('appealsStaff.rate.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !value, 'data-testid': 'rate-submit' }}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('appealsStaff.rate.hint')}</Typography.Paragraph>
      <Radio.Group
        optionType="button"
        buttonStyle="solid"
        value={value}
        onChange={(e) => setValue(e.target.value as AppealSatisfaction)}
        options={APPEAL_SATISFACTIONS.map((s) => ({ value: s, label: satisfactionName(t, s) }))}
        data-testid="rate-options"
      />
      {value === 'dissatisfied' && (
        <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('appealsStaff.rate.reopenHint')} />
      )}
      <Input.TextArea
        rows={3}
        maxLength={1000}
        style={{ marginTop: 12 }}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder={t('appealsStaff.rate.comment')}
        data-testid="rate-comment"
      />
    </Modal>
  )
}

/** The whole appeal: loads it, and reloads after every action. */
export function AppealDetail({
  id,
  me,
  canAudit,
  onChanged,
  onClose,
}: {
  id: string
  me: Me
  canAudit: boolean
  /** The appeal changed (the list behind refreshes). */
  onChanged: () => void
  /** Close the detail (the appeal went to another department). */
  onClose: () => void
}) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const now = useNow(30_000)
  const phone = usePhone()
  const [appeal, setAppeal] = useState<AppealView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [rating, setRating] = useState(false)
  const checks = useLedgerChecks()
  const routing = usePolicy(appeal?.routing.policy)

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    appealsApi.get(id, { signal: controller.signal, quiet: true }).then(setAppeal, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [id, reload])

  const changed = useCallback(
    (next: AppealView | null) => {
      if (next) setAppeal(next)
      setReload((n) => n + 1)
      onChanged()
    },
    [onChanged],
  )

  if (error)
    return (
      <LoadError title={t('appealsStaff.loadFailed')} error={error} onRetry={() => setReload((n) => n + 1)} />
    )
  if (!appeal || appeal.id !== id) return <Skeleton active paragraph={{ rows: 12 }} />

  const contact = appeal.contact && (appeal.contact.name || appeal.contact.phone)
  const details = (
    <Descriptions
      size="small"
      bordered
      column={1}
      styles={{ label: { width: phone ? 96 : 120, whiteSpace: 'nowrap' } }}
      data-testid="appeal-details"
      items={[
        {
          key: 'text',
          label: t('appealsStaff.field.text'),
          children: (
            <Typography.Paragraph className="xzt-appeal-text">{appeal.text || '—'}</Typography.Paragraph>
          ),
        },
        {
          key: 'place',
          label: t('appealsStaff.field.place'),
          children: (
            <Space size={6} wrap>
              {appeal.regionName}
              {appeal.location && (
                <Typography.Text type="secondary" className="xzt-mono">
                  {appeal.location.lat.toFixed(5)}, {appeal.location.lng.toFixed(5)}
                </Typography.Text>
              )}
            </Space>
          ),
        },
        ...(appeal.caseId
          ? [
              {
                key: 'case',
                label: t('appealsStaff.field.case'),
                children: (
                  <a {...linkProps(`/cases/${appeal.caseId}`)} className="xzt-mono">
                    {appeal.caseId}
                  </a>
                ),
              },
            ]
          : []),
        ...(contact
          ? [
              {
                key: 'contact',
                label: t('appealsStaff.field.contact'),
                children: (
                  <Space size={8} wrap data-testid="appeal-contact">
                    {appeal.contact?.name && <span>{appeal.contact.name}</span>}
                    {appeal.contact?.phone && (
                      <a href={`tel:${appeal.contact.phone}`} className="xzt-mono">
                        <PhoneOutlined /> {appeal.contact.phone}
                      </a>
                    )}
                  </Space>
                ),
              },
            ]
          : []),
        {
          key: 'department',
          label: t('appealsStaff.field.department'),
          children: <span data-testid="appeal-department">{appeal.department.name}</span>,
        },
        {
          key: 'handler',
          label: t('appealsStaff.field.handler'),
          children: appeal.handler ? appeal.handler.name : t('appealsStaff.noHandler'),
        },
        {
          key: 'rule',
          label: t('appealsStaff.field.rule'),
          children: (
            <Space size={6} wrap>
              <RuleName policy={routing} ruleId={appeal.routing.rule} testId="appeal-rule" />
              <Tag>{policyVersionName(t, appeal.routing.policy)}</Tag>
            </Space>
          ),
        },
        {
          key: 'respond',
          label: t('appealsStaff.field.respondDue'),
          children: <Deadline dueAt={appeal.respondDueAt} doneAt={appeal.respondedAt} now={now} />,
        },
        {
          key: 'resolve',
          label: t('appealsStaff.field.resolveDue'),
          children: <Deadline dueAt={appeal.resolveDueAt} doneAt={appeal.resolvedAt} now={now} />,
        },
        ...(appeal.response
          ? [{ key: 'response', label: t('appealsStaff.field.response'), children: appeal.response }]
          : []),
        ...(appeal.resolution
          ? [{ key: 'resolution', label: t('appealsStaff.field.resolution'), children: appeal.resolution }]
          : []),
        ...(appeal.satisfaction
          ? [
              {
                key: 'satisfaction',
                label: t('appealsStaff.field.satisfaction'),
                children: satisfactionName(t, appeal.satisfaction),
              },
            ]
          : []),
      ]}
    />
  )

  return (
    <div data-testid="appeal-detail" data-appeal={appeal.id} data-status={appeal.status}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space size={6} wrap>
          <KindTag kind={appeal.kind} />
          <Typography.Text strong>{categoryName(i18n, appeal.category)}</Typography.Text>
          <AppealStatusTag status={appeal.status} testId="appeal-status" />
          <Tag>{channelName(t, appeal.channel)}</Tag>
          {appeal.round > 1 && <Tag color="warning">{t('appealsStaff.round', { n: appeal.round })}</Tag>}
          <Typography.Text type="secondary">{formatDateMinute(appeal.createdAt)}</Typography.Text>
          <Typography.Text className="xzt-mono" type="secondary" copyable={{ text: appeal.id }}>
            {appeal.id.slice(0, 8)}
          </Typography.Text>
        </Space>
        {appeal.mergedInto && (
          <Alert
            type="info"
            showIcon
            title={
              <span>
                {t('appealsStaff.mergedInto')}{' '}
                <a {...linkProps(`/appeal-desk/${appeal.mergedInto}`)} className="xzt-mono">
                  {appeal.mergedInto.slice(0, 8)}
                </a>
              </span>
            }
          />
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={13}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {details}
              <ActionsCard
                appeal={appeal}
                onChanged={changed}
                onGone={() => {
                  onChanged()
                  onClose()
                }}
              />
              {appeal.actions.includes('rate') && (
                <Button icon={<SmileOutlined />} onClick={() => setRating(true)} data-testid="appeal-rate">
                  {t('appealsStaff.rate.open')}
                </Button>
              )}
              <Duplicates appeal={appeal} onChanged={changed} />
              <Escalations appeal={appeal} checks={checks} canAudit={canAudit} />
              <Card
                size="small"
                title={t('appealsStaff.timeline.title')}
                extra={
                  <Button
                    size="small"
                    icon={<SafetyCertificateOutlined />}
                    disabled={!canVerifyHere()}
                    onClick={() =>
                      void checks.check(
                        [...appeal.timeline.map((s) => s.ledger), ...appeal.escalations.map((e) => e.ledger)],
                        true,
                      )
                    }
                    data-testid="timeline-verify"
                  >
                    {t('appealsStaff.timeline.verify')}
                  </Button>
                }
              >
                {appeal.timeline.length === 0 ? (
                  <Empty />
                ) : (
                  <AppealTimeline appeal={appeal} checks={checks} canAudit={canAudit} />
                )}
              </Card>
            </Space>
          </Col>
          <Col xs={24} xl={11}>
            <ChainCard appealId={appeal.id} me={me} canAudit={canAudit} reload={reload} checks={checks} />
          </Col>
        </Row>
      </Space>
      {rating && (
        <RateModal
          appealId={appeal.id}
          onClose={() => setRating(false)}
          onDone={(next) => {
            setRating(false)
            changed(next)
          }}
        />
      )}
    </div>
  )
}
