/**
 * The traffic simulator's appeals (诉求) and ratings (好差评): citizens call the 12345 hotline (a clerk
 * files for them) or file online in waking hours, in the demo's categories, with texts composed from
 * themes × places × details (`sim/appeal-texts.ts`) so that the hall's opinion topics vary and some
 * trend; the routed department's official accepts (now and then returns it for re-routing first),
 * responds and resolves most of them; the citizen rates most resolutions; and applicants rate most of
 * their finished cases a while after they finish.
 *
 * Deterministic like the cases: each draw comes from a generator keyed by what it decides
 * (`appeals:<hour>`, `<action>:<appeal>:<round>`, `rate-case:<case>`). Time is the simulation's: the
 * agenda is worked once per simulated hour, in time order.
 * @module
 */
import { SYSTEM, type Principal } from '../server/access.js'
import type { App } from '../server/app.js'
import type { AppealKind, AppealSatisfaction, Role } from '../shared/domain.js'
import { isAppError } from '../shared/errors.js'
import { composeAppeal, themeTable, trendingThemes } from '../server/modules/sim/appeal-texts.js'
import { Rng } from '../server/modules/sim/rng.js'

export interface AppealTrafficResult {
  /** Appeals filed: through the hotline (a clerk for the caller) or online by the citizen. */
  appeals: number
  hotline: number
  online: number
  /** Handling steps done by officials. */
  accepted: number
  returned: number
  responded: number
  resolved: number
  /** Resolutions the citizen rated, and finished cases their applicant rated. */
  appealsRated: number
  casesRated: number
  /** Actions refused because the appeal or case moved on meanwhile (escalated, closed, rated). */
  skipped: number
}

type Action = 'accept' | 'respond' | 'resolve' | 'rate' | 'rate-case'
interface Agenda {
  at: number
  seq: number
  action: Action
  /** The appeal, or the case to rate. */
  id: string
  /** The citizen who filed the appeal or applied for the case. */
  citizen: Principal
  /** What keys the item's draws: the appeal's or case's serial (ids differ from run to run). */
  key: string
  round: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
const BEIJING = 8 * HOUR

/** Appeals by local hour: none at night, peaks mid-morning and early evening. */
const BY_HOUR = [
  0, 0, 0, 0, 0, 0, 0, 0.3, 1, 1.6, 1.8, 1.4, 0.8, 1, 1.4, 1.5, 1.3, 1, 0.9, 1.2, 1.3, 1, 0.5, 0,
]
const BY_HOUR_SUM = BY_HOUR.reduce((a, b) => a + b, 0)
/** Share filed through the hotline (else online), and the kinds of appeal. */
const HOTLINE_SHARE = 0.6
const KINDS: readonly AppealKind[] = ['complaint', 'complaint', 'complaint', 'suggestion', 'inquiry']
/** Returned for re-routing before accepting; left without a resolution (they escalate by policy). */
const RETURN_SHARE = 0.05
const UNRESOLVED_SHARE = 0.1
/** Citizens who rate a resolution, and how satisfied they are. */
const APPEAL_RATE_SHARE = 0.7
const SATISFACTION: readonly (readonly [AppealSatisfaction, number])[] = [
  ['satisfied', 0.62],
  ['basically_satisfied', 0.23],
  ['dissatisfied', 0.15],
]
/** Applicants who rate a finished case, and the scores they give (1–5). */
const CASE_RATE_SHARE = 0.6
const SCORES: readonly (readonly [number, number])[] = [
  [5, 0.58],
  [4, 0.22],
  [3, 0.1],
  [2, 0.06],
  [1, 0.04],
]

function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  let u = rng.next()
  for (const [v, p] of table) {
    if (u < p) return v
    u -= p
  }
  return (table[table.length - 1] as readonly [T, number])[0]
}

const later = (now: number, rng: Rng, minH: number, maxH: number): number =>
  now + Math.round(rng.float(minH, maxH) * HOUR)

export class AppealTraffic {
  readonly result: AppealTrafficResult = {
    appeals: 0,
    hotline: 0,
    online: 0,
    accepted: 0,
    returned: 0,
    responded: 0,
    resolved: 0,
    appealsRated: 0,
    casesRated: 0,
    skipped: 0,
  }
  private agenda: Agenda[] = []
  private seq = 0
  private serial = 0

  /**
   * @param worker the staff member who works a department's tasks of a role (the simulation's)
   * @param pace awaited after each action; false stops the hour's work (live mode's time is up)
   */
  constructor(
    private readonly services: App['services'],
    private readonly seed: number,
    private readonly appealsPerDay: number,
    private readonly citizenCount: number,
    private readonly worker: (departmentId: string, role: Role) => Promise<Principal | undefined>,
    private readonly pace: () => Promise<boolean> = async () => true,
  ) {}

  /** The simulated hour starting at `now`: this hour's appeals are filed, then what is due is done. */
  async hour(now: number): Promise<void> {
    if (!(await this.fileAppeals(now))) return
    const due = this.agenda.filter((a) => a.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq)
    this.agenda = this.agenda.filter((a) => a.at > now)
    for (const [i, a] of due.entries()) {
      await this.act(a, now)
      if (!(await this.pace())) {
        this.agenda.push(...due.slice(i + 1))
        return
      }
    }
  }

