/**
 * The application form of a matter, rendered from its JSON Schema with react-jsonschema-form (antd
 * theme). Loaded lazily (see `lazy-form.tsx`): rjsf and Ajv stay in their own chunk.
 *
 * - Mobile first: each top-level part of the form is a card; fields sit one per row on phones, two
 *   per row from tablets up.
 * - Prefilled values carry a tag with their source ("来自：公安局（户籍信息）"); values the server verifies
 *   against the authoritative record are locked until the citizen chooses to edit them, with the hint
 *   that a differing value will be flagged.
 * - Files (`format: data-url`) are picked with antd's Upload and uploaded at once (`POST /api/attachments`);
 *   the field holds the answer's `attachment:<id>` reference, shown by name, size and the first digits
 *   of its SHA-256 (the commitment the ledger records when the case is submitted).
 * - Validation runs on submit only; messages are localised, and the server's `VALIDATION_FAILED`
 *   details are shown on the fields they name.
 */
import { useCallback, useMemo, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Form as AntForm,
  Row,
  Space,
  Tag,
  Tooltip,
  Upload,
} from 'antd'
import type { UploadFile } from 'antd'
import {
  InfoCircleOutlined,
  PlusOutlined,
  SafetyCertificateOutlined,
  UnlockOutlined,
  UploadOutlined,
} from '@ant-design/icons'
import Form from '@rjsf/antd'
import dayjs from 'dayjs'
// The date pickers' month and weekday names follow the interface language (antd's locale does not set dayjs's).
import 'dayjs/locale/zh-cn'
import { customizeValidator } from '@rjsf/validator-ajv8'
import { IDENTITY_FORMATS } from '../../../shared/identity-formats.js'
import { TranslatableString, englishStringTranslator, getTemplate, getUiOptions } from '@rjsf/utils'
import type {
  ArrayFieldItemTemplateProps,
  ErrorSchema,
  FieldTemplateProps,
  IconButtonProps,
  ObjectFieldTemplateProps,
  RJSFSchema,
  RJSFValidationError,
  RegistryWidgetsType,
  TitleFieldProps,
  UiSchema,
  WidgetProps,
} from '@rjsf/utils'
import type { DepartmentKind } from '../../../shared/domain.js'
import {
  DEFAULT_ATTACHMENT_MAX_BYTES,
  UPLOAD_VALUE_PATTERN,
  parseAttachmentRef,
} from '../../../shared/attachments.js'
import { ApiError, api } from '../../api.js'
import type { AttachmentView, PrefillSource } from '../../api.js'
import { useI18n } from '../../i18n.js'
import type { MessageKey, Translate } from '../../i18n.js'
import {
  downloadBlob,
  downloadDataUrl,
  formatBytes,
  isRecord,
  optionsOf,
  parseDataUrl,
  schemaAt,
  shortSha,
  uploadMediaType,
  withBooleanDefaults,
} from '../../forms.js'
import type { FormData, JsonSchema } from '../../forms.js'

/** A server-side form error: the path inside the form data, the Ajv keyword and the server's message. */
export interface ServerFieldError {
  path: string[]
  message: string
  keyword: string | null
}

export interface MatterFormProps {
  schema: Record<string, unknown>
  formData: FormData
  onChange: (data: FormData) => void
  onSubmit: (data: FormData) => void
  /** Where prefilled values came from, by dotted path. */
  sources?: Record<string, PrefillSource>
  serverErrors?: ServerFieldError[]
  submitting?: boolean
  submitLabel: string
  submitIcon?: ReactNode
  /** Prefix of the form's test ids (`<testId>`, `<testId>-submit`, `<testId>-errors`). */
  testId?: string
  /**
   * Uploads a picked file as `type`. Default: for the signed-in citizen; the window page uploads for
   * the applicant (and refuses until one is named).
   */
  upload?: (file: File, type: string) => Promise<AttachmentView>
  /** Files the data already refers to (a supplement form shows the case's files by name). */
  files?: readonly KnownFile[]
  /**
   * The data is a document being edited (a policy version), not an application being filled: the form
   * adds nothing the document does not hold (no `false` for an unticked optional box, no empty items
   * for a list's minimum, no empty optional objects), since an added value changes what it says.
   */
  document?: boolean
}

