/**
 * The command hall's rollups, the pure part: which units an event counts in (a region at each of its
 * four levels, a department, an official), its hour and Beijing-day buckets, the duration histogram's
 * fixed log-scale bins and the quantiles read from them, how a period splits into whole days and ragged
 * hours, and the fold of a page of ledger events into additive increments plus what the consumer must
 * remember of cases and steps.
 *
 * Why hand-written bins and not a sketch library (DDSketch, t-digest, HdrHistogram): a rollup row is
 * updated by an additive SQL upsert and read by `SUM` over any set of units and buckets. Fixed bins
 * stored one row each are exactly that (DDSketch's own log mapping, without its serialised form, which
 * could only be merged in JavaScript by reading every row back).
 * @module
 */
import type { TailEvent } from '../event-tail/index.js'

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
/** Asia/Shanghai is UTC+8 all year (no daylight saving), so an hour bucket is the same in both. */
const BEIJING_OFFSET_MS = 8 * HOUR_MS

/** A rollup's time grain: an hour, or a calendar day in Asia/Shanghai. */
export type Grain = 'h' | 'd'
export const GRAINS: readonly Grain[] = ['h', 'd']

export type UnitKind = 'region' | 'department' | 'official'

/**
 * The measures of this increment, by name (the `measure` column). Each counts `n`; those that time
 * something also sum milliseconds in `total`. Dimensions (`dim`) split a measure: '' is its whole.
 * A process version's part (`matter:<matter>@<version>`) is kept for region units only: the KPIs
 * that compare versions are a region's, and each dimension multiplies the rows of every unit.
 */
export const MEASURES = {
  /**
   * A case was submitted (the case's region; the window's department and clerk when staff submitted);
   * dim `matter:<matter>@<version>`.
   */
  CASES_SUBMITTED: 'cases.submitted',
  /** A case ended with approval (its region; the deciding official and their department); dim `matter:…`. */
  CASES_COMPLETED: 'cases.completed',
  /** A case ended with rejection (same units and dims). */
  CASES_REJECTED: 'cases.rejected',
  /** End-to-end time of a completed case (submission → completion): n and total ms; dim `matter:…`. */
  CASES_DURATION: 'cases.duration',
  /**
   * The same durations by histogram bin: `dim` is the bin number (see {@link durationBin}) for the
   * whole, `matter:<matter>@<version>|<bin>` for one process version.
   */
  CASES_DURATION_BIN: 'cases.duration.bin',
  /** A completed case that took under {@link INSTANT_MS} end to end (当场办结); dim `matter:…`. */
  CASES_INSTANT: 'cases.instant',
  /**
   * A case submitted that took no trip at all (零跑动: applied online); dim `matter:…`. A window
   * submission is the one trip the cases module counts, so trips are `cases.submitted` − this.
   */
  CASES_ZERO_TRIP: 'cases.zero_trip',
  /** A department step was completed (the case's region; the step's department; the official); dim `matter:…`. */
  STEPS_COMPLETED: 'steps.completed',
  /** …of which within its time limit (or without one). */
  STEPS_ON_TIME: 'steps.on_time',
  /** Time from a step's opening to its completion: n and total ms. */
  STEPS_DURATION: 'steps.duration',
  /** The same by histogram bin (`dim` = bin). */
  STEPS_DURATION_BIN: 'steps.duration.bin',
  /** An appeal was filed (its region; the department it was routed to); dims `kind:…`, `category:…`. */
  APPEALS_FILED: 'appeals.filed',
  /** A handler accepted an appeal (its region; the department; the handler). */
  APPEALS_ACCEPTED: 'appeals.accepted',
  /** A department returned an appeal as not its own (counted for the department that returned it). */
  APPEALS_RETURNED: 'appeals.returned',
  /** An appeal was escalated up the ladder. */
  APPEALS_ESCALATED: 'appeals.escalated',
  /** A duplicate appeal was merged into another. */
  APPEALS_MERGED: 'appeals.merged',
  /** First response to an appeal: n and total ms from filing (the responding official too). */
  APPEALS_RESPONDED: 'appeals.responded',
  APPEALS_RESPONDED_BIN: 'appeals.responded.bin',
  /** An appeal was resolved (again, after a reopening): n and total ms from filing. */
  APPEALS_RESOLVED: 'appeals.resolved',
  APPEALS_RESOLVED_BIN: 'appeals.resolved.bin',
  /** The citizen said how satisfied they are; dim `satisfaction:…`. */
  APPEALS_RATED: 'appeals.rated',
  /** An appeal filed, per topic: `dim` is a topic word of its text, or `category:<category>`. */
  APPEALS_TOPIC: 'appeals.topic',
  /** A case rating (好差评): n and total score (1–5); dims `score:<s>`, `matter:…`. */
  RATINGS_SUBMITTED: 'ratings.submitted',
  /** …of which favourable (score ≥ {@link FAVOURABLE_SCORE}); dim `matter:…`. */
  RATINGS_FAVOURABLE: 'ratings.favourable',
  /** A reform score given with a rating: n and total score; dim `matter:…`. */
  RATINGS_REFORM: 'ratings.reform',
} as const

