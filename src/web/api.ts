/**
 * Thin fetch wrapper for the Xingzhengtong REST API.
 *
 * - Cookies only (`credentials: 'same-origin'`): the session cookie `xzt_session` is httpOnly.
 * - Double-submit CSRF: every non-GET request carries `x-csrf-token` = the `xzt_csrf` cookie.
 * - Errors (`{"error":{"code","message","details"}}` with a 4xx/5xx status) become `ApiError`s;
 *   by default their message is shown through the notifier the React tree registers, and a 401
 *   calls the unauthorised handler (which sends the user to the login page).
 */
import type { Department, Region } from '../shared/domain.js'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

import type {
  AccessReview,
  AccessVerdict,
  AttachmentView,
  AuditDifference,
  CaseAttachment,
  CitizenAccessReview,
  CitizenMatch,
  CitizenView,
  CreateDepartmentInput,
  CreateStaffInput,
  FlaggedAccess,
  LedgerActor,
  LedgerEntryDetail as LedgerEntry,
  LedgerEntrySummary,
  LedgerLeaf,
  LedgerLog,
  LedgerWitnesses,
  LoginResponse,
  Me,
  ReceiptVerification,
  RegionFeature,
  SchedulerJob,
  SchedulerJobList,
  SchedulerJobStatus,
  RegionFeatureCollection,
  StaffView as StaffRow,
  UpdateStaffInput,
  VerifyProblem as AuditProblem,
  LogVerification as AuditLogResult,
  AuditRunResult as AuditReport,
  CaseReceipt,
  CaseStatus,
  CaseView,
  MatterDetail,
  MatterSummary,
  PrefillResult,
  PrefillSource,
  RegisterCitizenInput,
  TaskView,
  TimelineStep,
} from '../shared/api.js'

// The API's shapes live in src/shared/api.ts, shared with the server; re-exported under the names the UI uses.
export type {
  AccessReview,
  AccessVerdict,
  AttachmentView,
  AuditDifference,
  CaseAttachment,
  CitizenAccessReview,
  CitizenMatch,
  CitizenView,
  CreateDepartmentInput,
  CreateStaffInput,
  FlaggedAccess,
  LedgerActor,
  LedgerEntry,
  LedgerEntrySummary,
  LedgerLeaf,
  LedgerLog,
  LedgerWitnesses,
  LoginResponse,
  Me,
  ReceiptVerification,
  SchedulerJob,
  SchedulerJobList,
  SchedulerJobStatus,
  RegionFeature,
  RegionFeatureCollection,
  StaffRow,
  UpdateStaffInput,
  AuditProblem,
  AuditLogResult,
  AuditReport,
  CaseReceipt,
  CaseStatus,
  CaseView,
  MatterDetail,
  MatterSummary,
  PrefillResult,
  PrefillSource,
  RegisterCitizenInput,
  TaskView,
  TimelineStep,
}

/** Submitting a case (`POST /api/cases`): citizens online, window clerks for a citizen. */
export interface SubmitCaseInput {
  matterCode: string
  data: Record<string, unknown>
  channel: 'online' | 'window'
  applicantId?: string
}

/** Completing a task (`POST /api/tasks/{id}/complete`); a citizen's supplement sends `approve` with `data`. */
export interface CompleteTaskInput {
  outcome: 'approve' | 'reject' | 'supplement'
  comment?: string
  data?: Record<string, unknown>
}

/** One recorded access of an official to the citizen's data (`GET /api/me/data-access`). */
export interface DataAccessEntry {
  staffId: string
  staffName: string
  caseId: string
  /** Comma-separated top-level form fields that were shown, or `*` for the whole case. */
  what: string
  at: number
  /** The official had no open task on the case: reported to their supervisor. */
  flagged: boolean
  ledger: { log: string; index: number } | null
  /** The supervisor's verdict on a flagged access, once reviewed. */
  review: CitizenAccessReview | null
}

/** `GET /api/data-access/flagged`: which flagged accesses to list. */
/** One committed ledger event of the tail (`GET /api/events`). */
export type TailEvent = Omit<LedgerLeaf, 'v'>

