/**
 * Scorecards (考核, `/scorecards`): computed from facts, never typed in. An official whose reach is their
 * own card sees 我的考核: every indicator, the promotion index, and the facts behind each number, which
 * they may contest. Whoever reads more (a supervisor their department, a leader their region, the
 * organisation department its region's officials) also gets the level tabs (干部 / 部门 / 地区) with a
 * region picker rooted at their jurisdiction and a period picker (the current quarter in Beijing time by
 * default): a ranked table, each row opening its card and its facts. Every fact's ledger entry is
 * verified in the browser on request.
 * @module
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Button, Card, Drawer, Empty, Space, Table, Tabs, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { ArrowLeftOutlined, ExperimentOutlined, ReloadOutlined, TrophyOutlined } from '@ant-design/icons'
import { ASSESSMENT_DIMENSIONS, ASSESSMENT_LEVELS, ASSESSMENT_LEVEL_NAMES } from '../../shared/assessment.js'
import type { AssessmentDimension, AssessmentLevel, IndicatorCode } from '../../shared/assessment.js'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { usePhone } from '../responsive.js'
import { canListScorecards, canRunWhatIf, hasOwnScorecard } from '../access.js'
import { linkProps } from '../router.js'
import { assessmentApi, periodAt } from '../assessment-api.js'
import type { ScorecardRow } from '../assessment-api.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { RegionCascader } from '../components/region-cascader.js'
import { useNow } from '../components/cases/case-common.js'
import { FactsPanel } from '../components/scorecards/facts-panel.js'
import { PeriodPicker } from '../components/scorecards/period-picker.js'
import {
  RankCell,
  ScorecardView,
  TrendCell,
  minSampleOf,
  useMinSamples,
} from '../components/scorecards/scorecard-view.js'
import { bilingual, formatScore, periodName, policyName } from '../components/scorecards/format.js'
import '../components/scorecards/scorecards.css'

const DIMENSIONS = Object.keys(ASSESSMENT_DIMENSIONS) as AssessmentDimension[]

type TabKey = 'mine' | AssessmentLevel

/** The level whose subjects are people: their cards carry the promotion index, and one of them may be the reader's. */
const PERSONAL: Record<AssessmentLevel, boolean> = { official: true, department: false, region: false }

/** Rows ranked first (by rank), then the unranked by total, then those without data. */
function byRank(a: ScorecardRow, b: ScorecardRow): number {
  const ra = a.rank ?? Number.POSITIVE_INFINITY
  const rb = b.rank ?? Number.POSITIVE_INFINITY
  if (ra !== rb) return ra - rb
  return (b.total ?? -1) - (a.total ?? -1)
}

