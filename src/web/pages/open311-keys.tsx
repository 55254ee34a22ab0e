/**
 * Open311 API keys (开放接口密钥, `/open311-keys`): an administrator issues a key for a civic app
 * (FixMyStreet and the like) to file and follow appeals through GeoReport v2 in the administrator's
 * region, sees the key once, and revokes it. The list never holds a key, only who issued it and when.
 * @module
 */
import { useCallback, useEffect, useState } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import { ApiOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons'
import { ApiError, request } from '../api.js'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { CardList } from '../components/card-list.js'
import { LoadError } from '../components/load-error.js'
import { usePhone } from '../responsive.js'

/** `GET /api/open311/keys`: one key, never the key itself. */
interface Open311Key {
  id: string
  name: string
  regionCode: string
  createdBy: string
  createdAt: number
  revokedAt: number | null
  revokedBy: string | null
}

const MAX_NAME = 100

const keysApi = {
  list: async () => (await request<Open311Key[]>('GET', '/api/open311/keys')).data,
  issue: async (name: string) =>
    (await request<Open311Key & { api_key: string }>('POST', '/api/open311/keys', { name }, { quiet: true }))
      .data,
  revoke: async (id: string) => void (await request('DELETE', `/api/open311/keys/${encodeURIComponent(id)}`)),
}

export function Open311KeysPage({ me }: { me: Me }) {
  const { t, formatDateTime, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [keys, setKeys] = useState<Open311Key[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const [issuing, setIssuing] = useState(false)
  const [sending, setSending] = useState(false)
  const [issued, setIssued] = useState<(Open311Key & { api_key: string }) | null>(null)
  const [form] = Form.useForm<{ name: string }>()
  const phone = usePhone()

  const load = useCallback(async () => {
    setLoading(true)
    try {
      setKeys(await keysApi.list())
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }, [])
  useEffect(() => void load(), [load])

  const issue = async ({ name }: { name: string }) => {
    setSending(true)
    try {
      const key = await keysApi.issue(name.trim())
      setIssuing(false)
      form.resetFields()
      setIssued(key)
      await load()
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'open311-issue-failed',
      })
    } finally {
      setSending(false)
    }
  }
  const revoke = async (key: Open311Key) => {
    try {
      await keysApi.revoke(key.id)
    } catch {
      return // the platform's error notice has said why
    }
    void message.success({ content: t('open311Keys.revoked', { name: key.name }), key: 'open311-revoked' })
    await load()
  }

  const columns: TableColumnsType<Open311Key> = [
    { title: t('open311Keys.col.name'), key: 'name', render: (_, k) => <strong>{k.name}</strong> },
    {
      title: t('open311Keys.col.region'),
      key: 'region',
      responsive: ['md'],
      render: (_, k) => <span className="xzt-mono">{k.regionCode}</span>,
    },
    {
      title: t('open311Keys.col.createdAt'),
      key: 'createdAt',
      render: (_, k) => formatDateTime(k.createdAt),
    },
    {
      title: t('open311Keys.col.status'),
      key: 'status',
      render: (_, k) =>
        k.revokedAt === null ? (
          <Tag color="success" data-testid="open311-key-status" data-status="active">
            {t('open311Keys.active')}
          </Tag>
        ) : (
          <Tag data-testid="open311-key-status" data-status="revoked">
            {t('open311Keys.revokedAt', { time: formatDateTime(k.revokedAt) })}
          </Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, k) =>
        k.revokedAt === null && (
          <Popconfirm
            title={t('open311Keys.revokeConfirm', { name: k.name })}
            okButtonProps={{ danger: true }}
            onConfirm={() => void revoke(k)}
          >
            <Button size="small" danger icon={<StopOutlined />} data-testid="open311-key-revoke">
              {t('open311Keys.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ]

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="open311-keys-page">
      <Card size="small" className="xzt-page-head">
        <Typography.Title level={4} className="xzt-page-title">
          <ApiOutlined /> {t('open311Keys.title')}
          {me.kind === 'staff' && me.regionName && (
            <Typography.Text type="secondary" className="xzt-page-title-sub">
              {me.regionName}
            </Typography.Text>
          )}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('open311Keys.intro')}{' '}
          <Typography.Text className="xzt-mono" copyable>
            {`${window.location.origin}/open311/v2/discovery.json`}
          </Typography.Text>
        </Typography.Paragraph>
      </Card>
      <Card
        size="small"
        title={t('open311Keys.listTitle')}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
              {t('common.refresh')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setIssuing(true)}
              data-testid="open311-key-new"
            >
              {t('open311Keys.issue')}
            </Button>
          </Space>
        }
      >
        {error ? (
          <LoadError title={t('open311Keys.title')} error={error} onRetry={() => void load()} />
        ) : phone ? (
          <CardList<Open311Key>
            rowKey={(k) => k.id}
            columns={columns}
            dataSource={keys ?? []}
            loading={loading && keys === null}
            emptyText={t('open311Keys.empty')}
            testId="open311-keys"
          />
        ) : (
          <Table<Open311Key>
            rowKey="id"
            size="small"
            loading={loading && keys === null}
            columns={columns}
            dataSource={keys ?? []}
            locale={{ emptyText: t('open311Keys.empty') }}
            pagination={false}
            data-testid="open311-keys"
          />
        )}
      </Card>

      <Modal
        open={issuing}
        title={t('open311Keys.issueTitle')}
        onCancel={() => setIssuing(false)}
        okText={t('open311Keys.issue')}
        okButtonProps={{ loading: sending, 'data-testid': 'open311-key-issue' }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void issue(v)} preserve={false}>
          <Form.Item
            name="name"
            label={t('open311Keys.name')}
            extra={t('open311Keys.nameHint')}
            rules={[{ required: true, whitespace: true, message: t('open311Keys.nameRequired') }]}
          >
            <Input maxLength={MAX_NAME} showCount autoFocus data-testid="open311-key-name" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={issued !== null}
        title={
          <span>
            <KeyOutlined /> {t('open311Keys.issuedTitle', { name: issued?.name ?? '' })}
          </span>
        }
        onCancel={() => setIssued(null)}
        footer={
          <Button type="primary" onClick={() => setIssued(null)} data-testid="open311-key-done">
            {t('open311Keys.done')}
          </Button>
        }
        maskClosable={false}
      >
        {issued && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={t('open311Keys.onceOnly')} />
            <Typography.Paragraph
              className="xzt-mono"
              copyable={{ text: issued.api_key }}
              style={{ wordBreak: 'break-all', fontSize: 15 }}
              data-testid="open311-key-secret"
            >
              {issued.api_key}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {t('open311Keys.region', { region: issued.regionCode })}
            </Typography.Text>
          </Space>
        )}
      </Modal>
    </Space>
  )
}
