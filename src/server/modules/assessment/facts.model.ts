/**
 * How the rows other modules keep (ratings, case steps, appeals and their steps, rectifications) become
 * the facts assessment counts, and whom each fact is attributed to. The store reads the rows in a few
 * set-based queries per period; these functions turn them into facts. Pure.
 *
 * Attribution (official · department · region):
 * - `rating_avg`, `bad_review_rate`: the official who completed the deciding step of the handling
 *   department (its last completed step in the case, ties by ledger entry) · the handling department ·
 *   the case's region; proven by `rating.submitted`. A bad review is judged by the `rating.rectification`
 *   version that judged the rating (the rating records it).
 * - `reform_score`: the official who published the rated process version · the publishing team · the
 *   case's region; `rating.submitted`.
 * - `step_on_time`: the assignee who completed the step · the step's department · the case's region; the
 *   entry that completed the step. On time: not marked breached and completed by its due time.
 * - `supplement_rate`: per finished case and department that completed a step in it: a hit when that
 *   department asked for a supplement (a step completed with `supplement`), attributed to who asked (else
 *   who completed the department's last step), proven by that step's entry. A region counts the case once.
 * - appeals: by the stretch of the appeal at one department (from its dispatch, by filing or after a
 *   return, to the next return): the official who accepted it there (else who resolved it) · that
 *   department · the appeal's region.
 *   `appeal_response_rate`: the stretch at the department holding it now, dispatched in the period; on
 *   time when its first response (or resolution) came by the response deadline; still unanswered and
 *   past the deadline is a miss, before the deadline not counted yet; proven by the response, or by the
 *   dispatch when there is none. Merged duplicates are not counted.
 *   `appeal_return_rate`: every dispatch in the period; a hit when that department returned it (the
 *   official who returned it; the `appeal.returned` entry), else a miss of its handler there (the
 *   dispatch's entry).
 *   `appeal_resolution_rate`: appeals closed in the period; a hit when not reopened as unresolved; the
 *   closing entry. `appeal_satisfaction_rate` / `appeal_satisfaction`: the last rating of each appeal in
 *   the period, satisfied / satisfied or fairly satisfied; `appeal.rated`.
 * - `rectification_on_time`: rectifications due in the period and not void: a hit when rectified by the
 *   deadline (the rectifier; the `rectified` step), a miss when rectified late or not at all once due
 *   (who called back, if anyone; the escalation or the opening entry). Not yet due and open: not counted.
 *
 * The builders make facts without their key; the service gives each its key (`keyed`) as it gathers them.
 * @module
 */
import type { UnkeyedFact } from './assessment.model.js'

type Ledger = { log: string; index: number }

export interface RatingRow {
  caseId: string
  score: number
  reformScore: number | null
  departmentId: string | null
  regionCode: string
  policy: string
  ratedAt: number
  ledger: Ledger
  teamId: string | null
  publishedBy: string | null
}

/** A completed department step of a case. */
export interface StepRow {
  id: string
  caseId: string
  departmentId: string
  assigneeId: string | null
  outcome: string | null
  sla: string
  dueAt: number | null
  completedAt: number
  regionCode: string
  ledger: Ledger | null
}

/** Whether `a` completed after `b` (ties told apart by the ledger entry: the case's one log orders them). */
const later = (a: StepRow, b: StepRow) =>
  a.completedAt > b.completedAt ||
  (a.completedAt === b.completedAt && (a.ledger?.index ?? -1) > (b.ledger?.index ?? -1))

function lastOf(steps: readonly StepRow[]): StepRow | undefined {
  let last: StepRow | undefined
  for (const s of steps) if (!last || later(s, last)) last = s
  return last
}

/**
 * Facts of ratings: `rating_avg` and `bad_review_rate`, attributed through the deciding steps.
 * @param badScoreMax the `badScoreMax` of each `rating.rectification` version, by its id
 * @param steps completed department steps of the rated cases
 */
export function ratingFacts(
  ratings: readonly RatingRow[],
  steps: readonly StepRow[],
  badScoreMax: ReadonlyMap<string, number>,
): UnkeyedFact[] {
  const byCase = new Map<string, StepRow[]>()
  for (const s of steps) {
    const list = byCase.get(s.caseId)
    if (list) list.push(s)
    else byCase.set(s.caseId, [s])
  }
  return ratings.flatMap((r) => {
    const deciding = lastOf((byCase.get(r.caseId) ?? []).filter((s) => s.departmentId === r.departmentId))
    const base = {
      ref: { kind: 'case', id: r.caseId },
      at: r.ratedAt,
      staffId: deciding?.assigneeId ?? null,
      departmentId: r.departmentId,
      regionCode: r.regionCode,
      ledger: r.ledger,
    } as const
    const max = badScoreMax.get(r.policy)
    return [
      { ...base, indicator: 'rating_avg', outcome: r.score },
      ...(max === undefined
        ? []
        : [{ ...base, indicator: 'bad_review_rate', outcome: r.score <= max } satisfies UnkeyedFact]),
    ] satisfies UnkeyedFact[]
  })
}

