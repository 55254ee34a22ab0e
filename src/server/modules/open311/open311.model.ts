/**
 * Open311 GeoReport v2 over appeals, as pure rules: a service is an appeal category, a service request
 * is an appeal, `agency_responsible` the department it was routed to, `expected_datetime` its
 * resolution deadline, `jurisdiction_id` a region code. This file maps our vocabulary to the spec's
 * documents (plain objects; `open311.format.ts` writes them as JSON or XML) and reads the spec's
 * arguments: dates (ISO 8601, Beijing time when no zone is given), comma lists, the 90-day window, the
 * status filter. Pure: no I/O.
 * @module
 */
import type { AppealSummary } from '../../../shared/api.js'
import { APPEAL_CATEGORIES, type AppealKind, type AppealStatus } from '../../../shared/domain.js'
import { AppError } from '../../../shared/errors.js'

/** The spec's cap on one `GET /requests` answer. */
export const MAX_REQUESTS = 1000
/** The spec's widest `start_date`…`end_date` span, and the default window (the last 90 days). */
export const MAX_SPAN_DAYS = 90
/** The spec's limit on `description`. */
export const MAX_DESCRIPTION_LENGTH = 4000
/** Longest key name an administrator may give. */
export const MAX_KEY_NAME_LENGTH = 100

const DAY_MS = 86_400_000
/** Asia/Shanghai has had no daylight saving time since 1991: one fixed offset. */
const BEIJING_OFFSET_MS = 8 * 3_600_000

/** An API key as stored (only the SHA-256 of the key itself). */
export interface Open311Key {
  id: string
  name: string
  /** SHA-256 of the key, lowercase hex. */
  digest: string
  /** Where the key files: its issuer's region. */
  regionCode: string
  createdBy: string
  createdAt: number
  revokedBy: string | null
  revokedAt: number | null
  ledger: { log: string; index: number }
}

/** An appeal an Open311 key filed, and the token its client may look it up by. */
export interface Open311Filing {
  appealId: string
  keyId: string
  token: string
  createdAt: number
  /** The client's `media_url`, or null. */
  mediaUrl: string | null
  ledger: { log: string; index: number }
}

/** `GET /services`: one service. */
export interface Open311ServiceEntry {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime' | 'batch' | 'blackbox'
  keywords: string
  group: string
}

export interface Open311AttributeValue {
  key: string
  name: string
}

export interface Open311Attribute {
  variable: boolean
  code: string
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'
  required: boolean
  datatype_description: string
  order: number
  description: string
  values: Open311AttributeValue[]
}

/** `GET /services/{code}`: the service definition. */
export interface Open311ServiceDefinition {
  service_code: string
  attributes: Open311Attribute[]
}

/** `GET /requests`: one service request (every field of the spec, null when we have none). */
export interface Open311Request {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string | null
  service_name: string
  service_code: string
  description: string
  agency_responsible: string
  service_notice: string | null
  requested_datetime: string
  updated_datetime: string | null
  expected_datetime: string
  address: string
  address_id: string
  zipcode: string | null
  lat: number | null
  long: number | null
  media_url: string | null
}

/** The kinds a client may file, the service definition's one attribute (`attribute[kind]`). */
export const FILABLE_KINDS: readonly { key: Exclude<AppealKind, 'discrepancy'>; zh: string; en: string }[] = [
  { key: 'complaint', zh: '投诉', en: 'Complaint' },
  { key: 'suggestion', zh: '建议', en: 'Suggestion' },
  { key: 'inquiry', zh: '咨询', en: 'Inquiry' },
  { key: 'praise', zh: '表扬', en: 'Praise' },
]

/** The kind attribute's code. */
export const KIND_ATTRIBUTE = 'kind'

/** Every service: one per appeal category, grouped by its top-level category. */
const SERVICES: readonly Open311ServiceEntry[] = Object.entries(APPEAL_CATEGORIES).flatMap(([top, t]) =>
  Object.entries(t.subs).map(([sub, s]) =>
    Object.freeze({
      service_code: `${top}/${sub}`,
      service_name: s.zh,
      description: `${t.zh} / ${s.zh} (${t.en}: ${s.en})`,
      metadata: true,
      type: 'realtime' as const,
      keywords: [s.zh, t.zh, s.en, t.en].join(','),
      group: t.zh,
    }),
  ),
)
const SERVICE_BY_CODE = new Map(SERVICES.map((s) => [s.service_code, s]))

/** Every service, in category order. */
export function listServices(): readonly Open311ServiceEntry[] {
  return SERVICES
}

/** The service of a code, or undefined. */
export function findService(code: string): Open311ServiceEntry | undefined {
  return SERVICE_BY_CODE.get(code)
}

/** The definition of a service: every category takes the optional kind of appeal (a complaint by default). */
export function serviceDefinition(code: string): Open311ServiceDefinition {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: KIND_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '诉求类型，缺省为投诉 (kind of request; a complaint when omitted)',
        order: 1,
        description: '诉求类型 (kind of request)',
        values: FILABLE_KINDS.map((k) => ({ key: k.key, name: `${k.zh} (${k.en})` })),
      },
    ],
  }
}

/** Reads `attribute[kind]`. @throws VALIDATION_FAILED for a value not in the definition */
export function kindOf(value: string | undefined): AppealKind | undefined {
  if (value === undefined) return undefined
  const found = FILABLE_KINDS.find((k) => k.key === value)
  if (!found)
    throw invalid(
      `attribute[${KIND_ATTRIBUTE}]`,
      `must be one of ${FILABLE_KINDS.map((k) => k.key).join(', ')}`,
    )
  return found.key
}

