/**
 * Region browser: breadcrumb of ancestors, summary statistics, a choropleth map of the current
 * region's subdivisions shaded by population, and a sortable table of the same subdivisions.
 * Clicking an area or a row drills down (`/regions/<code>`); streets show their own outline.
 */
import { Suspense, lazy, useEffect, useMemo, useState } from 'react'
import type { HTMLAttributes } from 'react'
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Progress,
  Row,
  Skeleton,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import {
  ApartmentOutlined,
  ArrowUpOutlined,
  EnvironmentOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons'
import type { Region, RegionLevel } from '../../shared/domain.js'
import { ApiError, api } from '../api.js'
import type { RegionFeature, RegionFeatureCollection } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { LoadError } from '../components/load-error.js'

const RegionMap = lazy(() => import('../components/region-map.js'))

interface RegionView {
  region: Region
  ancestors: Region[]
  children: Region[]
  /** Children's geometry, or the region's own outline when it has no children. */
  geojson: RegionFeatureCollection | RegionFeature | null
}

type LoadState =
  | { status: 'loading'; view: RegionView | null }
  | { status: 'ready'; view: RegionView }
  | { status: 'error'; view: RegionView | null; error: unknown }

const LEVEL_COLORS: Record<RegionLevel, string> = {
  province: 'geekblue',
  city: 'blue',
  county: 'cyan',
  street: 'green',
}

async function loadRegion(code: string, signal: AbortSignal): Promise<RegionView> {
  const o = { signal, quiet: true }
  const [region, ancestors, children] = await Promise.all([
    api.region(code, o),
    api.ancestors(code, o),
    api.children(code, o),
  ])
  let geojson: RegionView['geojson'] = null
  try {
    geojson = children.length > 0 ? await api.childrenGeojson(code, o) : await api.regionGeojson(code, o)
  } catch (error) {
    // A region without geometry still has a useful table; only a 404 means "no geometry".
    if (!(error instanceof ApiError && error.status === 404)) throw error
  }
  return { region, ancestors, children, geojson }
}

function hasGeometry(geojson: RegionView['geojson']): boolean {
  if (!geojson) return false
  if (geojson.type === 'Feature') return geojson.geometry !== null
  return geojson.features.some((f) => f.geometry !== null)
}

export function RegionsPage({ code }: { code: string }) {
  const i18n = useI18n()
  const { t, formatNumber, levelName } = i18n
  const [state, setState] = useState<LoadState>({ status: 'loading', view: null })
  const [reload, setReload] = useState(0)
  const [hovered, setHovered] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    setState((prev) => ({ status: 'loading', view: prev.view }))
    setHovered(null)
    loadRegion(code, controller.signal).then(
      (view) => setState({ status: 'ready', view }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        setState((prev) => ({ status: 'error', view: prev.view, error }))
      },
    )
    return () => controller.abort()
  }, [code, reload])

  const view =
    state.view && state.view.region.code === code
      ? state.view
      : state.status === 'loading'
        ? state.view
        : null

  const stats = useMemo(() => {
    if (!view) return null
    const total = view.children.reduce((sum, c) => sum + c.population, 0)
    const largest = view.children.reduce<Region | null>(
      (best, c) => (!best || c.population > best.population ? c : best),
      null,
    )
    return { total, largest, average: view.children.length ? Math.round(total / view.children.length) : 0 }
  }, [view])

  const mapItems = useMemo(() => {
    if (!view) return []
    if (view.children.length > 0) {
      return view.children.map((c) => ({ code: c.code, name: c.name, population: c.population }))
    }
    return [{ code: view.region.code, name: view.region.name, population: view.region.population }]
  }, [view])

  const mapLabels = useMemo(
    () => ({
      high: t('region.high'),
      low: t('region.low'),
      population: (n: number) => t('region.tooltipPopulation', { n: formatNumber(n) }),
      formatNumber,
    }),
    [t, formatNumber],
  )

  if (state.status === 'error' && !view) {
    const error = state.error
    const notFound = error instanceof ApiError && error.status === 404
    return (
      <LoadError
        title={notFound ? t('common.notFound') : t('region.loadFailed')}
        error={error}
        onRetry={() => setReload((n) => n + 1)}
      />
    )
  }
  if (!view || !stats) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }

  const { region, ancestors, children, geojson } = view
  const isLeaf = children.length === 0
  const parent = ancestors.length >= 2 ? ancestors[ancestors.length - 2] : null
  const drill = (target: string) => {
    if (children.some((c) => c.code === target)) navigate(`/regions/${target}`)
  }

  const columns: TableColumnsType<Region> = [
    {
      title: t('region.code'),
      dataIndex: 'code',
      key: 'code',
      width: 104,
      sorter: (a, b) => a.code.localeCompare(b.code),
      defaultSortOrder: 'ascend',
      render: (value: string) => <Typography.Text code>{value}</Typography.Text>,
    },
    {
      title: t('region.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (value: string, row) => (
        <a {...linkProps(`/regions/${row.code}`)} data-testid={`region-link-${row.code}`}>
          {value}
        </a>
      ),
    },
    {
      title: t('region.level'),
      dataIndex: 'level',
      key: 'level',
      width: 112,
      responsive: ['md'],
      render: (value: RegionLevel) => <Tag color={LEVEL_COLORS[value]}>{levelName(value)}</Tag>,
    },
    {
      title: t('region.population'),
      dataIndex: 'population',
      key: 'population',
      align: 'right',
      width: 124,
      sorter: (a, b) => a.population - b.population,
      render: (value: number) => formatNumber(value),
    },
    {
      title: t('region.share'),
      key: 'share',
      width: 130,
      responsive: ['xxl'],
      render: (_: unknown, row) => (
        <Progress
          percent={stats.total > 0 ? Math.round((row.population / stats.total) * 1000) / 10 : 0}
          size="small"
          strokeColor="#1f5fbf"
          format={(p) => `${p ?? 0}%`}
        />
      ),
    },
  ]

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" className="xzt-breadcrumb-card">
        <div className="xzt-breadcrumb-row">
          <div data-testid="breadcrumb" data-current={region.code}>
            <Breadcrumb
              items={ancestors.map((a, index) => ({
                key: a.code,
                title:
                  index === ancestors.length - 1 ? (
                    <span className="xzt-breadcrumb-current">{a.name}</span>
                  ) : (
                    <a {...linkProps(`/regions/${a.code}`)}>{a.name}</a>
                  ),
              }))}
            />
          </div>
          <Space size={8}>
            {state.status === 'loading' && <Spin size="small" />}
            {parent && (
              <Button
                size="small"
                icon={<ArrowUpOutlined />}
                onClick={() => navigate(`/regions/${parent.code}`)}
              >
                {t('region.up')}
              </Button>
            )}
          </Space>
        </div>
      </Card>

      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          title={t('region.loadFailed')}
          description={state.error instanceof ApiError ? i18n.describeError(state.error) : undefined}
          action={
            <Button size="small" onClick={() => setReload((n) => n + 1)}>
              {t('common.retry')}
            </Button>
          }
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card">
            <Statistic
              title={t('region.current')}
              value={region.name}
              prefix={<EnvironmentOutlined />}
              suffix={<Tag color={LEVEL_COLORS[region.level]}>{levelName(region.level)}</Tag>}
            />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card" data-testid="stat-child-count">
            <Statistic
              title={t('region.childCount')}
              value={children.length}
              prefix={<ApartmentOutlined />}
            />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card">
            <Statistic
              title={t('region.totalPopulation')}
              value={isLeaf ? region.population : stats.total}
              formatter={(v) => formatNumber(Number(v))}
              prefix={<TeamOutlined />}
              suffix={t('region.people')}
            />
          </Card>
        </Col>
        <Col xs={12} xl={6}>
          <Card className="xzt-stat-card">
            {stats.largest ? (
              <Statistic
                title={t('region.largestChild')}
                value={stats.largest.name}
                prefix={<TrophyOutlined />}
                suffix={<span className="xzt-stat-sub">{formatNumber(stats.largest.population)}</span>}
              />
            ) : (
              <Statistic
                title={t('region.parent')}
                value={parent?.name ?? t('common.none')}
                prefix={<ApartmentOutlined />}
              />
            )}
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14} xxl={15}>
          <Card
            title={isLeaf ? t('region.outline') : t('region.map')}
            extra={!isLeaf && <Typography.Text type="secondary">{t('region.mapHint')}</Typography.Text>}
            styles={{ body: { padding: 8 } }}
          >
            {geojson && hasGeometry(geojson) ? (
              <Suspense
                fallback={
                  <div className="xzt-map-placeholder">
                    <Spin />
                  </div>
                }
              >
                <RegionMap
                  mapKey={`xzt-${region.code}-${isLeaf ? 'outline' : 'children'}`}
                  geojson={geojson}
                  mode={isLeaf ? 'outline' : 'children'}
                  items={mapItems}
                  labels={mapLabels}
                  onSelect={drill}
                  highlighted={hovered}
                  height="clamp(360px, calc(100vh - 420px), 860px)"
                />
              </Suspense>
            ) : (
              <div className="xzt-map-placeholder">
                <Empty description={t('region.noGeometry')} />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10} xxl={9}>
          {isLeaf ? (
            <Card title={t('region.details')}>
              <Alert type="info" showIcon title={t('region.noChildren')} style={{ marginBottom: 16 }} />
              <Descriptions column={1} bordered size="middle" data-testid="region-details">
                <Descriptions.Item label={t('region.code')}>{region.code}</Descriptions.Item>
                <Descriptions.Item label={t('region.name')}>{region.name}</Descriptions.Item>
                <Descriptions.Item label={t('region.level')}>
                  <Tag color={LEVEL_COLORS[region.level]}>{levelName(region.level)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('region.population')}>
                  {formatNumber(region.population)}
                </Descriptions.Item>
                <Descriptions.Item label={t('region.parent')}>
                  {parent ? <a {...linkProps(`/regions/${parent.code}`)}>{parent.name}</a> : t('common.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('region.centroid')}>
                  {region.centroid
                    ? `${region.centroid[0].toFixed(4)}, ${region.centroid[1].toFixed(4)}`
                    : t('common.none')}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          ) : (
            <Card
              title={t('region.table')}
              extra={
                <Typography.Text type="secondary">
                  {t('common.total', { n: children.length })}
                </Typography.Text>
              }
              styles={{ body: { padding: 0 } }}
            >
              <div data-testid="region-table">
                <Table<Region>
                  rowKey="code"
                  size="middle"
                  columns={columns}
                  dataSource={children}
                  pagination={children.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                  rowClassName={() => 'xzt-clickable-row'}
                  onRow={(row) =>
                    ({
                      onClick: (e) => {
                        if ((e.target as HTMLElement).closest('a')) return
                        navigate(`/regions/${row.code}`)
                      },
                      onMouseEnter: () => setHovered(row.code),
                      onMouseLeave: () => setHovered((h) => (h === row.code ? null : h)),
                      'data-row-code': row.code,
                    }) as HTMLAttributes<HTMLElement>
                  }
                />
              </div>
            </Card>
          )}
        </Col>
      </Row>
    </Space>
  )
}
