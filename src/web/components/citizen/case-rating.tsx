/**
 * 好差评 of a finished case on the citizen's phone: five big stars with words (非常不满意 … 非常满意), the
 * reform score (how much the redesigned process helped), tags and a comment, sent once; afterwards the
 * rating as given, and for a bad one the rectification (整改) it opened: its progress step by step, and
 * the citizen's verdict once the department says it has rectified.
 * @module
 */
import { useCallback, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { Alert, App as AntApp, Button, Card, Input, Rate, Skeleton, Tag, Timeline, Typography } from 'antd'
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  FrownOutlined,
  LikeFilled,
  SmileOutlined,
  StarFilled,
} from '@ant-design/icons'
import { RECTIFICATION_STATUS_NAMES } from '../../../shared/api.js'
import type { RectificationStep } from '../../../shared/api.js'
import { RATING_TAGS, RATING_TAG_CODES, ratingTagLabel } from '../../../shared/domain.js'
import type { RatingTag } from '../../../shared/domain.js'
import { ApiError } from '../../api.js'
import type { CaseView } from '../../api.js'
import { citizenApi, MAX_RATING_COMMENT } from '../../citizen-api.js'
import type { CaseRatingInput, CaseRatingView, RectificationDetail } from '../../citizen-api.js'
import { useI18n } from '../../i18n.js'
import type { I18n, MessageKey } from '../../i18n.js'
import { useFriendlyTime } from './appeal-common.js'
import '../../citizen.css'

const SCORE_WORDS: MessageKey[] = [
  'citizenAppeals.score.1',
  'citizenAppeals.score.2',
  'citizenAppeals.score.3',
  'citizenAppeals.score.4',
  'citizenAppeals.score.5',
]
const REFORM_WORDS: MessageKey[] = [
  'citizenAppeals.reform.1',
  'citizenAppeals.reform.2',
  'citizenAppeals.reform.3',
  'citizenAppeals.reform.4',
  'citizenAppeals.reform.5',
]

function tagName(i18n: I18n, code: string): string {
  return ratingTagLabel(code, i18n.lang === 'en' ? 'en' : 'zh') ?? i18n.t('citizenAppeals.category.unknown')
}

/** The rating card of a finished case (completed or rejected); nothing for an unfinished one. */
export function CaseRatingCard({ view }: { view: CaseView }) {
  const { t } = useI18n()
  const finished = view.status === 'completed' || view.status === 'rejected'
  const [rating, setRating] = useState<CaseRatingView | null | undefined>(undefined)
  const [failed, setFailed] = useState(false)
  const [reload, setReload] = useState(0)
  /** Rated on this visit: thank the citizen and say what comes of it. */
  const [fresh, setFresh] = useState(false)

  useEffect(() => {
    if (!finished) return
    const controller = new AbortController()
    setFailed(false)
    citizenApi
      .caseRating(view.id, { signal: controller.signal, quiet: true })
      .then(setRating, (e: unknown) => {
        if (controller.signal.aborted) return
        if (e instanceof ApiError && e.status === 404) setRating(null)
        else setFailed(true)
      })
    return () => controller.abort()
  }, [view.id, finished, reload])

  if (!finished) return null
  if (failed)
    return (
      <Card className="xzt-cit-section">
        <Alert
          type="warning"
          showIcon
          title={t('citizenAppeals.rating.loadFailed')}
          action={<Button onClick={() => setReload((n) => n + 1)}>{t('common.retry')}</Button>}
        />
      </Card>
    )
  if (rating === undefined)
    return (
      <Card className="xzt-cit-section">
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    )
  return rating === null ? (
    <RatingForm
      onSubmit={async (input) => {
        const r = await citizenApi.rateCase(view.id, input, { quiet: true })
        setFresh(true)
        setRating(r)
      }}
    />
  ) : (
    <RatingGiven rating={rating} fresh={fresh} />
  )
}

