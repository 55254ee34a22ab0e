/**
 * The assessment model: periods in Beijing time, scaling both ways, weights relative and missing
 * indicators left out, ranks with ties and small samples, the promotion index with a missing part, and
 * the attribution of appeal facts to the department holding each stretch.
 */
import { describe, expect, it } from 'vitest'
import type { IndicatorCode } from '../../../shared/assessment.js'
import {
  indicatorValue,
  onePerRef,
  parsePeriod,
  parsePolicyRef,
  previousPeriod,
  promotionIndex,
  promotionRanks,
  rank,
  regionLevels,
  scale,
  scoreSheet,
  trend,
  weightedMean,
  type Fact,
  type FormulaPolicy,
} from './assessment.model.js'
import { appealFacts, type AppealStepRow } from './facts.model.js'

const HOUR = 3_600_000

function fact(indicator: IndicatorCode, outcome: boolean | number, id = String(Math.random())): Fact {
  return {
    key: `${indicator}:case:${id}@4301#0`,
    indicator,
    ref: { kind: 'case', id },
    at: 0,
    outcome,
    staffId: 's',
    departmentId: 'd',
    regionCode: '430102001',
    ledger: { log: '4301', index: 0 },
  }
}

const facts = (entries: [IndicatorCode, (boolean | number)[]][]) =>
  new Map(entries.map(([code, outcomes]) => [code, outcomes.map((o) => fact(code, o))]))

describe('periods', () => {
  it('runs from Beijing midnight to Beijing midnight', () => {
    expect(parsePeriod('2026-11')).toEqual({
      code: '2026-11',
      kind: 'month',
      from: Date.UTC(2026, 9, 31, 16),
      to: Date.UTC(2026, 10, 30, 16),
    })
    expect(parsePeriod('2026-Q4')).toMatchObject({
      from: Date.UTC(2026, 8, 30, 16),
      to: Date.UTC(2026, 11, 31, 16),
    })
    expect(parsePeriod('2026')).toMatchObject({
      from: Date.UTC(2025, 11, 31, 16),
      to: Date.UTC(2026, 11, 31, 16),
    })
    // 2026-01-01 00:30 in Beijing is still 2025 in UTC, and belongs to January.
    const p = parsePeriod('2026-01')
    expect(Date.UTC(2025, 11, 31, 16, 30)).toBeGreaterThanOrEqual(p.from)
    expect(() => parsePeriod('2026-13')).toThrow(/period/)
    expect(() => parsePeriod('2026-Q5')).toThrow(/period/)
  })

  it('knows the period before', () => {
    expect(previousPeriod(parsePeriod('2026-01')).code).toBe('2025-12')
    expect(previousPeriod(parsePeriod('2026-11')).code).toBe('2026-10')
    expect(previousPeriod(parsePeriod('2026-Q1')).code).toBe('2025-Q4')
    expect(previousPeriod(parsePeriod('2026-Q4')).code).toBe('2026-Q3')
    expect(previousPeriod(parsePeriod('2026')).code).toBe('2025')
    expect(previousPeriod(parsePeriod('2026-Q2')).to).toBe(parsePeriod('2026-Q2').from)
  })

  it('reads policy ids back', () => {
    expect(parsePolicyRef('rating.rectification@12')).toEqual({ kind: 'rating.rectification', version: 12 })
    expect(() => parsePolicyRef('nothing')).toThrow()
  })
})

describe('values and scaling', () => {
  it('computes rates, means and counts per 1,000, and null without facts', () => {
    expect(indicatorValue('step_on_time', [fact('step_on_time', true), fact('step_on_time', false)])).toBe(
      0.5,
    )
    expect(indicatorValue('rating_avg', [fact('rating_avg', 5), fact('rating_avg', 2)])).toBe(3.5)
    expect(indicatorValue('discrepancies_per_1k', [fact('discrepancies_per_1k', true)], 250)).toBe(4)
    expect(indicatorValue('rating_avg', [])).toBeNull()
  })

  it('scales linearly and clamps, whether more or less is better', () => {
    expect(scale(3, 1, 5)).toBe(50)
    expect(scale(0.05, 0.2, 0)).toBeCloseTo(75, 10)
    expect(scale(0.3, 0.2, 0)).toBe(0)
    expect(scale(-1, 0.2, 0)).toBe(100)
    expect(scale(7, 1, 5)).toBe(100)
    expect(scale(2, 2, 2)).toBe(100)
  })

  it('weighs relatively and leaves out what has no value', () => {
    expect(
      weightedMean([
        { value: 100, weight: 3 },
        { value: 0, weight: 1 },
      ]),
    ).toBe(75)
    expect(
      weightedMean([
        { value: 100, weight: 3 },
        { value: null, weight: 1 },
      ]),
    ).toBe(100)
    expect(weightedMean([{ value: null, weight: 1 }])).toBeNull()
  })
})

