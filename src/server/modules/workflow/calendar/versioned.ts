/**
 * A working-day calendar whose holidays are a governance policy (`calendar.holidays`): it holds every
 * published version and answers each question with the version governing at the instant asked about,
 * so a due time computed for last year stays what it was when a corrected schedule takes effect today,
 * and a schedule published for next year governs from its effective time on. Until any version is
 * known it answers with the shipped default. Pure (its versions are handed to it).
 * @module
 */
import type { ParsedDuration } from './duration.js'
import { WorkCalendar, type NormalisedCalendarConfig, type WorkCalendarConfig } from './calendar.js'

/** One version of the calendar and when it takes effect. */
export interface CalendarVersion {
  version: number
  effectiveAt: number
  calendar: WorkCalendar
}

export class VersionedWorkCalendar extends WorkCalendar {
  private versions: CalendarVersion[] = []
  private readonly fallback: WorkCalendar

  /**
   * @param fallback the shipped default, answering until a version is known (`config` stays this one)
   * @param clock the platform's time (a manual clock in demos and tests), for what is asked about "now"
   */
  constructor(
    fallback: WorkCalendarConfig,
    private readonly clock: () => number,
    /** The policy kind whose versions these are, naming them in {@link policyRef}. */
    private readonly kind = 'calendar.holidays',
  ) {
    super(fallback)
    this.fallback = new WorkCalendar(fallback)
  }

  /** Replaces the known versions (any order). */
  use(versions: readonly CalendarVersion[]): void {
    this.versions = [...versions].sort((a, b) => a.effectiveAt - b.effectiveAt || a.version - b.version)
  }

  /** Adds a version just published. */
  add(version: CalendarVersion): void {
    this.use([...this.versions.filter((v) => v.version !== version.version), version])
  }

  /**
   * `kind@N` with N the latest version known: a due time computed now depends on every version up to
   * it (each governs its own days), so N names exactly the schedules that produced it. Null while only
   * the shipped default is known.
   */
  override get policyRef(): string | null {
    let latest = 0
    for (const v of this.versions) latest = Math.max(latest, v.version)
    return latest > 0 ? `${this.kind}@${latest}` : null
  }

  /** The version governing at `at`: of those in effect by then, the latest published; else the default. */
  versionAt(at: number): CalendarVersion | undefined {
    let best: CalendarVersion | undefined
    for (const v of this.versions) if (v.effectiveAt <= at && (!best || v.version > best.version)) best = v
    return best
  }

  private at(at: number): WorkCalendar {
    const found = this.versionAt(at)
    return found ? found.calendar : this.fallback
  }

  private now(): WorkCalendar {
    return this.at(this.clock())
  }

  /** A date's calendar: the version governing at that day's start in Beijing time. */
  private onDate(date: string | number): WorkCalendar {
    return typeof date === 'number' ? this.at(date) : this.at(Date.parse(`${date}T00:00:00+08:00`))
  }

  /** The configuration governing now. */
  override toJSON(): NormalisedCalendarConfig {
    return this.now().toJSON()
  }
  override get workdayMs(): number {
    return this.now().workdayMs
  }
  override localDate(at: number): string {
    return this.at(at).localDate(at)
  }
  override isWorkingDay(date: string | number): boolean {
    return this.onDate(date).isWorkingDay(date)
  }
  override workdayStartOn(date: string): number {
    return this.onDate(date).workdayStartOn(date)
  }
  override workdayEndOn(date: string): number {
    return this.onDate(date).workdayEndOn(date)
  }
  override receptionDate(from: number): string {
    return this.at(from).receptionDate(from)
  }
  override addWorkingDays(from: number, n: number): number {
    return this.at(from).addWorkingDays(from, n)
  }
  override addWorkingHours(from: number, h: number): number {
    return this.at(from).addWorkingHours(from, h)
  }
  override workingHoursBetween(a: number, b: number): number {
    return this.at(Math.min(a, b)).workingHoursBetween(a, b)
  }
  override workingDaysBetween(a: number, b: number): number {
    return this.at(Math.min(a, b)).workingDaysBetween(a, b)
  }
  override parseDuration(iso: string): ParsedDuration {
    return this.now().parseDuration(iso)
  }
  override addDuration(from: number, iso: string): number {
    return this.at(from).addDuration(from, iso)
  }
}
