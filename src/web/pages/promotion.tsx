/**
 * 晋升指数 (`/promotion`): the organisation department's ranking of the officials of a region for a
 * period by the promotion index (改革评分 + 组织评价 + 群众满意度, weighted by the promotion policy),
 * small samples listed apart with why, the missing parts named; a chart of the top officials' index by
 * its parts; the Excel export; and entering or correcting an official's organisation evaluation with
 * its revisions. The what-if (模拟对比) opens from here with the same level, region and period.
 * @module
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react'
import {
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Empty,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import { DownloadOutlined, ExperimentOutlined, ReloadOutlined, TrophyOutlined } from '@ant-design/icons'
import type { Me } from '../api.js'
import { ApiError } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps } from '../router.js'
import { usePhone } from '../responsive.js'
import { canEvaluateOfficials, canExportScorecards, canRunWhatIf } from '../access.js'
import { PROMOTION_PARTS } from '../../shared/assessment.js'
import type { PromotionPart } from '../../shared/assessment.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { useNow } from '../components/cases/case-common.js'
import { pick } from '../components/policies/labels.js'
import {
  PeriodSelect,
  RegionPicker,
  currentQuarter,
  periodName,
  policyName,
} from '../components/assessment-filters.js'
import { EvaluationDrawer, PartValue } from '../components/promotion-evaluation.js'
import type { PromotionBarItem } from '../components/promotion-charts.js'
import { promotionApi } from '../promotion-api.js'
import { assessmentApi, parsePolicyId } from '../assessment-api.js'
import type { ScorecardRow } from '../assessment-api.js'
import { downloadBlob } from '../forms.js'
import { policiesApi } from '../policies-api.js'
import '../components/promotion.css'
import type { PolicyVersion } from '../policies-api.js'

const PromotionBarChart = lazy(async () => ({
  default: (await import('../components/promotion-charts.js')).PromotionBarChart,
}))

const PARTS = Object.keys(PROMOTION_PARTS) as PromotionPart[]
/** Officials in the chart. */
const TOP = 10

interface PromotionBody {
  weights: Record<PromotionPart, number>
  minSample: number
}

/** The region path from the jurisdiction root to `code` (codes are prefixes: 43 → 4301 → 430102 …). */
export function regionPath(root: string, code: string): string[] {
  if (!code.startsWith(root)) return [root]
  return [2, 4, 6, 9].filter((n) => n >= root.length && n <= code.length).map((n) => code.slice(0, n))
}

/** The URL's `?region=&period=` (the what-if links back with them). */
function initialQuery(me: Me, now: number): { region: string; period: string } {
  const q = new URLSearchParams(window.location.search)
  const region = q.get('region')
  const period = q.get('period')
  return {
    region:
      region && /^[0-9]{2,12}$/.test(region) && region.startsWith(me.regionCode) ? region : me.regionCode,
    period: period && /^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/.test(period) ? period : currentQuarter(now),
  }
}

/** Each part's contribution to the index: its value × its weight's share among the parts present. */
export function contributions(
  row: ScorecardRow,
  weights: Record<PromotionPart, number> | undefined,
): number[] {
  const parts = row.promotionParts
  if (!parts) return PARTS.map(() => 0)
  const w = (p: PromotionPart) => (weights ? weights[p] : 1)
  const present = PARTS.filter((p) => parts[p] !== null)
  const sum = present.reduce((s, p) => s + w(p), 0)
  return PARTS.map((p) => (parts[p] === null || sum === 0 ? 0 : ((parts[p] ?? 0) * w(p)) / sum))
}