/** What the form shows of a file it refers to: from an upload's answer or the case's file list. */
export type KnownFile = Pick<AttachmentView, 'id' | 'sha256' | 'size' | 'mediaType' | 'filename'>

/** The server's default limit; a server configured lower answers 413, shown like any upload error. */
const MAX_FILE_BYTES = DEFAULT_ATTACHMENT_MAX_BYTES
const MAX_FILE_MB = Math.round(MAX_FILE_BYTES / 1024 / 1024)

/** The browser validates upload fields as the server does: a reference, or a data URL. */
const validator = customizeValidator({
  customFormats: { 'data-url': UPLOAD_VALUE_PATTERN, ...IDENTITY_FORMATS },
})

interface FormContext {
  unlock: (path: string) => void
  upload: (file: File, type: string) => Promise<AttachmentView>
  files: ReadonlyMap<string, KnownFile>
  remember: (file: KnownFile) => void
}

const uploadForSelf = (file: File, type: string) =>
  api.uploadAttachment(file, file.name, type, undefined, { quiet: true })

let uploadSerial = 0

/** `.applicant.name`, `.shareholders.0.name` or `['a']` → path parts. */
function propertyPath(property: string | undefined): string[] {
  if (!property) return []
  return property
    .replace(/\['([^']*)'\]/g, '.$1')
    .split('.')
    .filter(Boolean)
}

function firstNumber(text: string): string | undefined {
  return /-?\d+(\.\d+)?/.exec(text)?.[0]
}

/** A localised message for an Ajv keyword (client or server side). */
function keywordMessage(
  t: Translate,
  keyword: string | null | undefined,
  params: Record<string, unknown>,
  sub: JsonSchema | null,
  inAlternative: boolean,
): string | null {
  const n = params.limit ?? params.n
  const limit = typeof n === 'number' || typeof n === 'string' ? String(n) : ''
  switch (keyword) {
    case 'required':
      return sub?.const === true ? t('form.const') : t('form.required')
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minItems':
    case 'maxItems':
      return t(`form.${keyword}` as MessageKey, { n: limit })
    case 'pattern':
      return t('form.pattern')
    case 'format':
      return params.format === 'date'
        ? t('form.formatDate')
        : params.format === 'data-url'
          ? t('form.formatFile')
          : params.format === 'cn-id-number'
            ? t('form.formatIdNumber')
            : params.format === 'cn-uscc'
              ? t('form.formatUscc')
              : t('form.format')
    case 'const':
      return inAlternative ? t('form.enum') : t('form.const')
    case 'enum':
    case 'oneOf':
    case 'anyOf':
      return t('form.enum')
    case 'type':
      return params.type === 'integer' ? t('form.integer') : t('form.type')
    case 'uniqueItems':
      return t('form.uniqueItems')
    case 'attachment':
      return t('form.attachmentInvalid')
    case null:
    case undefined:
    default:
      return null
  }
}

/** Generates the uiSchema: widgets by shape, and the provenance of prefilled values. */
function buildUiSchema(
  schema: JsonSchema,
  sources: Record<string, PrefillSource> | undefined,
  unlocked: ReadonlySet<string>,
  choose: string,
  path: string[] = [],
): UiSchema {
  const ui: UiSchema = {}
  const options: Record<string, string | number | boolean | object> = {}
  const dotted = path.join('.')
  const source = sources?.[dotted]
  if (source) {
    options.xztSource = source
    options.xztPath = dotted
    if (source.verify && !unlocked.has(dotted)) {
      ui['ui:readonly'] = true
      options.xztLocked = true
    }
  }
  if (schema.type === 'object') {
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      ui[key] = buildUiSchema(sub, sources, unlocked, choose, [...path, key])
    }
  } else if (schema.type === 'array' && schema.items) {
    if (optionsOf(schema.items) && schema.uniqueItems) {
      ui['ui:widget'] = 'checkboxes'
      options.inline = true
    } else if (schema.items.type === 'object') {
      // Prefill paths never point into lists; item fields get widgets by shape only.
      ui.items = buildUiSchema(schema.items, undefined, unlocked, choose, [...path, '#'])
    }
  } else if (schema.type === 'string') {
    const choices = optionsOf(schema)
    if (choices && choices.length <= 3) ui['ui:widget'] = 'radio'
    else if (choices) ui['ui:placeholder'] = choose
    if (!choices && !schema.format && (schema.maxLength ?? 0) >= 200) {
      ui['ui:widget'] = 'textarea'
      options.rows = 3
    }
  }
  if (Object.keys(options).length > 0) ui['ui:options'] = options
  return ui
}

