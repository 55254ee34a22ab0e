/**
 * Open311 GeoReport v2 over appeals (诉求): administrators issue and revoke API keys for their
 * region; a client holding a key files service requests, which become appeals through
 * `AppealService.fileOpen311` (placed, routed, given deadlines and a responsibility chain like every
 * appeal); anyone reads services, their definitions and the public fields of requests.
 *
 * Keys: the key itself is shown once, at issue; only its SHA-256 is stored and ledgered. A key files
 * only inside its region (its issuer's), and a revoked key files nothing.
 *
 * A filed request and its token commit in one transaction: the appeals module's (the appeal,
 * `appeal.filed`, its chain and deadline jobs), into which this module's record of which key filed it
 * and its token (`open311.request_received`) is written through a callback.
 *
 * Published requests show what a citizen wrote only when it was filed through Open311 (public by the
 * spec's design); an appeal filed on the web, the hotline or at a window shows its service, place (to
 * about 100 m) and status, never its text or the officials' replies, which may name people.
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { scopeFor, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { AppealSummary } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { AppealViewService } from '../appeals/appeal-views.service.js'
import type { AppealService } from '../appeals/appeals.service.js'
import { actorOf, subjectOf, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { RegionService } from '../regions/regions.service.js'
import type { Open311EventData } from './open311.events.js'
import {
  KIND_ATTRIBUTE,
  MAX_DESCRIPTION_LENGTH,
  MAX_KEY_NAME_LENGTH,
  MAX_REQUESTS,
  csv,
  dateWindow,
  findService,
  kindOf,
  listServices,
  noticeOf,
  present,
  requestOf,
  serviceDefinition,
  statusesFor,
  type Open311Key,
  type Open311Request,
  type Open311ServiceEntry,
  type Open311ServiceDefinition,
} from './open311.model.js'
import { open311Replayer } from './open311.replayer.js'
import * as store from './open311.store.js'

/** A key as administrators see it (never the key, never its digest). */
export interface Open311KeyView {
  id: string
  name: string
  regionCode: string
  createdBy: string
  createdAt: number
  revokedAt: number | null
  revokedBy: string | null
}

/** The arguments of `POST /requests`, as the client sent them (form fields or JSON). */
export interface SubmitInput {
  api_key?: string
  jurisdiction_id?: string
  service_code?: string
  lat?: string | number
  long?: string | number
  address_string?: string
  address_id?: string
  email?: string
  device_id?: string
  account_id?: string
  first_name?: string
  last_name?: string
  phone?: string
  description?: string
  media_url?: string
  /** `attribute[CODE]` values (a multi-valued one as a list). */
  attributes?: Readonly<Record<string, string | readonly string[]>>
}

export interface SubmitResult {
  service_request_id: string
  token: string
  service_notice: string
  account_id: string | null
}

/** The arguments of `GET /requests`. */
export interface RequestsQuery {
  jurisdiction_id?: string
  service_request_id?: string
  service_code?: string
  start_date?: string
  end_date?: string
  status?: string
}

const MAX_ADDRESS_LENGTH = 500
const MAX_CONTACT_LENGTH = 100

const invalid = (field: string, message: string): AppError =>
  new AppError('VALIDATION_FAILED', `${field} ${message}`, { details: [{ path: field, message }] })

const keyDenied = (message: string): AppError =>
  new AppError('FORBIDDEN', message, { details: { parameter: 'api_key' } })

/**
 * A request's `media_url`: an absolute http(s) URL (a photo the client hosts; we never fetch it), or
 * null when none was given. @throws VALIDATION_FAILED
 */
