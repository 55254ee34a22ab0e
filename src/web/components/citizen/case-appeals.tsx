/**
 * On a case's page, for its applicant: the appeals about the case (their own complaints, and the
 * data-discrepancy checks the platform opened by itself), and the 投诉这个办件 button that opens the
 * appeal form with the case filled in.
 * @module
 */
import { useEffect, useState } from 'react'
import { Alert, Button, Card, Typography } from 'antd'
import { RightOutlined, WarningOutlined } from '@ant-design/icons'
import type { CaseView } from '../../api.js'
import { citizenApi } from '../../citizen-api.js'
import type { AppealSummary } from '../../citizen-api.js'
import { useI18n } from '../../i18n.js'
import { linkProps, navigate } from '../../router.js'
import { AppealStatusTag, kindName, useFriendlyTime } from './appeal-common.js'
import '../../citizen.css'

/**
 * For a case past its promised completion time: says so, and offers the complaint at once (the citizen
 * need not find the button further down).
 */
export function OverdueBanner({ view }: { view: CaseView }) {
  const { t } = useI18n()
  return (
    <Alert
      type="error"
      showIcon
      className="xzt-cit-alert"
      data-testid="case-overdue"
      title={t('citizenAppeals.case.overdue')}
      description={
        <div>
          <div className="xzt-cit-overdue-hint">{t('citizenAppeals.case.overdueHint')}</div>
          <Button
            danger
            type="primary"
            size="large"
            icon={<WarningOutlined />}
            className="xzt-cit-big-button xzt-cit-gap"
            onClick={() => navigate(`/my-appeals/new?case=${encodeURIComponent(view.id)}`)}
            data-testid="case-overdue-complain"
          >
            {t('citizenAppeals.case.complain')}
          </Button>
        </div>
      }
    />
  )
}

export function CaseAppealsCard({ view }: { view: CaseView }) {
  const { t } = useI18n()
  const when = useFriendlyTime()
  const [appeals, setAppeals] = useState<AppealSummary[] | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    citizenApi.caseAppeals(view.id, { signal: controller.signal, quiet: true }).then(setAppeals, () => {
      if (!controller.signal.aborted) setAppeals([])
    })
    return () => controller.abort()
  }, [view.id])

  return (
    <Card className="xzt-cit-section" data-testid="case-appeals">
      <Typography.Title level={4} className="xzt-cit-section-title">
        {t('citizenAppeals.case.title')}
      </Typography.Title>
      <Typography.Paragraph className="xzt-cit-intro">{t('citizenAppeals.case.intro')}</Typography.Paragraph>
      {appeals && appeals.length > 0 && (
        <ul className="xzt-cit-case-appeals">
          {appeals.map((a) => (
            <li key={a.id}>
              <a
                {...linkProps(`/my-appeals/${a.id}`)}
                className="xzt-cit-case-appeal"
                data-testid={`case-appeal-${a.id}`}
                data-kind={a.kind}
              >
                <span className="xzt-cit-case-appeal-main">
                  <span className="xzt-cit-card-kind">
                    {a.kind === 'discrepancy' ? t('citizenAppeals.case.discrepancy') : kindName(t, a.kind)}
                  </span>
                  <span className="xzt-cit-small">
                    {a.department.name} · {when(a.createdAt)}
                  </span>
                </span>
                <AppealStatusTag status={a.status} testId="case-appeal-status" />
                <RightOutlined />
              </a>
            </li>
          ))}
        </ul>
      )}
      <Button
        size="large"
        danger
        block
        icon={<WarningOutlined />}
        className="xzt-cit-big-button"
        onClick={() => navigate(`/my-appeals/new?case=${encodeURIComponent(view.id)}`)}
        data-testid="case-complain"
      >
        {t('citizenAppeals.case.complain')}
      </Button>
    </Card>
  )
}