function toErrorSchema(errors: ServerFieldError[], t: Translate, schema: JsonSchema): ErrorSchema<FormData> {
  const root: Record<string, unknown> = {}
  for (const e of errors) {
    let node = root
    for (const part of e.path) {
      const next = node[part]
      node = isRecord(next) ? next : (node[part] = {})
    }
    const message =
      keywordMessage(t, e.keyword, { limit: firstNumber(e.message) }, schemaAt(schema, e.path), false) ??
      (e.message || t('form.invalid'))
    const list = Array.isArray(node.__errors) ? (node.__errors as string[]) : []
    if (!list.includes(message)) list.push(message)
    node.__errors = list
  }
  return root as ErrorSchema<FormData>
}

// ---------------------------------------------------------------------------------------------
// Templates and widgets

function SourceTag({ source, path }: { source: PrefillSource; path: string }) {
  const { t, sourceName, departmentKindName, formatDateMinute } = useI18n()
  const department = departmentKindName(source.department as DepartmentKind)
  const name = sourceName(source.source)
  return (
    <Tooltip
      title={t('apply.sourceTooltip', { source: name, department, time: formatDateMinute(source.updatedAt) })}
    >
      <Tag
        color="blue"
        icon={<SafetyCertificateOutlined />}
        className="xzt-source-tag"
        data-testid="prefill-source"
        data-path={path}
      >
        {t('apply.source', { department, source: name })}
      </Tag>
    </Tooltip>
  )
}

function FieldTemplate(props: FieldTemplateProps<FormData, RJSFSchema, FormContext>) {
  const {
    children,
    description,
    displayLabel,
    errors,
    help,
    rawHelp,
    hidden,
    id,
    label,
    rawErrors,
    rawDescription,
    registry,
    required,
    schema,
    uiSchema,
  } = props
  const { t } = useI18n()
  const uiOptions = getUiOptions<FormData, RJSFSchema, FormContext>(uiSchema)
  const WrapIfAdditionalTemplate = getTemplate<'WrapIfAdditionalTemplate', FormData, RJSFSchema, FormContext>(
    'WrapIfAdditionalTemplate',
    registry,
    uiOptions,
  )
  if (hidden) return <div className="rjsf-field-hidden">{children}</div>

  const source = uiOptions.xztSource as PrefillSource | undefined
  const path = typeof uiOptions.xztPath === 'string' ? uiOptions.xztPath : ''
  const locked = uiOptions.xztLocked === true
  const isCheckbox = uiOptions.widget === 'checkbox' || schema.type === 'boolean'
  const showLabel = displayLabel && !isCheckbox && Boolean(label)
  const labelNode = showLabel ? (
    <span className="xzt-field-label">
      <span>{label}</span>
      {source && <SourceTag source={source} path={path} />}
      {locked && (
        <Button
          type="link"
          size="small"
          icon={<UnlockOutlined />}
          className="xzt-unlock"
          onClick={(e) => {
            e.preventDefault()
            registry.formContext.unlock(path)
          }}
          data-testid={`unlock-${path}`}
        >
          {t('apply.unlock')}
        </Button>
      )}
    </span>
  ) : undefined
  const extra =
    rawDescription || source?.verify ? (
      <>
        {rawDescription ? description : null}
        {source?.verify && (
          <div className="xzt-verify-hint">
            <InfoCircleOutlined /> {t('apply.verifyHint')}
          </div>
        )}
      </>
    ) : undefined

  return (
    <WrapIfAdditionalTemplate {...props}>
      <AntForm.Item
        colon={false}
        hasFeedback={schema.type !== 'array' && schema.type !== 'object' && !isCheckbox}
        help={(!!rawHelp && help) || (rawErrors?.length ? errors : undefined)}
        htmlFor={id}
        label={labelNode}
        labelCol={{ span: 24 }}
        wrapperCol={{ span: 24 }}
        required={required}
        validateStatus={rawErrors?.length ? 'error' : undefined}
        extra={extra}
        className={source ? 'xzt-prefilled' : undefined}
        data-field={id}
      >
        {children}
      </AntForm.Item>
    </WrapIfAdditionalTemplate>
  )
}

