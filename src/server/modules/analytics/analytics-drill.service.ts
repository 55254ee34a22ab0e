/**
 * The lists behind the command hall's charts: the cases submitted (or appeals filed) in a region's
 * subtree during a period, read through the cases and appeals modules' digest lists (no applicant, no
 * text), named in Chinese (matter, kind and category, region). Checks `analytics.read` over the region.
 * @module
 */
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { APPEAL_STATUSES, type AppealStatus } from '../../../shared/domain.js'
import { AppError } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { AppealViewService } from '../appeals/appeal-views.service.js'
import type { CaseViewService } from '../cases/case-views.service.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { APPEAL_KIND_NAMES, topicLabel } from './analytics-hall.model.js'
import { askedPeriod, type PeriodQuery } from './analytics-hall.service.js'

export const DRILL_KINDS = ['cases', 'appeals'] as const
export type DrillKind = (typeof DRILL_KINDS)[number]
export const CASE_STATUSES = [
  'submitted',
  'accepted',
  'in_progress',
  'supplement_requested',
  'completed',
  'rejected',
] as const
/** Every status a drill list may filter by (of cases or of appeals). */
export const DRILL_STATUSES = [...new Set<string>([...CASE_STATUSES, ...APPEAL_STATUSES])]

export interface DrillQuery extends PeriodQuery {
  kind: DrillKind
  department?: string
  status?: string
  limit?: number
  offset?: number
}
export interface DrillItem {
  id: string
  /** The matter's name (a case), or the appeal's kind and category (Chinese). */
  title: string
  region: string
  regionName: string
  status: string
  /** Submission (a case) or filing (an appeal) time, epoch ms. */
  at: number
  department: string | null
}

export class AnalyticsDrillService {
  constructor(
    private readonly clock: Clock,
    private readonly regions: RegionService,
    private readonly catalog: CatalogService,
    private readonly caseViews: CaseViewService,
    private readonly appealViews: AppealViewService,
  ) {}

  /**
   * The cases submitted (or appeals filed) in the region's subtree during the period (widened to whole
   * hours, as the charts' periods are), newest first, optionally of one status or department: what a
   * chart's bar or cell stands for. Digests only: no applicant, no text.
   * @throws FORBIDDEN, NOT_FOUND (region), VALIDATION_FAILED (period, a status the kind has not)
   */
  async drill(principal: Principal, q: DrillQuery): Promise<{ total: number; items: DrillItem[] }> {
    assertCan(principal, 'analytics.read', { regionCode: q.region })
    const region = await this.regions.getRegion(q.region)
    const period = askedPeriod(q, this.clock.now())
    const statuses: readonly string[] = q.kind === 'cases' ? CASE_STATUSES : APPEAL_STATUSES
    if (q.status !== undefined && !statuses.includes(q.status))
      throw new AppError('VALIDATION_FAILED', `${q.kind} have no status ${q.status}`, {
        details: [{ path: '/querystring/status', message: `must be one of ${statuses.join(', ')}` }],
      })
    const page = {
      regionPrefix: q.region,
      from: period.from,
      to: period.to,
      ...(q.department !== undefined ? { departmentId: q.department } : {}),
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    }
    const found: { total: number; items: Omit<DrillItem, 'regionName'>[] } =
      q.kind === 'cases' ? await this.caseItems(page, q.status) : await this.appealItems(page, q.status)
    const names = new Map([[region.code, region.name]])
    if (found.items.some((i) => !names.has(i.region)))
      for (const r of await this.regions.listDescendants(region.code)) names.set(r.code, r.name)
    return {
      total: found.total,
      items: found.items.map((i) => ({ ...i, regionName: names.get(i.region) ?? i.region })),
    }
  }

  private async caseItems(page: DrillPage, status: string | undefined) {
    const [found, matters] = await Promise.all([
      this.caseViews.digests({ ...page, ...(status !== undefined ? { status } : {}) }),
      this.catalog.listMatters(),
    ])
    const names = new Map(matters.map((m) => [m.code, m.name]))
    return {
      total: found.total,
      items: found.items.map((c) => ({
        id: c.id,
        title: names.get(c.matterCode) ?? c.matterCode,
        region: c.regionCode,
        status: c.status,
        at: c.submittedAt,
        department: c.departmentId,
      })),
    }
  }

  private async appealItems(page: DrillPage, status: string | undefined) {
    const found = await this.appealViews.digests({
      ...page,
      ...(status !== undefined ? { status: status as AppealStatus } : {}),
    })
    return {
      total: found.total,
      items: found.items.map((a) => ({
        id: a.id,
        title: `${APPEAL_KIND_NAMES[a.kind]}·${topicLabel(`category:${a.category}`)}`,
        region: a.regionCode,
        status: a.status,
        at: a.createdAt,
        department: a.departmentId,
      })),
    }
  }
}

interface DrillPage {
  regionPrefix: string
  from: number
  to: number
  departmentId?: string
  limit: number
  offset: number
}
