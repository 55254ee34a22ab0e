/**
 * 我的诉求, citizens: the appeals they filed (and those the platform opened about their data), each
 * with its status in words and colour, the department handling it and the deadline; one appeal followed
 * step by step in plain words, with its deadlines, where it went and why, who is responsible, and the
 * satisfaction question once it is resolved (不满意 reopens it once).
 * @module
 */
import { useCallback, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { Alert, App as AntApp, Button, Card, Empty, Image, Input, Skeleton, Space, Typography } from 'antd'
import {
  ArrowLeftOutlined,
  CommentOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FrownOutlined,
  MehOutlined,
  PlusOutlined,
  ReloadOutlined,
  SmileOutlined,
} from '@ant-design/icons'
import type { AppealSatisfaction } from '../../shared/domain.js'
import { ApiError, api } from '../api.js'
import type { CaseView } from '../api.js'
import { citizenApi, MAX_SATISFACTION_COMMENT } from '../citizen-api.js'
import type { AppealSummary, AppealView, ResponsibilityChainView } from '../citizen-api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { LoadError } from '../components/load-error.js'
import { Countdown, useNow } from '../components/cases/case-common.js'
import {
  AppealStatusTag,
  AppealStoryTimeline,
  ChainList,
  categoryName,
  kindName,
  useFriendlyTime,
  useRoutingReason,
  words,
} from '../components/citizen/appeal-common.js'
import { nextStep } from '../components/citizen/appeal-story.js'

// ---------------------------------------------------------------------------------------------
// The list

function AppealCard({ a, now }: { a: AppealSummary; now: number }) {
  const i18n = useI18n()
  const { t } = i18n
  const when = useFriendlyTime()
  const open = a.status !== 'closed' && a.status !== 'merged'
  const toRate = a.actions.includes('rate')
  return (
    <Card
      hoverable
      className={`xzt-cit-card${toRate ? ' is-attention' : ''}`}
      onClick={() => navigate(`/my-appeals/${a.id}`)}
      data-testid={`appeal-row-${a.id}`}
      data-status={a.status}
    >
      <div className="xzt-cit-card-head">
        <span className="xzt-cit-card-kind">
          {kindName(t, a.kind)} · {categoryName(i18n, a.category)}
        </span>
        <AppealStatusTag status={a.status} testId="appeal-row-status" />
      </div>
      {a.text && <div className="xzt-cit-card-text">{a.text}</div>}
      <div className="xzt-cit-card-line">
        <span className="xzt-cit-label">{t('citizenAppeals.list.department')}</span>
        {a.department.name}
      </div>
      <div className="xzt-cit-card-line">
        {open ? (
          <>
            <span className="xzt-cit-label">{t('citizenAppeals.list.due')}</span>
            {when(a.dueAt)} <Countdown dueAt={a.dueAt} now={now} />
          </>
        ) : (
          <>
            <span className="xzt-cit-label">{t('citizenAppeals.list.filed')}</span>
            {when(a.createdAt)}
          </>
        )}
      </div>
      {toRate && (
        <div className="xzt-cit-card-cta" data-testid="appeal-row-rate">
          <CommentOutlined /> {t('citizenAppeals.list.rateNow')}
        </div>
      )}
    </Card>
  )
}

export function MyAppealsPage() {
  const { t } = useI18n()
  const now = useNow()
  const [appeals, setAppeals] = useState<AppealSummary[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    citizenApi.myAppeals({ signal: controller.signal, quiet: true }).then(
      (r) => setAppeals(r.items),
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e)
      },
    )
    return () => controller.abort()
  }, [reload])

  if (error && !appeals)
    return (
      <LoadError
        title={t('citizenAppeals.list.loadFailed')}
        error={error}
        onRetry={() => setReload((n) => n + 1)}
      />
    )
  const toRate = appeals?.filter((a) => a.actions.includes('rate')).length ?? 0
  return (
    <Space orientation="vertical" size={16} className="xzt-cit-page" data-testid="my-appeals-page">
      <Card size="small" className="xzt-page-head">
        <Typography.Title level={3} className="xzt-cit-title">
          {t('citizenAppeals.list.title')}
        </Typography.Title>
        <Typography.Paragraph className="xzt-cit-intro">
          {t('citizenAppeals.list.intro')}
        </Typography.Paragraph>
        <Space wrap size={12}>
          <Button
            type="primary"
            size="large"
            icon={<PlusOutlined />}
            className="xzt-cit-big-button"
            onClick={() => navigate('/my-appeals/new')}
            data-testid="appeal-new"
          >
            {t('citizenAppeals.list.new')}
          </Button>
          <Button size="large" icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
            {t('common.refresh')}
          </Button>
        </Space>
      </Card>
      {toRate > 0 && (
        <Alert
          type="warning"
          showIcon
          className="xzt-cit-alert"
          title={t('citizenAppeals.list.toRate', { n: toRate })}
        />
      )}
      {!appeals ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : appeals.length === 0 ? (
        <Card>
          <Empty description={<span className="xzt-cit-intro">{t('citizenAppeals.list.empty')}</span>} />
        </Card>
      ) : (
        <div className="xzt-cit-cards" data-testid="my-appeals-list">
          {appeals.map((a) => (
            <AppealCard key={a.id} a={a} now={now} />
          ))}
        </div>
      )}
    </Space>
  )
}