function TitleFieldTemplate({ id, title, required, optionalDataControl }: TitleFieldProps) {
  if (!title) return null
  return (
    <div className="xzt-form-title" id={id}>
      <span>
        {title}
        {required && <span className="xzt-form-required">*</span>}
      </span>
      {optionalDataControl}
    </div>
  )
}

/** Fields of an object: full width for objects, lists, text areas and choices; two per row from md up. */
function ObjectFieldTemplate(props: ObjectFieldTemplateProps<FormData, RJSFSchema, FormContext>) {
  const { title, description, properties, fieldPathId, registry, uiSchema, required, optionalDataControl } =
    props
  const depth = fieldPathId.path.length
  const wide = (content: ReactNode): boolean => {
    const p = (content as { props?: { schema?: JsonSchema; uiSchema?: UiSchema } }).props
    const type = p?.schema?.type
    const widget = getUiOptions(p?.uiSchema).widget
    return (
      depth === 0 ||
      type === 'object' ||
      type === 'array' ||
      type === 'boolean' ||
      widget === 'textarea' ||
      widget === 'radio' ||
      p?.schema?.format === 'data-url'
    )
  }
  const TitleField = getTemplate<'TitleFieldTemplate', FormData, RJSFSchema, FormContext>(
    'TitleFieldTemplate',
    registry,
    getUiOptions(uiSchema),
  )
  const fields = properties
    .filter((e) => !e.hidden)
    .map((e) =>
      depth === 0 ? (
        <Card key={e.name} size="small" className="xzt-form-section" data-section={e.name}>
          {e.content}
        </Card>
      ) : (
        <Col key={e.name} xs={24} md={wide(e.content) ? 24 : 12}>
          {e.content}
        </Col>
      ),
    )
  if (depth === 0) {
    return (
      <div id={fieldPathId.$id} className="xzt-form-root">
        {fields}
      </div>
    )
  }
  return (
    <div id={fieldPathId.$id} className={depth === 1 ? 'xzt-form-object' : 'xzt-form-group'}>
      {title && (
        <TitleField
          id={`${fieldPathId.$id}__title`}
          title={title}
          required={required}
          schema={props.schema}
          uiSchema={uiSchema}
          registry={registry}
          optionalDataControl={optionalDataControl}
        />
      )}
      {description && <div className="xzt-form-description">{description}</div>}
      <Row gutter={[16, 0]}>{fields}</Row>
    </div>
  )
}

/**
 * Files, uploaded as soon as they are picked: the field holds `attachment:<id>` references (older
 * cases' inline data URLs still show and download). Each file shows its name, size and the first 12
 * hex digits of its SHA-256.
 */
