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
  POLICY_KINDS,
  POLICY_KIND_NAMES,
  governingVersion,
  isPolicyKind,
  type PolicyKind,
  type PolicyVersion,
} from './policy.model.js'
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

export interface PolicyKindSummary {
  kind: PolicyKind
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

export class PolicyService {
  private readonly validators = new Map<PolicyKind, ValidateFunction>()
  private readonly listeners: PublishListener[] = []

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {
    const ajv = new Ajv({ allErrors: true, strict: true })
    for (const kind of POLICY_KIND_NAMES) this.validators.set(kind, ajv.compile(POLICY_KINDS[kind].schema))
  }

  private kindOf(kind: string): PolicyKind {
    if (!isPolicyKind(kind)) throw notFound('policy kind', kind)
    return kind
  }

  /** Every kind with the version governing now. @throws FORBIDDEN */
  async kinds(principal: Principal): Promise<PolicyKindSummary[]> {
    assertCan(principal, 'policy.read')
    const now = this.clock.now()
    return Promise.all(
      POLICY_KIND_NAMES.map(async (kind) => {
        const versions = await store.listVersions(this.db, kind)
        return {
          kind,
          title: POLICY_KINDS[kind].title,
          description: POLICY_KINDS[kind].description,
          current: governingVersion(versions, now) ?? null,
          versions: versions.length,
        }
      }),
    )
  }

  /** A kind's schema and every version, newest first. @throws NOT_FOUND, FORBIDDEN */
  async versions(
    principal: Principal,
    kind: string,
  ): Promise<PolicyKindSummary & { schema: unknown; history: PolicyVersion[] }> {
    assertCan(principal, 'policy.read')
    const k = this.kindOf(kind)
    const history = await store.listVersions(this.db, k)
    return {
      kind: k,
      title: POLICY_KINDS[k].title,
      description: POLICY_KINDS[k].description,
      schema: POLICY_KINDS[k].schema,
      current: governingVersion(history, this.clock.now()) ?? null,
      versions: history.length,
      history,
    }
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
  ): Promise<PolicyVersion> {
    assertCan(principal, 'policy.publish')
    const k = this.kindOf(kind)
    const province = principal.regionCode.slice(0, 2) || systemProvince
    if (!province) throw new AppError('VALIDATION_FAILED', 'a policy is published for a province')
    assertCan(principal, 'policy.publish', { regionCode: province })
    const validate = this.validators.get(k) as ValidateFunction
    if (!validate(input.body)) {
      throw new AppError('VALIDATION_FAILED', `the body is not a valid ${k} policy`, {
        details: (validate.errors ?? []).map((e: ErrorObject) => ({
          path: `/body/body${e.instancePath}`,
          message: e.message ?? 'invalid',
          ...(e.params && Object.keys(e.params).length ? { params: e.params } : {}),
        })),
      })
    }
    const now = this.clock.now()
    const effectiveAt = input.effectiveAt ?? now
    if (effectiveAt < now - PAST_SKEW_MS || effectiveAt > now + MAX_AHEAD_MS) {
      throw new AppError(
        'VALIDATION_FAILED',
        'effectiveAt must be now or later (results already computed keep their version), and within ten years',
        { details: [{ path: '/body/effectiveAt', message: 'out of range' }] },
      )
    }
    const note = input.note?.trim() || null
    if (note && note.length > MAX_NOTE_LENGTH) {
      throw new AppError('VALIDATION_FAILED', `the note is longer than ${MAX_NOTE_LENGTH} characters`, {
        details: [{ path: '/body/note', message: 'too long' }],
      })
    }
    const canonical = Buffer.from(canonicalJson(input.body))
    const digest = createHash('sha256').update(canonical).digest('base64')
    const body = JSON.parse(canonical.toString('utf8')) as unknown
    try {
      return await this.db.transaction().execute(async (trx) => {
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
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError(
          'CONFLICT',
          `another version of ${k} was published at the same moment; publish again`,
        )
      throw err
    }
  }

  /** Registers a module's follow-up to every publication (at wiring, before serving). */
  onPublished(listener: PublishListener): void {
    this.listeners.push(listener)
  }

  replayer(): Replayer {
    return policyReplayer(() => store.listAllVersions(this.db))
  }
}
