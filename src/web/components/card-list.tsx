/**
 * A table's rows as a stack of cards, for phones: the same columns (titles and cell renderers) as the
 * desk table, each row one card of "title: value" lines, so nothing needs sideways scrolling on a
 * 390 px screen and nothing is hidden. Pages pick it with `usePhone()`.
 */
import type { HTMLAttributes, Key, ReactNode } from 'react'
import { Card, Empty, List } from 'antd'
import type { TableColumnsType } from 'antd'

interface Column<T> {
  key?: Key
  title?: ReactNode
  dataIndex?: string | number | readonly (string | number)[]
  render?: (value: any, record: T, index: number) => ReactNode
}

function valueAt(record: unknown, dataIndex: Column<unknown>['dataIndex']): unknown {
  if (dataIndex === undefined) return undefined
  const path: readonly (string | number)[] = Array.isArray(dataIndex) ? dataIndex : [dataIndex]
  let v: unknown = record
  for (const part of path)
    v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part]
  return v
}

export function CardList<T extends object>({
  columns,
  dataSource,
  rowKey,
  onRow,
  rowClassName,
  loading,
  emptyText,
  pageSize = 20,
  testId,
}: {
  columns: TableColumnsType<T>
  dataSource: readonly T[]
  rowKey: (row: T) => string
  /** Attributes of a row's card (test ids, data attributes, onClick), as a table's `onRow`. */
  onRow?: (row: T) => HTMLAttributes<HTMLElement>
  rowClassName?: (row: T) => string
  loading?: boolean
  emptyText?: ReactNode
  pageSize?: number
  testId?: string
}) {
  const cols = columns as readonly Column<T>[]
  return (
    <List<T>
      className="xzt-card-list"
      dataSource={[...dataSource]}
      loading={loading}
      rowKey={rowKey}
      locale={{ emptyText: emptyText ?? <Empty /> }}
      pagination={dataSource.length > pageSize ? { pageSize, size: 'small', align: 'center' } : false}
      data-testid={testId}
      renderItem={(row, index) => (
        <List.Item className="xzt-card-list-item">
          <Card size="small" className={`xzt-card-row ${rowClassName?.(row) ?? ''}`} {...onRow?.(row)}>
            {cols.map((col, i) => {
              const raw = valueAt(row, col.dataIndex)
              const cell = col.render ? col.render(raw, row, index) : (raw as ReactNode)
              if (cell === null || cell === undefined || cell === '') return null
              return (
                <div key={String(col.key ?? i)} className="xzt-card-row-line">
                  {col.title ? <span className="xzt-card-row-label">{col.title}</span> : null}
                  <span className="xzt-card-row-value">{cell}</span>
                </div>
              )
            })}
          </Card>
        </List.Item>
      )}
    />
  )
}
