/**
 * A new version of a policy (发布新版本): the form generated from the kind's JSON Schema (the matters'
 * rjsf setup: antd theme, Chinese messages, loaded lazily) with display names on every field,
 * prefilled with the governing version; when it takes effect (now, or a Beijing time not in the past);
 * a note; the live difference of the draft against the governing version; and 发布. The server's
 * refusals are shown on the fields they name and listed by the fields' display names.
 * @module
 */
import { useMemo, useState } from 'react'
import { Alert, App as AntApp, Card, DatePicker, Form, Input, Radio, Space, Typography } from 'antd'
import { CloudUploadOutlined } from '@ant-design/icons'
import dayjs from 'dayjs'
import type { Dayjs } from 'dayjs'
import { ApiError } from '../../api.js'
import { useI18n } from '../../i18n.js'
import type { MessageKey, Translate } from '../../i18n.js'
import type { FormData, JsonSchema } from '../../forms.js'
import { beijingWallClock, fromBeijingWallClock } from '../../time.js'
import { policiesApi, publishErrors } from '../../policies-api.js'
import type { PolicyKindDetail, PolicyVersion, PublishError } from '../../policies-api.js'
import { LazyMatterForm } from '../cases/lazy-form.js'
import type { ServerFieldError } from '../cases/lazy-form.js'
import { platformNow } from '../cases/case-common.js'
import { titledSchema } from './labels.js'
import { describePath, diffDocuments, pointerSegments } from './diff.js'
import { Parts, PolicyDiff } from './policy-diff.js'

const MAX_NOTE = 500

/** A picker's value (browser zone) read as the Beijing wall clock it shows. */
function pickedInstant(d: Dayjs): number {
  return fromBeijingWallClock({
    year: d.year(),
    month: d.month(),
    day: d.date(),
    hour: d.hour(),
    minute: d.minute(),
  })
}

/** An instant as the picker value that shows its Beijing wall clock. */
function pickerValue(ms: number): Dayjs {
  const c = beijingWallClock(ms)
  return dayjs(new Date(c.year, c.month, c.day, c.hour, c.minute))
}

/** A server refusal in words: the keyword's localised message, else the server's (English) text. */
export function refusalText(e: PublishError, t: Translate): string {
  const n = e.params.limit
  const limit = typeof n === 'number' || typeof n === 'string' ? String(n) : ''
  switch (e.keyword) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return t(`form.${e.keyword}` as MessageKey, { n: limit })
    case 'required':
      return t('form.required')
    case 'enum':
      return t('form.enum')
    case 'pattern':
      return t('form.pattern')
    case 'type':
      return e.params.type === 'integer' ? t('form.integer') : t('form.type')
    case 'uniqueItems':
      return t('form.uniqueItems')
    case 'additionalProperties':
      return t('policies.refused.unknownField')
    case null:
    default:
      return e.message || t('form.invalid')
  }
}

