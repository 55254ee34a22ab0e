/**
 * The traffic simulator: drives the demo province through the real case service so it has historical
 * and live cases. Citizens apply for the demo matters on a daily rhythm (tax refunds and residence
 * permits often, construction permits rarely), online at any hour or at a service-centre window in
 * office hours; officials work their inboxes during working hours of working days, most within the
 * step's time limit and some late (so SLA warnings and breaches fire); a few applications are rejected
 * or sent back for a supplement, which the citizen usually hands in a while later.
 *
 * Everything is deterministic for a seed and a start time: every random draw comes from a generator
 * keyed by what it decides (`arrival:<n>`, `task:<case>:<node>:<round>`), never from the order in which
 * rows come back. Time is the app's {@link ManualClock}: the simulator advances it from event to event,
 * and SLA timers fire as it passes them, exactly as they would in production. With `appealsPerDay`,
 * citizens also file appeals and rate cases (`traffic-appeals.ts`).
 *
 * Live mode ({@link runLiveTraffic}) runs the same simulation on the real clock: the events are taken
 * in the same order, but as fast as a target rate of ledger events per second allows, so the command
 * hall moves while one watches (simulated time then runs faster than real time; the services stamp
 * real times).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { SYSTEM, type Principal } from '../server/access.js'
import type { App } from '../server/app.js'
import { ManualClock } from '../server/clock.js'
import type { CaseView, TaskView } from '../shared/api.js'
import type { Role } from '../shared/domain.js'
import { AppError, isAppError } from '../shared/errors.js'
import { merge, typed } from '../server/modules/catalog/demo/samples.js'
import { chinaWorkCalendar, type WorkCalendar } from '../server/modules/workflow/calendar/index.js'
import type { DemoCitizen } from '../server/modules/sim/demo.model.js'
import { Rng, WeightedTable } from '../server/modules/sim/rng.js'
import { AppealTraffic, type AppealTrafficResult } from './traffic-appeals.js'

export interface TrafficOptions {
  /** Seed of every random decision. */
  seed: number
  /** How many days (of 24 h) to simulate, from the clock's current time. */
  days: number
  /** Applications on an ordinary working day (weekends and holidays see about a third, online only). */
  casesPerDay: number
  /** Simulated hours done of the total, called about once per simulated hour. */
  onProgress?: (doneHours: number, totalHours: number) => void
  /**
   * Awaited once per simulated hour, the clock at that hour: where a caller adds what the simulator
   * does not do itself (the assessment bench rates finished cases and works appeals there).
   */
  onHour?: (now: number) => Promise<void>
  /** Appeals filed on a day (0, the default: none, and no ratings either). */
  appealsPerDay?: number
}

export interface LiveTrafficOptions extends Omit<TrafficOptions, 'days' | 'onProgress'> {
  /** Target rate, ledger events per second (all logs). */
  rate: number
  /** Stop after this many seconds (default: when `signal` aborts). */
  durationS?: number
  signal?: AbortSignal
  /** Called about once a second: ledger events appended since the start, and seconds elapsed. */
  onProgress?: (events: number, seconds: number) => void
}

export interface TrafficResult {
  /** Simulated period, epoch ms. */
  from: number
  to: number
  /** Cases submitted (online + window). */
  submitted: number
  online: number
  window: number
  /** Arrivals for which no eligible citizen was found (the form refused every candidate). */
  refused: number
  /** Final status of the simulated cases at the end. */
  completed: number
  rejected: number
  /** Still running at the end (submitted, in progress or waiting for a supplement): the live cases. */
  open: number
  /** Supplement requests officials made (补正), and how many the citizens handed in. */
  supplements: number
  resubmitted: number
  /** Department tasks completed by officials. */
  tasksCompleted: number
  /** Tasks that ended in the warning window of their time limit (sla `warned`, not breached). */
  warned: number
  /** Tasks whose time limit was breached. */
  breached: number
  /** Appeals and ratings (zeros without `appealsPerDay`). */
  appeals: AppealTrafficResult
  /** Live mode: ledger events appended and real seconds taken (0 otherwise). */
  events: number
  seconds: number
}

