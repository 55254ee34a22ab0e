/**
 * Scorecards (考核): every official, department or region of a region, for a month, quarter or year,
 * computed from facts under the `assessment.formula` version governing at the period's end (or another
 * version asked for: the what-if), ranked within the level and region, with the trend against the
 * previous period and, for officials, the promotion index; and the facts behind any number, each with
 * its ledger entry. Nothing here is typed in: every number is recomputed from the modules' rows.
 * @module
 */
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { RegionLevel } from '../../../shared/domain.js'
import type {
  AssessmentDimension,
  AssessmentLevel,
  IndicatorCode,
  PromotionPart,
} from '../../../shared/assessment.js'
import { notFound } from '../../../shared/errors.js'
import { assertCan, can, type Target } from '../../../shared/permissions.js'
import type { OrgService } from '../org/org.service.js'
import { policyId, type PolicyVersion } from '../policy/index.js'
import type { PolicyService } from '../policy/policy.service.js'
import type { OrgEvaluationService } from './org-evaluations.service.js'
import type { RegionService } from '../regions/regions.service.js'
import {
  groupFacts,
  onePerRef,
  parsePeriod,
  previousPeriod,
  promotionIndex,
  promotionRanks,
  rank,
  regionLevels,
  scoreSheet,
  trend,
  type Fact,
  type FormulaPolicy,
  type IndicatorResult,
  type Period,
  type PromotionPolicy,
  type ScoreSheet,
} from './assessment.model.js'
import { AssessmentFactService } from './assessment-facts.service.js'
import * as contests from './fact-contests.store.js'

export interface ScorecardQuery {
  level: AssessmentLevel
  /** The region whose subjects are listed; the caller's own by default. */
  region?: string
  period: string
  /** An `assessment.formula` version to compute under instead of the governing one (what-if). */
  policyVersion?: number
  /**
   * Regions only: `children` (the default) lists the region's direct children; `all` every region
   * below it at every level, each row naming its `parent` and `level` and ranked among its siblings.
   */
  depth?: ScorecardDepth
}

export type ScorecardDepth = 'children' | 'all'

export interface ScorecardRow {
  subject: { id: string; name: string }
  /** Regions listed with `depth=all` only: the parent region's code (siblings are ranked together). */
  parent?: string
  /** Regions listed with `depth=all` only. */
  level?: RegionLevel
  indicators: Record<IndicatorCode, IndicatorResult>
  dimensions: Record<AssessmentDimension, number | null>
  total: number | null
  /**
   * Within the level and region (with `depth=all`, among siblings), by total descending, ties
   * sharing; null: not ranked (small sample).
   */
  rank: number | null
  /** Total minus the previous period's (same formula); null when either is missing. */
  trend: number | null
  /** The `assessment.formula@N` that produced it. */
  policyVersion: string
  /** Officials only. */
  promotionIndex?: number | null
  promotionParts?: Record<PromotionPart, number | null>
  /** The parts left out of the index for want of data (never counted as 0). */
  promotionMissing?: PromotionPart[]
  /**
   * Officials only: the rank by promotion index among the level's officials (ties share; null: no
   * index, or a small sample by the promotion policy's `minSample`, see `promotionIndex` in the model).
   */
  promotionRank?: number | null
  /** The facts behind the index's reform and satisfaction parts, which `minSample` counts. */
  promotionSample?: number
  promotionSmallSample?: boolean
  /** The `assessment.promotion@N` that weighed it. */
  promotionPolicy?: string
}

/** A fact as the drill-down lists it: with its latest contest (null: never contested). */
export type FactView = Fact & { contest: { id: string; status: contests.FactContestStatus } | null }

/** A level's subjects and facts for a period, gathered once (see {@link AssessmentService.basis}). */
export interface ScorecardBasis {
  level: AssessmentLevel
  period: Period
  region: { code: string; name: string }
  subjects: Subject[]
  current: Grouped
  previous: Grouped
  /** Officials: the organisation department's score for the period (or its year), by staff id. */
  organisation: Map<string, number>
}

/** The policies rows are scored under, each with the id a row records (`assessment.formula@N`, `…@draft`). */
export interface Scoring {
  formula: { id: string; body: FormulaPolicy }
  promotion?: { id: string; body: PromotionPolicy }
}

export interface Subject {
  id: string
  name: string
  /** What the permission table checks a read of this subject's card against. */
  target: Target
  /** Regions listed at every depth: the parent and the level, what the row names and ranks among. */
  place?: { parent: string; level: RegionLevel }
}

