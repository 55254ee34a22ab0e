/**
 * 我要投诉/建议, citizens: one page of big choices (what kind, what about, in the citizen's words,
 * where: their own street, a pin on the map or a street from the list, optional photos, optional one of
 * their cases), sent once. About a case (`/my-appeals/new?case=<id>`, the 投诉这个办件 button of a case)
 * the kind is a complaint and the category and text may be left to the case's facts. After sending it
 * says where the appeal went, why, and by when it will be answered.
 * @module
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Input,
  Result,
  Select,
  Skeleton,
  Space,
  Typography,
  Upload,
} from 'antd'
import type { UploadFile } from 'antd'
import {
  ArrowLeftOutlined,
  BulbOutlined,
  CameraOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  LikeOutlined,
  QuestionCircleOutlined,
  SendOutlined,
  UnorderedListOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import { APPEAL_CATEGORIES } from '../../shared/domain.js'
import { ApiError, api } from '../api.js'
import type { Region } from '../../shared/domain.js'
import type { AttachmentView, CaseView, Me } from '../api.js'
import { citizenApi, MAX_APPEAL_TEXT } from '../citizen-api.js'
import type { AppealView, FileAppealInput } from '../citizen-api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { uploadMediaType } from '../forms.js'
import { AppealMapPin, type MapPin } from '../components/appeal-map-pin.js'
import {
  categoryName,
  kindName,
  useFriendlyTime,
  useRoutingReason,
} from '../components/citizen/appeal-common.js'

type Kind = FileAppealInput['kind']
type Place = 'home' | 'map' | 'region'

const KINDS: { kind: Kind; icon: ReactNode }[] = [
  { kind: 'complaint', icon: <WarningOutlined /> },
  { kind: 'suggestion', icon: <BulbOutlined /> },
  { kind: 'inquiry', icon: <QuestionCircleOutlined /> },
  { kind: 'praise', icon: <LikeOutlined /> },
]

/** Categories a citizen picks from (data discrepancies are opened by the platform itself). */
const TOPS = Object.keys(APPEAL_CATEGORIES).filter((top) => top !== 'data')

const MAX_PHOTOS = 6
const MAX_PHOTO_BYTES = 20 * 1024 * 1024

/** The case named in `?case=` of the address, if any. */
function caseFromQuery(): string | undefined {
  const id = new URLSearchParams(window.location.search).get('case')
  return id && /^[A-Za-z0-9_-]{1,80}$/.test(id) ? id : undefined
}

function Section({
  n,
  title,
  hint,
  error,
  children,
  testId,
}: {
  n: number
  title: string
  hint?: string
  error?: string | null
  children: ReactNode
  testId: string
}) {
  return (
    <Card className={`xzt-cit-section${error ? ' has-error' : ''}`} data-testid={testId}>
      <div className="xzt-cit-section-head">
        <span className="xzt-cit-step-no">{n}</span>
        <Typography.Title level={4} className="xzt-cit-section-title">
          {title}
        </Typography.Title>
      </div>
      {hint && <div className="xzt-cit-hint">{hint}</div>}
      {children}
      {error && (
        <div className="xzt-cit-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </div>
      )}
    </Card>
  )
}

