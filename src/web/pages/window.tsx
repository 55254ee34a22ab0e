/**
 * The service window (窗口受理), clerks: pick a matter, find the citizen by identity number or name
 * (masked matches) or register them on the spot, fill the matter's form from the documents the citizen
 * shows (no prefill: the server's prefill is the citizen's own), and submit once on their behalf
 * (channel `window`, one trip). The created case's number, status and timeline are shown.
 */
import { useEffect, useRef, useState } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Form,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd'
import { ShopOutlined, SendOutlined } from '@ant-design/icons'
import { ApiError, api, formDataErrors } from '../api.js'
import { CounterRatingButton } from '../components/cases/counter-rating-button.js'
import type { CaseView, CitizenMatch, MatterDetail, MatterSummary, Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { navigate } from '../router.js'
import { asSchema, isRecord } from '../forms.js'
import type { FormData } from '../forms.js'
import { CaseTimeline, StatusTag, useNow } from '../components/cases/case-common.js'
import { LazyMatterForm } from '../components/cases/lazy-form.js'
import type { ServerFieldError } from '../components/cases/lazy-form.js'
import { CitizenFinder } from '../components/cases/citizen-finder.js'
import type { TypedIdentity } from '../components/cases/citizen-finder.js'
import { MaterialsList, MatterTags, matterName } from './services.js'

/**
 * The form's applicant fields (`applicant.idNumber`, `.name`, `.phone`, where the matter's form has
 * them) filled with what the clerk typed to find or register the citizen: an empty field, or one still
 * holding what was filled for the previous citizen, takes the new value (or is cleared); what the clerk
 * typed into the form stays.
 */
function withApplicant(
  schema: unknown,
  data: FormData,
  typed: TypedIdentity,
  previous: TypedIdentity,
): FormData {
  const fields = asSchema(schema).properties?.applicant?.properties
  if (!fields) return data
  const current = isRecord(data.applicant) ? data.applicant : {}
  const next: Record<string, unknown> = { ...current }
  for (const key of ['idNumber', 'name', 'phone'] as const) {
    if (!fields[key]) continue
    const now = current[key]
    if (now !== undefined && now !== '' && now !== previous[key]) continue
    if (typed[key]) next[key] = typed[key]
    else delete next[key]
  }
  return { ...data, applicant: next }
}

export function WindowPage({ me, code, canAudit }: { me: Me; code: string | null; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, describeError } = i18n
  const { message } = AntApp.useApp()
  const now = useNow()
  const [matters, setMatters] = useState<MatterSummary[] | null>(null)
  const [matter, setMatter] = useState<MatterDetail | null>(null)
  const [applicant, setApplicant] = useState<CitizenMatch | null>(null)
  const [applicantError, setApplicantError] = useState<string | null>(null)
  const [data, setData] = useState<FormData>({})
  const [serverErrors, setServerErrors] = useState<ServerFieldError[]>([])
  const [submitting, setSubmitting] = useState(false)
  const [created, setCreated] = useState<CaseView | null>(null)
  const applicantField = useRef<HTMLDivElement>(null)
  /** What was last filled into the form's applicant fields from the finder. */
  const filled = useRef<TypedIdentity>({})

  useEffect(() => {
    const controller = new AbortController()
    api.matters({ signal: controller.signal }).then(
      (list) => setMatters(list.filter((m) => m.channels.includes('window'))),
      () => undefined,
    )
    return () => controller.abort()
  }, [])

  useEffect(() => {
    setMatter(null)
    setData({})
    filled.current = {}
    setServerErrors([])
    setCreated(null)
    if (!code) return
    const controller = new AbortController()
    api.matter(code, undefined, { signal: controller.signal }).then(setMatter, () => undefined)
    return () => controller.abort()
  }, [code])

  const checkApplicant = (required = t('finder.required')): CitizenMatch | null => {
    setApplicantError(applicant ? null : required)
    if (!applicant) applicantField.current?.scrollIntoView({ behavior: 'smooth', block: 'center' })
    return applicant
  }

  const submit = async (formData: FormData) => {
    const chosen = checkApplicant()
    if (!matter || !chosen) return
    setSubmitting(true)
    setServerErrors([])
    const id = chosen.id
    try {
      const view = await api.submitCase(
        { matterCode: matter.code, data: formData, channel: 'window', applicantId: id },
        { quiet: true },
      )
      setCreated(view)
      message.destroy('window-failed')
      void message.success({ content: t('window.created'), key: 'window-created' })
      window.scrollTo(0, 0)
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        setApplicant(null)
        setApplicantError(t('finder.required'))
        void message.error({ content: describeError(e), key: 'window-failed' })
      } else if (e instanceof ApiError && e.status === 400 && e.code === 'VALIDATION_FAILED') {
        const errors = formDataErrors(e.details)
        const applicantProblem = Array.isArray(e.details)
          ? (e.details as { path?: unknown }[]).some((d) => d.path === '/body/applicantId')
          : false
        if (applicantProblem) setApplicantError(t('finder.required'))
        setServerErrors(errors.filter((x) => x.path.length > 0))
        void message.error({ content: t('apply.serverInvalid'), key: 'window-failed' })
      } else if (e instanceof ApiError) {
        void message.error({ content: describeError(e), key: 'window-failed' })
      }
    } finally {
      setSubmitting(false)
    }
  }

  // Files are the citizen's: they are uploaded for the applicant, who must be named first.
  const uploadForApplicant = async (file: File, type: string) => {
    const chosen = checkApplicant(t('finder.first'))
    if (!chosen) throw new Error(t('finder.first'))
    return api.uploadAttachment(file, file.name, type, chosen.id, { quiet: true })
  }

  const next = () => {
    setCreated(null)
    setData({})
    filled.current = {}
    setApplicant(null)
    setApplicantError(null)
    window.scrollTo(0, 0)
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="window-page">
      <Card size="small" className="xzt-page-head">
        <Typography.Title level={4} className="xzt-page-title">
          <ShopOutlined /> {t('window.title')}
          {me.kind === 'staff' && me.departmentName && (
            <Typography.Text type="secondary" className="xzt-page-title-sub">
              {me.departmentName}
            </Typography.Text>
          )}
        </Typography.Title>
        <Typography.Text type="secondary">{t('window.intro')}</Typography.Text>
      </Card>

      {created ? (
        <Card data-testid="window-created" data-case={created.id} data-status={created.status}>
          <Result
            status="success"
            title={t('window.created')}
            subTitle={
              <Space orientation="vertical" size={8}>
                <span>
                  {t('case.id')}
                  {t('common.colon')}
                  <Typography.Text className="xzt-mono" copyable data-testid="window-case-id">
                    {created.id}
                  </Typography.Text>
                </span>
                <span>
                  {created.matterName} · <StatusTag status={created.status} testId="window-case-status" />
                </span>
              </Space>
            }
            extra={
              <Space wrap>
                {/* Finished on the spot (即办): the citizen rates it before leaving the counter. */}
                {(created.status === 'completed' || created.status === 'rejected') && (
                  <CounterRatingButton caseId={created.id} />
                )}
                <Button type="primary" onClick={next} data-testid="window-next">
                  {t('window.another')}
                </Button>
              </Space>
            }
          />
          {created.discrepancies.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('case.discrepancies', { n: created.discrepancies.length })}
              description={t('case.discrepancyHint')}
              data-testid="window-discrepancies"
            />
          ) : (
            // Which values differ is for the applicant and the handling departments only.
            created.recordMismatch && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('window.recordMismatch')}
                description={t('window.recordMismatchHint')}
                data-testid="window-record-mismatch"
              />
            )
          )}
          <CaseTimeline view={created} canAudit={canAudit} now={now} />
        </Card>
      ) : (
        <>
          <Card>
            <Form layout="vertical" className="xzt-window-head">
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item label={t('window.matter')} required>
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('window.matterPlaceholder')}
                      value={code ?? undefined}
                      loading={!matters}
                      onChange={(c: string) => navigate(`/window/${c}`, { replace: true })}
                      options={(matters ?? []).map((m) => ({ value: m.code, label: matterName(i18n, m) }))}
                      data-testid="window-matter"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <div ref={applicantField}>
                    <Form.Item label={t('finder.label')} required>
                      <CitizenFinder
                        value={applicant}
                        onChange={(m, typed) => {
                          setApplicant(m)
                          setApplicantError(null)
                          if (m && matter) {
                            const previous = filled.current
                            filled.current = typed ?? {}
                            setData((d) => withApplicant(matter.formSchema, d, typed ?? {}, previous))
                          }
                        }}
                        error={applicantError}
                      />
                    </Form.Item>
                  </div>
                </Col>
              </Row>
            </Form>
            <Alert type="info" showIcon title={t('window.noPrefill')} />
          </Card>
          {!code ? (
            <Card>
              <Result status="info" title={t('window.pickMatter')} />
            </Card>
          ) : !matter ? (
            <Card>
              <Skeleton active paragraph={{ rows: 10 }} />
            </Card>
          ) : (
            <Row gutter={[16, 16]}>
              <Col xs={{ span: 24, order: 1 }} xl={{ span: 8, order: 2 }}>
                <Card size="small" title={t('matter.materials')}>
                  <div style={{ marginBottom: 12 }}>
                    <MatterTags matter={matter} />
                  </div>
                  <MaterialsList matter={matter} />
                </Card>
              </Col>
              <Col xs={{ span: 24, order: 2 }} xl={{ span: 16, order: 1 }}>
                <LazyMatterForm
                  key={matter.code}
                  schema={matter.formSchema}
                  formData={data}
                  onChange={setData}
                  onSubmit={(d) => void submit(d)}
                  serverErrors={serverErrors}
                  submitting={submitting}
                  submitLabel={t('window.submit')}
                  submitIcon={<SendOutlined />}
                  testId="window-form"
                  upload={uploadForApplicant}
                />
              </Col>
            </Row>
          )}
        </>
      )}
    </Space>
  )
}
