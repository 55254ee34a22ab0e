/**
 * The reason a staff member writes with a decision (returning an appeal, contesting a chain link,
 * deciding a contest, a rectification's call-back, measures or contest): a required text area with a
 * character counter up to the server's limit, sent with Ctrl+Enter (⌘+Enter on a Mac) like the
 * dialog's own button.
 * @module
 */
import { Form, Input } from 'antd'
import { useI18n } from '../i18n.js'

/** The longest reason the server takes (appeals' and chains' `MAX_REASON_LENGTH`). */
export const MAX_REASON_LENGTH = 1000

export function ReasonField({
  label,
  value,
  onChange,
  onSubmit,
  error,
  maxLength = MAX_REASON_LENGTH,
  rows = 3,
  autoFocus = false,
  testId,
}: {
  label: string
  value: string
  onChange: (value: string) => void
  /** Ctrl+Enter: what the dialog's submit button does (it checks the reason itself). */
  onSubmit: () => void
  /** `true`: the reason is missing (请填写理由); a string: that message instead. */
  error?: boolean | string | null
  maxLength?: number
  rows?: number
  autoFocus?: boolean
  testId: string
}) {
  const { t } = useI18n()
  const message = error === true ? t('appealsStaff.reasonRequired') : error || undefined
  return (
    <Form.Item label={label} required validateStatus={message ? 'error' : undefined} help={message}>
      <Input.TextArea
        rows={rows}
        maxLength={maxLength}
        showCount
        autoFocus={autoFocus}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit()
        }}
        data-testid={testId}
      />
    </Form.Item>
  )
}