/** A completion this soon after submission counts as instant (当场办结, 即办). */
export const INSTANT_MS = HOUR_MS
/** A case rating of at least this score is favourable (满意: 4 满意, 5 非常满意 of 5). */
export const FAVOURABLE_SCORE = 4

/** The event types the rollups read. */
export const ROLLUP_EVENT_TYPES = [
  'case.submitted',
  'case.completed',
  'case.rejected',
  'task.created',
  'task.completed',
  'task.cancelled',
  'appeal.filed',
  'appeal.accepted',
  'appeal.returned',
  'appeal.responded',
  'appeal.resolved',
  'appeal.rated',
  'appeal.escalated',
  'appeal.merged',
  'rating.submitted',
  'rating.contest_decided',
] as const

/** The dimension of one process version: `matter:<matter>@<version>`. */
export function matterDim(matter: string, version: number): string {
  return `matter:${matter}@${version}`
}

const REGION_LEVEL_LENGTHS = [2, 4, 6, 9] as const

/** The region and every ancestor: 430102001 → 43, 4301, 430102, 430102001. */
export function regionLevels(code: string): string[] {
  return REGION_LEVEL_LENGTHS.filter((n) => n <= code.length).map((n) => code.slice(0, n))
}

export function hourStart(t: number): number {
  return Math.floor(t / HOUR_MS) * HOUR_MS
}

