/**
 * The responsibility chain (责任链) of an appeal: its links grouped primary and secondary, each with the
 * person, post and department, what they did, the rule that named them (by the rule's policy title),
 * why, and the ledger entries that prove it. "验证" checks a link's entries in the browser (or every
 * link's at once): each entry's leaf hashed here and proven into the log's signed checkpoint, ✓ or ✗
 * per entry. The named official contests their own link (申诉); a contest's outcome shows on the link.
 * @module
 */
import { useEffect, useState } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Collapse,
  Empty,
  Form,
  Modal,
  Skeleton,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import {
  ApartmentOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  FlagOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
} from '@ant-design/icons'
import type { ChainLinkView, Me, ResponsibilityChainView } from '../../../shared/api.js'
import { CHAIN_CAUSES, type ChainCause } from '../../../shared/domain.js'
import { appealsApi } from '../../appeals-api.js'
import { useI18n } from '../../i18n.js'
import type { MessageKey } from '../../i18n.js'
import { canContestOwnLink } from '../../access.js'
import { canVerifyHere } from '../../ledger-verify.js'
import { LoadError } from '../load-error.js'
import { ReasonField } from '../reason-field.js'
import { explainText, linkFunctionName, policyVersionName, RuleName, usePolicy } from './labels.js'
import { LedgerRefCheck, refKey, useLedgerChecks } from './ledger-check.js'
import type { CheckState, Ref } from './ledger-check.js'

type Checks = ReturnType<typeof useLedgerChecks>

/** How a link's entries fared: all ✓, some ✗, still running, or not checked yet. */
function linkOutcome(link: ChainLinkView, results: Checks['results']): 'ok' | 'failed' | 'running' | null {
  const states = link.evidence.map((r) => results.get(refKey(r)))
  if (states.length === 0 || states.some((s) => s === undefined)) return null
  if (states.some((s) => s === 'running')) return 'running'
  return states.every((s) => s !== 'running' && s?.status === 'ok') ? 'ok' : 'failed'
}

