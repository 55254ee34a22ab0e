/**
 * Building blocks of the case pages (citizen and workbench): status, outcome and SLA tags, the
 * working-day countdown to a due time, ledger positions, and the timeline of a case.
 */
import { useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { Space, Tag, Timeline, Tooltip, Typography } from 'antd'
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  FileDoneOutlined,
  MinusCircleOutlined,
  PaperClipOutlined,
  SafetyCertificateOutlined,
  SyncOutlined,
} from '@ant-design/icons'
import type { DepartmentKind } from '../../../shared/domain.js'
import { api } from '../../api.js'
import type { CaseStatus, CaseView, TimelineStep } from '../../api.js'
import { useI18n } from '../../i18n.js'
import type { I18n, MessageKey } from '../../i18n.js'
import { linkProps } from '../../router.js'
import { fieldLabel, schemaAt } from '../../forms.js'
import type { JsonSchema } from '../../forms.js'

/**
 * How far the platform's clock is ahead of the browser's. Deadlines are the platform's, and in demos and
 * tests its clock is manual (it moves only when an administrator advances it), so a countdown from the
 * browser's clock alone would show "2 working days left" on a case a month overdue. Read on first use
 * and again at most every 5 minutes; 0 until known, or when the clock cannot be read.
 */
let clockOffset = 0
let clockRead: Promise<void> | null = null
let clockReadAt = 0
const CLOCK_REREAD_MS = 5 * 60_000

function readClock(): Promise<void> {
  if (!clockRead || Date.now() - clockReadAt > CLOCK_REREAD_MS) {
    clockReadAt = Date.now()
    clockRead = api.clock({ quiet: true, allowUnauthenticated: true }).then(
      (c) => {
        clockOffset = c.now - Date.now()
      },
      () => undefined,
    )
  }
  return clockRead
}

/**
 * The platform's current time, as far as it is known now (the browser's until the clock is first read):
 * for a value taken once, in an event handler (a default time, a check before sending). Starts a read
 * of the clock when the last one is stale. What renders the time uses `useNow`, which follows it.
 */
export function platformNow(): number {
  void readClock()
  return Date.now() + clockOffset
}

/** The platform's current time, re-read every `intervalMs` (countdowns). */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now() + clockOffset)
  useEffect(() => {
    let live = true
    const tick = () => {
      if (live) setNow(Date.now() + clockOffset)
    }
    void readClock().then(tick)
    const timer = window.setInterval(() => {
      tick()
      void readClock().then(tick)
    }, intervalMs)
    return () => {
      live = false
      window.clearInterval(timer)
    }
  }, [intervalMs])
  return now
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Time limits are counted in Beijing time (UTC+8), like the server's working-day calendar. */
const BEIJING = 8 * HOUR

/** Day number (days since the epoch) of an instant's Beijing date. */
function beijingDay(ms: number): number {
  return Math.floor((ms + BEIJING) / DAY)
}

/** Monday to Friday (day 0 of the epoch was a Thursday). Holidays are left to the server's calendar. */
function isWeekday(day: number): boolean {
  const dow = (day + 4) % 7 // 0 = Sunday
  return dow !== 0 && dow !== 6
}

/** Working days (Mon–Fri) after `from`'s date up to and including `to`'s date. */
export function workingDaysBetween(from: number, to: number): number {
  let n = 0
  for (let d = beijingDay(from) + 1; d <= beijingDay(to); d++) if (isWeekday(d)) n++
  return n
}

export type DueState = 'ok' | 'soon' | 'late'

/**
 * A simple countdown to a due time: working days left (or overdue), hours on the due day itself.
 * `soon` when it is due today or on the next working day, or the SLA warning has fired.
 */
export function dueInfo(
  dueAt: number,
  now: number,
  sla?: string,
): { state: DueState; key: MessageKey; n: number } {
  if (now > dueAt) {
    const days = workingDaysBetween(dueAt, now)
    return days > 0
      ? { state: 'late', key: 'sla.overdueDays', n: days }
      : { state: 'late', key: 'sla.overdueHours', n: Math.max(1, Math.ceil((now - dueAt) / HOUR)) }
  }
  const days = workingDaysBetween(now, dueAt)
  const state: DueState = sla === 'breached' ? 'late' : days <= 1 || sla === 'warned' ? 'soon' : 'ok'
  return days > 0
    ? { state, key: 'sla.remainingDays', n: days }
    : { state, key: 'sla.remainingHours', n: Math.max(1, Math.ceil((dueAt - now) / HOUR)) }
}

const DUE_COLORS: Record<DueState, string> = { ok: 'success', soon: 'warning', late: 'error' }