const formula: FormulaPolicy = {
  dimensions: { experience: 4, traceability: 4, consistency: 2 },
  indicators: [
    { code: 'rating_avg', weight: 3, worst: 1, best: 5 },
    { code: 'bad_review_rate', weight: 1, worst: 0.2, best: 0 },
    { code: 'step_on_time', weight: 1, worst: 0.6, best: 1 },
    { code: 'discrepancies_per_1k', weight: 2, worst: 10, best: 0 },
  ],
  minSample: 2,
}

describe('score sheets', () => {
  it('scores dimensions and the total from the indicators with data', () => {
    const sheet = scoreSheet(
      facts([
        ['rating_avg', [5, 3]], // 4 → 75
        ['bad_review_rate', [false, false]], // 0 → 100
        ['step_on_time', [true, true, false, true]], // 0.75 → 37.5
        ['supplement_rate', [true]], // not in the formula: value only
      ]),
      formula,
    )
    expect(sheet.indicators.rating_avg).toEqual({ value: 4, score: 75, n: 2, smallSample: false })
    expect(sheet.indicators.supplement_rate).toEqual({ value: 1, score: null, n: 1, smallSample: true })
    expect(sheet.indicators.discrepancies_per_1k).toEqual({
      value: null,
      score: null,
      n: 0,
      smallSample: true,
    })
    expect(sheet.dimensions.experience).toBe((75 * 3 + 100) / 4)
    expect(sheet.dimensions.traceability).toBeCloseTo(37.5, 10)
    // Consistency has no data: left out, its weight too.
    expect(sheet.dimensions.consistency).toBeNull()
    expect(sheet.total).toBeCloseTo((((75 * 3 + 100) / 4) * 4 + 37.5 * 4) / 8, 10)
    expect(sheet.rankable).toBe(true)
  })

  it('does not rank a subject whose scored indicators are all small samples', () => {
    const sheet = scoreSheet(facts([['rating_avg', [5]]]), formula)
    expect(sheet.indicators.rating_avg.smallSample).toBe(true)
    expect(sheet.total).toBe(100)
    expect(sheet.rankable).toBe(false)
    expect(scoreSheet(new Map(), formula)).toMatchObject({ total: null, rankable: false })
  })

  it('ranks by total, ties sharing a rank, the unranked left out', () => {
    expect(
      rank([
        { total: 80, rankable: true },
        { total: 90, rankable: true },
        { total: 80, rankable: true },
        { total: 99, rankable: false },
        { total: null, rankable: false },
        { total: 70, rankable: true },
      ]),
    ).toEqual([2, 1, 2, null, null, 4])
    expect(
      rank([
        { total: 0.1 + 0.2, rankable: true },
        { total: 0.3, rankable: true },
      ]),
    ).toEqual([1, 1])
  })

  it('gives the trend only against a previous total', () => {
    expect(trend(80, 75)).toBe(5)
    expect(trend(80, null)).toBeNull()
    expect(trend(null, 75)).toBeNull()
  })
})

