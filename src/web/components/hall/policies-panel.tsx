/**
 * 在用规则: the governance policies in force for the region the hall follows: each kind's governing
 * version and the adjustments (各级调整) of the levels on the region's chain. Whoever may publish
 * (`canPublishPolicies`, from the permission table) rolls a kind back to the version before the
 * governing one (republished as a new version, so the ledger keeps the whole story) or opens the
 * kind's page to publish a new one. Uses the policy pages' API client.
 * @module
 */
import { useState } from 'react'
import { App as AntApp, Button, Popconfirm, Space, Tag } from 'antd'
import { RollbackOutlined, EditOutlined } from '@ant-design/icons'
import { ApiError } from '../../api.js'
import { useI18n } from '../../i18n.js'
import { linkProps } from '../../router.js'
import { canPublishPolicies } from '../../access.js'
import { policiesApi } from '../../policies-api.js'
import type { PolicyKindDetail, PolicyVersion } from '../../policies-api.js'
import { kindTitle } from '../policies/labels.js'
import { Panel, useHall, useHallData } from './hall-common.js'

/** The version a rollback republishes: the newest one before the governing version. */
export function previousVersion(detail: PolicyKindDetail): PolicyVersion | null {
  const current = detail.current
  if (!current) return null
  return (
    detail.history.filter((v) => v.version < current.version).sort((a, b) => b.version - a.version)[0] ?? null
  )
}

export function PoliciesPanel() {
  const { t, lang, formatDate, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const { me, region } = useHall()
  const mayPublish = canPublishPolicies(me)
  const [reload, setReload] = useState(0)
  const loaded = useHallData<PolicyKindDetail[]>(
    `policies|${reload}`,
    async () => {
      const list = await policiesApi.list({ quiet: true })
      return Promise.all(list.map((k) => policiesApi.kind(k.kind, { quiet: true })))
    },
    false,
  )

  const rollback = async (detail: PolicyKindDetail, to: PolicyVersion) => {
    try {
      const v = await policiesApi.publish(detail.kind, {
        body: to.body,
        note: t('hall.policies.rollbackNote', { n: to.version }),
      })
      void message.success({
        content: t('hall.policies.rolledBack', { n: to.version, v: v.version }),
        key: 'hall-rollback',
      })
      setReload((n) => n + 1)
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'hall-rollback',
      })
    }
  }

  return (
    <Panel<PolicyKindDetail[]>
      id="hall-policies"
      title={t('hall.policies.title')}
      loaded={loaded}
      isEmpty={(d) => d.length === 0}
    >
      {(kinds) => (
        <ul className="xzt-hall-policies" data-testid="policies-list">
          {kinds.map((k) => {
            // Adjustments in force on the region's chain: the province's levels down to the region.
            const overrides = k.overrides.filter(
              (o) => o.retiredAt === null && region.startsWith(o.regionCode),
            )
            const previous = previousVersion(k)
            return (
              <li key={k.kind} data-testid="policy-row" data-kind={k.kind}>
                <div className="xzt-hall-policy-head">
                  <a {...linkProps(`/policies/${k.kind}`)} className="xzt-hall-policy-title">
                    {kindTitle(k.kind, lang)}
                  </a>
                  <span className="xzt-hall-policy-version">
                    {k.current
                      ? t('hall.policies.version', {
                          n: k.current.version,
                          date: formatDate(k.current.effectiveAt),
                        })
                      : t('policies.noVersion')}
                  </span>
                </div>
                {overrides.length > 0 && (
                  <Space size={4} wrap className="xzt-hall-policy-overrides">
                    {overrides.map((o) => (
                      <Tag key={o.id} color="geekblue" data-testid="policy-override">
                        {t('hall.policies.override', { region: o.regionName, n: o.values.length })}
                      </Tag>
                    ))}
                  </Space>
                )}
                {mayPublish && (
                  <Space size={4} className="xzt-hall-policy-actions">
                    {previous && (
                      <Popconfirm
                        title={t('hall.policies.rollbackConfirm', { n: previous.version })}
                        okText={t('hall.policies.rollback')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => void rollback(k, previous)}
                      >
                        <Button size="small" icon={<RollbackOutlined />} data-testid="policy-rollback">
                          {t('hall.policies.rollback')}
                        </Button>
                      </Popconfirm>
                    )}
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      {...linkProps(`/policies/${k.kind}`)}
                      data-testid="policy-publish"
                    >
                      {t('hall.policies.publish')}
                    </Button>
                  </Space>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </Panel>
  )
}