function ContestModal({
  appealId,
  onClose,
  onDone,
}: {
  appealId: string
  onClose: () => void
  onDone: (chain: ResponsibilityChainView) => void
}) {
  const { t } = useI18n()
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
      const chain = await appealsApi.contestLink(appealId, reason.trim())
      void message.success({ content: t('appealsStaff.chain.contested'), key: 'chain-contested' })
      onDone(chain)
    } catch {
      // Shown by the global error notifier.
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      open
      title={t('appealsStaff.chain.contestTitle')}
      okText={t('appealsStaff.chain.contestSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'contest-submit' }}
    >
      <Typography.Paragraph type="secondary">{t('appealsStaff.chain.contestHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <ReasonField
          label={t('appealsStaff.chain.contestReason')}
          value={reason}
          onChange={(v) => {
            setReason(v)
            if (v.trim()) setError(false)
          }}
          onSubmit={() => void submit()}
          error={error}
          rows={4}
          autoFocus
          testId="contest-reason"
        />
      </Form>
    </Modal>
  )
}

function LinkContest({ contest }: { contest: NonNullable<ChainLinkView['contest']> }) {
  const { t } = useI18n()
  const color =
    contest.status === 'pending' ? 'processing' : contest.status === 'upheld' ? 'success' : 'default'
  return (
    <div className="xzt-link-contest" data-testid="link-contest" data-status={contest.status}>
      <Tag color={color}>{t(`appealsStaff.contest.status.${contest.status}`)}</Tag>
      <Typography.Text type="secondary">
        {t('appealsStaff.chain.contestReason')}
        {t('common.colon')}
      </Typography.Text>
      <Typography.Text>{contest.reason}</Typography.Text>
      {contest.decision && (
        <div>
          <Typography.Text type="secondary">
            {t('appealsStaff.contest.decision')}
            {t('common.colon')}
          </Typography.Text>
          <Typography.Text>{contest.decision}</Typography.Text>
        </div>
      )}
    </div>
  )
}

function LinkItem({
  link,
  chain,
  me,
  checks,
  canAudit,
  onContest,
}: {
  link: ChainLinkView
  chain: ResponsibilityChainView
  me: Me
  checks: Checks
  canAudit: boolean
  onContest: () => void
}) {
  const i18n = useI18n()
  const { t } = i18n
  const policy = usePolicy(chain.policyVersion)
  const outcome = linkOutcome(link, checks.results)
  const own = link.staffId === me.id
  const contestable =
    own &&
    canContestOwnLink(me, link.departmentId) &&
    (link.contest === null || link.contest.status === 'rejected')
  return (
    <div
      className={`xzt-chain-link${link.primary ? ' xzt-chain-link-primary' : ''}${link.excluded ? ' xzt-chain-link-excluded' : ''}`}
      data-testid="chain-link"
      data-staff={link.staffId}
      data-primary={String(link.primary)}
      data-verified={outcome ?? 'none'}
    >
      <div className="xzt-chain-link-head">
        <Space size={6} wrap>
          <UserOutlined />
          <Typography.Text strong data-testid="link-name">
            {link.name}
          </Typography.Text>
          <Typography.Text type="secondary">{link.role}</Typography.Text>
          <Typography.Text type="secondary">
            <ApartmentOutlined /> {link.department}
          </Typography.Text>
          <Tag color={link.primary ? 'red' : 'default'}>{linkFunctionName(t, link.function)}</Tag>
          {own && <Tag color="blue">{t('appealsStaff.chain.you')}</Tag>}
          {link.excluded && (
            <Tooltip title={t('appealsStaff.chain.excludedHint')}>
              <Tag color="success">{t('appealsStaff.chain.excluded')}</Tag>
            </Tooltip>
          )}
          {outcome === 'ok' && (
            <Tag color="success" icon={<CheckCircleFilled />} data-testid="link-verified">
              {t('appealsStaff.chain.linkOk')}
            </Tag>
          )}
          {outcome === 'failed' && (
            <Tag color="error" icon={<CloseCircleFilled />} data-testid="link-verified">
              {t('appealsStaff.chain.linkFailed')}
            </Tag>
          )}
        </Space>
        <Space size={6} wrap className="xzt-chain-link-actions">
          <Button
            size="small"
            icon={<SafetyCertificateOutlined />}
            loading={outcome === 'running'}
            disabled={link.evidence.length === 0 || !canVerifyHere()}
            onClick={() => void checks.check(link.evidence, true)}
            data-testid="link-verify"
          >
            {t('appealsStaff.chain.verify')}
          </Button>
          {contestable && (
            <Button
              size="small"
              danger
              icon={<FlagOutlined />}
              onClick={onContest}
              data-testid="link-contest-open"
            >
              {t('appealsStaff.chain.contest')}
            </Button>
          )}
        </Space>
      </div>
      <div className="xzt-chain-link-line">
        <Typography.Text type="secondary">
          {t('appealsStaff.chain.rule')}
          {t('common.colon')}
        </Typography.Text>
        <RuleName policy={policy} ruleId={link.rule} testId="link-rule" />
      </div>
      <div className="xzt-chain-link-line">
        <Typography.Text type="secondary">
          {t('appealsStaff.chain.reason')}
          {t('common.colon')}
        </Typography.Text>
        <span data-testid="link-reason">{explainText(i18n, link)}</span>
      </div>
      <div className="xzt-chain-link-line">
        <Typography.Text type="secondary">
          {t('appealsStaff.chain.evidence', { n: link.evidence.length })}
          {t('common.colon')}
        </Typography.Text>
        {link.evidence.length === 0 ? (
          <Typography.Text type="secondary">{t('appealsStaff.chain.noEvidence')}</Typography.Text>
        ) : (
          <Space size={[8, 4]} wrap data-testid="link-evidence">
            {link.evidence.map((r) => (
              <span
                key={refKey(r)}
                data-testid="evidence-entry"
                data-check={stateName(checks.results.get(refKey(r)))}
              >
                <LedgerRefCheck
                  ledger={r}
                  state={checks.results.get(refKey(r))}
                  onCheck={(ref: Ref) => void checks.check([ref], true)}
                  canAudit={canAudit}
                />
              </span>
            ))}
          </Space>
        )}
      </div>
      {link.contest && <LinkContest contest={link.contest} />}
    </div>
  )
}

function stateName(s: CheckState | undefined): string {
  if (!s) return 'none'
  return s === 'running' ? 'running' : s.status
}

const TRACE_KEYS: Record<ResponsibilityChainView['trace'][number]['outcome'], MessageKey> = {
  not_applicable: 'appealsStaff.trace.not_applicable',
  nobody_found: 'appealsStaff.trace.nobody_found',
  selected: 'appealsStaff.trace.selected',
}

const CAUSE_KEYS: Record<ChainCause, MessageKey> = {
  filed: 'appealsStaff.cause.filed',
  accepted: 'appealsStaff.cause.accepted',
  rerouted: 'appealsStaff.cause.rerouted',
  reopened: 'appealsStaff.cause.reopened',
  policy: 'appealsStaff.cause.policy',
  contest: 'appealsStaff.cause.contest',
  case: 'appealsStaff.cause.case',
}

export function ChainCard({
  appealId,
  me,
  canAudit,
  reload,
  checks: shared,
}: {
  appealId: string
  me: Me
  canAudit: boolean
  /** Changes when the appeal changed (accepting it rebuilds the chain). */
  reload: number
  /** The page's checks, so an entry verified here shows as verified elsewhere on the page too. */
  checks?: Checks
}) {
  const i18n = useI18n()
  const { t, formatDateTime } = i18n
  const [chain, setChain] = useState<ResponsibilityChainView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [retry, setRetry] = useState(0)
  const [contesting, setContesting] = useState(false)
  const own = useLedgerChecks()
  const checks = shared ?? own
  const [summary, setSummary] = useState<{ ok: number; total: number } | null>(null)
  const policy = usePolicy(chain?.policyVersion)

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    appealsApi.chain(appealId, { signal: controller.signal, quiet: true }).then(setChain, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [appealId, reload, retry])

  if (error) {
    return (
      <Card title={t('appealsStaff.chain.title')}>
        <LoadError
          title={t('appealsStaff.chain.loadFailed')}
          error={error}
          onRetry={() => setRetry((n) => n + 1)}
        />
      </Card>
    )
  }
  if (!chain) {
    return (
      <Card title={t('appealsStaff.chain.title')}>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    )
  }

  const all: Ref[] = [...chain.links.flatMap((l) => l.evidence), chain.ledger]
  const verifyAll = async () => {
    setSummary(null)
    const results = await checks.check(all, true)
    setSummary({ ok: results.filter((r) => r.status === 'ok').length, total: results.length })
  }
  const running = all.some((r) => checks.results.get(refKey(r)) === 'running')
  const primary = chain.links.filter((l) => l.primary)
  const secondary = chain.links.filter((l) => !l.primary)
  const group = (links: ChainLinkView[], title: string, testId: string) =>
    links.length > 0 && (
      <div className="xzt-chain-group" data-testid={testId}>
        <Typography.Title level={5} className="xzt-chain-group-title">
          {title}
        </Typography.Title>
        {links.map((link) => (
          <LinkItem
            key={link.staffId}
            link={link}
            chain={chain}
            me={me}
            checks={checks}
            canAudit={canAudit}
            onContest={() => setContesting(true)}
          />
        ))}
      </div>
    )

  return (
    <Card
      title={
        <Space size={8} wrap>
          <ApartmentOutlined />
          {t('appealsStaff.chain.title')}
          <Tag color="geekblue" data-testid="chain-policy">
            {policyVersionName(t, chain.policyVersion)}
          </Tag>
        </Space>
      }
      extra={
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={running}
          disabled={!canVerifyHere()}
          onClick={() => void verifyAll()}
          data-testid="chain-verify-all"
        >
          {t('appealsStaff.chain.verifyAll')}
        </Button>
      }
      data-testid="chain-card"
      className="xzt-chain-card"
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {!canVerifyHere() && <Alert type="warning" showIcon title={t('audit.localUnavailable')} />}
        {summary && (
          <Alert
            type={summary.ok === summary.total ? 'success' : 'error'}
            showIcon
            data-testid="chain-verify-summary"
            data-ok={String(summary.ok === summary.total)}
            title={
              summary.ok === summary.total
                ? t('appealsStaff.chain.allOk', { n: summary.total })
                : t('appealsStaff.chain.someFailed', { bad: summary.total - summary.ok, n: summary.total })
            }
            description={t('appealsStaff.chain.verifyExplained')}
          />
        )}
        <div className="xzt-chain-meta">
          <span>
            <Typography.Text type="secondary">
              {t('appealsStaff.chain.selectedBy')}
              {t('common.colon')}
            </Typography.Text>
            <RuleName policy={policy} ruleId={chain.rule} testId="chain-rule" />
          </span>
          <span>
            <Typography.Text type="secondary">
              {t('appealsStaff.chain.builtAt')}
              {t('common.colon')}
            </Typography.Text>
            {formatDateTime(chain.builtAt)}
            {(CHAIN_CAUSES as readonly string[]).includes(chain.cause) && (
              <Tag className="xzt-tag-inline">{t(CAUSE_KEYS[chain.cause as ChainCause])}</Tag>
            )}
          </span>
          <span>
            <Typography.Text type="secondary">
              {t('appealsStaff.chain.record')}
              {t('common.colon')}
            </Typography.Text>
            <LedgerRefCheck
              ledger={chain.ledger}
              state={checks.results.get(refKey(chain.ledger))}
              onCheck={(r) => void checks.check([r], true)}
              canAudit={canAudit}
            />
          </span>
        </div>
        {chain.links.length === 0 ? (
          <Empty description={t('appealsStaff.chain.empty')} />
        ) : (
          <>
            {group(primary, t('appealsStaff.chain.primary'), 'chain-primary')}
            {group(secondary, t('appealsStaff.chain.secondary'), 'chain-secondary')}
          </>
        )}
        <Collapse
          size="small"
          items={[
            {
              key: 'trace',
              label: t('appealsStaff.chain.trace'),
              children: (
                <ol className="xzt-chain-trace" data-testid="chain-trace">
                  {chain.trace.map((s) => (
                    <li key={s.rule}>
                      <RuleName policy={policy} ruleId={s.rule} />{' '}
                      <Tag color={s.outcome === 'selected' ? 'success' : 'default'}>
                        {t(TRACE_KEYS[s.outcome])}
                      </Tag>
                    </li>
                  ))}
                </ol>
              ),
            },
          ]}
        />
      </Space>
      {contesting && (
        <ContestModal
          appealId={appealId}
          onClose={() => setContesting(false)}
          onDone={(next) => {
            setContesting(false)
            setChain(next)
          }}
        />
      )}
    </Card>
  )
}
