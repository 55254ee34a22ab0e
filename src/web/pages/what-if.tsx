/**
 * 模拟对比 (`/what-if?level=&region=&period=&kind=`): a level's scorecards for a region and a period
 * recomputed under a candidate assessment formula (考核指标与权重) or promotion weights (干部选拔任用指数
 * 权重): a published version, or a draft edited in place in the form generated from the policy's
 * schema, beside the current result: each subject's total (or promotion index) and rank under both,
 * the differences with arrows, rank moves highlighted, and a chart of the moves. Nothing is published.
 * @module
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Radio,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  ArrowDownOutlined,
  ArrowLeftOutlined,
  ArrowUpOutlined,
  ExperimentOutlined,
  PlayCircleOutlined,
} from '@ant-design/icons'
import type { Me } from '../api.js'
import { ApiError } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps } from '../router.js'
import { usePhone } from '../responsive.js'
import { canSeePromotion } from '../access.js'
import { ASSESSMENT_LEVELS, ASSESSMENT_LEVEL_NAMES } from '../../shared/assessment.js'
import type { AssessmentLevel } from '../../shared/assessment.js'
import type { FormData, JsonSchema } from '../forms.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { useNow } from '../components/cases/case-common.js'
import { LazyMatterForm } from '../components/cases/lazy-form.js'
import type { ServerFieldError } from '../components/cases/lazy-form.js'
import { kindTitle, pick, titledSchema } from '../components/policies/labels.js'
import { diffDocuments } from '../components/policies/diff.js'
import { PolicyDiff } from '../components/policies/policy-diff.js'
import { refusalText } from '../components/policies/policy-editor.js'
import {
  PeriodSelect,
  RegionPicker,
  currentQuarter,
  periodName,
  policyName,
} from '../components/assessment-filters.js'
import type { RankMoveItem } from '../components/promotion-charts.js'
import { policiesApi, publishErrors } from '../policies-api.js'
import type { PolicyKindDetail, PublishError } from '../policies-api.js'
import { promotionApi } from '../promotion-api.js'
import type { WhatIfInput, WhatIfResult, WhatIfRow } from '../promotion-api.js'
import { regionPath } from './promotion.js'
import '../components/policies/policies.css'
import '../components/promotion.css'

const RankChangeChart = lazy(async () => ({
  default: (await import('../components/promotion-charts.js')).RankChangeChart,
}))

type Kind = 'assessment.formula' | 'assessment.promotion'
const KINDS: Kind[] = ['assessment.formula', 'assessment.promotion']
/** The levels whose subjects have a promotion index (officials). */
const WITH_PROMOTION: Record<AssessmentLevel, boolean> = { official: true, department: false, region: false }
/** Subjects in the chart of rank moves. */
const CHART_MOVES = 15

function initialQuery(me: Me, now: number) {
  const q = new URLSearchParams(window.location.search)
  const level = q.get('level')
  const region = q.get('region')
  const period = q.get('period')
  const kind = q.get('kind')
  return {
    level: (ASSESSMENT_LEVELS as readonly string[]).includes(level ?? '')
      ? (level as AssessmentLevel)
      : 'official',
    region:
      region && /^[0-9]{2,12}$/.test(region) && region.startsWith(me.regionCode) ? region : me.regionCode,
    period: period && /^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/.test(period) ? period : currentQuarter(now),
    kind: (KINDS as string[]).includes(kind ?? '') ? (kind as Kind) : 'assessment.formula',
  }
}

/** The figures a row is compared by: the promotion index and its rank when the promotion weights vary. */
function measure(row: WhatIfRow, side: 'current' | 'candidate', byPromotion: boolean) {
  const s = row[side]
  return byPromotion
    ? { value: s.promotionIndex ?? null, rank: s.promotionRank ?? null }
    : { value: s.total, rank: s.rank }
}

/** Places moved up (positive) from the current rank to the candidate's; null when either is unranked. */
function rankMove(row: WhatIfRow, byPromotion: boolean): number | null {
  const a = measure(row, 'current', byPromotion).rank
  const b = measure(row, 'candidate', byPromotion).rank
  return a === null || b === null ? null : a - b
}

