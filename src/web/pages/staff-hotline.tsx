/**
 * 12345 热线登记, the fast entry form of hotline operators (and window clerks, filing for the citizen
 * in front of them): one screen, typed top to bottom while on the phone: the caller's number and name,
 * the kind (arrow keys), the two-level category (type to search), what they say, and where (a region,
 * or the number of the case it is about). Ctrl+Enter files it; the answer says where it went (the
 * department, both deadlines, the routing rule) and the form is empty for the next call. Beside it,
 * today's calls with their status, and the call-back (回访) that records a caller's satisfaction.
 * @module
 */
import { useEffect, useRef, useState } from 'react'
import type { KeyboardEvent } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Cascader,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Radio,
  Row,
  Segmented,
  Space,
  Tag,
  Typography,
} from 'antd'
import type { InputRef } from 'antd'
import { ClearOutlined, PhoneOutlined, ReloadOutlined, SendOutlined, SmileOutlined } from '@ant-design/icons'
import { APPEAL_KINDS } from '../../shared/domain.js'
import type { AppealKind } from '../../shared/domain.js'
import { ApiError, fieldErrors } from '../api.js'
import type { Me } from '../api.js'
import { appealsApi } from '../appeals-api.js'
import type { AppealSummary, AppealView } from '../appeals-api.js'
import { takesCallsFirst } from '../access.js'
import { useI18n } from '../i18n.js'
import { usePhone } from '../responsive.js'
import { RegionCascader } from '../components/region-cascader.js'
import { Countdown, useNow } from '../components/cases/case-common.js'
import { AppealDetail, RateModal } from '../components/appeals-staff/appeal-detail.js'
import {
  AppealStatusTag,
  KindTag,
  RuleName,
  Shortcut,
  categoryName,
  categoryOptions,
  policyVersionName,
  usePolicy,
} from '../components/appeals-staff/labels.js'

type Channel = 'hotline' | 'window'
type Place = 'region' | 'case'

const DAY = 86_400_000
const BEIJING = 8 * 3_600_000

/** Whether two instants fall on the same Beijing date. */
function sameBeijingDay(a: number, b: number): boolean {
  return Math.floor((a + BEIJING) / DAY) === Math.floor((b + BEIJING) / DAY)
}

interface Draft {
  phone: string
  name: string
  kind: AppealKind
  category: string[]
  text: string
  place: Place
  region: string[]
  caseId: string
}

function emptyDraft(place: Place = 'region'): Draft {
  return { phone: '', name: '', kind: 'complaint', category: [], text: '', place, region: [], caseId: '' }
}

type Errors = Partial<Record<'caller' | 'category' | 'text' | 'region' | 'caseId', string>>

