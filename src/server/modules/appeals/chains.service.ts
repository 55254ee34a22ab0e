/**
 * Responsibility chains (责任链) of appeals: gathering the facts a chain is built from (the case's
 * ledgered steps, the records a discrepancy contradicted, the departments' members and their
 * appointments), building it by the chain policy in force, recording each revision with its ledger
 * event, and the contest of a link: the named official contests with a reason, a superior in their
 * department decides, both ledgered, and the chain shows the outcome. Contests of scorecard facts
 * (`assessment/fact-contests.service.ts`) join the same queue: listed here beside the links' and
 * decided here by the same rule.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { ChainCause } from '../../../shared/domain.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan, can } from '../../../shared/permissions.js'
import type { CaseFacts, CaseViewService } from '../cases/case-views.service.js'
import { DATA_SOURCE_INFO, type DataSource } from '../dataplatform/index.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import type { FactContestService, FactContestView } from '../assessment/fact-contests.service.js'
import { commitment } from '../ledger/formats/index.js'
import { actorOf, subjectOf, type LedgerEvent } from '../ledger/index.js'
import { canonicalJson } from '../ledger/formats/jcs.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { policyId } from '../policy/index.js'
import type { PolicyService } from '../policy/policy.service.js'
import type { JobHandler } from '../scheduler/index.js'
import { isOpen, MAX_REASON_LENGTH, targetRegions, type Appeal } from './appeals.model.js'
import type { LedgerLink } from './appeals.events.js'
import * as store from './appeals.store.js'
import {
  buildChain,
  type Chain,
  type ChainInput,
  type ChainLink,
  type ChainPolicy,
  type LedgerRef,
} from './chain.model.js'

/** The scheduler's job kind that rebuilds open chains when a new chain policy takes effect. */
export const CHAINS_REBUILD_JOB = 'chains.rebuild'

/** Why a chain was (re)built (`CHAIN_CAUSES`). */
export type { ChainCause }

/** What the chain builder needs of an appeal. */
export type ChainAppeal = Pick<
  Appeal,
  'id' | 'kind' | 'concern' | 'departmentId' | 'handlerId' | 'createdAt' | 'caseId' | 'regionCode'
>

/** Everything a chain is built from except the appeal's own ledger entries. */
export type ChainContext = Omit<ChainInput, 'appeal'>

export interface LinkView extends ChainLink {
  /** The latest contest of this link, with its outcome. */
  contest: {
    id: string
    status: 'pending' | 'upheld' | 'rejected'
    reason: string
    decision: string | null
    decidedBy: string | null
    ledger: LedgerRef
    decisionLedger: LedgerRef | null
  } | null
  /** An upheld contest took this link out of the person's responsibility. */
  excluded: boolean
}

/** A contest in the queue: of a chain link (`subject: 'chain'`) or of a scorecard fact (`'fact'`). */
export type QueuedContest = (store.ChainContest & { subject: 'chain' }) | FactContestView

export interface ResponsibilityView {
  appealId: string
  revision: number
  policyVersion: string
  rule: string | null
  cause: string
  builtAt: number
  ledger: LedgerRef
  links: LinkView[]
  trace: Chain['trace']
}

/** base64 SHA-256 of a chain's links, in full, as canonical JSON: what `chain.built` proves. */
export function linksDigest(links: readonly ChainLink[]): string {
  return createHash('sha256').update(canonicalJson(links)).digest('base64')
}

export function ledgerLinks(links: readonly ChainLink[]): LedgerLink[] {
  return links.map((l) => ({
    staff: l.staffId,
    department: l.departmentId,
    primary: l.primary,
    rule: l.rule,
    function: l.function,
    evidence: l.evidence,
  }))
}

