/**
 * The rollups' pure rules: region levels, Beijing days, the duration bins and quantiles, how a period
 * splits into days and ragged hours, instants, and the fold of events into increments.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { TailEvent } from '../event-tail/index.js'
import {
  binBounds,
  coverPeriod,
  dayStart,
  DAY_MS,
  durationBin,
  foldPage,
  HOUR_MS,
  MAX_BIN,
  MEASURES,
  parseInstant,
  quantile,
  regionLevels,
} from './analytics.model.js'

const T0 = Date.parse('2026-12-01T00:00:00+08:00')

describe('analytics model', () => {
  it('counts a street in each of its four levels', () => {
    expect(regionLevels('430102001')).toEqual(['43', '4301', '430102', '430102001'])
    expect(regionLevels('4301')).toEqual(['43', '4301'])
    expect(regionLevels('43')).toEqual(['43'])
  })

  it('buckets days at Beijing midnight', () => {
    expect(dayStart(T0)).toBe(T0)
    expect(dayStart(T0 + DAY_MS - 1)).toBe(T0)
    // 23:59 UTC on Nov 30 is 07:59 on Dec 1 in Beijing.
    expect(dayStart(Date.parse('2026-11-30T23:59:00Z'))).toBe(T0)
    expect(dayStart(Date.parse('2026-11-30T15:59:00Z'))).toBe(T0 - DAY_MS)
  })

  it('puts every duration in the bin whose bounds hold it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * DAY_MS }), (ms) => {
        const bin = durationBin(ms)
        const [lower, upper] = binBounds(bin)
        expect(bin).toBeGreaterThanOrEqual(0)
        expect(bin).toBeLessThanOrEqual(MAX_BIN)
        expect(ms).toBeGreaterThanOrEqual(Math.floor(lower))
        expect(ms).toBeLessThanOrEqual(Math.ceil(upper))
      }),
    )
    expect(durationBin(0)).toBe(0)
    expect(durationBin(999)).toBe(0)
    expect(durationBin(1000)).toBe(1)
    expect(durationBin(2000)).toBe(5)
  })

  it('reads quantiles within a bin’s width', () => {
    const bins = new Map<number, number>()
    const values = [60_000, 120_000, 3 * HOUR_MS, 2 * DAY_MS, 5 * DAY_MS]
    for (const v of values) bins.set(durationBin(v), (bins.get(durationBin(v)) ?? 0) + 1)
    const p50 = quantile(bins, 0.5) as number
    expect(p50 / (3 * HOUR_MS)).toBeGreaterThan(0.9)
    expect(p50 / (3 * HOUR_MS)).toBeLessThan(1.1)
    const p90 = quantile(bins, 0.9) as number
    expect(p90 / (5 * DAY_MS)).toBeGreaterThan(0.9)
    expect(p90 / (5 * DAY_MS)).toBeLessThan(1.1)
    expect(quantile(new Map(), 0.5)).toBeNull()
    expect(quantile(new Map([[0, 3]]), 0.5)).toBe(500)
  })

  it('covers a period by whole days between ragged hours', () => {
    const from = T0 + 5 * HOUR_MS + 10 * 60_000 // 05:10 Dec 1
    const to = T0 + 2 * DAY_MS + 3 * HOUR_MS + 1 // 03:00:00.001 Dec 3
    expect(coverPeriod(from, to)).toEqual({
      from: T0 + 5 * HOUR_MS,
      to: T0 + 2 * DAY_MS + 4 * HOUR_MS,
      ranges: [
        { grain: 'h', from: T0 + 5 * HOUR_MS, to: T0 + DAY_MS },
        { grain: 'd', from: T0 + DAY_MS, to: T0 + 2 * DAY_MS },
        { grain: 'h', from: T0 + 2 * DAY_MS, to: T0 + 2 * DAY_MS + 4 * HOUR_MS },
      ],
    })
    expect(coverPeriod(T0, T0 + DAY_MS).ranges).toEqual([{ grain: 'd', from: T0, to: T0 + DAY_MS }])
    expect(coverPeriod(T0 + HOUR_MS, T0 + 2 * HOUR_MS).ranges).toEqual([
      { grain: 'h', from: T0 + HOUR_MS, to: T0 + 2 * HOUR_MS },
    ])
    expect(coverPeriod(T0, T0).ranges).toEqual([])
  })

  it('reads instants as epoch ms, Beijing dates and zoned date-times', () => {
    expect(parseInstant('2026-12-01')).toBe(T0)
    expect(parseInstant('2026-11-30T16:00:00Z')).toBe(T0)
    expect(parseInstant(String(T0))).toBe(T0)
    expect(parseInstant('2026-02-31')).toBeNull()
    expect(parseInstant('2026-12-01T00:00')).toBeNull()
    expect(parseInstant('yesterday')).toBeNull()
  })

  it('folds a case’s life into its units and remembers what later events need', () => {
    const staff: TailEvent['actor'] = {
      id: 'st-1',
      roles: ['official'],
      department: '430102-tax',
      region: '430102',
    }
    const citizen = { id: 'c-1', roles: ['citizen'], department: null, region: '430102001' }
    const ev = (i: number, time: number, type: string, data: Record<string, unknown>, actor = staff) => ({
      log: '4301',
      index: i,
      time,
      type,
      subject: 'case:k1',
      actor,
      data,
    })
    const page = [
      ev(0, T0, 'case.submitted', { case: 'k1', region: '430102001' }, citizen),
      ev(1, T0, 'task.created', { case: 'k1', task: 't1', department: '430102-tax', dueAt: T0 + HOUR_MS }),
      ev(2, T0 + 2 * HOUR_MS, 'task.completed', { case: 'k1', task: 't1', department: '430102-tax' }),
      ev(3, T0 + 2 * HOUR_MS, 'case.completed', { case: 'k1' }),
    ]
    const r = foldPage(page, new Map(), new Map())
    const of = (measure: string, unitId: string, grain = 'd') =>
      r.increments.filter((x) => x.measure === measure && x.unitId === unitId && x.grain === grain)
    for (const level of ['43', '4301', '430102', '430102001']) {
      expect(of(MEASURES.CASES_SUBMITTED, level)).toHaveLength(1)
      expect(of(MEASURES.CASES_COMPLETED, level)).toHaveLength(1)
      expect(of(MEASURES.CASES_DURATION, level)[0]).toMatchObject({ n: 1, total: 2 * HOUR_MS })
    }
    // A citizen's submission counts for no department; the deciding official's completion does.
    expect(of(MEASURES.CASES_SUBMITTED, '430102-tax')).toHaveLength(0)
    expect(of(MEASURES.CASES_COMPLETED, 'st-1', 'h')).toHaveLength(1)
    // The step finished an hour late: completed, not on time.
    expect(of(MEASURES.STEPS_COMPLETED, '430102-tax')).toHaveLength(1)
    expect(of(MEASURES.STEPS_ON_TIME, '430102-tax')).toHaveLength(0)
    expect(r.cases).toEqual([
      { id: 'k1', regionCode: '430102001', submittedAt: T0, ended: true, matter: '', rating: null },
    ])
    expect(r.tasksPut).toEqual([])
    expect(r.tasksDropped).toEqual([])
    // Paged differently, the same events give the same counters.
    const first = foldPage(page.slice(0, 2), new Map(), new Map())
    const second = foldPage(
      page.slice(2),
      new Map(first.cases.map((c) => [c.id, c])),
      new Map(first.tasksPut.map((t) => [t.id, t])),
    )
    const key = (x: (typeof r.increments)[number]) =>
      `${x.measure}|${x.dim}|${x.unitKind}|${x.unitId}|${x.grain}|${x.bucket}|${x.n}|${x.total}`
    expect([...first.increments, ...second.increments].map(key).sort()).toEqual(r.increments.map(key).sort())
    expect(second.tasksDropped).toEqual(['t1'])
  })

  it('counts process versions, trips, instant completions, step times, appeals and ratings', () => {
    const staff: TailEvent['actor'] = {
      id: 'st-1',
      roles: ['official'],
      department: '430102-tax',
      region: '430102',
    }
    const citizen = { id: 'c-1', roles: ['citizen'], department: null, region: '430102001' }
    let i = 0
    const ev = (time: number, type: string, data: Record<string, unknown>, actor = staff): TailEvent => ({
      log: '4301',
      index: i++,
      time,
      type,
      subject: 'x',
      actor,
      data,
    })
    const page = [
      ev(
        T0,
        'case.submitted',
        { case: 'k1', region: '430102001', matter: 'm', version: 2, channel: 'online' },
        citizen,
      ),
      ev(T0, 'case.submitted', {
        case: 'k2',
        region: '430102001',
        matter: 'm',
        version: 2,
        channel: 'window',
      }),
      ev(T0, 'task.created', { case: 'k1', task: 't1', department: '430102-tax', dueAt: null }),
      ev(T0 + 10 * 60_000, 'task.completed', { case: 'k1', task: 't1', department: '430102-tax' }),
      ev(T0 + 20 * 60_000, 'case.completed', { case: 'k1' }),
      ev(T0 + 3 * HOUR_MS, 'case.completed', { case: 'k2' }),
      ev(
        T0 + 4 * HOUR_MS,
        'rating.submitted',
        { case: 'k1', score: 5, reformScore: 80, matter: 'm', version: 2, department: '430102-tax' },
        citizen,
      ),
      ev(
        T0 + 4 * HOUR_MS,
        'rating.submitted',
        { case: 'k2', score: 2, reformScore: null, matter: 'm', version: 2, department: '430102-tax' },
        citizen,
      ),
      ev(
        T0,
        'appeal.filed',
        { appeal: 'a1', kind: 'complaint', category: 'noise', region: '430102001', department: '430102-tax' },
        citizen,
      ),
      ev(T0 + HOUR_MS, 'appeal.accepted', { appeal: 'a1', handler: 'st-1' }),
      ev(T0 + 2 * HOUR_MS, 'appeal.responded', { appeal: 'a1' }),
      ev(T0 + 2 * HOUR_MS + 1, 'appeal.responded', { appeal: 'a1' }),
      ev(T0 + 5 * HOUR_MS, 'appeal.resolved', { appeal: 'a1' }),
      ev(
        T0 + 6 * HOUR_MS,
        'appeal.rated',
        { appeal: 'a1', satisfaction: 'dissatisfied', reopened: true },
        citizen,
      ),
      ev(T0 + 7 * HOUR_MS, 'appeal.resolved', { appeal: 'a1' }),
    ]
    const r = foldPage(page, new Map(), new Map(), new Map(), new Map([['a1', ['噪音', '噪音', '施工']]]))
    const sum = (measure: string, dim = '', unitId = '4301') =>
      r.increments
        .filter((x) => x.measure === measure && x.dim === dim && x.unitId === unitId && x.grain === 'd')
        .reduce((a, x) => ({ n: a.n + x.n, total: a.total + x.total }), { n: 0, total: 0 })
    const v2 = 'matter:m@2'
    expect(sum(MEASURES.CASES_SUBMITTED, v2).n).toBe(2)
    expect(sum(MEASURES.CASES_ZERO_TRIP, v2).n).toBe(1)
    expect(sum(MEASURES.CASES_COMPLETED, v2).n).toBe(2)
    expect(sum(MEASURES.CASES_INSTANT, v2).n).toBe(1)
    expect(sum(MEASURES.CASES_DURATION, v2)).toEqual({ n: 2, total: 20 * 60_000 + 3 * HOUR_MS })
    expect(sum(MEASURES.CASES_DURATION_BIN, `${v2}|${durationBin(20 * 60_000)}`).n).toBe(1)
    expect(sum(MEASURES.STEPS_DURATION, '', '430102-tax')).toEqual({ n: 1, total: 10 * 60_000 })
    expect(sum(MEASURES.STEPS_ON_TIME, v2).n).toBe(1)
    expect(sum(MEASURES.RATINGS_SUBMITTED, v2)).toEqual({ n: 2, total: 7 })
    expect(sum(MEASURES.RATINGS_SUBMITTED, 'score:5').n).toBe(1)
    expect(sum(MEASURES.RATINGS_FAVOURABLE, v2).n).toBe(1)
    expect(sum(MEASURES.RATINGS_REFORM, v2)).toEqual({ n: 1, total: 80 })
    expect(sum(MEASURES.RATINGS_SUBMITTED, '', '430102-tax').n).toBe(2)
    // A process version's part is a region's only; departments and officials keep the whole.
    expect(sum(MEASURES.RATINGS_SUBMITTED, v2, '430102-tax').n).toBe(0)
    expect(sum(MEASURES.CASES_COMPLETED, v2, 'st-1').n).toBe(0)
    expect(sum(MEASURES.CASES_COMPLETED, '', 'st-1').n).toBe(2)
    // The first response only; each resolution (the second after the reopening), timed from filing.
    expect(sum(MEASURES.APPEALS_RESPONDED, '')).toEqual({ n: 1, total: 2 * HOUR_MS })
    expect(sum(MEASURES.APPEALS_RESOLVED, '')).toEqual({ n: 2, total: 12 * HOUR_MS })
    expect(sum(MEASURES.APPEALS_RESOLVED, '', 'st-1').n).toBe(2)
    expect(sum(MEASURES.APPEALS_ACCEPTED, '', '430102-tax').n).toBe(1)
    expect(sum(MEASURES.APPEALS_RATED, 'satisfaction:dissatisfied').n).toBe(1)
    // Topic words once per appeal, and the category as a topic.
    expect(sum(MEASURES.APPEALS_TOPIC, '噪音').n).toBe(1)
    expect(sum(MEASURES.APPEALS_TOPIC, '施工').n).toBe(1)
    expect(sum(MEASURES.APPEALS_TOPIC, 'category:noise').n).toBe(1)
    // A contest upheld takes the false review out where it was counted; a second decision does nothing.
    const decided = (upheld: boolean): TailEvent =>
      ev(T0 + 2 * DAY_MS, 'rating.contest_decided', { id: 'r', case: 'k2', upheld }, staff)
    const known = new Map(r.cases.map((c) => [c.id, c]))
    const out = foldPage([decided(false), decided(true), decided(true)], known, new Map())
    const minus = (measure: string, dim = '') =>
      out.increments
        .filter((x) => x.measure === measure && x.dim === dim && x.unitId === '4301' && x.grain === 'd')
        .map((x) => [x.bucket, x.n, x.total])
    const day = r.increments.find((x) => x.measure === MEASURES.RATINGS_SUBMITTED && x.grain === 'd')!.bucket
    expect(minus(MEASURES.RATINGS_SUBMITTED, v2)).toEqual([[day, -1, -2]])
    expect(minus(MEASURES.RATINGS_SUBMITTED, 'score:2')).toEqual([[day, -1, -2]])
    expect(minus(MEASURES.RATINGS_FAVOURABLE)).toEqual([])
    expect(out.cases[0]!.rating).toMatchObject({ score: 2, excluded: true })
    expect(r.appeals).toEqual([
      {
        id: 'a1',
        regionCode: '430102001',
        departmentId: '430102-tax',
        filedAt: T0,
        responded: true,
        resolved: true,
      },
    ])
  })
})
