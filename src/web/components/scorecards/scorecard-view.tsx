/**
 * One subject's scorecard as a card (我的考核, and a table row opened): the total, rank, trend and the
 * three dimension scores, the promotion index of an official with its three parts (a missing part
 * named, never counted as 0), and every indicator with its value in its unit, its 0–100 score, how many
 * facts it rests on, the small-sample mark and its definition. Each indicator opens its facts.
 * @module
 */
import { useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { Button, Card, Col, Progress, Row, Space, Tag, Tooltip, Typography } from 'antd'
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined, RightOutlined } from '@ant-design/icons'
import {
  ASSESSMENT_DIMENSIONS,
  INDICATORS,
  INDICATOR_CODES,
  PROMOTION_PARTS,
} from '../../../shared/assessment.js'
import type { AssessmentDimension, IndicatorCode, PromotionPart } from '../../../shared/assessment.js'
import { useI18n } from '../../i18n.js'
import { usePhone } from '../../responsive.js'
import { policiesApi } from '../../policies-api.js'
import { parsePolicyId } from '../../assessment-api.js'
import type { ScorecardRow } from '../../assessment-api.js'
import {
  bilingual,
  formatScore,
  formatValue,
  indicatorDefinition,
  indicatorName,
  policyName,
} from './format.js'

const DIMENSIONS = Object.keys(ASSESSMENT_DIMENSIONS) as AssessmentDimension[]
const PARTS = Object.keys(PROMOTION_PARTS) as PromotionPart[]

/**
 * The `minSample` of each `assessment.formula` version (what "样本不足" means: fewer than N facts), read
 * from the policy registry once per page.
 */
export function useMinSamples(): ReadonlyMap<string, number> {
  const [map, setMap] = useState<ReadonlyMap<string, number>>(new Map())
  useEffect(() => {
    let live = true
    const kinds = ['assessment.formula', 'assessment.promotion']
    void Promise.all(kinds.map((k) => policiesApi.kind(k, { quiet: true }).catch(() => null))).then(
      (details) => {
        if (!live) return
        const next = new Map<string, number>()
        for (const d of details) {
          for (const v of d?.history ?? []) {
            const min = (v.body as { minSample?: unknown } | null)?.minSample
            if (typeof min === 'number') next.set(`${v.kind}@${v.version}`, min)
          }
        }
        setMap(next)
      },
    )
    return () => {
      live = false
    }
  }, [])
  return map
}

/** The minSample behind a policy id (`assessment.formula@1`, `…@1+4301.2`), if known. */
export function minSampleOf(samples: ReadonlyMap<string, number>, policy: string | undefined): number | null {
  if (!policy) return null
  const p = parsePolicyId(policy)
  return p && p.version !== null ? (samples.get(`${p.kind}@${p.version}`) ?? null) : null
}

/** A rank, or why there is none (样本不足: fewer than N facts; 暂无数据: no facts at all). */
export function RankCell({
  rank,
  total,
  minSample,
  testId = 'scorecard-rank',
}: {
  rank: number | null | undefined
  total: number | null | undefined
  minSample: number | null
  testId?: string
}) {
  const { t } = useI18n()
  if (rank !== null && rank !== undefined)
    return (
      <span className="xzt-sc-rank" data-testid={testId} data-rank={rank}>
        {t('scorecards.rankN', { n: rank })}
      </span>
    )
  if (total === null || total === undefined)
    return (
      <Typography.Text type="secondary" data-testid={testId} data-rank="none">
        {t('scorecards.noData')}
      </Typography.Text>
    )
  const reason =
    minSample === null
      ? t('scorecards.smallSampleReason')
      : t('scorecards.smallSampleReasonN', { n: minSample })
  return (
    <span className="xzt-sc-unranked">
      <Tag color="warning" data-testid={testId} data-rank="small">
        {t('scorecards.smallSample')}
      </Tag>
      <Typography.Text type="secondary" className="xzt-sc-reason" data-testid={`${testId}-reason`}>
        {reason}
      </Typography.Text>
    </span>
  )
}