// ---------------------------------------------------------------------------------------------
// One appeal

const ANSWERS: { value: AppealSatisfaction; icon: ReactNode; className: string }[] = [
  { value: 'satisfied', icon: <SmileOutlined />, className: 'is-good' },
  { value: 'basically_satisfied', icon: <MehOutlined />, className: 'is-ok' },
  { value: 'dissatisfied', icon: <FrownOutlined />, className: 'is-bad' },
]

/** 满意 / 基本满意 / 不满意, with a comment; says first that 不满意 reopens it (once). */
function SatisfactionCard({ view, onDone }: { view: AppealView; onDone: (v: AppealView) => void }) {
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [answer, setAnswer] = useState<AppealSatisfaction | null>(null)
  const [comment, setComment] = useState('')
  const [sending, setSending] = useState(false)
  const send = async () => {
    if (!answer) return
    setSending(true)
    try {
      const text = comment.trim()
      const after = await citizenApi.rateAppeal(
        view.id,
        text ? { satisfaction: answer, comment: text } : { satisfaction: answer },
        {
          quiet: true,
        },
      )
      void message.success({
        content:
          after.status === 'closed'
            ? t('citizenAppeals.rate.thanksClosed')
            : t('citizenAppeals.rate.thanksReopened'),
        key: 'appeal-rated',
      })
      onDone(after)
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'appeal-rate-failed',
      })
    } finally {
      setSending(false)
    }
  }
  return (
    <Card className="xzt-cit-ask" data-testid="appeal-rate">
      <Typography.Title level={4} className="xzt-cit-ask-title">
        {t('citizenAppeals.rate.question')}
      </Typography.Title>
      {view.resolution && (
        <div className="xzt-cit-quote">
          <span className="xzt-cit-label">{t('citizenAppeals.rate.resolution')}</span>
          {view.resolution}
        </div>
      )}
      <div className="xzt-cit-answers">
        {ANSWERS.map((a) => (
          <Button
            key={a.value}
            size="large"
            icon={a.icon}
            className={`xzt-cit-answer ${a.className}${answer === a.value ? ' is-picked' : ''}`}
            aria-pressed={answer === a.value}
            onClick={() => setAnswer(a.value)}
            data-testid={`appeal-rate-${a.value}`}
          >
            {t(`citizenAppeals.satisfaction.${a.value}`)}
          </Button>
        ))}
      </div>
      <Alert
        type={answer === 'dissatisfied' ? 'warning' : 'info'}
        showIcon
        className="xzt-cit-alert"
        title={view.reopened ? t('citizenAppeals.rate.lastTime') : t('citizenAppeals.rate.reopenOnce')}
      />
      <Input.TextArea
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={MAX_SATISFACTION_COMMENT}
        autoSize={{ minRows: 3, maxRows: 8 }}
        placeholder={
          answer === 'dissatisfied' ? t('citizenAppeals.rate.commentBad') : t('citizenAppeals.rate.comment')
        }
        className="xzt-cit-textarea"
        data-testid="appeal-rate-comment"
      />
      <Button
        type="primary"
        size="large"
        block
        disabled={!answer}
        loading={sending}
        onClick={() => void send()}
        className="xzt-cit-big-button"
        data-testid="appeal-rate-submit"
      >
        {answer ? t('citizenAppeals.rate.submit') : t('citizenAppeals.rate.pickFirst')}
      </Button>
    </Card>
  )
}

