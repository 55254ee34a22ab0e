/**
 * The full audit: every log recomputed and its checkpoints and cosignatures checked, every event
 * replayed and compared with the live tables.
 */
import { Alert, Button, Card, Col, Empty, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { AuditOutlined, CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons'
import type { AuditDifference, AuditLogResult, AuditReport } from '../../api.js'
import { VERIFY_PROBLEM_KINDS, type VerifyProblem } from '../../../shared/api.js'
import { useI18n } from '../../i18n.js'
import type { MessageKey } from '../../i18n.js'
import { LogLabel, SectionTitle } from './audit-common.js'

export interface AuditRun {
  report: AuditReport
  finishedAt: number
  seconds: number
}

function valueText(value: unknown): string {
  if (value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

const KNOWN_MODULES = ['regions', 'departments', 'staff', 'citizens', 'cases', 'data-access', 'attachments']
/** Tables the replayers compare; each has a display name (`audit.tableName.*`). */
const KNOWN_TABLES = [
  'region',
  'department',
  'staff',
  'citizen',
  'case_file',
  'case_task',
  'data_access',
  'attachment_blob',
  'event_consumer',
]

export function FullAuditCard({
  run,
  running,
  names,
  onRun,
}: {
  run: AuditRun | null
  running: boolean
  names: Map<string, string>
  onRun: () => void
}) {
  const { t, formatNumber, formatDateTime } = useI18n()

  const moduleLabel = (key: string) => {
    const k = `audit.module.${key}` as MessageKey
    // Every replayer has a display name; one added later without it is still not shown as a raw key.
    return KNOWN_MODULES.includes(key)
      ? t(k)
      : t('audit.module.other', { name: String(Object.keys(report?.replay.byModule ?? {}).indexOf(key) + 1) })
  }
  const problemLabel = (p: AuditDifference['problem']) => t(`audit.problem.${p}`)
  /** A verification problem in the interface's language (the server's English text for an unknown kind). */
  const problemText = (p: VerifyProblem): string =>
    p.kind && (VERIFY_PROBLEM_KINDS as readonly string[]).includes(p.kind)
      ? t(`verify.kind.${p.kind}`, {
          index: p.index ?? '',
          checkpoint: p.checkpoint ?? '',
          ...(p.params ?? {}),
        })
      : p.problem

  const ledgerColumns: TableColumnsType<AuditLogResult> = [
    {
      title: t('audit.log'),
      dataIndex: 'log',
      key: 'log',
      render: (id: string) => <LogLabel id={id} name={names.get(id)} />,
    },
    {
      title: t('audit.size'),
      dataIndex: 'entries',
      key: 'entries',
      align: 'right',
      render: (n: number) => formatNumber(n),
    },
    {
      title: t('audit.checkpoints'),
      dataIndex: 'checkpoints',
      key: 'checkpoints',
      align: 'right',
      responsive: ['md'],
      render: (n: number) => formatNumber(n),
    },
    {
      title: t('audit.cosignatures'),
      dataIndex: 'cosignatures',
      key: 'cosignatures',
      align: 'right',
      responsive: ['md'],
      render: (n: number) => formatNumber(n),
    },
    {
      title: t('audit.result'),
      key: 'problem',
      render: (_: unknown, row) =>
        row.problem ? (
          <Space orientation="vertical" size={2}>
            <Tag color="error" icon={<CloseCircleOutlined />}>
              {row.problem.index !== undefined
                ? t('audit.atEntry', { index: row.problem.index })
                : row.problem.checkpoint !== undefined
                  ? t('audit.atCheckpoint', { size: row.problem.checkpoint })
                  : t('audit.problem')}
            </Tag>
            <Typography.Text type="danger" data-testid="verify-problem" data-kind={row.problem.kind}>
              {problemText(row.problem)}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="success" icon={<CheckCircleOutlined />}>
            {t('audit.ok')}
          </Tag>
        ),
    },
  ]

  const diffColumns: TableColumnsType<AuditDifference & { n: number }> = [
    {
      title: t('audit.table'),
      dataIndex: 'table',
      key: 'table',
      render: (v: string) => (
        <span title={v} data-table={v}>
          {KNOWN_TABLES.includes(v) ? t(`audit.tableName.${v}` as MessageKey) : t('audit.tableName.other')}
        </span>
      ),
    },
    {
      title: t('audit.key'),
      dataIndex: 'key',
      key: 'key',
      render: (v: string) => <span className="xzt-mono">{v}</span>,
    },
    {
      title: t('audit.problem'),
      dataIndex: 'problem',
      key: 'problem',
      render: (p: AuditDifference['problem']) => (
        <Tag color={p === 'differs' ? 'orange' : 'red'}>{problemLabel(p)}</Tag>
      ),
    },
    {
      title: t('audit.field'),
      dataIndex: 'field',
      key: 'field',
      render: (v?: string) => (v ? <Typography.Text code>{v}</Typography.Text> : '—'),
    },
    {
      title: t('audit.expected'),
      dataIndex: 'expected',
      key: 'expected',
      render: (v: unknown) => <span className="xzt-mono xzt-diff-expected">{valueText(v)}</span>,
    },
    {
      title: t('audit.actual'),
      dataIndex: 'actual',
      key: 'actual',
      render: (v: unknown) => <span className="xzt-mono xzt-diff-actual">{valueText(v)}</span>,
    },
  ]

  const report = run?.report
  const problems = report ? report.ledger.filter((l) => l.problem).length : 0
  const entries = report ? report.ledger.reduce((n, l) => n + l.entries, 0) : 0

  return (
    <Card
      id="audit-full"
      title={<SectionTitle icon={<AuditOutlined />} title={t('audit.full')} hint={t('audit.fullHint')} />}
      extra={
        <Button
          type="primary"
          icon={<AuditOutlined />}
          loading={running}
          onClick={onRun}
          data-testid="audit-run"
        >
          {t('audit.run')}
        </Button>
      }
      className="xzt-section-card"
    >
      {running && !report && (
        <div className="xzt-audit-running">
          <Spin size="large" />
          <Typography.Text type="secondary">{t('audit.running')}</Typography.Text>
        </div>
      )}
      {!running && !report && (
        <Empty description={t('audit.notRun')}>
          <Typography.Paragraph type="secondary" style={{ maxWidth: 640, margin: '0 auto' }}>
            {t('audit.fullHint')}
          </Typography.Paragraph>
        </Empty>
      )}
      {report && run && (
        <Spin spinning={running} description={t('audit.running')}>
          <Space
            orientation="vertical"
            size={16}
            style={{ width: '100%' }}
            data-testid="audit-report"
            data-ok={String(report.ok)}
          >
            <Alert
              type={report.ok ? 'success' : 'error'}
              showIcon
              title={report.ok ? t('audit.passed') : t('audit.failed')}
              description={
                <Space orientation="vertical" size={2}>
                  <span>
                    {report.ok
                      ? t('audit.passedSub', {
                          logs: report.ledger.length,
                          entries: formatNumber(entries),
                          events: formatNumber(report.replay.events),
                        })
                      : t('audit.failedSub', { problems, differences: report.replay.differences.length })}
                  </span>
                  <Typography.Text type="secondary">
                    {t('audit.ranAt', {
                      time: formatDateTime(run.finishedAt),
                      seconds: run.seconds.toFixed(1),
                    })}
                  </Typography.Text>
                </Space>
              }
            />
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <Typography.Title level={5} className="xzt-subtitle">
                  {t('audit.ledgerVerification')}
                </Typography.Title>
                <div data-testid="audit-ledger">
                  <Table<AuditLogResult>
                    rowKey="log"
                    size="small"
                    columns={ledgerColumns}
                    dataSource={report.ledger}
                    pagination={false}
                  />
                </div>
              </Col>
              <Col xs={24} xl={10}>
                <Typography.Title level={5} className="xzt-subtitle">
                  {t('audit.replay')}
                </Typography.Title>
                <Row gutter={[12, 12]} data-testid="audit-replay">
                  <Col span={24}>
                    <Card size="small" className="xzt-replay-total">
                      <Statistic
                        title={t('audit.events')}
                        value={report.replay.events}
                        formatter={(v) => formatNumber(Number(v))}
                      />
                    </Card>
                  </Col>
                  {Object.entries(report.replay.byModule).map(([key, n]) => (
                    <Col xs={12} key={key}>
                      <Card size="small">
                        <Statistic
                          title={moduleLabel(key)}
                          value={n}
                          formatter={(v) => formatNumber(Number(v))}
                        />
                      </Card>
                    </Col>
                  ))}
                </Row>
                <Typography.Title level={5} className="xzt-subtitle" style={{ marginTop: 16 }}>
                  <Space size={8}>
                    {t('audit.differences')}
                    <Tag color={report.replay.differences.length ? 'error' : 'success'}>
                      {formatNumber(report.replay.differences.length)}
                    </Tag>
                  </Space>
                </Typography.Title>
                {report.replay.differences.length === 0 && (
                  <div data-testid="audit-no-differences" className="xzt-no-diff">
                    <Empty
                      image={<CheckCircleOutlined className="xzt-no-diff-icon" />}
                      description={t('audit.noDifferences')}
                    />
                  </div>
                )}
              </Col>
            </Row>
            {report.replay.differences.length > 0 && (
              <div data-testid="audit-differences">
                <Table<AuditDifference & { n: number }>
                  rowKey="n"
                  size="small"
                  columns={diffColumns}
                  dataSource={report.replay.differences.map((d, n) => ({ ...d, n }))}
                  scroll={{ x: 'max-content' }}
                  pagination={
                    report.replay.differences.length > 20 ? { pageSize: 20, showSizeChanger: false } : false
                  }
                />
              </div>
            )}
          </Space>
        </Spin>
      )}
    </Card>
  )
}