export function FileAppealPage({ me }: { me: Me }) {
  const i18n = useI18n()
  const { t, describeError } = i18n
  const when = useFriendlyTime()
  const { message } = AntApp.useApp()
  const presetCase = useMemo(caseFromQuery, [])
  const [kind, setKind] = useState<Kind | null>(presetCase ? 'complaint' : null)
  const [top, setTop] = useState<string | null>(presetCase ? 'service' : null)
  /** The sub-category; `''` about a case: let the case's facts decide. */
  const [sub, setSub] = useState<string | null>(presetCase ? '' : null)
  const [text, setText] = useState('')
  const [place, setPlace] = useState<Place>('home')
  const [pin, setPin] = useState<MapPin | null>(null)
  const [county, setCounty] = useState(me.regionCode.slice(0, 6))
  const [counties, setCounties] = useState<Region[]>([])
  /** The street chosen from the list (of `county`'s streets). */
  const [street, setStreet] = useState<string | null>(null)
  const [streets, setStreets] = useState<Region[] | null>(null)
  const [photos, setPhotos] = useState<AttachmentView[]>([])
  const [uploading, setUploading] = useState(0)
  const [caseId, setCaseId] = useState<string | undefined>(presetCase)
  const [cases, setCases] = useState<CaseView[] | null>(null)
  const [showErrors, setShowErrors] = useState(false)
  const [sending, setSending] = useState(false)
  const [filed, setFiled] = useState<AppealView | null>(null)
  const topRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    api.myCases(o).then(setCases, () => {
      if (!controller.signal.aborted) setCases([])
    })
    api.children(me.regionCode.slice(0, 4), o).then(setCounties, () => undefined)
    return () => controller.abort()
  }, [me.regionCode])

  useEffect(() => {
    if (place !== 'region') return
    const controller = new AbortController()
    setStreets(null)
    api.children(county, { signal: controller.signal, quiet: true }).then(setStreets, () => {
      if (!controller.signal.aborted) setStreets([])
    })
    return () => controller.abort()
  }, [county, place])

  const linked = caseId ? cases?.find((c) => c.id === caseId) : undefined
  const aboutCase = caseId !== undefined
  // A complaint about a case may leave category and text to the case's facts.
  const factsSuffice = aboutCase && kind === 'complaint'
  const regionCode = street ?? undefined

  const errors = {
    kind: kind ? null : t('citizenAppeals.file.kindMissing'),
    category: factsSuffice || (top && sub) ? null : t('citizenAppeals.file.categoryMissing'),
    text: factsSuffice || text.trim() ? null : t('citizenAppeals.file.textMissing'),
    place:
      aboutCase || place === 'home'
        ? null
        : place === 'map' && !pin
          ? t('citizenAppeals.file.pinMissing')
          : place === 'region' && !regionCode
            ? t('citizenAppeals.file.regionMissing')
            : null,
  }
  const shown = (e: string | null) => (showErrors ? e : null)

  const submit = async () => {
    if (Object.values(errors).some(Boolean) || !kind) {
      setShowErrors(true)
      void message.warning({ content: t('citizenAppeals.file.fixFirst'), key: 'appeal-missing' })
      window.requestAnimationFrame(() =>
        document
          .querySelector('.xzt-cit-section.has-error')
          ?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
      )
      return
    }
    const input: FileAppealInput = { kind }
    if (top && sub) input.category = `${top}/${sub}`
    if (text.trim()) input.text = text.trim()
    if (caseId) input.caseId = caseId
    else if (place === 'map' && pin) input.location = { lat: pin.lat, lng: pin.lng }
    else if (place === 'region' && regionCode) input.regionCode = regionCode
    if (photos.length > 0) input.attachments = photos.map((p) => p.id)
    setSending(true)
    try {
      const view = await citizenApi.fileAppeal(input, { quiet: true })
      setFiled(view)
      window.scrollTo(0, 0)
    } catch (e) {
      void message.error({
        content: e instanceof ApiError ? describeError(e) : t('error.network'),
        key: 'appeal-file-failed',
      })
    } finally {
      setSending(false)
    }
  }

  if (filed) return <Filed view={filed} />

  const subs = top ? Object.entries(APPEAL_CATEGORIES[top]?.subs ?? {}) : []
  const lang = i18n.lang === 'en' ? 'en' : 'zh'
  const photoList: UploadFile[] = photos.map((p) => ({ uid: p.id, name: p.filename, status: 'done' }))
  const addPhoto = (file: File) => {
    const type = uploadMediaType(file)
    if (!type || !type.startsWith('image/')) {
      void message.error(t('citizenAppeals.file.photoType', { name: file.name }))
      return
    }
    if (file.size === 0 || file.size > MAX_PHOTO_BYTES) {
      void message.error(
        t('citizenAppeals.file.photoSize', { name: file.name, mb: MAX_PHOTO_BYTES / 1024 / 1024 }),
      )
      return
    }
    setUploading((n) => n + 1)
    api
      .uploadAttachment(file, file.name, type, undefined, { quiet: true })
      .then(
        (uploaded) => setPhotos((list) => (list.length < MAX_PHOTOS ? [...list, uploaded] : list)),
        (e: unknown) =>
          void message.error(
            t('citizenAppeals.file.photoFailed', {
              name: file.name,
              reason: e instanceof ApiError ? describeError(e) : '',
            }),
          ),
      )
      .finally(() => setUploading((n) => n - 1))
  }

  let n = 0
  return (
    <div ref={topRef}>
      <Space orientation="vertical" size={16} className="xzt-cit-page" data-testid="file-appeal-page">
        <Card size="small" className="xzt-page-head">
          <a
            {...linkProps(presetCase ? `/cases/${presetCase}` : '/my-appeals')}
            className="xzt-back-link xzt-cit-back"
          >
            <ArrowLeftOutlined />{' '}
            {presetCase ? t('citizenAppeals.file.backCase') : t('citizenAppeals.detail.back')}
          </a>
          <Typography.Title level={3} className="xzt-cit-title">
            {aboutCase ? t('citizenAppeals.file.titleCase') : t('citizenAppeals.file.title')}
          </Typography.Title>
          <Typography.Paragraph className="xzt-cit-intro">
            {aboutCase ? t('citizenAppeals.file.introCase') : t('citizenAppeals.file.intro')}
          </Typography.Paragraph>
        </Card>

        {aboutCase && (
          <Alert
            type="info"
            showIcon
            className="xzt-cit-alert"
            data-testid="file-appeal-case"
            title={t('citizenAppeals.file.aboutCase', {
              matter: linked?.matterName ?? t('citizenAppeals.detail.caseLink'),
            })}
            description={
              linked ? t('citizenAppeals.file.aboutCaseWhen', { time: when(linked.submittedAt) }) : undefined
            }
          />
        )}

        {!presetCase && (
          <Section
            n={++n}
            title={t('citizenAppeals.file.kindTitle')}
            error={shown(errors.kind)}
            testId="file-kind"
          >
            <div className="xzt-cit-choices is-two">
              {KINDS.map((k) => (
                <button
                  key={k.kind}
                  type="button"
                  className={`xzt-cit-choice${kind === k.kind ? ' is-picked' : ''}`}
                  aria-pressed={kind === k.kind}
                  onClick={() => setKind(k.kind)}
                  data-testid={`file-kind-${k.kind}`}
                >
                  <span className="xzt-cit-choice-icon">{k.icon}</span>
                  <span className="xzt-cit-choice-name">{kindName(t, k.kind)}</span>
                  <span className="xzt-cit-choice-hint">{t(`citizenAppeals.kindHint.${k.kind}`)}</span>
                </button>
              ))}
            </div>
          </Section>
        )}

        <Section
          n={++n}
          title={
            factsSuffice ? t('citizenAppeals.file.categoryTitleCase') : t('citizenAppeals.file.categoryTitle')
          }
          hint={factsSuffice ? t('citizenAppeals.file.categoryHintCase') : undefined}
          error={shown(errors.category)}
          testId="file-category"
        >
          {!factsSuffice && (
            <div className="xzt-cit-choices is-three">
              {TOPS.map((code) => (
                <button
                  key={code}
                  type="button"
                  className={`xzt-cit-choice is-small${top === code ? ' is-picked' : ''}`}
                  aria-pressed={top === code}
                  onClick={() => {
                    setTop(code)
                    setSub(null)
                  }}
                  data-testid={`file-top-${code}`}
                >
                  <span className="xzt-cit-choice-name">{APPEAL_CATEGORIES[code]?.[lang]}</span>
                </button>
              ))}
            </div>
          )}
          {top && (
            <>
              {!factsSuffice && (
                <div className="xzt-cit-subhead">
                  {t('citizenAppeals.file.subTitle', { top: APPEAL_CATEGORIES[top]?.[lang] ?? '' })}
                </div>
              )}
              <div className="xzt-cit-choices is-two">
                {factsSuffice && (
                  <button
                    type="button"
                    className={`xzt-cit-choice is-small${sub === '' ? ' is-picked' : ''}`}
                    aria-pressed={sub === ''}
                    onClick={() => setSub('')}
                    data-testid="file-sub-auto"
                  >
                    <span className="xzt-cit-choice-name">{t('citizenAppeals.file.categoryAuto')}</span>
                  </button>
                )}
                {subs.map(([code, label]) => (
                  <button
                    key={code}
                    type="button"
                    className={`xzt-cit-choice is-small${sub === code ? ' is-picked' : ''}`}
                    aria-pressed={sub === code}
                    onClick={() => setSub(code)}
                    data-testid={`file-sub-${code}`}
                  >
                    <span className="xzt-cit-choice-name">{label[lang]}</span>
                  </button>
                ))}
              </div>
            </>
          )}
        </Section>

        <Section
          n={++n}
          title={factsSuffice ? t('citizenAppeals.file.textTitleCase') : t('citizenAppeals.file.textTitle')}
          hint={factsSuffice ? t('citizenAppeals.file.textHintCase') : t('citizenAppeals.file.textHint')}
          error={shown(errors.text)}
          testId="file-text"
        >
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={MAX_APPEAL_TEXT}
            showCount
            autoSize={{ minRows: 4, maxRows: 12 }}
            placeholder={t('citizenAppeals.file.textPlaceholder')}
            className="xzt-cit-textarea"
            data-testid="file-text-input"
          />
        </Section>

        {!aboutCase && (
          <Section
            n={++n}
            title={t('citizenAppeals.file.placeTitle')}
            error={shown(errors.place)}
            testId="file-place"
          >
            <div className="xzt-cit-choices is-one">
              <button
                type="button"
                className={`xzt-cit-choice is-row${place === 'home' ? ' is-picked' : ''}`}
                aria-pressed={place === 'home'}
                onClick={() => setPlace('home')}
                data-testid="file-place-home"
              >
                <span className="xzt-cit-choice-icon">
                  <HomeOutlined />
                </span>
                <span className="xzt-cit-choice-name">
                  {t('citizenAppeals.file.placeHome', { street: me.regionName })}
                </span>
              </button>
              <button
                type="button"
                className={`xzt-cit-choice is-row${place === 'map' ? ' is-picked' : ''}`}
                aria-pressed={place === 'map'}
                onClick={() => setPlace('map')}
                data-testid="file-place-map"
              >
                <span className="xzt-cit-choice-icon">
                  <EnvironmentOutlined />
                </span>
                <span className="xzt-cit-choice-name">{t('citizenAppeals.file.placeMap')}</span>
              </button>
              <button
                type="button"
                className={`xzt-cit-choice is-row${place === 'region' ? ' is-picked' : ''}`}
                aria-pressed={place === 'region'}
                onClick={() => setPlace('region')}
                data-testid="file-place-region"
              >
                <span className="xzt-cit-choice-icon">
                  <UnorderedListOutlined />
                </span>
                <span className="xzt-cit-choice-name">{t('citizenAppeals.file.placeRegion')}</span>
              </button>
            </div>
            {place !== 'home' && (
              <div className="xzt-cit-place-body">
                {counties.length > 1 && (
                  <div className="xzt-cit-detail-row">
                    <span className="xzt-cit-label">{t('citizenAppeals.file.county')}</span>
                    <Select
                      size="large"
                      value={county}
                      onChange={(code: string) => {
                        setCounty(code)
                        setPin(null)
                        setStreet(null)
                      }}
                      options={counties.map((c) => ({ value: c.code, label: c.name }))}
                      className="xzt-cit-select"
                      data-testid="file-county"
                    />
                  </div>
                )}
                {place === 'map' ? (
                  <AppealMapPin
                    areaCode={county}
                    homeCode={me.regionCode}
                    value={pin}
                    onChange={setPin}
                    onUnavailable={() => setPlace('region')}
                  />
                ) : (
                  <>
                    <div className="xzt-cit-subhead">{t('citizenAppeals.file.regionHint')}</div>
                    {streets === null ? (
                      <Skeleton active paragraph={{ rows: 3 }} />
                    ) : (
                      <div className="xzt-cit-choices is-two" data-testid="file-streets">
                        {streets.map((r) => (
                          <button
                            key={r.code}
                            type="button"
                            className={`xzt-cit-choice is-small${street === r.code ? ' is-picked' : ''}`}
                            aria-pressed={street === r.code}
                            onClick={() => setStreet(r.code)}
                            data-testid={`file-street-${r.code}`}
                          >
                            <span className="xzt-cit-choice-name">{r.name}</span>
                          </button>
                        ))}
                      </div>
                    )}
                  </>
                )}
              </div>
            )}
          </Section>
        )}

        <Section
          n={++n}
          title={t('citizenAppeals.file.photosTitle')}
          hint={t('citizenAppeals.file.photosHint', { n: MAX_PHOTOS })}
          testId="file-photos"
        >
          <Upload
            listType="picture-card"
            accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
            multiple
            fileList={photoList}
            beforeUpload={(file) => {
              addPhoto(file)
              return false
            }}
            onRemove={(file) => {
              setPhotos((list) => list.filter((p) => p.id !== file.uid))
              return false
            }}
            data-testid="file-photos-upload"
          >
            {photos.length + uploading < MAX_PHOTOS && (
              <div className="xzt-cit-photo-add">
                <CameraOutlined />
                <div>
                  {uploading > 0
                    ? t('citizenAppeals.file.photoUploading')
                    : t('citizenAppeals.file.photoAdd')}
                </div>
              </div>
            )}
          </Upload>
        </Section>

        {!presetCase && (
          <Section
            n={++n}
            title={t('citizenAppeals.file.caseTitle')}
            hint={t('citizenAppeals.file.caseHint')}
            testId="file-case"
          >
            {cases === null ? (
              <Skeleton.Input active block />
            ) : cases.length === 0 ? (
              <Typography.Text type="secondary">{t('citizenAppeals.file.noCases')}</Typography.Text>
            ) : (
              <Select
                size="large"
                allowClear
                value={caseId}
                onChange={(id: string | undefined) => setCaseId(id)}
                placeholder={t('citizenAppeals.file.casePlaceholder')}
                options={cases.map((c) => ({
                  value: c.id,
                  label: `${c.matterName} · ${when(c.submittedAt)}`,
                }))}
                className="xzt-cit-select"
                data-testid="file-case-select"
              />
            )}
          </Section>
        )}

        <Card className="xzt-cit-section xzt-cit-send">
          {kind && (
            <div className="xzt-cit-summary" data-testid="file-summary">
              {t('citizenAppeals.file.summary', {
                kind: kindName(t, kind),
                category:
                  top && sub ? categoryName(i18n, `${top}/${sub}`) : t('citizenAppeals.file.categoryAuto'),
              })}
            </div>
          )}
          <Button
            type="primary"
            size="large"
            block
            icon={<SendOutlined />}
            loading={sending}
            disabled={uploading > 0}
            onClick={() => void submit()}
            className="xzt-cit-big-button"
            data-testid="file-submit"
          >
            {t('citizenAppeals.file.submit')}
          </Button>
          <div className="xzt-cit-hint xzt-cit-center">{t('citizenAppeals.file.privacy')}</div>
        </Card>
      </Space>
    </div>
  )
}