/** The citizen's photos of the appeal, from their own uploads. */
function AppealPhotos({ view }: { view: AppealView }) {
  const { t } = useI18n()
  const [urls, setUrls] = useState<{ id: string; url: string; name: string }[]>([])
  useEffect(() => {
    const made: string[] = []
    let cancelled = false
    void Promise.all(
      view.attachments
        .filter((a) => a.mediaType.startsWith('image/'))
        .map(async (a) => {
          try {
            const url = URL.createObjectURL(await api.attachment(a.id, { quiet: true }))
            made.push(url)
            return { id: a.id, url, name: a.filename }
          } catch {
            return null
          }
        }),
    ).then((list) => {
      if (!cancelled) setUrls(list.filter((x) => x !== null))
    })
    return () => {
      cancelled = true
      for (const u of made) URL.revokeObjectURL(u)
    }
  }, [view.attachments])
  if (view.attachments.length === 0) return null
  return (
    <div className="xzt-cit-detail-row" data-testid="appeal-photos">
      <span className="xzt-cit-label">{t('citizenAppeals.detail.photos')}</span>
      <Image.PreviewGroup>
        <Space wrap size={8}>
          {urls.map((u) => (
            <Image key={u.id} src={u.url} alt={u.name} width={96} height={96} className="xzt-cit-photo" />
          ))}
        </Space>
      </Image.PreviewGroup>
    </div>
  )
}

interface AppealState {
  view: AppealView
  chain: ResponsibilityChainView | null
  linked: CaseView | null
}

export function MyAppealPage({ id }: { id: string }) {
  const { t } = useI18n()
  const now = useNow()
  const [state, setState] = useState<AppealState | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const refresh = useCallback(() => setReload((n) => n + 1), [])

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    ;(async () => {
      const view = await citizenApi.appeal(id, o)
      const [chain, linked] = await Promise.all([
        citizenApi.responsibility(id, o).catch((e: unknown) => {
          if (controller.signal.aborted) throw e
          return null
        }),
        view.caseId
          ? api.caseView(view.caseId, o).catch((e: unknown) => {
              if (controller.signal.aborted) throw e
              return null
            })
          : Promise.resolve(null),
      ])
      return { view, chain, linked }
    })().then(setState, (e: unknown) => {
      if (!controller.signal.aborted) setError(e)
    })
    return () => controller.abort()
  }, [id, reload])

  if (error)
    return (
      <LoadError
        title={t('citizenAppeals.detail.loadFailed')}
        error={error}
        onRetry={refresh}
        back={{ label: t('citizenAppeals.detail.back'), onClick: () => navigate('/my-appeals') }}
      />
    )
  if (!state || state.view.id !== id)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    )
  return (
    <AppealDetail
      state={state}
      now={now}
      onChange={(view) => setState({ ...state, view })}
      onRefresh={refresh}
    />
  )
}

