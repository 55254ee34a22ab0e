/**
 * The assessment period (考核期): a month, a quarter or a year of Beijing time, picked as its kind, its
 * year and its month or quarter. Periods after the current one are not offered.
 * @module
 */
import { Segmented, Select, Space } from 'antd'
import { useI18n } from '../../i18n.js'
import { parsePeriodCode, periodAt, periodCode } from '../../assessment-api.js'
import type { PeriodKind } from '../../assessment-api.js'

const FIRST_YEAR = 2024

export function PeriodPicker({
  value,
  onChange,
  now,
}: {
  value: string
  onChange: (code: string) => void
  /** The platform's current time: the latest period offered. */
  now: number
}) {
  const { t } = useI18n()
  const p = parsePeriodCode(value) ?? { kind: 'quarter' as const, year: FIRST_YEAR, part: 1 }
  const current = parsePeriodCode(periodAt(p.kind, now))!
  const lastYear = Math.max(current.year, FIRST_YEAR)
  const years = Array.from({ length: lastYear - FIRST_YEAR + 1 }, (_, i) => lastYear - i)
  const parts =
    p.kind === 'year'
      ? []
      : Array.from({ length: p.kind === 'month' ? 12 : 4 }, (_, i) => i + 1).filter(
          (n) => p.year < current.year || n <= current.part,
        )

  const switchKind = (kind: PeriodKind) => {
    // The period of the new kind holding the old one's start (2026-Q4 → 2026-10 → 2026).
    const month = p.kind === 'month' ? p.part : p.kind === 'quarter' ? (p.part - 1) * 3 + 1 : 1
    const part = kind === 'month' ? month : kind === 'quarter' ? Math.ceil(month / 3) : 0
    onChange(periodCode({ kind, year: p.year, part }))
  }
  const switchYear = (year: number) => {
    const last = year < current.year ? (p.kind === 'month' ? 12 : 4) : current.part
    onChange(periodCode({ ...p, year, part: p.kind === 'year' ? 0 : Math.min(p.part, last) }))
  }

  return (
    <Space size={8} wrap data-testid="period-picker" data-period={value}>
      <Segmented<PeriodKind>
        value={p.kind}
        onChange={switchKind}
        options={[
          {
            value: 'month',
            label: <span data-testid="period-kind-month">{t('scorecards.period.month')}</span>,
          },
          {
            value: 'quarter',
            label: <span data-testid="period-kind-quarter">{t('scorecards.period.quarter')}</span>,
          },
          { value: 'year', label: <span data-testid="period-kind-year">{t('scorecards.period.year')}</span> },
        ]}
      />
      <Select<number>
        value={p.year}
        onChange={switchYear}
        style={{ width: 104 }}
        options={years.map((y) => ({ value: y, label: t('scorecards.period.yearN', { n: y }) }))}
        data-testid="period-year"
        aria-label={t('scorecards.period.year')}
      />
      {p.kind !== 'year' && (
        <Select<number>
          value={p.part}
          onChange={(part) => onChange(periodCode({ ...p, part }))}
          style={{ width: 104 }}
          options={parts.map((n) => ({
            value: n,
            label: t(p.kind === 'month' ? 'scorecards.period.monthN' : 'scorecards.period.quarterN', { n }),
          }))}
          data-testid="period-part"
          aria-label={p.kind === 'month' ? t('scorecards.period.month') : t('scorecards.period.quarter')}
        />
      )}
    </Space>
  )
}
