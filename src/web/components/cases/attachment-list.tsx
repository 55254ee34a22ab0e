/**
 * The files of a case (附件材料) for the citizen's case page and the official's task page: which
 * material each is, its name and size, the first digits of its SHA-256 (the commitment in the ledger),
 * and a download through the case, which the server checks against that SHA-256 and, for officials,
 * records as an access to the applicant's data.
 */
import { useState } from 'react'
import type { HTMLAttributes, ReactNode } from 'react'
import { App as AntApp, Button, Table, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { DownloadOutlined, PaperClipOutlined } from '@ant-design/icons'
import { api } from '../../api.js'
import type { CaseAttachment } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { downloadBlob, fieldLabel, formatBytes, shortSha } from '../../forms.js'
import type { JsonSchema } from '../../forms.js'

/** Fetches a case's file (with the session cookie) and saves it under its name. */
export async function saveCaseAttachment(
  caseId: string,
  file: Pick<CaseAttachment, 'id' | 'filename'>,
): Promise<void> {
  downloadBlob(await api.caseAttachment(caseId, file.id), file.filename)
}

/** A download button for one file of a case. */
export function AttachmentDownload({
  caseId,
  file,
  children,
  type = 'default',
}: {
  caseId: string
  file: CaseAttachment
  children?: ReactNode
  type?: 'default' | 'link'
}) {
  const { t } = useI18n()
  const { message } = AntApp.useApp()
  const [busy, setBusy] = useState(false)
  return (
    <Button
      type={type}
      size="small"
      icon={type === 'link' ? <PaperClipOutlined /> : <DownloadOutlined />}
      loading={busy}
      className={type === 'link' ? 'xzt-file-link' : undefined}
      data-testid="attachment-download"
      data-attachment={file.id}
      onClick={() => {
        setBusy(true)
        saveCaseAttachment(caseId, file).then(
          () => {
            void message.success({
              content: t('attachments.downloaded', { name: file.filename }),
              key: `dl-${file.id}`,
            })
            setBusy(false)
          },
          // The error is shown by the API's notifier.
          () => setBusy(false),
        )
      }}
    >
      {children ?? t('attachments.download')}
    </Button>
  )
}

export function AttachmentList({
  caseId,
  attachments,
  schema,
}: {
  caseId: string
  attachments: CaseAttachment[]
  schema: JsonSchema
}) {
  const { t } = useI18n()
  const columns: TableColumnsType<CaseAttachment> = [
    {
      title: t('attachments.field'),
      dataIndex: 'path',
      key: 'field',
      render: (path: string) => fieldLabel(schema, path),
    },
    {
      title: t('attachments.file'),
      dataIndex: 'filename',
      key: 'file',
      // What the citizen named their file: never translated, never an English leak.
      render: (name: string) => (
        <span className="xzt-attachment-name" translate="no">
          {name}
        </span>
      ),
    },
    {
      title: t('attachments.size'),
      dataIndex: 'size',
      key: 'size',
      width: 96,
      responsive: ['sm'],
      render: (size: number) => <span className="xzt-nowrap">{formatBytes(size)}</span>,
    },
    {
      title: (
        <Tooltip title={t('attachments.shaHint')}>
          <span>SHA-256</span>
        </Tooltip>
      ),
      dataIndex: 'sha256',
      key: 'sha256',
      width: 150,
      render: (sha: string) => (
        <Tooltip title={sha}>
          <Typography.Text className="xzt-mono" copyable={{ text: sha }} data-testid="attachment-sha">
            {shortSha(sha)}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('common.actions'),
      key: 'download',
      width: 96,
      render: (_: unknown, file) => <AttachmentDownload caseId={caseId} file={file} />,
    },
  ]
  return (
    <Table<CaseAttachment>
      rowKey={(f) => `${f.path}-${f.id}`}
      size="small"
      pagination={false}
      columns={columns}
      dataSource={attachments}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('attachments.empty') }}
      onRow={(f) => ({ 'data-testid': 'attachment-row', 'data-path': f.path }) as HTMLAttributes<HTMLElement>}
      data-testid="attachment-list"
    />
  )
}