/** Start of the Beijing calendar day containing `t`. */
export function dayStart(t: number): number {
  return Math.floor((t + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS
}

export function bucketOf(grain: Grain, t: number): number {
  return grain === 'h' ? hourStart(t) : dayStart(t)
}

// ---- duration histogram ------------------------------------------------------------------------

/** Bins per doubling: each bin spans a factor 2^(1/4) ≈ 1.19, so a quantile is within ±9 %. */
const BINS_PER_OCTAVE = 4
/** Bin 0 holds everything under one second (an instant completion). */
const FIRST_BOUND_MS = 1_000
/** Bin 127 holds everything from about 95 years on. */
export const MAX_BIN = 127

/** The histogram bin of a duration: 0 below one second, then one per 2^(1/4) up to {@link MAX_BIN}. */
export function durationBin(ms: number): number {
  if (!(ms >= FIRST_BOUND_MS)) return 0
  const bin = 1 + Math.floor(BINS_PER_OCTAVE * Math.log2(ms / FIRST_BOUND_MS) + 1e-9)
  return Math.min(MAX_BIN, bin)
}

/** [lower, upper) of a bin in milliseconds (the last bin's upper bound is Infinity). */
export function binBounds(bin: number): [number, number] {
  const lower = bin === 0 ? 0 : FIRST_BOUND_MS * 2 ** ((bin - 1) / BINS_PER_OCTAVE)
  const upper = bin >= MAX_BIN ? Infinity : FIRST_BOUND_MS * 2 ** (bin / BINS_PER_OCTAVE)
  return [lower, upper]
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram given as bin → count: the geometric middle of the bin
 * holding the ⌈q·n⌉-th smallest value (half a second for bin 0). @returns null for an empty histogram
 */
export function quantile(bins: ReadonlyMap<number, number>, q: number): number | null {
  let n = 0
  for (const c of bins.values()) n += c
  if (n === 0) return null
  const rank = Math.max(1, Math.ceil(q * n))
  let seen = 0
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    seen += bins.get(bin) ?? 0
    if (seen >= rank) {
      const [lower, upper] = binBounds(bin)
      if (bin === 0) return FIRST_BOUND_MS / 2
      return Math.round(Math.sqrt(lower * (upper === Infinity ? lower * 2 : upper)))
    }
  }
  return null
}

// ---- periods -----------------------------------------------------------------------------------

/** A half-open range of buckets of one grain: buckets b with from ≤ b < to. */
export interface BucketRange {
  grain: Grain
  from: number
  to: number
}

/**
 * The rollup buckets that cover [from, to) widened to whole hours (from rounded down, to up): whole
 * Beijing days in the middle, hours at the ragged ends. Empty when the period is.
 */
export function coverPeriod(from: number, to: number): { from: number; to: number; ranges: BucketRange[] } {
  const f = hourStart(from)
  const t = hourStart(to) === to ? to : hourStart(to) + HOUR_MS
  if (t <= f) return { from: f, to: f, ranges: [] }
  const firstDay = dayStart(f) === f ? f : dayStart(f) + DAY_MS
  const lastDay = dayStart(t)
  if (firstDay >= lastDay) return { from: f, to: t, ranges: [{ grain: 'h', from: f, to: t }] }
  const ranges: BucketRange[] = []
  if (f < firstDay) ranges.push({ grain: 'h', from: f, to: firstDay })
  ranges.push({ grain: 'd', from: firstDay, to: lastDay })
  if (lastDay < t) ranges.push({ grain: 'h', from: lastDay, to: t })
  return { from: f, to: t, ranges }
}

// ---- the fold ----------------------------------------------------------------------------------

/** One additive change of a rollup counter. */
export interface Increment {
  measure: string
  dim: string
  unitKind: UnitKind
  unitId: string
  grain: Grain
  bucket: number
  n: number
  total: number
}

/** What the consumer remembers of a case. */
export interface CaseState {
  id: string
  regionCode: string
  submittedAt: number
  ended: boolean
  /** The process version's dimension (`matter:<matter>@<version>`), '' when the event had none. */
  matter: string
  /** The case's rating as counted, so that a contest upheld (a false review) can take it out again. */
  rating: RatingMemo | null
}

/** What a rating added to the rollups: where and when, so a contest upheld subtracts exactly that. */
export interface RatingMemo {
  at: number
  score: number
  reform: number | null
  department: string | null
  matter: string
  /** Taken out by an upheld contest (a second decision does nothing). */
  excluded: boolean
}

/** What the consumer remembers of an appeal. */
export interface AppealState {
  id: string
  regionCode: string
  departmentId: string | null
  filedAt: number
  responded: boolean
  resolved: boolean
}

/** What the consumer remembers of an open department step. */
export interface TaskState {
  id: string
  caseId: string
  departmentId: string
  createdAt: number
  dueAt: number | null
}

/** The effects of a page: counters to add, case states to write, steps to write or forget. */
export interface FoldResult {
  increments: Increment[]
  cases: CaseState[]
  tasksPut: TaskState[]
  tasksDropped: string[]
  appeals: AppealState[]
}

/** The identity of a rollup counter (its primary key), as one string. */
export function incrementKey(x: Omit<Increment, 'n' | 'total'>): string {
  return `${x.measure}|${x.dim}|${x.unitKind}|${x.unitId}|${x.grain}|${x.bucket}`
}

interface Unit {
  kind: UnitKind
  id: string
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** The acting official and their department, when staff acted (a citizen's own acts count for neither). */
function actorUnits(e: TailEvent): Unit[] {
  if (!e.actor.department) return []
  return [
    { kind: 'department', id: e.actor.department },
    { kind: 'official', id: e.actor.id },
  ]
}

const regionUnits = (code: string): Unit[] => regionLevels(code).map((id) => ({ kind: 'region', id }))

/** The case ids and step ids whose remembered state a page needs (to load before folding it). */
export function stateKeys(events: readonly TailEvent[]): {
  cases: string[]
  tasks: string[]
  appeals: string[]
  filed: string[]
} {
  const cases = new Set<string>()
  const tasks = new Set<string>()
  const appeals = new Set<string>()
  const filed = new Set<string>()
  for (const e of events) {
    const c = str(e.data.case)
    if (c && (e.type.startsWith('case.') || e.type.startsWith('task.') || e.type.startsWith('rating.')))
      cases.add(c)
    const t = str(e.data.task)
    if (t && (e.type === 'task.completed' || e.type === 'task.cancelled')) tasks.add(t)
    const a = str(e.data.appeal)
    if (a && e.type.startsWith('appeal.')) {
      appeals.add(a)
      if (e.type === 'appeal.filed') filed.add(a)
    }
  }
  return { cases: [...cases], tasks: [...tasks], appeals: [...appeals], filed: [...filed] }
}

/**
 * Folds a page of events (tail order) into increments, given the remembered state of the cases, steps
 * and appeals it names (those `stateKeys` asked for; missing ones are unknown) and the topics of the
 * appeals it files (words of their texts, {@link stateKeys}' `filed`). Deterministic: the same events
 * from the same state give the same result however the ledger is paged, which is what makes a rebuild
 * equal the live rollups. Counters of one page are summed per key.
 */
export function foldPage(
  events: readonly TailEvent[],
  knownCases: ReadonlyMap<string, CaseState>,
  knownTasks: ReadonlyMap<string, TaskState>,
  knownAppeals: ReadonlyMap<string, AppealState> = new Map(),
  topics: ReadonlyMap<string, readonly string[]> = new Map(),
): FoldResult {
  const cases = new Map(knownCases)
  const tasks = new Map(knownTasks)
  const appeals = new Map(knownAppeals)
  const dirtyCases = new Set<string>()
  const dirtyTasks = new Set<string>()
  const dirtyAppeals = new Set<string>()
  const sums = new Map<string, Increment>()

  const add = (measure: string, dim: string, units: readonly Unit[], t: number, n = 1, total = 0): void => {
    for (const u of units)
      for (const grain of GRAINS) {
        const bucket = bucketOf(grain, t)
        const key = incrementKey({ measure, dim, unitKind: u.kind, unitId: u.id, grain, bucket })
        const inc = sums.get(key)
        if (inc) {
          inc.n += n
          inc.total += total
        } else sums.set(key, { measure, dim, unitKind: u.kind, unitId: u.id, grain, bucket, n, total })
      }
  }
  const regionsOf = (units: readonly Unit[]): Unit[] => units.filter((u) => u.kind === 'region')
  /** A measure's whole in every unit and, when known, its process version's part in the regions. */
  const addMatter = (measure: string, matter: string, units: readonly Unit[], t: number, total = 0) => {
    add(measure, '', units, t, 1, total)
    if (matter) add(measure, matter, regionsOf(units), t, 1, total)
  }
  /** A duration's whole histogram bin and (for cases) its process version's bin, in the regions. */
  const addBin = (measure: string, ms: number, matter: string, units: readonly Unit[], t: number) => {
    const bin = String(durationBin(ms))
    add(measure, bin, units, t)
    if (matter) add(measure, `${matter}|${bin}`, regionsOf(units), t)
  }
  /** The case's region levels: remembered, else the event's log (a city or the province). */
  const caseRegion = (e: TailEvent, c: CaseState | undefined): Unit[] => regionUnits(c?.regionCode ?? e.log)
  /** An appeal's region levels and its department as remembered, else the event's log. */
  const appealUnits = (e: TailEvent, a: AppealState | undefined, withActor: boolean): Unit[] => [
    ...regionUnits(a?.regionCode ?? e.log),
    ...(a?.departmentId ? [{ kind: 'department' as const, id: a.departmentId }] : []),
    ...(withActor && e.actor.department ? [{ kind: 'official' as const, id: e.actor.id }] : []),
  ]
  const putAppeal = (a: AppealState): void => {
    appeals.set(a.id, a)
    dirtyAppeals.add(a.id)
  }
  /** A rating's counters in its case's region and the rated department, added (+1) or taken out (−1). */
  const countRating = (r: RatingMemo, region: readonly Unit[], sign: 1 | -1): void => {
    const units: Unit[] = [
      ...region,
      ...(r.department ? [{ kind: 'department' as const, id: r.department }] : []),
    ]
    const both = (measure: string, total: number) => {
      add(measure, '', units, r.at, sign, sign * total)
      if (r.matter) add(measure, r.matter, region, r.at, sign, sign * total)
    }
    both(MEASURES.RATINGS_SUBMITTED, r.score)
    add(MEASURES.RATINGS_SUBMITTED, `score:${r.score}`, units, r.at, sign, sign * r.score)
    if (r.score >= FAVOURABLE_SCORE) both(MEASURES.RATINGS_FAVOURABLE, 0)
    if (r.reform !== null) both(MEASURES.RATINGS_REFORM, r.reform)
  }

  for (const e of events) {
    const caseId = str(e.data.case)
    switch (e.type) {
      case 'case.submitted': {
        if (!caseId) break
        const matter = str(e.data.matter)
        const version = num(e.data.version)
        const state: CaseState = {
          id: caseId,
          regionCode: str(e.data.region) ?? e.log,
          submittedAt: e.time,
          ended: false,
          matter: matter && version !== null ? matterDim(matter, version) : '',
          rating: null,
        }
        cases.set(caseId, state)
        dirtyCases.add(caseId)
        const units = [...regionUnits(state.regionCode), ...actorUnits(e)]
        addMatter(MEASURES.CASES_SUBMITTED, state.matter, units, e.time)
        // Trips as the cases module counts them: a window submission is one trip, online none.
        if (e.data.channel !== 'window') addMatter(MEASURES.CASES_ZERO_TRIP, state.matter, units, e.time)
        break
      }
      case 'case.completed':
      case 'case.rejected': {
        const c = caseId ? cases.get(caseId) : undefined
        if (c?.ended) break
        const units = [...caseRegion(e, c), ...actorUnits(e)]
        const completed = e.type === 'case.completed'
        const matter = c?.matter ?? ''
        addMatter(completed ? MEASURES.CASES_COMPLETED : MEASURES.CASES_REJECTED, matter, units, e.time)
        if (c) {
          if (completed) {
            const ms = Math.max(0, e.time - c.submittedAt)
            addMatter(MEASURES.CASES_DURATION, matter, units, e.time, ms)
            addBin(MEASURES.CASES_DURATION_BIN, ms, matter, units, e.time)
            if (ms < INSTANT_MS) addMatter(MEASURES.CASES_INSTANT, matter, units, e.time)
          }
          cases.set(c.id, { ...c, ended: true })
          dirtyCases.add(c.id)
        }
        break
      }
      case 'task.created': {
        const taskId = str(e.data.task)
        const department = str(e.data.department)
        // The applicant's own steps (supplements) have no department: they are not a department's work.
        if (!taskId || !caseId || !department) break
        tasks.set(taskId, {
          id: taskId,
          caseId,
          departmentId: department,
          createdAt: e.time,
          dueAt: num(e.data.dueAt),
        })
        dirtyTasks.add(taskId)
        break
      }
      case 'task.completed': {
        const taskId = str(e.data.task)
        const task = taskId ? tasks.get(taskId) : undefined
        if (!task) break
        const units: Unit[] = [
          ...caseRegion(e, cases.get(task.caseId)),
          { kind: 'department', id: task.departmentId },
          ...(e.actor.department ? [{ kind: 'official' as const, id: e.actor.id }] : []),
        ]
        const matter = cases.get(task.caseId)?.matter ?? ''
        const ms = Math.max(0, e.time - task.createdAt)
        addMatter(MEASURES.STEPS_COMPLETED, matter, units, e.time)
        if (task.dueAt === null || e.time <= task.dueAt)
          addMatter(MEASURES.STEPS_ON_TIME, matter, units, e.time)
        add(MEASURES.STEPS_DURATION, '', units, e.time, 1, ms)
        addBin(MEASURES.STEPS_DURATION_BIN, ms, '', units, e.time)
        tasks.delete(task.id)
        dirtyTasks.add(task.id)
        break
      }
      case 'task.cancelled': {
        const taskId = str(e.data.task)
        if (taskId && tasks.delete(taskId)) dirtyTasks.add(taskId)
        break
      }
      case 'appeal.filed': {
        const region = str(e.data.region) ?? e.log
        const department = str(e.data.department)
        const appealId = str(e.data.appeal)
        const units: Unit[] = [
          ...regionUnits(region),
          ...(department ? [{ kind: 'department' as const, id: department }] : []),
        ]
        add(MEASURES.APPEALS_FILED, '', units, e.time)
        const kind = str(e.data.kind)
        if (kind) add(MEASURES.APPEALS_FILED, `kind:${kind}`, units, e.time)
        const category = str(e.data.category)
        if (category) {
          add(MEASURES.APPEALS_FILED, `category:${category}`, units, e.time)
          add(MEASURES.APPEALS_TOPIC, `category:${category}`, units, e.time)
        }
        if (!appealId) break
        for (const word of new Set(topics.get(appealId) ?? []))
          add(MEASURES.APPEALS_TOPIC, word, units, e.time)
        putAppeal({
          id: appealId,
          regionCode: region,
          departmentId: department,
          filedAt: e.time,
          responded: false,
          resolved: false,
        })
        break
      }
      case 'appeal.accepted':
      case 'appeal.escalated':
      case 'appeal.merged': {
        const a = appeals.get(str(e.data.appeal) ?? '')
        const measure =
          e.type === 'appeal.accepted'
            ? MEASURES.APPEALS_ACCEPTED
            : e.type === 'appeal.escalated'
              ? MEASURES.APPEALS_ESCALATED
              : MEASURES.APPEALS_MERGED
        add(measure, '', appealUnits(e, a, e.type === 'appeal.accepted'), e.time)
        break
      }
      case 'appeal.returned': {
        const a = appeals.get(str(e.data.appeal) ?? '')
        add(MEASURES.APPEALS_RETURNED, '', appealUnits(e, a, true), e.time)
        // Routed again: what follows is the next department's.
        if (a) putAppeal({ ...a, departmentId: str(e.data.department) ?? a.departmentId })
        break
      }
      case 'appeal.responded': {
        const a = appeals.get(str(e.data.appeal) ?? '')
        if (!a || a.responded) break
        const ms = Math.max(0, e.time - a.filedAt)
        const units = appealUnits(e, a, true)
        add(MEASURES.APPEALS_RESPONDED, '', units, e.time, 1, ms)
        addBin(MEASURES.APPEALS_RESPONDED_BIN, ms, '', units, e.time)
        putAppeal({ ...a, responded: true })
        break
      }
      case 'appeal.resolved': {
        const a = appeals.get(str(e.data.appeal) ?? '')
        if (!a || a.resolved) break
        const ms = Math.max(0, e.time - a.filedAt)
        const units = appealUnits(e, a, true)
        add(MEASURES.APPEALS_RESOLVED, '', units, e.time, 1, ms)
        addBin(MEASURES.APPEALS_RESOLVED_BIN, ms, '', units, e.time)
        // A resolution is a response too, when it came without one.
        putAppeal({ ...a, responded: true, resolved: true })
        break
      }
      case 'appeal.rated': {
        const a = appeals.get(str(e.data.appeal) ?? '')
        const units = appealUnits(e, a, false)
        add(MEASURES.APPEALS_RATED, '', units, e.time)
        const satisfaction = str(e.data.satisfaction)
        if (satisfaction) add(MEASURES.APPEALS_RATED, `satisfaction:${satisfaction}`, units, e.time)
        // Dissatisfied once reopens it: its next resolution counts again.
        if (a && e.data.reopened === true) putAppeal({ ...a, resolved: false })
        break
      }
      case 'rating.submitted': {
        const score = num(e.data.score)
        if (score === null) break
        const c = caseId ? cases.get(caseId) : undefined
        const matter = str(e.data.matter)
        const version = num(e.data.version)
        const memo: RatingMemo = {
          at: e.time,
          score,
          reform: num(e.data.reformScore),
          department: str(e.data.department),
          matter: matter && version !== null ? matterDim(matter, version) : (c?.matter ?? ''),
          excluded: false,
        }
        countRating(memo, caseRegion(e, c), 1)
        if (c) {
          cases.set(c.id, { ...c, rating: memo })
          dirtyCases.add(c.id)
        }
        break
      }
      case 'rating.contest_decided': {
        // Upheld: the rating was a false review (不实评价) and leaves every figure, where it was counted.
        const c = caseId ? cases.get(caseId) : undefined
        if (e.data.upheld !== true || !c?.rating || c.rating.excluded) break
        countRating(c.rating, regionUnits(c.regionCode), -1)
        cases.set(c.id, { ...c, rating: { ...c.rating, excluded: true } })
        dirtyCases.add(c.id)
        break
      }
      default:
        break
    }
  }
  const tasksPut: TaskState[] = []
  const tasksDropped: string[] = []
  for (const id of dirtyTasks) {
    const t = tasks.get(id)
    if (t) tasksPut.push(t)
    else if (knownTasks.has(id)) tasksDropped.push(id)
  }
  return {
    increments: [...sums.values()],
    cases: [...dirtyCases].map((id) => cases.get(id) as CaseState),
    tasksPut,
    tasksDropped,
    appeals: [...dirtyAppeals].map((id) => appeals.get(id) as AppealState),
  }
}

// ---- query input -------------------------------------------------------------------------------

/**
 * What `from`/`to` of an analytics query may be: epoch milliseconds, a Beijing calendar date
 * (`2026-12-01`: its midnight in Asia/Shanghai), or an ISO 8601 date-time with a zone
 * (`2026-12-01T08:00:00+08:00`, `…Z`).
 */
export const INSTANT_PATTERN =
  '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?)$'
const INSTANT_RE = new RegExp(INSTANT_PATTERN)

/** Epoch milliseconds of an instant in one of the {@link INSTANT_PATTERN} forms, or null if none. */
export function parseInstant(text: string): number | null {
  if (!INSTANT_RE.test(text)) return null
  if (/^[0-9]+$/.test(text)) return Number(text)
  const t = text.length === 10 ? Date.parse(`${text}T00:00:00+08:00`) : Date.parse(text)
  if (!Number.isFinite(t)) return null
  // Date.parse rolls 2026-02-31 over to March: refuse dates that do not exist.
  const date = text.slice(0, 10)
  const check = new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10)
  return check === date ? t : null
}
