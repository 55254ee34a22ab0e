/**
 * Flagged data accesses (数据访问预警): when an official opens a citizen's case data without an open
 * task on it, the case service records the access as flagged; this service shows those flags to the
 * official's supervisors (and to administrators and auditors over the region) and records their
 * verdict, in the same transaction as its ledger event. Its replayer lets the audit prove that no
 * access row, flag or review was deleted or changed behind the service.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { scopeFor, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { AccessVerdict, CitizenAccessReview, FlaggedAccess } from '../../../shared/api.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { commitment } from '../ledger/formats/index.js'
import { actorOf, diffStates, subjectOf, type LedgerPosition, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { assertMayReview, citizenReviewOf, normaliseNote, UNREVIEWED } from './data-access.model.js'
import * as store from './data-access.store.js'
import type { AccessRow, ReviewStatus } from './data-access.store.js'

/** The ledger event of a review. (`<module>.<verb>`: the ledger allows one dot.) */
export const ACCESS_REVIEWED = 'data.access_reviewed'
/** The ledger event of a window look-up of a citizen. */
export const LOOKED_UP = 'data.looked_up'
/** `what` of a look-up: `lookup:idNumber` or `lookup:name`. */
export const LOOKUP_PREFIX = 'lookup:'
/** The `case_id` of an access that was not about a case (a window look-up). */
export const NO_CASE = ''

export interface FlaggedListQuery {
  status?: ReviewStatus
  limit?: number
  offset?: number
}

export interface ReviewInput {
  verdict: AccessVerdict
  note?: string
}

/** The case whose data a staff member looked at. */
export interface AccessedCase {
  id: string
  regionCode: string
  applicantId: string
}

/**
 * What a staff member saw: `case.data` (with the `fields` shown), `attachment:<path>`, `case.receipt`,
 * or `intake:<sources>` (a window clerk's submission compared with the citizen's records of those
 * sources; `intake` when the form verifies none).
 */
export interface AccessInput {
  what: string
  fields?: string[]
  flagged: boolean
}

/** One entry of a citizen's "who looked at my data". */
export interface OwnAccess {
  staffId: string
  staffName: string
  caseId: string
  what: string
  at: number
  flagged: boolean
  ledger: LedgerPosition
  review: CitizenAccessReview | null
}

