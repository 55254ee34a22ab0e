/**
 * The command hall's read side and its upkeep: the demand heatmap over a region's children, read from
 * the hour and day rollups (never from the live tables), and the rebuild of every rollup from the
 * whole ledger. The rollups themselves are kept by the `analytics.rollups` event-tail consumer
 * (analytics.consumer.ts), registered at wiring.
 * @module
 */
import type { Kysely } from 'kysely'
import { assertCan } from '../../../shared/permissions.js'
import { AppError } from '../../../shared/errors.js'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { DB } from '../../db/schema.js'
import type { EventConsumerService } from '../event-tail/event-consumer.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { NO_TOPICS, ROLLUPS_CONSUMER, type TopicSource } from './analytics.consumer.js'
import type { AuditDifference } from '../../../shared/api.js'
import type { Replayer, ReplayEvent } from '../ledger/index.js'
import {
  coverPeriod,
  foldPage,
  incrementKey,
  MEASURES,
  parseInstant,
  ROLLUP_EVENT_TYPES,
  stateKeys,
  type Increment,
} from './analytics.model.js'
import * as store from './analytics.store.js'
import {
  headlines,
  KPI_MEASURES,
  kpiFigures,
  parseMatterDim,
  versionFigures,
  type TimeLimits,
} from './analytics-kpis.model.js'
import type { Kpis } from '../../../shared/api.js'
import type { CatalogService } from '../catalog/catalog.service.js'

/** What the heatmap shows per child region. */
export const HEATMAP_METRICS = ['cases_per_10k', 'appeals_per_10k'] as const
export type HeatmapMetric = (typeof HEATMAP_METRICS)[number]

const METRIC_MEASURE: Record<HeatmapMetric, string> = {
  cases_per_10k: MEASURES.CASES_SUBMITTED,
  appeals_per_10k: MEASURES.APPEALS_FILED,
}

export interface HeatmapQuery {
  region: string
  metric: HeatmapMetric
  from?: string
  to?: string
}

export interface HeatmapValue {
  code: string
  name: string
  /** count per 10,000 residents; null when the region has no population on record. */
  value: number | null
  /** Cases submitted (or appeals filed) in the child region and its subtree during the period. */
  count: number
  population: number
}

export interface Heatmap {
  region: string
  metric: HeatmapMetric
  /** The period counted, [from, to) in epoch ms: the one asked for widened to whole hours. */
  from: number
  to: number
  values: HeatmapValue[]
}

export type { Kpis }

export interface KpiQuery {
  region: string
  from?: string
  to?: string
  /** A matter code: its cases only, and `versions` compares its process versions. */
  matter?: string
  /** One process version of `matter`. */
  version?: number
}

export interface RebuildResult {
  /** Events of the ledger the rollups were recomputed from. */
  events: number
  ms: number
}