/** Open: not closed or merged. Closed: closed, or merged into another appeal (which carries it on). */
export const OPEN_STATUSES: readonly AppealStatus[] = ['dispatched', 'accepted', 'responded', 'resolved']
export const CLOSED_STATUSES: readonly AppealStatus[] = ['closed', 'merged']

/** The spec's status of an appeal. */
export function statusOf(s: AppealStatus): 'open' | 'closed' {
  return CLOSED_STATUSES.includes(s) ? 'closed' : 'open'
}

/**
 * The appeal statuses a `status` argument selects (`open`, `closed`, or both as a list), or undefined
 * for all. @throws VALIDATION_FAILED for another value
 */
export function statusesFor(arg: string | undefined): AppealStatus[] | undefined {
  const wanted = csv(arg)
  if (!wanted) return undefined
  for (const w of wanted)
    if (w !== 'open' && w !== 'closed') throw invalid('status', 'must be open, closed or both')
  const open = wanted.includes('open')
  const closed = wanted.includes('closed')
  if (open && closed) return undefined
  return [...(open ? OPEN_STATUSES : CLOSED_STATUSES)]
}

/** The service notice of an appeal: where it went and by when it is due. */
export function noticeOf(a: Pick<AppealSummary, 'department' | 'dueAt'>): string {
  return `已转交${a.department.name}办理，办结时限 ${isoBeijing(a.dueAt)} (routed to ${a.department.name}, due by this time)`
}

/** An appeal as a service request. */
export function requestOf(a: AppealSummary, mediaUrl: string | null = null): Open311Request {
  const status = statusOf(a.status)
  const notes =
    (a.resolution || null) ??
    (a.response || null) ??
    (a.mergedInto ? `已并入诉求 ${a.mergedInto} 一并办理 (merged into ${a.mergedInto})` : null)
  // Once closed, the close time; before, the latest step we know of.
  const updated = a.closedAt ?? Math.max(a.createdAt, a.respondedAt ?? 0, a.resolvedAt ?? 0)
  return {
    service_request_id: a.id,
    status,
    status_notes: notes,
    service_name: findService(a.category)?.service_name ?? a.category,
    service_code: a.category,
    // Unpublished text (an appeal filed on another channel) shows as its service.
    description: a.text || (findService(a.category)?.service_name ?? a.category),
    agency_responsible: a.department.name,
    service_notice: noticeOf(a),
    requested_datetime: isoBeijing(a.createdAt),
    updated_datetime: isoBeijing(updated),
    expected_datetime: isoBeijing(a.dueAt),
    address: a.regionName,
    address_id: a.regionCode,
    zipcode: null,
    lat: a.location?.lat ?? null,
    long: a.location?.lng ?? null,
    media_url: mediaUrl,
  }
}

/** Epoch ms as ISO 8601 in Beijing time, to the second: `2026-12-04T09:30:00+08:00`. */
export function isoBeijing(ms: number): string {
  return `${new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * An ISO 8601 date or date-time as epoch ms. Without a zone it is Beijing time. As a start it is the
 * first millisecond it names; as an end (`end`), the last one at its precision, so an end includes
 * what it names: `2026-12-04` the whole 4th, `…T09:30` that minute, `…T09:30:05` that second (the
 * precision we write `requested_datetime` in, so a client may pass one back as both ends).
 * @throws VALIDATION_FAILED naming `field`
 */
export function parseIsoDate(field: string, text: string, end = false): number {
  const m = ISO_8601.exec(text)
  if (!m) throw invalid(field, 'must be an ISO 8601 date or date-time, e.g. 2026-12-04T09:30:00+08:00')
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const parts = [Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)] as const
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  const local = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms)
  // Date.UTC rolls 2026-02-30 over into March: refuse dates that do not exist.
  const check = new Date(local)
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] - 1 ||
    check.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  )
    throw invalid(field, 'is not a date that exists')
  let offset = BEIJING_OFFSET_MS
  if (zone === 'Z') offset = 0
  else if (zone) {
    const digits = zone.slice(1).replace(':', '')
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)
    if (minutes > 14 * 60) throw invalid(field, 'has a zone offset beyond ±14:00')
    offset = (zone.startsWith('-') ? -1 : 1) * minutes * 60_000
  }
  const at = local - offset
  if (!end || frac) return at
  return at + (h === undefined ? DAY_MS : s === undefined ? 60_000 : 1000) - 1
}

/**
 * The filing-time window of `GET /requests`: both ends given (at most 90 days apart), one end (90 days
 * from it), or neither (the last 90 days).
 * @throws VALIDATION_FAILED for a bad date, an end before the start, or a span over 90 days
 */
export function dateWindow(
  start: string | undefined,
  end: string | undefined,
  now: number,
): { from: number; to: number } {
  const span = MAX_SPAN_DAYS * DAY_MS
  const from = start === undefined ? undefined : parseIsoDate('start_date', start)
  const to = end === undefined ? undefined : parseIsoDate('end_date', end, true)
  if (from !== undefined && to !== undefined) {
    if (to < from) throw invalid('end_date', 'is before start_date')
    if (to - from > span) throw invalid('end_date', `is more than ${MAX_SPAN_DAYS} days after start_date`)
    return { from, to }
  }
  if (from !== undefined) return { from, to: from + span }
  if (to !== undefined) return { from: to - span, to }
  return { from: now - span, to: now }
}

/** A comma-separated argument's items (trimmed, empty ones dropped), or undefined when none. */
export function csv(arg: string | undefined): string[] | undefined {
  const items = (arg ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  return items.length ? [...new Set(items)] : undefined
}

/** An optional argument: the spec counts an empty one as absent. */
export function present(arg: string | undefined): string | undefined {
  const v = arg?.trim()
  return v ? v : undefined
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field} ${message}`, { details: [{ path: field, message }] })
}
