/**
 * How the scorecards pages put numbers and facts into words: an indicator's value in its unit (a rate
 * as a percentage, a 1–5 score, a count per 1,000 records, days), a fact's outcome (按时 / 超时, 差评 …),
 * a period (2026年第4季度) and a policy id (考核公式 第1版). Every word comes from the i18n tables and
 * the indicator names from `src/shared/assessment.ts`.
 * @module
 */
import { INDICATORS } from '../../../shared/assessment.js'
import type { IndicatorCode } from '../../../shared/assessment.js'
import type { Lang, Translate } from '../../i18n.js'
import { parsePeriodCode, parsePolicyId } from '../../assessment-api.js'
import type { Fact } from '../../assessment-api.js'

export function bilingual(label: { zh: string; en: string }, lang: Lang): string {
  return lang === 'en' ? label.en : label.zh
}

export function indicatorName(code: IndicatorCode, lang: Lang): string {
  return bilingual(INDICATORS[code], lang)
}

export function indicatorDefinition(code: IndicatorCode, lang: Lang): string {
  return bilingual(INDICATORS[code].definition, lang)
}

const fixed = (n: number, digits: number) => {
  const s = n.toFixed(digits)
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** An indicator's value in its unit; `—` without facts. */
export function formatValue(code: IndicatorCode, value: number | null, t: Translate): string {
  if (value === null) return '—'
  switch (INDICATORS[code].unit) {
    case 'rate':
      return t('scorecards.unit.rate', { v: fixed(value * 100, 1) })
    case 'score':
      return t('scorecards.unit.score', { v: fixed(value, 2) })
    case 'per_1k':
      return t('scorecards.unit.per1k', { v: fixed(value, 2) })
    case 'days':
      return t('scorecards.unit.days', { v: fixed(value, 1) })
  }
}

/** A 0–100 score with one decimal; `—` when there is none. */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : fixed(score, 1)
}

/** A fact's outcome in words: a rate's hit or miss by what the indicator counts, or a value in its unit. */
export function outcomeText(fact: Pick<Fact, 'indicator' | 'outcome'>, t: Translate): string {
  if (typeof fact.outcome === 'number') return formatValue(fact.indicator, fact.outcome, t)
  return t(`scorecards.outcome.${fact.indicator}.${fact.outcome ? 'yes' : 'no'}`)
}

/**
 * Whether an outcome counts for the subject (true) or against (false): a hit of a rate where higher is
 * better, a miss where lower is; scores and durations are neither (null).
 */
export function outcomeGood(fact: Pick<Fact, 'indicator' | 'outcome'>): boolean | null {
  if (typeof fact.outcome !== 'boolean') return null
  return fact.outcome === INDICATORS[fact.indicator].higherIsBetter
}

/** `2026-Q4` → 2026年第4季度 (2026 Q4). */
export function periodName(code: string, t: Translate): string {
  const p = parsePeriodCode(code)
  if (!p) return code
  if (p.kind === 'month') return t('scorecards.period.monthName', { year: p.year, n: p.part })
  if (p.kind === 'quarter') return t('scorecards.period.quarterName', { year: p.year, n: p.part })
  return t('scorecards.period.yearName', { year: p.year })
}

/** `assessment.formula@1` → 考核公式 第1版; `assessment.promotion@2` → 晋升指数规则 第2版; a draft → 草案. */
export function policyName(id: string | undefined, t: Translate): string {
  if (!id) return '—'
  const p = parsePolicyId(id)
  if (!p) return id
  const name =
    p.kind === 'assessment.formula'
      ? t('scorecards.policy.formula')
      : p.kind === 'assessment.promotion'
        ? t('scorecards.policy.promotion')
        : p.kind
  return p.version === null
    ? t('scorecards.policy.draft', { name })
    : t('scorecards.policy.version', { name, n: p.version })
}
