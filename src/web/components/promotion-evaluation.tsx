/**
 * One official's organisation evaluation (组织评价) in a drawer of the 晋升指数 page: the promotion
 * index's parts for the period, the score to enter or correct (0–100, with a comment), and every
 * revision entered so far, each with its ledger entry. Entering is for the organisation department
 * (`assessment.org_evaluate`); the server refuses one's own.
 * @module
 */
import { useCallback, useEffect, useState } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TableColumnsType } from 'antd'
import { EditOutlined } from '@ant-design/icons'
import { ApiError } from '../api.js'
import { useI18n } from '../i18n.js'
import { usePhone } from '../responsive.js'
import { PROMOTION_PARTS } from '../../shared/assessment.js'
import type { PromotionPart } from '../../shared/assessment.js'
import { promotionApi } from '../promotion-api.js'
import type { OrgEvaluation } from '../promotion-api.js'
import type { ScorecardRow } from '../assessment-api.js'
import { periodName } from './assessment-filters.js'
import { pick } from './policies/labels.js'

const MAX_COMMENT = 500

export function PartValue({ value }: { value: number | null | undefined }) {
  const { t } = useI18n()
  return value === null || value === undefined ? (
    <Tag data-testid="promotion-part-missing">{t('promo.part.missing')}</Tag>
  ) : (
    <span className="xzt-nowrap">{value.toFixed(1)}</span>
  )
}

export function EvaluationDrawer({
  row,
  period,
  mayEvaluate,
  onClose,
  onSaved,
}: {
  row: ScorecardRow | null
  period: string
  mayEvaluate: boolean
  onClose: () => void
  onSaved: () => void
}) {
  const { t, lang, formatDateTime, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const phone = usePhone()
  const [history, setHistory] = useState<OrgEvaluation[] | null>(null)
  const [historyError, setHistoryError] = useState<unknown>(null)
  const [score, setScore] = useState<number | null>(null)
  const [comment, setComment] = useState('')
  const [sending, setSending] = useState(false)
  const [refused, setRefused] = useState<string | null>(null)
  const staffId = row?.subject.id

  const load = useCallback(async () => {
    if (!staffId) return
    try {
      const list = await promotionApi.evaluations({ staffId }, { quiet: true })
      setHistory(list)
      setHistoryError(null)
      const latest = list.find((e) => e.period === period)
      setScore(latest?.score ?? null)
      setComment(latest?.comment ?? '')
    } catch (e) {
      setHistoryError(e)
    }
  }, [staffId, period])

  useEffect(() => {
    setHistory(null)
    setRefused(null)
    setScore(null)
    setComment('')
    void load()
  }, [load])

  const submit = async () => {
    if (!staffId || score === null) {
      setRefused(t('promo.eval.scoreRequired'))
      return
    }
    setSending(true)
    setRefused(null)
    try {
      const saved = await promotionApi.evaluate({
        staffId,
        period,
        score,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      })
      void message.success({
        content: t('promo.eval.saved', { name: saved.staffName, revision: saved.revision }),
        key: 'org-evaluation-saved',
      })
      await load()
      onSaved()
    } catch (e) {
      setRefused(e instanceof ApiError ? describeError(e) : t('error.network'))
    } finally {
      setSending(false)
    }
  }

  const columns: TableColumnsType<OrgEvaluation> = [
    {
      title: t('promo.eval.col.period'),
      key: 'period',
      render: (_, e) => (
        <span className="xzt-nowrap">
          {periodName(e.period, t)}
          {e.period === period && (
            <Tag color="blue" style={{ marginInlineStart: 6 }}>
              {t('promo.eval.thisPeriod')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('promo.eval.col.score'), key: 'score', render: (_, e) => <strong>{e.score}</strong> },
    {
      title: t('promo.eval.col.revision'),
      key: 'revision',
      render: (_, e) => t('promo.eval.revisionN', { n: e.revision }),
    },
    {
      title: t('promo.eval.col.enteredAt'),
      key: 'enteredAt',
      render: (_, e) => <span className="xzt-nowrap">{formatDateTime(e.enteredAt)}</span>,
    },
    { title: t('promo.eval.col.comment'), key: 'comment', render: (_, e) => e.comment ?? '' },
    {
      title: t('promo.eval.col.ledger'),
      key: 'ledger',
      render: (_, e) => (
        <span className="xzt-mono xzt-nowrap">
          {e.ledger.log} #{e.ledger.index}
        </span>
      ),
    },
  ]

  const parts = Object.keys(PROMOTION_PARTS) as PromotionPart[]

  return (
    <Drawer
      open={row !== null}
      onClose={onClose}
      size={phone ? '100%' : 'min(760px, 94vw)'}
      title={row ? t('promo.eval.title', { name: row.subject.name }) : ''}
      data-testid="evaluation-drawer"
      destroyOnHidden
    >
      {row && (
        <>
          <Descriptions
            size="small"
            column={phone ? 1 : 2}
            bordered
            items={[
              { key: 'period', label: t('promo.period'), children: periodName(period, t) },
              {
                key: 'index',
                label: t('promo.col.index'),
                children: <PartValue value={row.promotionIndex} />,
              },
              ...parts.map((p) => ({
                key: p,
                label: pick(PROMOTION_PARTS[p], lang),
                children: <PartValue value={row.promotionParts?.[p]} />,
              })),
            ]}
          />
          {mayEvaluate && (
            <Form layout="vertical" component="div" style={{ marginTop: 16 }} data-testid="evaluation-form">
              <Typography.Title level={5}>
                {t('promo.eval.enter', { period: periodName(period, t) })}
              </Typography.Title>
              <Form.Item label={t('promo.eval.score')} help={t('promo.eval.scoreHint')} required>
                <InputNumber
                  min={0}
                  max={100}
                  step={1}
                  precision={1}
                  value={score}
                  onChange={(v) => setScore(typeof v === 'number' ? v : null)}
                  size="large"
                  style={{ width: 160 }}
                  data-testid="evaluation-score"
                />
              </Form.Item>
              <Form.Item label={t('promo.eval.comment')}>
                <Input.TextArea
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  maxLength={MAX_COMMENT}
                  showCount
                  autoSize={{ minRows: 2, maxRows: 5 }}
                  placeholder={t('promo.eval.commentPlaceholder')}
                  data-testid="evaluation-comment"
                />
              </Form.Item>
              {refused && (
                <Alert
                  type="error"
                  showIcon
                  title={refused}
                  style={{ marginBottom: 12 }}
                  data-testid="evaluation-refused"
                />
              )}
              <Button
                type="primary"
                size="large"
                icon={<EditOutlined />}
                loading={sending}
                onClick={() => void submit()}
                data-testid="evaluation-submit"
              >
                {history?.some((e) => e.period === period) ? t('promo.eval.correct') : t('promo.eval.submit')}
              </Button>
            </Form>
          )}
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('promo.eval.history')}
          </Typography.Title>
          {historyError ? (
            <Alert type="error" showIcon title={t('promo.eval.historyFailed')} />
          ) : (
            <Table<OrgEvaluation>
              rowKey={(e) => `${e.period}-${e.revision}`}
              size="small"
              loading={history === null}
              columns={columns}
              dataSource={history ?? []}
              pagination={false}
              scroll={{ x: true }}
              locale={{ emptyText: t('promo.eval.none') }}
              data-testid="evaluation-history"
            />
          )}
        </>
      )}
    </Drawer>
  )
}