export interface EventPage {
  events: TailEvent[]
  /** The cursor after the last event (per-log positions, `43:5,4301:120`). */
  next: string
}

export interface ClockState {
  mode: 'system' | 'manual'
  now: number
}

export type FlaggedQuery = {
  status: 'open' | 'reviewed' | 'all'
  limit: number
  offset: number
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface RequestOptions {
  /** Do not show the error through the global notifier (the caller shows it itself). */
  quiet?: boolean
  /** Do not treat a 401 as "session expired" (login and the initial `/me` probe). */
  allowUnauthenticated?: boolean
  signal?: AbortSignal
}

type Notifier = (error: ApiError) => void
let notifier: Notifier | null = null
let unauthorizedHandler: (() => void) | null = null
/** Fallback when the CSRF cookie cannot be read (the login response also returns it). */
let csrfFromLogin: string | null = null

/** Registered by the React tree so errors can be shown with antd's context-aware `message`. */
export function setErrorNotifier(fn: Notifier | null): void {
  notifier = fn
}

/** Called on any 401 outside login: the app drops the user and shows the login page. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  unauthorizedHandler = fn
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}

function isErrorBody(
  body: unknown,
): body is { error: { code?: unknown; message?: unknown; details?: unknown } } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof body.error === 'object' &&
    body.error !== null
  )
}

export interface RawResponse<T> {
  data: T
  headers: Headers
}

/** A request body sent as it is (a file upload), with its media type. */
class RawBody {
  constructor(
    readonly blob: Blob,
    readonly type: string,
  ) {}
}

/**
 * One API call with the session's cookies and CSRF token; errors become `ApiError`s (shown unless
 * `quiet`). Exported for the page-level clients beside this one (`citizen-api.ts`).
 */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
  /**
   * `text`: the body as a string (signed notes, receipts); `blob`: as bytes (files). Errors still
   * parse as JSON.
   */
  responseType: 'json' | 'text' | 'blob' = 'json',
): Promise<RawResponse<T>> {
  const headers: Record<string, string> = {
    accept:
      responseType === 'text'
        ? 'text/plain, application/json;q=0.9'
        : responseType === 'blob'
          ? '*/*'
          : 'application/json',
  }
  if (body instanceof RawBody) headers['content-type'] = body.type
  else if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = readCookie('xzt_csrf') ?? csrfFromLogin
    if (csrf) headers['x-csrf-token'] = csrf
  }

  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : body instanceof RawBody ? body.blob : JSON.stringify(body),
      signal: options.signal ?? null,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    const error = new ApiError(0, 'NETWORK_ERROR', '', cause)
    if (!options.quiet) notifier?.(error)
    throw error
  }

  if (response.ok && responseType === 'blob')
    return { data: (await response.blob()) as T, headers: response.headers }
  const text = response.status === 204 ? '' : await response.text()
  if (response.ok && responseType === 'text') return { data: text as T, headers: response.headers }
  let parsed: unknown = undefined
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
  }

  if (!response.ok) {
    const info = isErrorBody(parsed) ? parsed.error : {}
    const error = new ApiError(
      response.status,
      typeof info.code === 'string' ? info.code : `HTTP_${response.status}`,
      typeof info.message === 'string' ? info.message : '',
      info.details,
    )
    if (response.status === 401 && !options.allowUnauthenticated) {
      unauthorizedHandler?.()
    } else if (!options.quiet) {
      notifier?.(error)
    }
    throw error
  }

  return { data: parsed as T, headers: response.headers }
}

async function get<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await request<T>('GET', path, undefined, options)).data
}

async function getText(path: string, options?: RequestOptions): Promise<string> {
  return (await request<string>('GET', path, undefined, options, 'text')).data
}

const enc = encodeURIComponent

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value))
  }
  const s = search.toString()
  return s ? `?${s}` : ''
}

