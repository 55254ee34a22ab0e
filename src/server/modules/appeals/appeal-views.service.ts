/**
 * Reading appeals: one appeal with its timeline (each step with its ledger entry), its escalations,
 * the open duplicates it may be merged with and what the caller may do; lists for a citizen, a
 * department's inbox, a region's overseers and a hotline operator; and the responsibility chain.
 *
 * Who reads an appeal: its citizen; the staff of the department handling it; the region's overseers
 * (`appeal.read`); and, as rules of this module, the operator or clerk who took it and every official
 * its chain names (who must be able to see, and contest, what the chain says of them).
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type {
  AppealStepView,
  AppealSummary,
  AppealView,
  ResponsibilityChainView,
} from '../../../shared/api.js'
import type { AppealKind, AppealStatus } from '../../../shared/domain.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { can, grantFor } from '../../../shared/permissions.js'
import type { AttachmentService } from '../attachments/attachments.service.js'
import type { OrgService } from '../org/org.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { DUPLICATE_WINDOW_MS, isDuplicate, mayTake, type Appeal, type AppealAction } from './appeals.model.js'
import * as store from './appeals.store.js'
import type { ChainService } from './chains.service.js'

export interface AppealListQuery {
  caseId?: string
  status?: AppealStatus[]
  kind?: AppealKind
  /** Staff: `department` (the inbox, the default), `region` (an overseer's subtree), `filed` (taken by me). */
  scope?: 'department' | 'region' | 'filed'
  limit?: number
  offset?: number
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000

/**
 * What is published of an appeal: an Open311 request as its client filed it (public by that channel's
 * design); any other appeal without what people wrote (the text, the replies, which may name people)
 * and with its pin rounded to about 100 m (it may be someone's home).
 */
function published(a: AppealSummary): AppealSummary {
  if (a.channel === 'open311') return a
  return {
    ...a,
    text: '',
    response: a.response === null ? null : '',
    resolution: a.resolution === null ? null : '',
    location: a.location && { lat: round3(a.location.lat), lng: round3(a.location.lng) },
  }
}

/** An appeal as a list behind a chart shows it: no text, no caller. */
export interface AppealDigest {
  id: string
  kind: AppealKind
  category: string
  regionCode: string
  status: AppealStatus
  departmentId: string
  createdAt: number
}

