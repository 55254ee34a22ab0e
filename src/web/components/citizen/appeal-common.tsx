/**
 * Building blocks of the citizen's appeal pages: the names of kinds, categories, statuses and answers
 * (never the codes), the status tag in words and colour, the appeal's story as a vertical timeline,
 * why it went where it went (the routing rule's title from the policy version that routed it), and the
 * chain of who is responsible as a plain list.
 * @module
 */
import { useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { Tag, Timeline, Typography } from 'antd'
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  MinusCircleOutlined,
  SendOutlined,
  SwapOutlined,
  SyncOutlined,
} from '@ant-design/icons'
import type { AppealKind, AppealStatus } from '../../../shared/domain.js'
import { appealCategoryLabel } from '../../../shared/domain.js'
import type { AppealView, ResponsibilityChainView } from '../../citizen-api.js'
import { citizenApi, parsePolicyId, routingRuleTitle } from '../../citizen-api.js'
import { useI18n } from '../../i18n.js'
import { provinceFormat } from '../../time.js'
import type { I18n } from '../../i18n.js'
import { appealStory, type Tone, type Words } from './appeal-story.js'
import '../../citizen.css'

/**
 * Times as people say them, in Beijing time: `2026年12月7日周一 17:30` (`Mon, Dec 7, 2026, 17:30`).
 * A weekday and a month in words are easier to read than `2026/12/07` for a deadline.
 */
export function useFriendlyTime(): (ms: number) => string {
  const { lang } = useI18n()
  return useMemo(() => {
    const f = provinceFormat(lang, {
      year: 'numeric',
      month: lang === 'en' ? 'short' : 'long',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    return (ms: number) => f.format(ms)
  }, [lang])
}

export function kindName(t: I18n['t'], kind: AppealKind): string {
  return t(`citizenAppeals.kind.${kind}`)
}

/** `market/food_safety` → 市场监管 / 食品安全 (an unknown code reads as 其他, never as the code). */
export function categoryName(i18n: I18n, code: string): string {
  return (
    appealCategoryLabel(code, i18n.lang === 'en' ? 'en' : 'zh') ?? i18n.t('citizenAppeals.category.unknown')
  )
}

export function satisfactionName(t: I18n['t'], value: string): string {
  return value === 'satisfied' || value === 'basically_satisfied' || value === 'dissatisfied'
    ? t(`citizenAppeals.satisfaction.${value}`)
    : t('citizenAppeals.category.unknown')
}

export function words(t: I18n['t'], w: Words): string {
  return t(w.key, w.params)
}

const STATUS_COLORS: Record<AppealStatus, string> = {
  dispatched: 'blue',
  accepted: 'processing',
  responded: 'cyan',
  resolved: 'gold',
  closed: 'success',
  merged: 'default',
}

const STATUS_ICONS: Record<AppealStatus, ReactNode> = {
  dispatched: <SendOutlined />,
  accepted: <SyncOutlined spin />,
  responded: <CheckCircleOutlined />,
  resolved: <ExclamationCircleOutlined />,
  closed: <CheckCircleOutlined />,
  merged: <MinusCircleOutlined />,
}

/** The status in words and colour (待受理, 办理中, 已答复, 待您评价, 已办结, 已合并). */
export function AppealStatusTag({
  status,
  testId = 'appeal-status',
}: {
  status: AppealStatus
  testId?: string
}) {
  const { t } = useI18n()
  return (
    <Tag
      color={STATUS_COLORS[status]}
      icon={STATUS_ICONS[status]}
      className="xzt-cit-status"
      data-testid={testId}
      data-status={status}
    >
      {t(`citizenAppeals.status.${status}`)}
    </Tag>
  )
}

const TONE_ICONS: Record<Tone, ReactNode> = {
  blue: <ClockCircleOutlined />,
  green: <CheckCircleOutlined />,
  orange: <SwapOutlined />,
  red: <ExclamationCircleOutlined />,
  gray: <MinusCircleOutlined />,
}

/** The appeal's steps and escalations, oldest first, each one sentence with its time. */
export function AppealStoryTimeline({ view }: { view: AppealView }) {
  const { t } = useI18n()
  const when = useFriendlyTime()
  const items = appealStory(view, {
    satisfaction: (v) => satisfactionName(t, v),
    otherDepartment: t('citizenAppeals.step.otherDepartment'),
  })
  return (
    <Timeline
      className="xzt-cit-timeline"
      data-testid="appeal-timeline"
      items={items.map((item) => ({
        key: item.id,
        color: item.tone,
        icon: TONE_ICONS[item.tone],
        content: (
          <div className="xzt-cit-step" data-testid="appeal-step" data-tone={item.tone}>
            <div className="xzt-cit-step-title">{words(t, item.title)}</div>
            {item.detail && <div className="xzt-cit-step-detail">{item.detail}</div>}
            <div className="xzt-cit-step-time">{when(item.at)}</div>
          </div>
        ),
      }))}
    />
  )
}

/**
 * Why the appeal went to its department: the title of the routing rule in the policy version that
 * routed it, or plain wording when the rule has no title or no rule matched.
 */
export function useRoutingReason(view: Pick<AppealView, 'routing' | 'department'>): string | null {
  const { t } = useI18n()
  const [title, setTitle] = useState<string | null | undefined>(undefined)
  const { rule, policy } = view.routing
  useEffect(() => {
    const id = parsePolicyId(policy)
    if (rule === 'fallback' || !id) {
      setTitle(null)
      return
    }
    const controller = new AbortController()
    citizenApi.policyVersion(id.kind, id.version, { signal: controller.signal, quiet: true }).then(
      (v) => setTitle(routingRuleTitle(v.body, rule) ?? null),
      () => {
        if (!controller.signal.aborted) setTitle(null)
      },
    )
    return () => controller.abort()
  }, [rule, policy])
  if (title === undefined) return null
  if (title) return t('citizenAppeals.routing.byRule', { rule: title })
  return rule === 'fallback'
    ? t('citizenAppeals.routing.fallback', { department: view.department.name })
    : t('citizenAppeals.routing.generic', { department: view.department.name })
}

/** Who the responsibility chain names, read-only: name, post, department, and their part. */
export function ChainList({ chain }: { chain: ResponsibilityChainView }) {
  const { t, lang } = useI18n()
  const links = chain.links.filter((l) => !l.excluded)
  if (links.length === 0) return <Typography.Text>{t('citizenAppeals.chain.empty')}</Typography.Text>
  return (
    <ul className="xzt-cit-chain" data-testid="appeal-chain">
      {links.map((l) => (
        <li
          key={`${l.staffId}-${l.function}`}
          className="xzt-cit-chain-item"
          data-primary={String(l.primary)}
        >
          <div className="xzt-cit-chain-head">
            <Typography.Text strong>{l.name}</Typography.Text>
            <Tag color={l.primary ? 'blue' : 'default'}>
              {l.primary ? t('citizenAppeals.chain.primary') : t('citizenAppeals.chain.secondary')}
            </Tag>
          </div>
          <div className="xzt-cit-chain-meta">
            {l.department} · {l.role}
          </div>
          {/* The server words the reason in Chinese; English readers get the part the person plays. */}
          <div className="xzt-cit-chain-reason">
            {lang === 'en'
              ? t(l.primary ? 'citizenAppeals.chain.primaryHint' : 'citizenAppeals.chain.secondaryHint')
              : l.reason}
          </div>
        </li>
      ))}
    </ul>
  )
}
