/**
 * Filing appeals (诉求): a citizen online (or through Open311), a 12345 hotline operator on the fast
 * entry form, a window clerk; and the platform itself when a submission contradicts an authoritative
 * record (数据差异). Filing finds the appeal's region (named, from the map pin, from its case, or the
 * citizen's), works out what it is about, routes it by the routing policy (to the department
 * responsible for the case when the rule says so), sets its deadlines on the working-day calendar, and,
 * in one transaction: stores it, records `appeal.filed`, builds and records its responsibility chain,
 * and schedules the escalation ladder's jobs. Every result names the policy version behind it.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { AppealView } from '../../../shared/api.js'
import {
  APPEAL_CATEGORY_CODES,
  type AppealChannel,
  type AppealKind,
  type Department,
} from '../../../shared/domain.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { AttachmentService } from '../attachments/attachments.service.js'
import type { CaseFacts } from '../cases/case-views.service.js'
import { commitment, newSalt } from '../ledger/formats/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { policyId, type PolicyVersion } from '../policy/index.js'
import type { PolicyService } from '../policy/policy.service.js'
import type { RegionService } from '../regions/regions.service.js'
import type { SchedulerService } from '../scheduler/scheduler.service.js'
import type { WorkCalendar } from '../workflow/calendar/index.js'
import {
  concernOf,
  deadlineDays,
  defaultCategory,
  MAX_TEXT_LENGTH,
  routingCandidates,
  targetRegions,
  type Appeal,
  type DeadlinePolicy,
  type EscalationPolicy,
  type RoutingPolicy,
} from './appeals.model.js'
import { recordSteps, scheduleDeadlines } from './appeals.journal.js'
import type { AppealViewService } from './appeal-views.service.js'
import * as store from './appeals.store.js'
import type { ChainService } from './chains.service.js'

export interface FileInput {
  kind: AppealKind
  category?: string
  text?: string
  location?: { lat: number; lng: number }
  regionCode?: string
  caseId?: string
  /** Staff filing for a caller: the channel (`hotline`, `window`), the caller's account if known, their contact. */
  channel?: AppealChannel
  citizenId?: string
  contact?: { name?: string; phone?: string }
  attachments?: string[]
}

/** Where the routing sent an appeal, and under which policy versions. */
export interface Routed {
  department: Department
  rule: string
  routingPolicy: string
}

const invalid = (path: string, message: string): AppError =>
  new AppError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] })

