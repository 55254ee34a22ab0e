/**
 * 好差评 at the window (counter tablet, 评价器): the window clerk who served a finished case opens a
 * one-time rating link for it, valid {@link INVITATION_TTL_MS}. The clerk turns the counter tablet to the
 * citizen (the link opens full-screen there), or the citizen scans its QR code with their own phone;
 * either way the citizen rates without signing in, and the link is the credential for exactly that one
 * rating of that one case.
 *
 * Why a link and not the clerk's session: the clerk must never be able to rate in the citizen's name
 * from their own desk. The link is ledgered when opened (`rating.invited`, by the clerk), and the rating
 * it records names the link as its actor and the clerk as `invitedBy`, so assessment can tell counter
 * ratings apart and an auditor can see which clerk's counter a rating came from. Only a hash of the
 * token is kept; the page behind the link shows no personal data (it faces a public hall).
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { CounterRatingView, RatingInvitation } from '../../../shared/api.js'
import { AppError } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { CaseViewService } from '../cases/case-views.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { actorOf, subjectOf } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { OrgService } from '../org/org.service.js'
import { handlingDepartmentOf } from './ratings.model.js'
import type { RatingEventData } from './ratings.events.js'
import type { RatingInput, RatingService } from './ratings.service.js'
import * as store from './ratings.store.js'
import { findRectificationOf } from './rectifications.store.js'

/** How long a counter rating link stays open: the citizen rates at the counter or on the way out. */
export const INVITATION_TTL_MS = 30 * 60_000

type Facts = NonNullable<Awaited<ReturnType<CaseViewService['facts']>>>

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

export class RatingInvitationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly caseViews: CaseViewService,
    private readonly catalog: CatalogService,
    private readonly org: OrgService,
    private readonly ratings: RatingService,
  ) {}

  /**
   * Opens a counter rating link for a finished, unrated case. The caller must have served it: submitted
   * it at their window, or be in a department that held one of its steps.
   * @throws FORBIDDEN, NOT_FOUND, CONFLICT (not finished, or rated already)
   */
  async invite(principal: Principal, caseId: string): Promise<RatingInvitation> {
    const facts = await this.caseViews.facts(caseId)
    if (!facts) throw new AppError('NOT_FOUND', `case ${caseId} does not exist`)
    assertCan(principal, 'rating.invite')
    const served =
      facts.submittedBy === principal.accountId ||
      (principal.departmentId !== null &&
        facts.tasks.some((t) => t.kind === 'department' && t.departmentId === principal.departmentId))
    if (!served)
      throw new AppError('FORBIDDEN', 'only a window that served this case opens its counter rating', {
        details: { permission: 'rating.invite' },
      })
    if (facts.status !== 'completed' && facts.status !== 'rejected')
      throw new AppError('CONFLICT', 'a case is rated once it is finished (completed or rejected)', {
        details: { status: facts.status },
      })
    if (await store.findRating(this.db, caseId)) throw new AppError('CONFLICT', 'this case is rated already')
    const now = this.clock.now()
    const id = randomUUID()
    const token = randomBytes(32).toString('base64url')
    const expiresAt = now + INVITATION_TTL_MS
    await this.db.transaction().execute(async (trx) => {
      const ledger = await this.ledger.append(trx, {
        type: 'rating.invited',
        subject: subjectOf('case', caseId),
        regionCode: facts.regionCode,
        actor: actorOf(principal),
        data: { id, case: caseId, expiresAt } satisfies RatingEventData['rating.invited'],
      })
      await store.insertInvitation(trx, {
        id,
        tokenHash: hashToken(token),
        caseId,
        invitedBy: principal.accountId,
        createdAt: now,
        expiresAt,
        usedAt: null,
        ledger,
      })
    })
    return { id, caseId, token, path: `/rate/${token}`, expiresAt }
  }

  /** The page behind a link, for anyone holding it. @throws NOT_FOUND */
  async open(token: string): Promise<CounterRatingView> {
    const { invitation, facts } = await this.find(token)
    return this.view(invitation, facts, await this.department(facts))
  }

  private async view(
    invitation: store.StoredInvitation,
    facts: Facts,
    department: { id: string; name: string } | null,
  ): Promise<CounterRatingView> {
    const [version, rating] = await Promise.all([
      this.catalog.getVersion(facts.matterCode, facts.matterVersion),
      store.findRating(this.db, facts.id),
    ])
    const rect = invitation.usedAt === null ? undefined : await findRectificationOf(this.db, facts.id)
    const state =
      invitation.usedAt !== null
        ? 'used'
        : rating
          ? 'rated'
          : invitation.expiresAt <= this.clock.now()
            ? 'expired'
            : 'open'
    return {
      matterName: version.definition.name,
      status: facts.status as 'completed' | 'rejected',
      completedAt: facts.completedAt,
      department,
      expiresAt: invitation.expiresAt,
      state,
      rectification: rect
        ? { dueAt: rect.dueAt, department: rect.departmentId === department?.id ? department : null }
        : null,
    }
  }

  /**
   * Rates the case behind a link, once (no sign-in: the link is the credential).
   * @throws NOT_FOUND, CONFLICT (used, expired, or the case rated already)
   */
  async rate(token: string, input: RatingInput): Promise<CounterRatingView> {
    const { invitation, facts } = await this.find(token)
    if (invitation.usedAt !== null) throw new AppError('CONFLICT', 'this rating link was used already')
    if (invitation.expiresAt <= this.clock.now())
      throw new AppError('CONFLICT', 'this rating link has expired; ask the window for a new one', {
        details: { expiresAt: invitation.expiresAt },
      })
    const rater: Principal = {
      accountId: `invitation:${invitation.id}`,
      username: 'invitation',
      name: 'invitation',
      kind: 'citizen',
      roles: [],
      regionCode: facts.regionCode,
      departmentId: null,
    }
    const department = await this.department(facts)
    await this.ratings.record(
      {
        caseId: facts.id,
        status: facts.status,
        applicantId: facts.applicantId,
        regionCode: facts.regionCode,
        matterCode: facts.matterCode,
        matterVersion: facts.matterVersion,
        department,
        rater,
        channel: 'counter',
        invitation: {
          id: invitation.id,
          invitedBy: invitation.invitedBy,
          inTransaction: (trx, now) => store.useInvitation(trx, invitation.id, now),
        },
      },
      input,
    )
    // Used now: the view is built from what is known, not read again.
    return this.view({ ...invitation, usedAt: this.clock.now() }, facts, department)
  }

  private async find(token: string) {
    const invitation = await store.findInvitationByHash(this.db, hashToken(token))
    const facts = invitation && (await this.caseViews.facts(invitation.caseId))
    if (!invitation || !facts) throw new AppError('NOT_FOUND', 'this rating link does not exist')
    return { invitation, facts }
  }

  private async department(facts: Facts): Promise<{ id: string; name: string } | null> {
    const id = handlingDepartmentOf(facts)
    if (id === null) return null
    const found = (await this.org.findDepartments([id])).get(id)
    return { id, name: found?.name ?? id }
  }
}
