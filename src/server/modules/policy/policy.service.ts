/**
 * Governance policies (治理规则): the province publishes versions of each policy kind, validated
 * against the kind's JSON Schema and recorded in the province log in full, in one transaction with the
 * row; modules ask which version governs at a time, and record its id with every result they compute.
 * @module
 */
import { createHash } from 'node:crypto'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { isUniqueViolation, type Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import { canonicalJson } from '../ledger/formats/jcs.js'
import { actorOf, subjectOf, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import {
  OVERRIDE_RULES,
  POLICY_KINDS,
  POLICY_KIND_NAMES,
  POLICY_TYPES,
  applyOverrides,
  effectivePolicyId,
  governingVersion,
  isPolicyKind,
  kindNamed,
  overrideLevelOf,
  overrideProblems,
  parsePolicyId,
  policyId,
  type OverrideRule,
  type PolicyKind,
  type PolicyOverride,
  type PolicyType,
  type PolicyVersion,
} from './policy.model.js'
import type { RegionService } from '../regions/regions.service.js'
import {
  CalendarError,
  VersionedWorkCalendar,
  WorkCalendar,
  chinaCalendarConfig,
  scheduleCalendarConfig,
  type CalendarVersion,
  type HolidaySchedule,
} from '../workflow/calendar/index.js'
import { policyReplayer } from './policy.replayer.js'
import * as store from './policy.store.js'

/** How far in the past a version may say it took effect (the clock moves while a request travels). */
const PAST_SKEW_MS = 60_000
/** How far ahead a version may be published. */
const MAX_AHEAD_MS = 10 * 366 * 86_400_000
export const MAX_NOTE_LENGTH = 500

export interface PublishInput {
  body: unknown
  /** Epoch ms; now when omitted. Never in the past: results already computed keep their version. */
  effectiveAt?: number
  note?: string
}

/** An override as the API shows it: with its region's name. */
export type OverrideView = PolicyOverride & { regionName: string }

export interface OverrideInput {
  regionCode: string
  values: { path: string; value: unknown }[]
  effectiveAt?: number
  note?: string
}

/**
 * A policy as it governs a region: the province's version with the overrides in force along the
 * region's chain applied. `id` is what a result records (`appeal.deadlines@2+430102.1`).
 */
export type EffectivePolicy<B = unknown> = PolicyVersion<B> & { id: string; overrides: string[] }

export interface PolicyKindSummary {
  /** The kind's name (`appeal.routing`): the policy's id in every URL (its `type` is accepted too). */
  id: PolicyKind
  kind: PolicyKind
  /** The short type: routing, time_limits, escalation, responsibility, rectification, assessment, promotion. */
  type: PolicyType
  /** The number of the version governing now, and when it took effect (null before any). */
  currentVersion: number | null
  effectiveAt: number | null
  title: { zh: string; en: string }
  description: string
  /** The version governing now, if any. */
  current: PolicyVersion | null
  /** Versions published so far. */
  versions: number
}

/**
 * What a module does when a version of a policy is published, in the publishing transaction: it
 * schedules its follow-up (the appeals module rebuilds open chains when a new chain policy takes
 * effect) so that the follow-up commits with the version or not at all.
 */
export type PublishListener = (trx: Executor, published: PolicyVersion) => Promise<void>

/** A `calendar.holidays` version as the calendar uses it. */
function calendarVersionOf(v: PolicyVersion): CalendarVersion {
  const body = v.body as { years: HolidaySchedule[]; workdayStart?: string; workdayEnd?: string }
  const hours = {
    ...(body.workdayStart ? { workdayStart: body.workdayStart } : {}),
    ...(body.workdayEnd ? { workdayEnd: body.workdayEnd } : {}),
  }
  return {
    version: v.version,
    effectiveAt: v.effectiveAt,
    calendar: new WorkCalendar(scheduleCalendarConfig(body.years, hours)),
  }
}

/**
 * What the schema cannot say of a holiday calendar: each period ends on or after its start, and the
 * days make a calendar (a make-up day is a Saturday or Sunday and not also a holiday).
 * @throws VALIDATION_FAILED naming the period or the calendar's complaint
 */
function checkCalendar(body: unknown, path: string): void {
  const years = (body as { years: HolidaySchedule[] }).years
  years.forEach((y, i) =>
    y.periods.forEach((p, j) => {
      if (p.to < p.from)
        throw new AppError('VALIDATION_FAILED', `${y.year} ${p.zh}: the last day off is before the first`, {
          details: [{ path: `${path}/years/${i}/periods/${j}/to`, message: 'before from' }],
        })
    }),
  )
  try {
    calendarVersionOf({ version: 0, effectiveAt: 0, body } as PolicyVersion)
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err
    throw new AppError('VALIDATION_FAILED', `the calendar is not valid: ${err.message}`, {
      details: [{ path: `${path}/years`, message: err.message }],
    })
  }
}

export class PolicyService {
  /**
   * The working-day calendar of the `calendar.holidays` policy: every version, each governing from its
   * effective time (see {@link loadCalendar}); the shipped schedules until one is published.
   */
  readonly calendar: VersionedWorkCalendar
  private readonly validators = new Map<PolicyKind, ValidateFunction>()
  private readonly listeners: PublishListener[] = []

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly regions: RegionService,
  ) {
    this.calendar = new VersionedWorkCalendar(chinaCalendarConfig(), () => this.clock.now())
    const ajv = new Ajv({ allErrors: true, strict: true })
    for (const kind of POLICY_KIND_NAMES) this.validators.set(kind, ajv.compile(POLICY_KINDS[kind].schema))
  }

  /** The kind a URL names, by kind or by type. @throws NOT_FOUND */
  private kindOf(kind: string): PolicyKind {
    const k = kindNamed(kind)
    if (!k) throw notFound('policy kind', kind)
    return k
  }

  private summaryOf(kind: PolicyKind, versions: readonly PolicyVersion[]): PolicyKindSummary {
    const current = governingVersion(versions, this.clock.now()) ?? null
    return {
      id: kind,
      kind,
      type: POLICY_TYPES[kind],
      currentVersion: current?.version ?? null,
      effectiveAt: current?.effectiveAt ?? null,
      title: POLICY_KINDS[kind].title,
      description: POLICY_KINDS[kind].description,
      current,
      versions: versions.length,
    }
  }

  /** Every kind with the version governing now. @throws FORBIDDEN */
  async kinds(principal: Principal): Promise<PolicyKindSummary[]> {
    assertCan(principal, 'policy.read')
    return Promise.all(
      POLICY_KIND_NAMES.map(async (kind) => this.summaryOf(kind, await store.listVersions(this.db, kind))),
    )
  }

  /** A kind's schema and every version, newest first. @throws NOT_FOUND, FORBIDDEN */
  async versions(
    principal: Principal,
    kind: string,
  ): Promise<
    PolicyKindSummary & {
      schema: unknown
      history: PolicyVersion[]
      overrideRules: readonly OverrideRule[]
      overrides: OverrideView[]
    }
  > {
    assertCan(principal, 'policy.read')
    const k = this.kindOf(kind)
    const [history, overrides] = await Promise.all([
      store.listVersions(this.db, k),
      store.listOverrides(this.db, k),
    ])
    return {
      ...this.summaryOf(k, history),
      schema: POLICY_KINDS[k].schema,
      history,
      overrideRules: OVERRIDE_RULES[k],
      overrides: await this.named(overrides),
    }
  }

  /** Every version of a kind, newest first (the public contract's `GET /api/policies/{id}/versions`). */
  async history(principal: Principal, kind: string): Promise<PolicyVersion[]> {
    assertCan(principal, 'policy.read')
    return store.listVersions(this.db, this.kindOf(kind))
  }

  private async named(overrides: readonly PolicyOverride[]): Promise<OverrideView[]> {
    const names = new Map<string, string>()
    for (const code of new Set(overrides.map((o) => o.regionCode)))
      names.set(
        code,
        await this.regions.getRegion(code).then(
          (r) => r.name,
          () => code,
        ),
      )
    return overrides.map((o) => ({ ...o, regionName: names.get(o.regionCode) ?? o.regionCode }))
  }

  /** One version. @throws NOT_FOUND, FORBIDDEN */
  async version(principal: Principal, kind: string, version: number): Promise<PolicyVersion> {
    assertCan(principal, 'policy.read')
    const found = await store.findVersion(this.db, this.kindOf(kind), version)
    if (!found) throw notFound('policy version', `${kind}@${version}`)
    return found
  }

  /**
   * The version of a kind governing at `at` (now by default), for the modules that apply it.
   * @throws CONFLICT when no version of the kind is in effect yet
   */
  async governing<B = unknown>(
    kind: PolicyKind,
    at = this.clock.now(),
    db: Executor = this.db,
  ): Promise<PolicyVersion<B>> {
    const found = governingVersion(await store.listVersions(db, kind), at)
    if (!found)
      throw new AppError(
        'CONFLICT',
        `no version of the policy ${kind} is in effect; the province must publish one`,
        {
          details: { kind },
        },
      )
    return found as PolicyVersion<B>
  }

  /**
   * A version by kind and number, for the modules applying the version a result recorded (an
   * appeal's escalation ladder is the one it was filed under). @throws NOT_FOUND
   */
  async byId<B = unknown>(kind: string, version: number, db: Executor = this.db): Promise<PolicyVersion<B>> {
    const found = isPolicyKind(kind) ? await store.findVersion(db, kind, version) : undefined
    if (!found) throw notFound('policy version', `${kind}@${version}`)
    return found as PolicyVersion<B>
  }

  /**
   * Checks a document against its kind's schema (and a calendar's days), as publishing does: what a
   * what-if checks a draft with before computing under it.
   * @param path the request field holding the document (`/body/document`), prefixed to each violation
   * @throws VALIDATION_FAILED naming each violation (`details[].path`, `message`, `params`)
   */
  assertValid(kind: PolicyKind, document: unknown, path: string): void {
    const validate = this.validators.get(kind) as ValidateFunction
    if (!validate(document)) {
      throw new AppError('VALIDATION_FAILED', `the document is not a valid ${kind} policy`, {
        details: (validate.errors ?? []).map((e: ErrorObject) => ({
          path: `${path}${e.instancePath}`,
          message: e.message ?? 'invalid',
          ...(e.params && Object.keys(e.params).length ? { params: e.params } : {}),
        })),
      })
    }
    if (kind === 'calendar.holidays') checkCalendar(document, path)
  }

  /**
   * Publishes the next version of a kind (province administrators): validated against the kind's
   * schema, recorded in the province log with its full body.
   * @throws NOT_FOUND (unknown kind), FORBIDDEN (not a province administrator), VALIDATION_FAILED (the
   *   body fails the schema, an effective time in the past or too far ahead, a note too long),
   *   CONFLICT (another version was published at the same moment: publish again)
   */
  async publish(
    principal: Principal,
    kind: string,
    input: PublishInput,
    /** The province, for the system (whose jurisdiction has no region): the demo seeding passes it. */
    systemProvince?: string,
    /** The request field holding the document, for error paths: `body`, or `document` on `/versions`. */
    field: 'body' | 'document' = 'body',
  ): Promise<PolicyVersion> {
    assertCan(principal, 'policy.publish')
    const k = this.kindOf(kind)
    const province = principal.regionCode.slice(0, 2) || systemProvince
    if (!province) throw new AppError('VALIDATION_FAILED', 'a policy is published for a province')
    assertCan(principal, 'policy.publish', { regionCode: province })
    this.assertValid(k, input.body, `/body/${field}`)
    const now = this.clock.now()
    const effectiveAt = this.effectiveTime(input.effectiveAt, now)
    const note = this.noteOf(input.note)
    const canonical = Buffer.from(canonicalJson(input.body))
    const digest = createHash('sha256').update(canonical).digest('base64')
    const body = JSON.parse(canonical.toString('utf8')) as unknown
    try {
      const done = await this.db.transaction().execute(async (trx) => {
        const version = (await store.latestVersion(trx, k)) + 1
        const position = await this.ledger.append(trx, {
          type: 'policy.published',
          subject: subjectOf('policy', `${k}@${version}`),
          regionCode: province,
          actor: actorOf(principal),
          data: { kind: k, version, effectiveAt, digest, body, note },
        })
        const published: PolicyVersion = {
          kind: k,
          version,
          effectiveAt,
          body,
          digest,
          note,
          publishedBy: principal.accountId,
          publishedAt: now,
          ledger: position,
        }
        await store.insertVersion(trx, published)
        for (const l of this.listeners) await l(trx, published)
        return published
      })
      if (done.kind === 'calendar.holidays') this.calendar.add(calendarVersionOf(done))
      return done
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError(
          'CONFLICT',
          `another version of ${k} was published at the same moment; publish again`,
        )
      throw err
    }
  }

  /**
   * The overrides of a kind in force at `at` along a region's chain (city, county, street), outermost
   * first: for each region the latest that has taken effect and was not retired by then.
   */
  private async chainAt(
    kind: PolicyKind,
    regionCode: string,
    at: number,
    db: Executor,
  ): Promise<PolicyOverride[]> {
    const ancestors = [4, 6, 9].filter((n) => regionCode.length >= n).map((n) => regionCode.slice(0, n))
    const all = await store.listOverrides(db, kind, ancestors)
    const chain: PolicyOverride[] = []
    for (const code of ancestors) {
      let best: PolicyOverride | undefined
      for (const o of all)
        if (
          o.regionCode === code &&
          o.effectiveAt <= at &&
          (o.retiredAt === null || o.retiredAt > at) &&
          (!best || o.seq > best.seq)
        )
          best = o
      if (best) chain.push(best)
    }
    return chain
  }

  /**
   * The policy of a kind as it governs a region at `at`: the province's version with the overrides in
   * force along the region's chain, and the id a result records.
   * @throws CONFLICT when no version of the kind is in effect yet
   */
  async governingFor<B = unknown>(
    kind: PolicyKind,
    regionCode: string,
    at = this.clock.now(),
    db: Executor = this.db,
  ): Promise<EffectivePolicy<B>> {
    const base = await this.governing<B>(kind, at, db)
    if (OVERRIDE_RULES[kind].length === 0) return { ...base, id: policyId(kind, base.version), overrides: [] }
    const { document, applied } = applyOverrides(
      kind,
      base.body,
      await this.chainAt(kind, regionCode, at, db),
    )
    return {
      ...base,
      body: document as B,
      id: effectivePolicyId(kind, base.version, applied),
      overrides: applied.map((o) => o.id),
    }
  }

  /**
   * The document a result's policy id names (`kind@version`, with `+region.seq` overrides), as it was
   * applied then. @throws NOT_FOUND
   */
  async resolve<B = unknown>(id: string, db: Executor = this.db): Promise<B> {
    const parsed = parsePolicyId(id)
    if (!parsed) throw notFound('policy', id)
    const base = await this.byId<B>(parsed.kind, parsed.version, db)
    if (parsed.overrides.length === 0) return base.body
    const all = await store.listOverrides(
      db,
      base.kind,
      parsed.overrides.map((o) => o.regionCode),
    )
    const chain = parsed.overrides.map((p) => {
      const found = all.find((o) => o.regionCode === p.regionCode && o.seq === p.seq)
      if (!found) throw notFound('policy override', `${p.regionCode}.${p.seq}`)
      return found
    })
    return applyOverrides(base.kind, base.body, chain).document as B
  }

  /** A kind as it governs a region now (`GET /api/policies/{id}/effective`). @throws NOT_FOUND, FORBIDDEN */
  async effective(
    principal: Principal,
    kind: string,
    regionCode: string,
  ): Promise<EffectivePolicy & { document: unknown; policy: string }> {
    assertCan(principal, 'policy.read')
    const k = this.kindOf(kind)
    await this.regions.getRegion(regionCode)
    const p = await this.governingFor(k, regionCode)
    return { ...p, document: p.body, policy: p.id }
  }

  /**
   * A city, county or street overrides fields of a kind for its region and below: only the fields the
   * kind allows at that level, within their bounds against what the region inherits at `effectiveAt`.
   * @throws NOT_FOUND (kind, region), FORBIDDEN (outside the caller's region), VALIDATION_FAILED (a field
   *   not overridable, out of bounds, not inherited; the province itself; the time)
   */
  async override(principal: Principal, kind: string, input: OverrideInput): Promise<OverrideView> {
    const k = this.kindOf(kind)
    const region = await this.regions.getRegion(input.regionCode)
    assertCan(principal, 'policy.override', { regionCode: region.code })
    const level = overrideLevelOf(region.code)
    if (!level)
      throw new AppError(
        'VALIDATION_FAILED',
        'overrides are for a city, county or street; the province publishes versions',
        {
          details: [{ path: '/body/regionCode', message: 'not a city, county or street' }],
        },
      )
    const now = this.clock.now()
    const effectiveAt = this.effectiveTime(input.effectiveAt, now)
    const note = this.noteOf(input.note)
    // What the region inherits: the province's version and the overrides above it, at effectiveAt.
    const parentCode =
      level === 'city' ? region.code.slice(0, 2) : region.code.slice(0, level === 'county' ? 4 : 6)
    const inherited = await this.governingFor(k, parentCode, effectiveAt)
    const problems = overrideProblems(k, level, inherited.body, input.values)
    if (problems.length > 0)
      throw new AppError('VALIDATION_FAILED', `these values may not override ${k} in ${region.code}`, {
        details: problems,
      })
    try {
      return await this.db.transaction().execute(async (trx) => {
        const seq = (await store.latestOverrideSeq(trx, k, region.code)) + 1
        const id = `${k}:${region.code}:${seq}`
        const values = input.values.map(({ path, value }) => ({ path, value }))
        const ledger = await this.ledger.append(trx, {
          type: 'policy.overridden',
          subject: subjectOf('policy', k),
          regionCode: region.code,
          actor: actorOf(principal),
          data: {
            id,
            kind: k,
            region: region.code,
            level,
            seq,
            values,
            effectiveAt,
            note,
            base: inherited.id,
          },
        })
        const o: PolicyOverride = {
          id,
          kind: k,
          regionCode: region.code,
          level,
          seq,
          values,
          effectiveAt,
          note,
          publishedBy: principal.accountId,
          publishedAt: now,
          retiredAt: null,
          retiredBy: null,
          ledger,
        }
        await store.insertOverride(trx, o)
        return { ...o, regionName: region.name }
      })
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError(
          'CONFLICT',
          `another override of ${k} in ${region.code} was published at the same moment; publish again`,
        )
      throw err
    }
  }

  /** Retires an override: the region inherits again. @throws NOT_FOUND, FORBIDDEN; again: no change */
  async retire(principal: Principal, kind: string, id: string): Promise<OverrideView> {
    const k = this.kindOf(kind)
    const found = await store.findOverride(this.db, id)
    if (!found || found.kind !== k) throw notFound('policy override', id)
    assertCan(principal, 'policy.override', { regionCode: found.regionCode })
    await this.db.transaction().execute(async (trx) => {
      if (!(await store.retireOverride(trx, id, principal.accountId, this.clock.now()))) return
      await this.ledger.append(trx, {
        type: 'policy.override_retired',
        subject: subjectOf('policy', k),
        regionCode: found.regionCode,
        actor: actorOf(principal),
        data: { id, kind: k, region: found.regionCode },
      })
    })
    const [view] = await this.named([(await store.findOverride(this.db, id)) as PolicyOverride])
    return view as OverrideView
  }

  private effectiveTime(requested: number | undefined, now: number): number {
    const effectiveAt = requested ?? now
    if (effectiveAt < now - PAST_SKEW_MS || effectiveAt > now + MAX_AHEAD_MS) {
      throw new AppError(
        'VALIDATION_FAILED',
        'effectiveAt must be now or later (results already computed keep their version), and within ten years',
        { details: [{ path: '/body/effectiveAt', message: 'out of range' }] },
      )
    }
    return effectiveAt
  }

  private noteOf(text: string | undefined): string | null {
    const note = text?.trim() || null
    if (note && note.length > MAX_NOTE_LENGTH) {
      throw new AppError('VALIDATION_FAILED', `the note is longer than ${MAX_NOTE_LENGTH} characters`, {
        details: [{ path: '/body/note', message: 'too long' }],
      })
    }
    return note
  }

  /**
   * Loads every version of the holiday calendar (at start; a version published here is added as it
   * commits). Another server process sees a new version when it starts again, or at the next load.
   */
  async loadCalendar(db: Executor = this.db): Promise<void> {
    this.calendar.use((await store.listVersions(db, 'calendar.holidays')).map(calendarVersionOf))
  }

  /** Registers a module's follow-up to every publication (at wiring, before serving). */
  onPublished(listener: PublishListener): void {
    this.listeners.push(listener)
  }

  replayer(): Replayer {
    return policyReplayer(
      () => store.listAllVersions(this.db),
      () => store.listAllOverrides(this.db),
    )
  }
}
