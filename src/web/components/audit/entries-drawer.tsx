/** The latest entries of a log, newest first, decoded from their canonical JSON leaves. */
import { useEffect, useState } from 'react'
import { Button, Drawer, Space, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { FileSearchOutlined, ProfileOutlined } from '@ant-design/icons'
import { api } from '../../api.js'
import type { LedgerEntrySummary, LedgerLeaf, LedgerLog } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { decodeLeaf } from '../../ledger.js'
import { ActorId, CodeBlock, pretty, typeColor } from './audit-common.js'

const ENTRIES_PAGE_SIZE = 20

interface EntryRow extends LedgerEntrySummary {
  decoded: LedgerLeaf | null
}

export function EntriesDrawer({
  log,
  name,
  onClose,
  onInspect,
}: {
  log: LedgerLog
  name: string | undefined
  onClose: () => void
  onInspect: (log: string, index: number) => void
}) {
  const i18n = useI18n()
  const { t, formatNumber, formatDateTime, eventTypeName } = i18n
  const [page, setPage] = useState(1)
  const [rows, setRows] = useState<EntryRow[]>([])
  const [loading, setLoading] = useState(true)
  const total = log.size

  useEffect(() => {
    const controller = new AbortController()
    const end = Math.max(0, total - (page - 1) * ENTRIES_PAGE_SIZE)
    const start = Math.max(0, end - ENTRIES_PAGE_SIZE)
    setLoading(true)
    if (end === 0) {
      setRows([])
      setLoading(false)
      return
    }
    api.ledgerEntries(log.id, start, end, { signal: controller.signal }).then(
      (entries) => {
        setRows(entries.map((e) => ({ ...e, decoded: decodeLeaf(e.leaf) })).reverse())
        setLoading(false)
      },
      () => {
        if (!controller.signal.aborted) setLoading(false)
      },
    )
    return () => controller.abort()
  }, [log.id, page, total])

  const columns: TableColumnsType<EntryRow> = [
    {
      title: t('audit.index'),
      dataIndex: 'index',
      key: 'index',
      width: 76,
      align: 'right',
      render: (v: number) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('audit.type'),
      dataIndex: 'type',
      key: 'type',
      width: 210,
      render: (v: string) => (
        <Tag color={typeColor(v)} className="xzt-tag-ellipsis" title={v} data-type={v}>
          {eventTypeName(v)}
        </Tag>
      ),
    },
    {
      title: t('audit.subject'),
      key: 'subject',
      ellipsis: true,
      render: (_: unknown, row) =>
        row.decoded ? (
          <Typography.Text className="xzt-mono">{row.decoded.subject}</Typography.Text>
        ) : (
          <Typography.Text type="danger">{t('audit.undecodable')}</Typography.Text>
        ),
    },
    {
      title: t('audit.time'),
      dataIndex: 'time',
      key: 'time',
      width: 168,
      responsive: ['md'],
      render: (v: number) => <span className="xzt-nowrap">{formatDateTime(v)}</span>,
    },
    {
      title: t('audit.actor'),
      key: 'actor',
      width: 110,
      responsive: ['xxl'],
      ellipsis: true,
      render: (_: unknown, row) => <ActorId id={row.decoded?.actor?.id} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 108,
      render: (_: unknown, row) => (
        <Button
          size="small"
          type="link"
          icon={<FileSearchOutlined />}
          onClick={() => onInspect(log.id, row.index)}
          data-testid={`entry-inspect-${row.index}`}
        >
          {t('audit.inspect')}
        </Button>
      ),
    },
  ]

  return (
    <Drawer
      open
      size="min(960px, 100vw)"
      title={
        <Space size={8}>
          <ProfileOutlined />
          {t('audit.entriesTitle', { log: `${log.id} ${name ?? ''}`.trim() })}
        </Space>
      }
      extra={
        <Typography.Text type="secondary">{t('common.total', { n: formatNumber(total) })}</Typography.Text>
      }
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">{t('audit.latestFirst')}</Typography.Paragraph>
      <div data-testid="entries-table">
        <Table<EntryRow>
          rowKey="index"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={rows}
          expandable={{
            expandedRowRender: (row) =>
              row.decoded ? (
                <CodeBlock maxHeight={320}>{pretty(row.decoded)}</CodeBlock>
              ) : (
                <CodeBlock>{row.leaf}</CodeBlock>
              ),
          }}
          pagination={{
            current: page,
            pageSize: ENTRIES_PAGE_SIZE,
            total,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n) => t('common.total', { n: formatNumber(n) }),
          }}
        />
      </div>
    </Drawer>
  )
}
