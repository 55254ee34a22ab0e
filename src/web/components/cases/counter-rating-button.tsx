/**
 * 请群众评价: the window clerk's button on a finished case. It opens a one-time rating link and shows it
 * two ways: a QR code the citizen scans with their own phone, and a button that opens the rating page
 * full-screen on this device, the counter tablet turned to the citizen. The citizen rates in person;
 * the clerk never sees or sends the rating.
 * @module
 */
import { useState } from 'react'
import { App as AntApp, Button, Modal, QRCode, Space, Typography } from 'antd'
import { StarOutlined, TabletOutlined } from '@ant-design/icons'
import { ApiError } from '../../api.js'
import { citizenApi } from '../../citizen-api.js'
import type { RatingInvitation } from '../../citizen-api.js'
import { useI18n } from '../../i18n.js'
import { navigate } from '../../router.js'

export function CounterRatingButton({ caseId }: { caseId: string }) {
  const { t, describeError, formatDateMinute } = useI18n()
  const { message } = AntApp.useApp()
  const [opening, setOpening] = useState(false)
  const [invitation, setInvitation] = useState<RatingInvitation | null>(null)

  const open = async () => {
    setOpening(true)
    try {
      setInvitation(await citizenApi.inviteRating(caseId, { quiet: true }))
    } catch (e) {
      void message.error({
        content: !(e instanceof ApiError)
          ? t('error.network')
          : e.status === 409
            ? t('counterRating.alreadyRated')
            : describeError(e),
        key: 'counter-rating-failed',
      })
    } finally {
      setOpening(false)
    }
  }
  const url = invitation ? `${window.location.origin}${invitation.path}` : ''
  return (
    <>
      <Button
        size="large"
        icon={<StarOutlined />}
        loading={opening}
        onClick={() => void open()}
        data-testid="counter-rating-invite"
      >
        {t('counterRating.invite')}
      </Button>
      <Modal
        open={invitation !== null}
        title={t('counterRating.inviteTitle')}
        onCancel={() => setInvitation(null)}
        footer={null}
        destroyOnHidden
      >
        {invitation && (
          <Space
            orientation="vertical"
            size={12}
            style={{ width: '100%' }}
            data-testid="counter-rating-modal"
          >
            <Typography.Paragraph type="secondary">{t('counterRating.inviteHint')}</Typography.Paragraph>
            <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 8 }}>
              <QRCode value={url} size={220} data-testid="counter-rating-qr" />
              <Typography.Text strong>{t('counterRating.scan')}</Typography.Text>
              <Typography.Text type="secondary">
                {t('counterRating.inviteValid', { time: formatDateMinute(invitation.expiresAt) })}
              </Typography.Text>
              <Typography.Text
                copyable={{ text: url, tooltips: [t('counterRating.copyLink')] }}
                type="secondary"
              >
                {t('counterRating.copyLink')}
              </Typography.Text>
            </div>
            <Button
              type="primary"
              size="large"
              block
              icon={<TabletOutlined />}
              onClick={() => navigate(invitation.path)}
              data-testid="counter-rating-open-here"
            >
              {t('counterRating.openHere')}
            </Button>
          </Space>
        )}
      </Modal>
    </>
  )
}
