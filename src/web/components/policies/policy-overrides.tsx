/**
 * 各级调整: what cities, counties and streets changed of a province policy within the bounds its
 * override rules allow (a county may shorten a time limit, not lengthen it), adding one for one's own
 * region, retiring one, and the rules in force in a region (the province's document after every
 * override along the region's chain).
 * @module
 */
import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import { PlusOutlined, StopOutlined } from '@ant-design/icons'
import { ApiError } from '../../api.js'
import type { Me } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { usePhone } from '../../responsive.js'
import { homeRegion } from '../../access.js'
import { CardList } from '../card-list.js'
import { RegionCascader } from '../region-cascader.js'
import { useNow } from '../cases/case-common.js'
import { policiesApi, publishErrors } from '../../policies-api.js'
import type { EffectivePolicy, OverrideRule, PolicyKindDetail, PolicyOverride } from '../../policies-api.js'
import { describeValue, diffDocuments, fieldOf, pointerParts, pointerSegments } from './diff.js'
import {
  boundText,
  fieldTitle,
  overridableFields,
  parentCode,
  ruleMatching,
  valueAtPointer,
} from './overrides.js'
import { pick } from './labels.js'
import { Parts, PolicyDiff } from './policy-diff.js'
import { refusalText } from './policy-editor.js'

function overrideState(o: PolicyOverride, now: number): 'active' | 'scheduled' | 'retired' {
  if (o.retiredAt !== null) return 'retired'
  // One effective at publication is in force, whatever the page's clock (read a minute ago) says.
  return o.effectiveAt > Math.max(now, o.publishedAt) ? 'scheduled' : 'active'
}

