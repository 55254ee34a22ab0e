/**
 * Building blocks shared by the audit console's sections: log labels and witness tags, copy buttons,
 * code blocks, decoded-event descriptions and the log + index picker.
 */
import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { App as AntApp, Button, InputNumber, Select, Space, Tag, Tooltip, Typography } from 'antd'
import type { DescriptionsProps } from 'antd'
import {
  CheckCircleOutlined,
  CopyOutlined,
  ExclamationCircleOutlined,
  InfoCircleOutlined,
} from '@ant-design/icons'
import { ROLES } from '../../../shared/domain.js'
import type { Role } from '../../../shared/domain.js'
import type { LedgerLeaf, LedgerLog } from '../../api.js'
import { useI18n } from '../../i18n.js'
import type { I18n } from '../../i18n.js'

/** The province log has a two-digit id, city logs four digits. */
export function isProvinceLog(id: string): boolean {
  return id.length === 2
}

export type WitnessState =
  | { kind: 'ok'; size: number }
  | { kind: 'behind'; witnessed: number | null; size: number }
  | { kind: 'na' }
  | { kind: 'none' }

/**
 * Whether the province witness has cosigned the log's current checkpoint. The province log itself is
 * the witness's home: it counts as witnessed only when external witnesses cosign it.
 */
export function witnessState(log: LedgerLog, witnessName: string | null): WitnessState {
  const cp = log.checkpoint
  if (!cp) return { kind: 'none' }
  if (isProvinceLog(log.id)) {
    if (log.witnesses.length === 0) return { kind: 'na' }
    const least = Math.min(...log.witnesses.map((w) => w.size))
    return least >= cp.size
      ? { kind: 'ok', size: cp.size }
      : { kind: 'behind', witnessed: least, size: cp.size }
  }
  const witness = witnessName
    ? log.witnesses.find((w) => w.name === witnessName)
    : log.witnesses.reduce<{ name: string; size: number } | undefined>(
        (best, w) => (!best || w.size > best.size ? w : best),
        undefined,
      )
  if (!witness) return { kind: 'behind', witnessed: null, size: cp.size }
  return witness.size >= cp.size
    ? { kind: 'ok', size: cp.size }
    : { kind: 'behind', witnessed: witness.size, size: cp.size }
}

const TYPE_COLORS: Record<string, string> = {
  region: 'geekblue',
  department: 'cyan',
  staff: 'blue',
  citizen: 'green',
  ledger: 'gold',
  auth: 'purple',
}

export function typeColor(type: string): string {
  return TYPE_COLORS[type.split('.')[0] ?? ''] ?? 'default'
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value)
}

/** Copies text with the async clipboard API, falling back to a hidden textarea outside secure contexts. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Fall through to the legacy path.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

export function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const { t } = useI18n()
  const { message } = AntApp.useApp()
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = window.setTimeout(() => setCopied(false), 2000)
    return () => window.clearTimeout(timer)
  }, [copied])
  return (
    <Button
      size="small"
      icon={copied ? <CheckCircleOutlined /> : <CopyOutlined />}
      data-testid={testId}
      onClick={() => {
        void copyText(text).then((ok) => {
          if (ok) setCopied(true)
          else void message.error(t('audit.copyFailed'))
        })
      }}
    >
      {copied ? t('audit.copied') : t('audit.copy')}
    </Button>
  )
}

/** Monospace block for notes, receipts, hashes and JSON. */
export function CodeBlock({
  children,
  testId,
  maxHeight,
}: {
  children: string
  testId?: string
  maxHeight?: number
}) {
  return (
    <pre className="xzt-code" data-testid={testId} style={maxHeight ? { maxHeight } : undefined}>
      {children}
    </pre>
  )
}

export function LogLabel({ id, name }: { id: string; name: string | undefined }) {
  const { t } = useI18n()
  return (
    <Space size={6} wrap={false}>
      <Typography.Text code>{id}</Typography.Text>
      <span className="xzt-nowrap">{name ?? ''}</span>
      {isProvinceLog(id) && <Tag color="gold">{t('audit.province')}</Tag>}
    </Space>
  )
}

export function WitnessTag({ state }: { state: WitnessState }) {
  const { t, formatNumber } = useI18n()
  switch (state.kind) {
    case 'ok':
      return (
        <Tooltip title={t('audit.witnessedHint', { size: formatNumber(state.size) })}>
          <Tag color="success" icon={<CheckCircleOutlined />} data-witness="ok">
            {t('audit.witnessed')}
          </Tag>
        </Tooltip>
      )
    case 'behind':
      return (
        <Tooltip
          title={
            state.witnessed === null
              ? t('audit.notWitnessedHint')
              : t('audit.witnessBehindHint', {
                  witnessed: formatNumber(state.witnessed),
                  size: formatNumber(state.size),
                })
          }
        >
          <Tag color="warning" icon={<ExclamationCircleOutlined />} data-witness="behind">
            {state.witnessed === null ? t('audit.notWitnessed') : t('audit.witnessBehind')}
          </Tag>
        </Tooltip>
      )
    case 'na':
      return (
        <Tooltip title={t('audit.witnessNAHint')}>
          <Tag data-witness="na">{t('audit.witnessNA')}</Tag>
        </Tooltip>
      )
    case 'none':
      return <Tag data-witness="none">{t('audit.noCheckpoint')}</Tag>
  }
}