function useScorecards(level: AssessmentLevel, region: string, period: string, enabled: boolean) {
  const [rows, setRows] = useState<ScorecardRow[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const load = useCallback(async () => {
    if (!enabled) return
    setLoading(true)
    try {
      const list = await assessmentApi.scorecards({ level, region, period }, { quiet: true })
      setRows([...list].sort(byRank))
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }, [level, region, period, enabled])
  useEffect(() => {
    setRows(null)
    void load()
  }, [load])
  return { rows, error, loading, load }
}

/** One subject opened: its card, and under it the facts of the indicator picked. */
function SubjectDrawer({
  me,
  level,
  row,
  period,
  minSamples,
  own,
  onClose,
}: {
  me: Me
  level: AssessmentLevel
  row: ScorecardRow | null
  period: string
  minSamples: ReadonlyMap<string, number>
  own: boolean
  onClose: () => void
}) {
  const { t } = useI18n()
  const phone = usePhone()
  const [indicator, setIndicator] = useState<IndicatorCode | null | undefined>(undefined)
  useEffect(() => setIndicator(undefined), [row])
  return (
    <Drawer
      open={row !== null}
      onClose={onClose}
      size={phone ? '100%' : 'min(1100px, 94vw)'}
      title={row ? <span translate="no">{row.subject.name}</span> : null}
      destroyOnHidden
      data-testid="scorecard-drawer"
      styles={{ body: { padding: phone ? 12 : 20 } }}
    >
      {row &&
        (indicator === undefined ? (
          <ScorecardView row={row} minSamples={minSamples} onIndicator={setIndicator} own={own} />
        ) : (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => setIndicator(undefined)}
              data-testid="facts-back"
            >
              {t('scorecards.backToCard')}
            </Button>
            <FactsPanel
              me={me}
              level={level}
              subjectId={row.subject.id}
              period={period}
              indicator={indicator}
              own={own}
            />
          </Space>
        ))}
    </Drawer>
  )
}

/** 我的考核: the reader's own card, and the facts of the indicator opened (contestable). */
function MyScorecard({
  me,
  period,
  minSamples,
}: {
  me: Me
  period: string
  minSamples: ReadonlyMap<string, number>
}) {
  const { t } = useI18n()
  const phone = usePhone()
  const { rows, error, load } = useScorecards('official', me.regionCode, period, true)
  const [indicator, setIndicator] = useState<IndicatorCode | null | undefined>(undefined)
  const row = rows?.find((r) => r.subject.id === me.id)
  if (error) return <LoadError title={t('scorecards.mine')} error={error} onRetry={() => void load()} />
  if (rows === null) return <Card loading data-testid="my-scorecard-loading" />
  if (!row)
    return (
      <Card>
        <Empty description={t('scorecards.mineNone')} />
      </Card>
    )
  return (
    <div data-testid="my-scorecard">
      <ScorecardView row={row} minSamples={minSamples} onIndicator={setIndicator} own />
      <Drawer
        open={indicator !== undefined}
        onClose={() => setIndicator(undefined)}
        size={phone ? '100%' : 'min(1100px, 94vw)'}
        title={t('scorecards.facts.title')}
        destroyOnHidden
        data-testid="facts-drawer"
        styles={{ body: { padding: phone ? 12 : 20 } }}
      >
        {indicator !== undefined && (
          <FactsPanel me={me} level="official" subjectId={me.id} period={period} indicator={indicator} own />
        )}
      </Drawer>
    </div>
  )
}

function LevelTable({
  me,
  level,
  region,
  period,
  minSamples,
  openSubject,
}: {
  me: Me
  level: AssessmentLevel
  region: string
  period: string
  minSamples: ReadonlyMap<string, number>
  /** A subject to open once the rows are in (`?subject=official:<id>`, from the command hall). */
  openSubject?: string
}) {
  const { t, lang } = useI18n()
  const phone = usePhone()
  const { rows, error, loading, load } = useScorecards(level, region, period, true)
  const [open, setOpen] = useState<ScorecardRow | null>(null)
  const [opened, setOpened] = useState(false)
  useEffect(() => {
    if (opened || !openSubject || !rows) return
    setOpened(true)
    const row = rows.find((r) => r.subject.id === openSubject)
    if (row) setOpen(row)
  }, [opened, openSubject, rows])

  const columns: TableColumnsType<ScorecardRow> = [
    {
      title: t('scorecards.col.name'),
      key: 'name',
      render: (_, r) => (
        <a
          onClick={(e) => {
            e.preventDefault()
            setOpen(r)
          }}
          href="#"
          translate="no"
          data-testid="scorecard-name"
        >
          {r.subject.name}
        </a>
      ),
    },
    {
      title: t('scorecards.col.total'),
      key: 'total',
      align: 'right',
      render: (_, r) => <strong data-testid="scorecard-row-total">{formatScore(r.total)}</strong>,
    },
    ...DIMENSIONS.map((d) => ({
      title: bilingual(ASSESSMENT_DIMENSIONS[d], lang),
      key: d,
      align: 'right' as const,
      render: (_: unknown, r: ScorecardRow) => formatScore(r.dimensions[d]),
    })),
    {
      title: t('scorecards.col.rank'),
      key: 'rank',
      render: (_, r) => (
        <RankCell rank={r.rank} total={r.total} minSample={minSampleOf(minSamples, r.policyVersion)} />
      ),
    },
    {
      title: t('scorecards.col.trend'),
      key: 'trend',
      render: (_, r) => <TrendCell trend={r.trend} />,
    },
    ...(PERSONAL[level]
      ? [
          {
            title: t('scorecards.col.promotion'),
            key: 'promotion',
            align: 'right' as const,
            render: (_: unknown, r: ScorecardRow) => formatScore(r.promotionIndex),
          },
        ]
      : []),
    {
      title: t('scorecards.col.policy'),
      key: 'policy',
      render: (_, r) => <span className="xzt-nowrap">{policyName(r.policyVersion, t)}</span>,
    },
  ]

  // A phone's card per row: the name with its total, the dimensions on one line, the rank, the trend.
  const phoneColumns: TableColumnsType<ScorecardRow> = [
    {
      key: 'name',
      render: (_, r) => (
        <span className="xzt-sc-phone-name">
          <a
            onClick={(e) => {
              e.preventDefault()
              setOpen(r)
            }}
            href="#"
            translate="no"
            data-testid="scorecard-name"
          >
            {r.subject.name}
          </a>
          <strong data-testid="scorecard-row-total">{formatScore(r.total)}</strong>
        </span>
      ),
    },
    {
      key: 'dimensions',
      render: (_, r) =>
        r.total === null ? null : (
          <span className="xzt-sc-phone-dims">
            {DIMENSIONS.map(
              (d) => `${bilingual(ASSESSMENT_DIMENSIONS[d], lang)} ${formatScore(r.dimensions[d])}`,
            ).join(' · ')}
          </span>
        ),
    },
    {
      title: t('scorecards.col.rank'),
      key: 'rank',
      render: (_, r) => (
        <RankCell rank={r.rank} total={r.total} minSample={minSampleOf(minSamples, r.policyVersion)} />
      ),
    },
    {
      title: t('scorecards.col.trend'),
      key: 'trend',
      render: (_, r) => (r.trend === null ? null : <TrendCell trend={r.trend} />),
    },
    ...(PERSONAL[level]
      ? [
          {
            title: t('scorecards.col.promotion'),
            key: 'promotion',
            render: (_: unknown, r: ScorecardRow) =>
              r.promotionIndex === null || r.promotionIndex === undefined
                ? null
                : formatScore(r.promotionIndex),
          },
        ]
      : []),
  ]

  if (error) return <LoadError title={t('scorecards.title')} error={error} onRetry={() => void load()} />
  const list = rows ?? []
  const onRow = (r: ScorecardRow) =>
    ({
      'data-testid': 'scorecard-row',
      'data-subject': r.subject.id,
      onClick: (e: React.MouseEvent) => {
        if ((e.target as HTMLElement).closest('a,button')) return
        setOpen(r)
      },
      className: 'xzt-sc-row',
    }) as React.HTMLAttributes<HTMLElement>
  return (
    <>
      <Space className="xzt-sc-table-head" wrap>
        <Typography.Text type="secondary" data-testid="scorecards-count">
          {t('scorecards.countN', { n: list.length, level: bilingual(ASSESSMENT_LEVEL_NAMES[level], lang) })}
          {phone && list[0] ? ` · ${policyName(list[0].policyVersion, t)}` : ''}
        </Typography.Text>
        <Button icon={<ReloadOutlined />} size="small" onClick={() => void load()} loading={loading}>
          {t('common.refresh')}
        </Button>
      </Space>
      {phone ? (
        <CardList<ScorecardRow>
          rowKey={(r) => r.subject.id}
          columns={phoneColumns}
          dataSource={list}
          loading={rows === null}
          testId="scorecards"
          onRow={onRow}
          emptyText={t('scorecards.none')}
        />
      ) : (
        <Table<ScorecardRow>
          rowKey={(r) => r.subject.id}
          size="middle"
          loading={rows === null}
          columns={columns}
          dataSource={list}
          pagination={list.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          locale={{ emptyText: t('scorecards.none') }}
          onRow={onRow}
          scroll={{ x: 'max-content' }}
          data-testid="scorecards"
        />
      )}
      <SubjectDrawer
        me={me}
        level={level}
        row={open}
        period={period}
        minSamples={minSamples}
        own={PERSONAL[level] && open?.subject.id === me.id}
        onClose={() => setOpen(null)}
      />
    </>
  )
}

/** The subject a link names (`?subject=official:<id>`), when its level is one the reader may list. */
function linkedSubject(levels: readonly AssessmentLevel[]): { level: AssessmentLevel; id: string } | null {
  const m = /^([a-z_]+):(.+)$/.exec(new URLSearchParams(window.location.search).get('subject') ?? '')
  const level = levels.find((l) => l === m?.[1])
  return m && level ? { level, id: m[2]! } : null
}

export function ScorecardsPage({ me }: { me: Me }) {
  const { t, lang } = useI18n()
  const now = useNow()
  const minSamples = useMinSamples()
  const [picked, setPicked] = useState<string | null>(null)
  const period = picked ?? periodAt('quarter', now)
  const [regionPath, setRegionPath] = useState<string[]>([me.regionCode])
  const region = regionPath[regionPath.length - 1] ?? me.regionCode
  const own = hasOwnScorecard(me)
  // The levels the reader may list at their own jurisdiction's root (the picker stays inside it).
  const levels = useMemo(() => ASSESSMENT_LEVELS.filter((l) => canListScorecards(me, l, me.regionCode)), [me])
  // `?subject=<level>:<id>` (the hall's officials link there): that level's tab, the subject's card open.
  const linked = useMemo(() => linkedSubject(levels), [levels])
  const [tab, setTab] = useState<TabKey>(linked?.level ?? levels[0] ?? 'mine')
  const tabs: { key: TabKey; label: string }[] = [
    ...levels.map((l) => ({ key: l, label: bilingual(ASSESSMENT_LEVEL_NAMES[l], lang) })),
    ...(own ? [{ key: 'mine' as const, label: t('scorecards.mine') }] : []),
  ]
  const cardOnly = levels.length === 0
  const level = tab === 'mine' ? null : tab

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="scorecards-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={3} className="xzt-page-title" data-testid="page-title">
              <TrophyOutlined /> {cardOnly ? t('scorecards.mine') : t('scorecards.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {cardOnly ? t('scorecards.introMine') : t('scorecards.intro')}
            </Typography.Paragraph>
          </div>
          {level !== null && canRunWhatIf(me) && (
            <a
              {...linkProps(`/what-if?level=${level}&region=${encodeURIComponent(region)}&period=${period}`)}
              data-testid="scorecards-what-if"
            >
              <Button icon={<ExperimentOutlined />}>{t('whatif.open')}</Button>
            </a>
          )}
        </div>
        <Space className="xzt-sc-filters" size={[12, 8]} wrap>
          <PeriodPicker value={period} onChange={setPicked} now={now} />
          {level !== null && (
            <span data-testid="scorecards-region">
              <RegionCascader rootCode={me.regionCode} value={regionPath} onChange={setRegionPath} />
            </span>
          )}
          <Typography.Text type="secondary" data-testid="scorecards-period-name">
            {periodName(period, t)}
          </Typography.Text>
        </Space>
      </Card>
      {cardOnly ? (
        own ? (
          <MyScorecard me={me} period={period} minSamples={minSamples} />
        ) : (
          <Card>
            <Empty description={t('scorecards.mineNone')} />
          </Card>
        )
      ) : (
        <Card size="small" className="xzt-sc-card">
          <Tabs
            activeKey={tab}
            onChange={(k) => setTab(k as TabKey)}
            items={tabs.map((x) => ({
              key: x.key,
              label: <span data-testid={`scorecards-tab-${x.key}`}>{x.label}</span>,
            }))}
          />
          {level === null ? (
            <MyScorecard me={me} period={period} minSamples={minSamples} />
          ) : canListScorecards(me, level, region) ? (
            <LevelTable
              key={`${level}:${region}`}
              me={me}
              level={level}
              region={region}
              period={period}
              minSamples={minSamples}
              openSubject={linked?.level === level ? linked.id : undefined}
            />
          ) : (
            <Empty description={t('scorecards.levelOutOfReach')} />
          )}
        </Card>
      )}
    </Space>
  )
}
