/**
 * Read-only view of a case's form data, labelled from the matter's JSON Schema: one section per
 * top-level part of the form, nested objects flattened into "监事 · 姓名" labels, lists of objects as
 * small tables, option values by their titles, and attached files as downloads (through the case for
 * `attachment:<id>` references, locally for the inline data URLs of older cases).
 */
import { createContext, useContext } from 'react'
import type { ReactNode } from 'react'
import { Button, Descriptions, Space, Table, Tag, Typography } from 'antd'
import type { DescriptionsProps, TableColumnsType } from 'antd'
import { CheckOutlined, PaperClipOutlined } from '@ant-design/icons'
import { useI18n } from '../../i18n.js'
import type { I18n } from '../../i18n.js'
import { downloadDataUrl, formatBytes, isRecord, optionTitle, optionsOf, parseDataUrl } from '../../forms.js'
import type { FormData, JsonSchema } from '../../forms.js'
import { parseAttachmentRef } from '../../../shared/attachments.js'
import type { CaseAttachment } from '../../api.js'
import { AttachmentDownload } from './attachment-list.js'

/** The case whose data is shown and its files, so references render as downloads. */
const FilesContext = createContext<{ caseId: string; attachments: readonly CaseAttachment[] } | null>(null)

/** A file the data refers to: its name and size, downloaded through the case. */
function AttachmentLink({ value }: { value: string }) {
  const { t } = useI18n()
  const files = useContext(FilesContext)
  const id = parseAttachmentRef(value) ?? ''
  const file = files?.attachments.find((f) => f.id === id)
  if (!files || !file)
    return <Typography.Text type="secondary">{t('form.attachment', { id: id.slice(0, 8) })}</Typography.Text>
  return (
    <AttachmentDownload caseId={files.caseId} file={file} type="link">
      <span translate="no">{file.filename}</span>{' '}
      <Typography.Text type="secondary">({formatBytes(file.size)})</Typography.Text>
    </AttachmentDownload>
  )
}

/** A file value: a reference to an attachment, or an inline data URL. */
function isFileValue(v: unknown): v is string {
  return typeof v === 'string' && (v.startsWith('data:') || parseAttachmentRef(v) !== undefined)
}

function FileValue({ value }: { value: string }) {
  return value.startsWith('data:') ? <FileLink dataUrl={value} /> : <AttachmentLink value={value} />
}

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

/** A file in an upload field (a data URL is one wherever it is: older data carries no schema hint). */
function isFileSchemaValue(schema: JsonSchema | undefined, v: unknown): v is string {
  if (typeof v === 'string' && v.startsWith('data:')) return true
  return schema?.format === 'data-url' && isFileValue(v)
}

/** One leaf value for display. */
function renderValue(schema: JsonSchema | undefined, value: unknown, i18n: I18n): ReactNode {
  const { t } = i18n
  if (isEmpty(value)) return <Typography.Text type="secondary">—</Typography.Text>
  if (isFileSchemaValue(schema, value)) return <FileValue value={value} />
  if (Array.isArray(value)) {
    if (value.every((v) => isFileSchemaValue(schema?.items, v))) {
      return (
        <Space orientation="vertical" size={0}>
          {value.map((v, i) => (
            <FileValue key={i} value={v} />
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
  files,
}: {
  schema: JsonSchema
  data: FormData
  testId?: string
  columns?: DataViewColumns
  /** The case and its files: references in the data become downloads. */
  files?: { caseId: string; attachments: readonly CaseAttachment[] }
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
    <FilesContext.Provider value={files ?? null}>
      <div className="xzt-data-view" data-testid={testId}>
        {sections}
        {loose.length > 0 && (
          <div className="xzt-data-section">
            <Descriptions bordered size="small" column={1} items={loose} styles={{ label: { width: 140 } }} />
          </div>
        )}
      </div>
    </FilesContext.Provider>
  )
}
