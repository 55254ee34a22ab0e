/**
 * The contest of a false review (申诉不实评价): the handling department contests the bad rating behind a
 * rectification, once, with its reason; a region overseer decides. Upheld: the rating is kept but
 * marked excluded (assessment skips it), the rectification is void and its deadline job withdrawn.
 * Rejected: the rectification goes on as it was. Both steps are ledgered with their reasons as salted
 * commitments, through {@link RectificationSteps}.
 * @module
 */
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { RectificationDetail } from '../../../shared/api.js'
import { AppError } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { OrgService } from '../org/org.service.js'
import type { RatingEventData } from './ratings.events.js'
import * as ratingStore from './ratings.store.js'
import { nextState } from './rectifications.model.js'
import { stateOf, stepText, type RectificationSteps } from './rectification-steps.service.js'

export class RatingContestService {
  constructor(
    private readonly clock: Clock,
    private readonly org: OrgService,
    private readonly steps: RectificationSteps,
  ) {}

  /**
   * The handling department's official or supervisor contests the rating as a false review (once).
   * @throws NOT_FOUND, FORBIDDEN, CONFLICT (contested already, or the rectification is closed or void)
   */
  async contest(principal: Principal, id: string, input: { reason: string }): Promise<RectificationDetail> {
    const rect = await this.steps.load(principal, id, 'rating.contest')
    const reason = stepText(input.reason, 'reason')
    const now = this.clock.now()
    return this.steps.apply(principal, rect, {
      action: 'contest',
      kind: 'contested',
      text: reason,
      now,
      event: (committed) => ({
        type: 'rating.contested',
        data: {
          id,
          case: rect.caseId,
          department: rect.departmentId,
          at: now,
          reason: committed!,
        } satisfies RatingEventData['rating.contested'],
      }),
    })
  }

  /**
   * A leader or administrator over the handling department's region decides a pending contest. Nobody
   * decides a contest they filed, nor one of their own department (the department would judge its own
   * review).
   * @throws NOT_FOUND, FORBIDDEN (`details.rule`: `own_contest`, `own_department`; or not an overseer
   *   of the department's region), CONFLICT (no pending contest)
   */
  async decide(
    principal: Principal,
    id: string,
    input: { upheld: boolean; reason: string },
  ): Promise<RectificationDetail> {
    const rect = await this.steps.load(principal, id, 'rectification.read')
    // The department's region, not the case's: a county's leader does not judge a city bureau.
    const departmentRegion = rect.departmentId
      ? (await this.org.getDepartment(rect.departmentId)).regionCode
      : rect.regionCode
    assertCan(principal, 'rating.contest_decide', { regionCode: departmentRegion })
    const reason = stepText(input.reason, 'reason')
    nextState(stateOf(rect), 'decide', input.upheld)
    const contested = (await this.steps.steps(id)).find((s) => s.kind === 'contested')
    if (contested?.actorId === principal.accountId)
      throw new AppError('FORBIDDEN', 'nobody decides a contest they filed', {
        details: { permission: 'rating.contest_decide', rule: 'own_contest' },
      })
    if (rect.departmentId !== null && principal.departmentId === rect.departmentId)
      throw new AppError('FORBIDDEN', 'a contest is decided outside the department that filed it', {
        details: { permission: 'rating.contest_decide', rule: 'own_department' },
      })
    const now = this.clock.now()
    const exclude = async (trx: Executor) => {
      if (!(await ratingStore.excludeRating(trx, rect.caseId)))
        throw new AppError('CONFLICT', 'this rating was excluded already')
      return this.steps.withdrawDeadline(trx, rect, 'the rating was found a false review')
    }
    return this.steps.apply(principal, rect, {
      action: 'decide',
      upheld: input.upheld,
      kind: 'contest_decided',
      text: reason,
      verdict: input.upheld,
      now,
      event: (committed) => ({
        type: 'rating.contest_decided',
        data: {
          id,
          case: rect.caseId,
          at: now,
          upheld: input.upheld,
          reason: committed!,
        } satisfies RatingEventData['rating.contest_decided'],
      }),
      ...(input.upheld ? { also: exclude } : {}),
    })
  }
}
