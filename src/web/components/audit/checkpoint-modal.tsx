/** The latest checkpoint of a log as a signed note: parsed fields, signatures and the raw text. */
import { useEffect, useRef, useState } from 'react'
import { Alert, Button, Descriptions, Modal, Skeleton, Space, Tag, Typography } from 'antd'
import { SafetyCertificateOutlined } from '@ant-design/icons'
import { ApiError, api } from '../../api.js'
import type { LedgerLog } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { parseNote } from '../../ledger.js'
import { CopyButton, CodeBlock } from './audit-common.js'

export function CheckpointModal({
  log,
  name,
  onClose,
  onLoaded,
}: {
  log: LedgerLog
  name: string | undefined
  onClose: () => void
  /** The server signs a checkpoint on demand when the log has grown: the list may be stale now. */
  onLoaded: () => void
}) {
  const { t, formatNumber, formatDateTime, describeError } = useI18n()
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const onLoadedRef = useRef(onLoaded)
  onLoadedRef.current = onLoaded

  useEffect(() => {
    const controller = new AbortController()
    api.ledgerCheckpoint(log.id, { signal: controller.signal, quiet: true }).then(
      (text) => {
        setNote(text)
        onLoadedRef.current()
      },
      (e: unknown) => {
        if (controller.signal.aborted) return
        setError(e instanceof ApiError ? describeError(e) : String(e))
      },
    )
    return () => controller.abort()
  }, [log.id, describeError])

  const parsed = note ? parseNote(note) : null

  return (
    <Modal
      open
      width={760}
      title={
        <Space size={8}>
          <SafetyCertificateOutlined />
          {t('audit.checkpointTitle', { log: `${log.id} ${name ?? ''}`.trim() })}
        </Space>
      }
      onCancel={onClose}
      footer={
        <Space>
          {note && <CopyButton text={note} testId="checkpoint-copy" />}
          <Button type="primary" onClick={onClose}>
            {t('audit.close')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!note && !error && <Skeleton active paragraph={{ rows: 5 }} />}
      {parsed && note && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="checkpoint-modal">
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'origin', label: t('audit.origin'), children: parsed.origin },
              {
                key: 'size',
                label: t('audit.treeSize'),
                children: parsed.size === null ? '—' : formatNumber(parsed.size),
              },
              {
                key: 'root',
                label: t('audit.root'),
                children: (
                  <Typography.Text className="xzt-mono" copyable>
                    {parsed.root}
                  </Typography.Text>
                ),
              },
              {
                key: 'time',
                label: t('audit.checkpointTime'),
                children:
                  log.checkpoint && log.checkpoint.size === parsed.size
                    ? formatDateTime(log.checkpoint.time)
                    : '—',
              },
              {
                key: 'signatures',
                label: t('audit.signatures'),
                children: (
                  <Space orientation="vertical" size={4}>
                    {parsed.signatures.map((s) => (
                      <Space key={`${s.name} ${s.signature}`} size={6} wrap>
                        <Tag color={s.name === log.origin ? 'blue' : 'green'}>
                          {s.name === log.origin ? t('audit.logSignature') : t('audit.cosignature')}
                        </Tag>
                        <Typography.Text className="xzt-mono">{s.name}</Typography.Text>
                      </Space>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
          <div>
            <Typography.Text type="secondary">{t('audit.note')}</Typography.Text>
            <CodeBlock testId="checkpoint-note">{note}</CodeBlock>
          </div>
        </Space>
      )}
    </Modal>
  )
}