/** Where the last call went. */
function FiledResult({ appeal, onOpen }: { appeal: AppealView; onOpen: () => void }) {
  const i18n = useI18n()
  const { t, formatDateMinute } = i18n
  const now = useNow(30_000)
  const routing = usePolicy(appeal.routing.policy)
  return (
    <Alert
      type="success"
      showIcon
      data-testid="hotline-result"
      title={t('appealsStaff.hotline.filed', { department: appeal.department.name })}
      description={
        <Descriptions
          size="small"
          column={1}
          className="xzt-hotline-result"
          items={[
            {
              key: 'department',
              label: t('appealsStaff.field.department'),
              children: (
                <Typography.Text strong data-testid="hotline-result-department">
                  {appeal.department.name}
                </Typography.Text>
              ),
            },
            {
              key: 'rule',
              label: t('appealsStaff.field.rule'),
              children: (
                <Space size={4} wrap>
                  <RuleName policy={routing} ruleId={appeal.routing.rule} testId="hotline-result-rule" />
                  <Tag>{policyVersionName(t, appeal.routing.policy)}</Tag>
                </Space>
              ),
            },
            {
              key: 'respond',
              label: t('appealsStaff.field.respondDue'),
              children: (
                <Space size={4} wrap>
                  {formatDateMinute(appeal.respondDueAt)}
                  <Countdown dueAt={appeal.respondDueAt} now={now} />
                </Space>
              ),
            },
            {
              key: 'resolve',
              label: t('appealsStaff.field.resolveDue'),
              children: (
                <Space size={4} wrap>
                  {formatDateMinute(appeal.resolveDueAt)}
                  <Countdown dueAt={appeal.resolveDueAt} now={now} />
                </Space>
              ),
            },
            {
              key: 'id',
              label: t('appealsStaff.field.number'),
              children: (
                <Space size={4}>
                  <Typography.Text className="xzt-mono" copyable={{ text: appeal.id }}>
                    {appeal.id.slice(0, 8)}
                  </Typography.Text>
                  <Button size="small" type="link" onClick={onOpen} data-testid="hotline-result-open">
                    {t('appealsStaff.hotline.openFiled')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      }
    />
  )
}

export function HotlinePage({ me, canAudit }: { me: Me; canAudit: boolean }) {
  const i18n = useI18n()
  const { t, formatTime, describeError } = i18n
  const { message } = AntApp.useApp()
  const phone = usePhone()
  const [channel, setChannel] = useState<Channel>(takesCallsFirst(me) ? 'hotline' : 'window')
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const [errors, setErrors] = useState<Errors>({})
  const [busy, setBusy] = useState(false)
  const [filed, setFiled] = useState<AppealView | null>(null)
  const [calls, setCalls] = useState<AppealSummary[] | null>(null)
  const [reload, setReload] = useState(0)
  const [opened, setOpened] = useState<string | null>(null)
  const [rating, setRating] = useState<string | null>(null)
  const first = useRef<InputRef>(null)
  // "Today" is the platform's day: with a manual clock, the calls it stamped, not the browser's date.
  const now = useNow(60_000)

  useEffect(() => {
    const controller = new AbortController()
    appealsApi.list({ scope: 'filed', limit: 200 }, { signal: controller.signal, quiet: true }).then(
      (page) => setCalls(page.items),
      () => setCalls((c) => c ?? []),
    )
    return () => controller.abort()
  }, [reload])

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setErrors((e) => {
      const next = { ...e }
      if (key === 'phone' || key === 'name') delete next.caller
      if (key === 'region') delete next.region
      delete next[key as keyof Errors]
      return next
    })
  }

  const validate = (): Errors => {
    const e: Errors = {}
    if (!draft.phone.trim() && !draft.name.trim()) e.caller = t('appealsStaff.hotline.callerRequired')
    else if (draft.phone.trim() && !/^[0-9+\- ]{3,20}$/.test(draft.phone.trim()))
      e.caller = t('appealsStaff.hotline.phoneInvalid')
    if (draft.category.length !== 2) e.category = t('appealsStaff.hotline.categoryRequired')
    if (!draft.text.trim()) e.text = t('appealsStaff.hotline.textRequired')
    if (draft.place === 'region' && draft.region.length === 0)
      e.region = t('appealsStaff.hotline.regionRequired')
    if (draft.place === 'case' && !/^[A-Za-z0-9_-]{1,80}$/.test(draft.caseId.trim()))
      e.caseId = t('appealsStaff.hotline.caseRequired')
    return e
  }

  const submit = async () => {
    const e = validate()
    setErrors(e)
    if (Object.keys(e).length > 0) return
    setBusy(true)
    const contact = {
      ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
      ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
    }
    try {
      const appeal = await appealsApi.file(
        {
          kind: draft.kind,
          category: draft.category.join('/'),
          text: draft.text.trim(),
          channel,
          contact,
          ...(draft.place === 'region'
            ? { regionCode: draft.region[draft.region.length - 1] }
            : { caseId: draft.caseId.trim() }),
        },
        { quiet: true },
      )
      setFiled(appeal)
      setDraft(emptyDraft(draft.place))
      setErrors({})
      setReload((n) => n + 1)
      void message.success({ content: t('appealsStaff.hotline.filedShort'), key: 'hotline-filed' })
      first.current?.focus()
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setErrors({ caseId: t('appealsStaff.hotline.caseNotFound') })
      } else if (err instanceof ApiError && err.status === 400) {
        const byField: Errors = {}
        for (const f of fieldErrors(err.details)) {
          if (f.field === 'contact') byField.caller = t('appealsStaff.hotline.callerRequired')
          if (f.field === 'regionCode') byField.region = t('appealsStaff.hotline.regionRequired')
          if (f.field === 'text') byField.text = t('appealsStaff.hotline.textRequired')
          if (f.field === 'category') byField.category = t('appealsStaff.hotline.categoryRequired')
        }
        setErrors(byField)
        void message.error({ content: describeError(err), key: 'hotline-failed' })
      } else if (err instanceof ApiError) {
        void message.error({ content: describeError(err), key: 'hotline-failed' })
      }
    } finally {
      setBusy(false)
    }
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      void submit()
    }
  }

  const today = (calls ?? []).filter((c) => sameBeijingDay(c.createdAt, now))
  const toCallBack = today.filter((c) => c.actions.includes('rate')).length

  const form = (
    <Card
      title={
        <Space>
          <PhoneOutlined />
          {t('appealsStaff.hotline.formTitle')}
        </Space>
      }
      extra={
        <Segmented<Channel>
          value={channel}
          onChange={setChannel}
          options={[
            { value: 'hotline', label: t('appealsStaff.channel.hotline') },
            { value: 'window', label: t('appealsStaff.channel.window') },
          ]}
          data-testid="hotline-channel"
        />
      }
      data-testid="hotline-form"
    >
      <Form layout="vertical" onKeyDown={onKeyDown} className="xzt-hotline-form">
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item
              label={t('appealsStaff.hotline.phone')}
              validateStatus={errors.caller ? 'error' : undefined}
              help={errors.caller}
            >
              <Input
                ref={first}
                autoFocus
                inputMode="tel"
                prefix={<PhoneOutlined />}
                value={draft.phone}
                maxLength={20}
                onChange={(e) => set('phone', e.target.value)}
                placeholder={t('appealsStaff.hotline.phonePlaceholder')}
                data-testid="hotline-phone"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('appealsStaff.hotline.name')}>
              <Input
                value={draft.name}
                maxLength={50}
                onChange={(e) => set('name', e.target.value)}
                placeholder={t('appealsStaff.hotline.namePlaceholder')}
                data-testid="hotline-name"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('appealsStaff.hotline.kind')} required>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={draft.kind}
            onChange={(e) => set('kind', e.target.value as AppealKind)}
            options={APPEAL_KINDS.filter((k) => k !== 'discrepancy').map((k) => ({
              value: k,
              label: t(`appealsStaff.kind.${k}`),
            }))}
            data-testid="hotline-kind"
          />
        </Form.Item>
        <Form.Item
          label={t('appealsStaff.hotline.category')}
          required
          validateStatus={errors.category ? 'error' : undefined}
          help={errors.category}
        >
          <Cascader
            options={categoryOptions(i18n)}
            value={draft.category}
            onChange={(v) => set('category', (v ?? []).map(String))}
            showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
            expandTrigger="hover"
            placeholder={t('appealsStaff.hotline.categoryPlaceholder')}
            displayRender={(labels) => labels.join(' / ')}
            style={{ width: '100%' }}
            data-testid="hotline-category"
          />
        </Form.Item>
        <Form.Item
          label={t('appealsStaff.hotline.text')}
          required
          validateStatus={errors.text ? 'error' : undefined}
          help={errors.text}
        >
          <Input.TextArea
            rows={phone ? 4 : 5}
            maxLength={4000}
            showCount
            value={draft.text}
            onChange={(e) => set('text', e.target.value)}
            placeholder={t('appealsStaff.hotline.textPlaceholder')}
            data-testid="hotline-text"
          />
        </Form.Item>
        <Form.Item
          label={
            <Space size={8}>
              {t('appealsStaff.hotline.where')}
              <Segmented<Place>
                size="small"
                value={draft.place}
                onChange={(v) => set('place', v)}
                options={[
                  { value: 'region', label: t('appealsStaff.hotline.byRegion') },
                  { value: 'case', label: t('appealsStaff.hotline.byCase') },
                ]}
                data-testid="hotline-place"
              />
            </Space>
          }
          required
          validateStatus={errors.region || errors.caseId ? 'error' : undefined}
          help={
            errors.region ??
            errors.caseId ??
            (draft.place === 'case' ? t('appealsStaff.hotline.caseHint') : undefined)
          }
        >
          {draft.place === 'region' ? (
            <div data-testid="hotline-region" className="xzt-hotline-region">
              <RegionCascader
                rootCode={me.regionCode}
                value={draft.region}
                onChange={(p) => set('region', p)}
              />
            </div>
          ) : (
            <Input
              value={draft.caseId}
              onChange={(e) => set('caseId', e.target.value)}
              placeholder={t('appealsStaff.hotline.casePlaceholder')}
              className="xzt-mono"
              data-testid="hotline-case"
            />
          )}
        </Form.Item>
        <div className="xzt-hotline-actions">
          <Button
            type="primary"
            size="large"
            icon={<SendOutlined />}
            loading={busy}
            onClick={() => void submit()}
            data-testid="hotline-submit"
          >
            {t('appealsStaff.hotline.submit')}
          </Button>
          <Button
            size="large"
            icon={<ClearOutlined />}
            onClick={() => {
              setDraft(emptyDraft(draft.place))
              setErrors({})
              first.current?.focus()
            }}
            data-testid="hotline-clear"
          >
            {t('appealsStaff.hotline.clear')}
          </Button>
          <Typography.Text type="secondary">
            <Shortcut what={t('appealsStaff.hotline.keys')} />
          </Typography.Text>
        </div>
      </Form>
    </Card>
  )

  const callsCard = (
    <Card
      title={t('appealsStaff.hotline.today', { n: today.length })}
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={() => setReload((n) => n + 1)}>
          {t('common.refresh')}
        </Button>
      }
      data-testid="hotline-calls"
      styles={{ body: { paddingBlock: 4 } }}
    >
      {toCallBack > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ margin: '8px 0' }}
          title={t('appealsStaff.hotline.callBacks', { n: toCallBack })}
        />
      )}
      <List
        size="small"
        loading={calls === null}
        dataSource={today}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appealsStaff.hotline.noCalls')} />
          ),
        }}
        renderItem={(c) => (
          <List.Item
            data-testid="hotline-call"
            data-appeal={c.id}
            actions={[
              ...(c.actions.includes('rate')
                ? [
                    <Button
                      key="rate"
                      size="small"
                      type="primary"
                      icon={<SmileOutlined />}
                      onClick={() => setRating(c.id)}
                      data-testid="hotline-call-rate"
                    >
                      {t('appealsStaff.rate.open')}
                    </Button>,
                  ]
                : []),
              <Button key="open" size="small" onClick={() => setOpened(c.id)} data-testid="hotline-call-open">
                {t('appealsStaff.hotline.open')}
              </Button>,
            ]}
          >
            <div className="xzt-hotline-call">
              <Space size={4} wrap>
                <Typography.Text type="secondary">{formatTime(c.createdAt).slice(0, 5)}</Typography.Text>
                <KindTag kind={c.kind} />
                <Typography.Text>{categoryName(i18n, c.category)}</Typography.Text>
                <AppealStatusTag status={c.status} />
              </Space>
              <Typography.Text type="secondary" ellipsis className="xzt-hotline-call-line">
                {c.department.name} · {c.text}
              </Typography.Text>
            </div>
          </List.Item>
        )}
      />
    </Card>
  )

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="hotline-page">
      <Card size="small" className="xzt-page-head">
        <div className="xzt-page-head-text">
          <Typography.Title level={4} className="xzt-page-title">
            <PhoneOutlined /> {t('appealsStaff.hotline.title')}
            {me.departmentName && (
              <Typography.Text type="secondary" className="xzt-page-title-sub">
                {me.departmentName}
              </Typography.Text>
            )}
          </Typography.Title>
          <Typography.Text type="secondary">{t('appealsStaff.hotline.intro')}</Typography.Text>
        </div>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          {form}
        </Col>
        <Col xs={24} xl={10}>
          {/* Where the last call went sits beside the form, so the form never moves between calls. */}
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {filed && <FiledResult appeal={filed} onOpen={() => setOpened(filed.id)} />}
            {callsCard}
          </Space>
        </Col>
      </Row>
      <Drawer
        open={opened !== null}
        onClose={() => setOpened(null)}
        size={phone ? '100%' : 'min(1280px, 94vw)'}
        title={t('appealsStaff.detail.title')}
        destroyOnHidden
        styles={{ body: { padding: phone ? 12 : 20 } }}
      >
        {opened && (
          <AppealDetail
            key={opened}
            id={opened}
            me={me}
            canAudit={canAudit}
            onChanged={() => setReload((n) => n + 1)}
            onClose={() => setOpened(null)}
          />
        )}
      </Drawer>
      {rating && (
        <RateModal
          appealId={rating}
          onClose={() => setRating(null)}
          onDone={() => {
            setRating(null)
            setReload((n) => n + 1)
          }}
        />
      )}
    </Space>
  )
}
