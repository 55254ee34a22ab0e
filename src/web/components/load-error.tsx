/**
 * The one "could not load" state of every page: a 404 or error result with the server's message, a
 * retry button and, optionally, a way back.
 */
import { Button, Result, Space } from 'antd'
import { ApiError } from '../api.js'
import { useI18n } from '../i18n.js'

export function LoadError({
  title,
  error,
  onRetry,
  back,
}: {
  title: string
  error: unknown
  onRetry: () => void
  back?: { label: string; onClick: () => void }
}) {
  const { t, describeError } = useI18n()
  const retry = (
    <Button type="primary" onClick={onRetry}>
      {t('common.retry')}
    </Button>
  )
  return (
    <Result
      status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
      title={title}
      subTitle={error instanceof ApiError ? describeError(error) : undefined}
      extra={
        back ? (
          <Space>
            <Button onClick={back.onClick}>{back.label}</Button>
            {retry}
          </Space>
        ) : (
          retry
        )
      }
    />
  )
}
