/**
 * 核心指标: the headline figures of the region and period (kpis route), big enough to read across a
 * room: the two seed figures 治理效率 (×) and 满意度 (%) with their definitions on hover, then the
 * median end-to-end time, zero-trip and instant shares, satisfaction, time-limit compression, and the
 * cases submitted, completed and rejected (each count opens the list behind it).
 * @module
 */
import type { ReactNode } from 'react'
import { Tooltip } from 'antd'
import { QuestionCircleOutlined } from '@ant-design/icons'
import { useI18n } from '../../i18n.js'
import { analyticsApi } from '../../analytics-api.js'
import type { HeadlineFigure, Kpis } from '../../analytics-api.js'
import { formatDuration, formatShare, Panel, useHall, useHallData } from './hall-common.js'

function Figure({
  id,
  label,
  value,
  hint,
  onClick,
  big,
}: {
  id: string
  label: string
  value: string
  hint?: ReactNode
  onClick?: () => void
  big?: boolean
}) {
  const body = (
    <div
      className={`xzt-hall-figure${big ? ' xzt-hall-figure-big' : ''}${onClick ? ' xzt-hall-clickable' : ''}`}
      data-testid={`kpi-${id}`}
      onClick={onClick}
      role={onClick ? 'button' : undefined}
    >
      <div className="xzt-hall-figure-label">
        {label}
        {hint && <QuestionCircleOutlined className="xzt-hall-figure-hint" />}
      </div>
      <div className="xzt-hall-figure-value">{value}</div>
    </div>
  )
  return hint ? <Tooltip title={hint}>{body}</Tooltip> : body
}

/**
 * A headline figure's hover: its definition, what it divides (time in days for 治理效率, counts for
 * 满意度) and what the seed claims, so the claim and the measurement stand side by side.
 */
function headlineHint(
  f: HeadlineFigure,
  kind: 'efficiency' | 'satisfaction',
  i18n: ReturnType<typeof useI18n>,
) {
  const { t, lang, formatNumber } = i18n
  const days = (ms: number) => formatNumber(Math.round((ms / 86_400_000) * 10) / 10)
  const part = (n: number) => (kind === 'efficiency' ? t('hall.kpi.days', { n: days(n) }) : formatNumber(n))
  const claimed = kind === 'efficiency' ? `${f.claimed}×` : formatShare(f.claimed)
  return (
    <div data-testid="kpi-definition">
      <div>{lang === 'en' ? f.definition.en : f.definition.zh}</div>
      <div>{t('hall.kpi.ratio', { a: part(f.numerator), b: part(f.denominator) })}</div>
      <div>{t('hall.kpi.claimed', { v: claimed })}</div>
    </div>
  )
}

export function KpiPanel() {
  const i18n = useI18n()
  const { t, formatNumber } = i18n
  const { region, period, openDrill, regionName } = useHall()
  const loaded = useHallData<Kpis>(`${region}|${period.from}|${period.to ?? ''}`, () =>
    analyticsApi.kpis({ region, ...period }, { quiet: true }),
  )
  return (
    <Panel<Kpis> id="hall-kpis" title={t('hall.kpi.title')} loaded={loaded} exportSpec={{ view: 'kpis' }}>
      {(k) => {
        const eff = k.headline.efficiency
        const sat = k.headline.satisfaction
        return (
          <div className="xzt-hall-kpis">
            <div className="xzt-hall-kpis-headline">
              <Figure
                id="efficiency"
                big
                label={t('hall.kpi.efficiency')}
                value={eff.value === null ? '—' : `${eff.value.toFixed(1)}×`}
                hint={headlineHint(eff, 'efficiency', i18n)}
              />
              <Figure
                id="satisfaction-headline"
                big
                label={t('hall.kpi.satisfactionHeadline')}
                value={formatShare(sat.value)}
                hint={headlineHint(sat, 'satisfaction', i18n)}
              />
            </div>
            <div className="xzt-hall-kpis-grid">
              <Figure
                id="median"
                label={t('hall.kpi.median')}
                value={formatDuration(k.medianMs, t)}
                hint={t('hall.kpi.medianHint', { p90: formatDuration(k.p90Ms, t) })}
              />
              <Figure
                id="zero-trip"
                label={t('hall.kpi.zeroTrip')}
                value={formatShare(k.zeroTripShare)}
                hint={t('hall.kpi.zeroTripHint')}
              />
              <Figure
                id="instant"
                label={t('hall.kpi.instant')}
                value={formatShare(k.instantShare)}
                hint={t('hall.kpi.instantHint')}
              />
              <Figure
                id="satisfaction"
                label={t('hall.kpi.satisfaction')}
                value={formatShare(k.satisfactionRate)}
                hint={t('hall.kpi.satisfactionHint')}
              />
              <Figure
                id="compression"
                label={t('hall.kpi.compression')}
                value={formatShare(k.compression)}
                hint={t('hall.kpi.compressionHint')}
              />
              <Figure
                id="on-time"
                label={t('hall.kpi.onTime')}
                value={formatShare(k.onTimeRate)}
                hint={t('hall.kpi.onTimeHint')}
              />
              <Figure
                id="submitted"
                label={t('hall.kpi.submitted')}
                value={formatNumber(k.submitted)}
                onClick={() =>
                  openDrill({ kind: 'cases', region, title: `${regionName} · ${t('hall.kpi.submitted')}` })
                }
              />
              <Figure
                id="completed"
                label={t('hall.kpi.completed')}
                value={formatNumber(k.completed)}
                onClick={() =>
                  openDrill({
                    kind: 'cases',
                    region,
                    status: 'completed',
                    title: `${regionName} · ${t('hall.kpi.completed')}`,
                  })
                }
              />
              <Figure
                id="rejected"
                label={t('hall.kpi.rejected')}
                value={formatNumber(k.rejected)}
                onClick={() =>
                  openDrill({
                    kind: 'cases',
                    region,
                    status: 'rejected',
                    title: `${regionName} · ${t('hall.kpi.rejected')}`,
                  })
                }
              />
            </div>
          </div>
        )
      }}
    </Panel>
  )
}
