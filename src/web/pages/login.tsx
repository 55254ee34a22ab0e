/** Sign-in page: product name, username/password form, language switch. */
import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { ApiError, api } from '../api.js'
import type { Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { LangSwitch } from '../components/lang-switch.js'
import { Logo } from '../components/logo.js'

interface LoginForm {
  username: string
  password: string
}

export function LoginPage({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const { t, describeError } = useI18n()
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (values: LoginForm) => {
    setSubmitting(true)
    setError(null)
    try {
      const { user } = await api.login(values.username.trim(), values.password)
      onLoggedIn(user)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INVALID_CREDENTIALS') setError(t('login.invalid'))
      else if (e instanceof ApiError && (e.status === 429 || e.code === 'RATE_LIMITED'))
        setError(t('login.rateLimited'))
      else if (e instanceof ApiError) setError(describeError(e))
      else setError(t('login.failed'))
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <div className="xzt-login">
      <div className="xzt-login-lang">
        <LangSwitch ghost />
      </div>
      <div className="xzt-login-inner">
        <div className="xzt-login-brand">
          <Logo size={56} />
          <div>
            <h1 className="xzt-login-title">{t('app.name')}</h1>
            <div className="xzt-login-subtitle">{t('app.subtitle')}</div>
            <div className="xzt-login-slogan">{t('app.slogan')}</div>
          </div>
        </div>
        <Card className="xzt-login-card" title={t('login.title')}>
          {error && (
            <Alert
              type="error"
              showIcon
              title={error}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          )}
          <Form<LoginForm>
            layout="vertical"
            size="large"
            onFinish={(values) => void submit(values)}
            requiredMark={false}
            autoComplete="on"
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        <Typography.Text className="xzt-login-footer">{t('app.footer')}</Typography.Text>
      </div>
    </div>
  )
}