/** The change against the previous period: ↑ green, ↓ red, → unchanged; — without both totals. */
export function TrendCell({ trend }: { trend: number | null }) {
  const { t } = useI18n()
  if (trend === null)
    return (
      <Tooltip title={t('scorecards.trendNone')}>
        <Typography.Text type="secondary" data-testid="scorecard-trend" data-trend="none">
          —
        </Typography.Text>
      </Tooltip>
    )
  const dir = Math.abs(trend) < 0.05 ? 'flat' : trend > 0 ? 'up' : 'down'
  const icon = dir === 'up' ? <ArrowUpOutlined /> : dir === 'down' ? <ArrowDownOutlined /> : <MinusOutlined />
  return (
    <Tooltip title={t(`scorecards.trend.${dir}`, { v: formatScore(Math.abs(trend)) })}>
      <span className={`xzt-sc-trend xzt-sc-trend-${dir}`} data-testid="scorecard-trend" data-trend={dir}>
        {icon} {dir === 'flat' ? '' : formatScore(Math.abs(trend))}
      </span>
    </Tooltip>
  )
}

function ScoreBar({ label, score, testId }: { label: ReactNode; score: number | null; testId: string }) {
  const { t } = useI18n()
  return (
    <div className="xzt-sc-bar" data-testid={testId}>
      <div className="xzt-sc-bar-head">
        <span>{label}</span>
        <strong>{score === null ? t('scorecards.noData') : formatScore(score)}</strong>
      </div>
      <Progress percent={score ?? 0} showInfo={false} size="small" status="normal" />
    </div>
  )
}