export function PolicyOverrides({
  detail,
  me,
  mayAdd,
  onChanged,
}: {
  detail: PolicyKindDetail
  me: Me
  mayAdd: boolean
  onChanged: () => void
}) {
  const { t, lang, levelName, formatDateTime, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const phone = usePhone()
  const now = useNow()
  const rules = useMemo(() => detail.overrideRules ?? [], [detail.overrideRules])
  const overrides = detail.overrides ?? []
  const province = detail.current?.body
  const ruleOf = (path: string) => ruleMatching(rules, path)
  const title = (path: string) => fieldTitle(rules, path, province, lang)
  const valueText = (path: string, value: unknown) => {
    const { name, parent } = fieldOf(pointerSegments(pointerParts(path), province))
    return <Parts parts={describeValue(value, lang, name, parent)} />
  }

  const retire = async (o: PolicyOverride) => {
    try {
      await policiesApi.retireOverride(detail.kind, o.id)
    } catch {
      return // the platform's notice has said why
    }
    void message.success({
      content: t('policies.overrides.retired', { region: o.regionName }),
      key: 'override-retired',
    })
    onChanged()
  }

  const columns: TableColumnsType<PolicyOverride> = [
    {
      title: t('policies.overrides.col.region'),
      key: 'region',
      render: (_, o) => (
        <Space size={6} wrap>
          <strong translate="no">{o.regionName}</strong>
          <Tag>{levelName(o.level)}</Tag>
        </Space>
      ),
    },
    {
      title: t('policies.overrides.col.values'),
      key: 'values',
      render: (_, o) => (
        <ul className="xzt-policy-override-values">
          {o.values.map((v) => {
            const rule = ruleOf(v.path)
            const base = valueAtPointer(province, v.path)
            return (
              <li key={v.path}>
                <strong>{title(v.path)}</strong>
                {t('policies.refused.sep')}
                <span className="xzt-policy-before">{valueText(v.path, base)}</span>
                {' → '}
                <span className="xzt-policy-after">{valueText(v.path, v.value)}</span>
                {rule && <div className="xzt-policy-bound">{boundText(rule, base, t)}</div>}
              </li>
            )
          })}
        </ul>
      ),
    },
    {
      title: t('policies.col.effectiveAt'),
      key: 'effectiveAt',
      render: (_, o) => formatDateTime(o.effectiveAt),
    },
    {
      title: t('policies.overrides.col.state'),
      key: 'state',
      render: (_, o) => {
        const s = overrideState(o, now)
        return (
          <Tag
            color={s === 'active' ? 'success' : s === 'scheduled' ? 'gold' : 'default'}
            data-testid="policy-override-state"
            data-state={s}
          >
            {s === 'retired' && o.retiredAt !== null
              ? t('policies.overrides.retiredAt', { time: formatDateTime(o.retiredAt) })
              : t(`policies.overrides.state.${s}`)}
          </Tag>
        )
      },
    },
    { title: t('policies.col.note'), key: 'note', render: (_, o) => o.note ?? '' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, o) =>
        mayAdd &&
        o.retiredAt === null && (
          <Popconfirm
            title={t('policies.overrides.retireConfirm', { region: o.regionName })}
            okButtonProps={{ danger: true }}
            onConfirm={() => void retire(o)}
          >
            <Button danger icon={<StopOutlined />} data-testid="policy-override-retire">
              {t('policies.overrides.retire')}
            </Button>
          </Popconfirm>
        ),
    },
  ]

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="policy-overrides">
      <Card size="small" title={t('policies.overrides.rulesTitle')}>
        {rules.length === 0 ? (
          <Typography.Text type="secondary">{t('policies.overrides.noRules')}</Typography.Text>
        ) : (
          <ul className="xzt-policy-override-rules">
            {rules.map((r) => (
              <li key={r.path}>
                <strong>{pick(r.title, lang)}</strong>
                {t('policies.refused.sep')}
                {r.levels.map((l) => levelName(l)).join('、')}
                {t('policies.overrides.mayAdjust')}
                {r.path.includes('*')
                  ? t(`policies.overrides.bound.${r.bound}Only`)
                  : boundText(r, valueAtPointer(province, r.path), t)}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card size="small" title={t('policies.overrides.listTitle')}>
        {phone ? (
          <CardList<PolicyOverride>
            rowKey={(o) => o.id}
            columns={columns}
            dataSource={overrides}
            emptyText={t('policies.overrides.empty')}
            rowClassName={(o) => (o.retiredAt !== null ? 'xzt-policy-retired' : '')}
            testId="policy-override-list"
          />
        ) : (
          <Table<PolicyOverride>
            rowKey="id"
            className="xzt-policy-table"
            columns={columns}
            dataSource={overrides}
            pagination={false}
            rowClassName={(o) => (o.retiredAt !== null ? 'xzt-policy-retired' : '')}
            locale={{ emptyText: t('policies.overrides.empty') }}
            data-testid="policy-override-list"
          />
        )}
      </Card>
      {mayAdd && rules.length > 0 && (
        <AddOverride
          detail={detail}
          me={me}
          rules={rules}
          onAdded={onChanged}
          describeError={describeError}
        />
      )}
      <EffectiveView detail={detail} me={me} />
    </Space>
  )
}

function AddOverride({
  detail,
  me,
  rules,
  onAdded,
  describeError,
}: {
  detail: PolicyKindDetail
  me: Me
  rules: OverrideRule[]
  onAdded: () => void
  describeError: (e: ApiError) => string
}) {
  const { t, lang } = useI18n()
  const { message } = AntApp.useApp()
  const province = detail.current?.body
  const fields = useMemo(() => overridableFields(rules, province), [rules, province])
  const [path, setPath] = useState<string>(fields[0]?.path ?? '')
  const [region, setRegion] = useState<string[]>(me.regionCode.length > 2 ? [me.regionCode] : [])
  const [value, setValue] = useState<number | string | null>(null)
  const [note, setNote] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const regionCode = region[region.length - 1] ?? ''
  const rule = ruleMatching(rules, path)

  // What the region inherits: the province's document, or its parent region's after their overrides
  // (the bound the server checks the value against).
  const parent = regionCode.length > 2 ? parentCode(regionCode) : ''
  const [parentDoc, setParentDoc] = useState<unknown>(province)
  useEffect(() => {
    if (parent.length <= 2) {
      setParentDoc(province)
      return
    }
    let live = true
    policiesApi.effective(detail.kind, parent, { quiet: true }).then(
      (e) => live && setParentDoc(e.document),
      () => live && setParentDoc(province),
    )
    return () => {
      live = false
    }
  }, [detail.kind, parent, province, detail.overrides])
  const inherited = valueAtPointer(parentDoc, path)
  const from = parent.length <= 2 ? 'province' : 'parent'

  useEffect(() => {
    setValue(typeof inherited === 'number' || typeof inherited === 'string' ? inherited : null)
    setError(null)
  }, [path, inherited])

  const add = async () => {
    if (regionCode.length <= 2) {
      setError(t('policies.overrides.pickRegion'))
      return
    }
    if (value === null || value === '') {
      setError(t('form.required'))
      return
    }
    setSending(true)
    try {
      const created = await policiesApi.addOverride(detail.kind, {
        regionCode,
        values: [{ path, value }],
        ...(note.trim() ? { note: note.trim() } : {}),
      })
      setError(null)
      setNote('')
      void message.success({
        content: t('policies.overrides.added', { region: created.regionName }),
        key: 'override-added',
      })
      onAdded()
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        // The server names the value refused (its bound) or the field (not open at this level).
        const first = publishErrors(e.details, ['body'])[0]
        const at = first?.path?.at(-1) ?? first?.field
        setError(
          at === 'value' && rule
            ? t('policies.overrides.refused', { bound: boundText(rule, inherited, t, from) })
            : at === 'path'
              ? t('policies.overrides.notAllowed')
              : first
                ? refusalText(first, t)
                : t('form.invalid'),
        )
      } else if (e instanceof ApiError && e.status === 403) {
        setError(t('policies.overrides.outside'))
      } else {
        void message.error({
          content: e instanceof ApiError ? describeError(e) : t('error.network'),
          key: 'override-failed',
        })
      }
    } finally {
      setSending(false)
    }
  }

  return (
    <Card size="small" title={t('policies.overrides.addTitle')} data-testid="policy-override-add">
      <Form layout="vertical" component="div">
        <Form.Item label={t('policies.overrides.field')}>
          <Select
            size="large"
            value={path}
            onChange={setPath}
            options={fields.map((f) => ({ value: f.path, label: fieldTitle(rules, f.path, province, lang) }))}
            data-testid="policy-override-field"
          />
        </Form.Item>
        <Form.Item label={t('policies.overrides.region')} extra={t('policies.overrides.regionHint')}>
          <RegionCascader rootCode={homeRegion(me)} value={region} onChange={setRegion} />
        </Form.Item>
        <Form.Item
          label={t('policies.overrides.value')}
          validateStatus={error ? 'error' : undefined}
          help={error ?? (rule ? boundText(rule, inherited, t, from) : undefined)}
        >
          {typeof inherited === 'number' ? (
            <InputNumber
              size="large"
              value={value as number | null}
              onChange={(v) => setValue(v)}
              data-testid="policy-override-value"
            />
          ) : (
            <Input
              size="large"
              value={(value as string | null) ?? ''}
              onChange={(e) => setValue(e.target.value)}
              data-testid="policy-override-value"
            />
          )}
        </Form.Item>
        <Form.Item label={t('policies.publish.note')}>
          <Input.TextArea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={500}
            showCount
            autoSize={{ minRows: 2, maxRows: 4 }}
            data-testid="policy-override-note"
          />
        </Form.Item>
        <Button
          type="primary"
          size="large"
          icon={<PlusOutlined />}
          loading={sending}
          onClick={() => void add()}
          data-testid="policy-override-submit"
        >
          {t('policies.overrides.submit')}
        </Button>
      </Form>
    </Card>
  )
}

/** 在某地生效的规则: the document in force in a region, as its difference from the province's. */
function EffectiveView({ detail, me }: { detail: PolicyKindDetail; me: Me }) {
  const { t } = useI18n()
  const [region, setRegion] = useState<string[]>([me.regionCode])
  const [effective, setEffective] = useState<EffectivePolicy | null>(null)
  const [failed, setFailed] = useState(false)
  const code = region[region.length - 1]

  useEffect(() => {
    if (!code) return
    let live = true
    setFailed(false)
    policiesApi.effective(detail.kind, code, { quiet: true }).then(
      (e) => live && setEffective(e),
      () => live && setFailed(true),
    )
    return () => {
      live = false
    }
  }, [detail.kind, code, detail.overrides])

  const changes = useMemo(
    () => (effective ? diffDocuments(detail.current?.body ?? {}, effective.document) : []),
    [effective, detail.current],
  )

  return (
    <Card size="small" title={t('policies.overrides.effectiveTitle')} data-testid="policy-effective">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <RegionCascader rootCode={homeRegion(me)} value={region} onChange={setRegion} />
        {failed ? (
          <Alert type="warning" showIcon title={t('policies.overrides.effectiveFailed')} />
        ) : effective ? (
          <>
            <Typography.Text>
              {t('policies.overrides.effectiveSummary', {
                version: effective.version,
                n: effective.overrides.length,
              })}
            </Typography.Text>
            <PolicyDiff
              changes={changes}
              emptyText={t('policies.overrides.sameAsProvince')}
              testId="policy-effective-diff"
            />
          </>
        ) : null}
      </Space>
    </Card>
  )
}