function FileWidget(props: WidgetProps<FormData, RJSFSchema, FormContext>) {
  const { id, onChange, multiple, disabled, readonly, registry } = props
  const ctx = registry.formContext
  const value: unknown = props.value
  const { t, describeError } = useI18n()
  const { message } = AntApp.useApp()
  const [pending, setPending] = useState<{ uid: string; name: string }[]>([])
  const values: string[] = multiple
    ? Array.isArray(value)
      ? (value as unknown[]).filter((v): v is string => typeof v === 'string' && v !== '')
      : []
    : typeof value === 'string' && value
      ? [value]
      : []
  // Several files picked at once upload concurrently: append to the latest list, not a stale one.
  const latest = useRef(values)
  latest.current = values

  const add = (file: File) => {
    const type = uploadMediaType(file)
    if (!type) {
      void message.error(t('form.fileType', { name: file.name }))
      return
    }
    if (file.size === 0) {
      void message.error(t('form.fileEmpty', { name: file.name }))
      return
    }
    if (file.size > MAX_FILE_BYTES) {
      void message.error(t('form.fileTooLarge', { name: file.name, mb: MAX_FILE_MB }))
      return
    }
    const uid = `uploading-${++uploadSerial}`
    setPending((p) => [...p, { uid, name: file.name }])
    ctx
      .upload(file, type)
      .then(
        (uploaded) => {
          ctx.remember(uploaded)
          if (multiple) {
            latest.current = [...latest.current, uploaded.ref]
            onChange(latest.current)
          } else {
            latest.current = [uploaded.ref]
            onChange(uploaded.ref)
          }
        },
        (e: unknown) => {
          const reason = e instanceof ApiError ? describeError(e) : e instanceof Error ? e.message : ''
          void message.error({ content: t('form.uploadFailed', { name: file.name, reason }), key: uid })
        },
      )
      .finally(() => setPending((p) => p.filter((x) => x.uid !== uid)))
  }
  const remove = (index: number) => {
    latest.current = latest.current.filter((_, i) => i !== index)
    onChange(multiple ? latest.current : undefined)
  }
  const known = (v: string): KnownFile | undefined => {
    const ref = parseAttachmentRef(v)
    return ref === undefined ? undefined : ctx.files.get(ref)
  }
  const fileList: UploadFile[] = [
    ...values.map((v, i): UploadFile => {
      const ref = parseAttachmentRef(v)
      if (ref !== undefined) {
        const file = ctx.files.get(ref)
        return {
          uid: String(i),
          name: file ? file.filename : t('form.attachment', { id: ref.slice(0, 8) }),
          status: 'done',
        }
      }
      const info = parseDataUrl(v)
      return {
        uid: String(i),
        name: info ? `${info.name} (${formatBytes(info.size)})` : `#${i + 1}`,
        status: 'done',
      }
    }),
    ...pending.map((p): UploadFile => ({ uid: p.uid, name: p.name, status: 'uploading', percent: 50 })),
  ]
  const locked = disabled || readonly
  const full = !multiple && values.length + pending.length > 0
  return (
    <div data-testid={`file-${id}`} className="xzt-file-widget">
      <Upload
        id={id}
        fileList={fileList}
        multiple={Boolean(multiple)}
        disabled={locked}
        accept=".pdf,.ofd,.jpg,.jpeg,.png,.webp,application/pdf,application/ofd,image/jpeg,image/png,image/webp"
        beforeUpload={(file) => {
          add(file)
          return false
        }}
        onRemove={(file) => {
          if (!file.uid.startsWith('uploading-')) remove(Number(file.uid))
          return false
        }}
        onPreview={(file) => {
          const v = values[Number(file.uid)] ?? ''
          const ref = parseAttachmentRef(v)
          if (ref !== undefined) {
            void api.attachment(ref).then(
              (blob) => downloadBlob(blob, known(v)?.filename ?? `${ref}`),
              () => undefined,
            )
            return
          }
          const info = parseDataUrl(v)
          if (info) downloadDataUrl(info)
        }}
        itemRender={(node, file) => {
          const meta = file.uid.startsWith('uploading-') ? undefined : known(values[Number(file.uid)] ?? '')
          return (
            <div className="xzt-upload-item" data-testid="upload-item" data-sha256={meta?.sha256}>
              {node}
              {meta && (
                <div className="xzt-upload-meta">
                  {formatBytes(meta.size)} · SHA-256{' '}
                  <Tooltip title={meta.sha256}>
                    <span className="xzt-mono" data-testid="upload-sha">
                      {shortSha(meta.sha256)}
                    </span>
                  </Tooltip>
                </div>
              )}
            </div>
          )
        }}
        showUploadList={{ showRemoveIcon: !locked }}
      >
        {!full && !locked && <Button icon={<UploadOutlined />}>{t('form.upload')}</Button>}
      </Upload>
      {!full && !locked && <div className="xzt-upload-hint">{t('form.uploadHint', { mb: MAX_FILE_MB })}</div>}
    </div>
  )
}

