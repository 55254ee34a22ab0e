/**
 * The governance policies API (治理规则, `/api/policies`) as the policy pages use it: the registry, a
 * kind with its schema and history, publishing a version, and the per-level overrides (各级调整) with
 * the document in force in a region.
 * @module
 */
import { ApiError, http } from './api.js'
import type { RequestOptions } from './api.js'
import type { RegionLevel } from '../shared/domain.js'

/** A published version of a policy kind. */
export interface PolicyVersion {
  kind: string
  version: number
  /** Epoch ms from which it governs. */
  effectiveAt: number
  body: unknown
  digest: string
  note: string | null
  /** The publishing account's id (`system` for the platform's initial rules). */
  publishedBy: string
  publishedAt: number
  ledger: { log: string; index: number }
}

/** `GET /api/policies`: a kind with the version governing now. */
export interface PolicyKindSummary {
  kind: string
  title: { zh: string; en: string }
  description: string
  current: PolicyVersion | null
  versions: number
}

/** Which levels may override which field of a kind's documents, and within which bound. */
export interface OverrideRule {
  /** A JSON pointer into the document (`/default/resolveDays`), `*` for any one key or index. */
  path: string
  levels: Exclude<RegionLevel, 'province'>[]
  /** `max`: not above the province's value; `min`: not below it; `any`: free. */
  bound: 'max' | 'min' | 'any'
  title: { zh: string; en: string }
}

/** A region's override of some fields of a kind. */
export interface PolicyOverride {
  id: string
  kind: string
  regionCode: string
  regionName: string
  level: RegionLevel
  values: { path: string; value: unknown }[]
  effectiveAt: number
  note: string | null
  publishedBy: string
  publishedAt: number
  retiredAt: number | null
  retiredBy: string | null
  /** The region's nth override of the kind: results name it `kind@v+region.seq`. */
  seq: number
  ledger: { log: string; index: number }
}

/** `GET /api/policies/{kind}`: the kind's schema and every version, newest first. */
export interface PolicyKindDetail extends PolicyKindSummary {
  schema: Record<string, unknown>
  history: PolicyVersion[]
  /** The short type (`routing`, `time_limits`…). */
  type: string
  overrideRules: OverrideRule[]
  overrides: PolicyOverride[]
}

/** `GET /api/policies/{kind}/effective?region=`: the document after the overrides along the region's chain. */
export interface EffectivePolicy {
  kind: string
  version: number
  document: unknown
  overrides: string[]
  policy: string
}

export interface PublishInput {
  body: unknown
  effectiveAt?: number
  note?: string
}

export interface OverrideInput {
  regionCode: string
  values: { path: string; value: unknown }[]
  effectiveAt?: number
  note?: string
}

const enc = encodeURIComponent

export const policiesApi = {
  list: (o?: RequestOptions) => http.get<PolicyKindSummary[]>('/api/policies', o),
  kind: (kind: string, o?: RequestOptions) => http.get<PolicyKindDetail>(`/api/policies/${enc(kind)}`, o),
  publish: (kind: string, input: PublishInput) =>
    http.send<PolicyVersion>('POST', `/api/policies/${enc(kind)}`, input, { quiet: true }),
  addOverride: (kind: string, input: OverrideInput) =>
    http.send<PolicyOverride>('POST', `/api/policies/${enc(kind)}/overrides`, input, { quiet: true }),
  retireOverride: (kind: string, id: string) =>
    http.send<PolicyOverride>('POST', `/api/policies/${enc(kind)}/overrides/${enc(id)}/retire`),
  effective: (kind: string, region: string, o?: RequestOptions) =>
    http.get<EffectivePolicy>(`/api/policies/${enc(kind)}/effective${http.query({ region })}`, o),
}

/** The display name of a staff account, cached; null when it cannot be read (outside one's region). */
const names = new Map<string, Promise<string | null>>()
export function staffName(id: string): Promise<string | null> {
  let found = names.get(id)
  if (!found) {
    found = http.get<{ name: string }>(`/api/staff/${enc(id)}`, { quiet: true }).then(
      (s) => s.name,
      (e: unknown) => {
        if (!(e instanceof ApiError) || e.status === 0) names.delete(id)
        return null
      },
    )
    names.set(id, found)
  }
  return found
}

/**
 * The field errors of a `VALIDATION_FAILED` answer to a publication: `details[].path` such as
 * `/body/body/rules/0/to/level` as a path inside the document (`['rules', '0', 'to', 'level']`); the
 * rest (`/body/effectiveAt`, `/body/note`) by their field.
 */
export interface PublishError {
  /** Inside the document, or null for a field of the request (`effectiveAt`, `note`). */
  path: string[] | null
  field: string | null
  message: string
  keyword: string | null
  params: Record<string, unknown>
}

export function publishErrors(details: unknown, prefix = ['body', 'body']): PublishError[] {
  if (!Array.isArray(details)) return []
  const out: PublishError[] = []
  for (const item of details) {
    if (typeof item !== 'object' || item === null) continue
    const rec = item as Record<string, unknown>
    const parts = (typeof rec.path === 'string' ? rec.path : '')
      .split('/')
      .filter(Boolean)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    const params =
      typeof rec.params === 'object' && rec.params !== null ? (rec.params as Record<string, unknown>) : {}
    const message = typeof rec.message === 'string' ? rec.message : ''
    const inDocument = prefix.every((p, i) => parts[i] === p)
    out.push({
      path: inDocument ? parts.slice(prefix.length) : null,
      field: inDocument ? null : (parts[parts.length - 1] ?? null),
      message,
      keyword: typeof rec.keyword === 'string' ? rec.keyword : keywordOf(params, message),
      params,
    })
  }
  return out
}

/** The Ajv keyword behind an error the server did not name, from its params (or its message). */
function keywordOf(params: Record<string, unknown>, message: string): string | null {
  if ('missingProperty' in params) return 'required'
  if ('allowedValues' in params) return 'enum'
  if ('additionalProperty' in params) return 'additionalProperties'
  if ('pattern' in params) return 'pattern'
  if ('type' in params) return 'type'
  if ('comparison' in params) {
    const c = params.comparison
    return c === '<='
      ? 'maximum'
      : c === '>='
        ? 'minimum'
        : c === '<'
          ? 'exclusiveMaximum'
          : 'exclusiveMinimum'
  }
  if ('limit' in params) {
    if (/fewer than/.test(message)) return 'minItems'
    if (/more than/.test(message)) return 'maxItems'
    if (/shorter than/.test(message)) return /characters/.test(message) ? 'minLength' : 'minItems'
    if (/longer than/.test(message)) return 'maxLength'
  }
  if (/duplicate/.test(message)) return 'uniqueItems'
  return null
}