describe('the promotion index', () => {
  it('leaves a missing part out and names it, never counting it as 0', () => {
    const sheet = scoreSheet(
      facts([
        ['reform_score', [4, 4]], // (4-1)/4 → 75 under the default 1..5
        ['rating_avg', [5, 5]], // 100
      ]),
      {
        ...formula,
        indicators: [...formula.indicators, { code: 'reform_score', weight: 1, worst: 1, best: 5 }],
      },
    )
    const index = promotionIndex(
      sheet,
      formula,
      { weights: { reform: 1, organisation: 1, satisfaction: 2 }, minSample: 1 },
      null,
    )
    expect(index.parts).toEqual({ reform: 75, organisation: null, satisfaction: 100 })
    expect(index.missing).toEqual(['organisation'])
    expect(index.value).toBeCloseTo((75 + 200) / 3, 10)
    const withEvaluation = promotionIndex(
      sheet,
      formula,
      { weights: { reform: 1, organisation: 1, satisfaction: 2 }, minSample: 1 },
      60,
    )
    expect(withEvaluation.value).toBeCloseTo((75 + 60 + 200) / 4, 10)
  })

  it('counts the scored facts behind the reform and satisfaction parts against minSample', () => {
    const withReform = {
      ...formula,
      indicators: [...formula.indicators, { code: 'reform_score' as const, weight: 1, worst: 1, best: 5 }],
    }
    const sheet = scoreSheet(
      facts([
        ['reform_score', [4, 4]],
        ['rating_avg', [5, 4, 3]],
        ['step_on_time', [true, true, true, true]], // not behind the index
      ]),
      withReform,
    )
    const policy = { weights: { reform: 1, organisation: 1, satisfaction: 1 }, minSample: 5 }
    expect(promotionIndex(sheet, withReform, policy, 70)).toMatchObject({ sample: 5, smallSample: false })
    expect(promotionIndex(sheet, withReform, { ...policy, minSample: 6 }, 70).smallSample).toBe(true)
    // A formula that does not score reform_score: its facts are behind no part.
    const unscored = scoreSheet(
      facts([
        ['reform_score', [4, 4]],
        ['rating_avg', [5, 4, 3]],
      ]),
      formula,
    )
    expect(promotionIndex(unscored, formula, policy, 70)).toMatchObject({ sample: 3, smallSample: true })
  })

  it('ranks by index, ties sharing a rank, small samples and missing indexes unranked', () => {
    expect(
      promotionRanks([
        { value: 80, smallSample: false },
        { value: 95, smallSample: true },
        { value: 80, smallSample: false },
        { value: null, smallSample: false },
        { value: 70, smallSample: false },
      ]),
    ).toEqual([1, null, 1, null, 3])
  })
})

describe('grouping', () => {
  it('counts a case once for a region, a hit when any department’s was', () => {
    const a = { ...fact('supplement_rate', false, 'c1'), departmentId: 'd1' }
    const b = { ...fact('supplement_rate', true, 'c1'), departmentId: 'd2' }
    expect(onePerRef([a, b])).toEqual([{ ...a, outcome: true }])
    expect(regionLevels('430102001')).toEqual(['43', '4301', '430102', '430102001'])
  })
})

describe('appeal facts', () => {
  const step = (type: string, at: number, actorId: string, data: Record<string, unknown> = {}, index = at) =>
    ({ appealId: 'a1', type, at, actorId, data, ledger: { log: '4301', index } }) satisfies AppealStepRow

  it('gives a return to the returning department, and the rest to the one holding the appeal', () => {
    const steps = [
      step('appeal.filed', 1 * HOUR, 'citizen', { department: 'd1' }),
      step('appeal.returned', 2 * HOUR, 'o1', { from: 'd1', department: 'd2' }),
      step('appeal.accepted', 3 * HOUR, 'o2'),
      step('appeal.responded', 4 * HOUR, 'o2'),
      step('appeal.resolved', 5 * HOUR, 'o2'),
      step('appeal.rated', 6 * HOUR, 'citizen', { satisfaction: 'basically_satisfied' }),
    ]
    const out = appealFacts(
      [
        {
          id: 'a1',
          status: 'closed',
          regionCode: '430102001',
          respondDueAt: 4 * HOUR,
          closedAt: 6 * HOUR,
          reopened: false,
        },
      ],
      steps,
      { from: 0, to: 24 * HOUR },
      24 * HOUR,
    )
    const brief = out.map((f) => [f.indicator, f.departmentId, f.staffId, f.outcome, f.ledger.index / HOUR])
    expect(brief).toEqual([
      ['appeal_return_rate', 'd1', 'o1', true, 2],
      ['appeal_return_rate', 'd2', 'o2', false, 2],
      ['appeal_response_rate', 'd2', 'o2', true, 4],
      ['appeal_resolution_rate', 'd2', 'o2', true, 6],
      ['appeal_satisfaction_rate', 'd2', 'o2', false, 6],
      ['appeal_satisfaction', 'd2', 'o2', true, 6],
    ])
  })
})
