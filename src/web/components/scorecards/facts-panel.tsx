/**
 * The facts behind a number (`GET …/facts`): each counted fact with when it happened, its outcome in
 * words, what it is about (a link to the case, step, appeal or rectification where the reader may open
 * it) and its ledger entry, which the browser verifies against the log's signed checkpoint (the
 * appeals' {@link LedgerRefCheck}, not a second verifier). On one's own card each fact can be contested
 * (申诉) with a reason; a contest's status shows beside the fact.
 * @module
 */
import { useCallback, useEffect, useState } from 'react'
import { App as AntApp, Button, Form, Modal, Space, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { SafetyCertificateOutlined } from '@ant-design/icons'
import type { AssessmentLevel, IndicatorCode } from '../../../shared/assessment.js'
import type { Me } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { linkProps } from '../../router.js'
import { usePhone } from '../../responsive.js'
import { canSeeAppealDesk, canSeeAppealReviews, canSeeAudit, canSeeWorkbench } from '../../access.js'
import { assessmentApi } from '../../assessment-api.js'
import type { Fact, FactContestStatus } from '../../assessment-api.js'
import { canVerifyHere } from '../../ledger-verify.js'
import { CardList } from '../card-list.js'
import { LoadError } from '../load-error.js'
import { ReasonField } from '../reason-field.js'
import { LedgerRefCheck, useLedgerChecks } from '../appeals-staff/ledger-check.js'
import { indicatorDefinition, indicatorName, outcomeGood, outcomeText, periodName } from './format.js'

/** Where a fact's subject opens for this reader, if anywhere. */
function refPath(me: Me, ref: Fact['ref']): string | null {
  const id = encodeURIComponent(ref.id)
  switch (ref.kind) {
    case 'case':
      return `/cases/${id}`
    case 'task':
      return canSeeWorkbench(me) ? `/workbench/${id}` : null
    case 'appeal':
      return canSeeAppealDesk(me) ? `/appeal-desk/${id}` : null
    case 'rectification':
      return canSeeAppealReviews(me) ? '/appeal-reviews' : null
    default:
      return null
  }
}

const REF_KINDS = [
  'case',
  'task',
  'appeal',
  'rectification',
  'data_access',
  'discrepancy',
  'holding',
] as const
type RefKind = (typeof REF_KINDS)[number]

/**
 * A fact's subject in words: its kind, and its id linked where the reader may open it. A discrepancy
 * (`{case}/{source}`) names the source and links the case; a holding (`{source}/{region}/{keeper}`)
 * names the source and the region, never an English code.
 */
function RefLink({ me, ref: r }: { me: Me; ref: Fact['ref'] }) {
  const { t, sourceName } = useI18n()
  const kind: RefKind | null = (REF_KINDS as readonly string[]).includes(r.kind) ? (r.kind as RefKind) : null
  const label = kind ? t(`scorecards.ref.${kind}`) : t('scorecards.ref.other')
  const [first = '', second = ''] = r.id.split('/')
  if (kind === 'discrepancy' || kind === 'holding') {
    const source = sourceName(kind === 'discrepancy' ? second : first)
    const caseId = kind === 'discrepancy' ? first : null
    return (
      <span className="xzt-sc-ref" data-testid="fact-ref" data-kind={r.kind}>
        {label} · {source}
        {caseId ? (
          <>
            {' '}
            {t('scorecards.ref.case')}{' '}
            <a {...linkProps(`/cases/${encodeURIComponent(caseId)}`)} data-testid="fact-ref-link">
              <span className="xzt-mono">{caseId}</span>
            </a>
          </>
        ) : (
          <>
            {' '}
            <span className="xzt-mono">{second}</span>
          </>
        )}
      </span>
    )
  }
  const path = refPath(me, r)
  const id = <span className="xzt-mono">{r.id}</span>
  return (
    <span className="xzt-sc-ref" data-testid="fact-ref" data-kind={r.kind}>
      {label}{' '}
      {path ? (
        <a {...linkProps(path)} data-testid="fact-ref-link">
          {id}
        </a>
      ) : (
        id
      )}
    </span>
  )
}

const CONTEST_COLORS: Record<FactContestStatus, string> = {
  pending: 'processing',
  upheld: 'success',
  rejected: 'default',
}

function ContestModal({
  fact,
  period,
  onClose,
  onDone,
}: {
  fact: Fact & { key: string }
  period: string
  onClose: () => void
  onDone: (contest: { id: string; status: FactContestStatus }) => void
}) {
  const { t, lang } = useI18n()
  const { message } = AntApp.useApp()
  const [reason, setReason] = useState('')
  const [error, setError] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    if (!reason.trim()) {
      setError(true)
      return
    }
    setBusy(true)
    try {
      const contest = await assessmentApi.contestFact({
        period,
        indicator: fact.indicator,
        ref: fact.ref,
        key: fact.key,
        reason: reason.trim(),
      })
      void message.success({ content: t('scorecards.contest.sent'), key: 'fact-contested' })
      onDone({ id: contest.id, status: contest.status })
    } catch {
      // Shown by the global error notifier.
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      open
      title={t('scorecards.contest.title')}
      okText={t('scorecards.contest.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'fact-contest-submit' }}
      data-testid="fact-contest-modal"
    >
      <Typography.Paragraph type="secondary">
        {t('scorecards.contest.hint', { indicator: indicatorName(fact.indicator, lang) })}
      </Typography.Paragraph>
      <Form layout="vertical">
        <ReasonField
          label={t('scorecards.contest.reason')}
          value={reason}
          onChange={(v) => {
            setReason(v)
            if (v.trim()) setError(false)
          }}
          onSubmit={() => void submit()}
          error={error}
          rows={4}
          autoFocus
          testId="fact-contest-reason"
        />
      </Form>
    </Modal>
  )
}

export function FactsPanel({
  me,
  level,
  subjectId,
  period,
  indicator,
  own,
}: {
  me: Me
  level: AssessmentLevel
  subjectId: string
  period: string
  /** One indicator's facts, or every indicator's. */
  indicator: IndicatorCode | null
  /** The reader's own card: facts may be contested. */
  own: boolean
}) {
  const { t, lang, formatDateTime, formatNumber } = useI18n()
  const phone = usePhone()
  const [facts, setFacts] = useState<Fact[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [contesting, setContesting] = useState<(Fact & { key: string }) | null>(null)
  const { results, check } = useLedgerChecks()
  const canAudit = canSeeAudit(me)

  const load = useCallback(async () => {
    setFacts(null)
    try {
      setFacts(
        await assessmentApi.facts(
          level,
          subjectId,
          { period, indicator: indicator ?? undefined },
          { quiet: true },
        ),
      )
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [level, subjectId, period, indicator])
  useEffect(() => void load(), [load])

  const rowKey = (f: Fact) =>
    f.key ?? `${f.indicator}:${f.ref.kind}:${f.ref.id}:${f.ledger.log}#${f.ledger.index}`

  const columns: TableColumnsType<Fact> = [
    {
      title: t('scorecards.fact.at'),
      key: 'at',
      render: (_, f) => <span className="xzt-nowrap">{formatDateTime(f.at)}</span>,
    },
    ...(indicator === null
      ? [
          {
            title: t('scorecards.fact.indicator'),
            key: 'indicator',
            render: (_: unknown, f: Fact) => indicatorName(f.indicator, lang),
          },
        ]
      : []),
    {
      title: t('scorecards.fact.outcome'),
      key: 'outcome',
      render: (_, f) => {
        const good = outcomeGood(f)
        return (
          <Tag
            color={good === null ? 'blue' : good ? 'success' : 'error'}
            data-testid="fact-outcome"
            data-good={good === null ? 'value' : String(good)}
          >
            {f.ref.kind === 'holding'
              ? t('scorecards.outcome.holding', { n: String(f.outcome) })
              : outcomeText(f, t)}
          </Tag>
        )
      },
    },
    {
      title: t('scorecards.fact.ref'),
      key: 'ref',
      render: (_, f) => <RefLink me={me} ref={f.ref} />,
    },
    {
      title: t('scorecards.fact.ledger'),
      key: 'ledger',
      render: (_, f) => (
        <LedgerRefCheck
          ledger={f.ledger}
          state={results.get(`${f.ledger.log}#${f.ledger.index}`)}
          onCheck={(r) => void check([r])}
          canAudit={canAudit}
        />
      ),
    },
    {
      title: t('scorecards.fact.contest'),
      key: 'contest',
      render: (_, f) => {
        if (f.contest)
          return (
            <Tag
              color={CONTEST_COLORS[f.contest.status]}
              data-testid="fact-contest-status"
              data-status={f.contest.status}
            >
              {t(`scorecards.contest.status.${f.contest.status}`)}
            </Tag>
          )
        if (!own || f.key === undefined)
          return phone ? null : <Typography.Text type="secondary">—</Typography.Text>
        const key = f.key
        return (
          <Button size="small" onClick={() => setContesting({ ...f, key })} data-testid="fact-contest">
            {t('scorecards.contest.open')}
          </Button>
        )
      },
    },
  ]

  if (error)
    return <LoadError title={t('scorecards.facts.title')} error={error} onRetry={() => void load()} />

  const list = facts ?? []
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="facts-panel">
      <div>
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="facts-heading">
          {indicator ? indicatorName(indicator, lang) : t('scorecards.allIndicators')} ·{' '}
          {periodName(period, t)}
        </Typography.Title>
        {indicator && (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {indicatorDefinition(indicator, lang)}
          </Typography.Paragraph>
        )}
      </div>
      <Space wrap>
        <Typography.Text type="secondary" data-testid="facts-count">
          {t('scorecards.factsN', { n: formatNumber(list.length) })}
        </Typography.Text>
        {canVerifyHere() && list.length > 0 && (
          <Button
            size="small"
            icon={<SafetyCertificateOutlined />}
            onClick={() =>
              void check(
                list.map((f) => f.ledger),
                true,
              )
            }
            data-testid="facts-verify-all"
          >
            {t('scorecards.facts.verifyAll')}
          </Button>
        )}
      </Space>
      {phone ? (
        <CardList<Fact>
          rowKey={rowKey}
          columns={columns}
          dataSource={list}
          loading={facts === null}
          testId="facts"
          emptyText={t('scorecards.facts.none')}
          onRow={() => ({ 'data-testid': 'fact-row' }) as React.HTMLAttributes<HTMLElement>}
        />
      ) : (
        <Table<Fact>
          rowKey={rowKey}
          size="small"
          loading={facts === null}
          columns={columns}
          dataSource={list}
          pagination={list.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          locale={{ emptyText: t('scorecards.facts.none') }}
          onRow={() => ({ 'data-testid': 'fact-row' }) as React.HTMLAttributes<HTMLElement>}
          data-testid="facts"
        />
      )}
      {contesting && (
        <ContestModal
          fact={contesting}
          period={period}
          onClose={() => setContesting(null)}
          onDone={(contest) => {
            const key = contesting.key
            setContesting(null)
            setFacts((fs) => fs?.map((f) => (f.key === key ? { ...f, contest } : f)) ?? fs)
          }}
        />
      )}
    </Space>
  )
}
