/**
 * Governance policies (治理规则): the registry (`/policies`: every kind, the version governing now, who
 * published it and what is scheduled) and a kind's page (`/policies/{kind}`: its versions, the
 * difference between any two, a new version for the province's administrators, and the adjustments
 * of the levels below, 各级调整, once the server offers them). Every name shown comes from the web's
 * label tables; the documents' JSON never reaches the screen.
 * @module
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { Button, Card, Descriptions, Select, Space, Table, Tabs, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import {
  ArrowLeftOutlined,
  DiffOutlined,
  ExperimentOutlined,
  ReloadOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { usePhone } from '../responsive.js'
import { canOverridePolicies, canPublishPolicies, canRunWhatIf } from '../access.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { useNow } from '../components/cases/case-common.js'
import { policiesApi, staffName } from '../policies-api.js'
import type { PolicyKindDetail, PolicyVersion } from '../policies-api.js'
import { kindDescription, kindTitle } from '../components/policies/labels.js'
import { diffDocuments } from '../components/policies/diff.js'
import { PolicyDiff } from '../components/policies/policy-diff.js'
import { PolicyEditor } from '../components/policies/policy-editor.js'
import { PolicyOverrides } from '../components/policies/policy-overrides.js'
import '../components/policies/policies.css'

/** Who published a version: the platform's initial rules, the signed-in user, or a staff member's name. */
export function Publisher({ id, me }: { id: string; me: Me }) {
  const { t } = useI18n()
  const [name, setName] = useState<string | null | undefined>(undefined)
  useEffect(() => {
    if (id === 'system' || id === me.id) return
    let live = true
    void staffName(id).then((n) => live && setName(n))
    return () => {
      live = false
    }
  }, [id, me.id])
  if (id === 'system') return <span>{t('policies.publisher.system')}</span>
  if (id === me.id) return <span translate="no">{me.name}</span>
  if (name) return <span translate="no">{name}</span>
  return <span>{name === null ? t('policies.publisher.staff') : '…'}</span>
}

/** The kinds a what-if (模拟对比) recomputes results under. */
const WHAT_IF_KINDS = new Set(['assessment.formula', 'assessment.promotion'])

type VersionState = 'governing' | 'scheduled' | 'superseded'

function versionState(v: PolicyVersion, current: PolicyVersion | null, now: number): VersionState {
  if (current && v.version === current.version) return 'governing'
  return v.effectiveAt > now ? 'scheduled' : 'superseded'
}

function StateTag({ state }: { state: VersionState }) {
  const { t } = useI18n()
  const color = state === 'governing' ? 'success' : state === 'scheduled' ? 'gold' : 'default'
  return (
    <Tag color={color} className="xzt-policy-state" data-testid="policy-version-state" data-state={state}>
      {t(`policies.state.${state}`)}
    </Tag>
  )
}

function PageHead({
  title,
  sub,
  extra,
  back,
}: {
  title: ReactNode
  sub?: ReactNode
  extra?: ReactNode
  back?: ReactNode
}) {
  return (
    <Card size="small" className="xzt-page-head">
      {back}
      <div className="xzt-page-head-row">
        <div className="xzt-page-head-text">
          <Typography.Title level={3} className="xzt-page-title" data-testid="page-title">
            <SafetyCertificateOutlined /> {title}
          </Typography.Title>
          {sub && (
            <Typography.Paragraph type="secondary" className="xzt-policy-lead" style={{ marginBottom: 0 }}>
              {sub}
            </Typography.Paragraph>
          )}
        </div>
        {extra}
      </div>
    </Card>
  )
}