export const api = {
  async login(username: string, password: string): Promise<LoginResponse> {
    const { data } = await request<LoginResponse>(
      'POST',
      '/api/auth/login',
      { username, password },
      {
        quiet: true,
        allowUnauthenticated: true,
      },
    )
    csrfFromLogin = data.csrfToken
    return data
  },
  async logout(): Promise<void> {
    try {
      await request<void>('POST', '/api/auth/logout', undefined, { quiet: true, allowUnauthenticated: true })
    } finally {
      csrfFromLogin = null
    }
  },
  /** The current user, or null when not signed in. */
  async me(options?: RequestOptions): Promise<Me | null> {
    try {
      return await get<Me>('/api/auth/me', { allowUnauthenticated: true, quiet: true, ...options })
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null
      throw error
    }
  },

  region: (code: string, o?: RequestOptions) => get<Region>(`/api/regions/${enc(code)}`, o),
  children: (code: string, o?: RequestOptions) => get<Region[]>(`/api/regions/${enc(code)}/children`, o),
  ancestors: (code: string, o?: RequestOptions) => get<Region[]>(`/api/regions/${enc(code)}/ancestors`, o),
  childrenGeojson: (code: string, o?: RequestOptions) =>
    get<RegionFeatureCollection>(`/api/regions/${enc(code)}/children/geojson`, o),
  regionGeojson: (code: string, o?: RequestOptions) =>
    get<RegionFeature>(`/api/regions/${enc(code)}/geojson`, o),

  departments: (region: string, o?: RequestOptions) =>
    get<Department[]>(`/api/departments${query({ region })}`, o),
  async staff(
    params: { region: string; limit: number; offset: number; q?: string; departmentId?: string },
    o?: RequestOptions,
  ): Promise<Page<StaffRow>> {
    const { data, headers } = await request<StaffRow[]>('GET', `/api/staff${query(params)}`, undefined, o)
    const total = Number(headers.get('x-total-count'))
    return {
      items: data,
      total: Number.isFinite(total) && headers.has('x-total-count') ? total : data.length,
    }
  },
  createStaff: async (input: CreateStaffInput, o?: RequestOptions) =>
    (await request<StaffRow>('POST', '/api/staff', input, o)).data,
  updateStaff: async (id: string, input: UpdateStaffInput, o?: RequestOptions) =>
    (await request<StaffRow>('PATCH', `/api/staff/${enc(id)}`, input, o)).data,
  createDepartment: async (input: CreateDepartmentInput, o?: RequestOptions) =>
    (await request<Department>('POST', '/api/departments', input, o)).data,
  updateDepartment: async (id: string, input: { name?: string }, o?: RequestOptions) =>
    (await request<Department>('PATCH', `/api/departments/${enc(id)}`, input, o)).data,

  ledgerLogs: (o?: RequestOptions) => get<LedgerLog[]>('/api/ledger/logs', o),
  ledgerWitnesses: (o?: RequestOptions) => get<LedgerWitnesses>('/api/ledger/witnesses', o),
  /** The latest checkpoint as a signed note (text). */
  ledgerCheckpoint: (log: string, o?: RequestOptions) => getText(`/api/ledger/${enc(log)}/checkpoint`, o),
  /** Entries [start, end), at most 1000. */
  ledgerEntries: (log: string, start: number, end: number, o?: RequestOptions) =>
    get<LedgerEntrySummary[]>(`/api/ledger/${enc(log)}/entries${query({ start, end })}`, o),
  ledgerEntry: (log: string, index: number, o?: RequestOptions) =>
    get<LedgerEntry>(`/api/ledger/${enc(log)}/entries/${index}`, o),
  /** A C2SP tlog-proof receipt (text) for one entry. */
  ledgerReceipt: (log: string, index: number, o?: RequestOptions) =>
    getText(`/api/ledger/${enc(log)}/receipt/${index}`, o),
  verifyReceipt: async (receipt: string, keys?: string[], o?: RequestOptions) =>
    (
      await request<ReceiptVerification>(
        'POST',
        '/api/ledger/verify-receipt',
        keys && keys.length > 0 ? { receipt, keys } : { receipt },
        o,
      )
    ).data,
  runAudit: async (o?: RequestOptions) =>
    (await request<AuditReport>('POST', '/api/audit/run', undefined, o)).data,
  /** Window clerks: citizens by full identity number or name, masked (each look-up is recorded). */
  findCitizens: (text: string, o?: RequestOptions) =>
    get<CitizenMatch[]>(`/api/citizens${query({ query: text })}`, o),
  /** Window clerks: register the citizen at the window. */
  registerCitizen: async (input: RegisterCitizenInput, o?: RequestOptions) =>
    (await request<CitizenMatch>('POST', '/api/citizens', input, o)).data,
  /** Committed ledger events after a cursor (auditors, administrators); follow `next`. */
  events: (params: { after?: string; limit?: number }, o?: RequestOptions) =>
    get<EventPage>(`/api/events${query(params)}`, o),
  /** The platform clock (`manual` in demos and tests). */
  clock: (o?: RequestOptions) => get<ClockState>('/api/admin/clock', o),

  matters: (o?: RequestOptions) => get<MatterSummary[]>('/api/matters', o),
  /** A matter's current version, or the given one (a case keeps the version it was submitted under). */
  matter: (code: string, version?: number, o?: RequestOptions) =>
    get<MatterDetail>(`/api/matters/${enc(code)}${query({ version })}`, o),
  /** Citizens only: what the government already holds for the form, with each value's source. */
  prefill: (code: string, o?: RequestOptions) => get<PrefillResult>(`/api/matters/${enc(code)}/prefill`, o),
  submitCase: async (input: SubmitCaseInput, o?: RequestOptions) =>
    (await request<CaseView>('POST', '/api/cases', input, o)).data,
  /** The citizen's own cases, newest first. */
  myCases: (o?: RequestOptions) => get<CaseView[]>('/api/cases', o),
  caseView: (id: string, o?: RequestOptions) => get<CaseView>(`/api/cases/${enc(id)}`, o),
  caseReceipt: (id: string, o?: RequestOptions) => get<CaseReceipt>(`/api/cases/${enc(id)}/receipt`, o),
  /** Staff: their department's open tasks; citizens: their supplement (补正) tasks. */
  tasks: (o?: RequestOptions) => get<TaskView[]>('/api/tasks', o),
  completeTask: async (id: string, input: CompleteTaskInput, o?: RequestOptions) =>
    (await request<CaseView>('POST', `/api/tasks/${enc(id)}/complete`, input, o)).data,
  dataAccess: (o?: RequestOptions) => get<DataAccessEntry[]>('/api/me/data-access', o),
  /** Supervisors, administrators, auditors: flagged accesses they oversee, newest first. */
  async flaggedAccesses(params: FlaggedQuery, o?: RequestOptions): Promise<Page<FlaggedAccess>> {
    const { data, headers } = await request<FlaggedAccess[]>(
      'GET',
      `/api/data-access/flagged${query(params)}`,
      undefined,
      o,
    )
    const total = Number(headers.get('x-total-count'))
    return {
      items: data,
      total: Number.isFinite(total) && headers.has('x-total-count') ? total : data.length,
    }
  },
  /** Administrators: scheduled jobs and timers of their region subtree, newest first. */
  jobs: (params: { status?: SchedulerJobStatus; limit?: number; offset?: number }, o?: RequestOptions) =>
    get<SchedulerJobList>(`/api/admin/jobs${query(params)}`, o),
  /** Administrators: send a failed or dead job back to the queue. */
  retryJob: async (id: string, o?: RequestOptions) =>
    (await request<SchedulerJob>('POST', `/api/admin/jobs/${enc(id)}/retry`, undefined, o)).data,
  /** A supervisor's (or administrator's) one verdict on a flagged access. */
  reviewAccess: async (id: string, input: { verdict: AccessVerdict; note?: string }, o?: RequestOptions) =>
    (await request<FlaggedAccess>('POST', `/api/data-access/${enc(id)}/review`, input, o)).data,

  /**
   * Uploads a file at once (the raw body, its media type as Content-Type); a window clerk names the
   * citizen it is for. The answer's `ref` goes into the form's upload field.
   */
  uploadAttachment: async (
    file: Blob,
    name: string,
    type: string,
    applicantId?: string,
    o?: RequestOptions,
  ) =>
    (
      await request<AttachmentView>(
        'POST',
        `/api/attachments${query({ filename: name, applicantId })}`,
        new RawBody(file, type),
        o,
      )
    ).data,
  /** One of the caller's own uploads (a preview before submitting). */
  attachment: async (id: string, o?: RequestOptions) =>
    (await request<Blob>('GET', `/api/attachments/${enc(id)}`, undefined, o, 'blob')).data,
  /** A file of a case; a download by an official is recorded as an access to the applicant's data. */
  caseAttachment: async (caseId: string, attachmentId: string, o?: RequestOptions) =>
    (
      await request<Blob>(
        'GET',
        `/api/cases/${enc(caseId)}/attachments/${enc(attachmentId)}`,
        undefined,
        o,
        'blob',
      )
    ).data,
}

