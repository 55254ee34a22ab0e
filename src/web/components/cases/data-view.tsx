/**
 * Read-only view of a case's form data, labelled from the matter's JSON Schema: one section per
 * top-level part of the form, nested objects flattened into "监事 · 姓名" labels, lists of objects as
 * small tables, option values by their titles, and attached files as downloads.
 */
import type { ReactNode } from 'react'
import { Button, Descriptions, Space, Table, Tag, Typography } from 'antd'
import type { DescriptionsProps, TableColumnsType } from 'antd'
import { CheckOutlined, PaperClipOutlined } from '@ant-design/icons'
import { useI18n } from '../../i18n.js'
import type { I18n } from '../../i18n.js'
import { downloadDataUrl, formatBytes, isRecord, optionTitle, optionsOf, parseDataUrl } from '../../forms.js'
import type { FormData, JsonSchema } from '../../forms.js'

function FileLink({ dataUrl }: { dataUrl: string }) {
  const file = parseDataUrl(dataUrl)
  if (!file) return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <Button
      type="link"
      size="small"
      icon={<PaperClipOutlined />}
      className="xzt-file-link"
      onClick={() => downloadDataUrl(file)}
      data-testid="data-file"
    >
      {file.name} <Typography.Text type="secondary">({formatBytes(file.size)})</Typography.Text>
    </Button>
  )
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

/** One leaf value for display. */
function renderValue(schema: JsonSchema | undefined, value: unknown, i18n: I18n): ReactNode {
  const { t } = i18n
  if (isEmpty(value)) return <Typography.Text type="secondary">—</Typography.Text>
  if (typeof value === 'string' && value.startsWith('data:')) return <FileLink dataUrl={value} />
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' && v.startsWith('data:'))) {
      return (
        <Space orientation="vertical" size={0}>
          {value.map((v, i) => (
            <FileLink key={i} dataUrl={v as string} />
          ))}
        </Space>
      )
    }
    const items = schema?.items
    if (optionsOf(items)) {
      return (
        <Space size={[4, 4]} wrap>
          {value.map((v, i) => (
            <Tag key={i}>{optionTitle(items, v)}</Tag>
          ))}
        </Space>
      )
    }
    return value.map((v) => (isRecord(v) ? JSON.stringify(v) : String(v))).join('、')
  }
  if (typeof value === 'boolean') {
    return value ? (
      <span>
        <CheckOutlined className="xzt-check" /> {t('common.yes')}
      </span>
    ) : (
      t('common.no')
    )
  }
  if (isRecord(value)) return JSON.stringify(value)
  if (optionsOf(schema)) return optionTitle(schema, value)
  return String(value)
}

type Item = NonNullable<DescriptionsProps['items']>[number]

/** Flattens an object into description items; lists of objects become tables spanning the row. */
function itemsOf(
  schema: JsonSchema | undefined,
  data: Record<string, unknown>,
  prefix: string[],
  i18n: I18n,
  keyPrefix: string,
): Item[] {
  const out: Item[] = []
  const known = Object.keys(schema?.properties ?? {})
  const keys = [...known.filter((k) => k in data), ...Object.keys(data).filter((k) => !known.includes(k))]
  for (const key of keys) {
    const sub = schema?.properties?.[key]
    const value = data[key]
    const label = [...prefix, sub?.title ?? key].join(' · ')
    const id = `${keyPrefix}.${key}`
    if (isRecord(value)) {
      out.push(...itemsOf(sub, value, [...prefix, sub?.title ?? key], i18n, id))
    } else if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      out.push({
        key: id,
        label,
        span: 'filled',
        children: <ObjectTable schema={sub?.items} rows={value} i18n={i18n} />,
      })
    } else {
      out.push({ key: id, label, children: renderValue(sub, value, i18n) })
    }
  }
  return out
}

function ObjectTable({
  schema,
  rows,
  i18n,
}: {
  schema: JsonSchema | undefined
  rows: Record<string, unknown>[]
  i18n: I18n
}) {
  const keys = [
    ...new Set([...Object.keys(schema?.properties ?? {}), ...rows.flatMap((r) => Object.keys(r))]),
  ].filter((k) => rows.some((r) => k in r))
  const columns: TableColumnsType<{ key: number; row: Record<string, unknown> }> = keys.map((k) => ({
    key: k,
    title: schema?.properties?.[k]?.title ?? k,
    render: (_: unknown, r) => renderValue(schema?.properties?.[k], r.row[k], i18n),
  }))
  return (
    <Table
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows.map((row, key) => ({ key, row }))}
      scroll={{ x: 'max-content' }}
      className="xzt-data-table"
    />
  )
}

/** Columns of the description grids by breakpoint: three on wide pages, two in a narrower column. */
export type DataViewColumns = Partial<Record<'xs' | 'sm' | 'md' | 'lg' | 'xl' | 'xxl', number>>

export function DataView({
  schema,
  data,
  testId = 'data-view',
  columns = { xs: 1, sm: 1, md: 2, xxl: 3 },
}: {
  schema: JsonSchema
  data: FormData
  testId?: string
  columns?: DataViewColumns
}) {
  const i18n = useI18n()
  const known = Object.keys(schema.properties ?? {})
  const keys = [...known.filter((k) => k in data), ...Object.keys(data).filter((k) => !known.includes(k))]
  const loose: Item[] = []
  const sections: ReactNode[] = []
  for (const key of keys) {
    const sub = schema.properties?.[key]
    const value = data[key]
    const title = sub?.title ?? key
    if (isRecord(value) || (Array.isArray(value) && value.length > 0 && value.every(isRecord))) {
      const items = isRecord(value)
        ? itemsOf(sub, value, [], i18n, key)
        : [
            {
              key,
              label: title,
              span: 'filled' as const,
              children: <ObjectTable schema={sub?.items} rows={value} i18n={i18n} />,
            },
          ]
      sections.push(
        <div className="xzt-data-section" key={key} data-section={key}>
          <Typography.Title level={5} className="xzt-data-title">
            {title}
          </Typography.Title>
          {isRecord(value) ? (
            <Descriptions
              bordered
              size="small"
              column={columns}
              items={items}
              styles={{ label: { width: 140 } }}
            />
          ) : (
            <ObjectTable schema={sub?.items} rows={value} i18n={i18n} />
          )}
        </div>,
      )
    } else {
      loose.push({ key, label: title, span: 'filled', children: renderValue(sub, value, i18n) })
    }
  }
  return (
    <div className="xzt-data-view" data-testid={testId}>
      {sections}
      {loose.length > 0 && (
        <div className="xzt-data-section">
          <Descriptions bordered size="small" column={1} items={loose} styles={{ label: { width: 140 } }} />
        </div>
      )}
    </div>
  )
}