function AppealDetail({
  state,
  now,
  onChange,
  onRefresh,
}: {
  state: AppealState
  now: number
  onChange: (view: AppealView) => void
  onRefresh: () => void
}) {
  const i18n = useI18n()
  const { t } = i18n
  const when = useFriendlyTime()
  const { view, chain, linked } = state
  const reason = useRoutingReason(view)
  const next = nextStep(view, when)
  const open = view.status !== 'closed' && view.status !== 'merged'
  const unhappy = view.escalations.filter((e) => e.stage === 'satisfaction').length
  const late = view.escalations.length - unhappy
  return (
    <Space
      orientation="vertical"
      size={16}
      className="xzt-cit-page"
      data-testid="appeal-page"
      data-appeal={view.id}
    >
      <Card size="small" className="xzt-page-head">
        <a {...linkProps('/my-appeals')} className="xzt-back-link xzt-cit-back">
          <ArrowLeftOutlined /> {t('citizenAppeals.detail.back')}
        </a>
        <div className="xzt-cit-head-row">
          <Typography.Title level={3} className="xzt-cit-title" data-testid="appeal-title">
            {kindName(t, view.kind)}
          </Typography.Title>
          <AppealStatusTag status={view.status} />
        </div>
        <div className="xzt-cit-intro">{categoryName(i18n, view.category)}</div>
        <div className="xzt-cit-small">
          {t('citizenAppeals.detail.number')}
          {t('common.colon')}
          <span className="xzt-mono">{view.id.slice(0, 8)}</span> · {when(view.createdAt)}
        </div>
      </Card>

      <Alert
        type={view.status === 'closed' ? 'success' : view.actions.includes('rate') ? 'warning' : 'info'}
        showIcon
        className="xzt-cit-alert xzt-cit-next"
        title={open ? t('citizenAppeals.detail.next') : t('citizenAppeals.detail.outcome')}
        description={<span data-testid="appeal-next">{words(t, next)}</span>}
      />

      {view.actions.includes('rate') && <SatisfactionCard view={view} onDone={onChange} />}

      <Card title={t('citizenAppeals.detail.where')} className="xzt-cit-section" data-testid="appeal-where">
        <div className="xzt-cit-big-line" data-testid="appeal-department">
          {view.department.name}
        </div>
        {view.handler && (
          <div className="xzt-cit-detail-row">
            <span className="xzt-cit-label">{t('citizenAppeals.detail.handler')}</span>
            {view.handler.name}
          </div>
        )}
        {reason && (
          <div className="xzt-cit-detail-row" data-testid="appeal-why">
            <span className="xzt-cit-label">{t('citizenAppeals.detail.why')}</span>
            {reason}
          </div>
        )}
        <div className="xzt-cit-deadlines">
          <div className="xzt-cit-deadline" data-testid="appeal-respond-due">
            <span className="xzt-cit-label">{t('citizenAppeals.detail.respondDue')}</span>
            <span className="xzt-cit-deadline-time">{when(view.respondDueAt)}</span>
            {view.respondedAt === null && open ? (
              <Countdown dueAt={view.respondDueAt} now={now} testId="appeal-respond-countdown" />
            ) : view.respondedAt !== null ? (
              <span className="xzt-cit-done">
                {t('citizenAppeals.detail.doneAt', { time: when(view.respondedAt) })}
              </span>
            ) : null}
          </div>
          <div className="xzt-cit-deadline" data-testid="appeal-resolve-due">
            <span className="xzt-cit-label">{t('citizenAppeals.detail.resolveDue')}</span>
            <span className="xzt-cit-deadline-time">{when(view.resolveDueAt)}</span>
            {view.resolvedAt === null && open ? (
              <Countdown dueAt={view.resolveDueAt} now={now} testId="appeal-resolve-countdown" />
            ) : view.resolvedAt !== null ? (
              <span className="xzt-cit-done">
                {t('citizenAppeals.detail.doneAt', { time: when(view.resolvedAt) })}
              </span>
            ) : null}
          </div>
        </div>
        {late > 0 && (
          <Alert
            type="error"
            showIcon
            className="xzt-cit-alert"
            title={t('citizenAppeals.detail.escalatedLate', { n: late })}
          />
        )}
        {unhappy > 0 && (
          <Alert
            type="warning"
            showIcon
            className="xzt-cit-alert"
            title={t('citizenAppeals.detail.escalatedUnhappy')}
          />
        )}
      </Card>

      <Card
        title={t('citizenAppeals.detail.progress')}
        className="xzt-cit-section"
        extra={
          <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common.refresh')}>
            <span className="xzt-hide-narrow">{t('common.refresh')}</span>
          </Button>
        }
      >
        <AppealStoryTimeline view={view} />
      </Card>

      <Card
        title={t('citizenAppeals.detail.content')}
        className="xzt-cit-section"
        data-testid="appeal-content"
      >
        {view.text ? (
          <div className="xzt-cit-quote">{view.text}</div>
        ) : (
          <Typography.Text type="secondary">{t('citizenAppeals.detail.noText')}</Typography.Text>
        )}
        <div className="xzt-cit-detail-row">
          <span className="xzt-cit-label">
            <EnvironmentOutlined /> {t('citizenAppeals.detail.place')}
          </span>
          {view.regionName}
          {view.location && <span className="xzt-cit-small"> · {t('citizenAppeals.detail.pinned')}</span>}
        </div>
        {view.caseId && (
          <div className="xzt-cit-detail-row">
            <span className="xzt-cit-label">
              <FileTextOutlined /> {t('citizenAppeals.detail.case')}
            </span>
            <a {...linkProps(`/cases/${view.caseId}`)} data-testid="appeal-case-link">
              {linked?.matterName ?? t('citizenAppeals.detail.caseLink')}
            </a>
          </div>
        )}
        <AppealPhotos view={view} />
      </Card>

      {chain && (
        <Card title={t('citizenAppeals.chain.title')} className="xzt-cit-section">
          <Typography.Paragraph className="xzt-cit-small">
            {t('citizenAppeals.chain.intro')}
          </Typography.Paragraph>
          <ChainList chain={chain} />
        </Card>
      )}
    </Space>
  )
}