/**
 * The facts of a level are counted in one of two ways: officials and departments by attribution (the
 * department a row is attributed to lies in the region), regions by place (the case or appeal lies in
 * the region, each counted once however many departments worked on it).
 */
const BY: Record<AssessmentLevel, 'place' | 'department'> = {
  official: 'department',
  department: 'department',
  region: 'place',
}

const NO_FACTS: ReadonlyMap<IndicatorCode, Fact[]> = new Map()

/** Facts by subject id, then indicator. */
type Grouped = Map<string, Map<IndicatorCode, Fact[]>>

/** Officials have a promotion index. */
const WITH_PROMOTION: Record<AssessmentLevel, boolean> = { official: true, department: false, region: false }

/** Facts by subject id and indicator: by official, by department, or by region code at every level. */
const GROUPING: Record<AssessmentLevel, (facts: Fact[]) => Grouped> = {
  official: (facts) => groupFacts(facts, (f) => (f.staffId ? [f.staffId] : [])),
  department: (facts) => groupFacts(facts, (f) => (f.departmentId ? [f.departmentId] : [])),
  region: (facts) => groupFacts(onePerRef(facts), (f) => regionLevels(f.regionCode)),
}

export class AssessmentService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly policies: PolicyService,
    private readonly org: OrgService,
    private readonly regions: RegionService,
    private readonly orgEvaluations: OrgEvaluationService,
  ) {
    this.gatherer = new AssessmentFactService(db, clock, policies)
  }

  /** Gathers the facts (see `assessment-facts.service.ts`). */
  private readonly gatherer: AssessmentFactService

  /**
   * The scorecards of a level in a region: officials and departments anywhere in the region's subtree,
   * or the region's direct children. Ranks are computed among all of them; the caller receives the rows
   * `assessment.read` lets them read (an official only their own, a supervisor their department's).
   * @throws VALIDATION_FAILED (period), FORBIDDEN (a region outside the caller's, a level they may not
   *   read), NOT_FOUND (region, formula version)
   */
  async scorecards(principal: Principal, q: ScorecardQuery): Promise<ScorecardRow[]> {
    const basis = await this.basis(principal, q)
    const scoring = await this.governingScoring(basis, q.policyVersion)
    return this.visible(principal, basis, this.score(basis, scoring))
  }

  /**
   * What a level's cards are computed from, whatever the formula: the subjects, the facts of the
   * period and of the one before (gathered once, to be scored under as many formulas as asked), and
   * the organisation evaluations. Checks the caller may list the level in the region.
   * @throws VALIDATION_FAILED (period), FORBIDDEN, NOT_FOUND (region)
   */
  async basis(principal: Principal, q: Omit<ScorecardQuery, 'policyVersion'>): Promise<ScorecardBasis> {
    const depth = q.level === 'region' ? (q.depth ?? 'children') : 'children'
    const period = parsePeriod(q.period)
    const region = q.region ?? (principal.regionCode || (await this.regions.provinceCode()))
    assertCan(principal, 'assessment.read', levelTarget(q.level, region, principal.regionCode))
    const regionName = (await this.regions.getRegion(region)).name
    const subjects = await this.subjects(q.level, region, depth)
    const [current, previous] = (await this.grouped(q.level, [period, previousPeriod(period)], region)) as [
      Grouped,
      Grouped,
    ]
    const evaluations = WITH_PROMOTION[q.level]
      ? await this.orgEvaluations.scores(
          subjects.map((s) => s.id),
          period.code,
        )
      : new Map<string, { score: number }>()
    return {
      level: q.level,
      period,
      region: { code: region, name: regionName },
      subjects,
      current,
      previous,
      organisation: new Map([...evaluations].map(([id, e]) => [id, e.score])),
    }
  }

  /**
   * The policies a level is scored under: the `assessment.formula` governing at the period's end (or
   * version N), and for officials the `assessment.promotion` governing then.
   * @throws NOT_FOUND (formula version), CONFLICT (none published)
   */
  async governingScoring(basis: ScorecardBasis, formulaVersion?: number): Promise<Scoring> {
    const formula = await this.formula(basis.period, formulaVersion)
    const promotion = WITH_PROMOTION[basis.level]
      ? await this.policies.governing<PromotionPolicy>('assessment.promotion', basis.period.to - 1)
      : undefined
    return {
      formula: { id: policyId(formula.kind, formula.version), body: formula.body },
      ...(promotion
        ? { promotion: { id: policyId(promotion.kind, promotion.version), body: promotion.body } }
        : {}),
    }
  }

  /**
   * Every subject's row of a basis under a formula (and promotion policy): pure, so the what-if scores
   * the same facts twice. Ranks are among all subjects, before {@link visible} keeps the caller's.
   */
  score(basis: ScorecardBasis, scoring: Scoring): ScorecardRow[] {
    const formula = scoring.formula.body
    // Most subjects of a level have no facts in a period: they share one empty sheet (scoring is pure).
    const empty = scoreSheet(NO_FACTS, formula)
    const sheetOf = (facts: ReadonlyMap<IndicatorCode, Fact[]> | undefined) =>
      facts ? scoreSheet(facts, formula) : empty
    const sheets = basis.subjects.map((s) => sheetOf(basis.current.get(s.id)))
    const ranks = rankAmongSiblings(basis.subjects, sheets)
    const promotion = scoring.promotion
    const emptyIndex = promotion && promotionIndex(empty, formula, promotion.body, null)
    const indexes = promotion
      ? sheets.map((sheet, i) => {
          const organisation = basis.organisation.get(basis.subjects[i]!.id) ?? null
          return sheet === empty && organisation === null && emptyIndex
            ? emptyIndex
            : promotionIndex(sheet, formula, promotion.body, organisation)
        })
      : []
    const promotionRanked = promotionRanks(indexes)
    return basis.subjects.map((s, i): ScorecardRow => {
      const sheet = sheets[i]!
      const before = sheetOf(basis.previous.get(s.id)).total
      const row: ScorecardRow = {
        subject: { id: s.id, name: s.name },
        ...(s.place ? { parent: s.place.parent, level: s.place.level } : {}),
        indicators: sheet.indicators,
        dimensions: sheet.dimensions,
        total: sheet.total,
        rank: ranks[i] ?? null,
        trend: trend(sheet.total, before),
        policyVersion: scoring.formula.id,
      }
      const index = indexes[i]
      if (!promotion || !index) return row
      return {
        ...row,
        promotionIndex: index.value,
        promotionParts: index.parts,
        promotionMissing: index.missing,
        promotionRank: promotionRanked[i] ?? null,
        promotionSample: index.sample,
        promotionSmallSample: index.smallSample,
        promotionPolicy: promotion.id,
      }
    })
  }

  /** The rows of a basis the caller may read (`assessment.read` on each subject). */
  visible<R>(principal: Principal, basis: ScorecardBasis, rows: readonly R[]): R[] {
    return rows.filter((_, i) => can(principal, 'assessment.read', basis.subjects[i]!.target))
  }

  /**
   * The facts counted for one subject's indicator (every indicator when none is named) in a period,
   * each with its ledger entry: what an official checks their score against.
   * @throws VALIDATION_FAILED, FORBIDDEN, NOT_FOUND (unknown subject)
   */
  async facts(
    principal: Principal,
    level: AssessmentLevel,
    subjectId: string,
    q: { period: string; indicator?: IndicatorCode },
  ): Promise<FactView[]> {
    const period = parsePeriod(q.period)
    const subject = await this.subject(level, subjectId)
    assertCan(principal, 'assessment.read', subject.target)
    const prefix = level === 'region' ? subjectId : (subject.target.regionCode as string)
    const [grouped] = await this.grouped(level, [period], prefix)
    const byIndicator = grouped?.get(subjectId) ?? NO_FACTS
    const list = q.indicator ? (byIndicator.get(q.indicator) ?? []) : [...byIndicator.values()].flat()
    const sorted = list.sort((a, b) => a.at - b.at || a.indicator.localeCompare(b.indicator))
    const latest = await contests.latestOf(
      this.db,
      sorted.map((f) => f.key),
    )
    return sorted.map((f) => {
      const c = latest.get(f.key)
      return { ...f, contest: c ? { id: c.id, status: c.status } : null }
    })
  }

  private async formula(period: Period, version?: number): Promise<PolicyVersion<FormulaPolicy>> {
    if (version !== undefined) return this.policies.byId<FormulaPolicy>('assessment.formula', version)
    return this.policies.governing<FormulaPolicy>('assessment.formula', period.to - 1)
  }

  /** Facts of each period grouped by subject id (staff, department, or region code at every level). */
  private async grouped(level: AssessmentLevel, periods: readonly Period[], prefix: string) {
    const lists = await this.gatherer.gather({ prefix, by: BY[level] }, periods)
    return lists.map(GROUPING[level])
  }

  /** The subjects of a level in a region (see {@link scorecards}). */
  private subjects(level: AssessmentLevel, region: string, depth: ScorecardDepth): Promise<Subject[]> {
    const lists: Record<AssessmentLevel, () => Promise<Subject[]>> = {
      official: async () => {
        const departments = await this.org.listDepartments(region)
        const byId = new Map(departments.map((d) => [d.id, d]))
        const members = await this.org.membersOf(departments.map((d) => d.id))
        return [...members.values()].flat().map((m) => ({
          id: m.id,
          name: m.name,
          target: officialTarget(m.id, m.departmentId, byId.get(m.departmentId)?.regionCode ?? region),
        }))
      },
      department: async () =>
        (await this.org.listDepartments(region)).map((d) => ({
          id: d.id,
          name: d.name,
          target: departmentTarget(d.id, d.regionCode),
        })),
      region: async () =>
        depth === 'all'
          ? (await this.regions.listDescendants(region)).map((r) => ({
              id: r.code,
              name: r.name,
              target: regionTarget(r.code),
              place: { parent: r.parentCode ?? region, level: r.level },
            }))
          : (await this.regions.listChildren(region)).map((r) => ({
              id: r.code,
              name: r.name,
              target: regionTarget(r.code),
            })),
    }
    return lists[level]()
  }

  /** One subject by id. @throws NOT_FOUND */
  private subject(level: AssessmentLevel, id: string): Promise<Subject> {
    const finders: Record<AssessmentLevel, () => Promise<Subject>> = {
      official: async () => {
        const p = (await this.org.findLoginAccount({ id }))?.principal
        if (!p || p.kind !== 'staff' || !p.departmentId) throw notFound('official', id)
        return { id, name: p.name, target: officialTarget(id, p.departmentId, p.regionCode) }
      },
      department: async () => {
        const d = (await this.org.findDepartments([id])).get(id)
        if (!d) throw notFound('department', id)
        return { id, name: d.name, target: departmentTarget(d.id, d.regionCode) }
      },
      region: async () => {
        const r = await this.regions.findRegion(id)
        if (!r) throw notFound('region', id)
        return { id, name: r.name, target: regionTarget(r.code) }
      },
    }
    return finders[level]()
  }
}