export class ChainService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly org: OrgService,
    private readonly caseViews: CaseViewService,
    private readonly dataPlatform: DataPlatformService,
    private readonly policies: PolicyService,
    private readonly factContests: FactContestService,
  ) {}

  /** The case's facts (read through `db`: a transaction sees its own writes). */
  facts(caseId: string | null, db: Executor = this.db): Promise<CaseFacts | undefined> {
    return caseId ? this.caseViews.facts(caseId, db) : Promise.resolve(undefined)
  }

  /** The department of `kind` for a region, looked for at the region's level and up. */
  async departmentUp(regionCode: string, kind: string, db: Executor = this.db) {
    for (const code of targetRegions(regionCode, 'street')) {
      const d = await this.org.findDepartmentOfKind(code, kind, db)
      if (d) return d
    }
    return undefined
  }

  /**
   * Gathers what a chain is built from, for an appeal routed to `departmentIds` (the first is the
   * appeal's): the policy in force at `at`, the case's facts, the contradicted records, and every
   * involved department with its members, their appointments and their regions' leading offices.
   */
  async context(
    appeal: Pick<ChainAppeal, 'kind' | 'caseId'>,
    departmentIds: readonly string[],
    at: number,
    db: Executor = this.db,
    /** The case's facts when the caller has read them already (filing does). */
    known?: CaseFacts | null,
  ): Promise<ChainContext> {
    const policy = await this.policies.governing<ChainPolicy>('responsibility.chain', at, db)
    const facts = known !== undefined ? known : ((await this.facts(appeal.caseId, db)) ?? null)
    const records: ChainContext['records'] = []
    if (appeal.kind === 'discrepancy' && facts) {
      for (const d of facts.discrepancies) {
        if (records.some((r) => r.source === d.source)) continue
        const rec = await this.dataPlatform.findRecord(d.source, d.recordKey, db)
        const owner = rec ? await this.departmentUp(rec.regionCode, rec.ownerDepartmentKind, db) : undefined
        records.push({
          source: DATA_SOURCE_INFO[d.source as DataSource]?.zh ?? d.source,
          departmentId: owner?.id ?? null,
          updatedBy: rec?.updatedBy ?? null,
          updatedAt: rec?.updatedAt ?? facts.submittedAt,
          ledger: rec?.ledger ?? null,
        })
      }
    }
    const ids = new Set<string>(departmentIds)
    for (const t of facts?.tasks ?? []) if (t.departmentId) ids.add(t.departmentId)
    for (const r of records) if (r.departmentId) ids.add(r.departmentId)
    const departments = await this.org.findDepartments([...ids], db)
    const leadingOffices = new Map<string, string>()
    const offices = await this.org.leadingOfficesOf(
      [...departments.values()].map((d) => d.regionCode),
      db,
    )
    for (const [region, office] of offices) {
      leadingOffices.set(region, office.id)
      departments.set(office.id, office)
    }
    const members = await this.org.membersOf([...departments.keys()], db)
    const staffIds = [...members.values()].flatMap((list) => list.map((m) => m.id))
    const latest = await this.ledger.latestOfSubjects(
      staffIds.map((id) => subjectOf('staff', id)),
      db,
    )
    const appointments = new Map<string, LedgerRef>()
    for (const id of staffIds) {
      const ref = latest.get(subjectOf('staff', id))
      if (ref) appointments.set(id, { log: ref.log, index: ref.index })
    }
    return {
      policyVersion: policyId(policy.kind, policy.version),
      policy: policy.body,
      facts,
      records,
      now: at,
      departments: new Map(
        [...departments].map(([id, d]) => [id, { id, name: d.name, regionCode: d.regionCode, kind: d.kind }]),
      ),
      members,
      leadingOffices,
      appointments,
    }
  }

  /** Builds a chain from a gathered context (pure). */
  build(
    appeal: ChainAppeal,
    context: ChainContext,
    refs: { filed: LedgerRef | null; accepted: LedgerRef | null },
  ): Chain {
    return buildChain({
      ...context,
      appeal: {
        kind: appeal.kind,
        concern: appeal.concern,
        departmentId: appeal.departmentId,
        handlerId: appeal.handlerId,
        createdAt: appeal.createdAt,
        filed: refs.filed,
        accepted: refs.accepted,
      },
    })
  }

  /**
   * The chain of a rectification (a bad review of a case): by the chain policy in force, for the
   * concern `bad_review`, over the case's facts and the handling department.
   */
  async forRectification(caseId: string, departmentId: string | null, at: number): Promise<Chain> {
    const context = await this.context({ kind: 'complaint', caseId }, departmentId ? [departmentId] : [], at)
    return buildChain({
      ...context,
      appeal: {
        kind: 'complaint',
        concern: 'bad_review',
        departmentId: departmentId ?? '',
        handlerId: null,
        createdAt: at,
        filed: null,
        accepted: null,
      },
    })
  }

  /** Records a chain as the appeal's next revision, with its ledger event, in the caller's transaction. */
  async record(
    trx: Executor,
    appeal: Pick<Appeal, 'id' | 'regionCode'>,
    chain: Chain,
    cause: ChainCause,
    actor: Principal,
  ): Promise<store.StoredChain> {
    const revision = ((await store.findChain(trx, appeal.id))?.revision ?? 0) + 1
    const event: LedgerEvent = {
      type: 'chain.built',
      subject: subjectOf('appeal', appeal.id),
      regionCode: appeal.regionCode,
      actor: actorOf(actor),
      data: {
        appeal: appeal.id,
        revision,
        policy: chain.policyVersion,
        rule: chain.rule,
        cause,
        links: ledgerLinks(chain.links),
        digest: linksDigest(chain.links),
      },
    }
    const ledger = await this.ledger.append(trx, event)
    const stored: store.StoredChain = {
      ...chain,
      appealId: appeal.id,
      revision,
      cause,
      builtAt: this.clock.now(),
      ledger,
    }
    await store.insertChain(trx, stored)
    return stored
  }

  /** The ledger entries of an appeal's filing and acceptance, from its timeline. */
  async refsOf(
    appealId: string,
    db: Executor = this.db,
  ): Promise<{ filed: LedgerRef | null; accepted: LedgerRef | null }> {
    const steps = await store.listSteps(db, appealId)
    const last = (type: string) => steps.filter((s) => s.type === type).at(-1)?.ledger ?? null
    return { filed: last('appeal.filed'), accepted: last('appeal.accepted') }
  }

  /**
   * Rebuilds an appeal's chain (its facts changed, or the chain policy did) and records it when it
   * differs from the current one. @returns the current chain
   */
  async rebuild(
    appealId: string,
    cause: ChainCause,
    actor: Principal,
  ): Promise<store.StoredChain | undefined> {
    const appeal = await store.findAppeal(this.db, appealId)
    if (!appeal) throw notFound('appeal', appealId)
    const now = this.clock.now()
    const context = await this.context(appeal, [appeal.departmentId], now)
    const chain = this.build(appeal, context, await this.refsOf(appeal.id))
    return this.db
      .transaction()
      .execute(async (trx) => (await this.recordIfChanged(trx, appeal, chain, cause, actor)).chain)
  }

  /**
   * Rebuilds the chains of these appeals in the caller's transaction, reading their facts through it
   * (the event consumer that follows cases does, in the transaction that moves its cursor). The appeals
   * are locked first, so a handler's accept or return of one of them waits rather than recording a
   * revision built from what it read before. A closed or merged appeal keeps the chain it was judged
   * by. @returns the ids of the appeals whose chain changed (and was recorded)
   */
  async rebuildIn(
    trx: Executor,
    appealIds: readonly string[],
    cause: ChainCause,
    actor: Principal,
  ): Promise<string[]> {
    const ids = [...new Set(appealIds)].sort()
    await store.lockAppeals(trx, ids)
    const changed: string[] = []
    for (const id of ids) {
      const appeal = await store.findAppeal(trx, id)
      if (!appeal || !isOpen(appeal)) continue
      const context = await this.context(appeal, [appeal.departmentId], this.clock.now(), trx)
      const chain = this.build(appeal, context, await this.refsOf(appeal.id, trx))
      if ((await this.recordIfChanged(trx, appeal, chain, cause, actor)).changed) changed.push(id)
    }
    return changed
  }

  /** Records the chain as the appeal's next revision unless it names what the current one does. */
  private async recordIfChanged(
    trx: Executor,
    appeal: Pick<Appeal, 'id' | 'regionCode'>,
    chain: Chain,
    cause: ChainCause,
    actor: Principal,
  ): Promise<{ chain: store.StoredChain; changed: boolean }> {
    const current = await store.findChain(trx, appeal.id)
    if (
      current &&
      current.policyVersion === chain.policyVersion &&
      linksDigest(current.links) === linksDigest(chain.links)
    )
      return { chain: current, changed: false }
    return { chain: await this.record(trx, appeal, chain, cause, actor), changed: true }
  }

  /**
   * Rebuilds the chain of every open appeal under the policy in force (after a new chain policy took
   * effect); closed appeals keep the version they were judged by.
   * @returns how many appeals were looked at and how many chains changed
   */
  async rebuildOpen(
    actor: Principal,
    onProgress?: (done: number) => void,
  ): Promise<{ appeals: number; rebuilt: number }> {
    assertCan(actor, 'chain.rebuild')
    let after = ''
    let appeals = 0
    let rebuilt = 0
    for (;;) {
      const ids = await store.listOpenIds(this.db, after, 200)
      if (!ids.length) break
      for (const id of ids) {
        const before = await store.findChain(this.db, id)
        const now = await this.rebuild(id, 'policy', actor)
        if (now && now.revision !== before?.revision) rebuilt++
        appeals++
      }
      after = ids.at(-1) as string
      onProgress?.(appeals)
    }
    return { appeals, rebuilt }
  }

  /**
   * The handler of `chains.rebuild` jobs, scheduled for the moment a new chain policy takes effect:
   * rebuilds the open appeals' chains under it. Idempotent (an unchanged chain is not recorded again),
   * so a retry after a crash finishes the pass.
   */
  rebuildHandler(): JobHandler<{ policy: string }> {
    return {
      kind: CHAINS_REBUILD_JOB,
      label: { zh: '按新规则重建责任链', en: 'Rebuild chains under a new policy' },
      prepare: async () => void (await this.rebuildOpen(SYSTEM)),
      run: async () => {},
    }
  }

  // ---- reading -------------------------------------------------------------------------------------

  /** The current chain of an appeal with its contests (the caller may read the appeal). */
  async view(appealId: string): Promise<ResponsibilityView> {
    const chain = await store.findChain(this.db, appealId)
    if (!chain) throw notFound('responsibility chain of appeal', appealId)
    const contests = await store.listContestsOf(this.db, appealId)
    return {
      appealId,
      revision: chain.revision,
      policyVersion: chain.policyVersion,
      rule: chain.rule,
      cause: chain.cause,
      builtAt: chain.builtAt,
      ledger: chain.ledger,
      trace: chain.trace,
      links: chain.links.map((l) => {
        const c = contests.filter((x) => x.staffId === l.staffId).at(-1)
        return {
          ...l,
          contest: c
            ? {
                id: c.id,
                status: c.status,
                reason: c.reason,
                decision: c.decision,
                decidedBy: c.decidedBy,
                ledger: c.ledger,
                decisionLedger: c.decisionLedger,
              }
            : null,
          excluded: contests.some((x) => x.staffId === l.staffId && x.status === 'upheld'),
        }
      }),
    }
  }

  /** Whether the caller is named in the appeal's current chain (they may read it, and contest). */
  async names(appealId: string, staffId: string): Promise<boolean> {
    const chain = await store.findChain(this.db, appealId)
    return !!chain?.links.some((l) => l.staffId === staffId)
  }

  // ---- contests --------------------------------------------------------------------------------------

  /**
   * The official named in a link contests it, with a reason; a superior in their department decides.
   * @throws NOT_FOUND, FORBIDDEN (not the caller's link), CONFLICT (a contest of it is pending or upheld
   *   already), VALIDATION_FAILED (no reason)
   */
  async contest(principal: Principal, appealId: string, reason: string): Promise<ResponsibilityView> {
    const appeal = await store.findAppeal(this.db, appealId)
    if (!appeal) throw notFound('appeal', appealId)
    const chain = await store.findChain(this.db, appealId)
    const link = chain?.links.find((l) => l.staffId === principal.accountId)
    if (!chain || !link)
      throw new AppError('FORBIDDEN', 'only an official named in the chain contests their own link', {
        details: { permission: 'chain.contest' },
      })
    assertCan(principal, 'chain.contest', { departmentId: link.departmentId })
    const text = checkReason(reason)
    const prior = (await store.listContestsOf(this.db, appealId)).filter((c) => c.staffId === link.staffId)
    if (prior.some((c) => c.status === 'pending' || c.status === 'upheld'))
      throw new AppError('CONFLICT', 'this link is contested already', {
        details: { status: prior.at(-1)?.status },
      })
    const id = randomUUID()
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      const ledger = await this.ledger.append(trx, {
        type: 'chain.contested',
        subject: subjectOf('appeal', appealId),
        regionCode: appeal.regionCode,
        actor: actorOf(principal),
        data: {
          appeal: appealId,
          contest: id,
          revision: chain.revision,
          staff: link.staffId,
          reason: commitment(text, appeal.salt),
        },
      })
      await store.insertContest(trx, {
        id,
        appealId,
        revision: chain.revision,
        staffId: link.staffId,
        departmentId: link.departmentId,
        reason: text,
        status: 'pending',
        decidedBy: null,
        decision: null,
        createdAt: now,
        decidedAt: null,
        ledger,
        decisionLedger: null,
      })
    })
    return this.view(appealId)
  }

  /**
   * A superior of the contesting official decides: upheld takes the link out of their responsibility
   * (a fact out of every scorecard), rejected keeps it. The same rule for both kinds of contest.
   * @returns the chain (a link's contest) or the fact contest as decided
   * @throws NOT_FOUND, FORBIDDEN (not a superior in their department, or one's own contest), CONFLICT
   *   (decided already), VALIDATION_FAILED
   */
  async decide(
    principal: Principal,
    contestId: string,
    input: { upheld: boolean; reason: string },
  ): Promise<ResponsibilityView | FactContestView> {
    const contest = (await store.findContest(this.db, contestId)) ?? (await this.factContests.find(contestId))
    if (!contest) throw notFound('contest', contestId)
    assertCan(principal, 'chain.decide', { departmentId: contest.departmentId })
    if (contest.staffId === principal.accountId)
      throw new AppError('FORBIDDEN', 'nobody decides their own contest', {
        details: { permission: 'chain.decide' },
      })
    if (contest.status !== 'pending')
      throw new AppError('CONFLICT', `the contest is ${contest.status} already`)
    if (!('appealId' in contest))
      return this.factContests.recordDecision(principal, contest.id, {
        upheld: input.upheld,
        reason: checkReason(input.reason),
      })
    const appeal = await store.findAppeal(this.db, contest.appealId)
    if (!appeal) throw notFound('appeal', contest.appealId)
    const text = checkReason(input.reason)
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      const ledger = await this.ledger.append(trx, {
        type: 'chain.contest_decided',
        subject: subjectOf('appeal', appeal.id),
        regionCode: appeal.regionCode,
        actor: actorOf(principal),
        data: {
          appeal: appeal.id,
          contest: contest.id,
          upheld: input.upheld,
          decision: commitment(text, appeal.salt),
        },
      })
      const ok = await store.decideContest(trx, contest.id, {
        status: input.upheld ? 'upheld' : 'rejected',
        decidedBy: principal.accountId,
        decision: text,
        decidedAt: now,
        ledger,
      })
      if (!ok) throw new AppError('CONFLICT', 'the contest was decided meanwhile')
    })
    return this.view(appeal.id)
  }

  /**
   * Contests the caller may decide (a superior's department), or has made, of chain links and of
   * scorecard facts; pending first, then newest. @throws FORBIDDEN
   */
  async contests(principal: Principal, status?: 'pending' | 'upheld' | 'rejected'): Promise<QueuedContest[]> {
    if (principal.kind !== 'staff' || !principal.departmentId)
      throw new AppError('FORBIDDEN', 'contests are listed for staff', {
        details: { permission: 'chain.decide' },
      })
    const departments = can(principal, 'chain.decide', { departmentId: principal.departmentId })
      ? [principal.departmentId]
      : []
    const list = await store.listContestsOfDepartments(this.db, departments, '', status, 500)
    const own = (
      await store.listContestsOfDepartments(this.db, [principal.departmentId], '', status, 500)
    ).filter((c) => c.staffId === principal.accountId)
    const all = new Map<string, QueuedContest>(
      [...list, ...own].map((c) => [c.id, { ...c, subject: 'chain' as const }]),
    )
    for (const c of await this.factContests.list(principal, status)) all.set(c.id, c)
    return [...all.values()].sort(
      (a, b) => Number(a.status !== 'pending') - Number(b.status !== 'pending') || b.createdAt - a.createdAt,
    )
  }
}

function checkReason(reason: string): string {
  const text = reason.trim()
  if (!text || text.length > MAX_REASON_LENGTH)
    throw new AppError('VALIDATION_FAILED', `a reason of 1 to ${MAX_REASON_LENGTH} characters is required`, {
      details: [{ path: '/body/reason', message: 'required, at most 1000 characters' }],
    })
  return text
}