  /** A case finished (approved or rejected): its applicant may rate it a few hours later. */
  caseFinished(caseId: string, serial: number, applicant: Principal, now: number): void {
    const key = `case:${serial}`
    const rng = Rng.for(this.seed, `rate-case:${key}`)
    if (rng.chance(CASE_RATE_SHARE)) this.plan(later(now, rng, 1, 30), 'rate-case', caseId, applicant, key, 0)
  }

  private plan(at: number, action: Action, id: string, citizen: Principal, key: string, round: number): void {
    this.agenda.push({ at, seq: ++this.seq, action, id, citizen, key, round })
  }

  /** Files the hour's appeals (a Poisson-like count around the day's share for this hour). */
  private async fileAppeals(now: number): Promise<boolean> {
    const local = new Date(now + BEIJING)
    const weight = BY_HOUR[local.getUTCHours()] ?? 0
    if (weight === 0 || this.appealsPerDay <= 0) return true
    const rng = Rng.for(this.seed, `appeals:${now}`)
    const n = Math.floor((this.appealsPerDay * weight) / BY_HOUR_SUM + rng.next())
    const table = themeTable(
      local.getUTCMonth() + 1,
      trendingThemes(this.seed, Math.floor((now + BEIJING) / DAY)),
    )
    for (let i = 0; i < n; i++) {
      await this.fileOne(rng, table)
      if (!(await this.pace())) return false
    }
    return true
  }

  private async fileOne(rng: Rng, table: ReturnType<typeof themeTable>): Promise<void> {
    const { category, text } = composeAppeal(rng, table)
    const kind = rng.pick(KINDS)
    const hotline = rng.chance(HOTLINE_SHARE)
    const id = `ct-${String(rng.int(1, this.citizenCount)).padStart(7, '0')}`
    const account = await this.services.org.findLoginAccount({ id })
    if (!account || account.principal.kind !== 'citizen') return
    const citizen = account.principal
    const clerk = hotline ? await this.worker(`${citizen.regionCode}-service_center`, 'clerk') : undefined
    this.serial++
    try {
      const appeal = clerk
        ? await this.services.appeals.file(clerk, {
            kind,
            category,
            text,
            regionCode: citizen.regionCode,
            channel: 'hotline',
            citizenId: citizen.accountId,
          })
        : await this.services.appeals.file(citizen, { kind, category, text, regionCode: citizen.regionCode })
      this.result.appeals++
      if (clerk) this.result.hotline++
      else this.result.online++
      const at = this.services.clock.now()
      const key = `appeal:${this.serial}`
      this.plan(later(at, Rng.for(this.seed, `filed:${key}`), 1, 20), 'accept', appeal.id, citizen, key, 0)
    } catch (err) {
      if (!isAppError(err)) throw err
      this.result.skipped++
    }
  }

  /** Runs one agenda item; an AppError (the appeal moved on, escalated meanwhile) skips it. */
  private async act(a: Agenda, now: number): Promise<void> {
    const rng = Rng.for(this.seed, `${a.action}:${a.key}:${a.round}`)
    const { appealHandling, appealViews } = this.services
    try {
      if (a.action === 'rate-case') {
        await this.services.ratings.rate(a.citizen, a.id, {
          score: weighted(rng, SCORES),
          ...(rng.chance(0.4) ? { reformScore: weighted(rng, SCORES) } : {}),
        })
        this.result.casesRated++
        return
      }
      if (a.action === 'rate') {
        await appealHandling.rate(a.citizen, a.id, { satisfaction: weighted(rng, SATISFACTION) })
        this.result.appealsRated++
        return
      }
      const appeal = await appealViews.get(SYSTEM, a.id)
      const by = await this.worker(appeal.department.id, 'official')
      if (!by) return void this.result.skipped++
      if (a.action === 'accept') {
        if (a.round === 0 && rng.chance(RETURN_SHARE)) {
          await appealHandling.return(by, a.id, { reason: '不属于本部门职责，请重新分派。' })
          this.result.returned++
          this.plan(later(now, rng, 2, 20), 'accept', a.id, a.citizen, a.key, 1)
        } else {
          await appealHandling.accept(by, a.id)
          this.result.accepted++
          this.plan(later(now, rng, 1, 24), 'respond', a.id, a.citizen, a.key, 0)
        }
      } else if (a.action === 'respond') {
        await appealHandling.respond(by, a.id, { text: '已收到您的诉求，正在安排人员现场核实。' })
        this.result.responded++
        if (!rng.chance(UNRESOLVED_SHARE))
          this.plan(later(now, rng, 4, 72), 'resolve', a.id, a.citizen, a.key, 0)
      } else {
        await appealHandling.resolve(by, a.id, { text: '经现场核实，已督促责任单位整改到位，感谢您的监督。' })
        this.result.resolved++
        if (rng.chance(APPEAL_RATE_SHARE))
          this.plan(later(now, rng, 2, 48), 'rate', a.id, a.citizen, a.key, 0)
      }
    } catch (err) {
      if (!isAppError(err)) throw err
      this.result.skipped++
    }
  }
}
