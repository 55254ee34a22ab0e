/**
 * Ledger positions that check themselves: a page holds one {@link LedgerVerifier} over the platform's
 * ledger API (checkpoints fetched and their signatures checked once per log), every `{log, index}` on it
 * can be verified in the browser, and the result (✓ or ✗, with what was checked) shows beside it.
 * @module
 */
import { useCallback, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { Button, Popover, Space, Tag, Tooltip, Typography } from 'antd'
import {
  CheckCircleFilled,
  CloseCircleFilled,
  ExclamationCircleOutlined,
  LoadingOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons'
import { api, http } from '../../api.js'
import type { LedgerLog } from '../../api.js'
import { useI18n } from '../../i18n.js'
import type { MessageKey } from '../../i18n.js'
import { LedgerVerifier } from '../../ledger-verify.js'
import type { EntryCheck, LedgerSource } from '../../ledger-verify.js'
import { linkProps } from '../../router.js'

export type Ref = { log: string; index: number }
export type CheckState = EntryCheck | 'running'

export const refKey = (r: Ref): string => `${r.log}#${r.index}`

/** The platform's ledger API as the verifier's source (the log list fetched once). */
function apiLedgerSource(): LedgerSource {
  let logs: Promise<LedgerLog[]> | null = null
  const listLogs = () => {
    if (!logs) {
      logs = api.ledgerLogs({ quiet: true })
      logs.catch(() => (logs = null))
    }
    return logs
  }
  return {
    async verifierKeys(log) {
      const found = (await listLogs()).find((l) => l.id === log)
      if (!found) return []
      return [found.verifierKey, ...[...found.verifierKeys].reverse().filter((k) => k !== found.verifierKey)]
    },
    checkpoint: (log) => api.ledgerCheckpoint(log, { quiet: true }),
    async leaf(log, index) {
      const [entry] = await api.ledgerEntries(log, index, index + 1, { quiet: true })
      return entry?.index === index ? entry.leaf : null
    },
    async proof(log, index, size) {
      const proof = await http.get<{ hashes: string[] }>(
        `/api/ledger/${encodeURIComponent(log)}/proof/inclusion${http.query({ index, size })}`,
        { quiet: true },
      )
      return proof.hashes
    },
  }
}

/**
 * The checks of one page: `check(refs)` verifies entries (each once, unless `fresh`, which also fetches
 * the checkpoints again); `results` holds what came of each.
 */
export function useLedgerChecks(): {
  results: ReadonlyMap<string, CheckState>
  check: (refs: readonly Ref[], fresh?: boolean) => Promise<EntryCheck[]>
} {
  const verifier = useRef<LedgerVerifier | null>(null)
  const [results, setResults] = useState<ReadonlyMap<string, CheckState>>(new Map())
  const check = useCallback(async (refs: readonly Ref[], fresh = false) => {
    if (!verifier.current || fresh) verifier.current = new LedgerVerifier(apiLedgerSource())
    const v = verifier.current
    const unique = [...new Map(refs.map((r) => [refKey(r), r])).values()]
    setResults((m) => {
      const next = new Map(m)
      for (const r of unique) next.set(refKey(r), 'running')
      return next
    })
    const done = await Promise.all(
      unique.map(async (r) => {
        const result = await v.check(r)
        setResults((m) => new Map(m).set(refKey(r), result))
        return result
      }),
    )
    return done
  }, [])
  return useMemo(() => ({ results, check }), [results, check])
}

const PROBLEM_KEYS: Record<NonNullable<EntryCheck['problem']>, MessageKey> = {
  signature: 'appealsStaff.verify.problem.signature',
  checkpoint: 'appealsStaff.verify.problem.checkpoint',
  leaf: 'appealsStaff.verify.problem.leaf',
  position: 'appealsStaff.verify.problem.position',
  proof: 'appealsStaff.verify.problem.proof',
}

/** What a finished check found, in words. */
function CheckDetails({ result }: { result: EntryCheck }) {
  const { t, formatNumber, formatDateTime, eventTypeName } = useI18n()
  return (
    <Space orientation="vertical" size={2} className="xzt-check-details">
      {result.type && (
        <span>
          {t('appealsStaff.verify.event')}
          {t('common.colon')}
          {eventTypeName(result.type)}
          {result.time !== null ? ` · ${formatDateTime(result.time)}` : ''}
        </span>
      )}
      {result.treeSize !== null && (
        <span>{t('appealsStaff.verify.treeSize', { size: formatNumber(result.treeSize) })}</span>
      )}
      {result.signature && <span>{t(`appealsStaff.verify.signature.${result.signature}`)}</span>}
      {result.status === 'ok' && <span>{t('appealsStaff.verify.okDetail')}</span>}
      {result.problem && <span>{t(PROBLEM_KEYS[result.problem])}</span>}
      {result.status === 'newer' && <span>{t('appealsStaff.verify.newerDetail')}</span>}
      {result.status === 'error' && <span>{t('appealsStaff.verify.errorDetail')}</span>}
    </Space>
  )
}

/** ✓ / ✗ of one entry's check (nothing before it ran). */
export function CheckMark({
  state,
  testId = 'check-mark',
}: {
  state: CheckState | undefined
  testId?: string
}) {
  const { t } = useI18n()
  if (!state) return null
  if (state === 'running')
    return (
      <Tag icon={<LoadingOutlined />} data-testid={testId} data-check="running">
        {t('appealsStaff.verify.running')}
      </Tag>
    )
  const look = {
    ok: { color: 'success', icon: <CheckCircleFilled />, key: 'appealsStaff.verify.ok' },
    failed: { color: 'error', icon: <CloseCircleFilled />, key: 'appealsStaff.verify.failed' },
    newer: { color: 'warning', icon: <ExclamationCircleOutlined />, key: 'appealsStaff.verify.newer' },
    error: { color: 'default', icon: <ExclamationCircleOutlined />, key: 'appealsStaff.verify.error' },
  }[state.status] as { color: string; icon: ReactNode; key: MessageKey }
  return (
    <Tooltip title={<CheckDetails result={state} />}>
      <Tag color={look.color} icon={look.icon} data-testid={testId} data-check={state.status}>
        {t(look.key)}
      </Tag>
    </Tooltip>
  )
}

/**
 * A ledger position (`账本 4301#1514`) with its check: clicking it verifies the entry here; auditors
 * also get a link to the audit console's look-up.
 */
export function LedgerRefCheck({
  ledger,
  state,
  onCheck,
  canAudit,
}: {
  ledger: Ref
  state: CheckState | undefined
  onCheck: (ref: Ref) => void
  canAudit: boolean
}) {
  const { t } = useI18n()
  const text = t('case.ledger', { log: ledger.log, index: ledger.index })
  const content = (
    <Space orientation="vertical" size={6}>
      <Typography.Text type="secondary">{t('appealsStaff.verify.refHint')}</Typography.Text>
      <Space size={6} wrap>
        <Button
          size="small"
          type="primary"
          ghost
          icon={<SafetyCertificateOutlined />}
          loading={state === 'running'}
          onClick={() => onCheck(ledger)}
          data-testid="ref-verify"
        >
          {t('appealsStaff.verify.one')}
        </Button>
        {canAudit && (
          <a {...linkProps(`/audit?log=${encodeURIComponent(ledger.log)}&index=${ledger.index}`)}>
            {t('case.ledgerAudit')}
          </a>
        )}
      </Space>
      {state && state !== 'running' && <CheckDetails result={state} />}
    </Space>
  )
  return (
    <Space size={4} wrap={false} className="xzt-ledger-ref">
      <Popover content={content} trigger="click">
        <a
          className="xzt-ledger-pos"
          data-testid="ledger-position"
          data-log={ledger.log}
          data-index={ledger.index}
          onClick={(e) => e.preventDefault()}
          href={`#${refKey(ledger)}`}
        >
          <SafetyCertificateOutlined /> <span className="xzt-mono">{text}</span>
        </a>
      </Popover>
      <CheckMark state={state} testId="ref-check" />
    </Space>
  )
}
