/**
 * 办事大厅: the service catalogue as searchable cards (time limit against the statutory one, trips,
 * fully online, parallel review, departments involved), and one matter's service guide (process,
 * materials: what the government fetches itself and what to upload) with the way to apply.
 */
import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Row,
  Skeleton,
  Space,
  Steps,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import {
  ArrowLeftOutlined,
  AuditOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloudUploadOutlined,
  EditOutlined,
  FileProtectOutlined,
  FormOutlined,
  SearchOutlined,
  ShopOutlined,
} from '@ant-design/icons'
import { canApply, canSeeServices, canSeeWindow } from '../access.js'
import { api } from '../api.js'
import type { MatterDetail, MatterSummary, Me } from '../api.js'
import { useI18n } from '../i18n.js'
import type { I18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { kindName } from '../components/cases/case-common.js'
import { LoadError } from '../components/load-error.js'

export function matterName(i18n: I18n, m: { name: string; nameEn?: string }): string {
  return i18n.lang === 'en' && m.nameEn ? m.nameEn : m.name
}

/** Share of the statutory time limit saved by the committed one (时限压缩). */
function compression(m: MatterSummary): number {
  return m.legalSlaDays > 0 ? Math.round(((m.legalSlaDays - m.slaDays) / m.legalSlaDays) * 100) : 0
}

function levelName(i18n: I18n, level: string | null): string {
  return level === 'province' || level === 'city' || level === 'county' || level === 'street'
    ? i18n.levelName(level)
    : (level ?? '')
}

/** Trips, fully online and parallel review as tags. */
export function MatterTags({ matter }: { matter: MatterSummary }) {
  const { t } = useI18n()
  return (
    <Space size={[4, 4]} wrap>
      <Tag color={matter.trips === 0 ? 'green' : 'default'} data-testid="tag-trips">
        {t('services.trips', { n: matter.trips })}
      </Tag>
      {matter.fullyOnline && (
        <Tag color="blue" icon={<CloudUploadOutlined />} data-testid="tag-online">
          {t('services.fullyOnline')}
        </Tag>
      )}
      {matter.process.parallel && (
        <Tag color="purple" icon={<BranchesOutlined />} data-testid="tag-parallel">
          {t('services.parallel')}
        </Tag>
      )}
    </Space>
  )
}

function ApplyButton({ me, code, block }: { me: Me; code: string; block?: boolean }) {
  const { t } = useI18n()
  if (canApply(me)) {
    return (
      <Button
        type="primary"
        icon={<FormOutlined />}
        block={block}
        onClick={() => navigate(`/services/${code}/apply`)}
        data-testid={`apply-${code}`}
      >
        {t('services.apply')}
      </Button>
    )
  }
  if (canSeeWindow(me)) {
    return (
      <Button
        type="primary"
        icon={<ShopOutlined />}
        block={block}
        onClick={() => navigate(`/window/${code}`)}
        data-testid={`apply-${code}`}
      >
        {t('services.applyWindow')}
      </Button>
    )
  }
  return null
}

function MatterCard({ matter, me }: { matter: MatterSummary; me: Me }) {
  const i18n = useI18n()
  const { t } = i18n
  const saved = compression(matter)
  return (
    <Card
      hoverable
      className="xzt-matter-card"
      data-testid={`matter-card-${matter.code}`}
      onClick={() => navigate(`/services/${matter.code}`)}
      actions={[
        <Button
          key="guide"
          type="link"
          icon={<FileProtectOutlined />}
          onClick={(e) => {
            e.stopPropagation()
            navigate(`/services/${matter.code}`)
          }}
        >
          {t('services.guide')}
        </Button>,
        ...(canSeeServices(me)
          ? [
              <span key="apply" onClick={(e) => e.stopPropagation()}>
                <ApplyButton me={me} code={matter.code} />
              </span>,
            ]
          : []),
      ]}
    >
      <div className="xzt-matter-card-body">
        <Typography.Title level={5} className="xzt-matter-name" data-testid="matter-name">
          {matterName(i18n, matter)}
        </Typography.Title>
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} className="xzt-matter-desc">
          {matter.description}
        </Typography.Paragraph>
        <div className="xzt-matter-sla" data-testid="matter-sla">
          <ClockCircleOutlined className="xzt-matter-sla-icon" />
          <span className="xzt-matter-sla-main">{t('services.sla', { n: matter.slaDays })}</span>
          <Typography.Text type="secondary" className="xzt-matter-sla-legal">
            {t('services.legal', { n: matter.legalSlaDays })}
          </Typography.Text>
          {saved > 0 && (
            <Tooltip title={t('services.compressionHint', { p: saved })}>
              <Tag color="gold" className="xzt-matter-sla-tag">
                {t('services.compression', { p: saved })}
              </Tag>
            </Tooltip>
          )}
        </div>
        <MatterTags matter={matter} />
        <div className="xzt-matter-depts">
          <Typography.Text type="secondary">
            {t('services.departments')}
            {t('common.colon')}
          </Typography.Text>
          {matter.departments.map((d) => kindName(i18n, d)).join('、')}
        </div>
      </div>
    </Card>
  )
}