export function PolicyEditor({
  detail,
  onPublished,
}: {
  detail: PolicyKindDetail
  onPublished: (v: PolicyVersion) => void
}) {
  const { t, lang, describeError, formatDateTime } = useI18n()
  const { message } = AntApp.useApp()
  const base = detail.current
  const [draft, setDraft] = useState<FormData>(() => structuredClone((base?.body ?? {}) as FormData))
  const [mode, setMode] = useState<'now' | 'at'>('now')
  const [at, setAt] = useState<Dayjs | null>(null)
  const [note, setNote] = useState('')
  const [sending, setSending] = useState(false)
  const [refusal, setRefusal] = useState<{ errors: PublishError[]; body: string } | null>(null)
  const [timeError, setTimeError] = useState<string | null>(null)

  const schema = useMemo(() => titledSchema(detail.schema as JsonSchema, lang), [detail.schema, lang])
  const changes = useMemo(() => diffDocuments(base?.body ?? {}, draft), [base, draft])
  // The server's refusal holds for the draft it refused; an edit since may have answered it.
  const refused = useMemo(
    () => (refusal && refusal.body === JSON.stringify(draft) ? refusal.errors : []),
    [refusal, draft],
  )
  const serverErrors = useMemo<ServerFieldError[]>(
    () =>
      refused
        .filter((e) => e.path !== null)
        .map((e) => ({ path: e.path ?? [], message: refusalText(e, t), keyword: null })),
    [refused, t],
  )

  const publish = async (body: FormData) => {
    setTimeError(null)
    let effectiveAt: number | undefined
    if (mode === 'at') {
      if (!at) {
        setTimeError(t('policies.publish.timeRequired'))
        return
      }
      effectiveAt = pickedInstant(at)
      if (effectiveAt < platformNow()) {
        setTimeError(t('policies.publish.timePast'))
        return
      }
    }
    setSending(true)
    try {
      const published = await policiesApi.publish(detail.kind, {
        body,
        ...(effectiveAt !== undefined ? { effectiveAt } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      })
      setRefusal(null)
      message.destroy('policy-publish-failed')
      void message.success({
        content: t('policies.publish.done', {
          version: published.version,
          time: formatDateTime(published.effectiveAt),
        }),
        key: 'policy-published',
      })
      onPublished(published)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        const errors = publishErrors(e.details)
        setRefusal({ errors, body: JSON.stringify(body) })
        const time = errors.find((x) => x.field === 'effectiveAt')
        if (time) setTimeError(t('policies.publish.timePast'))
      }
      // A refusal is listed above the form in words; the server's own (English) text is not shown.
      void message.error({
        content:
          e instanceof ApiError && e.code === 'VALIDATION_FAILED'
            ? t('policies.refused.title', { n: publishErrors(e.details).length || 1 })
            : e instanceof ApiError
              ? describeError(e)
              : t('error.network'),
        key: 'policy-publish-failed',
      })
    } finally {
      setSending(false)
    }
  }

  const disabledDate = (d: Dayjs) => d.isBefore(pickerValue(platformNow()).startOf('day'))

  return (
    <div className="xzt-policy-editor" data-testid="policy-editor">
      <div className="xzt-policy-editor-form">
        <Typography.Paragraph type="secondary" className="xzt-policy-lead">
          {base ? t('policies.publish.intro', { version: base.version }) : t('policies.publish.introFirst')}
        </Typography.Paragraph>
        <Card size="small" className="xzt-form-section" title={t('policies.publish.when')}>
          <Form layout="vertical" component="div">
            <Form.Item
              label={t('policies.publish.effective')}
              validateStatus={timeError ? 'error' : undefined}
              help={timeError ?? t('policies.publish.effectiveHint')}
            >
              <Space wrap>
                <Radio.Group
                  value={mode}
                  onChange={(e) => {
                    const next = e.target.value as 'now' | 'at'
                    setMode(next)
                    setTimeError(null)
                    if (next === 'at' && !at) setAt(pickerValue(platformNow() + 3_600_000).startOf('hour'))
                  }}
                  optionType="button"
                  options={[
                    { value: 'now', label: t('policies.publish.now') },
                    { value: 'at', label: t('policies.publish.at') },
                  ]}
                  data-testid="policy-effective-mode"
                />
                {mode === 'at' && (
                  <DatePicker
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    value={at}
                    onChange={(v) => {
                      setAt(v)
                      setTimeError(null)
                    }}
                    disabledDate={disabledDate}
                    allowClear={false}
                    size="large"
                    data-testid="policy-effective-at"
                  />
                )}
              </Space>
            </Form.Item>
            <Form.Item label={t('policies.publish.note')} style={{ marginBottom: 0 }}>
              <Input.TextArea
                value={note}
                onChange={(e) => setNote(e.target.value)}
                maxLength={MAX_NOTE}
                showCount
                autoSize={{ minRows: 2, maxRows: 5 }}
                placeholder={t('policies.publish.notePlaceholder')}
                data-testid="policy-note"
              />
            </Form.Item>
          </Form>
        </Card>
        {refused.length > 0 && (
          <Alert
            type="error"
            showIcon
            className="xzt-policy-refused"
            data-testid="policy-refused"
            title={t('policies.refused.title', { n: refused.length })}
            description={
              <ul>
                {refused.map((e, i) => (
                  <li key={i}>
                    <strong>
                      {e.path
                        ? describePath(pointerSegments(e.path, draft), lang).map((parts, j) => (
                            <span key={j}>
                              {j > 0 && ' › '}
                              <Parts parts={parts} />
                            </span>
                          ))
                        : e.field === 'effectiveAt'
                          ? t('policies.publish.effective')
                          : e.field === 'note'
                            ? t('policies.publish.note')
                            : t('policies.diff.whole')}
                    </strong>
                    {t('policies.refused.sep')}
                    {e.field === 'effectiveAt' ? t('policies.publish.timePast') : refusalText(e, t)}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <LazyMatterForm
          schema={schema}
          formData={draft}
          // What JSON cannot hold (a field cleared to undefined) is not in the document either.
          onChange={(data) => setDraft(JSON.parse(JSON.stringify(data)) as FormData)}
          onSubmit={(body) => void publish(body)}
          serverErrors={serverErrors}
          submitting={sending}
          submitLabel={t('policies.publish.submit')}
          submitIcon={<CloudUploadOutlined />}
          testId="policy-form"
          document
        />
      </div>
      <Card
        size="small"
        className="xzt-policy-live-diff"
        title={
          base
            ? t('policies.publish.liveDiff', { version: base.version, n: changes.length })
            : t('policies.publish.liveDiffFirst')
        }
      >
        <PolicyDiff changes={changes} emptyText={t('policies.publish.noChange')} testId="policy-live-diff" />
      </Card>
    </div>
  )
}