/** Facts of reform scores, attributed to the publisher and the team of the rated process version. */
export function reformFacts(ratings: readonly RatingRow[]): UnkeyedFact[] {
  return ratings.flatMap((r) =>
    r.reformScore === null
      ? []
      : [
          {
            indicator: 'reform_score',
            ref: { kind: 'case', id: r.caseId },
            at: r.ratedAt,
            outcome: r.reformScore,
            staffId: r.publishedBy,
            departmentId: r.teamId,
            regionCode: r.regionCode,
            ledger: r.ledger,
          } satisfies UnkeyedFact,
        ],
  )
}

/** `step_on_time` of department steps completed in the period. */
export function stepFacts(steps: readonly StepRow[]): UnkeyedFact[] {
  return steps.flatMap((s) =>
    s.ledger === null
      ? []
      : [
          {
            indicator: 'step_on_time',
            ref: { kind: 'task', id: s.id },
            at: s.completedAt,
            outcome: s.sla !== 'breached' && (s.dueAt === null || s.completedAt <= s.dueAt),
            staffId: s.assigneeId,
            departmentId: s.departmentId,
            regionCode: s.regionCode,
            ledger: s.ledger,
          } satisfies UnkeyedFact,
        ],
  )
}

/** A case finished in the period. */
export interface FinishedCaseRow {
  caseId: string
  completedAt: number
  regionCode: string
}

/**
 * `supplement_rate`: per finished case and department that completed a step in it.
 * @param steps the completed department steps of those cases
 */
export function supplementFacts(cases: readonly FinishedCaseRow[], steps: readonly StepRow[]): UnkeyedFact[] {
  const byCase = new Map<string, Map<string, StepRow[]>>()
  for (const s of steps) {
    let departments = byCase.get(s.caseId)
    if (!departments) byCase.set(s.caseId, (departments = new Map<string, StepRow[]>()))
    const list = departments.get(s.departmentId)
    if (list) list.push(s)
    else departments.set(s.departmentId, [s])
  }
  return cases.flatMap((c) =>
    [...(byCase.get(c.caseId)?.entries() ?? [])].flatMap(([departmentId, list]) => {
      const asked = list
        .filter((s) => s.outcome === 'supplement')
        .sort((a, b) => (later(a, b) ? 1 : later(b, a) ? -1 : 0))[0]
      const proof = asked ?? lastOf(list)
      if (!proof?.ledger) return []
      return [
        {
          indicator: 'supplement_rate',
          ref: { kind: 'case', id: c.caseId },
          at: c.completedAt,
          outcome: asked !== undefined,
          staffId: proof.assigneeId,
          departmentId,
          regionCode: c.regionCode,
          ledger: proof.ledger,
        } satisfies UnkeyedFact,
      ]
    }),
  )
}

// ---- appeals ---------------------------------------------------------------------------------------

export interface AppealRow {
  id: string
  status: string
  regionCode: string
  respondDueAt: number
  closedAt: number | null
  reopened: boolean
}

export interface AppealStepRow {
  appealId: string
  type: string
  at: number
  actorId: string
  data: Record<string, unknown>
  ledger: Ledger
}

/** An appeal's stay at one department: from its dispatch to the next return (or now). */
interface Stretch {
  departmentId: string
  dispatch: AppealStepRow
  steps: AppealStepRow[]
  returned: AppealStepRow | null
}

function stretches(steps: readonly AppealStepRow[]): Stretch[] {
  const out: Stretch[] = []
  for (const s of steps) {
    if (s.type === 'appeal.filed') {
      out.push({ departmentId: String(s.data.department), dispatch: s, steps: [], returned: null })
      continue
    }
    const current = out.at(-1)
    if (!current) continue
    if (s.type === 'appeal.returned') {
      current.returned = s
      out.push({ departmentId: String(s.data.department), dispatch: s, steps: [], returned: null })
    } else current.steps.push(s)
  }
  return out
}

const handlerOf = (s: Stretch) =>
  s.steps.find((x) => x.type === 'appeal.accepted')?.actorId ??
  s.steps.find((x) => x.type === 'appeal.resolved')?.actorId ??
  null