/** Relative frequency of the demo matters (unknown codes are ignored, missing ones weigh 1). */
export const MATTER_WEIGHTS: Readonly<Record<string, number>> = {
  TAX_REFUND: 30,
  RESIDENCE_PERMIT: 22,
  MEDICAL_INSURANCE: 12,
  NEWBORN: 8,
  SOCIAL_SECURITY_TRANSFER: 8,
  BIZ_STARTUP: 7,
  REAL_ESTATE_REGISTRATION: 6,
  BIZ_CHANGE: 5,
  CONSTRUCTION_PERMIT: 2,
}

/** Share of applications handed in at a window (on working days) rather than online. */
const WINDOW_SHARE: Readonly<Record<string, number>> = {
  TAX_REFUND: 0.05,
  MEDICAL_INSURANCE: 0.15,
  REAL_ESTATE_REGISTRATION: 0.5,
  CONSTRUCTION_PERMIT: 0.6,
}
const DEFAULT_WINDOW_SHARE = 0.3

/** Online applications by local hour: quiet at night, peaks mid-morning, mid-afternoon and evening. */
const ONLINE_BY_HOUR = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.6, 2.6, 3, 2.8, 1.8, 1.6, 2.4, 2.7, 2.5, 2, 1.4, 1.5, 1.8, 1.6,
  1, 0.5,
]
/** Window applications by local hour (9:00–17:30, lunch lull). */
const WINDOW_BY_HOUR = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 2.2, 3, 2.6, 0.8, 1.2, 2.4, 2.8, 2.2, 0.6, 0, 0, 0, 0, 0, 0,
]
/** Weekends and holidays: this share of a working day's applications, all online. */
const OFF_DAY_FACTOR = 0.3

/** Officials' decisions on a department task. */
const REJECT_RATE = 0.05
/** A supplement is asked for at most once per step. */
const SUPPLEMENT_RATE = 0.12
/** Handling time as a fraction of the step's time limit (in working hours). */
const ON_TIME = { p: 0.8, from: 0.05, to: 0.7 }
const NEAR_LIMIT = { p: 0.12, from: 0.9, to: 0.99 }
const LATE = { from: 1.05, to: 1.9 }
/** Citizens who never hand in the asked-for supplement (the case expires at the supplement's limit). */
const ABANDON_RATE = 0.08
/** Candidates tried for one arrival before giving up (a matter's form mirrors real eligibility). */
const CANDIDATES = 40

const HOUR = 3_600_000
const DAY = 24 * HOUR
const BEIJING = 8 * HOUR

type Event =
  | { at: number; seq: number; kind: 'arrive'; serial: number; matter: string; window: boolean }
  | { at: number; seq: number; kind: 'work'; sim: SimCase; task: TaskView; outcome: string; by: Principal }
  | { at: number; seq: number; kind: 'tick' }
  | { at: number; seq: number; kind: 'day'; dayStart: number }
type NewEvent = Event extends infer E ? (E extends Event ? Omit<E, 'seq'> : never) : never

const before = (a: Event, b: Event): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq)

interface NodeInfo {
  role: Role
  /** When the step's SLA warning fires for a task created at `createdAt` (null: no warning). */
  warnAt(calendar: WorkCalendar, createdAt: number): number | null
}

interface SimCase {
  serial: number
  id: string
  matter: string
  version: number
  applicant: Principal
  /** Tasks already given a completion event. */
  scheduled: Set<string>
  /** Rounds per node (a supplement sends a step round again). */
  rounds: Map<string, number>
  /** Completion events not yet run. */
  pending: number
  /** Nothing to look at before this time (a supplement the citizen will never hand in expires then). */
  idleUntil: number
  done: boolean
}

/**
 * Simulates `days` days of traffic from the app's current (manual) time, through the real services.
 * Leaves the clock at the end of the period and the cases still running open.
 * @throws CONFLICT when the app does not run on a manual clock or holds no demo province
 */
export async function runTraffic(app: App, options: TrafficOptions): Promise<TrafficResult> {
  const clock = app.services.clock
  if (!(clock instanceof ManualClock)) {
    throw new AppError(
      'CONFLICT',
      'the traffic simulator moves time itself: create the app with a ManualClock',
    )
  }
  if (!(options.days > 0) || !(options.casesPerDay >= 0)) {
    throw new AppError('VALIDATION_FAILED', 'days must be positive and casesPerDay not negative')
  }
  const sim = new Simulation(app, clock, options)
  return sim.run()
}