/**
 * The rating form itself: stars, reform score, tags and comment, sent once through `onSubmit` (the
 * signed-in applicant's case page, or a counter rating link at the window, where `head` says what is
 * being rated).
 */
export function RatingForm({
  onSubmit,
  head,
}: {
  onSubmit: (input: CaseRatingInput) => Promise<void>
  head?: ReactNode
}) {
  const i18n = useI18n()
  const { t, describeError } = i18n
  const { message } = AntApp.useApp()
  const [score, setScore] = useState(0)
  const [reform, setReform] = useState(0)
  const [tags, setTags] = useState<RatingTag[]>([])
  const [comment, setComment] = useState('')
  const [sending, setSending] = useState(false)

  const toggle = (tag: RatingTag) =>
    setTags((list) => (list.includes(tag) ? list.filter((x) => x !== tag) : [...list, tag]))
  const send = async () => {
    setSending(true)
    try {
      const text = comment.trim()
      await onSubmit({
        score,
        ...(reform > 0 ? { reformScore: reform } : {}),
        ...(tags.length > 0 ? { tags } : {}),
        ...(text ? { comment: text } : {}),
      })
      void message.success({ content: t('citizenAppeals.rating.thanks'), key: 'case-rated' })
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'case-rate-failed',
      })
    } finally {
      setSending(false)
    }
  }
  const good = RATING_TAG_CODES.filter((c) => RATING_TAGS[c].good)
  const bad = RATING_TAG_CODES.filter((c) => !RATING_TAGS[c].good)
  return (
    <Card className="xzt-cit-ask" data-testid="case-rating-form">
      <Typography.Title level={3} className="xzt-cit-ask-title">
        {t('citizenAppeals.rating.title')}
      </Typography.Title>
      {head}
      <Typography.Paragraph className="xzt-cit-intro">
        {t('citizenAppeals.rating.intro')}
      </Typography.Paragraph>

      <div className="xzt-cit-question">{t('citizenAppeals.rating.scoreQuestion')}</div>
      <div className="xzt-cit-stars" data-testid="case-rating-score">
        <Rate
          value={score}
          onChange={setScore}
          allowClear={false}
          character={<StarFilled />}
          className="xzt-cit-rate"
          aria-label={t('citizenAppeals.rating.scoreQuestion')}
        />
        <div
          className={`xzt-cit-rate-word${score === 0 ? ' is-empty' : score <= 2 ? ' is-bad' : ''}`}
          data-testid="case-rating-word"
        >
          {score > 0 ? t(SCORE_WORDS[score - 1]!) : t('citizenAppeals.rating.tapStars')}
        </div>
      </div>
      {score > 0 && score <= 2 && (
        <Alert
          type="warning"
          showIcon
          className="xzt-cit-alert"
          title={t('citizenAppeals.rating.badNotice')}
        />
      )}

      <div className="xzt-cit-question">{t('citizenAppeals.rating.reformQuestion')}</div>
      <div className="xzt-cit-hint">{t('citizenAppeals.rating.reformHint')}</div>
      <div className="xzt-cit-stars" data-testid="case-rating-reform">
        <Rate
          value={reform}
          onChange={setReform}
          character={<LikeFilled />}
          className="xzt-cit-rate is-reform"
          aria-label={t('citizenAppeals.rating.reformQuestion')}
        />
        <div className={`xzt-cit-rate-word${reform === 0 ? ' is-empty' : ''}`}>
          {reform > 0 ? t(REFORM_WORDS[reform - 1]!) : t('citizenAppeals.rating.optional')}
        </div>
      </div>

      <div className="xzt-cit-question">{t('citizenAppeals.rating.tagsQuestion')}</div>
      <div className="xzt-cit-tag-group">
        <div className="xzt-cit-tag-head">
          <SmileOutlined /> {t('citizenAppeals.rating.goodTags')}
        </div>
        <div className="xzt-cit-tags">
          {good.map((c) => (
            <Tag.CheckableTag
              key={c}
              checked={tags.includes(c)}
              onChange={() => toggle(c)}
              className="xzt-cit-tag"
              data-testid={`case-rating-tag-${c}`}
            >
              {tagName(i18n, c)}
            </Tag.CheckableTag>
          ))}
        </div>
        <div className="xzt-cit-tag-head">
          <FrownOutlined /> {t('citizenAppeals.rating.badTags')}
        </div>
        <div className="xzt-cit-tags">
          {bad.map((c) => (
            <Tag.CheckableTag
              key={c}
              checked={tags.includes(c)}
              onChange={() => toggle(c)}
              className="xzt-cit-tag is-bad"
              data-testid={`case-rating-tag-${c}`}
            >
              {tagName(i18n, c)}
            </Tag.CheckableTag>
          ))}
        </div>
      </div>

      <div className="xzt-cit-question">{t('citizenAppeals.rating.commentQuestion')}</div>
      <Input.TextArea
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={MAX_RATING_COMMENT}
        showCount
        autoSize={{ minRows: 3, maxRows: 8 }}
        placeholder={t('citizenAppeals.rating.commentPlaceholder')}
        className="xzt-cit-textarea"
        data-testid="case-rating-comment"
      />
      <Button
        type="primary"
        size="large"
        block
        disabled={score === 0}
        loading={sending}
        onClick={() => void send()}
        className="xzt-cit-big-button xzt-cit-gap"
        data-testid="case-rating-submit"
      >
        {score === 0 ? t('citizenAppeals.rating.pickFirst') : t('citizenAppeals.rating.submit')}
      </Button>
    </Card>
  )
}