export class AppealService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
    private readonly regions: RegionService,
    private readonly attachments: AttachmentService,
    private readonly policies: PolicyService,
    private readonly scheduler: SchedulerService,
    private readonly chains: ChainService,
    private readonly views: AppealViewService,
  ) {}

  /** The working-day calendar of the `calendar.holidays` policy (deadlines run on it). */
  get calendar(): WorkCalendar {
    return this.policies.calendar
  }

  /**
   * Files an appeal. @throws VALIDATION_FAILED (category, text, place, attachments, channel),
   *   FORBIDDEN (a citizen filing for someone else, about another's case), NOT_FOUND (case, citizen),
   *   CONFLICT (no department of the routed kind exists anywhere above the place)
   */
  async file(principal: Principal, input: FileInput): Promise<AppealView> {
    let channel: AppealChannel
    let citizenId: string | null
    if (principal.kind === 'citizen') {
      assertCan(principal, 'appeal.file', { ownerId: principal.accountId })
      channel = input.channel ?? 'web'
      if (channel !== 'web' && channel !== 'open311')
        throw invalid('/body/channel', 'must be web for a citizen')
      if (input.citizenId !== undefined && input.citizenId !== principal.accountId)
        throw new AppError('FORBIDDEN', 'a citizen files appeals for themselves only', {
          details: { permission: 'appeal.file' },
        })
      citizenId = principal.accountId
    } else {
      assertCan(principal, 'appeal.file')
      channel = input.channel ?? 'hotline'
      if (channel !== 'hotline' && channel !== 'window')
        throw invalid('/body/channel', 'must be hotline or window for staff filing for a caller')
      citizenId = input.citizenId ?? null
      if (citizenId !== null) {
        const found = await this.org.findLoginAccount({ id: citizenId })
        if (!found || found.principal.kind !== 'citizen') throw notFound('citizen', citizenId)
      } else if (!input.contact?.phone && !input.contact?.name)
        throw invalid('/body/contact', 'name the caller or give their phone (or their account: citizenId)')
    }
    const facts = input.caseId ? await this.chains.facts(input.caseId) : undefined
    if (input.caseId && !facts) throw notFound('case', input.caseId)
    if (facts && principal.kind === 'citizen' && facts.applicantId !== principal.accountId)
      throw new AppError('FORBIDDEN', 'a citizen files appeals about their own cases', {
        details: { permission: 'appeal.file', caseId: input.caseId },
      })
    const text = (input.text ?? '').trim()
    if (text.length > MAX_TEXT_LENGTH)
      throw invalid('/body/text', `is longer than ${MAX_TEXT_LENGTH} characters`)
    if (!text && !facts) throw invalid('/body/text', 'say what the appeal is about (or name its case)')
    if (input.category !== undefined && !APPEAL_CATEGORY_CODES.includes(input.category))
      throw invalid('/body/category', `is not a category (one of ${APPEAL_CATEGORY_CODES.join(', ')})`)
    if (input.category === undefined && !facts)
      throw invalid('/body/category', 'is required for an appeal without a case')
    const regionCode = await this.placeOf(input, facts, citizenId, principal)
    const files = await this.attachments.citedFiles(input.attachments ?? [], citizenId, '/body/attachments')
    const id = await this.open(principal, {
      kind: input.kind,
      category: input.category,
      text,
      channel,
      citizenId,
      location: input.location ?? null,
      regionCode,
      facts: facts ?? null,
      contact: principal.kind === 'staff' && input.contact ? input.contact : null,
      attachments: files.map((f) => f.id),
    })
    return this.views.get(principal, id)
  }

  /**
   * Files an appeal that came in through Open311 (GeoReport v2), for the client holding an API key:
   * the caller is named by their contact (never ledgered), the client is the filer. Placed by its pin
   * or region, routed, given deadlines and a chain like any other.
   * @returns the appeal's id
   * @throws VALIDATION_FAILED (category, text, place), CONFLICT (no department can take it)
   */
  async fileOpen311(
    client: { keyId: string; regionCode: string },
    input: {
      kind?: AppealKind
      category: string
      text: string
      location?: { lat: number; lng: number }
      regionCode?: string
      contact?: { name?: string; phone?: string; email?: string }
    },
    /** The client's own record of the filing (its token), in the appeal's transaction. */
    then?: (trx: Executor, appealId: string) => Promise<void>,
  ): Promise<string> {
    const filer: Principal = {
      accountId: `open311:${client.keyId}`,
      username: `open311:${client.keyId}`,
      name: 'Open311',
      kind: 'staff',
      roles: [],
      regionCode: client.regionCode,
      departmentId: null,
    }
    const text = input.text.trim()
    if (!text || text.length > MAX_TEXT_LENGTH)
      throw invalid('description', `1 to ${MAX_TEXT_LENGTH} characters`)
    if (!APPEAL_CATEGORY_CODES.includes(input.category)) throw invalid('service_code', 'is not a service')
    let regionCode = input.regionCode
    if (input.location) {
      const found = await this.regions.locate(input.location)
      if (!found) throw invalid('lat', 'the point lies outside the province')
      if (!regionCode || found.code.startsWith(regionCode)) regionCode = found.code
    }
    if (!regionCode) throw invalid('lat', 'give a location (lat and long)')
    if (!(await this.regions.findRegion(regionCode))) throw invalid('jurisdiction_id', 'is not a region')
    const contact = input.contact && Object.values(input.contact).some(Boolean) ? input.contact : null
    return this.open(filer, {
      kind: input.kind ?? 'complaint',
      category: input.category,
      text,
      channel: 'open311',
      citizenId: null,
      location: input.location ?? null,
      regionCode,
      facts: null,
      contact,
      attachments: [],
      ...(then ? { then } : {}),
    })
  }

  /** The appeal's region: named, else from its pin, else its case's, else the citizen's (or the operator's). */
  private async placeOf(
    input: FileInput,
    facts: CaseFacts | undefined,
    citizenId: string | null,
    principal: Principal,
  ): Promise<string> {
    if (input.regionCode !== undefined) {
      if (!(await this.regions.findRegion(input.regionCode)))
        throw invalid('/body/regionCode', 'is not a region')
      return input.regionCode
    }
    if (input.location) {
      const found = await this.regions.locate(input.location)
      if (!found) throw invalid('/body/location', 'lies outside the province')
      return found.code
    }
    if (facts) return facts.regionCode
    if (citizenId === principal.accountId) return principal.regionCode
    if (citizenId) {
      const found = await this.org.findLoginAccount({ id: citizenId })
      if (found) return found.principal.regionCode
    }
    throw invalid('/body/regionCode', 'say where: a regionCode or a location')
  }

  /**
   * Opens the data-discrepancy appeal of a submitted case whose values contradict the records (the
   * `appeal.discrepancy` job's work, with no citizen action). Idempotent: a case gets one.
   */
  async openDiscrepancy(caseId: string): Promise<void> {
    const existing = await store.listAppeals(this.db, { caseId, kind: 'discrepancy', limit: 1, offset: 0 })
    if (existing.total > 0) return
    const facts = await this.chains.facts(caseId)
    if (!facts || facts.discrepancies.length === 0) return
    await this.open(SYSTEM, {
      kind: 'discrepancy',
      category: 'data/record',
      text: '',
      channel: 'system',
      citizenId: facts.applicantId,
      location: null,
      regionCode: facts.regionCode,
      facts,
      contact: null,
      attachments: [],
    })
  }

  /** Routes an appeal: the first candidate whose department exists and is not excluded. */
  async route(
    policy: PolicyVersion<RoutingPolicy>,
    a: { kind: AppealKind; category: string; regionCode: string; text: string; withCase: boolean },
    responsible: string | null,
    excluded: ReadonlySet<string> = new Set(),
    db: Executor = this.db,
  ): Promise<Routed | undefined> {
    for (const c of routingCandidates(policy.body, a)) {
      if (c.target.preferResponsible && responsible && !excluded.has(responsible)) {
        const d = (await this.org.findDepartments([responsible], db)).get(responsible)
        if (d) return { department: d, rule: c.rule, routingPolicy: policyId(policy.kind, policy.version) }
      }
      for (const code of targetRegions(a.regionCode, c.target.level)) {
        const d = await this.org.findDepartmentOfKind(code, c.target.departmentKind, db)
        if (d && !excluded.has(d.id))
          return { department: d, rule: c.rule, routingPolicy: policyId(policy.kind, policy.version) }
      }
    }
    return undefined
  }

  private async open(
    principal: Principal,
    o: {
      kind: AppealKind
      category: string | undefined
      text: string
      channel: AppealChannel
      citizenId: string | null
      location: { lat: number; lng: number } | null
      regionCode: string
      facts: CaseFacts | null
      contact: Appeal['contact']
      attachments: string[]
      then?: (trx: Executor, appealId: string) => Promise<void>
    },
  ): Promise<string> {
    const now = this.clock.now()
    const concern = concernOf(o.kind, o.category ?? '', o.facts, now)
    const category = o.category ?? defaultCategory(o.kind, concern)
    const [routing, deadlines, escalation] = await Promise.all([
      this.policies.governing<RoutingPolicy>('appeal.routing', now),
      // Time limits and the ladder as they govern the appeal's region (a county may shorten them).
      this.policies.governingFor<DeadlinePolicy>('appeal.deadlines', o.regionCode, now),
      this.policies.governingFor<EscalationPolicy>('appeal.escalation', o.regionCode, now),
    ])
    const id = randomUUID()
    const draft = {
      id,
      kind: o.kind,
      concern,
      caseId: o.facts?.id ?? null,
      regionCode: o.regionCode,
      handlerId: null,
      createdAt: now,
    }
    // Who is responsible decides where a rule with `preferResponsible` sends an appeal about a case:
    // build its chain once without a department to find out (an appeal without one has nobody yet).
    const first = o.facts ? await this.chains.context(draft, [], now, undefined, o.facts) : undefined
    const responsible = first
      ? (this.chains
          .build({ ...draft, departmentId: '' }, first, { filed: null, accepted: null })
          .links.find((l) => l.primary)?.departmentId ?? null)
      : null
    const routed = await this.route(
      routing,
      { kind: o.kind, category, regionCode: o.regionCode, text: o.text, withCase: o.facts !== null },
      responsible,
    )
    if (!routed)
      throw new AppError(
        'CONFLICT',
        'no department can take this appeal: the routing policy names none that exists here',
        {
          details: { regionCode: o.regionCode, category },
        },
      )
    const context = first?.departments.has(routed.department.id)
      ? first
      : await this.chains.context(draft, [routed.department.id], now, undefined, o.facts)
    const days = deadlineDays(deadlines.body, o.kind)
    const appeal: Appeal = {
      id,
      kind: o.kind,
      category,
      channel: o.channel,
      text: o.text,
      lat: o.location?.lat ?? null,
      lng: o.location?.lng ?? null,
      regionCode: o.regionCode,
      caseId: o.facts?.id ?? null,
      citizenId: o.citizenId,
      filedBy: principal.accountId,
      contact: o.contact,
      attachments: o.attachments,
      salt: newSalt(),
      status: 'dispatched',
      departmentId: routed.department.id,
      handlerId: null,
      round: 1,
      respondDueAt: this.calendar.addWorkingDays(now, days.respondDays),
      resolveDueAt: this.calendar.addWorkingDays(now, days.resolveDays),
      respondedAt: null,
      resolvedAt: null,
      closedAt: null,
      response: null,
      resolution: null,
      satisfaction: null,
      reopened: false,
      mergedInto: null,
      concern,
      routingRule: routed.rule,
      routingPolicy: routed.routingPolicy,
      deadlinePolicy: deadlines.id,
      escalationPolicy: escalation.id,
      createdAt: now,
      updatedAt: now,
    }
    await this.db.transaction().execute(async (trx) => {
      await store.insertAppeal(trx, appeal)
      const jobs = await scheduleDeadlines(trx, this.scheduler, appeal, escalation.body, this.calendar)
      const [filed] = await recordSteps(
        trx,
        this.ledger,
        appeal,
        principal,
        now,
        [
          {
            type: 'appeal.filed',
            ledger: {
              kind: appeal.kind,
              category,
              channel: appeal.channel,
              region: appeal.regionCode,
              case: appeal.caseId,
              citizen: appeal.citizenId,
              content: contentCommitment(appeal),
              concern,
              department: appeal.departmentId,
              rule: appeal.routingRule,
              routingPolicy: appeal.routingPolicy,
              respondDueAt: appeal.respondDueAt,
              resolveDueAt: appeal.resolveDueAt,
              deadlinePolicy: appeal.deadlinePolicy,
              escalationPolicy: appeal.escalationPolicy,
              // The holiday schedules the working-day deadlines were counted on.
              ...(this.calendar.policyRef ? { calendar: this.calendar.policyRef } : {}),
            },
            row: {
              department: appeal.departmentId,
              rule: appeal.routingRule,
              routingPolicy: appeal.routingPolicy,
            },
          },
        ],
        jobs,
      )
      const chain = this.chains.build(appeal, context, { filed: filed ?? null, accepted: null })
      await this.chains.record(trx, appeal, chain, 'filed', principal)
      await o.then?.(trx, id)
    })
    return id
  }
}

/** The commitment `appeal.filed` holds to what the citizen wrote, where, and which files. */
export function contentCommitment(
  a: Pick<Appeal, 'text' | 'lat' | 'lng' | 'contact' | 'attachments' | 'salt'>,
): string {
  return commitment(
    { text: a.text, lat: a.lat, lng: a.lng, contact: a.contact, attachments: a.attachments },
    a.salt,
  )
}