export class AppealViewService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly org: OrgService,
    private readonly regions: RegionService,
    private readonly attachments: AttachmentService,
    private readonly chains: ChainService,
  ) {}

  /**
   * The texts of the given appeals, for the command hall's topic words (system use: never served; the
   * hall shows only counts of words). `db` is the transaction the caller is in, when it is in one.
   */
  async textsOf(ids: readonly string[], db: Executor = this.db): Promise<Map<string, string>> {
    return ids.length === 0 ? new Map() : store.findTexts(db, ids)
  }

  /** Loads an appeal the caller may read. @throws NOT_FOUND, FORBIDDEN */
  async readable(principal: Principal, id: string): Promise<Appeal> {
    const appeal = await store.findAppeal(this.db, id)
    if (!appeal) throw notFound('appeal', id)
    if (await this.mayRead(principal, appeal)) return appeal
    throw new AppError('FORBIDDEN', 'appeal.read: this appeal is neither yours nor your department’s', {
      details: { permission: 'appeal.read' },
    })
  }

  private async mayRead(principal: Principal, a: Appeal): Promise<boolean> {
    if (principal.kind === 'citizen')
      return a.citizenId === principal.accountId && can(principal, 'appeal.read', { ownerId: a.citizenId })
    if (a.filedBy === principal.accountId) return true
    if (can(principal, 'appeal.read', { departmentId: a.departmentId })) return true
    if (can(principal, 'appeal.read', { regionCode: a.regionCode, departmentId: null })) return true
    // A department that returned it keeps sight of where it went.
    if (principal.departmentId && can(principal, 'appeal.read', { departmentId: principal.departmentId })) {
      const steps = await store.listSteps(this.db, a.id)
      if (steps.some((s) => s.type === 'appeal.returned' && s.data.from === principal.departmentId))
        return true
    }
    return this.chains.names(a.id, principal.accountId)
  }

  /** What the caller may do with the appeal now. */
  actionsOf(principal: Principal, a: Appeal): AppealAction[] {
    const out: AppealAction[] = []
    const handles =
      principal.kind === 'staff' && can(principal, 'appeal.handle', { departmentId: a.departmentId })
    for (const action of ['accept', 'return', 'respond', 'resolve'] as const)
      if (handles && mayTake(action, a.status)) out.push(action)
    if (
      mayTake('merge', a.status) &&
      principal.kind === 'staff' &&
      can(principal, 'appeal.merge', { departmentId: a.departmentId })
    )
      out.push('merge')
    if (mayTake('rate', a.status) && this.mayRate(principal, a)) out.push('rate')
    return out
  }

  /** The citizen rates; for a caller without an account, the operator or clerk who took the call. */
  mayRate(principal: Principal, a: Appeal): boolean {
    if (principal.kind === 'citizen')
      return a.citizenId === principal.accountId && can(principal, 'appeal.rate', { ownerId: a.citizenId })
    return (
      a.filedBy === principal.accountId &&
      (a.channel === 'hotline' || a.channel === 'window') &&
      can(principal, 'appeal.rate', { regionCode: a.regionCode })
    )
  }

  /** One appeal with its timeline, escalations, duplicates and the caller's actions. @throws NOT_FOUND, FORBIDDEN */
  async get(principal: Principal, id: string): Promise<AppealView> {
    const appeal = await this.readable(principal, id)
    const [steps, escalations, duplicates, files] = await Promise.all([
      store.listSteps(this.db, id),
      store.listEscalations(this.db, id),
      this.duplicatesOf(appeal),
      this.attachments.citedFiles(appeal.attachments, appeal.citizenId, '/attachments').catch(() => []),
    ])
    const [summary] = await this.summaries([appeal], principal)
    // Every name the timeline and the escalations need, departments and people, in one query.
    const departmentOf = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)
    const names = await this.org.namesOf({
      departments: steps.flatMap((s) =>
        [departmentOf(s.data.department), departmentOf(s.data.from)].filter((d) => d !== null),
      ),
      accounts: [...steps.map((s) => s.actorId), ...escalations.flatMap((e) => e.to)],
    })
    const person = (id: string) => ({ id, name: id === 'system' ? '系统' : (names.accounts.get(id) ?? id) })
    /** A department a step names, with its name; null when it names none, or one the platform does not know. */
    const department = (v: unknown) => {
      const id = departmentOf(v)
      const name = id === null ? undefined : names.departments.get(id)
      return id !== null && name !== undefined ? { id, name } : null
    }
    const seesContact =
      principal.kind === 'staff' &&
      (appeal.filedBy === principal.accountId ||
        can(principal, 'appeal.handle', { departmentId: appeal.departmentId }))
    return {
      ...(summary as AppealSummary),
      contact: seesContact ? appeal.contact : null,
      attachments: files,
      timeline: steps.map((s): AppealStepView => ({
        type: s.type,
        at: s.at,
        actor: person(s.actorId),
        data: s.data,
        department: department(s.data.department),
        fromDepartment: department(s.data.from),
        ledger: s.ledger,
      })),
      escalations: escalations.map((e) => ({
        stage: e.stage,
        step: e.step,
        level: e.level,
        to: e.to.map(person),
        at: e.at,
        policy: e.policy,
        ledger: e.ledger,
      })),
      duplicates: principal.kind === 'staff' ? duplicates : [],
    }
  }

  /** Open appeals that look like duplicates of one: same category and place, filed within the window. */
  async duplicatesOf(appeal: Appeal): Promise<AppealView['duplicates']> {
    if (appeal.status === 'closed' || appeal.status === 'merged') return []
    const near = await store.listRecentInPlace(
      this.db,
      appeal.category,
      appeal.regionCode,
      appeal.createdAt - DUPLICATE_WINDOW_MS,
    )
    return near.flatMap((o) => {
      const d = isDuplicate(appeal, o)
      return d ? [{ id: o.id, distance: d.distance, createdAt: o.createdAt, status: o.status }] : []
    })
  }

  /**
   * Appeals the caller may see: a citizen's own; staff by scope (their department's inbox, an
   * overseer's region, those they took); with `caseId`, the appeals of that case they may read.
   * @throws FORBIDDEN (a scope the caller does not hold)
   */
  async list(principal: Principal, q: AppealListQuery): Promise<{ items: AppealSummary[]; total: number }> {
    const limit = Math.min(q.limit ?? 50, 500)
    const offset = q.offset ?? 0
    const base = {
      ...(q.caseId !== undefined ? { caseId: q.caseId } : {}),
      ...(q.status?.length ? { statuses: q.status } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
    }
    let found: { items: Appeal[]; total: number }
    if (principal.kind === 'citizen') {
      found = await store.listAppeals(this.db, { ...base, citizenId: principal.accountId, limit, offset })
    } else if (q.caseId !== undefined) {
      const all = await store.listAppeals(this.db, { ...base, limit: 500, offset: 0 })
      const visible: Appeal[] = []
      for (const a of all.items) if (await this.mayRead(principal, a)) visible.push(a)
      found = { items: visible.slice(offset, offset + limit), total: visible.length }
    } else {
      const scope = q.scope ?? 'department'
      if (scope === 'filed') {
        found = await store.listAppeals(this.db, { ...base, filedBy: principal.accountId, limit, offset })
      } else if (scope === 'region') {
        const grant = grantFor(principal, 'appeal.read', {
          regionCode: principal.regionCode,
          departmentId: null,
        })
        if (!grant)
          throw new AppError('FORBIDDEN', 'appeal.read: a region’s appeals are for its overseers', {
            details: { permission: 'appeal.read' },
          })
        found = await store.listAppeals(this.db, {
          ...base,
          regionPrefix: principal.regionCode,
          limit,
          offset,
        })
      } else {
        if (
          !principal.departmentId ||
          !can(principal, 'appeal.read', { departmentId: principal.departmentId })
        )
          throw new AppError('FORBIDDEN', 'appeal.read: the inbox is for the staff of a department', {
            details: { permission: 'appeal.read' },
          })
        found = await store.listAppeals(this.db, {
          ...base,
          departmentId: principal.departmentId,
          limit,
          offset,
          order: 'due',
        })
      }
    }
    return { items: await this.summaries(found.items, principal), total: found.total }
  }

  /**
   * Digests of the appeals of a region subtree filed in [from, to), newest first: what a list behind a
   * command-hall chart shows (kind, category, place, status, department, filing time), never the text
   * or who filed it. System use: the caller has checked its own permission over the region.
   */
  async digests(q: {
    regionPrefix: string
    from: number
    to: number
    departmentId?: string
    status?: AppealStatus
    limit: number
    offset: number
  }): Promise<{ items: AppealDigest[]; total: number }> {
    if (q.to <= q.from) return { items: [], total: 0 }
    const found = await store.listAppeals(this.db, {
      regionPrefix: q.regionPrefix,
      from: q.from,
      to: q.to - 1,
      ...(q.departmentId !== undefined ? { departmentId: q.departmentId } : {}),
      ...(q.status !== undefined ? { statuses: [q.status] } : {}),
      limit: q.limit,
      offset: q.offset,
    })
    return {
      items: found.items.map((a) => ({
        id: a.id,
        kind: a.kind,
        category: a.category,
        regionCode: a.regionCode,
        status: a.status,
        departmentId: a.departmentId,
        createdAt: a.createdAt,
      })),
      total: found.total,
    }
  }

  /**
   * Appeals as Open311 publishes them (GeoReport v2 `GET /requests`): public fields only (see
   * `published`), never a caller's contact; newest first. The caller applies the spec's 90-day and 1000-row limits.
   */
  async publicList(q: {
    ids?: readonly string[]
    regionPrefix?: string
    categories?: readonly string[]
    statuses?: readonly AppealStatus[]
    from?: number
    to?: number
    limit: number
    offset?: number
  }): Promise<AppealSummary[]> {
    const anonymous = {
      kind: 'citizen',
      accountId: '',
      roles: [],
      regionCode: '',
      departmentId: null,
      username: '',
      name: '',
    } as Principal
    if (q.ids) {
      const found: Appeal[] = []
      for (const id of q.ids.slice(0, q.limit)) {
        const a = await store.findAppeal(this.db, id)
        if (a && (!q.regionPrefix || a.regionCode.startsWith(q.regionPrefix))) found.push(a)
      }
      return (await this.summaries(found, anonymous)).map(published)
    }
    const { items } = await store.listAppeals(this.db, {
      ...(q.regionPrefix ? { regionPrefix: q.regionPrefix } : {}),
      ...(q.categories?.length ? { categories: q.categories } : {}),
      ...(q.statuses?.length ? { statuses: q.statuses } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      limit: q.limit,
      offset: q.offset ?? 0,
    })
    return (await this.summaries(items, anonymous)).map(published)
  }

  /** The responsibility chain of an appeal the caller may read. @throws NOT_FOUND, FORBIDDEN */
  async responsibility(principal: Principal, id: string): Promise<ResponsibilityChainView> {
    await this.readable(principal, id)
    return this.chains.view(id)
  }

  private async summaries(appeals: readonly Appeal[], principal: Principal): Promise<AppealSummary[]> {
    const names = await this.org.namesOf({
      departments: appeals.map((a) => a.departmentId),
      accounts: appeals.flatMap((a) => (a.handlerId ? [a.handlerId] : [])),
    })
    const regionNames = new Map<string, string>()
    for (const code of new Set(appeals.map((a) => a.regionCode)))
      regionNames.set(code, (await this.regions.findRegion(code))?.name ?? code)
    return appeals.map((a) => ({
      id: a.id,
      kind: a.kind,
      category: a.category,
      channel: a.channel,
      text: a.text,
      location: a.lat !== null && a.lng !== null ? { lat: a.lat, lng: a.lng } : null,
      regionCode: a.regionCode,
      regionName: regionNames.get(a.regionCode) ?? a.regionCode,
      caseId: a.caseId,
      citizenId: a.citizenId,
      status: a.status,
      department: { id: a.departmentId, name: names.departments.get(a.departmentId) ?? a.departmentId },
      handler: a.handlerId ? { id: a.handlerId, name: names.accounts.get(a.handlerId) ?? a.handlerId } : null,
      round: a.round,
      respondDueAt: a.respondDueAt,
      resolveDueAt: a.resolveDueAt,
      dueAt: a.resolveDueAt,
      respondedAt: a.respondedAt,
      resolvedAt: a.resolvedAt,
      closedAt: a.closedAt,
      response: a.response,
      resolution: a.resolution,
      satisfaction: a.satisfaction,
      reopened: a.reopened,
      mergedInto: a.mergedInto,
      concern: a.concern,
      routing: { rule: a.routingRule, policy: a.routingPolicy },
      deadlinePolicy: a.deadlinePolicy,
      escalationPolicy: a.escalationPolicy,
      createdAt: a.createdAt,
      actions: this.actionsOf(principal, a),
    }))
  }
}
