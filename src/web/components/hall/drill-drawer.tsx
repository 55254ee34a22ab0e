/**
 * The list behind a chart (drill route): the cases or appeals of the slice clicked, newest first, a
 * page at a time. No personal data: a title, the region, the status, the time, the department.
 * @module
 */
import { useEffect, useState } from 'react'
import { Drawer, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { useI18n } from '../../i18n.js'
import type { MessageKey } from '../../i18n.js'
import { analyticsApi } from '../../analytics-api.js'
import type { DrillItem, DrillList } from '../../analytics-api.js'
import type { DrillSlice } from './hall-common.js'
import { isMissingRoute, useHall } from './hall-common.js'
import { LoadError } from '../load-error.js'

const PAGE = 20

export function DrillDrawer({ slice, onClose }: { slice: DrillSlice | null; onClose: () => void }) {
  const { t, formatDateTime } = useI18n()
  const { period, variant } = useHall()
  const [page, setPage] = useState(1)
  const [data, setData] = useState<DrillList | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [retry, setRetry] = useState(0)

  useEffect(() => setPage(1), [slice])
  useEffect(() => {
    if (!slice) return
    let live = true
    setData(null)
    setError(null)
    analyticsApi
      .drill(
        {
          kind: slice.kind,
          region: slice.region,
          department: slice.department,
          status: slice.status,
          limit: PAGE,
          offset: (page - 1) * PAGE,
          ...period,
        },
        { quiet: true },
      )
      .then(
        (d) => live && setData(d),
        (e: unknown) => live && setError(e),
      )
    return () => {
      live = false
    }
  }, [slice, page, period, retry])

  const statusName = (s: string) => {
    const key = (slice?.kind === 'appeals' ? `appealsStaff.status.${s}` : `caseStatus.${s}`) as MessageKey
    const text = t(key)
    return text === undefined || text === key ? t('hall.drill.statusOther') : text
  }

  const columns: TableColumnsType<DrillItem> = [
    { title: t('hall.drill.col.title'), key: 'title', render: (_, r) => r.title },
    { title: t('hall.drill.col.region'), key: 'region', render: (_, r) => r.regionName },
    {
      title: t('hall.drill.col.status'),
      key: 'status',
      render: (_, r) => <Tag>{statusName(r.status)}</Tag>,
    },
    {
      title: t('hall.drill.col.at'),
      key: 'at',
      render: (_, r) => <span className="xzt-nowrap">{formatDateTime(r.at)}</span>,
    },
  ]

  return (
    <Drawer
      open={slice !== null}
      onClose={onClose}
      size={variant === 'hall' ? 880 : 720}
      title={
        slice ? t('hall.drill.title', { slice: slice.title, kind: t(`hall.drill.kind.${slice.kind}`) }) : null
      }
      className={`xzt-hall-drawer xzt-hall-drawer-${variant}`}
      data-testid="drill-drawer"
      destroyOnHidden
    >
      {error ? (
        isMissingRoute(error) ? (
          <Typography.Paragraph type="secondary" data-testid="drill-empty">
            {t('hall.empty')}
          </Typography.Paragraph>
        ) : (
          <LoadError title={t('hall.loadFailed')} error={error} onRetry={() => setRetry((n) => n + 1)} />
        )
      ) : (
        <Table<DrillItem>
          rowKey="id"
          size="middle"
          loading={data === null}
          columns={columns}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t('hall.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n) => t('hall.drill.total', { n }),
          }}
          data-testid="drill-list"
        />
      )}
    </Drawer>
  )
}