/**
 * Runs the simulation on the app's real clock at about `rate` ledger events per second until the
 * duration ends or `signal` aborts, from now; leaves what is running open.
 * @throws CONFLICT on a manual clock or without the demo province; VALIDATION_FAILED for a bad rate
 */
export async function runLiveTraffic(app: App, options: LiveTrafficOptions): Promise<TrafficResult> {
  if (app.services.clock instanceof ManualClock) {
    throw new AppError(
      'CONFLICT',
      'live traffic runs on the real clock: create the app without a ManualClock',
    )
  }
  if (!(options.rate > 0) || (options.durationS !== undefined && !(options.durationS > 0))) {
    throw new AppError('VALIDATION_FAILED', 'the rate and the duration must be positive')
  }
  const sim = new Simulation(app, null, { ...options, days: Infinity }, { ...options, startSize: 0 })
  return sim.run()
}

interface Live extends LiveTrafficOptions {
  startSize: number
}

class Simulation {
  private readonly services: App['services']
  private readonly calendar = chinaWorkCalendar()
  /** A binary min-heap by (time, order queued). */
  private readonly queue: Event[] = []
  private seq = 0
  private readonly cases: SimCase[] = []
  private readonly workers = new Map<string, Principal>()
  private readonly nodes = new Map<string, NodeInfo>()
  private readonly result: TrafficResult
  private readonly from: number
  private readonly to: number
  private citizenCount = 0
  private serial = 0
  private appeals: AppealTraffic | undefined
  /** Live mode: simulated time (the last event's), real start, whether time is up. */
  private virtual: number
  private readonly started = performance.now()
  private stopped = false
  private reportedAt = 0

  constructor(
    private readonly app: App,
    private readonly clock: ManualClock | null,
    private readonly options: TrafficOptions,
    private readonly live?: Live,
  ) {
    this.services = app.services
    this.from = this.virtual = app.services.clock.now()
    this.to = this.from + options.days * DAY
    this.result = {
      from: this.from,
      to: this.to,
      submitted: 0,
      online: 0,
      window: 0,
      refused: 0,
      completed: 0,
      rejected: 0,
      open: 0,
      supplements: 0,
      resubmitted: 0,
      tasksCompleted: 0,
      warned: 0,
      breached: 0,
      appeals: { ...new AppealTraffic(app.services, 0, 0, 0, async () => undefined).result },
      events: 0,
      seconds: 0,
    }
  }

  async run(): Promise<TrafficResult> {
    this.citizenCount = (await this.services.org.counts()).citizens
    const matters = (await this.services.catalog.listMatters()).map((m) => m.code).sort()
    if (this.citizenCount === 0 || matters.length === 0) {
      throw new AppError(
        'CONFLICT',
        'the simulator needs the demo province and its catalogue: seed it first (xzt demo)',
      )
    }
    if (this.options.appealsPerDay) {
      this.appeals = new AppealTraffic(
        this.services,
        this.options.seed,
        this.options.appealsPerDay,
        this.citizenCount,
        (department, role) => this.worker(department, role).catch(notFound),
        () => this.pace(),
      )
    }
    if (this.live) this.live.startSize = await this.services.ledger.totalSize()
    const table = new WeightedTable(matters.map((m) => MATTER_WEIGHTS[m] ?? 1))
    const firstDay = Math.floor((this.from + BEIJING) / DAY) * DAY - BEIJING
    this.push({ at: this.from, kind: 'day', dayStart: firstDay })
    this.push({ at: this.from + HOUR, kind: 'tick' })

    const totalHours = Math.round((this.to - this.from) / HOUR)
    while (!this.stopped) {
      const event = this.pop()
      if (!event || event.at > this.to) break
      await this.advanceTo(event.at)
      if (this.stopped) break
      switch (event.kind) {
        case 'day':
          // Each day's arrivals are planned at its start, so a live run needs no end.
          this.planArrivals(matters, table, event.dayStart)
          if (event.dayStart + DAY < this.to)
            this.push({ at: event.dayStart + DAY, kind: 'day', dayStart: event.dayStart + DAY })
          break
        case 'arrive':
          await this.arrive(event.serial, event.matter, event.window)
          break
        case 'work':
          await this.work(event)
          break
        case 'tick':
          if (event.at + HOUR < this.to) this.push({ at: event.at + HOUR, kind: 'tick' })
          await this.tick()
          await this.appeals?.hour(event.at)
          await this.options.onHour?.(event.at)
          if (!this.live) this.options.onProgress?.(Math.round((event.at - this.from) / HOUR), totalHours)
          break
      }
    }
    if (!this.live) await this.advanceTo(this.to)
    await this.tally()
    if (this.appeals) this.result.appeals = { ...this.appeals.result }
    if (this.live) {
      this.result.to = this.services.clock.now()
      this.result.events = (await this.services.ledger.totalSize()) - this.live.startSize
      this.result.seconds = (performance.now() - this.started) / 1000
    } else this.options.onProgress?.(totalHours, totalHours)
    return this.result
  }