/**
 * Ranks of subjects' sheets: among all of them, or for regions listed at every depth among each
 * parent's children (each list ranked as `depth=children` under that parent ranks it).
 */
function rankAmongSiblings(subjects: readonly Subject[], sheets: readonly ScoreSheet[]): (number | null)[] {
  if (!subjects.some((s) => s.place)) return rank(sheets)
  const byParent = new Map<string, number[]>()
  subjects.forEach((s, i) => {
    const parent = s.place?.parent ?? ''
    const list = byParent.get(parent)
    if (list) list.push(i)
    else byParent.set(parent, [i])
  })
  const out: (number | null)[] = subjects.map(() => null)
  for (const indexes of byParent.values()) {
    const ranks = rank(indexes.map((i) => sheets[i]!))
    indexes.forEach((i, k) => (out[i] = ranks[k] ?? null))
  }
  return out
}

/** An official's card: their own (scope own), their department's (department), their region's (subtree). */
const officialTarget = (id: string, departmentId: string, regionCode: string): Target => ({
  ownerId: id,
  departmentId,
  regionCode,
})
/** A department's card: no one's own; its department's staff, or the region's overseers. */
const departmentTarget = (id: string, regionCode: string): Target => ({
  ownerId: null,
  departmentId: id,
  regionCode,
})
/** A region's card: the overseers of a subtree containing it. */
const regionTarget = (code: string): Target => ({ ownerId: null, departmentId: null, regionCode: code })

/**
 * What listing a level in a region needs: officials, a region that holds the caller's own card (an
 * official sees their row there) or that some wider grant reaches; departments, a department grant or
 * wider reaching the region; regions, a subtree grant over it. So a county leader asking for another
 * county is refused, whatever the level.
 */
function levelTarget(level: AssessmentLevel, region: string, own: string): Target {
  const wide: Target = { ownerId: null, regionCode: region }
  const targets: Record<AssessmentLevel, Target> = {
    official: own.startsWith(region) ? {} : wide,
    department: wide,
    region: regionTarget(region),
  }
  return targets[level]
}