/** A difference with its arrow: up green, down red (for ranks, `better` says which way is up). */
function Delta({ value, digits = 1, testId }: { value: number | null; digits?: number; testId?: string }) {
  if (value === null || Number.isNaN(value)) return <span className="xzt-whatif-flat">—</span>
  const rounded = Number(value.toFixed(digits))
  if (rounded === 0)
    return (
      <span className="xzt-whatif-flat" data-testid={testId} data-delta="0">
        0
      </span>
    )
  const up = rounded > 0
  return (
    <span
      className={up ? 'xzt-whatif-up-text' : 'xzt-whatif-down-text'}
      data-testid={testId}
      data-delta={rounded}
    >
      {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {Math.abs(rounded).toFixed(digits)}
    </span>
  )
}

const fixed = (v: number | null) => (v === null ? '—' : v.toFixed(1))

export function WhatIfPage({ me }: { me: Me }) {
  const { t, lang } = useI18n()
  const phone = usePhone()
  const now = useNow()
  const initial = useMemo(() => initialQuery(me, Date.now()), [me])
  const [level, setLevel] = useState<AssessmentLevel>(initial.level)
  const [region, setRegion] = useState<string[]>(() => regionPath(me.regionCode, initial.region))
  const [period, setPeriod] = useState(initial.period)
  const [kind, setKind] = useState<Kind>(initial.kind)
  const [source, setSource] = useState<'version' | 'draft'>('version')
  const [detail, setDetail] = useState<PolicyKindDetail | null>(null)
  const [detailError, setDetailError] = useState<unknown>(null)
  const [version, setVersion] = useState<number | null>(null)
  const [draft, setDraft] = useState<FormData>({})
  const [result, setResult] = useState<WhatIfResult | null>(null)
  const [runError, setRunError] = useState<unknown>(null)
  const [running, setRunning] = useState(false)
  const [refusal, setRefusal] = useState<{ errors: PublishError[]; body: string } | null>(null)
  const regionCode = region[region.length - 1] ?? me.regionCode
  // The promotion weights weigh officials' index only.
  const effectiveKind: Kind = WITH_PROMOTION[level] ? kind : 'assessment.formula'
  const byPromotion = effectiveKind === 'assessment.promotion'

  const loadKind = useCallback(async () => {
    setDetail(null)
    try {
      const d = await policiesApi.kind(effectiveKind, { quiet: true })
      setDetail(d)
      setDetailError(null)
      setDraft(structuredClone((d.current?.body ?? {}) as FormData))
      // Another version than the one in force, if there is one: the newest.
      const other = d.history.find((v) => v.version !== d.current?.version)
      setVersion(other?.version ?? d.current?.version ?? null)
    } catch (e) {
      setDetailError(e)
    }
  }, [effectiveKind])
  useEffect(() => void loadKind(), [loadKind])

  useEffect(() => {
    const search = `?level=${level}&region=${regionCode}&period=${period}&kind=${effectiveKind}`
    if (window.location.search !== search) window.history.replaceState(null, '', `/what-if${search}`)
  }, [level, regionCode, period, effectiveKind])

  // A result answers the question it was asked; a changed question clears it.
  useEffect(() => {
    setResult(null)
    setRunError(null)
  }, [level, regionCode, period, effectiveKind, source])

  const run = async (document?: FormData) => {
    const candidate = document !== undefined ? { document } : version !== null ? { version } : null
    if (!candidate) return
    const input: WhatIfInput = {
      level,
      region: regionCode,
      period,
      ...(byPromotion ? { promotion: candidate } : { formula: candidate }),
    }
    setRunning(true)
    setRefusal(null)
    try {
      setResult(await promotionApi.whatIf(input, { quiet: true }))
      setRunError(null)
    } catch (e) {
      setResult(null)
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED' && document !== undefined) {
        // The draft's violations, by the fields they name (paths under …/document/).
        const prefix = pathPrefix(e.details)
        setRefusal({ errors: publishErrors(e.details, prefix), body: JSON.stringify(document) })
        setRunError(null)
      } else setRunError(e)
    } finally {
      setRunning(false)
    }
  }

  const schema = useMemo(
    () => (detail ? titledSchema(detail.schema as JsonSchema, lang) : null),
    [detail, lang],
  )
  const changes = useMemo(() => diffDocuments(detail?.current?.body ?? {}, draft), [detail, draft])
  const refused = useMemo(
    () => (refusal && refusal.body === JSON.stringify(draft) ? refusal.errors : []),
    [refusal, draft],
  )
  const serverErrors = useMemo<ServerFieldError[]>(
    () =>
      refused
        .filter((e) => e.path !== null)
        .map((e) => ({ path: e.path ?? [], message: refusalText(e, t), keyword: null })),
    [refused, t],
  )

  const rows = useMemo(() => {
    if (!result) return []
    return [...result.rows].sort((a, b) => {
      const ra = measure(a, 'candidate', byPromotion).rank ?? Number.MAX_SAFE_INTEGER
      const rb = measure(b, 'candidate', byPromotion).rank ?? Number.MAX_SAFE_INTEGER
      return ra - rb || a.subject.name.localeCompare(b.subject.name, 'zh-CN')
    })
  }, [result, byPromotion])
  const moves = useMemo(() => rows.map((r) => rankMove(r, byPromotion)), [rows, byPromotion])
  const up = moves.filter((m) => m !== null && m > 0).length
  const down = moves.filter((m) => m !== null && m < 0).length
  const chartItems = useMemo<RankMoveItem[]>(
    () =>
      rows
        .map((r, i) => ({
          name: r.subject.name,
          move: moves[i] ?? 0,
          from: measure(r, 'current', byPromotion).rank,
          to: measure(r, 'candidate', byPromotion).rank,
        }))
        .filter((i) => i.move !== 0)
        .sort((a, b) => Math.abs(b.move) - Math.abs(a.move))
        .slice(0, CHART_MOVES),
    [rows, moves, byPromotion],
  )
  const chartLabels = useMemo(
    () => ({
      move: t('whatif.col.move'),
      tooltip: (i: RankMoveItem) => t('whatif.chart.tooltip', { from: i.from ?? '—', to: i.to ?? '—' }),
    }),
    [t],
  )

  const valueLabel = byPromotion ? t('whatif.col.index') : t('whatif.col.total')
  const columns: TableColumnsType<WhatIfRow> = [
    {
      title: t('whatif.col.move'),
      key: 'move',
      width: 96,
      render: (_, r) => {
        const m = rankMove(r, byPromotion)
        const a = measure(r, 'current', byPromotion).rank
        const b = measure(r, 'candidate', byPromotion).rank
        if (m === null)
          return a === b ? (
            <span className="xzt-whatif-flat">—</span>
          ) : (
            <Tag color={b === null ? 'default' : 'blue'}>
              {b === null ? t('whatif.leaves') : t('whatif.enters')}
            </Tag>
          )
        return <Delta value={m} digits={0} testId="whatif-move" />
      },
    },
    {
      title: t('whatif.col.subject'),
      key: 'subject',
      render: (_, r) => (
        <span translate="no" data-testid="whatif-subject">
          {r.subject.name}
        </span>
      ),
    },
    {
      title: t('whatif.col.current', { what: valueLabel }),
      key: 'current',
      render: (_, r) => {
        const m = measure(r, 'current', byPromotion)
        return (
          <span className="xzt-nowrap">
            {fixed(m.value)}{' '}
            <Typography.Text type="secondary">
              {m.rank ? t('whatif.rankN', { n: m.rank }) : t('whatif.unranked')}
            </Typography.Text>
          </span>
        )
      },
    },
    {
      title: t('whatif.col.candidate', { what: valueLabel }),
      key: 'candidate',
      render: (_, r) => {
        const m = measure(r, 'candidate', byPromotion)
        return (
          <span className="xzt-nowrap">
            <strong>{fixed(m.value)}</strong>{' '}
            <Typography.Text type="secondary">
              {m.rank ? t('whatif.rankN', { n: m.rank }) : t('whatif.unranked')}
            </Typography.Text>
          </span>
        )
      },
    },
    {
      title: t('whatif.col.delta', { what: valueLabel }),
      key: 'delta',
      render: (_, r) => {
        const a = measure(r, 'current', byPromotion).value
        const b = measure(r, 'candidate', byPromotion).value
        return <Delta value={a === null || b === null ? null : b - a} testId="whatif-delta" />
      },
    },
    ...(WITH_PROMOTION[level] && !byPromotion
      ? [
          {
            title: t('whatif.col.indexDelta'),
            key: 'index',
            responsive: ['lg' as const],
            render: (_: unknown, r: WhatIfRow) => {
              const a = r.current.promotionIndex ?? null
              const b = r.candidate.promotionIndex ?? null
              return (
                <span className="xzt-nowrap">
                  {fixed(a)} → {fixed(b)} <Delta value={a === null || b === null ? null : b - a} />
                </span>
              )
            },
          },
        ]
      : []),
  ]
  const rowClass = (r: WhatIfRow) => {
    const m = rankMove(r, byPromotion)
    return m === null || m === 0 ? '' : m > 0 ? 'xzt-whatif-row-up' : 'xzt-whatif-row-down'
  }

  const backPath = canSeePromotion(me) ? `/promotion?region=${regionCode}&period=${period}` : null

  let resultBody: ReactNode = null
  if (runError) {
    resultBody = (
      <LoadError
        title={t('whatif.failed')}
        error={runError}
        onRetry={() => void run(source === 'draft' ? draft : undefined)}
      />
    )
  } else if (result) {
    resultBody = (
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="whatif-result">
        <Card size="small" title={t('whatif.result.title', { period: periodName(period, t) })}>
          <Descriptions
            size="small"
            column={phone ? 1 : 2}
            items={[
              {
                key: 'current',
                label: t('whatif.result.current'),
                children: (
                  <span data-testid="whatif-current-policy">
                    {policyName(
                      byPromotion ? result.current.promotionPolicy : result.current.policyVersion,
                      lang,
                      t,
                    )}
                  </span>
                ),
              },
              {
                key: 'candidate',
                label: t('whatif.result.candidate'),
                children: (
                  <span data-testid="whatif-candidate-policy">
                    {policyName(
                      byPromotion ? result.candidate.promotionPolicy : result.candidate.policyVersion,
                      lang,
                      t,
                    )}
                  </span>
                ),
              },
            ]}
          />
          <Space size={32} wrap style={{ marginTop: 12 }}>
            <Statistic title={t('whatif.stat.subjects')} value={rows.length} />
            <Statistic title={t('whatif.stat.up')} value={up} styles={{ content: { color: '#389e0d' } }} />
            <Statistic
              title={t('whatif.stat.down')}
              value={down}
              styles={{ content: { color: '#cf1322' } }}
            />
          </Space>
        </Card>
        <Card size="small" title={t('whatif.chart.title')}>
          {chartItems.length === 0 ? (
            <Empty description={t('whatif.chart.none')} />
          ) : (
            <Suspense fallback={<Skeleton active />}>
              <RankChangeChart
                items={chartItems}
                labels={chartLabels}
                height={Math.max(200, 40 + chartItems.length * 30)}
              />
            </Suspense>
          )}
        </Card>
        <Card size="small" title={t('whatif.table.title', { n: rows.length })}>
          {phone ? (
            <CardList<WhatIfRow>
              rowKey={(r) => r.subject.id}
              columns={columns}
              dataSource={rows}
              rowClassName={rowClass}
              testId="whatif-rows"
              pageSize={10}
            />
          ) : (
            <Table<WhatIfRow>
              rowKey={(r) => r.subject.id}
              columns={columns}
              dataSource={rows}
              rowClassName={rowClass}
              pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              data-testid="whatif-rows"
            />
          )}
        </Card>
      </Space>
    )
  }

  const versionOptions = (detail?.history ?? []).map((v) => ({
    value: v.version,
    label: `${t('policies.versionN', { n: v.version })}${v.version === detail?.current?.version ? ` · ${t('policies.state.governing')}` : ''}`,
  }))

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="what-if-page">
      <Card size="small" className="xzt-page-head">
        {backPath && (
          <a {...linkProps(backPath)} className="xzt-back-link">
            <ArrowLeftOutlined /> {t('whatif.back')}
          </a>
        )}
        <Typography.Title level={3} className="xzt-page-title" data-testid="page-title">
          <ExperimentOutlined /> {t('whatif.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('whatif.intro')}
        </Typography.Paragraph>
      </Card>
      <Card size="small" title={t('whatif.question')}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space wrap size={[12, 12]}>
            <Radio.Group
              value={level}
              onChange={(e) => setLevel(e.target.value as AssessmentLevel)}
              optionType="button"
              size="large"
              options={ASSESSMENT_LEVELS.map((l) => ({
                value: l,
                label: pick(ASSESSMENT_LEVEL_NAMES[l], lang),
              }))}
              data-testid="whatif-level"
            />
            <RegionPicker root={me.regionCode} value={region} onChange={setRegion} testId="whatif-region" />
            <PeriodSelect value={period} onChange={setPeriod} now={now} testId="whatif-period" />
          </Space>
          <Space wrap size={[12, 12]}>
            <span>{t('whatif.vary')}</span>
            <Radio.Group
              value={effectiveKind}
              onChange={(e) => setKind(e.target.value as Kind)}
              optionType="button"
              size="large"
              options={KINDS.map((k) => ({
                value: k,
                label: kindTitle(k, lang),
                disabled: k === 'assessment.promotion' && !WITH_PROMOTION[level],
              }))}
              data-testid="whatif-kind"
            />
          </Space>
          <Space wrap size={[12, 12]}>
            <span>{t('whatif.candidate')}</span>
            <Radio.Group
              value={source}
              onChange={(e) => setSource(e.target.value as 'version' | 'draft')}
              optionType="button"
              size="large"
              options={[
                { value: 'version', label: t('whatif.source.version') },
                { value: 'draft', label: t('whatif.source.draft') },
              ]}
              data-testid="whatif-source"
            />
            {source === 'version' && (
              <>
                <Select
                  size="large"
                  value={version}
                  options={versionOptions}
                  onChange={(v: number) => setVersion(v)}
                  style={{ minWidth: 160 }}
                  popupMatchSelectWidth={false}
                  loading={detail === null && !detailError}
                  data-testid="whatif-version"
                />
                <Button
                  type="primary"
                  size="large"
                  icon={<PlayCircleOutlined />}
                  onClick={() => void run()}
                  loading={running}
                  disabled={version === null}
                  data-testid="whatif-run"
                >
                  {t('whatif.run')}
                </Button>
              </>
            )}
          </Space>
        </Space>
      </Card>
      {detailError ? (
        <LoadError
          title={kindTitle(effectiveKind, lang)}
          error={detailError}
          onRetry={() => void loadKind()}
        />
      ) : (
        source === 'draft' &&
        schema && (
          <div className="xzt-policy-editor" data-testid="whatif-draft">
            <div className="xzt-policy-editor-form">
              <Typography.Paragraph type="secondary">
                {t('whatif.draft.intro', { version: detail?.current?.version ?? 0 })}
              </Typography.Paragraph>
              {refused.length > 0 && (
                <Alert
                  type="error"
                  showIcon
                  data-testid="whatif-refused"
                  title={t('whatif.refused', { n: refused.length })}
                  description={
                    <ul>
                      {refused.map((e, i) => (
                        <li key={i}>{refusalText(e, t)}</li>
                      ))}
                    </ul>
                  }
                />
              )}
              <LazyMatterForm
                schema={schema}
                formData={draft}
                onChange={(data) => setDraft(JSON.parse(JSON.stringify(data)) as FormData)}
                onSubmit={(body) => void run(body)}
                serverErrors={serverErrors}
                submitting={running}
                submitLabel={t('whatif.run')}
                submitIcon={<PlayCircleOutlined />}
                testId="whatif-form"
                document
              />
            </div>
            <Card
              size="small"
              className="xzt-policy-live-diff"
              title={t('policies.publish.liveDiff', {
                version: detail?.current?.version ?? 0,
                n: changes.length,
              })}
            >
              <PolicyDiff
                changes={changes}
                emptyText={t('policies.publish.noChange')}
                testId="whatif-live-diff"
              />
            </Card>
          </div>
        )
      )}
      {running && !result ? (
        <Card size="small">
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : (
        resultBody
      )}
    </Space>
  )
}

/** The path prefix under which a what-if's refusal names the draft's fields (`/body/formula/document/…`). */
function pathPrefix(details: unknown): string[] {
  if (!Array.isArray(details)) return []
  for (const item of details) {
    const p = (item as { path?: unknown } | null)?.path
    if (typeof p !== 'string') continue
    const parts = p.split('/').filter(Boolean)
    const at = parts.indexOf('document')
    if (at >= 0) return parts.slice(0, at + 1)
  }
  return []
}