/**
 * One item of a list. Its buttons (move, remove) sit in the item's top-right corner for lists of
 * objects and beside the field for simple lists, so the item keeps the full width on phones.
 */
function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps<FormData, RJSFSchema, FormContext>) {
  const { children, buttonsProps, hasToolbar, registry, uiSchema, schema } = props
  const Buttons = getTemplate<'ArrayFieldItemButtonsTemplate', FormData, RJSFSchema, FormContext>(
    'ArrayFieldItemButtonsTemplate',
    registry,
    getUiOptions(uiSchema),
  )
  const toolbar = hasToolbar ? (
    <Space.Compact size="small" className="xzt-array-item-toolbar">
      <Buttons {...buttonsProps} />
    </Space.Compact>
  ) : null
  if (schema.type === 'object') {
    return (
      <div className="xzt-array-item xzt-array-item-object">
        {toolbar}
        {children}
      </div>
    )
  }
  return (
    <div className="xzt-array-item xzt-array-item-inline">
      <div className="xzt-array-item-body">{children}</div>
      {toolbar}
    </div>
  )
}

/** "Add" on lists: a labelled dashed button instead of a bare icon. */
function AddButton(props: IconButtonProps<FormData, RJSFSchema, FormContext>) {
  const { id, className, onClick, disabled, registry } = props
  return (
    <Button
      id={id}
      type="dashed"
      block
      icon={<PlusOutlined />}
      className={className}
      disabled={disabled}
      onClick={onClick}
    >
      {registry.translateString(TranslatableString.AddItemButton)}
    </Button>
  )
}

const widgets: RegistryWidgetsType<FormData, RJSFSchema, FormContext> = { FileWidget }
const templates = {
  FieldTemplate,
  ObjectFieldTemplate,
  TitleFieldTemplate,
  ArrayFieldItemTemplate,
  ButtonTemplates: { AddButton },
}

const STRINGS: Partial<Record<TranslatableString, MessageKey>> = {
  [TranslatableString.ArrayItemTitle]: 'form.item',
  [TranslatableString.EmptyArray]: 'form.emptyArray',
  [TranslatableString.YesLabel]: 'common.yes',
  [TranslatableString.NoLabel]: 'common.no',
  [TranslatableString.CloseLabel]: 'audit.close',
  [TranslatableString.AddButton]: 'form.add',
  [TranslatableString.AddItemButton]: 'form.add',
  [TranslatableString.CopyButton]: 'form.copy',
  [TranslatableString.MoveDownButton]: 'form.moveDown',
  [TranslatableString.MoveUpButton]: 'form.moveUp',
  [TranslatableString.RemoveButton]: 'form.remove',
  [TranslatableString.NowLabel]: 'form.now',
  [TranslatableString.ClearLabel]: 'form.clear',
  [TranslatableString.AriaDateLabel]: 'form.selectDate',
  [TranslatableString.OptionalObjectAdd]: 'form.optionalAdd',
  [TranslatableString.OptionalObjectRemove]: 'form.optionalRemove',
  [TranslatableString.OptionalObjectEmptyMsg]: 'form.optionalEmpty',
  [TranslatableString.ClearButton]: 'form.clear',
}

