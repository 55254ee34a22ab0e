/** "My profile": the signed-in user's own data from /api/auth/me, with the full region path. */
import { useEffect, useState } from 'react'
import { Avatar, Breadcrumb, Card, Descriptions, Skeleton, Space, Tag, Typography } from 'antd'
import { UserOutlined } from '@ant-design/icons'
import type { Region } from '../../shared/domain.js'
import { api } from '../api.js'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps } from '../router.js'

export function MePage({ initial }: { initial: Me }) {
  const { t, roleName } = useI18n()
  const [me, setMe] = useState<Me | null>(null)
  const [ancestors, setAncestors] = useState<Region[] | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal }
    api.me(o).then(
      (fresh) => setMe(fresh ?? initial),
      () => setMe(initial),
    )
    api.ancestors(initial.regionCode, { ...o, quiet: true }).then(setAncestors, () => setAncestors([]))
    return () => controller.abort()
  }, [initial])

  if (!me) {
    return (
      <Card>
        <Skeleton active avatar paragraph={{ rows: 4 }} />
      </Card>
    )
  }

  return (
    <Card data-testid="me-card">
      <Space size={16} align="center" style={{ marginBottom: 24 }}>
        <Avatar size={64} icon={<UserOutlined />} style={{ background: '#1f5fbf' }} />
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {me.name}
          </Typography.Title>
          <Typography.Text type="secondary">{me.regionName}</Typography.Text>
        </div>
      </Space>
      <Descriptions
        title={t('me.title')}
        bordered
        column={{ xs: 1, sm: 1, md: 2 }}
        items={[
          { key: 'name', label: t('me.name'), children: me.name },
          {
            key: 'username',
            label: t('me.username'),
            // An identifier to sign in with, not words (and never to be translated).
            children: <span translate="no">{me.username}</span>,
          },
          { key: 'kind', label: t('me.accountType'), children: t(`kind.${me.kind}`) },
          {
            key: 'region',
            label: t('me.region'),
            children: <a {...linkProps(`/regions/${me.regionCode}`)}>{me.regionName}</a>,
          },
          {
            key: 'code',
            label: t('me.regionCode'),
            children: <Typography.Text code>{me.regionCode}</Typography.Text>,
          },
          ...(me.kind === 'staff'
            ? [
                { key: 'dept', label: t('me.department'), children: me.departmentName ?? t('common.none') },
                {
                  key: 'roles',
                  label: t('me.roles'),
                  children: me.roles.map((r) => <Tag key={r}>{roleName(r)}</Tag>),
                },
              ]
            : []),
          {
            key: 'path',
            label: t('me.address'),
            span: 'filled' as const,
            children:
              ancestors === null ? (
                <Skeleton.Input active size="small" />
              ) : ancestors.length > 0 ? (
                <Breadcrumb
                  items={ancestors.map((a) => ({
                    key: a.code,
                    title: <a {...linkProps(`/regions/${a.code}`)}>{a.name}</a>,
                  }))}
                />
              ) : (
                me.regionName
              ),
          },
        ]}
      />
    </Card>
  )
}