function mediaUrlOf(value: string | undefined): string | null {
  const text = present(value)
  if (text === undefined) return null
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid('media_url', 'must be an absolute http or https URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('media_url', 'must be an absolute http or https URL')
  return text
}

export const digestOf = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex')

function viewOf(k: Open311Key): Open311KeyView {
  return {
    id: k.id,
    name: k.name,
    regionCode: k.regionCode,
    createdBy: k.createdBy,
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
    revokedBy: k.revokedBy,
  }
}

export class Open311Service {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly regions: RegionService,
    private readonly appeals: AppealService,
    private readonly views: AppealViewService,
  ) {}

  // ---- keys ------------------------------------------------------------------------------------

  /**
   * Issues a key filing in the administrator's region. @returns the key's view and the key itself,
   * which is never shown again. @throws FORBIDDEN (not an administrator), VALIDATION_FAILED (name)
   */
  async issueKey(principal: Principal, name: string): Promise<Open311KeyView & { apiKey: string }> {
    assertCan(principal, 'open311.keys', { regionCode: principal.regionCode })
    const trimmed = name.trim()
    if (!trimmed || trimmed.length > MAX_KEY_NAME_LENGTH)
      throw invalid('/body/name', `must be 1 to ${MAX_KEY_NAME_LENGTH} characters`)
    if (!principal.regionCode)
      throw invalid('/body/name', 'a key files in a region: issue it as a region’s administrator')
    const apiKey = `o311_${randomBytes(32).toString('base64url')}`
    const id = randomUUID()
    const digest = digestOf(apiKey)
    const now = this.clock.now()
    const key = await this.db.transaction().execute(async (trx) => {
      const data: Open311EventData['open311.key_issued'] = {
        key: id,
        name: trimmed,
        region: principal.regionCode,
        digest,
      }
      const ledger = await this.ledger.append(trx, {
        type: 'open311.key_issued',
        subject: subjectOf('open311_key', id),
        regionCode: principal.regionCode,
        actor: actorOf(principal),
        data: { ...data },
      })
      const k: Open311Key = {
        id,
        name: trimmed,
        digest,
        regionCode: principal.regionCode,
        createdBy: principal.accountId,
        createdAt: now,
        revokedBy: null,
        revokedAt: null,
        ledger,
      }
      await store.insertKey(trx, k)
      return k
    })
    return { ...viewOf(key), apiKey }
  }

  /** The keys of the administrator's region subtree, newest first. @throws FORBIDDEN */
  async listKeys(principal: Principal): Promise<Open311KeyView[]> {
    const scope = scopeFor(principal, 'open311.keys')
    return (await store.listKeys(this.db, scope.regionPrefix)).map(viewOf)
  }

  /**
   * Revokes a key (again: nothing more happens). From then on it files nothing.
   * @throws NOT_FOUND, FORBIDDEN (a key of a region outside the administrator's)
   */
  async revokeKey(principal: Principal, id: string): Promise<void> {
    assertCan(principal, 'open311.keys')
    const key = await store.findKey(this.db, id)
    if (!key) throw notFound('open311 key', id)
    assertCan(principal, 'open311.keys', { regionCode: key.regionCode })
    await this.db.transaction().execute(async (trx) => {
      // The conditional update decides who revokes when two administrators do it at once.
      if (!(await store.revokeKey(trx, id, principal.accountId, this.clock.now()))) return
      const data: Open311EventData['open311.key_revoked'] = { key: id }
      await this.ledger.append(trx, {
        type: 'open311.key_revoked',
        subject: subjectOf('open311_key', id),
        regionCode: key.regionCode,
        actor: actorOf(principal),
        data: { ...data },
      })
    })
  }

  /** The key an API key names, if it is valid and not revoked. */
  async authenticate(apiKey: string | undefined): Promise<Open311Key | undefined> {
    if (!apiKey) return undefined
    const key = await store.findKeyByDigest(this.db, digestOf(apiKey))
    return key && key.revokedAt === null ? key : undefined
  }

  // ---- GeoReport v2 ----------------------------------------------------------------------------

  /**
   * The region a `jurisdiction_id` names (undefined: the whole province).
   * @throws NOT_FOUND for a code that is not a region
   */
  async jurisdiction(arg: string | undefined): Promise<string | undefined> {
    const code = present(arg)
    if (code === undefined) return undefined
    if (!(await this.regions.findRegion(code))) throw notFound('jurisdiction_id', code)
    return code
  }

  /** Every service (the same in every jurisdiction). @throws NOT_FOUND (jurisdiction) */
  async services(jurisdictionId?: string): Promise<readonly Open311ServiceEntry[]> {
    await this.jurisdiction(jurisdictionId)
    return listServices()
  }

  /** A service's definition. @throws NOT_FOUND (service, jurisdiction) */
  async definition(code: string, jurisdictionId?: string): Promise<Open311ServiceDefinition> {
    await this.jurisdiction(jurisdictionId)
    if (!findService(code)) throw notFound('service_code', code)
    return serviceDefinition(code)
  }

  /**
   * Files a service request as an appeal.
   * @throws FORBIDDEN (api_key missing, unknown or revoked; a place outside the key's region),
   *   NOT_FOUND (jurisdiction), VALIDATION_FAILED (service, location, description, contact, attribute),
   *   CONFLICT (no department can take it)
   */
  async submit(input: SubmitInput): Promise<SubmitResult> {
    const apiKey = present(input.api_key)
    if (!apiKey) throw keyDenied('api_key is required to file a request')
    const key = await this.authenticate(apiKey)
    if (!key) throw keyDenied('api_key is not a valid key (unknown or revoked)')

    const serviceCode = present(input.service_code)
    if (!serviceCode) throw invalid('service_code', 'is required')
    const service = findService(serviceCode)
    if (!service) throw invalid('service_code', `is not a service (GET services.json lists them)`)
    const jurisdiction = await this.jurisdiction(input.jurisdiction_id)
    const kindValue = input.attributes?.[KIND_ATTRIBUTE]
    if (Array.isArray(kindValue)) throw invalid(`attribute[${KIND_ATTRIBUTE}]`, 'takes one value')
    const kind = kindOf(present(kindValue as string | undefined))

    const description = present(input.description)
    if (description && description.length > MAX_DESCRIPTION_LENGTH)
      throw invalid('description', `is longer than ${MAX_DESCRIPTION_LENGTH} characters`)
    const address = present(input.address_string)
    if (address && address.length > MAX_ADDRESS_LENGTH)
      throw invalid('address_string', `is longer than ${MAX_ADDRESS_LENGTH} characters`)
    // Appeals keep no address of their own: the address the client gave goes with the text.
    const text = [description ?? service.service_name, address ? `地址 (address): ${address}` : '']
      .filter(Boolean)
      .join('\n')
    if (text.length > MAX_DESCRIPTION_LENGTH)
      throw invalid('address_string', `and description together exceed ${MAX_DESCRIPTION_LENGTH} characters`)

    const mediaUrl = mediaUrlOf(input.media_url)
    const { location, regionCode } = await this.placeOf(input, jurisdiction, address)
    if (!regionCode.startsWith(key.regionCode))
      throw new AppError('FORBIDDEN', `this api_key files requests in region ${key.regionCode} only`, {
        details: { parameter: 'api_key', keyRegion: key.regionCode, regionCode },
      })

    const token = randomBytes(16).toString('base64url')
    // The token is recorded in the appeal's own transaction: a request is filed with its token or not at all.
    const appealId = await this.appeals.fileOpen311(
      { keyId: key.id, regionCode: key.regionCode },
      {
        ...(kind ? { kind } : {}),
        category: serviceCode,
        text,
        ...(location ? { location } : {}),
        regionCode,
        contact: this.contactOf(input),
      },
      async (trx, appealId) => {
        const data: Open311EventData['open311.request_received'] = {
          key: key.id,
          appeal: appealId,
          token,
          media: mediaUrl === null ? null : digestOf(mediaUrl),
        }
        const ledger = await this.ledger.append(trx, {
          type: 'open311.request_received',
          subject: subjectOf('appeal', appealId),
          regionCode,
          actor: { id: `open311:${key.id}`, roles: [], department: null, region: key.regionCode },
          data: { ...data },
        })
        await store.insertFiling(trx, {
          appealId,
          keyId: key.id,
          token,
          createdAt: this.clock.now(),
          mediaUrl,
          ledger,
        })
      },
    )
    const [filed] = await this.views.publicList({ ids: [appealId], limit: 1 })
    if (!filed) throw new AppError('INTERNAL', `the appeal ${appealId} just filed cannot be read`)
    return {
      service_request_id: appealId,
      token,
      service_notice: noticeOf(filed),
      account_id: present(input.account_id) ?? null,
    }
  }

  /**
   * Where a request is: its pin (lat and long), else its `address_id` (a region code: what
   * `GET /requests` gives as `address_id`), else the jurisdiction its `address_string` is in.
   * The region is resolved here as the appeals module would (the pin's deepest region, unless it lies
   * outside the jurisdiction named), so the key's region can be checked before filing.
   */
  private async placeOf(
    input: SubmitInput,
    jurisdiction: string | undefined,
    address: string | undefined,
  ): Promise<{ location?: { lat: number; lng: number }; regionCode: string }> {
    const lat = coordinate('lat', input.lat, 90)
    const lng = coordinate('long', input.long, 180)
    if ((lat === undefined) !== (lng === undefined))
      throw invalid(lat === undefined ? 'lat' : 'long', 'is required with the other')
    const addressId = present(input.address_id)
    let named = jurisdiction
    if (addressId !== undefined) {
      if (!(await this.regions.findRegion(addressId)))
        throw invalid(
          'address_id',
          'is not an address id of ours (a region code, as GET requests.json gives)',
        )
      if (jurisdiction && !addressId.startsWith(jurisdiction))
        throw invalid('address_id', 'lies outside jurisdiction_id')
      named = addressId
    }
    if (lat !== undefined && lng !== undefined) {
      const found = await this.regions.locate({ lat, lng })
      if (!found) throw invalid('lat', 'and long lie outside the province')
      const regionCode = !named || found.code.startsWith(named) ? found.code : named
      return { location: { lat, lng }, regionCode }
    }
    if (addressId !== undefined) return { regionCode: addressId }
    if (address !== undefined) {
      if (jurisdiction) return { regionCode: jurisdiction }
      throw invalid(
        'address_string',
        'alone cannot be placed: give lat and long, or a jurisdiction_id (region code)',
      )
    }
    throw invalid('lat', 'and long are required (or address_id, or address_string with a jurisdiction_id)')
  }

  private contactOf(input: SubmitInput): { name?: string; phone?: string; email?: string } {
    const first = present(input.first_name)
    const last = present(input.last_name)
    const phone = present(input.phone)
    const email = present(input.email)
    for (const [field, v] of Object.entries({ first_name: first, last_name: last, phone, email }))
      if (v && v.length > MAX_CONTACT_LENGTH)
        throw invalid(field, `is longer than ${MAX_CONTACT_LENGTH} characters`)
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('email', 'is not an e-mail address')
    // Chinese names are written family name first, without a space.
    const cjk = /[\u3400-\u9fff]/.test(`${first ?? ''}${last ?? ''}`)
    const name = cjk ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ')
    return { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) }
  }

  /**
   * Service requests: the listed ids (which override every other filter but the jurisdiction), or
   * those filed in the date window (90 days at most; the last 90 by default), of the services and
   * status asked for; newest first, at most 1000.
   * @throws NOT_FOUND (jurisdiction), VALIDATION_FAILED (dates, span, status, service_code)
   */
  async requests(q: RequestsQuery): Promise<Open311Request[]> {
    const regionPrefix = await this.jurisdiction(q.jurisdiction_id)
    const where = regionPrefix ? { regionPrefix } : {}
    const ids = csv(q.service_request_id)
    if (ids) {
      const found = await this.views.publicList({
        ...where,
        ids: ids.slice(0, MAX_REQUESTS),
        limit: MAX_REQUESTS,
      })
      return this.withMedia(found)
    }
    const codes = csv(q.service_code)
    for (const c of codes ?? []) if (!findService(c)) throw invalid('service_code', `${c} is not a service`)
    const statuses = statusesFor(q.status)
    const { from, to } = dateWindow(present(q.start_date), present(q.end_date), this.clock.now())
    const found = await this.views.publicList({
      ...where,
      ...(codes ? { categories: codes } : {}),
      ...(statuses ? { statuses } : {}),
      from,
      to,
      limit: MAX_REQUESTS,
    })
    return this.withMedia(found)
  }

  /** The requests of these appeals, each with the `media_url` its client gave (one query for all). */
  private async withMedia(found: readonly AppealSummary[]): Promise<Open311Request[]> {
    const media = await store.mediaOf(
      this.db,
      found.map((a) => a.id),
    )
    return found.map((a) => requestOf(a, media.get(a.id) ?? null))
  }

  /** One service request, as a one-element list. @throws NOT_FOUND (request, jurisdiction) */
  async request(id: string, jurisdictionId?: string): Promise<Open311Request[]> {
    const regionPrefix = await this.jurisdiction(jurisdictionId)
    const [found] = await this.views.publicList({
      ids: [id],
      ...(regionPrefix ? { regionPrefix } : {}),
      limit: 1,
    })
    if (!found) throw notFound('service_request_id', id)
    return this.withMedia([found])
  }

  /** The request a token stands for. @throws NOT_FOUND (token, jurisdiction) */
  async token(
    token: string,
    jurisdictionId?: string,
  ): Promise<{ service_request_id: string; token: string }[]> {
    const regionPrefix = await this.jurisdiction(jurisdictionId)
    const filing = await store.findFilingByToken(this.db, token)
    if (!filing) throw notFound('token', token)
    if (regionPrefix) {
      const [inside] = await this.views.publicList({ ids: [filing.appealId], regionPrefix, limit: 1 })
      if (!inside) throw notFound('token', token)
    }
    return [{ service_request_id: filing.appealId, token: filing.token }]
  }

  replayer(): Replayer {
    return open311Replayer(() => store.listAll(this.db))
  }
}

/** A coordinate from a form field (text) or JSON (a number). @throws VALIDATION_FAILED */
function coordinate(field: string, value: string | number | undefined, bound: number): number | undefined {
  if (value === undefined || (typeof value === 'string' && !value.trim())) return undefined
  const n = typeof value === 'number' ? value : Number(value.trim())
  if (!Number.isFinite(n) || Math.abs(n) > bound)
    throw invalid(field, `must be a number between -${bound} and ${bound}`)
  return n
}