/** After sending: where it went, why, by when, and what to do next. */
function Filed({ view }: { view: AppealView }) {
  const { t } = useI18n()
  const when = useFriendlyTime()
  const reason = useRoutingReason(view)
  return (
    <Space
      orientation="vertical"
      size={16}
      className="xzt-cit-page"
      data-testid="appeal-filed"
      data-appeal={view.id}
    >
      <Card className="xzt-cit-section">
        <Result
          status="success"
          className="xzt-cit-result"
          title={t('citizenAppeals.filed.title', { kind: kindName(t, view.kind) })}
          subTitle={t('citizenAppeals.filed.subtitle')}
        />
        <div className="xzt-cit-filed">
          <div className="xzt-cit-label">{t('citizenAppeals.filed.wentTo')}</div>
          <div className="xzt-cit-big-line" data-testid="filed-department">
            {view.department.name}
          </div>
          {reason && (
            <div className="xzt-cit-detail-row" data-testid="filed-why">
              <span className="xzt-cit-label">{t('citizenAppeals.detail.why')}</span>
              {reason}
            </div>
          )}
          <div className="xzt-cit-detail-row">
            <span className="xzt-cit-label">{t('citizenAppeals.detail.place')}</span>
            {view.regionName}
          </div>
          <ul className="xzt-cit-promises" data-testid="filed-deadlines">
            <li>{t('citizenAppeals.filed.respondBy', { time: when(view.respondDueAt) })}</li>
            <li>{t('citizenAppeals.filed.resolveBy', { time: when(view.resolveDueAt) })}</li>
            <li>{t('citizenAppeals.filed.lateEscalates')}</li>
          </ul>
        </div>
        <Space orientation="vertical" size={12} className="xzt-cit-full">
          <Button
            type="primary"
            size="large"
            block
            className="xzt-cit-big-button"
            onClick={() => navigate(`/my-appeals/${view.id}`)}
            data-testid="filed-open"
          >
            {t('citizenAppeals.filed.follow')}
          </Button>
          <Button size="large" block className="xzt-cit-big-button" onClick={() => navigate('/my-appeals')}>
            {t('citizenAppeals.filed.list')}
          </Button>
        </Space>
      </Card>
    </Space>
  )
}