export default function MatterForm({
  schema,
  formData,
  onChange,
  onSubmit,
  sources,
  serverErrors,
  submitting,
  submitLabel,
  submitIcon,
  testId = 'matter-form',
  upload = uploadForSelf,
  files,
  document: editsDocument = false,
}: MatterFormProps) {
  const { t, lang } = useI18n()
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn')
  const [unlocked, setUnlocked] = useState<ReadonlySet<string>>(() => new Set())
  const [uploaded, setUploaded] = useState<ReadonlyMap<string, KnownFile>>(() => new Map())
  const [clientErrors, setClientErrors] = useState(0)
  const root = schema as JsonSchema

  // The form shows the schema's parts; its own title and description belong to the page.
  const formSchema = useMemo(() => {
    const copy: Record<string, unknown> = { ...(editsDocument ? schema : withBooleanDefaults(schema)) }
    delete copy.title
    delete copy.description
    delete copy.$schema
    return copy
  }, [schema, editsDocument])
  const uiSchema = useMemo(
    () => buildUiSchema(root, sources, unlocked, t('form.choose')),
    [root, sources, unlocked, t],
  )
  const knownFiles = useMemo(
    () => new Map([...(files ?? []).map((f) => [f.id, f] as const), ...uploaded]),
    [files, uploaded],
  )
  // rjsf does not hand widgets a new formContext on every render: they call the latest `upload`
  // (the window page's depends on the applicant typed in) through a ref.
  const latestUpload = useRef(upload)
  latestUpload.current = upload
  const formContext = useMemo<FormContext>(
    () => ({
      unlock: (path) => setUnlocked((prev) => new Set([...prev, path])),
      upload: (file, type) => latestUpload.current(file, type),
      files: knownFiles,
      remember: (file) => setUploaded((prev) => new Map([...prev, [file.id, file]])),
    }),
    [knownFiles],
  )
  const extraErrors = useMemo(
    () => (serverErrors && serverErrors.length > 0 ? toErrorSchema(serverErrors, t, root) : undefined),
    [serverErrors, t, root],
  )

  const transformErrors = useCallback(
    (errors: RJSFValidationError[]): RJSFValidationError[] => {
      const seen = new Set<string>()
      const out: RJSFValidationError[] = []
      for (const e of errors) {
        const path = propertyPath(e.property)
        const inAlternative = /\/(oneOf|anyOf)\//.test(e.schemaPath ?? '')
        const message =
          keywordMessage(
            t,
            e.name,
            (e.params ?? {}) as Record<string, unknown>,
            schemaAt(root, path),
            inAlternative,
          ) ??
          e.message ??
          t('form.invalid')
        const key = `${e.property ?? ''}|${message}`
        if (seen.has(key)) continue
        seen.add(key)
        out.push({ ...e, message, stack: `${e.property ?? ''} ${message}` })
      }
      return out
    },
    [t, root],
  )

  const translateString = useCallback(
    (str: TranslatableString, params?: string[]) => {
      const key = STRINGS[str]
      return key ? t(key) : englishStringTranslator(str, params)
    },
    [t],
  )

  return (
    <div data-testid={testId} className="xzt-matter-form">
      <Form
        key={lang}
        schema={formSchema}
        uiSchema={uiSchema}
        formData={formData}
        validator={validator}
        widgets={widgets}
        templates={templates}
        formContext={formContext}
        extraErrors={extraErrors}
        transformErrors={transformErrors}
        translateString={translateString}
        // A const is a constraint, not a default: the declaration must be ticked by the applicant, and
        // the first of a list of options is not chosen for them.
        experimental_defaultFormStateBehavior={
          editsDocument
            ? {
                constAsDefaults: 'never',
                arrayMinItems: { populate: 'never' },
                emptyObjectFields: 'skipDefaults',
              }
            : { constAsDefaults: 'never' }
        }
        showErrorList={false}
        noHtml5Validate
        focusOnFirstError
        onChange={(e) => {
          onChange((e.formData ?? {}) as FormData)
        }}
        onError={(errors) => setClientErrors(new Set(errors.map((e) => e.property)).size)}
        onSubmit={(e) => {
          setClientErrors(0)
          onSubmit((e.formData ?? {}) as FormData)
        }}
      >
        <div className="xzt-form-actions">
          {clientErrors > 0 && (
            <Alert
              type="error"
              showIcon
              title={t('apply.invalid', { n: clientErrors })}
              data-testid={`${testId}-errors`}
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            icon={submitIcon}
            loading={submitting}
            className="xzt-form-submit"
            data-testid={`${testId}-submit`}
          >
            {submitLabel}
          </Button>
        </div>
      </Form>
    </div>
  )
}
