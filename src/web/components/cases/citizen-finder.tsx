/**
 * Who the window is serving (办事群众): the clerk types the citizen's full identity number (from the card
 * they hand over) or full name, picks them among masked matches (张*三 · 4301**********1234 · 古源街道),
 * or registers them on the spot when they have no account yet. Every look-up is recorded by the server
 * and shown to the citizen, which the clerk is told. The clerk never sees or types an internal account id.
 */
import { useState } from 'react'
import { Alert, App as AntApp, Button, Empty, Form, Input, List, Modal, Space, Tag, Typography } from 'antd'
import {
  IdcardOutlined,
  SearchOutlined,
  SwapOutlined,
  UserAddOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { isValidIdNumber } from '../../../shared/idnumber.js'
import { ApiError, api, fieldErrors } from '../../api.js'
import type { CitizenMatch } from '../../api.js'
import { useI18n } from '../../i18n.js'
import type { Translate } from '../../i18n.js'

const ID_SHAPE = /^\d{17}[\dXx]$/
const NAME = /^[\p{Script=Han}·]{2,20}$/u
const MOBILE = /^1\d{10}$/

/** What is wrong with a query before it is sent, or null. */
function queryProblem(q: string, t: Translate): string | null {
  if (!q) return t('finder.queryRequired')
  if (ID_SHAPE.test(q)) return isValidIdNumber(q.toUpperCase()) ? null : t('finder.idInvalid')
  return NAME.test(q) ? null : t('finder.queryPattern')
}

function MatchLine({ match }: { match: CitizenMatch }) {
  const { t } = useI18n()
  return (
    <Space size={[8, 2]} wrap className="xzt-citizen-match">
      <Typography.Text strong className="xzt-citizen-name">
        {match.nameMasked}
      </Typography.Text>
      <Tag>{t(match.gender === 'M' ? 'finder.male' : 'finder.female')}</Tag>
      <span className="xzt-mono">{match.idNumberMasked}</span>
      <Typography.Text type="secondary">
        {match.regionName} · {match.phoneMasked}
      </Typography.Text>
    </Space>
  )
}

interface RegisterValues {
  idNumber: string
  name: string
  phone: string
}

function RegisterModal({
  initial,
  onClose,
  onRegistered,
}: {
  initial: Partial<RegisterValues>
  onClose: () => void
  onRegistered: (m: CitizenMatch, typed: TypedIdentity) => void
}) {
  const { t, describeError } = useI18n()
  const [form] = Form.useForm<RegisterValues>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const submit = async (values: RegisterValues) => {
    setSaving(true)
    setProblem(null)
    try {
      const typed = {
        idNumber: values.idNumber.trim().toUpperCase(),
        name: values.name.trim(),
        phone: values.phone.trim(),
      }
      const created = await api.registerCitizen(typed, { quiet: true })
      onRegistered(created, typed)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') setProblem(t('finder.alreadyRegistered'))
      else if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        const fields = new Set(fieldErrors(e.details).map((f) => f.field))
        form.setFields(
          (['idNumber', 'name', 'phone'] as const)
            .filter((f) => fields.has(f))
            .map((f) => ({ name: f, errors: [t(`finder.invalid.${f}`)] })),
        )
        setProblem(describeError(e))
      } else if (e instanceof ApiError) setProblem(describeError(e))
      setSaving(false)
    }
  }

  return (
    <Modal
      open
      title={
        <Space>
          <UserAddOutlined />
          {t('finder.registerTitle')}
        </Space>
      }
      okText={t('finder.registerSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'register-submit' }}
      destroyOnHidden
    >
      <Form<RegisterValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void submit(v)}
        data-testid="register-form"
      >
        <Alert type="info" showIcon title={t('finder.registerHint')} style={{ marginBottom: 16 }} />
        <Form.Item
          name="idNumber"
          label={t('finder.idNumber')}
          rules={[
            { required: true, message: t('finder.invalid.idNumber') },
            {
              validator: (_, v: string | undefined) =>
                !v || isValidIdNumber(v.trim().toUpperCase())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('finder.invalid.idNumber'))),
            },
          ]}
        >
          <Input
            prefix={<IdcardOutlined />}
            maxLength={18}
            inputMode="text"
            data-testid="register-idNumber"
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('finder.name')}
          rules={[{ required: true, pattern: NAME, message: t('finder.invalid.name') }]}
        >
          <Input prefix={<UserOutlined />} maxLength={20} data-testid="register-name" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('finder.phone')}
          rules={[{ required: true, pattern: MOBILE, message: t('finder.invalid.phone') }]}
        >
          <Input maxLength={11} inputMode="numeric" data-testid="register-phone" />
        </Form.Item>
        {problem && <Alert type="error" showIcon title={problem} data-testid="register-problem" />}
      </Form>
    </Modal>
  )
}

