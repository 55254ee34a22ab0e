/**
 * The vocabulary of the staff's appeal pages in the user's language: kinds, statuses, channels,
 * categories (two levels), concerns, satisfaction, what a chain link's person did and why (from the
 * link's `explain` code and params, never the raw code), and the titles of the policy rules that routed
 * an appeal or built its chain (the rule's own title where it has one, else a label made from what the
 * rule does; never its id). Also the deadline of an appeal that is running now.
 * @module
 */
import { useEffect, useState } from 'react'
import { Tag, Tooltip } from 'antd'
import type { ChainLinkView } from '../../../shared/api.js'
import { APPEAL_CATEGORIES, appealCategoryLabel, ratingTagLabel } from '../../../shared/domain.js'
import type {
  AppealChannel,
  AppealKind,
  AppealSatisfaction,
  AppealStatus,
  DepartmentKind,
  RegionLevel,
} from '../../../shared/domain.js'
import { appealsApi } from '../../appeals-api.js'
import type { AppealSummary, PolicyVersionView } from '../../appeals-api.js'
import { useI18n } from '../../i18n.js'
import type { I18n, MessageKey } from '../../i18n.js'

export const KIND_COLORS: Record<AppealKind, string> = {
  complaint: 'volcano',
  suggestion: 'geekblue',
  inquiry: 'cyan',
  praise: 'green',
  discrepancy: 'purple',
}

export const STATUS_COLORS: Record<AppealStatus, string> = {
  dispatched: 'gold',
  accepted: 'processing',
  responded: 'blue',
  resolved: 'cyan',
  closed: 'success',
  merged: 'default',
}

/** Statuses still being worked (the inbox's default view). */
export const OPEN_STATUSES: readonly AppealStatus[] = ['dispatched', 'accepted', 'responded', 'resolved']

export function KindTag({ kind }: { kind: AppealKind }) {
  const { t } = useI18n()
  return (
    <Tag color={KIND_COLORS[kind]} data-kind={kind}>
      {t(`appealsStaff.kind.${kind}`)}
    </Tag>
  )
}

export function AppealStatusTag({ status, testId }: { status: AppealStatus; testId?: string }) {
  const { t } = useI18n()
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status} data-testid={testId}>
      {t(`appealsStaff.status.${status}`)}
    </Tag>
  )
}

export function channelName(t: I18n['t'], channel: AppealChannel): string {
  return t(`appealsStaff.channel.${channel}`)
}

export function satisfactionName(t: I18n['t'], s: AppealSatisfaction): string {
  return t(`appealsStaff.satisfaction.${s}`)
}

/** `市场监管 / 价格收费`, in the user's language; a code the table does not know reads as "other". */
export function categoryName(i18n: I18n, code: string): string {
  return appealCategoryLabel(code, i18n.lang === 'en' ? 'en' : 'zh') ?? i18n.t('appealsStaff.categoryUnknown')
}

/** A 好差评 tag (`long_wait` → 等待过久) in the user's language; a code the list does not know reads as "other". */
export function ratingTagName(i18n: I18n, code: string): string {
  return ratingTagLabel(code, i18n.lang === 'en' ? 'en' : 'zh') ?? i18n.t('appealsStaff.ratingTag.other')
}

/** The two-level category tree for a cascader, with display names in the user's language. */
export function categoryOptions(
  i18n: I18n,
): { value: string; label: string; children: { value: string; label: string }[] }[] {
  const lang = i18n.lang === 'en' ? 'en' : 'zh'
  return Object.entries(APPEAL_CATEGORIES).map(([top, c]) => ({
    value: top,
    label: c[lang],
    children: Object.entries(c.subs).map(([sub, s]) => ({ value: sub, label: s[lang] })),
  }))
}

// ---- deadlines ------------------------------------------------------------------------------------

/** The deadline running now: the response's until answered, then the resolution's; none once resolved. */
export function runningDeadline(
  a: Pick<AppealSummary, 'status' | 'respondedAt' | 'respondDueAt' | 'resolveDueAt'>,
): { stage: 'respond' | 'resolve'; dueAt: number } | null {
  if (a.status === 'dispatched' || (a.status === 'accepted' && a.respondedAt === null))
    return { stage: 'respond', dueAt: a.respondDueAt }
  if (a.status === 'accepted' || a.status === 'responded') return { stage: 'resolve', dueAt: a.resolveDueAt }
  return null
}

// ---- chain links ------------------------------------------------------------------------------------

/** The explain codes the chain rules produce (`chain.model.ts`), each with its text in both languages. */
const EXPLAIN_CODES = [
  'held_past_limit',
  'held_case_overdue',
  'unclaimed_on_duty',
  'rejected',
  'asked_supplement',
  'took_in_at_window',
  'accepted_case',
  'worked_window_step',
  'record_last_changed',
  'record_owner_on_duty',
  'appeal_handler',
  'appeal_on_duty',
  'superior_of',
  'region_leader',
] as const

const LINK_FUNCTIONS = [
  'step_handler',
  'on_duty',
  'approver',
  'supplement_requester',
  'window_clerk',
  'record_keeper',
  'appeal_handler',
  'supervisor',
  'leader',
] as const

/** `31天2小时` (how the chain states durations) as `31 d 2 h`; other text as it is. */
export function durationInEnglish(text: string): string {
  const m = /^(?:(\d+)天)?(?:(\d+)小时)?$/.exec(text)
  if (!m || (!m[1] && !m[2])) return text
  return [m[1] ? `${m[1]} d` : '', m[2] ? `${m[2]} h` : ''].filter(Boolean).join(' ')
}