export class DataAccessService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly catalog: CatalogService,
    private readonly org: OrgService,
  ) {}

  /**
   * Records a staff member's access to a citizen's data: a `data.accessed` ledger event and a
   * `data_access` row (what the citizen sees under "who looked at my data"), in one transaction: the
   * caller's `trx` when given (a look that is part of a change, such as a window intake, commits with
   * it), else its own.
   */
  async record(
    principal: Principal,
    target: AccessedCase,
    access: AccessInput,
    trx?: Transaction<DB>,
  ): Promise<void> {
    const now = this.clock.now()
    const { what, fields, flagged } = access
    const write = async (trx: Transaction<DB>): Promise<void> => {
      const position = await this.ledger.append(trx, {
        type: 'data.accessed',
        subject: subjectOf('case', target.id),
        regionCode: target.regionCode,
        actor: actorOf(principal),
        data: {
          case: target.id,
          citizen: target.applicantId,
          what,
          ...(fields ? { fields } : {}),
          flagged,
        },
      })
      await store.insertAccess(trx, {
        ...UNREVIEWED,
        id: randomUUID(),
        citizen_id: target.applicantId,
        staff_id: principal.accountId,
        case_id: target.id,
        what: fields ? fields.join(',') : what,
        at: now,
        flagged: flagged ? 1 : 0,
        ledger_log: position.log,
        ledger_index: position.index,
        department_id: principal.departmentId,
        region_code: principal.regionCode,
      })
    }
    if (trx) await write(trx)
    else await this.db.transaction().execute(write)
  }

  /**
   * Records a window clerk's look-up of citizens (by identity number or name): for each citizen shown,
   * a `data.looked_up` event in the ledger of the citizen's city and a `data_access` row with no case
   * (the citizen sees it under "who looked at my data"), all in one transaction. A look-up that finds
   * nobody touches nobody's data and records nothing. Not flagged: finding the citizen in front of you
   * is the clerk's job (`citizen.lookup`); the citizen and the audit see every one.
   */
  async recordLookup(
    principal: Principal,
    citizens: readonly { id: string; regionCode: string }[],
    by: 'idNumber' | 'name',
  ): Promise<void> {
    if (citizens.length === 0) return
    const now = this.clock.now()
    const what = `${LOOKUP_PREFIX}${by}`
    await this.db.transaction().execute(async (trx) => {
      for (const citizen of citizens) {
        const position = await this.ledger.append(trx, {
          type: LOOKED_UP,
          subject: subjectOf('citizen', citizen.id),
          regionCode: citizen.regionCode.slice(0, 4),
          actor: actorOf(principal),
          data: { citizen: citizen.id, what, flagged: false },
        })
        await store.insertAccess(trx, {
          ...UNREVIEWED,
          id: randomUUID(),
          citizen_id: citizen.id,
          staff_id: principal.accountId,
          case_id: NO_CASE,
          what,
          at: now,
          flagged: 0,
          ledger_log: position.log,
          ledger_index: position.index,
          department_id: principal.departmentId,
          region_code: principal.regionCode,
        })
      }
    })
  }

  /**
   * Who looked at my data: every recorded access by an official, newest first, with a supervisor's
   * verdict on a flagged one (citizens).
   * @throws FORBIDDEN (not a citizen)
   */
  async listOwn(principal: Principal): Promise<OwnAccess[]> {
    assertCan(principal, 'data_access.read_own')
    const rows = await store.listAccessesOfCitizen(this.db, principal.accountId)
    return Promise.all(
      rows.map(async (r) => ({
        staffId: r.staff_id,
        staffName: (await this.org.findLoginAccount({ id: r.staff_id }))?.principal.name ?? r.staff_id,
        caseId: r.case_id,
        what: r.what,
        at: r.at,
        flagged: r.flagged === 1,
        ledger: { log: r.ledger_log, index: Number(r.ledger_index) },
        review: citizenReviewOf(r),
      })),
    )
  }

  /**
   * Flagged accesses the caller oversees (`data_access.read_flagged`), newest first: a supervisor's
   * department's, or (the region's overseers) every one by an official in their region subtree. Open
   * ones by default.
   * @throws FORBIDDEN (neither a supervisor nor an overseer)
   */
  async listFlagged(
    principal: Principal,
    query: FlaggedListQuery = {},
  ): Promise<{ items: FlaggedAccess[]; total: number }> {
    const { rows, total } = await store.listFlagged(
      this.db,
      scopeFor(principal, 'data_access.read_flagged'),
      {
        status: query.status ?? 'open',
        limit: query.limit ?? 50,
        offset: query.offset ?? 0,
      },
    )
    return { items: await this.toViews(rows), total }
  }

  /**
   * Records a supervisor's (or an administrator's) verdict on a flagged access, with its ledger event
   * in the same transaction. The note stays in the table; the event carries its salted commitment
   * (it may name people), with the case's salt, so erasing the case erases what it proves.
   * @throws NOT_FOUND, FORBIDDEN (not the official's supervisor or administrator, or the official
   *   themself), CONFLICT (not flagged, or already reviewed: there is one verdict per flag)
   */
  async review(principal: Principal, id: string, input: ReviewInput): Promise<FlaggedAccess> {
    assertCan(principal, 'data_access.review')
    const row = await store.findAccess(this.db, id)
    if (!row) throw notFound('access', id)
    const target = {
      staffId: row.staff_id,
      departmentId: row.department_id,
      regionCode: row.region_code,
      flagged: row.flagged === 1,
      reviewedAt: row.reviewed_at,
    }
    assertMayReview(principal, target)
    const { case_salt: salt, case_region_code: caseRegion } = row
    if (salt === null || caseRegion === null) throw notFound('case', row.case_id)
    const note = normaliseNote(input.note)
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      const position = await this.ledger.append(trx, {
        type: ACCESS_REVIEWED,
        subject: subjectOf('case', row.case_id),
        regionCode: caseRegion,
        actor: actorOf(principal),
        data: {
          case: row.case_id,
          access: row.id,
          accessed: { log: row.ledger_log, index: row.ledger_index },
          verdict: input.verdict,
          note: note === null ? null : noteCommitment(row.id, note, salt),
        },
      })
      if (position.log !== row.ledger_log) {
        // Both events belong to the case's city log; the row stores only the review's index.
        throw new AppError(
          'INTERNAL',
          `the review of ${row.id} landed in log ${position.log}, not ${row.ledger_log}`,
        )
      }
      const won = await store.markReviewed(trx, row.id, {
        reviewed_by: principal.accountId,
        reviewed_at: now,
        review_verdict: input.verdict,
        review_note: note,
        review_ledger_index: position.index,
      })
      // Someone reviewed it between the check and now: the append rolls back with this.
      if (!won) throw new AppError('CONFLICT', 'this access has already been reviewed')
    })
    const reviewed = await store.findAccess(this.db, id)
    return (await this.toViews([reviewed!]))[0]!
  }

  private async toViews(rows: readonly AccessRow[]): Promise<FlaggedAccess[]> {
    const names = new Map<string, Promise<string>>()
    const nameOf = (staffId: string): Promise<string> => {
      let name = names.get(staffId)
      if (!name) {
        name = this.org.findLoginAccount({ id: staffId }).then((a) => a?.principal.name ?? staffId)
        names.set(staffId, name)
      }
      return name
    }
    const matterName = async (r: AccessRow): Promise<string | null> => {
      if (r.matter_code === null || r.matter_version === null) return null
      try {
        // Versions are cached by the catalogue: this is a map look-up after the first.
        return (await this.catalog.getVersion(r.matter_code, r.matter_version)).definition.name
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null
        throw err
      }
    }
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        staff: { id: r.staff_id, name: await nameOf(r.staff_id), departmentId: r.department_id },
        citizenId: r.citizen_id,
        caseId: r.case_id,
        matterCode: r.matter_code,
        matterName: await matterName(r),
        what: r.what,
        at: r.at,
        ledger: { log: r.ledger_log, index: r.ledger_index },
        review:
          r.reviewed_at === null || r.review_verdict === null || r.reviewed_by === null
            ? null
            : {
                verdict: r.review_verdict,
                note: r.review_note,
                reviewedAt: r.reviewed_at,
                reviewer: { id: r.reviewed_by, name: await nameOf(r.reviewed_by) },
                ledger:
                  r.review_ledger_index === null ? null : { log: r.ledger_log, index: r.review_ledger_index },
              },
      })),
    )
  }

  // ---- audit -----------------------------------------------------------------------------------

  /**
   * Rebuilds every data access from its `data.accessed` event and its review from `data.access_reviewed`,
   * and compares them with the live `data_access` rows (keyed by the access's ledger position, which
   * the row stores): so a deleted or unflagged access, a moved department, a review written behind the
   * service, or a changed verdict or note is named.
   */
  replayer(): Replayer {
    const expected = new Map<string, Record<string, unknown>>()
    const key = (log: string, index: number): string => `${log}#${index}`
    return {
      name: 'data-access',
      types: ['data.accessed', LOOKED_UP, ACCESS_REVIEWED],
      apply: (e) => {
        if (e.type === 'data.accessed' || e.type === LOOKED_UP) {
          expected.set(key(e.log, e.index), {
            case: e.type === LOOKED_UP ? NO_CASE : e.data.case,
            citizen: e.data.citizen,
            staff: e.actor.id,
            department: e.actor.department,
            region: e.actor.region,
            // A look at the case lists the fields shown; other looks (a file, say) name what was shown.
            what: Array.isArray(e.data.fields) ? e.data.fields.join(',') : String(e.data.what),
            flagged: e.data.flagged === true,
            review: null,
          })
          return
        }
        const accessed = e.data.accessed as { log?: unknown; index?: unknown } | undefined
        const access = expected.get(key(String(accessed?.log), Number(accessed?.index)))
        // A review of an access the ledger never recorded: keep it visible as an unexpected review.
        const target = access ?? { review: null }
        if (!access) expected.set(key(String(accessed?.log), Number(accessed?.index)), target)
        target.review = {
          by: e.actor.id,
          verdict: e.data.verdict,
          note: e.data.note ?? null,
          ledgerIndex: e.index,
        }
      },
      compare: async () => {
        const live = new Map<string, Record<string, unknown>>()
        for (const r of await store.listAllAccesses(this.db)) {
          live.set(key(r.ledger_log, r.ledger_index), {
            case: r.case_id,
            citizen: r.citizen_id,
            staff: r.staff_id,
            department: r.department_id,
            region: r.region_code,
            what: r.what,
            flagged: r.flagged === 1,
            review:
              r.reviewed_at === null &&
              r.review_verdict === null &&
              r.reviewed_by === null &&
              r.review_note === null
                ? null
                : {
                    by: r.reviewed_by,
                    verdict: r.review_verdict,
                    note:
                      r.review_note === null
                        ? null
                        : r.case_salt === null
                          ? 'case missing'
                          : noteCommitment(r.id, r.review_note, r.case_salt),
                    ledgerIndex: r.review_ledger_index,
                  },
          })
        }
        return diffStates('data_access', expected, live)
      },
    }
  }
}

/**
 * The ledger's commitment to a review note. It binds the access id too, so equal notes on different
 * accesses ("已核实") do not give equal commitments that would link the events.
 */
function noteCommitment(accessId: string, note: string, salt: string): string {
  return commitment({ access: accessId, note }, salt)
}