export function Countdown({
  dueAt,
  now,
  sla,
  testId = 'countdown',
}: {
  dueAt: number
  now: number
  sla?: string
  testId?: string
}) {
  const { t, formatDateMinute } = useI18n()
  const info = dueInfo(dueAt, now, sla)
  return (
    <Tooltip title={t('sla.dueAt', { time: formatDateMinute(dueAt) })}>
      <Tag
        color={DUE_COLORS[info.state]}
        icon={info.state === 'late' ? <ExclamationCircleOutlined /> : <ClockCircleOutlined />}
        data-testid={testId}
        data-state={info.state}
      >
        {t(info.key, { n: info.n })}
      </Tag>
    </Tooltip>
  )
}

export const STATUS_COLORS: Record<CaseStatus, string> = {
  submitted: 'blue',
  accepted: 'cyan',
  in_progress: 'processing',
  supplement_requested: 'warning',
  completed: 'success',
  rejected: 'error',
}

const STATUS_ICONS: Record<CaseStatus, ReactNode> = {
  submitted: <FileDoneOutlined />,
  accepted: <CheckCircleOutlined />,
  in_progress: <SyncOutlined spin />,
  supplement_requested: <EditOutlined />,
  completed: <CheckCircleOutlined />,
  rejected: <CloseCircleOutlined />,
}

export function StatusTag({ status, testId = 'case-status' }: { status: CaseStatus; testId?: string }) {
  const { t } = useI18n()
  return (
    <Tag color={STATUS_COLORS[status]} icon={STATUS_ICONS[status]} data-testid={testId} data-status={status}>
      {t(`caseStatus.${status}`)}
    </Tag>
  )
}

export function SlaTag({ sla }: { sla: string }) {
  const { t } = useI18n()
  const known = sla === 'ok' || sla === 'warned' || sla === 'breached'
  const color = sla === 'ok' ? 'green' : sla === 'warned' ? 'orange' : 'red'
  return (
    <Tag color={color} data-testid="sla-tag" data-sla={sla}>
      {known ? t(`sla.${sla}`) : sla}
    </Tag>
  )
}

const OUTCOME_COLORS: Record<string, string> = {
  approve: 'success',
  reject: 'error',
  supplement: 'warning',
  submitted: 'blue',
  submit: 'blue',
  cancelled: 'default',
}

export function outcomeText(t: I18n['t'], outcome: string | null): string {
  if (outcome === null) return t('outcome.pending')
  return outcome in OUTCOME_COLORS ? t(`outcome.${outcome}` as MessageKey) : outcome
}

export function OutcomeTag({ outcome }: { outcome: string | null }) {
  const { t } = useI18n()
  return (
    <Tag
      color={outcome === null ? 'processing' : (OUTCOME_COLORS[outcome] ?? 'default')}
      data-testid="step-outcome"
      data-outcome={outcome ?? 'pending'}
    >
      {outcomeText(t, outcome)}
    </Tag>
  )
}

/** `账本 4301#123`: a link to the audit console's look-up for those who may open it, else plain text. */
export function LedgerPosition({
  ledger,
  canAudit,
}: {
  ledger: { log: string; index: number }
  canAudit: boolean
}) {
  const { t } = useI18n()
  const text = t('case.ledger', { log: ledger.log, index: ledger.index })
  const href = `/audit?log=${encodeURIComponent(ledger.log)}&index=${ledger.index}`
  return (
    <Tooltip title={canAudit ? t('case.ledgerAudit') : t('case.ledgerHint')}>
      {canAudit ? (
        <a {...linkProps(href)} className="xzt-ledger-pos" data-testid="ledger-position">
          <SafetyCertificateOutlined /> {text}
        </a>
      ) : (
        <span className="xzt-ledger-pos" data-testid="ledger-position">
          <SafetyCertificateOutlined /> {text}
        </span>
      )}
    </Tooltip>
  )
}

/** The label of a department kind (the server sends kinds as plain strings). */
export function kindName(i18n: I18n, kind: string): string {
  return i18n.departmentKindName(kind as DepartmentKind)
}

function stepIcon(step: TimelineStep): { color: string; icon: ReactNode } {
  if (step.completedAt === null && step.outcome !== 'cancelled')
    return { color: 'blue', icon: <SyncOutlined spin className="xzt-step-icon-open" /> }
  switch (step.outcome) {
    case 'approve':
    case 'submitted':
    case 'submit':
      return { color: 'green', icon: <CheckCircleOutlined /> }
    case 'reject':
      return { color: 'red', icon: <CloseCircleOutlined /> }
    case 'supplement':
      return { color: 'orange', icon: <EditOutlined /> }
    case null:
    default:
      return { color: 'gray', icon: <MinusCircleOutlined /> }
  }
}

/** Steps in the order they started; steps that started together (a parallel split) are marked. */
export function orderedSteps(steps: TimelineStep[]): { step: TimelineStep; parallel: boolean }[] {
  const starts = new Map<number, number>()
  for (const s of steps) if (s.departmentId) starts.set(s.startedAt, (starts.get(s.startedAt) ?? 0) + 1)
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.startedAt - b.step.startedAt || a.i - b.i)
    .map(({ step }) => ({
      step,
      parallel: step.departmentId !== null && (starts.get(step.startedAt) ?? 0) > 1,
    }))
}

