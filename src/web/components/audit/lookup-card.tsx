/**
 * Entry look-up: the decoded event, its leaf hash and its inclusion proof in the latest checkpoint,
 * re-checked locally with WebCrypto.
 */
import { useCallback, useEffect, useState } from 'react'
import { Alert, Button, Card, Descriptions, Empty, Space, Tag, Typography } from 'antd'
import { FileSearchOutlined, FileTextOutlined, LoadingOutlined, SearchOutlined } from '@ant-design/icons'
import { api } from '../../api.js'
import type { LedgerEntry, LedgerLog } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { canHashLocally, leafHashOf, verifyInclusion } from '../../ledger.js'
import {
  isProvinceLog,
  pretty,
  CodeBlock,
  LogLabel,
  leafItems,
  SectionTitle,
  LogIndexPicker,
  useEntryTarget,
} from './audit-common.js'
import type { Target } from './audit-common.js'

type LocalCheck = 'pending' | 'ok' | 'leaf-bad' | 'proof-bad' | 'unavailable' | null

export function LookupCard({
  logs,
  names,
  target,
  onReceipt,
  onLedgerChanged,
}: {
  logs: LedgerLog[]
  names: Map<string, string>
  target: Target | null
  onReceipt: (log: string, index: number) => void
  /** Fetching the latest checkpoint may make the server sign one on demand. */
  onLedgerChanged: () => void
}) {
  const i18n = useI18n()
  const { t, formatNumber } = i18n
  const [log, setLog] = useState<string | null>(null)
  const [index, setIndex] = useState<number | null>(null)
  const [loading, setLoading] = useState(false)
  const [entry, setEntry] = useState<LedgerEntry | null>(null)
  const [check, setCheck] = useState<LocalCheck>(null)

  useEffect(() => {
    if (log === null && logs[0]) setLog(logs.find((l) => !isProvinceLog(l.id))?.id ?? logs[0].id)
  }, [logs, log])

  const lookUp = useCallback(async (forLog: string, forIndex: number) => {
    setLoading(true)
    setCheck(null)
    try {
      const found = await api.ledgerEntry(forLog, forIndex)
      setEntry(found)
      if (!found.checkpoint || !found.proof) return
      if (!canHashLocally()) {
        setCheck('unavailable')
        return
      }
      setCheck('pending')
      const [raw] = await api.ledgerEntries(forLog, forIndex, forIndex + 1, { quiet: true })
      if (!raw || (await leafHashOf(raw.leaf)) !== found.leafHash) {
        setCheck('leaf-bad')
        return
      }
      const ok = await verifyInclusion(
        found.leafHash,
        found.index,
        found.checkpoint.size,
        found.proof,
        found.checkpoint.root,
      )
      setCheck(ok ? 'ok' : 'proof-bad')
    } catch {
      // Shown by the global error notifier; a failed local check stays unreported.
      setCheck((c) => (c === 'pending' ? null : c))
    } finally {
      setLoading(false)
    }
  }, [])

  const jump = useCallback(
    (log: string, index: number) => {
      setLog(log)
      setIndex(index)
      void lookUp(log, index)
    },
    [lookUp],
  )
  useEntryTarget(target, jump)

  const checkAlert = (() => {
    switch (check) {
      case 'ok':
        return (
          <Alert
            type="success"
            showIcon
            title={t('audit.localOk')}
            data-testid="lookup-local"
            data-check="ok"
          />
        )
      case 'leaf-bad':
        return (
          <Alert
            type="error"
            showIcon
            title={t('audit.localLeafBad')}
            data-testid="lookup-local"
            data-check="bad"
          />
        )
      case 'proof-bad':
        return (
          <Alert
            type="error"
            showIcon
            title={t('audit.localProofBad')}
            data-testid="lookup-local"
            data-check="bad"
          />
        )
      case 'pending':
        return <Alert type="info" showIcon icon={<LoadingOutlined />} title={t('audit.localPending')} />
      case 'unavailable':
        return <Alert type="warning" showIcon title={t('audit.localUnavailable')} />
      case null:
        return null
    }
  })()

  return (
    <Card
      id="audit-lookup"
      title={
        <SectionTitle icon={<FileSearchOutlined />} title={t('audit.lookup')} hint={t('audit.lookupHint')} />
      }
      className="xzt-section-card"
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <LogIndexPicker
          logs={logs}
          names={names}
          log={log}
          index={index}
          onLog={setLog}
          onIndex={setIndex}
          onGo={() => log !== null && index !== null && void lookUp(log, index)}
          goLabel={t('audit.lookupGo')}
          goIcon={<SearchOutlined />}
          loading={loading}
          testId="lookup"
        />
        {!entry && !loading && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.lookupHint')} />
        )}
        {entry && (
          <div data-testid="lookup-result" data-log={entry.log} data-index={entry.index}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <Descriptions
                bordered
                size="small"
                column={{ xs: 1, md: 2, xl: 1, xxxl: 2 }}
                styles={{ label: { whiteSpace: 'nowrap' } }}
                items={[
                  {
                    key: 'log',
                    label: t('audit.log'),
                    children: <LogLabel id={entry.log} name={names.get(entry.log)} />,
                  },
                  { key: 'index', label: t('audit.index'), children: formatNumber(entry.index) },
                  ...(leafItems(entry.leaf, i18n) ?? []),
                ]}
              />
              <div>
                <Typography.Text type="secondary">{t('audit.data')}</Typography.Text>
                <CodeBlock testId="lookup-data" maxHeight={280}>
                  {pretty(entry.leaf.data)}
                </CodeBlock>
              </div>
              <div>
                <Typography.Text type="secondary">{t('audit.leafHash')}</Typography.Text>
                <div>
                  <Typography.Text className="xzt-mono" copyable data-testid="lookup-leaf-hash">
                    {entry.leafHash}
                  </Typography.Text>
                </div>
              </div>
              {checkAlert}
              {entry.checkpoint && entry.proof ? (
                <>
                  <div>
                    <Space size={8}>
                      <Typography.Text type="secondary">{t('audit.proof')}</Typography.Text>
                      <Tag>{t('audit.proofCount', { n: entry.proof.length })}</Tag>
                    </Space>
                    <ol className="xzt-proof-list" data-testid="lookup-proof">
                      {entry.proof.map((hash, i) => (
                        <li key={`${i}-${hash}`} className="xzt-mono">
                          {hash}
                        </li>
                      ))}
                    </ol>
                  </div>
                  <div>
                    <Typography.Text type="secondary">{t('audit.provenAgainst')}</Typography.Text>
                    <Descriptions
                      bordered
                      size="small"
                      column={1}
                      style={{ marginTop: 4 }}
                      items={[
                        {
                          key: 'size',
                          label: t('audit.treeSize'),
                          children: formatNumber(entry.checkpoint.size),
                        },
                        {
                          key: 'root',
                          label: t('audit.root'),
                          children: (
                            <Typography.Text className="xzt-mono">{entry.checkpoint.root}</Typography.Text>
                          ),
                        },
                      ]}
                    />
                    <CodeBlock testId="lookup-checkpoint">{entry.checkpoint.note}</CodeBlock>
                  </div>
                </>
              ) : (
                <Alert
                  type="warning"
                  showIcon
                  title={t('audit.noCheckpointForEntry')}
                  data-testid="lookup-no-checkpoint"
                  action={
                    <Button
                      size="small"
                      loading={loading}
                      onClick={() => {
                        const { log: forLog, index: forIndex } = entry
                        setLoading(true)
                        api.ledgerCheckpoint(forLog).then(
                          () => {
                            onLedgerChanged()
                            void lookUp(forLog, forIndex)
                          },
                          () => setLoading(false),
                        )
                      }}
                    >
                      {t('audit.signAndRetry')}
                    </Button>
                  }
                />
              )}
              <Button
                icon={<FileTextOutlined />}
                onClick={() => onReceipt(entry.log, entry.index)}
                data-testid="lookup-receipt"
              >
                {t('audit.receiptForEntry')}
              </Button>
            </Space>
          </div>
        )}
      </Space>
    </Card>
  )
}