/** Each kind's detail (the registry needs their histories for what is scheduled). */
function useKinds() {
  const [kinds, setKinds] = useState<PolicyKindDetail[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const load = useCallback(async () => {
    setLoading(true)
    try {
      const list = await policiesApi.list()
      setKinds(await Promise.all(list.map((k) => policiesApi.kind(k.kind))))
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }, [])
  useEffect(() => void load(), [load])
  return { kinds, error, loading, load }
}

/** `/policies`: every kind with the version governing now and what is scheduled. */
export function PoliciesPage({ me }: { me: Me }) {
  const { t, lang, formatDateTime } = useI18n()
  const phone = usePhone()
  const now = useNow()
  const { kinds, error, loading, load } = useKinds()

  const columns: TableColumnsType<PolicyKindDetail> = [
    {
      title: t('policies.col.kind'),
      key: 'kind',
      render: (_, k) => (
        <div className="xzt-policy-kind-cell">
          <a
            {...linkProps(`/policies/${k.kind}`)}
            className="xzt-policy-kind-title"
            data-testid="policy-kind-link"
            data-kind={k.kind}
          >
            {kindTitle(k.kind, lang)}
          </a>
          {!phone && <div className="xzt-policy-kind-desc">{kindDescription(k.kind, lang)}</div>}
        </div>
      ),
    },
    {
      title: t('policies.col.current'),
      key: 'current',
      render: (_, k) =>
        k.current ? (
          <span className="xzt-policy-version" data-testid="policy-current" data-version={k.current.version}>
            {t('policies.versionN', { n: k.current.version })}
          </span>
        ) : (
          <Tag color="warning">{t('policies.noVersion')}</Tag>
        ),
    },
    {
      title: t('policies.col.effectiveAt'),
      key: 'effectiveAt',
      render: (_, k) =>
        k.current ? <span className="xzt-nowrap">{formatDateTime(k.current.effectiveAt)}</span> : null,
    },
    {
      title: t('policies.col.publishedBy'),
      key: 'publishedBy',
      render: (_, k) => (k.current ? <Publisher id={k.current.publishedBy} me={me} /> : null),
    },
    {
      title: t('policies.col.scheduled'),
      key: 'scheduled',
      render: (_, k) => {
        const future = k.history.filter((v) => v.effectiveAt > now && v.version !== k.current?.version)
        if (future.length === 0)
          return phone ? null : <Typography.Text type="secondary">{t('policies.none')}</Typography.Text>
        return (
          <Space orientation="vertical" size={2} data-testid="policy-scheduled">
            {future
              .sort((a, b) => a.effectiveAt - b.effectiveAt)
              .map((v) => (
                <span key={v.version}>
                  <Tag color="gold">{t('policies.state.scheduled')}</Tag>
                  {t('policies.scheduledAt', { n: v.version, time: formatDateTime(v.effectiveAt) })}
                </span>
              ))}
          </Space>
        )
      },
    },
  ]

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="policies-page">
      <PageHead
        title={t('policies.title')}
        sub={t('policies.intro')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} size="large">
            {t('common.refresh')}
          </Button>
        }
      />
      <Card size="small" className="xzt-policy-card">
        {error ? (
          <LoadError title={t('policies.title')} error={error} onRetry={() => void load()} />
        ) : phone ? (
          <CardList<PolicyKindDetail>
            rowKey={(k) => k.kind}
            columns={columns}
            dataSource={kinds ?? []}
            loading={kinds === null}
            testId="policies"
            onRow={(k) => ({ 'data-kind': k.kind }) as React.HTMLAttributes<HTMLElement>}
          />
        ) : (
          <Table<PolicyKindDetail>
            rowKey="kind"
            className="xzt-policy-table"
            loading={kinds === null}
            columns={columns}
            dataSource={kinds ?? []}
            pagination={false}
            data-testid="policies"
          />
        )}
      </Card>
    </Space>
  )
}

type TabKey = 'versions' | 'diff' | 'publish' | 'overrides'

