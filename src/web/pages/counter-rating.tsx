/**
 * 好差评 at the window (柜台评价器): the page behind a one-time rating link a window clerk opened for a
 * finished case. It runs full-screen on the counter tablet turned to the citizen, or on the citizen's
 * own phone after scanning the QR code, and needs no sign-in: the link is the credential for exactly one
 * rating. Big type and big targets for elderly citizens; nothing personal on screen (it faces a hall).
 * @module
 */
import { useEffect, useState } from 'react'
import { Alert, Button, Card, Result, Skeleton } from 'antd'
import { CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons'
import { ApiError } from '../api.js'
import { citizenApi } from '../citizen-api.js'
import type { CaseRatingInput, CounterRatingView } from '../citizen-api.js'
import { useI18n } from '../i18n.js'
import { LangSwitch } from '../components/lang-switch.js'
import { Logo } from '../components/logo.js'
import { RatingForm } from '../components/citizen/case-rating.js'
import '../citizen.css'

type Load = { view: CounterRatingView } | { error: 'invalid' | 'failed' } | null

/**
 * @param onBack on the counter tablet (a clerk is signed in on it): back to the desk once the citizen
 *   hands it back; absent on the citizen's phone
 */
export function CounterRatingPage({ token, onBack }: { token: string; onBack?: (() => void) | undefined }) {
  const { t, formatDateMinute } = useI18n()
  const [load, setLoad] = useState<Load>(null)
  const [reload, setReload] = useState(0)
  /** Rated on this visit: thank the citizen (and for a bad rating, say who calls back by when). */
  const [sent, setSent] = useState(false)

  useEffect(() => {
    const controller = new AbortController()
    setLoad(null)
    citizenApi.counterRating(token, { signal: controller.signal, quiet: true }).then(
      (view) => setLoad({ view }),
      (e: unknown) => {
        if (controller.signal.aborted) return
        setLoad({ error: e instanceof ApiError && e.status === 404 ? 'invalid' : 'failed' })
      },
    )
    return () => controller.abort()
  }, [token, reload])

  const submit = async (input: CaseRatingInput) => {
    const view = await citizenApi.rateAtCounter(token, input, { quiet: true })
    setSent(true)
    setLoad({ view })
  }

  let body
  /** The form is a card of its own; every other state sits in one. */
  let framed = true
  if (load === null) body = <Skeleton active paragraph={{ rows: 8 }} />
  else if ('error' in load)
    body = (
      <Result
        status={load.error === 'invalid' ? 'warning' : 'error'}
        title={t(load.error === 'invalid' ? 'counterRating.invalid' : 'counterRating.loadFailed')}
        extra={
          load.error === 'failed' && (
            <Button size="large" type="primary" onClick={() => setReload((n) => n + 1)}>
              {t('common.retry')}
            </Button>
          )
        }
        data-testid="counter-rating-invalid"
      />
    )
  else if (sent) {
    const rect = load.view.rectification
    body = (
      <Result
        icon={<CheckCircleFilled className="xzt-counter-done" />}
        title={<span className="xzt-counter-thanks">{t('counterRating.thanksTitle')}</span>}
        subTitle={
          <div className="xzt-counter-subtitle">
            <p>
              {rect
                ? t('counterRating.thanksBad', {
                    department: rect.department?.name ?? t('citizenAppeals.step.otherDepartment'),
                    time: formatDateMinute(rect.dueAt),
                  })
                : t('counterRating.thanksBody')}
            </p>
            <p>{t('counterRating.handBack')}</p>
          </div>
        }
        extra={
          onBack && (
            <Button size="large" onClick={onBack} data-testid="counter-rating-back">
              {t('counterRating.backToDesk')}
            </Button>
          )
        }
        data-testid="counter-rating-thanks"
      />
    )
  } else if (load.view.state !== 'open')
    body = (
      <Result
        status={load.view.state === 'expired' ? 'warning' : 'success'}
        title={
          <span className="xzt-counter-thanks">
            {t(
              load.view.state === 'expired'
                ? 'counterRating.expired'
                : load.view.state === 'used'
                  ? 'counterRating.used'
                  : 'counterRating.rated',
            )}
          </span>
        }
        data-testid="counter-rating-closed"
        data-state={load.view.state}
      />
    )
  else {
    const v = load.view
    framed = false
    body = (
      <RatingForm
        onSubmit={submit}
        head={
          <div className="xzt-counter-matter" data-testid="counter-rating-matter">
            <div className="xzt-cit-detail-row">
              <span className="xzt-cit-label">
                {t('counterRating.matter')}
                {t('common.colon')}
              </span>
              <strong>{v.matterName}</strong>（{t(`counterRating.status.${v.status}`)}）
            </div>
            {v.department && (
              <div className="xzt-cit-detail-row">
                <span className="xzt-cit-label">
                  {t('counterRating.department')}
                  {t('common.colon')}
                </span>
                {v.department.name}
              </div>
            )}
            {v.completedAt !== null && (
              <div className="xzt-cit-detail-row">
                <span className="xzt-cit-label">
                  {t('counterRating.completedAt')}
                  {t('common.colon')}
                </span>
                {formatDateMinute(v.completedAt)}
              </div>
            )}
            <Alert
              type="info"
              showIcon
              icon={<ClockCircleOutlined />}
              className="xzt-cit-alert"
              title={t('counterRating.validUntil', { time: formatDateMinute(v.expiresAt) })}
            />
          </div>
        }
      />
    )
  }

  return (
    <div className="xzt-cit-page xzt-counter-page" data-testid="counter-rating-page">
      <div className="xzt-counter-bar">
        <span className="xzt-counter-brand">
          <Logo size={32} /> {t('counterRating.brand')}
        </span>
        <LangSwitch />
      </div>
      {framed ? <Card className="xzt-cit-section">{body}</Card> : body}
    </div>
  )
}
