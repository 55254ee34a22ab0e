/**
 * Flagged data accesses as a page of its own (`/access-review`), for administrators and auditors, who
 * have no workbench; supervisors find the same list as a tab of their workbench.
 */
import { Card, Space, Typography } from 'antd'
import { WarningOutlined } from '@ant-design/icons'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { FlaggedAccessPanel } from '../components/cases/flagged-accesses.js'

export function AccessReviewPage({ me, canAudit }: { me: Me; canAudit: boolean }) {
  const { t } = useI18n()
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="access-review-page">
      <Card size="small" className="xzt-page-head">
        <Typography.Title level={4} className="xzt-page-title">
          <WarningOutlined /> {t('flagged.title')}
          {me.kind === 'staff' && me.regionName && (
            <Typography.Text type="secondary" className="xzt-page-title-sub">
              {me.regionName}
            </Typography.Text>
          )}
        </Typography.Title>
      </Card>
      <FlaggedAccessPanel me={me} canAudit={canAudit} />
    </Space>
  )
}