/** The rating as given; for a bad one, the rectification it opened. */
function RatingGiven({ rating, fresh }: { rating: CaseRatingView; fresh: boolean }) {
  const i18n = useI18n()
  const { t } = i18n
  const when = useFriendlyTime()
  return (
    <Card className="xzt-cit-section" data-testid="case-rating-given" data-score={rating.score}>
      {fresh && (
        <Alert
          type="success"
          showIcon
          className="xzt-cit-alert"
          title={t('citizenAppeals.rating.thanks')}
          description={
            rating.rectification
              ? t('citizenAppeals.rating.rectificationOpened', {
                  department:
                    rating.rectification.department?.name ?? t('citizenAppeals.step.otherDepartment'),
                  time: when(rating.rectification.dueAt),
                })
              : t('citizenAppeals.rating.thanksCounted')
          }
          data-testid="case-rating-thanks"
        />
      )}
      <Typography.Title level={4} className="xzt-cit-section-title">
        {t('citizenAppeals.rating.yours')}
      </Typography.Title>
      <div className="xzt-cit-stars">
        <Rate value={rating.score} disabled character={<StarFilled />} className="xzt-cit-rate is-small" />
        <span className="xzt-cit-rate-word is-inline">
          {t(SCORE_WORDS[rating.score - 1] ?? SCORE_WORDS[0]!)}
        </span>
      </div>
      {rating.reformScore !== null && (
        <div className="xzt-cit-detail-row">
          <span className="xzt-cit-label">{t('citizenAppeals.rating.reformShort')}</span>
          {t(REFORM_WORDS[rating.reformScore - 1] ?? REFORM_WORDS[0]!)}
        </div>
      )}
      {rating.tags.length > 0 && (
        <div className="xzt-cit-tags">
          {rating.tags.map((c) => (
            <Tag key={c} className="xzt-cit-tag-shown">
              {tagName(i18n, c)}
            </Tag>
          ))}
        </div>
      )}
      {rating.comment && <div className="xzt-cit-quote">{rating.comment}</div>}
      <div className="xzt-cit-small">
        {t('citizenAppeals.rating.ratedAt', { time: when(rating.ratedAt) })}
        {rating.department &&
          ` · ${t('citizenAppeals.rating.ratedDepartment', { department: rating.department.name })}`}
      </div>
      {rating.excluded && (
        <Alert type="info" showIcon className="xzt-cit-alert" title={t('citizenAppeals.rating.excluded')} />
      )}
      {rating.rectification && <RectificationProgress id={rating.rectification.id} />}
    </Card>
  )
}