/**
 * @param value the citizen chosen, or null
 * @param error a problem to show under the field (e.g. "choose the citizen first")
 */
/** What the clerk typed about the chosen citizen (never what the server masked). */
export interface TypedIdentity {
  idNumber?: string
  name?: string
  phone?: string
}

export function CitizenFinder({
  value,
  onChange,
  error,
}: {
  value: CitizenMatch | null
  /** The chosen citizen, with what the clerk typed (to fill the form's applicant fields). */
  onChange: (m: CitizenMatch | null, typed?: TypedIdentity) => void
  error?: string | null
}) {
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [query, setQuery] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [searching, setSearching] = useState(false)
  const [results, setResults] = useState<CitizenMatch[] | null>(null)
  const [registering, setRegistering] = useState(false)

  const search = async () => {
    const q = query.trim().replace(/\s+/g, '')
    const p = queryProblem(q, t)
    setProblem(p)
    if (p) return
    setSearching(true)
    try {
      const found = await api.findCitizens(q, { quiet: true })
      setResults(found)
      const typed: TypedIdentity = ID_SHAPE.test(q) ? { idNumber: q.toUpperCase() } : {}
      if (found.length === 1) onChange(found[0]!, typed)
    } catch (e) {
      if (e instanceof ApiError) setProblem(describeError(e))
    } finally {
      setSearching(false)
    }
  }

  if (value) {
    return (
      <div className="xzt-citizen-chosen" data-testid="citizen-chosen" data-citizen={value.id}>
        <UserOutlined className="xzt-citizen-chosen-icon" />
        <MatchLine match={value} />
        <Button
          icon={<SwapOutlined />}
          onClick={() => {
            onChange(null)
            setResults(null)
          }}
          data-testid="citizen-change"
        >
          {t('finder.change')}
        </Button>
      </div>
    )
  }

  const q = query.trim()
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="citizen-finder">
      <Form.Item
        validateStatus={problem || error ? 'error' : undefined}
        help={problem ?? error ?? t('finder.help')}
        style={{ marginBottom: 0 }}
      >
        <Space.Compact style={{ width: '100%' }}>
          <Input
            size="large"
            prefix={<IdcardOutlined />}
            value={query}
            allowClear
            placeholder={t('finder.placeholder')}
            onChange={(e) => {
              setQuery(e.target.value)
              setProblem(null)
            }}
            onPressEnter={() => void search()}
            data-testid="citizen-query"
          />
          <Button
            size="large"
            type="primary"
            icon={<SearchOutlined />}
            loading={searching}
            onClick={() => void search()}
            data-testid="citizen-search"
          >
            {t('finder.search')}
          </Button>
        </Space.Compact>
      </Form.Item>
      {results && results.length > 1 && (
        <List<CitizenMatch>
          size="small"
          bordered
          dataSource={results}
          header={t('finder.several', { n: results.length })}
          data-testid="citizen-results"
          renderItem={(m) => (
            <List.Item
              actions={[
                <Button
                  key="pick"
                  type="primary"
                  onClick={() => onChange(m)}
                  data-testid={`citizen-pick-${m.id}`}
                >
                  {t('finder.pick')}
                </Button>,
              ]}
            >
              <MatchLine match={m} />
            </List.Item>
          )}
        />
      )}
      {results && results.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finder.none')} data-testid="citizen-none">
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            onClick={() => setRegistering(true)}
            data-testid="citizen-register-open"
          >
            {t('finder.register')}
          </Button>
        </Empty>
      )}
      {!results && (
        <Button
          type="link"
          icon={<UserAddOutlined />}
          onClick={() => setRegistering(true)}
          className="xzt-finder-register-link"
          data-testid="citizen-register-link"
        >
          {t('finder.notRegistered')}
        </Button>
      )}
      {registering && (
        <RegisterModal
          initial={ID_SHAPE.test(q) ? { idNumber: q.toUpperCase() } : NAME.test(q) ? { name: q } : {}}
          onClose={() => setRegistering(false)}
          onRegistered={(m, typed) => {
            setRegistering(false)
            setResults([m])
            onChange(m, typed)
            void message.success({
              content: t('finder.registered', { name: m.nameMasked }),
              key: 'registered',
            })
          }}
        />
      )}
    </Space>
  )
}