/**
 * The form errors of a `VALIDATION_FAILED` answer to a case submission: `details[].path` such as
 * `/body/data/shareholders/0/idNumber` as a path inside the form data (`['shareholders', '0', 'idNumber']`).
 * Details outside `/body/data` get the path `[]` (they belong to the whole form).
 */
export function formDataErrors(
  details: unknown,
): { path: string[]; message: string; keyword: string | null }[] {
  if (!Array.isArray(details)) return []
  const out: { path: string[]; message: string; keyword: string | null }[] = []
  for (const item of details) {
    if (typeof item !== 'object' || item === null) continue
    const rec = item as Record<string, unknown>
    const raw =
      typeof rec.path === 'string' ? rec.path : typeof rec.instancePath === 'string' ? rec.instancePath : ''
    const parts = raw
      .split('/')
      .filter(Boolean)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    const inData = parts[0] === 'body' && parts[1] === 'data'
    out.push({
      path: inData ? parts.slice(2) : [],
      message: typeof rec.message === 'string' ? rec.message : '',
      keyword: typeof rec.keyword === 'string' ? rec.keyword : null,
    })
  }
  return out
}

/**
 * Map a `VALIDATION_FAILED` error's details to form field names. Accepts the usual shapes:
 * Ajv-style arrays (`instancePath` / `params.missingProperty`), `{field|path|property, message}`
 * arrays, or a plain `{field: message}` object. Unknown shapes give an empty list.
 */