/** Why the link's person is named, in the user's language, from the link's explain code and params. */
export function explainText(i18n: I18n, link: Pick<ChainLinkView, 'explain' | 'reason'>): string {
  const { code, params } = link.explain
  if (!(EXPLAIN_CODES as readonly string[]).includes(code))
    return i18n.lang === 'en' ? i18n.t('appealsStaff.explain.unknown') : link.reason
  const p: Record<string, string | number> = { ...params }
  if (i18n.lang === 'en')
    for (const k of ['held', 'limit', 'over']) if (typeof p[k] === 'string') p[k] = durationInEnglish(p[k])
  if (typeof p.source === 'string') p.source = i18n.sourceName(p.source)
  return i18n.t(`appealsStaff.explain.${code}` as MessageKey, p)
}

export function linkFunctionName(t: I18n['t'], fn: string): string {
  return (LINK_FUNCTIONS as readonly string[]).includes(fn)
    ? t(`appealsStaff.function.${fn}` as MessageKey)
    : t('appealsStaff.function.other')
}

// ---- policy rules -------------------------------------------------------------------------------------

/** Policy versions never change once published: one fetch per version for the whole session. */
const policies = new Map<string, Promise<PolicyVersionView>>()

function policyVersion(id: string): Promise<PolicyVersionView> {
  let found = policies.get(id)
  if (!found) {
    found = appealsApi.policy(id, { quiet: true })
    found.catch(() => policies.delete(id))
    policies.set(id, found)
  }
  return found
}

/** The policy version `id` (`appeal.routing@1`), once fetched; null before, or when it cannot be read. */
export function usePolicy(id: string | null | undefined): PolicyVersionView | null {
  const [policy, setPolicy] = useState<PolicyVersionView | null>(null)
  useEffect(() => {
    setPolicy(null)
    if (!id || !id.includes('@')) return
    let live = true
    policyVersion(id).then(
      (p) => live && setPolicy(p),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [id])
  return policy
}

/** `responsibility.chain@2` → `责任链规则 第 2 版`. */
export function policyVersionName(t: I18n['t'], id: string): string {
  const at = id.lastIndexOf('@')
  const kind = id.slice(0, at)
  const version = id.slice(at + 1)
  const names: Record<string, MessageKey> = {
    'appeal.routing': 'appealsStaff.policy.routing',
    'appeal.deadlines': 'appealsStaff.policy.deadlines',
    'appeal.escalation': 'appealsStaff.policy.escalation',
    'responsibility.chain': 'appealsStaff.policy.chain',
    'rating.rectification': 'appealsStaff.policy.rectification',
  }
  const name = names[kind] ? t(names[kind]) : t('appealsStaff.policy.other')
  return t('appealsStaff.policy.version', { name, version })
}

interface RuleBody {
  id?: unknown
  title?: unknown
  primary?: unknown
  to?: { departmentKind?: unknown; level?: unknown }
}

function rulesOf(policy: PolicyVersionView | null): RuleBody[] {
  const body = policy?.body as { rules?: unknown } | undefined
  return Array.isArray(body?.rules) ? (body.rules as RuleBody[]) : []
}

const SELECTORS = ['breaching_handler', 'approver', 'window_clerk', 'record_owner', 'on_duty_handler']

/**
 * A rule of the policy by what people read: its title (in Chinese; the English UI describes what it
 * does), else a label made from what it does. The id never shows.
 */
export function ruleLabel(i18n: I18n, policy: PolicyVersionView | null, ruleId: string | null): string {
  const { t } = i18n
  if (ruleId === null) return t('appealsStaff.rule.none')
  if (ruleId === 'fallback') return t('appealsStaff.rule.fallback')
  const rule = rulesOf(policy).find((r) => r.id === ruleId)
  if (!rule) return t('appealsStaff.rule.generic')
  if (typeof rule.title === 'string' && rule.title && i18n.lang !== 'en') return rule.title
  if (typeof rule.primary === 'string' && SELECTORS.includes(rule.primary))
    return t(`appealsStaff.selector.${rule.primary}` as MessageKey)
  const kind = rule.to?.departmentKind
  const level = rule.to?.level
  if (typeof kind === 'string')
    return t('appealsStaff.rule.routeTo', {
      level: typeof level === 'string' ? i18n.levelName(level as RegionLevel) : '',
      department: i18n.departmentKindName(kind as DepartmentKind),
    })
  return t('appealsStaff.rule.generic')
}

/** The rule's label, with the rule's own (Chinese) title in a tooltip where the label is another. */
export function RuleName({
  policy,
  ruleId,
  testId,
}: {
  policy: PolicyVersionView | null
  ruleId: string | null
  testId?: string
}) {
  const i18n = useI18n()
  const label = ruleLabel(i18n, policy, ruleId)
  const title = rulesOf(policy).find((r) => r.id === ruleId)?.title
  return (
    <Tooltip title={typeof title === 'string' && title !== label ? title : undefined}>
      <span data-testid={testId} data-rule={ruleId ?? ''}>
        {label}
      </span>
    </Tooltip>
  )
}

/** `Ctrl+Enter` as key caps (key names are not words to translate), then what it does. */
export function Shortcut({ what }: { what: string }) {
  return (
    <span className="xzt-shortcut">
      <kbd>Ctrl</kbd>+<kbd>Enter</kbd> {what}
    </span>
  )
}