  /** The simulation's present: the manual clock's, or live, the time of the event being run. */
  private now(): number {
    return this.clock ? this.clock.now() : this.virtual
  }

  /**
   * Live mode: waits until the ledger events appended so far are no more than the target rate allows,
   * and reports progress. False (and `stopped`) once the duration is over or the signal aborted.
   */
  private async pace(): Promise<boolean> {
    const live = this.live
    if (!live) return true
    const events = (await this.services.ledger.totalSize()) - live.startSize
    const elapsed = performance.now() - this.started
    const deadline = live.durationS === undefined ? Infinity : live.durationS * 1000
    const wait = Math.min((events / live.rate) * 1000, deadline) - elapsed
    if (wait > 0) await sleep(wait, undefined, { signal: live.signal }).catch(() => undefined)
    const now = performance.now() - this.started
    if (now - this.reportedAt >= 1000) {
      this.reportedAt = now
      live.onProgress?.(events, now / 1000)
    }
    if (now >= deadline || live.signal?.aborted) this.stopped = true
    return !this.stopped
  }

  // ---- the event queue -------------------------------------------------------------------------

  /** Queues an event; among events at the same time, the earlier queued runs first. */
  private push(e: NewEvent): void {
    const heap = this.queue
    heap.push({ ...e, seq: ++this.seq })
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (!before(heap[i] as Event, heap[parent] as Event)) break
      ;[heap[i], heap[parent]] = [heap[parent] as Event, heap[i] as Event]
      i = parent
    }
  }

  /** The earliest queued event, removed. */
  private pop(): Event | undefined {
    const heap = this.queue
    const top = heap[0]
    const last = heap.pop()
    if (heap.length > 0 && last) {
      heap[0] = last
      for (let i = 0; ;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && before(heap[l] as Event, heap[m] as Event)) m = l
        if (r < heap.length && before(heap[r] as Event, heap[m] as Event)) m = r
        if (m === i) break
        ;[heap[i], heap[m]] = [heap[m] as Event, heap[i] as Event]
        i = m
      }
    }
    return top
  }

  /** Moves the clock forward to `at` (timers due in between fire); live, keeps to the rate. */
  private async advanceTo(at: number): Promise<void> {
    if (!this.clock) {
      this.virtual = Math.max(this.virtual, at)
      await this.pace()
      return
    }
    const now = this.clock.now()
    if (at > now) await this.clock.advance(at - now)
  }

  // ---- arrivals --------------------------------------------------------------------------------

  /** Draws the applications of a local day in the period: how many, which matter, which channel, when. */
  private planArrivals(matters: string[], table: WeightedTable, dayStart: number): void {
    const online = new WeightedTable(ONLINE_BY_HOUR)
    const window = new WeightedTable(WINDOW_BY_HOUR)
    const arrivals: { at: number; matter: string; window: boolean }[] = []
    {
      const date = this.calendar.localDate(dayStart)
      const working = this.calendar.isWorkingDay(date)
      const rng = Rng.for(this.options.seed, `day:${date}`)
      const n = Math.round(this.options.casesPerDay * (working ? 1 : OFF_DAY_FACTOR) * rng.float(0.85, 1.15))
      for (let i = 0; i < n; i++) {
        const matter = matters[table.draw(rng)] as string
        const atWindow = working && rng.chance(WINDOW_SHARE[matter] ?? DEFAULT_WINDOW_SHARE)
        const hour = (atWindow ? window : online).draw(rng)
        const minute = hour === 17 && atWindow ? rng.int(0, 29) : rng.int(0, 59)
        const at = dayStart + hour * HOUR + minute * 60_000 + rng.int(0, 59_999)
        if (at >= this.from && at < this.to) arrivals.push({ at, matter, window: atWindow })
      }
    }
    arrivals.sort((a, b) => a.at - b.at || a.matter.localeCompare(b.matter))
    for (const a of arrivals)
      this.push({ kind: 'arrive', at: a.at, serial: this.serial++, matter: a.matter, window: a.window })
  }

  /** A citizen applies: the prefilled form plus what they type, online or through a window clerk. */
  private async arrive(serial: number, matter: string, atWindow: boolean): Promise<void> {
    const rng = Rng.for(this.options.seed, `arrival:${serial}`)
    for (let attempt = 0; attempt < CANDIDATES; attempt++) {
      const index = rng.int(1, this.citizenCount)
      const phone = `1${rng.pick(['3', '5', '8'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`
      const citizen = await this.citizen(`ct-${String(index).padStart(7, '0')}`, phone)
      if (!citizen) continue
      const data = typed(citizen.person)[matter]
      if (!data) break
      const clerk = atWindow ? await this.windowClerk(citizen.principal.regionCode) : undefined
      const prefill = await this.services.catalog.prefill(citizen.principal, matter)
      let view: CaseView
      try {
        view =
          clerk !== undefined
            ? await this.services.cases.submit(clerk, {
                matterCode: matter,
                data: merge(prefill.data, data),
                channel: 'window',
                applicantId: citizen.principal.accountId,
              })
            : await this.services.cases.submit(citizen.principal, {
                matterCode: matter,
                data: merge(prefill.data, data),
                channel: 'online',
              })
      } catch (err) {
        // Not eligible for this matter (the form refuses), or no department serves their region.
        if (
          isAppError(err) &&
          (err.code === 'VALIDATION_FAILED' || err.code === 'CONFLICT' || err.code === 'NOT_FOUND')
        )
          continue
        throw err
      }
      this.result.submitted++
      if (clerk) this.result.window++
      else this.result.online++
      const c: SimCase = {
        serial,
        id: view.id,
        matter,
        version: view.matterVersion,
        applicant: citizen.principal,
        scheduled: new Set(),
        rounds: new Map(),
        pending: 0,
        idleUntil: 0,
        done: false,
      }
      this.cases.push(c)
      await this.discover(c, view)
      return
    }
    this.result.refused++
  }

  /** The demo citizen behind an account: who they are from the household register, the phone they type. */
  private async citizen(
    id: string,
    phone: string,
  ): Promise<{ principal: Principal; person: DemoCitizen } | undefined> {
    const account = await this.services.org.findLoginAccount({ id })
    if (!account || account.principal.kind !== 'citizen' || !account.active) return undefined
    const household = (await this.services.dataPlatform.recordsOf(id)).find((r) => r.source === 'household')
      ?.data as { name: string; idNumber: string; gender: 'F' | 'M'; birthDate: string } | undefined
    if (!household) return undefined
    const p = account.principal
    return {
      principal: p,
      person: {
        id,
        username: p.username,
        name: household.name,
        idNumber: household.idNumber,
        regionCode: p.regionCode,
        gender: household.gender,
        birthDate: household.birthDate,
        phone,
      },
    }
  }

  // ---- officials and citizens at work ------------------------------------------------------------

  /**
   * Finds the case's open tasks nobody has planned yet (in the inboxes of the departments concerned,
   * or the applicant's) and plans when and how each is completed.
   */
  private async discover(c: SimCase, view: CaseView): Promise<void> {
    if (view.status === 'completed' || view.status === 'rejected') {
      if (!c.done) this.appeals?.caseFinished(c.id, c.serial, c.applicant, this.now())
      c.done = true
      return
    }
    const open = view.timeline.filter(
      (s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled',
    )
    const inboxes = new Map<string, TaskView[]>()
    const found: { task: TaskView; by: Principal }[] = []
    for (const step of open) {
      let by: Principal
      if (step.departmentId === null) {
        by = c.applicant
      } else {
        by = await this.worker(step.departmentId, (await this.nodeOf(c, step.node)).role)
      }
      const key = by.accountId
      let inbox = inboxes.get(key)
      if (!inbox) {
        inbox = await this.services.caseViews.listTasks(by)
        inboxes.set(key, inbox)
      }
      const task = inbox.find((t) => t.caseId === c.id && t.node === step.node && !c.scheduled.has(t.id))
      if (task && !found.some((f) => f.task.id === task.id)) found.push({ task, by })
    }
    found.sort((a, b) => a.task.node.localeCompare(b.task.node))
    for (const { task, by } of found) await this.plan(c, task, by)
  }

  /** Decides the outcome and completion time of one task, from a generator keyed by case, node and round. */
  private async plan(c: SimCase, task: TaskView, by: Principal): Promise<void> {
    c.scheduled.add(task.id)
    const round = (c.rounds.get(task.node) ?? 0) + 1
    c.rounds.set(task.node, round)
    const rng = Rng.for(this.options.seed, `task:${c.serial}:${task.node}:${round}`)
    const now = this.now()
    let at: number
    let outcome = 'approve'
    if (task.kind === 'applicant') {
      if (rng.chance(ABANDON_RATE)) {
        c.idleUntil = task.dueAt ?? now
        return
      }
      // Citizens answer at any hour but sleep at night: a few hours to two or three days later.
      at = now + Math.round(rng.float(1, 6) * (rng.chance(0.5) ? 1 : rng.float(2, 10)) * HOUR)
      const hour = Math.floor(((at + BEIJING) % DAY) / HOUR)
      if (hour < 7) at += (8 - hour) * HOUR
    } else {
      const u = rng.next()
      if (u < REJECT_RATE && task.outcomes.includes('reject')) outcome = 'reject'
      else if (u < REJECT_RATE + SUPPLEMENT_RATE && round === 1 && task.outcomes.includes('supplement'))
        outcome = 'supplement'
      // Officials work in working hours only: the handling time is counted in them.
      const from = Math.max(task.createdAt, now)
      const v = rng.next()
      const w = rng.next()
      if (task.dueAt === null) {
        at = this.calendar.addWorkingHours(from, 0.25 + w * 8)
      } else {
        const limit = Math.max(0.25, this.calendar.workingHoursBetween(from, task.dueAt))
        const warnAt = (await this.nodeOf(c, task.node)).warnAt(this.calendar, task.createdAt)
        if (v < ON_TIME.p) {
          at = this.calendar.addWorkingHours(
            from,
            Math.max(0.1, (ON_TIME.from + w * (ON_TIME.to - ON_TIME.from)) * limit),
          )
        } else if (v < ON_TIME.p + NEAR_LIMIT.p && warnAt !== null && warnAt < task.dueAt) {
          // After the warning, before the limit.
          at = this.calendar.addWorkingHours(
            warnAt,
            (0.05 + w * 0.9) * this.calendar.workingHoursBetween(warnAt, task.dueAt),
          )
        } else {
          const band = v < ON_TIME.p + NEAR_LIMIT.p ? NEAR_LIMIT : LATE
          at = this.calendar.addWorkingHours(from, (band.from + w * (band.to - band.from)) * limit)
        }
      }
    }
    c.pending++
    this.push({ kind: 'work', at: Math.max(at, now), sim: c, task, outcome, by })
  }

  private async work(e: Extract<Event, { kind: 'work' }>): Promise<void> {
    const c = e.sim
    c.pending--
    if (c.done) return
    const applicant = e.task.kind === 'applicant'
    const comment = applicant
      ? '已按一次性告知补齐材料。'
      : e.outcome === 'approve'
        ? '材料齐全，同意。'
        : e.outcome === 'reject'
          ? '不符合办理条件，不予办理。'
          : '请补充相关证明材料。'
    let view: CaseView
    try {
      view = await this.services.cases.completeTask(e.by, e.task.id, { outcome: e.outcome, comment })
    } catch (err) {
      // The task closed meanwhile: another branch rejected the case, or the supplement expired.
      if (isAppError(err) && (err.code === 'CONFLICT' || err.code === 'NOT_FOUND')) {
        await this.refresh(c)
        return
      }
      throw err
    }
    if (applicant) this.result.resubmitted++
    else {
      this.result.tasksCompleted++
      if (e.outcome === 'supplement') this.result.supplements++
    }
    await this.discover(c, view)
  }

  /** Once a simulated hour: picks up cases with nothing planned (a task a timer created, or one an inbox did not show yet). */
  private async tick(): Promise<void> {
    const now = this.now()
    for (const c of this.cases) {
      if (!c.done && c.pending === 0 && c.idleUntil <= now) await this.refresh(c)
    }
  }

  private async refresh(c: SimCase): Promise<void> {
    await this.discover(c, await this.services.caseViews.getCase(c.applicant, c.id))
  }

  /** The clerk at the service centre of the citizen's street, if it has one. */
  private async windowClerk(streetCode: string): Promise<Principal | undefined> {
    try {
      return await this.worker(`${streetCode}-service_center`, 'clerk')
    } catch (err) {
      if (isAppError(err) && err.code === 'NOT_FOUND') return undefined
      throw err
    }
  }

  /** What the simulation needs of a user task of the case's process version. */
  private async nodeOf(c: SimCase, node: string): Promise<NodeInfo> {
    const key = `${c.matter}@${c.version}:${node}`
    let info = this.nodes.get(key)
    if (!info) {
      const def = (await this.services.catalog.getVersion(c.matter, c.version)).process
      const n = def.nodes[node]
      const role = (
        n?.type === 'userTask' && n.assignment.kind === 'department' ? n.assignment.role : 'official'
      ) as Role
      const slaDays = n?.type === 'userTask' ? n.slaDays : null
      const warn =
        n?.type === 'userTask'
          ? n.boundaryIds.map((b) => def.boundaries[b]).find((b) => b?.sla === 'warn')
          : undefined
      const fraction = warn?.timer.kind === 'atSla' ? warn.timer.fraction : null
      info = {
        role,
        // As the engine schedules the warning: that share of the step's working days from its start.
        warnAt: (calendar, createdAt) =>
          slaDays === null || fraction === null
            ? null
            : calendar.addWorkingDays(createdAt, slaDays * fraction),
      }
      this.nodes.set(key, info)
    }
    return info
  }

  /**
   * The staff member who works `role` tasks of a department: an existing one holding the role (or a
   * supervisor, who also takes officials' and clerks' work), else one created for the simulation.
   */
  private async worker(departmentId: string, role: Role): Promise<Principal> {
    const key = `${departmentId}/${role}`
    const known = this.workers.get(key)
    if (known) return known
    const department = await this.services.org.getDepartment(departmentId)
    const staff = (
      await this.services.org.listStaff(SYSTEM, {
        regionCode: department.regionCode,
        departmentId,
        limit: 500,
      })
    ).items
      .filter((s) => s.active)
      .sort((a, b) => a.id.localeCompare(b.id))
    let chosen =
      staff.find((s) => s.roles.includes(role)) ??
      (role === 'official' || role === 'clerk'
        ? staff.find((s) => s.roles.includes('supervisor'))
        : undefined)
    if (!chosen) {
      const suffix = departmentId
        .replace(/[^a-z0-9]/gi, '')
        .toLowerCase()
        .slice(-40)
      chosen = await this.services.org.createStaff(SYSTEM, {
        username: `sim.${role}.${suffix}`.slice(0, 64),
        password: this.app.config.demoPassword.padEnd(8, '0'),
        name: '模拟办事员',
        departmentId,
        position: role === 'clerk' ? '窗口受理员' : '科员',
        roles: [role],
      })
    }
    const account = await this.services.org.findLoginAccount({ id: chosen.id })
    if (!account) throw new AppError('INTERNAL', `staff ${chosen.id} has no account`)
    this.workers.set(key, account.principal)
    return account.principal
  }

  // ---- the result ------------------------------------------------------------------------------

  private async tally(): Promise<void> {
    for (const c of this.cases) {
      const view = await this.services.caseViews.getCase(c.applicant, c.id)
      if (view.status === 'completed') this.result.completed++
      else if (view.status === 'rejected') this.result.rejected++
      else this.result.open++
      for (const step of view.timeline) {
        if (step.sla === 'warned') this.result.warned++
        else if (step.sla === 'breached') this.result.breached++
      }
    }
  }
}

const notFound = (err: unknown): undefined => {
  if (isAppError(err) && err.code === 'NOT_FOUND') return undefined
  throw err
}