const STEP_TONE: Record<RectificationStep['kind'], string> = {
  opened: 'blue',
  called_back: 'blue',
  escalated: 'red',
  rectified: 'green',
  contested: 'orange',
  contest_decided: 'orange',
  rated: 'green',
}

function stepWords(
  t: I18n['t'],
  when: (ms: number) => string,
  r: RectificationDetail,
  s: RectificationStep,
): string {
  const department = r.department?.name ?? t('citizenAppeals.step.otherDepartment')
  switch (s.kind) {
    case 'opened':
      return t('citizenAppeals.rect.opened', { department, time: when(r.dueAt) })
    case 'called_back':
      return t('citizenAppeals.rect.calledBack', {
        department,
        time: when(s.calledAt ?? s.at),
      })
    case 'escalated':
      return t('citizenAppeals.rect.escalated', {
        to: s.staff.map((p) => p.name).join('、') || t('citizenAppeals.rect.leaders'),
      })
    case 'rectified':
      return t('citizenAppeals.rect.rectified', { department })
    case 'contested':
      return t('citizenAppeals.rect.contested', { department })
    case 'contest_decided':
      return s.upheld ? t('citizenAppeals.rect.contestUpheld') : t('citizenAppeals.rect.contestRejected')
    case 'rated':
      return s.satisfied ? t('citizenAppeals.rect.ratedGood') : t('citizenAppeals.rect.ratedBad')
  }
}

/** The rectification a bad rating opened: where it stands, its steps, and the citizen's verdict. */
function RectificationProgress({ id }: { id: string }) {
  const i18n = useI18n()
  const { t, lang } = i18n
  const when = useFriendlyTime()
  const [r, setR] = useState<RectificationDetail | null>(null)
  const [failed, setFailed] = useState(false)
  const [reload, setReload] = useState(0)
  const refresh = useCallback(() => setReload((n) => n + 1), [])
  useEffect(() => {
    const controller = new AbortController()
    setFailed(false)
    citizenApi.rectification(id, { signal: controller.signal, quiet: true }).then(setR, () => {
      if (!controller.signal.aborted) setFailed(true)
    })
    return () => controller.abort()
  }, [id, reload])
  if (failed)
    return (
      <Alert
        type="warning"
        showIcon
        className="xzt-cit-alert"
        title={t('citizenAppeals.rect.loadFailed')}
        action={<Button onClick={refresh}>{t('common.retry')}</Button>}
      />
    )
  if (!r) return <Skeleton active paragraph={{ rows: 3 }} />
  const mayRate = r.status === 'rectified' && r.contest !== 'pending' && r.satisfied === null
  return (
    <div className="xzt-cit-rect" data-testid="rectification" data-status={r.status}>
      <div className="xzt-cit-head-row">
        <Typography.Title level={4} className="xzt-cit-section-title">
          {t('citizenAppeals.rect.title')}
        </Typography.Title>
        <Tag
          color={
            r.status === 'closed'
              ? 'success'
              : r.status === 'void'
                ? 'default'
                : r.status === 'rectified'
                  ? 'gold'
                  : 'processing'
          }
          className="xzt-cit-status"
          data-testid="rectification-status"
        >
          {RECTIFICATION_STATUS_NAMES[r.status][lang === 'en' ? 'en' : 'zh']}
        </Tag>
      </div>
      <div className="xzt-cit-detail-row">
        <span className="xzt-cit-label">{t('citizenAppeals.rect.department')}</span>
        {r.department?.name ?? t('citizenAppeals.step.otherDepartment')}
      </div>
      <div className="xzt-cit-detail-row">
        <span className="xzt-cit-label">{t('citizenAppeals.rect.due')}</span>
        {when(r.dueAt)}
        {r.overdue && (
          <Tag color="error" icon={<ExclamationCircleOutlined />} className="xzt-cit-inline-tag">
            {t('citizenAppeals.rect.overdue')}
          </Tag>
        )}
      </div>
      <Timeline
        className="xzt-cit-timeline"
        data-testid="rectification-timeline"
        items={r.timeline.map((s, i) => ({
          key: `${s.kind}-${i}`,
          color: STEP_TONE[s.kind],
          icon:
            s.kind === 'rectified' || s.kind === 'rated' ? <CheckCircleOutlined /> : <ClockCircleOutlined />,
          content: (
            <div className="xzt-cit-step" data-testid="rectification-step" data-kind={s.kind}>
              <div className="xzt-cit-step-title">{stepWords(t, when, r, s)}</div>
              {s.text && <div className="xzt-cit-step-detail">{s.text}</div>}
              <div className="xzt-cit-step-time">{when(s.at)}</div>
            </div>
          ),
        }))}
      />
      {mayRate && <RectificationVerdict r={r} onDone={setR} />}
      {r.status !== 'closed' && r.status !== 'void' && !mayRate && (
        <div className="xzt-cit-small">{t('citizenAppeals.rect.waiting')}</div>
      )}
    </div>
  )
}