export function ServicesPage({ me }: { me: Me }) {
  const i18n = useI18n()
  const { t } = i18n
  const [matters, setMatters] = useState<MatterSummary[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [q, setQ] = useState('')

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    api.matters({ signal: controller.signal, quiet: true }).then(setMatters, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [reload])

  const shown = useMemo(() => {
    if (!matters) return []
    const needle = q.trim().toLowerCase()
    if (!needle) return matters
    return matters.filter((m) =>
      [m.name, m.nameEn, m.description, m.code, ...m.departments.map((d) => kindName(i18n, d))]
        .join(' ')
        .toLowerCase()
        .includes(needle),
    )
  }, [matters, q, i18n])

  if (error && !matters) {
    return (
      <LoadError title={t('services.loadFailed')} error={error} onRetry={() => setReload((n) => n + 1)} />
    )
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="services-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <Typography.Title level={4} className="xzt-page-title">
              <AuditOutlined /> {t('services.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('services.intro')}</Typography.Text>
          </div>
          <Input
            allowClear
            size="large"
            prefix={<SearchOutlined />}
            placeholder={t('services.search')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            className="xzt-services-search"
            data-testid="services-search"
          />
        </div>
      </Card>
      {!matters ? (
        <Row gutter={[16, 16]}>
          {[0, 1, 2, 3].map((i) => (
            <Col key={i} xs={24} md={12} xl={8} xxl={6}>
              <Card>
                <Skeleton active />
              </Card>
            </Col>
          ))}
        </Row>
      ) : shown.length === 0 ? (
        <Card>
          <Empty description={t('services.empty')} data-testid="services-empty" />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="services-count">
            {t('services.count', { n: shown.length })}
          </Typography.Text>
          <Row gutter={[16, 16]} data-testid="services-list">
            {shown.map((m) => (
              <Col key={m.code} xs={24} md={12} xl={8} xxl={6}>
                <MatterCard matter={m} me={me} />
              </Col>
            ))}
          </Row>
        </>
      )}
    </Space>
  )
}

/** The service guide of one matter. */
export function MatterPage({ me, code }: { me: Me; code: string }) {
  const i18n = useI18n()
  const { t } = i18n
  const [matter, setMatter] = useState<MatterDetail | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    api.matter(code, undefined, { signal: controller.signal, quiet: true }).then(setMatter, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [code, reload])

  if (error) {
    return (
      <LoadError
        title={t('matter.loadFailed')}
        error={error}
        onRetry={() => setReload((n) => n + 1)}
        back={{ label: t('matter.back'), onClick: () => navigate('/services') }}
      />
    )
  }
  if (!matter) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    )
  }

  const steps = matter.process.steps.filter((s) => !s.applicant)
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="matter-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-row">
          <div className="xzt-page-head-text">
            <a {...linkProps('/services')} className="xzt-back-link">
              <ArrowLeftOutlined /> {t('matter.back')}
            </a>
            <Typography.Title level={4} className="xzt-page-title" data-testid="matter-title">
              {matterName(i18n, matter)}
            </Typography.Title>
            <Typography.Text type="secondary">{matter.description}</Typography.Text>
            <div style={{ marginTop: 8 }}>
              <MatterTags matter={matter} />
            </div>
          </div>
          <ApplyButton me={me} code={matter.code} />
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14} xxl={16}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('matter.overview')}>
              <Descriptions
                bordered
                size="small"
                column={{ xs: 1, sm: 2, xxl: 3 }}
                items={[
                  {
                    key: 'sla',
                    label: t('matter.slaDays'),
                    children: (
                      <Typography.Text strong className="xzt-accent">
                        {t('matter.workingDays', { n: matter.slaDays })}
                      </Typography.Text>
                    ),
                  },
                  {
                    key: 'legal',
                    label: t('matter.legalSlaDays'),
                    children: t('matter.workingDays', { n: matter.legalSlaDays }),
                  },
                  {
                    key: 'trips',
                    label: t('matter.trips'),
                    children: t('matter.tripsValue', { n: matter.trips }),
                  },
                  {
                    key: 'channels',
                    label: t('matter.channels'),
                    children: matter.channels
                      .map((c) => (c === 'online' || c === 'window' ? t(`channel.${c}`) : c))
                      .join('、'),
                  },
                  {
                    key: 'level',
                    label: t('matter.ownerLevel'),
                    children: levelName(i18n, matter.ownerLevel),
                  },
                  {
                    key: 'version',
                    label: t('matter.version'),
                    children: t('matter.versionValue', { n: matter.version }),
                  },
                  {
                    key: 'depts',
                    label: t('services.departments'),
                    span: 'filled',
                    children: (
                      <Space size={[4, 4]} wrap>
                        {matter.departments.map((d) => (
                          <Tag key={d}>{kindName(i18n, d)}</Tag>
                        ))}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
            <Card
              title={t('matter.process')}
              extra={
                matter.process.parallel ? (
                  <Tag color="purple" icon={<BranchesOutlined />}>
                    {t('services.parallel')}
                  </Tag>
                ) : undefined
              }
            >
              {matter.process.parallel && (
                <Alert
                  type="info"
                  showIcon
                  title={t('matter.processParallel')}
                  style={{ marginBottom: 16 }}
                />
              )}
              <Steps
                orientation="vertical"
                size="small"
                current={-1}
                data-testid="matter-steps"
                items={steps.map((s) => ({
                  key: s.id,
                  status: 'process' as const,
                  title: s.name ?? s.id,
                  content: (
                    <Space size={[8, 4]} wrap>
                      {s.departmentKind && (
                        <span>
                          {levelName(i18n, s.level)} {kindName(i18n, s.departmentKind)}
                        </span>
                      )}
                      {s.slaDays !== null && <Tag>{t('matter.stepSla', { n: s.slaDays })}</Tag>}
                    </Space>
                  ),
                }))}
              />
              {matter.process.supplement && (
                <Typography.Text type="secondary">
                  <EditOutlined /> {t('matter.supplementNote')}
                </Typography.Text>
              )}
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={10} xxl={8}>
          <Card title={t('matter.materials')}>
            <MaterialsList matter={matter} />
          </Card>
          <div className="xzt-apply-bottom">
            <ApplyButton me={me} code={matter.code} block />
          </div>
        </Col>
      </Row>
    </Space>
  )
}

/** Required materials: fetched by the government (免提交) or uploaded in the form. */
export function MaterialsList({ matter }: { matter: MatterDetail }) {
  const { t } = useI18n()
  return (
    <ul className="xzt-materials" data-testid="materials">
      {matter.materials.map((m) => (
        <li key={m.code} data-testid={`material-${m.code}`} data-fetchable={m.fetchable}>
          <div>
            {m.fetchable ? (
              <CheckCircleOutlined className="xzt-material-ok" />
            ) : (
              <CloudUploadOutlined className="xzt-material-up" />
            )}{' '}
            <span>{m.name}</span> <Tag>{m.required ? t('matter.required') : t('matter.optional')}</Tag>
          </div>
          <Typography.Text type={m.fetchable ? 'success' : 'secondary'} className="xzt-material-note">
            {m.fetchable ? t('matter.fetchable') : t('matter.uploadInForm')}
          </Typography.Text>
        </li>
      ))}
    </ul>
  )
}