export function ScorecardView({
  row,
  minSamples,
  onIndicator,
  own = false,
}: {
  row: ScorecardRow
  minSamples: ReadonlyMap<string, number>
  /** Opens an indicator's facts (every indicator's when `null`). */
  onIndicator: (code: IndicatorCode | null) => void
  own?: boolean
}) {
  const { t, lang } = useI18n()
  const phone = usePhone()
  const minSample = minSampleOf(minSamples, row.policyVersion)
  const hasPromotion = row.promotionParts !== undefined
  const promoMin = minSampleOf(minSamples, row.promotionPolicy)

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="scorecard-view">
      <Card size="small" className="xzt-sc-summary">
        <Row gutter={[16, 16]} align="middle">
          <Col xs={24} md={8}>
            <div className="xzt-sc-total-label">{own ? t('scorecards.myTotal') : t('scorecards.total')}</div>
            <div
              className={row.total === null ? 'xzt-sc-total xzt-sc-total-none' : 'xzt-sc-total'}
              data-testid="scorecard-total"
            >
              {row.total === null ? t('scorecards.noData') : formatScore(row.total)}
            </div>
            <Space size={12} wrap className="xzt-sc-meta">
              <RankCell rank={row.rank} total={row.total} minSample={minSample} />
              <span>
                {t('scorecards.col.trend')}
                {t('common.colon')}
                <TrendCell trend={row.trend} />
              </span>
            </Space>
            <div className="xzt-sc-policy" data-testid="scorecard-policy">
              {policyName(row.policyVersion, t)}
            </div>
          </Col>
          <Col xs={24} md={16}>
            {DIMENSIONS.map((d) => (
              <ScoreBar
                key={d}
                label={bilingual(ASSESSMENT_DIMENSIONS[d], lang)}
                score={row.dimensions[d]}
                testId={`scorecard-dimension-${d}`}
              />
            ))}
          </Col>
        </Row>
      </Card>

      {hasPromotion && (
        <Card
          size="small"
          title={t('scorecards.promotion.title')}
          extra={<span className="xzt-sc-policy">{policyName(row.promotionPolicy, t)}</span>}
          data-testid="scorecard-promotion"
        >
          <Row gutter={[16, 12]} align="middle">
            <Col xs={24} md={8}>
              <div
                className={
                  row.promotionIndex === null || row.promotionIndex === undefined
                    ? 'xzt-sc-total xzt-sc-total-none'
                    : 'xzt-sc-total'
                }
                data-testid="promotion-index"
              >
                {row.promotionIndex === null || row.promotionIndex === undefined
                  ? t('scorecards.noData')
                  : formatScore(row.promotionIndex)}
              </div>
              {row.promotionRank !== undefined && (
                <RankCell
                  rank={row.promotionRank}
                  total={row.promotionIndex}
                  minSample={promoMin}
                  testId="promotion-rank"
                />
              )}
            </Col>
            <Col xs={24} md={16}>
              {PARTS.map((p) => (
                <ScoreBar
                  key={p}
                  label={bilingual(PROMOTION_PARTS[p], lang)}
                  score={row.promotionParts?.[p] ?? null}
                  testId={`promotion-part-${p}`}
                />
              ))}
            </Col>
          </Row>
          {(row.promotionMissing?.length ?? 0) > 0 && (
            <Typography.Paragraph
              type="warning"
              style={{ margin: '8px 0 0' }}
              data-testid="promotion-missing"
            >
              {t('scorecards.promotion.missing', {
                parts: row
                  .promotionMissing!.map((p) => bilingual(PROMOTION_PARTS[p], lang))
                  .join(t('scorecards.listSep')),
              })}
            </Typography.Paragraph>
          )}
        </Card>
      )}

      {DIMENSIONS.map((d) => (
        <Card
          key={d}
          size="small"
          title={bilingual(ASSESSMENT_DIMENSIONS[d], lang)}
          extra={
            d === 'experience' ? (
              <Button size="small" onClick={() => onIndicator(null)} data-testid="scorecard-all-facts">
                {t('scorecards.allFacts')}
              </Button>
            ) : undefined
          }
        >
          <Row gutter={[12, 12]}>
            {INDICATOR_CODES.filter((c) => INDICATORS[c].dimension === d).map((code) => {
              const ind = row.indicators[code]
              // On a phone an indicator without facts is one line (its definition is with its facts).
              if (phone && ind.n === 0)
                return (
                  <Col xs={24} key={code}>
                    <div
                      className="xzt-sc-indicator xzt-sc-indicator-empty"
                      role="button"
                      tabIndex={0}
                      onClick={() => onIndicator(code)}
                      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onIndicator(code)}
                      data-testid="scorecard-indicator"
                      data-code={code}
                    >
                      <span className="xzt-sc-ind-name">{indicatorName(code, lang)}</span>
                      <span className="xzt-sc-ind-meta" data-testid="indicator-n">
                        {t('scorecards.factsN', { n: 0 })}
                      </span>
                    </div>
                  </Col>
                )
              return (
                <Col xs={24} sm={12} xl={8} key={code}>
                  <div
                    className="xzt-sc-indicator"
                    role="button"
                    tabIndex={0}
                    onClick={() => onIndicator(code)}
                    onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onIndicator(code)}
                    data-testid="scorecard-indicator"
                    data-code={code}
                  >
                    <div className="xzt-sc-ind-head">
                      <span className="xzt-sc-ind-name">{indicatorName(code, lang)}</span>
                      <RightOutlined className="xzt-sc-ind-open" />
                    </div>
                    <div className="xzt-sc-ind-numbers">
                      <span className="xzt-sc-ind-value" data-testid="indicator-value">
                        {formatValue(code, ind.value, t)}
                      </span>
                      <span className="xzt-sc-ind-score">
                        {t('scorecards.indicatorScore', { v: formatScore(ind.score) })}
                      </span>
                    </div>
                    <Space size={6} wrap className="xzt-sc-ind-meta">
                      <span data-testid="indicator-n">{t('scorecards.factsN', { n: ind.n })}</span>
                      {ind.n > 0 && ind.smallSample && (
                        <Tooltip
                          title={
                            minSample === null
                              ? t('scorecards.smallSampleIndicator')
                              : t('scorecards.smallSampleIndicatorN', { n: minSample })
                          }
                        >
                          <Tag color="warning" data-testid="indicator-small">
                            {t('scorecards.smallSample')}
                          </Tag>
                        </Tooltip>
                      )}
                      {ind.value !== null && ind.score === null && <Tag>{t('scorecards.notInFormula')}</Tag>}
                    </Space>
                    <div className="xzt-sc-ind-def">{indicatorDefinition(code, lang)}</div>
                  </div>
                </Col>
              )
            })}
          </Row>
        </Card>
      ))}
    </Space>
  )
}