export function PromotionPage({ me }: { me: Me }) {
  const { t, lang, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const phone = usePhone()
  const now = useNow()
  const initial = useMemo(() => initialQuery(me, Date.now()), [me])
  const [region, setRegion] = useState<string[]>(() => regionPath(me.regionCode, initial.region))
  const [period, setPeriod] = useState(initial.period)
  const [rows, setRows] = useState<ScorecardRow[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const [versions, setVersions] = useState<PolicyVersion[]>([])
  const [open, setOpen] = useState<ScorecardRow | null>(null)
  const [exporting, setExporting] = useState(false)
  const regionCode = region[region.length - 1] ?? me.regionCode
  const mayEvaluate = canEvaluateOfficials(me)

  const load = useCallback(async () => {
    setLoading(true)
    try {
      setRows(
        await assessmentApi.scorecards({ level: 'official', region: regionCode, period }, { quiet: true }),
      )
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }, [regionCode, period])
  useEffect(() => void load(), [load])
  // The drawer shows the official's row as reloaded (an evaluation entered changes the index).
  useEffect(() => {
    setOpen((o) => (o ? (rows?.find((r) => r.subject.id === o.subject.id) ?? o) : o))
  }, [rows])
  useEffect(() => {
    // The promotion policy's versions: the weights and minimum sample of the version a row names.
    policiesApi.kind('assessment.promotion', { quiet: true }).then(
      (k) => setVersions(k.history),
      () => setVersions([]),
    )
  }, [])

  // Keep the URL on the view, so it can be shared and the what-if can link back.
  useEffect(() => {
    const search = `?region=${regionCode}&period=${period}`
    if (window.location.search !== search) window.history.replaceState(null, '', `/promotion${search}`)
  }, [regionCode, period])

  const promotionId = rows?.find((r) => r.promotionPolicy)?.promotionPolicy
  const formulaId = rows?.[0]?.policyVersion
  const promotionRef = promotionId ? parsePolicyId(promotionId) : null
  const policy = versions.find((v) => promotionRef && v.version === promotionRef.version)?.body as
    PromotionBody | undefined

  const { ranked, apart } = useMemo(() => {
    const list = rows ?? []
    const byIndex = (a: ScorecardRow, b: ScorecardRow) =>
      (b.promotionIndex ?? -1) - (a.promotionIndex ?? -1) ||
      a.subject.name.localeCompare(b.subject.name, 'zh-CN')
    return {
      ranked: list
        .filter((r) => r.promotionRank !== null && r.promotionRank !== undefined)
        .sort((a, b) => (a.promotionRank ?? 0) - (b.promotionRank ?? 0)),
      apart: list.filter((r) => r.promotionRank === null || r.promotionRank === undefined).sort(byIndex),
    }
  }, [rows])

  const chartItems = useMemo<PromotionBarItem[]>(
    () =>
      ranked
        .filter((r) => r.promotionIndex !== null && r.promotionIndex !== undefined)
        .slice(0, TOP)
        .map((r) => ({
          name: r.subject.name,
          parts: contributions(r, policy?.weights),
          index: r.promotionIndex ?? 0,
        })),
    [ranked, policy],
  )
  const partNames = useMemo(() => PARTS.map((p) => pick(PROMOTION_PARTS[p], lang)), [lang])

  const exportXlsx = async () => {
    setExporting(true)
    try {
      const { blob, fileName } = await promotionApi.exportXlsx(
        { level: 'official', region: regionCode, period },
        { quiet: true },
      )
      downloadBlob(blob, fileName ?? t('promo.export.fileName', { region: regionCode, period }))
      void message.success({ content: t('promo.export.done'), key: 'promotion-export' })
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'promotion-export',
      })
    } finally {
      setExporting(false)
    }
  }

  /** Why an official is not ranked: too few facts (counted by the policy's minimum), or no part at all. */
  const whyApart = (r: ScorecardRow) => {
    const n = r.indicators.rating_avg.n + r.indicators.appeal_satisfaction.n + r.indicators.reform_score.n
    if (r.promotionSmallSample)
      return policy
        ? t('promo.apart.smallSample', { n, min: policy.minSample })
        : t('promo.apart.smallSampleNoMin', { n })
    return t('promo.apart.noIndex')
  }

  const evaluateButton = (r: ScorecardRow) => (
    <Button
      size="small"
      onClick={() => setOpen(r)}
      data-testid="promotion-evaluate"
      data-staff={r.subject.id}
    >
      {mayEvaluate ? t('promo.evaluate') : t('promo.evaluations')}
    </Button>
  )

  const partColumns: TableColumnsType<ScorecardRow> = PARTS.map((p) => ({
    title: pick(PROMOTION_PARTS[p], lang),
    key: p,
    render: (_, r) => <PartValue value={r.promotionParts?.[p]} />,
  }))

  const missingColumn: TableColumnsType<ScorecardRow>[number] = {
    title: t('promo.col.missing'),
    key: 'missing',
    render: (_, r) =>
      r.promotionMissing && r.promotionMissing.length > 0 ? (
        <Space size={4} wrap data-testid="promotion-missing">
          {r.promotionMissing.map((p) => (
            <Tag key={p} color="orange">
              {t('promo.missingPart', { part: pick(PROMOTION_PARTS[p], lang) })}
            </Tag>
          ))}
        </Space>
      ) : phone ? null : (
        <Typography.Text type="secondary">{t('promo.complete')}</Typography.Text>
      ),
  }

  const rankedColumns: TableColumnsType<ScorecardRow> = [
    {
      title: t('promo.col.rank'),
      key: 'rank',
      width: 72,
      render: (_, r) =>
        r.promotionRank ? (
          <strong className="xzt-promo-rank" data-testid="promotion-rank">
            {r.promotionRank}
          </strong>
        ) : (
          '—'
        ),
    },
    {
      title: t('promo.col.official'),
      key: 'official',
      render: (_, r) => (
        <span translate="no" data-testid="promotion-name">
          {r.subject.name}
        </span>
      ),
    },
    {
      title: t('promo.col.index'),
      key: 'index',
      render: (_, r) => (
        <strong data-testid="promotion-index">
          <PartValue value={r.promotionIndex} />
        </strong>
      ),
    },
    ...partColumns,
    missingColumn,
    { title: t('common.actions'), key: 'actions', render: (_, r) => evaluateButton(r) },
  ]

  const apartColumns: TableColumnsType<ScorecardRow> = [
    {
      title: t('promo.col.official'),
      key: 'official',
      render: (_, r) => <span translate="no">{r.subject.name}</span>,
    },
    {
      title: t('promo.col.index'),
      key: 'index',
      render: (_, r) => <PartValue value={r.promotionIndex} />,
    },
    {
      title: t('promo.col.why'),
      key: 'why',
      render: (_, r) => (
        <span data-testid="promotion-why">
          <Tag color="default">{r.promotionSmallSample ? t('promo.smallSample') : t('promo.noIndex')}</Tag>
          {whyApart(r)}
        </span>
      ),
    },
    missingColumn,
    { title: t('common.actions'), key: 'actions', render: (_, r) => evaluateButton(r) },
  ]

  const table = (
    list: ScorecardRow[],
    columns: TableColumnsType<ScorecardRow>,
    testId: string,
    empty: string,
  ) =>
    phone ? (
      <CardList<ScorecardRow>
        rowKey={(r) => r.subject.id}
        columns={columns}
        dataSource={list}
        loading={rows === null && !error}
        testId={testId}
        emptyText={<Empty description={empty} />}
        pageSize={10}
      />
    ) : (
      <Table<ScorecardRow>
        rowKey={(r) => r.subject.id}
        columns={columns}
        dataSource={list}
        loading={rows === null && !error}
        pagination={list.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={empty} /> }}
        data-testid={testId}
      />
    )

  const whatIfPath = `/what-if?level=official&region=${regionCode}&period=${period}`

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="promotion-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={3} className="xzt-page-title" data-testid="page-title">
              <TrophyOutlined /> {t('promo.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('promo.intro')}
            </Typography.Paragraph>
          </div>
        </div>
      </Card>
      <Card size="small">
        <Space wrap size={[12, 12]} data-testid="promotion-filters">
          <PeriodSelect value={period} onChange={setPeriod} now={now} />
          <RegionPicker root={me.regionCode} value={region} onChange={setRegion} />
          <Button icon={<ReloadOutlined />} size="large" onClick={() => void load()} loading={loading}>
            {t('common.refresh')}
          </Button>
          {canExportScorecards(me) && (
            <Button
              icon={<DownloadOutlined />}
              size="large"
              onClick={() => void exportXlsx()}
              loading={exporting}
              data-testid="promotion-export"
            >
              {t('promo.export')}
            </Button>
          )}
          {canRunWhatIf(me) && (
            <Button
              icon={<ExperimentOutlined />}
              size="large"
              {...linkProps(whatIfPath)}
              data-testid="promotion-what-if"
            >
              {t('whatif.open')}
            </Button>
          )}
        </Space>
      </Card>
      {error ? (
        <LoadError title={t('promo.loadFailed')} error={error} onRetry={() => void load()} />
      ) : (
        <>
          <Card size="small" title={t('promo.policy.title')}>
            <Descriptions
              size="small"
              column={phone ? 1 : 2}
              data-testid="promotion-policy"
              items={[
                {
                  key: 'promotion',
                  label: t('promo.policy.promotion'),
                  children: promotionId ? policyName(promotionId, lang, t) : t('promo.policy.unknown'),
                },
                {
                  key: 'formula',
                  label: t('promo.policy.formula'),
                  children: formulaId ? policyName(formulaId, lang, t) : t('promo.policy.unknown'),
                },
                {
                  key: 'weights',
                  label: t('promo.policy.weights'),
                  children: policy
                    ? PARTS.map((p) => `${pick(PROMOTION_PARTS[p], lang)} ${policy.weights[p]}`).join(
                        t('promo.sep'),
                      )
                    : '—',
                },
                {
                  key: 'minSample',
                  label: t('promo.policy.minSample'),
                  children: policy ? t('promo.policy.minSampleN', { n: policy.minSample }) : '—',
                },
              ]}
            />
          </Card>
          <Card size="small" title={t('promo.chart.title', { n: chartItems.length })}>
            {chartItems.length === 0 ? (
              <Empty description={t('promo.chart.empty')} />
            ) : (
              <Suspense fallback={<Skeleton active />}>
                <PromotionBarChart
                  items={chartItems}
                  partNames={partNames}
                  indexLabel={t('promo.col.index')}
                  height={Math.max(220, 40 + chartItems.length * 34)}
                />
              </Suspense>
            )}
          </Card>
          <Card
            size="small"
            title={t('promo.ranked.title', { period: periodName(period, t), n: ranked.length })}
          >
            {table(ranked, rankedColumns, 'promotion-ranked', t('promo.ranked.empty'))}
          </Card>
          {
            <Card
              size="small"
              title={t('promo.apart.title', { n: apart.length })}
              extra={
                phone ? null : (
                  <Typography.Text type="secondary">
                    {policy ? t('promo.apart.rule', { min: policy.minSample }) : null}
                  </Typography.Text>
                )
              }
            >
              {table(apart, apartColumns, 'promotion-apart', t('promo.apart.empty'))}
            </Card>
          }
        </>
      )}
      <EvaluationDrawer
        row={open}
        period={period}
        mayEvaluate={mayEvaluate}
        onClose={() => setOpen(null)}
        onSaved={() => void load()}
      />
    </Space>
  )
}
