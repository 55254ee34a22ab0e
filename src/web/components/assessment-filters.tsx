/**
 * The pickers of the assessment pages: an assessment period (a year, a quarter or a month of Beijing
 * time, as the server's period codes `2026`, `2026-Q4`, `2026-11`), a region of the user's jurisdiction,
 * and the names of a period and of a result's policy version in the page's language.
 * @module
 */
import { Select } from 'antd'
import { useI18n } from '../i18n.js'
import type { Lang, Translate } from '../i18n.js'
import { RegionCascader } from './region-cascader.js'
import { kindTitle } from './policies/labels.js'
import { parsePolicyId } from '../assessment-api.js'

const BEIJING_OFFSET_MS = 8 * 3_600_000

/** The quarter in progress at `now` (Beijing time), e.g. `2026-Q4`. */
export function currentQuarter(now: number): string {
  const d = new Date(now + BEIJING_OFFSET_MS)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}

/** A period code in words: 2026年第4季度, 2026年11月, 2026年. */
export function periodName(code: string, t: Translate): string {
  const q = /^([0-9]{4})-Q([1-4])$/.exec(code)
  if (q) return t('promo.period.quarter', { y: q[1]!, q: q[2]! })
  const m = /^([0-9]{4})-([0-9]{2})$/.exec(code)
  if (m) return t('promo.period.month', { y: m[1]!, m: Number(m[2]) })
  return t('promo.period.year', { y: code })
}

/** The periods begun by `now`: this year's and last year's quarters and months, and the two years. */
export function periodCodes(now: number): { years: string[]; quarters: string[]; months: string[] } {
  const d = new Date(now + BEIJING_OFFSET_MS)
  const year = d.getUTCFullYear()
  const month = d.getUTCMonth() + 1
  const years = [String(year), String(year - 1)]
  const quarters: string[] = []
  const months: string[] = []
  for (const y of [year, year - 1]) {
    for (let q = 4; q >= 1; q--) if (y < year || (q - 1) * 3 < month) quarters.push(`${y}-Q${q}`)
    for (let m = 12; m >= 1; m--)
      if (y < year || m <= month) months.push(`${y}-${String(m).padStart(2, '0')}`)
  }
  return { years, quarters, months }
}

export function PeriodSelect({
  value,
  onChange,
  now,
  testId = 'period-select',
}: {
  value: string
  onChange: (code: string) => void
  now: number
  testId?: string
}) {
  const { t } = useI18n()
  const codes = periodCodes(now)
  const group = (label: string, list: string[]) => ({
    label,
    title: label,
    options: list.map((c) => ({ value: c, label: periodName(c, t) })),
  })
  return (
    <Select
      size="large"
      value={value}
      onChange={onChange}
      style={{ minWidth: 180 }}
      popupMatchSelectWidth={false}
      aria-label={t('promo.period')}
      data-testid={testId}
      options={[
        group(t('promo.period.quarters'), codes.quarters),
        group(t('promo.period.months'), codes.months),
        group(t('promo.period.years'), codes.years),
      ]}
    />
  )
}

/** A region of the user's jurisdiction; `value` is the path of codes from the root. */
export function RegionPicker({
  root,
  value,
  onChange,
  testId = 'region-select',
}: {
  root: string
  value: string[]
  onChange: (path: string[]) => void
  testId?: string
}) {
  return <RegionCascader rootCode={root} value={value} onChange={onChange} testId={testId} />
}

/** `assessment.promotion@2` as 干部选拔任用指数权重 第 2 版; a draft as …（草案）. */
export function policyName(id: string | undefined, lang: Lang, t: Translate): string {
  const ref = id ? parsePolicyId(id) : null
  if (!ref) return t('promo.policy.unknown')
  const title = kindTitle(ref.kind, lang)
  return ref.version === null
    ? t('promo.policy.draft', { title })
    : t('promo.policy.version', { title, n: ref.version })
}
