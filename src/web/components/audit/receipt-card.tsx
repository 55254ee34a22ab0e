/**
 * Receipt verification: paste, upload (read locally) or fetch a c2sp.org/tlog-proof receipt, verify it
 * with the server against the published keys, and show what it proves or why it fails.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import {
  App as AntApp,
  Button,
  Card,
  Collapse,
  Descriptions,
  Input,
  Result,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd'
import {
  CheckCircleOutlined,
  DownloadOutlined,
  SafetyCertificateOutlined,
  UploadOutlined,
} from '@ant-design/icons'
import { ApiError, api } from '../../api.js'
import type { LedgerLog, ReceiptVerification } from '../../api.js'
import { useI18n } from '../../i18n.js'
import {
  isProvinceLog,
  pretty,
  CodeBlock,
  leafItems,
  SectionTitle,
  LogIndexPicker,
  useEntryTarget,
} from './audit-common.js'
import type { Target } from './audit-common.js'

type VerifyState =
  | { status: 'idle' }
  | { status: 'verifying' }
  | { status: 'ok'; result: ReceiptVerification }
  | { status: 'fail'; message: string }

export function ReceiptCard({
  logs,
  names,
  target,
  onLedgerChanged,
}: {
  logs: LedgerLog[]
  names: Map<string, string>
  target: Target | null
  /** A receipt may make the server sign a checkpoint on demand. */
  onLedgerChanged: () => void
}) {
  const i18n = useI18n()
  const { t, formatNumber, describeError } = i18n
  const { message } = AntApp.useApp()
  const [log, setLog] = useState<string | null>(null)
  const [index, setIndex] = useState<number | null>(null)
  const [fetching, setFetching] = useState(false)
  const [fetched, setFetched] = useState<{ log: string; index: number; text: string } | null>(null)
  const [downloadUrl, setDownloadUrl] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [keys, setKeys] = useState('')
  const [state, setState] = useState<VerifyState>({ status: 'idle' })
  const onChangedRef = useRef(onLedgerChanged)
  onChangedRef.current = onLedgerChanged

  useEffect(() => {
    if (log === null && logs[0]) setLog(logs.find((l) => !isProvinceLog(l.id))?.id ?? logs[0].id)
  }, [logs, log])

  useEffect(() => {
    if (!fetched) {
      setDownloadUrl(null)
      return
    }
    const url = URL.createObjectURL(new Blob([fetched.text], { type: 'text/plain;charset=utf-8' }))
    setDownloadUrl(url)
    return () => URL.revokeObjectURL(url)
  }, [fetched])

  const changeText = (value: string) => {
    setText(value)
    setState({ status: 'idle' })
  }

  const fetchReceipt = useCallback(async (forLog: string, forIndex: number) => {
    setFetching(true)
    try {
      const receipt = await api.ledgerReceipt(forLog, forIndex)
      setFetched({ log: forLog, index: forIndex, text: receipt })
      setText(receipt)
      setState({ status: 'idle' })
      onChangedRef.current()
    } catch {
      // Shown by the global error notifier.
    } finally {
      setFetching(false)
    }
  }, [])

  const jump = useCallback(
    (log: string, index: number) => {
      setLog(log)
      setIndex(index)
      void fetchReceipt(log, index)
    },
    [fetchReceipt],
  )
  useEntryTarget(target, jump)

  const verify = async () => {
    // Receipts saved on Windows may have CRLF line ends; the format is LF-only.
    const receipt = text.replace(/\r\n?/g, '\n').trim()
    if (!receipt) {
      void message.warning(t('audit.receiptRequired'))
      return
    }
    const keyList = keys
      .split('\n')
      .map((k) => k.trim())
      .filter(Boolean)
    setState({ status: 'verifying' })
    try {
      // Signed notes end with a newline; keep the text as pasted apart from surrounding blank space.
      const result = await api.verifyReceipt(`${receipt}\n`, keyList, { quiet: true })
      setState({ status: 'ok', result })
    } catch (e) {
      const text =
        e instanceof ApiError
          ? e.status === 400 && e.message
            ? e.message
            : describeError(e)
          : t('error.unknown', { status: '?' })
      setState({ status: 'fail', message: text })
    }
  }

  return (
    <Card
      id="audit-receipt"
      title={
        <SectionTitle
          icon={<SafetyCertificateOutlined />}
          title={t('audit.receipt')}
          hint={t('audit.receiptHint')}
        />
      }
      className="xzt-section-card"
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <div className="xzt-toolbar">
          <Typography.Text type="secondary">{t('audit.getReceipt')}</Typography.Text>
          <LogIndexPicker
            logs={logs}
            names={names}
            log={log}
            index={index}
            onLog={setLog}
            onIndex={setIndex}
            onGo={() => log !== null && index !== null && void fetchReceipt(log, index)}
            goLabel={t('audit.fetch')}
            goIcon={<DownloadOutlined />}
            loading={fetching}
            testId="receipt"
          />
          {fetched && downloadUrl && (
            <a
              href={downloadUrl}
              download={`${fetched.log}-${fetched.index}.tlog-proof.txt`}
              data-testid="receipt-download"
            >
              <DownloadOutlined /> {t('audit.download')}
            </a>
          )}
        </div>
        <Input.TextArea
          value={text}
          onChange={(e) => changeText(e.target.value)}
          placeholder={t('audit.receiptPlaceholder')}
          autoSize={{ minRows: 8, maxRows: 16 }}
          className="xzt-mono xzt-receipt-input"
          spellCheck={false}
          data-testid="receipt-input"
        />
        <Collapse
          size="small"
          items={[
            {
              key: 'keys',
              label: t('audit.keys'),
              children: (
                <Input.TextArea
                  value={keys}
                  onChange={(e) => {
                    setKeys(e.target.value)
                    setState({ status: 'idle' })
                  }}
                  placeholder={t('audit.keysPlaceholder')}
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  className="xzt-mono"
                  spellCheck={false}
                  data-testid="receipt-keys"
                />
              ),
            },
          ]}
        />
        <Space wrap>
          <Button
            type="primary"
            icon={<SafetyCertificateOutlined />}
            loading={state.status === 'verifying'}
            onClick={() => void verify()}
            data-testid="receipt-verify"
          >
            {t('audit.verify')}
          </Button>
          <Upload
            accept=".txt,.proof,.tlog-proof,text/plain"
            showUploadList={false}
            maxCount={1}
            beforeUpload={(file) => {
              file.text().then(
                (content) => {
                  changeText(content)
                  setFetched(null)
                  void message.success(t('audit.fileRead', { name: file.name }))
                },
                () => void message.error(t('audit.fileFailed', { name: file.name })),
              )
              // Read locally only: nothing is uploaded to the server.
              return Upload.LIST_IGNORE
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="receipt-upload">
              {t('audit.upload')}
            </Button>
          </Upload>
          <Button
            onClick={() => {
              changeText('')
              setFetched(null)
            }}
            disabled={!text}
          >
            {t('audit.clear')}
          </Button>
        </Space>

        {state.status === 'ok' && (
          <div data-testid="receipt-result" data-status="ok" className="xzt-result-block">
            <Result
              status="success"
              title={t('audit.receiptValid')}
              subTitle={t('audit.receiptValidSub', {
                origin: state.result.origin,
                size: formatNumber(state.result.size),
              })}
              className="xzt-compact-result"
            />
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                {
                  key: 'origin',
                  label: t('audit.origin'),
                  children: <Typography.Text className="xzt-mono">{state.result.origin}</Typography.Text>,
                },
                {
                  key: 'index',
                  label: t('audit.index'),
                  children: formatNumber(state.result.index),
                },
                {
                  key: 'size',
                  label: t('audit.treeSize'),
                  children: formatNumber(state.result.size),
                },
                {
                  key: 'root',
                  label: t('audit.root'),
                  children: (
                    <Typography.Text className="xzt-mono" copyable>
                      {state.result.root}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'signers',
                  label: t('audit.signers'),
                  children: (
                    <Space size={[4, 4]} wrap>
                      {state.result.signers.map((s) => (
                        <Tag key={s} color="blue" icon={<CheckCircleOutlined />}>
                          {s}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                {
                  key: 'cosigners',
                  label: t('audit.cosigners'),
                  children:
                    state.result.cosigners.length > 0 ? (
                      <Space size={[4, 4]} wrap>
                        {state.result.cosigners.map((s) => (
                          <Tag key={s} color="green" icon={<CheckCircleOutlined />}>
                            {s}
                          </Tag>
                        ))}
                      </Space>
                    ) : (
                      t('common.none')
                    ),
                },
              ]}
            />
            <Typography.Title level={5} className="xzt-subtitle">
              {t('audit.event')}
            </Typography.Title>
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, md: 2, xl: 1, xxxl: 2 }}
              styles={{ label: { whiteSpace: 'nowrap' } }}
              items={leafItems(state.result.leaf, i18n)}
            />
            <CodeBlock testId="receipt-event" maxHeight={300}>
              {pretty(state.result.leaf)}
            </CodeBlock>
          </div>
        )}
        {state.status === 'fail' && (
          <div data-testid="receipt-result" data-status="fail" className="xzt-result-block">
            <Result
              status="error"
              title={t('audit.receiptInvalid')}
              subTitle={<span data-testid="receipt-error">{state.message}</span>}
              className="xzt-compact-result"
            />
          </div>
        )}
      </Space>
    </Card>
  )
}