export function fieldErrors(details: unknown): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = []
  const push = (field: unknown, message: unknown) => {
    if (typeof field !== 'string' || !field) return
    const name = field
      .replace(/^\/+/, '')
      .replace(/^body[./]/, '')
      .split(/[./]/)[0]
    if (name) out.push({ field: name, message: typeof message === 'string' ? message : '' })
  }
  const items = Array.isArray(details)
    ? details
    : typeof details === 'object' &&
        details !== null &&
        Array.isArray((details as { errors?: unknown }).errors)
      ? (details as { errors: unknown[] }).errors
      : null
  if (items) {
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue
      const rec = item as Record<string, unknown>
      const params = rec.params as Record<string, unknown> | undefined
      const field =
        (typeof rec.field === 'string' && rec.field) ||
        (typeof rec.path === 'string' && rec.path) ||
        (typeof rec.property === 'string' && rec.property) ||
        (typeof rec.instancePath === 'string' && rec.instancePath) ||
        (params && typeof params.missingProperty === 'string' && params.missingProperty) ||
        ''
      push(field, rec.message)
    }
  } else if (typeof details === 'object' && details !== null) {
    for (const [key, value] of Object.entries(details)) push(key, value)
  }
  return out
}

/**
 * The request helpers, for API clients kept beside the pages that use them (`appeals-api.ts`): the
 * same cookies, CSRF header, error notifier and 401 handling as {@link api}.
 */
export const http = {
  get,
  getText,
  async send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, o?: RequestOptions) {
    return (await request<T>(method, path, body, o)).data
  },
  /** A list whose total is in `x-total-count`. */
  async page<T>(path: string, o?: RequestOptions): Promise<Page<T>> {
    const { data, headers } = await request<T[]>('GET', path, undefined, o)
    const total = Number(headers.get('x-total-count'))
    return {
      items: data,
      total: Number.isFinite(total) && headers.has('x-total-count') ? total : data.length,
    }
  },
  query,
}
