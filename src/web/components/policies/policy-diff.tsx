/**
 * The changes between two policy documents as a list people read: each change names its place by
 * display labels and shows the old value struck through beside the new one; nothing of the documents'
 * JSON is shown.
 * @module
 */
import { Empty, Tag } from 'antd'
import { ArrowRightOutlined } from '@ant-design/icons'
import { useI18n } from '../../i18n.js'
import { describePath, describeValue, fieldOf, itemName } from './diff.js'
import type { ChangeOp, Part, PolicyChange } from './diff.js'
import './policies.css'

const OP_COLOR: Record<ChangeOp, string> = {
  changed: 'blue',
  added: 'green',
  removed: 'red',
  reordered: 'purple',
}

export function Parts({ parts }: { parts: readonly Part[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.code ? (
          <span key={i} className="xzt-mono xzt-policy-code">
            {p.text}
          </span>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  )
}

function PathLabel({ change }: { change: PolicyChange }) {
  const { lang, t } = useI18n()
  const steps = describePath(change.path, lang)
  if (steps.length === 0) return <span>{t('policies.diff.whole')}</span>
  return (
    <span className="xzt-policy-path">
      {steps.map((parts, i) => (
        <span key={i} className="xzt-policy-path-step">
          {i > 0 && <span className="xzt-policy-path-sep"> › </span>}
          <Parts parts={parts} />
        </span>
      ))}
    </span>
  )
}

/** The rules of a list in order, by their names (a change of order). */
function Order({ anchors, list }: { anchors: unknown; list: string }) {
  const { lang } = useI18n()
  const items = Array.isArray(anchors)
    ? (anchors as ({ id?: string; title?: string; code?: string } | undefined)[])
    : []
  return (
    <ol className="xzt-policy-order">
      {items.map((anchor, i) => (
        <li key={i}>
          <Parts parts={itemName({ index: i, list, ...(anchor ? { anchor } : {}) }, lang)} />
        </li>
      ))}
    </ol>
  )
}

function ChangeRow({ change }: { change: PolicyChange }) {
  const { t, lang } = useI18n()
  const { name, parent } = fieldOf(change.path)
  const last = change.path[change.path.length - 1]
  const list = last && 'key' in last ? last.key : ''
  return (
    <li
      className={`xzt-policy-change xzt-policy-change-${change.op}`}
      data-testid="policy-change"
      data-op={change.op}
    >
      <div className="xzt-policy-change-head">
        <Tag color={OP_COLOR[change.op]} className="xzt-policy-op">
          {t(`policies.diff.op.${change.op}`)}
        </Tag>
        <PathLabel change={change} />
      </div>
      {change.op === 'reordered' ? (
        <div className="xzt-policy-values xzt-policy-values-order">
          <div>
            <div className="xzt-policy-values-label">{t('policies.diff.orderBefore')}</div>
            <Order anchors={change.before} list={list} />
          </div>
          <div>
            <div className="xzt-policy-values-label">{t('policies.diff.orderAfter')}</div>
            <Order anchors={change.after} list={list} />
          </div>
        </div>
      ) : (
        <div className="xzt-policy-values">
          {change.before !== undefined && (
            <span className="xzt-policy-before" data-testid="policy-change-before">
              <Parts parts={describeValue(change.before, lang, name, parent)} />
            </span>
          )}
          {change.op === 'changed' && <ArrowRightOutlined className="xzt-policy-arrow" />}
          {change.after !== undefined && (
            <span className="xzt-policy-after" data-testid="policy-change-after">
              <Parts parts={describeValue(change.after, lang, name, parent)} />
            </span>
          )}
        </div>
      )}
    </li>
  )
}

export function PolicyDiff({
  changes,
  emptyText,
  testId = 'policy-diff',
}: {
  changes: readonly PolicyChange[]
  emptyText?: string
  testId?: string
}) {
  const { t } = useI18n()
  if (changes.length === 0)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={emptyText ?? t('policies.diff.none')}
        data-testid={testId}
        data-changes={0}
      />
    )
  return (
    <ul className="xzt-policy-diff" data-testid={testId} data-changes={changes.length}>
      {changes.map((c, i) => (
        <ChangeRow key={i} change={c} />
      ))}
    </ul>
  )
}
