/**
 * The service window (窗口受理), clerks: pick a matter, enter the citizen's account id, fill the
 * matter's form from the documents the citizen shows (no prefill: the server's prefill is the
 * citizen's own), and submit once on their behalf (channel `window`, one trip). The created case's
 * number, status and timeline are shown.
 */
import { useEffect, useRef, useState } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Form,
  Input,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd'
import type { InputRef } from 'antd'
import { ShopOutlined, SendOutlined, UserOutlined } from '@ant-design/icons'
import { ApiError, api, formDataErrors } from '../api.js'
import type { CaseView, MatterDetail, MatterSummary, Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { navigate } from '../router.js'
import type { FormData } from '../forms.js'
import { CaseTimeline, StatusTag, useNow } from '../components/cases/case-common.js'
import { LazyMatterForm } from '../components/cases/lazy-form.js'
import type { ServerFieldError } from '../components/cases/lazy-form.js'
import { MaterialsList, MatterTags, matterName } from './services.js'

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/

export function WindowPage({ me, code, canAudit }: { me: Me; code: string | null; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, describeError } = i18n
  const { message } = AntApp.useApp()
  const now = useNow()
  const [matters, setMatters] = useState<MatterSummary[] | null>(null)
  const [matter, setMatter] = useState<MatterDetail | null>(null)
  const [applicantId, setApplicantId] = useState('')
  const [applicantError, setApplicantError] = useState<string | null>(null)
  const [data, setData] = useState<FormData>({})
  const [serverErrors, setServerErrors] = useState<ServerFieldError[]>([])
  const [submitting, setSubmitting] = useState(false)
  const [created, setCreated] = useState<CaseView | null>(null)
  const applicantInput = useRef<InputRef>(null)

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
    setServerErrors([])
    setCreated(null)
    if (!code) return
    const controller = new AbortController()
    api.matter(code, undefined, { signal: controller.signal }).then(setMatter, () => undefined)
    return () => controller.abort()
  }, [code])

  const checkApplicant = (): boolean => {
    const id = applicantId.trim()
    const problem = !id
      ? t('window.applicantRequired')
      : !ACCOUNT_ID.test(id)
        ? t('window.applicantPattern')
        : null
    setApplicantError(problem)
    if (problem) applicantInput.current?.focus()
    return problem === null
  }

  const submit = async (formData: FormData) => {
    if (!matter || !checkApplicant()) return
    setSubmitting(true)
    setServerErrors([])
    const id = applicantId.trim()
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
        setApplicantError(t('window.applicantNotFound', { id }))
        applicantInput.current?.focus()
        void message.error({ content: t('window.applicantNotFound', { id }), key: 'window-failed' })
      } else if (e instanceof ApiError && e.status === 400 && e.code === 'VALIDATION_FAILED') {
        const errors = formDataErrors(e.details)
        const applicantProblem = Array.isArray(e.details)
          ? (e.details as { path?: unknown }[]).some((d) => d.path === '/body/applicantId')
          : false
        if (applicantProblem) setApplicantError(t('window.applicantPattern'))
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
    if (!checkApplicant()) throw new Error(t('window.applicantFirst'))
    return api.uploadAttachment(file, file.name, type, applicantId.trim(), { quiet: true })
  }

  const next = () => {
    setCreated(null)
    setData({})
    setApplicantId('')
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
              <Button type="primary" onClick={next} data-testid="window-next">
                {t('window.another')}
              </Button>
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
                  <Form.Item
                    label={t('window.applicant')}
                    required
                    validateStatus={applicantError ? 'error' : undefined}
                    help={applicantError ?? undefined}
                  >
                    <Input
                      ref={applicantInput}
                      prefix={<UserOutlined />}
                      value={applicantId}
                      placeholder={t('window.applicantPlaceholder')}
                      onChange={(e) => {
                        setApplicantId(e.target.value)
                        setApplicantError(null)
                      }}
                      onBlur={() => applicantId && checkApplicant()}
                      data-testid="window-applicant"
                    />
                  </Form.Item>
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