export class AnalyticsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly regions: RegionService,
    private readonly ledger: LedgerService,
    private readonly consumers: EventConsumerService,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * The headline KPIs of a region's subtree over [from, to) (widened to whole hours), for every case or
   * one matter (and one of its versions), with each process version's figures when a matter is given,
   * and the seed's two headline figures with their definitions. Read from the rollups only.
   * @throws AppError FORBIDDEN (analytics.read over the region), NOT_FOUND (region, matter, version),
   *   VALIDATION_FAILED (period; a version without a matter)
   */
  async kpis(principal: Principal, query: KpiQuery): Promise<Kpis> {
    assertCan(principal, 'analytics.read', { regionCode: query.region })
    const region = await this.regions.getRegion(query.region)
    const { from, to } = this.period(query)
    if (query.version !== undefined && query.matter === undefined)
      throw new AppError('VALIDATION_FAILED', 'a version needs its matter', {
        details: [{ path: '/querystring/version', message: 'give matter too' }],
      })
    if (query.matter !== undefined) await this.catalog.getVersion(query.matter, query.version)
    const period = coverPeriod(from, to)
    const sums = await store.sumByDim(this.db, 'region', query.region, KPI_MEASURES, period.ranges)
    const limits = new Map<string, TimeLimits>()
    for (const dims of sums.values())
      for (const dim of dims.keys()) {
        const p = parseMatterDim(dim)
        if (!p || limits.has(dim)) continue
        const v = await this.catalog.getVersion(p.matter, p.version).catch(() => undefined)
        if (v) limits.set(dim, { slaDays: v.definition.slaDays, legalSlaDays: v.definition.legalSlaDays })
      }
    const slice = { matter: query.matter, version: query.version }
    return {
      region: region.code,
      name: region.name,
      from: period.from,
      to: period.to,
      matter: query.matter ?? null,
      version: query.version ?? null,
      ...kpiFigures(sums, slice, limits),
      headline: headlines(sums, slice, limits),
      versions: query.matter === undefined ? [] : versionFigures(sums, query.matter, limits),
    }
  }

  private period(query: { from?: string; to?: string }): { from: number; to: number } {
    const from = query.from === undefined ? 0 : instant(query.from, 'from')
    const to = query.to === undefined ? this.clock.now() : instant(query.to, 'to')
    if (to < from)
      throw new AppError('VALIDATION_FAILED', 'the period ends before it begins', {
        details: [{ path: '/querystring/to', message: 'must not be before from' }],
      })
    return { from, to }
  }

  /**
   * The demand heatmap: for each child region of `region`, the cases submitted (or appeals filed) in
   * it during [from, to) (widened to whole hours; default: from the beginning until now), and that per
   * 10,000 residents. Read from the day rollups between the ragged ends and the hour rollups at them.
   * @throws AppError FORBIDDEN (analytics.read over the region), NOT_FOUND (region), VALIDATION_FAILED
   */
  async heatmap(principal: Principal, query: HeatmapQuery): Promise<Heatmap> {
    assertCan(principal, 'analytics.read', { regionCode: query.region })
    const { from, to } = this.period(query)
    const children = await this.regions.listChildren(query.region)
    const period = coverPeriod(from, to)
    const counts = await store.sumRegions(
      this.db,
      METRIC_MEASURE[query.metric],
      children.map((c) => c.code),
      period.ranges,
    )
    return {
      region: query.region,
      metric: query.metric,
      from: period.from,
      to: period.to,
      values: children.map((c) => {
        const count = counts.get(c.code) ?? 0
        return {
          code: c.code,
          name: c.name,
          value: c.population > 0 ? (count * 10_000) / c.population : null,
          count,
          population: c.population,
        }
      }),
    }
  }

  /**
   * Recomputes every rollup from the whole ledger: in one transaction the consumer's cursor goes back
   * to the start of every log and its tables are emptied, then it reads the whole tail again.
   * `onProgress` gets the events read of the tail's size as it goes.
   */
  async rebuild(onProgress?: (done: number, total: number) => void): Promise<RebuildResult> {
    const started = Date.now()
    await this.db.transaction().execute(async (trx) => {
      // The cursor first: on PostgreSQL its row lock waits for a page another process is committing,
      // so the DELETEs after it see (and remove) that page's rows too.
      await this.consumers.rewind(trx, ROLLUPS_CONSUMER)
      await store.clearAll(trx)
    })
    let total = 0
    for (const n of (await this.ledger.logSizes()).values()) total += n
    onProgress?.(0, total)
    await this.consumers.drainOne(ROLLUPS_CONSUMER, (read) => onProgress?.(read, Math.max(total, read)))
    let events = 0
    for (const n of (await this.ledger.logSizes()).values()) events += n
    return { events, ms: Date.now() - started }
  }
}

/**
 * The audit's check of the rollups: the events the audit replays are folded from scratch, as far as the
 * consumer's cursor has read (read in one transaction with the rollups, so both are of one moment),
 * and every counter must equal its row; a row no event explains is named too.
 */
export function rollupsReplayer(
  db: Kysely<DB>,
  consumers: EventConsumerService,
  topicsOf: TopicSource = NO_TOPICS,
): Replayer {
  const events: ReplayEvent[] = []
  return {
    name: 'analytics',
    types: ROLLUP_EVENT_TYPES,
    apply: (e) => void events.push(e),
    compare: async () => {
      const { cursor, rows } = await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => ({
          cursor: await consumers.cursor(trx, ROLLUPS_CONSUMER),
          rows: await store.listRollups(trx),
        }))
      const read = events
        .filter((e) => e.index < (cursor.get(e.log) ?? 0))
        .sort((a, b) => a.time - b.time || (a.log < b.log ? -1 : a.log > b.log ? 1 : a.index - b.index))
      const topics = await topicsOf(db, stateKeys(read).filed)
      const expected = new Map<string, Increment>()
      for (const x of foldPage(read, new Map(), new Map(), new Map(), topics).increments)
        expected.set(incrementKey(x), x)
      const out: AuditDifference[] = []
      const seen = new Set<string>()
      for (const row of rows) {
        const key = incrementKey(row)
        seen.add(key)
        const want = expected.get(key)
        if (!want) out.push({ table: 'analytics_rollup', key, problem: 'unexpected' })
        else
          for (const field of ['n', 'total'] as const)
            if (want[field] !== row[field])
              out.push({
                table: 'analytics_rollup',
                key,
                problem: 'differs',
                field,
                expected: want[field],
                actual: row[field],
              })
      }
      for (const key of expected.keys())
        if (!seen.has(key)) out.push({ table: 'analytics_rollup', key, problem: 'missing' })
      return out
    },
  }
}

function instant(text: string, field: 'from' | 'to'): number {
  const t = parseInstant(text)
  if (t === null)
    throw new AppError('VALIDATION_FAILED', `${field} is not an instant`, {
      details: [
        {
          path: `/querystring/${field}`,
          message:
            'expected epoch milliseconds, a date (YYYY-MM-DD, Beijing) or an ISO 8601 date-time with zone',
        },
      ],
    })
  return t
}
