/**
 * Read SQL of the command hall's views over `analytics_rollup`. Each view is one grouped query over
 * the primary key (measure, unit_kind, unit_id, grain, bucket, dim): the measures and units are its
 * leading columns (equalities and IN lists), the grain and bucket range its next ones, so a read
 * touches only the rows it sums whatever the size of the table. Never one query per unit.
 * @module
 */
import { sql, type ExpressionBuilder } from 'kysely'
import type { Executor } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { BucketRange, Grain, UnitKind } from './analytics.model.js'

type Eb = ExpressionBuilder<DB, 'analytics_rollup'>

const inRanges = (eb: Eb, ranges: readonly BucketRange[]) =>
  eb.or(
    ranges.map((r) =>
      eb.and([eb('grain', '=', r.grain), eb('bucket', '>=', r.from), eb('bucket', '<', r.to)]),
    ),
  )

/** Σn per bucket of one measure's dimension, for one unit, over buckets [from, to) of one grain. */
export async function sumSeries(
  db: Executor,
  q: {
    measure: string
    unitKind: UnitKind
    unitId: string
    dim: string
    grain: Grain
    from: number
    to: number
  },
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('analytics_rollup')
    .select(['bucket', sql<string | number>`sum(n)`.as('n')])
    .where('measure', '=', q.measure)
    .where('unit_kind', '=', q.unitKind)
    .where('unit_id', '=', q.unitId)
    .where('grain', '=', q.grain)
    .where('bucket', '>=', q.from)
    .where('bucket', '<', q.to)
    .where('dim', '=', q.dim)
    .groupBy('bucket')
    .execute()
  return new Map(rows.map((r) => [Number(r.bucket), Number(r.n)]))
}

/** Σn per dimension and bucket of several dimensions of one measure (the topics' series). */
export async function sumSeriesByDim(
  db: Executor,
  q: {
    measure: string
    unitKind: UnitKind
    unitId: string
    dims: readonly string[]
    grain: Grain
    from: number
    to: number
  },
): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>(q.dims.map((d) => [d, new Map()]))
  if (q.dims.length === 0) return out
  const rows = await db
    .selectFrom('analytics_rollup')
    .select(['dim', 'bucket', sql<string | number>`sum(n)`.as('n')])
    .where('measure', '=', q.measure)
    .where('unit_kind', '=', q.unitKind)
    .where('unit_id', '=', q.unitId)
    .where('grain', '=', q.grain)
    .where('bucket', '>=', q.from)
    .where('bucket', '<', q.to)
    .where('dim', 'in', [...q.dims])
    .groupBy(['dim', 'bucket'])
    .execute()
  for (const r of rows) out.get(r.dim)?.set(Number(r.bucket), Number(r.n))
  return out
}

/** The earliest bucket of a grain holding a row of the measure for the unit (any dimension), if any. */
export async function firstBucket(
  db: Executor,
  q: { measure: string; unitKind: UnitKind; unitId: string; grain: Grain },
): Promise<number | undefined> {
  const row = await db
    .selectFrom('analytics_rollup')
    .select(sql<string | number | null>`min(bucket)`.as('b'))
    .where('measure', '=', q.measure)
    .where('unit_kind', '=', q.unitKind)
    .where('unit_id', '=', q.unitId)
    .where('grain', '=', q.grain)
    .executeTakeFirst()
  return row?.b === null || row?.b === undefined ? undefined : Number(row.b)
}

/** The top dimensions of a measure for one unit over the ranges, by Σn (ties by dimension). */
export async function topDims(
  db: Executor,
  q: { measure: string; unitKind: UnitKind; unitId: string; ranges: readonly BucketRange[]; limit: number },
): Promise<{ dim: string; n: number }[]> {
  if (q.ranges.length === 0) return []
  const rows = await db
    .selectFrom('analytics_rollup')
    .select(['dim', sql<string | number>`sum(n)`.as('n')])
    .where('measure', '=', q.measure)
    .where('unit_kind', '=', q.unitKind)
    .where('unit_id', '=', q.unitId)
    .where((eb) => inRanges(eb, q.ranges))
    .where('dim', '<>', '')
    .groupBy('dim')
    .having(sql`sum(n)`, '>', 0)
    .orderBy(sql`sum(n)`, 'desc')
    .orderBy('dim')
    .limit(q.limit)
    .execute()
  return rows.map((r) => ({ dim: r.dim, n: Number(r.n) }))
}

/** One summed cell: a measure's dimension for a unit. */
export interface UnitSum {
  measure: string
  unitId: string
  dim: string
  n: number
  total: number
}

/**
 * Σn and Σtotal per measure, unit and dimension, for several measures and units of one kind over the
 * ranges, keeping only each measure's whole (dim '') and its bare histogram bins (a dimension of
 * digits): the matter splits are left out in SQL. One query, whatever the number of units.
 */
export async function sumUnits(
  db: Executor,
  q: {
    measures: readonly string[]
    unitKind: UnitKind
    unitIds: readonly string[]
    ranges: readonly BucketRange[]
  },
): Promise<UnitSum[]> {
  if (q.unitIds.length === 0 || q.ranges.length === 0 || q.measures.length === 0) return []
  const rows = await db
    .selectFrom('analytics_rollup')
    .select([
      'measure',
      'unit_id',
      'dim',
      sql<string | number>`sum(n)`.as('n'),
      sql<string | number>`sum(total)`.as('total'),
    ])
    .where('measure', 'in', [...q.measures])
    .where('unit_kind', '=', q.unitKind)
    .where('unit_id', 'in', [...q.unitIds])
    .where((eb) => inRanges(eb, q.ranges))
    .where('dim', 'not like', '%:%')
    .groupBy(['measure', 'unit_id', 'dim'])
    .execute()
  return rows.map((r) => ({
    measure: r.measure,
    unitId: r.unit_id,
    dim: r.dim,
    n: Number(r.n),
    total: Number(r.total),
  }))
}