/** `/policies/{kind}`: versions, the difference between two, a new version, the levels' adjustments. */
export function PolicyKindPage({ me, kind }: { me: Me; kind: string }) {
  const { t, lang, formatDateTime } = useI18n()
  const phone = usePhone()
  const now = useNow()
  const [detail, setDetail] = useState<PolicyKindDetail | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [tab, setTab] = useState<TabKey>('versions')
  const [pair, setPair] = useState<[number, number] | null>(null)
  const [editorKey, setEditorKey] = useState(0)
  const mayPublish = canPublishPolicies(me)

  const load = useCallback(async () => {
    try {
      setDetail(await policiesApi.kind(kind))
      setError(null)
    } catch (e) {
      setError(e)
    }
  }, [kind])
  useEffect(() => void load(), [load])

  const history = useMemo(() => detail?.history ?? [], [detail])
  // The default comparison: the governing version against the one before it.
  const defaultPair = useMemo<[number, number] | null>(() => {
    const cur = detail?.current ?? history[0]
    if (!cur) return null
    const previous = history.filter((v) => v.version < cur.version).sort((a, b) => b.version - a.version)[0]
    return previous ? [previous.version, cur.version] : null
  }, [detail, history])
  const [from, to] = pair ?? defaultPair ?? [0, 0]
  const a = history.find((v) => v.version === from)
  const b = history.find((v) => v.version === to)
  const changes = useMemo(() => (a && b ? diffDocuments(a.body, b.body) : []), [a, b])

  const compare = (older: number, newer: number) => {
    setPair([older, newer])
    setTab('diff')
  }

  if (error) {
    return (
      <LoadError
        title={kindTitle(kind, lang)}
        error={error}
        onRetry={() => void load()}
        back={{ label: t('policies.back'), onClick: () => navigate('/policies') }}
      />
    )
  }

  const columns: TableColumnsType<PolicyVersion> = [
    {
      title: t('policies.col.version'),
      key: 'version',
      render: (_, v) => (
        <Space size={6} wrap>
          <strong className="xzt-policy-version">{t('policies.versionN', { n: v.version })}</strong>
          <StateTag state={versionState(v, detail?.current ?? null, now)} />
        </Space>
      ),
    },
    {
      title: t('policies.col.effectiveAt'),
      key: 'effectiveAt',
      render: (_, v) => <span className="xzt-nowrap">{formatDateTime(v.effectiveAt)}</span>,
    },
    {
      title: t('policies.col.publishedBy'),
      key: 'publishedBy',
      render: (_, v) => (
        <span className="xzt-nowrap">
          <Publisher id={v.publishedBy} me={me} />
        </span>
      ),
    },
    {
      title: t('policies.col.publishedAt'),
      key: 'publishedAt',
      responsive: ['lg'],
      render: (_, v) => <span className="xzt-nowrap">{formatDateTime(v.publishedAt)}</span>,
    },
    { title: t('policies.col.note'), key: 'note', render: (_, v) => v.note ?? '' },
    {
      title: t('policies.col.ledger'),
      key: 'ledger',
      responsive: ['xl'],
      render: (_, v) => (
        <span className="xzt-mono xzt-nowrap">
          {v.ledger.log} #{v.ledger.index}
        </span>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, v) => {
        const previous = history.filter((x) => x.version < v.version).sort((x, y) => y.version - x.version)[0]
        return previous ? (
          <Button
            icon={<DiffOutlined />}
            onClick={() => compare(previous.version, v.version)}
            data-testid="policy-compare-previous"
          >
            {t('policies.comparePrevious')}
          </Button>
        ) : null
      },
    },
  ]

  const versionOptions = history.map((v) => ({
    value: v.version,
    label: `${t('policies.versionN', { n: v.version })} · ${formatDateTime(v.effectiveAt)}${
      detail?.current?.version === v.version ? ` · ${t('policies.state.governing')}` : ''
    }`,
  }))

  const items = [
    {
      key: 'versions',
      label: <span data-testid="policy-tab-versions">{t('policies.tab.versions')}</span>,
      children: phone ? (
        <CardList<PolicyVersion>
          rowKey={(v) => String(v.version)}
          columns={columns}
          dataSource={history}
          testId="policy-versions"
        />
      ) : (
        <Table<PolicyVersion>
          rowKey="version"
          className="xzt-policy-table"
          columns={columns}
          dataSource={history}
          pagination={false}
          data-testid="policy-versions"
        />
      ),
    },
    {
      key: 'diff',
      label: <span data-testid="policy-tab-diff">{t('policies.tab.diff')}</span>,
      children:
        history.length < 2 ? (
          <Typography.Paragraph type="secondary" className="xzt-policy-lead">
            {t('policies.diff.single')}
          </Typography.Paragraph>
        ) : (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Space wrap size={[12, 8]} className="xzt-policy-pair">
              <span>{t('policies.diff.from')}</span>
              <Select
                size="large"
                value={from}
                options={versionOptions}
                onChange={(v: number) => setPair([v, to])}
                popupMatchSelectWidth={false}
                data-testid="policy-diff-from"
              />
              <span>{t('policies.diff.to')}</span>
              <Select
                size="large"
                value={to}
                options={versionOptions}
                onChange={(v: number) => setPair([from, v])}
                popupMatchSelectWidth={false}
                data-testid="policy-diff-to"
              />
            </Space>
            <Typography.Text strong className="xzt-policy-lead" data-testid="policy-diff-heading">
              {t('policies.diff.heading', { from, to, n: changes.length })}
            </Typography.Text>
            <PolicyDiff changes={changes} />
          </Space>
        ),
    },
    ...(mayPublish
      ? [
          {
            key: 'publish',
            label: <span data-testid="policy-tab-publish">{t('policies.tab.publish')}</span>,
            children: detail ? (
              <PolicyEditor
                key={editorKey}
                detail={detail}
                onPublished={(v) => {
                  void load().then(() => {
                    setEditorKey((k) => k + 1)
                    const previous = history[0]
                    if (previous) compare(previous.version, v.version)
                    else setTab('versions')
                  })
                }}
              />
            ) : null,
          },
        ]
      : []),
    ...(detail
      ? [
          {
            key: 'overrides',
            label: <span data-testid="policy-tab-overrides">{t('policies.tab.overrides')}</span>,
            children: (
              <PolicyOverrides
                detail={detail}
                me={me}
                mayAdd={canOverridePolicies(me)}
                onChanged={() => void load()}
              />
            ),
          },
        ]
      : []),
  ]

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%' }}
      data-testid="policy-kind-page"
      data-kind={kind}
    >
      <PageHead
        back={
          <a {...linkProps('/policies')} className="xzt-back-link">
            <ArrowLeftOutlined /> {t('policies.back')}
          </a>
        }
        title={kindTitle(kind, lang)}
        sub={kindDescription(kind, lang)}
        extra={
          // The assessment's policies can be tried on this period's results before they are published.
          WHAT_IF_KINDS.has(kind) && canRunWhatIf(me) ? (
            <Button
              icon={<ExperimentOutlined />}
              size="large"
              {...linkProps(`/what-if?kind=${kind}`)}
              data-testid="policy-what-if"
            >
              {t('whatif.open')}
            </Button>
          ) : undefined
        }
      />
      {detail && (
        <Card size="small" className="xzt-policy-card">
          <Descriptions
            column={phone ? 1 : 3}
            size="middle"
            className="xzt-policy-summary"
            items={[
              {
                key: 'current',
                label: t('policies.col.current'),
                children: detail.current ? (
                  <Space size={6}>
                    <strong data-testid="policy-current" data-version={detail.current.version}>
                      {t('policies.versionN', { n: detail.current.version })}
                    </strong>
                    <StateTag state="governing" />
                  </Space>
                ) : (
                  t('policies.noVersion')
                ),
              },
              {
                key: 'effectiveAt',
                label: t('policies.col.effectiveAt'),
                children: detail.current ? formatDateTime(detail.current.effectiveAt) : '',
              },
              {
                key: 'publishedBy',
                label: t('policies.col.publishedBy'),
                children: detail.current ? <Publisher id={detail.current.publishedBy} me={me} /> : '',
              },
            ]}
          />
        </Card>
      )}
      <Card size="small" className="xzt-policy-card" loading={detail === null}>
        <Tabs activeKey={tab} onChange={(k) => setTab(k as TabKey)} items={items} size="large" />
      </Card>
    </Space>
  )
}