const inPeriod = (at: number, p: { from: number; to: number }) => at >= p.from && at < p.to

/**
 * The appeal facts of a period: response, return, resolution and the two satisfaction indicators.
 * @param steps every step of the appeals, in order (by time, then ledger entry)
 * @param now what "past the deadline" is measured against
 */
export function appealFacts(
  appeals: readonly AppealRow[],
  steps: readonly AppealStepRow[],
  period: { from: number; to: number },
  now: number,
): UnkeyedFact[] {
  const byAppeal = new Map<string, AppealStepRow[]>()
  for (const s of steps) {
    const list = byAppeal.get(s.appealId)
    if (list) list.push(s)
    else byAppeal.set(s.appealId, [s])
  }
  const out: UnkeyedFact[] = []
  for (const a of appeals) {
    const parts = stretches(byAppeal.get(a.id) ?? [])
    const fact = (
      indicator: UnkeyedFact['indicator'],
      s: Stretch,
      proof: AppealStepRow,
      outcome: boolean,
      staffId: string | null,
    ) =>
      out.push({
        indicator,
        ref: { kind: 'appeal', id: a.id },
        at: proof.at,
        outcome,
        staffId,
        departmentId: s.departmentId,
        regionCode: a.regionCode,
        ledger: proof.ledger,
      })
    for (const s of parts) {
      if (!inPeriod(s.dispatch.at, period)) continue
      fact(
        'appeal_return_rate',
        s,
        s.returned ?? s.dispatch,
        s.returned !== null,
        s.returned?.actorId ?? handlerOf(s),
      )
    }
    if (a.status === 'merged') continue
    const current = parts.at(-1)
    if (current && inPeriod(current.dispatch.at, period)) {
      const answer = current.steps.find((x) => x.type === 'appeal.responded' || x.type === 'appeal.resolved')
      if (answer)
        fact('appeal_response_rate', current, answer, answer.at <= a.respondDueAt, handlerOf(current))
      else if (now > a.respondDueAt)
        fact('appeal_response_rate', current, current.dispatch, false, handlerOf(current))
    }
    const stretchOf = (step: AppealStepRow) => parts.find((s) => s.steps.includes(step))
    if (a.status === 'closed' && a.closedAt !== null && inPeriod(a.closedAt, period)) {
      const all = parts.flatMap((s) => s.steps)
      const closing = [...all]
        .reverse()
        .find((x) => x.type === 'appeal.rated' || (x.type === 'appeal.resolved' && x.at === a.closedAt))
      const s = closing && stretchOf(closing)
      if (closing && s) fact('appeal_resolution_rate', s, closing, !a.reopened, handlerOf(s))
    }
    const rated = parts
      .flatMap((s) => s.steps)
      .filter((x) => x.type === 'appeal.rated' && inPeriod(x.at, period))
      .at(-1)
    const s = rated && stretchOf(rated)
    if (rated && s) {
      const satisfaction = String(rated.data.satisfaction)
      fact('appeal_satisfaction_rate', s, rated, satisfaction === 'satisfied', handlerOf(s))
      fact(
        'appeal_satisfaction',
        s,
        rated,
        satisfaction === 'satisfied' || satisfaction === 'basically_satisfied',
        handlerOf(s),
      )
    }
  }
  return out
}

// ---- rectifications ----------------------------------------------------------------------------------

export interface RectificationRow {
  id: string
  departmentId: string | null
  regionCode: string
  dueAt: number
  ledger: Ledger
  steps: { kind: string; at: number; actorId: string; ledger: Ledger }[]
}

/** `rectification_on_time` of rectifications due in the period (void ones left out by the store). */
export function rectificationFacts(rows: readonly RectificationRow[], now: number): UnkeyedFact[] {
  return rows.flatMap((r) => {
    const rectified = r.steps.find((s) => s.kind === 'rectified')
    if (!rectified && r.dueAt > now) return []
    const proof = rectified ?? r.steps.find((s) => s.kind === 'escalated')
    const caller = r.steps.find((s) => s.kind === 'called_back')
    return [
      {
        indicator: 'rectification_on_time',
        ref: { kind: 'rectification', id: r.id },
        at: r.dueAt,
        outcome: rectified !== undefined && rectified.at <= r.dueAt,
        staffId: rectified?.actorId ?? caller?.actorId ?? null,
        departmentId: r.departmentId,
        regionCode: r.regionCode,
        ledger: proof?.ledger ?? r.ledger,
      } satisfies UnkeyedFact,
    ]
  })
}