function RectificationVerdict({
  r,
  onDone,
}: {
  r: RectificationDetail
  onDone: (r: RectificationDetail) => void
}) {
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [satisfied, setSatisfied] = useState<boolean | null>(null)
  const [comment, setComment] = useState('')
  const [sending, setSending] = useState(false)
  const send = async () => {
    if (satisfied === null) return
    setSending(true)
    try {
      const text = comment.trim()
      onDone(
        await citizenApi.rateRectification(r.id, text ? { satisfied, comment: text } : { satisfied }, {
          quiet: true,
        }),
      )
      void message.success({ content: t('citizenAppeals.rect.thanks'), key: 'rect-rated' })
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'rect-rate-failed',
      })
    } finally {
      setSending(false)
    }
  }
  return (
    <div className="xzt-cit-ask-inner" data-testid="rectification-rate">
      <div className="xzt-cit-question">{t('citizenAppeals.rect.question')}</div>
      <div className="xzt-cit-answers is-two">
        <Button
          size="large"
          icon={<SmileOutlined />}
          className={`xzt-cit-answer is-good${satisfied === true ? ' is-picked' : ''}`}
          aria-pressed={satisfied === true}
          onClick={() => setSatisfied(true)}
          data-testid="rectification-rate-yes"
        >
          {t('citizenAppeals.rect.yes')}
        </Button>
        <Button
          size="large"
          icon={<FrownOutlined />}
          className={`xzt-cit-answer is-bad${satisfied === false ? ' is-picked' : ''}`}
          aria-pressed={satisfied === false}
          onClick={() => setSatisfied(false)}
          data-testid="rectification-rate-no"
        >
          {t('citizenAppeals.rect.no')}
        </Button>
      </div>
      <Input.TextArea
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={MAX_RATING_COMMENT}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder={t('citizenAppeals.rate.comment')}
        className="xzt-cit-textarea"
        data-testid="rectification-rate-comment"
      />
      <Button
        type="primary"
        size="large"
        block
        disabled={satisfied === null}
        loading={sending}
        onClick={() => void send()}
        className="xzt-cit-big-button xzt-cit-gap"
        data-testid="rectification-rate-submit"
      >
        {satisfied === null ? t('citizenAppeals.rate.pickFirst') : t('citizenAppeals.rate.submit')}
      </Button>
    </div>
  )
}