/**
 * The timeline of a case: every step with who, when, outcome, the official's comment (a supplement
 * request or a rejection says why), time against the limit and ledger position.
 */
export function CaseTimeline({ view, canAudit, now }: { view: CaseView; canAudit: boolean; now: number }) {
  const { t, formatDateMinute } = useI18n()
  const items = orderedSteps(view.timeline).map(({ step, parallel }, i) => {
    const { color, icon } = stepIcon(step)
    const open = step.completedAt === null && step.outcome !== 'cancelled'
    return {
      key: `${step.node}-${i}`,
      color,
      icon,
      content: (
        <div
          className="xzt-step"
          data-testid="timeline-step"
          data-node={step.node}
          data-outcome={step.outcome ?? 'pending'}
        >
          <div className="xzt-step-head">
            <Typography.Text strong className="xzt-step-name">
              {step.name ?? step.node}
            </Typography.Text>
            {parallel && <Tag color="purple">{t('case.parallel')}</Tag>}
            <OutcomeTag outcome={step.outcome} />
          </div>
          <div className="xzt-step-meta">
            {step.department && (
              <span>
                <Typography.Text type="secondary">
                  {t('case.department')}
                  {t('common.colon')}
                </Typography.Text>
                {step.department}
              </span>
            )}
            <span>
              <Typography.Text type="secondary">
                {t('case.assignee')}
                {t('common.colon')}
              </Typography.Text>
              {step.assignee ? step.assignee.name : t('case.waiting')}
            </span>
          </div>
          <div className="xzt-step-meta">
            <span>
              <Typography.Text type="secondary">
                {t('case.startedAt')}
                {t('common.colon')}
              </Typography.Text>
              {formatDateMinute(step.startedAt)}
            </span>
            {step.completedAt !== null && (
              <span>
                <Typography.Text type="secondary">
                  {t('case.finishedAt')}
                  {t('common.colon')}
                </Typography.Text>
                {formatDateMinute(step.completedAt)}
              </span>
            )}
          </div>
          {step.comment && (
            <div
              className={`xzt-step-comment${step.outcome === 'supplement' || step.outcome === 'reject' ? ' xzt-step-comment-reason' : ''}`}
              data-testid="step-comment"
            >
              <Typography.Text type="secondary">
                {t('case.stepComment')}
                {t('common.colon')}
              </Typography.Text>
              <Typography.Text>{step.comment}</Typography.Text>
            </div>
          )}
          <Space size={[4, 4]} wrap className="xzt-step-tags">
            {open && step.dueAt !== null && <Countdown dueAt={step.dueAt} now={now} sla={step.sla} />}
            {!open && step.dueAt !== null && step.completedAt !== null && (
              <Tooltip title={t('sla.dueAt', { time: formatDateMinute(step.dueAt) })}>
                <Tag color={step.completedAt <= step.dueAt ? 'success' : 'error'}>
                  {step.completedAt <= step.dueAt ? t('sla.doneOnTime') : t('sla.doneLate')}
                </Tag>
              </Tooltip>
            )}
            {step.dueAt !== null && <SlaTag sla={step.sla} />}
            {step.ledger && <LedgerPosition ledger={step.ledger} canAudit={canAudit} />}
          </Space>
        </div>
      ),
    }
  })
  return <Timeline items={items} className="xzt-timeline" data-testid="case-timeline" />
}

/**
 * The form fields an official was shown (a data access's `what`: comma-separated paths, `attachment:`
 * before a file's field, `*` for the whole case) by the titles of the matter's form; a path the form
 * does not describe (or before the form has loaded) reads as "a form field", never as its raw key.
 */
export function AccessedFields({ what, schema }: { what: string; schema: JsonSchema | undefined }) {
  const { t } = useI18n()
  const label = (path: string): string => {
    const parts = path.split(/[./]/).filter(Boolean)
    return schema && parts.length > 0 && schemaAt(schema, parts)
      ? fieldLabel(schema, parts)
      : t('access.field')
  }
  return (
    <Space size={[4, 4]} wrap data-testid="accessed-fields">
      {what
        .split(',')
        .filter(Boolean)
        .map((f) => {
          const file = f.startsWith('attachment:') ? f.slice('attachment:'.length) : null
          return (
            <Tag key={f} icon={file === null ? undefined : <PaperClipOutlined />} data-field={f}>
              {f === '*'
                ? t('access.whole')
                : f === 'lookup:idNumber' || f === 'lookup:name'
                  ? t(f === 'lookup:name' ? 'access.lookupByName' : 'access.lookupById')
                  : file !== null
                    ? t('access.attachment', { field: label(file) })
                    : label(f)}
            </Tag>
          )
        })}
    </Space>
  )
}