/** Who acted: the platform itself by name (系统), an account by its id (an identifier, shown as one). */
export function ActorId({ id, code = false }: { id: string | undefined; code?: boolean }) {
  const { t } = useI18n()
  if (!id) return <>—</>
  if (id === 'system') return <>{t('audit.systemActor')}</>
  return code ? <Typography.Text code>{id}</Typography.Text> : <span className="xzt-mono">{id}</span>
}

/** Type, subject, time and actor of a decoded event, then the whole event as JSON. */
export function leafItems(leaf: LedgerLeaf, i18n: I18n): DescriptionsProps['items'] {
  const { t, formatDateTime, roleName, eventTypeName } = i18n
  return [
    {
      key: 'type',
      label: t('audit.type'),
      children: (
        <Tag color={typeColor(leaf.type)} title={leaf.type} data-type={leaf.type}>
          {eventTypeName(leaf.type)}
        </Tag>
      ),
    },
    {
      key: 'subject',
      label: t('audit.subject'),
      children: <Typography.Text code>{leaf.subject}</Typography.Text>,
    },
    { key: 'time', label: t('audit.time'), children: formatDateTime(leaf.time) },
    {
      key: 'actor',
      label: t('audit.actor'),
      children: <ActorId id={leaf.actor?.id} code />,
    },
    {
      key: 'roles',
      label: t('audit.roles'),
      children: (
        <Space size={[0, 4]} wrap>
          {(leaf.actor?.roles ?? []).map((r) => (
            <Tag key={r}>{isRole(r) ? roleName(r) : r}</Tag>
          ))}
        </Space>
      ),
    },
    {
      key: 'department',
      label: t('audit.department'),
      children: leaf.actor?.department ?? t('common.none'),
    },
    { key: 'region', label: t('audit.region'), children: leaf.actor?.region || t('common.none') },
    { key: 'version', label: t('audit.version'), children: leaf.v },
  ]
}

export function SectionTitle({ icon, title, hint }: { icon: ReactNode; title: string; hint?: string }) {
  return (
    <Space size={8}>
      {icon}
      <span>{title}</span>
      {hint && (
        <Tooltip title={hint}>
          <InfoCircleOutlined className="xzt-hint-icon" />
        </Tooltip>
      )}
    </Space>
  )
}

export function LogIndexPicker({
  logs,
  names,
  log,
  index,
  onLog,
  onIndex,
  onGo,
  goLabel,
  goIcon,
  loading,
  testId,
}: {
  logs: LedgerLog[]
  names: Map<string, string>
  log: string | null
  index: number | null
  onLog: (log: string) => void
  onIndex: (index: number | null) => void
  onGo: () => void
  goLabel: string
  goIcon: ReactNode
  loading: boolean
  testId: string
}) {
  const { t } = useI18n()
  const size = logs.find((l) => l.id === log)?.size ?? 0
  return (
    <Space.Compact className="xzt-picker">
      <Select
        className="xzt-picker-log"
        value={log ?? undefined}
        placeholder={t('audit.logPlaceholder')}
        onChange={onLog}
        showSearch={{ optionFilterProp: 'label' }}
        data-testid={`${testId}-log`}
        options={logs.map((l) => ({ value: l.id, label: `${l.id} ${names.get(l.id) ?? ''}`.trim() }))}
      />
      <Tooltip title={size > 0 ? t('audit.indexRange', { max: size - 1 }) : undefined}>
        <InputNumber<number>
          className="xzt-picker-index"
          min={0}
          max={size > 0 ? size - 1 : undefined}
          precision={0}
          value={index}
          placeholder={t('audit.indexPlaceholder')}
          onChange={(v) => onIndex(typeof v === 'number' ? v : null)}
          onPressEnter={onGo}
          data-testid={`${testId}-index`}
        />
      </Tooltip>
      <Button
        type="primary"
        ghost
        icon={goIcon}
        loading={loading}
        disabled={!log || index === null}
        onClick={onGo}
        data-testid={`${testId}-go`}
      >
        {goLabel}
      </Button>
    </Space.Compact>
  )
}

/** A request from elsewhere on the page to load `log`/`index`; `seq` makes repeated requests distinct. */
export interface Target {
  log: string
  index: number
  seq: number
}

/** Runs `act` once per new target (a jump from the entries drawer or the logs table). */
export function useEntryTarget(target: Target | null, act: (log: string, index: number) => void): void {
  const last = useRef<number | null>(null)
  useEffect(() => {
    if (!target || last.current === target.seq) return
    last.current = target.seq
    act(target.log, target.index)
  }, [target, act])
}
