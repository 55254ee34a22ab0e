/**
 * Apply online (在线申办), citizens: the matter's one form, prefilled with what the government already
 * holds (each value with its source), the materials (what departments fetch themselves, what to
 * upload), and one submission. Server-side validation errors land on the fields they name; success
 * goes to the new case.
 */
import { useEffect, useState } from 'react'
import { Alert, App as AntApp, Button, Card, Col, Result, Row, Skeleton, Space, Tag, Typography } from 'antd'
import {
  ArrowLeftOutlined,
  ClockCircleOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
} from '@ant-design/icons'
import { canApply, canSeeWindow } from '../access.js'
import { ApiError, api, formDataErrors } from '../api.js'
import type { MatterDetail, Me, PrefillResult } from '../api.js'
import { useI18n } from '../i18n.js'
import { linkProps, navigate } from '../router.js'
import { countLeaves } from '../forms.js'
import type { FormData } from '../forms.js'
import { LazyMatterForm } from '../components/cases/lazy-form.js'
import type { ServerFieldError } from '../components/cases/lazy-form.js'
import { MaterialsList, MatterTags, matterName } from './services.js'
import { LoadError } from '../components/load-error.js'

interface Loaded {
  matter: MatterDetail
  prefill: PrefillResult | null
}

export function ApplyPage({ me, code }: { me: Me; code: string }) {
  const i18n = useI18n()
  const { t, describeError } = i18n
  const { message } = AntApp.useApp()
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [reload, setReload] = useState(0)
  const [data, setData] = useState<FormData>({})
  const [serverErrors, setServerErrors] = useState<ServerFieldError[]>([])
  const [submitting, setSubmitting] = useState(false)
  const applies = canApply(me)

  useEffect(() => {
    if (!applies) return
    const controller = new AbortController()
    const o = { signal: controller.signal, quiet: true }
    setError(null)
    Promise.all([
      api.matter(code, undefined, o),
      api.prefill(code, o).catch((e: unknown) => {
        if (controller.signal.aborted) throw e
        return null
      }),
    ]).then(
      ([matter, prefill]) => {
        setLoaded({ matter, prefill })
        setData(prefill?.data ?? {})
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e)
      },
    )
    return () => controller.abort()
  }, [code, reload, applies])

  if (!applies) {
    return (
      <Result
        status="403"
        title={t('apply.citizenOnly')}
        extra={
          canSeeWindow(me) ? (
            <Button type="primary" onClick={() => navigate(`/window/${code}`)}>
              {t('services.applyWindow')}
            </Button>
          ) : undefined
        }
      />
    )
  }
  if (error) {
    return (
      <LoadError
        title={t('apply.loadFailed')}
        error={error}
        onRetry={() => setReload((n) => n + 1)}
        back={{ label: t('matter.back'), onClick: () => navigate('/services') }}
      />
    )
  }
  if (!loaded) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 12 }} />
      </Card>
    )
  }

  const { matter, prefill } = loaded
  const prefilledCount = prefill ? Object.keys(prefill.sources).length || countLeaves(prefill.data) : 0

  const submit = async (formData: FormData) => {
    setSubmitting(true)
    setServerErrors([])
    try {
      const created = await api.submitCase(
        { matterCode: matter.code, data: formData, channel: 'online' },
        { quiet: true },
      )
      void message.success({ content: t('apply.submitted'), key: 'apply-submitted' })
      navigate(`/cases/${created.id}`)
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && e.code === 'VALIDATION_FAILED') {
        setServerErrors(formDataErrors(e.details))
        void message.error({ content: t('apply.serverInvalid'), key: 'apply-invalid' })
      } else if (e instanceof ApiError) {
        void message.error({ content: describeError(e), key: 'apply-failed' })
      }
    } finally {
      setSubmitting(false)
    }
  }

  const schemaTitle = typeof matter.formSchema.title === 'string' ? matter.formSchema.title : null
  const schemaDescription =
    typeof matter.formSchema.description === 'string' ? matter.formSchema.description : null

  return (
    <div className="xzt-apply" data-testid="apply-page" data-matter={matter.code}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small" className="xzt-page-head">
          <a {...linkProps(`/services/${matter.code}`)} className="xzt-back-link">
            <ArrowLeftOutlined /> {t('services.guide')}
          </a>
          <Typography.Title level={4} className="xzt-page-title" data-testid="apply-title">
            {t('apply.title')} · {matterName(i18n, matter)}
          </Typography.Title>
          <Space size={[4, 4]} wrap>
            <Tag color="gold" icon={<ClockCircleOutlined />}>
              {t('apply.commitment', { n: matter.slaDays })}
            </Tag>
            <MatterTags matter={matter} />
          </Space>
        </Card>
        {prefill ? (
          prefilledCount > 0 && (
            <Alert
              type="success"
              showIcon
              icon={<SafetyCertificateOutlined />}
              title={t('apply.prefilled', { n: prefilledCount })}
              data-testid="prefill-banner"
            />
          )
        ) : (
          <Alert type="warning" showIcon title={t('apply.prefillFailed')} />
        )}
        <Row gutter={[16, 16]}>
          <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
            <Card size="small" title={t('matter.materials')} className="xzt-apply-side">
              <MaterialsList matter={matter} />
            </Card>
          </Col>
          <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
            {(schemaTitle || schemaDescription) && (
              <div className="xzt-form-head">
                {schemaTitle && (
                  <Typography.Title level={5} className="xzt-form-head-title">
                    {schemaTitle}
                  </Typography.Title>
                )}
                {schemaDescription && <Typography.Text type="secondary">{schemaDescription}</Typography.Text>}
              </div>
            )}
            <LazyMatterForm
              schema={matter.formSchema}
              formData={data}
              onChange={setData}
              onSubmit={(d) => void submit(d)}
              sources={prefill?.sources}
              serverErrors={serverErrors}
              submitting={submitting}
              submitLabel={t('apply.submit')}
              submitIcon={<SendOutlined />}
              testId="apply-form"
            />
          </Col>
        </Row>
      </Space>
    </div>
  )
}
