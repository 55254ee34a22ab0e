/**
 * The traceability and consistency facts as pure functions: a step's trail is complete only when the
 * leaf at its claimed position is its own completion in its case's log; a step is redone when its node
 * was visited again; discrepancies go to the nearest holder above the record and to its keeper unless
 * the record changed since; holdings make the per-1,000 denominator (0 with none contradicted, null
 * with nothing held); corrections count calendar days from the submission.
 */
import { describe, expect, it } from 'vitest'
import { indicatorValue, sampleSize } from './assessment.model.js'
import {
  accessFacts,
  correctionFacts,
  discrepancyFacts,
  holdersOf,
  ledgerTrailFacts,
  namesStep,
  reworkFacts,
  type DiscrepantCaseRow,
  type HeldRecordRow,
  type HolderRow,
  type HoldingRow,
  type TraceStepRow,
} from './trace-facts.model.js'

const DAY = 86_400_000

const leafOf = (o: { log?: string; index?: number; type?: string; task?: string; case?: string }) =>
  JSON.stringify({
    v: 1,
    log: o.log ?? '4301',
    index: o.index ?? 7,
    type: o.type ?? 'task.completed',
    subject: 'case:c1',
    data: { case: o.case ?? 'c1', task: o.task ?? 't1', node: 'review' },
  })

function step(over: Partial<TraceStepRow> = {}): TraceStepRow {
  return {
    id: 't1',
    caseId: 'c1',
    nodeId: 'review',
    iteration: 1,
    lastIteration: 1,
    departmentId: '430102-public_security',
    assigneeId: 's1',
    completedAt: 1000,
    regionCode: '430102001',
    claimed: { log: '4301', index: 7 },
    leaf: leafOf({}),
    submitted: { log: '4301', index: 1 },
    ...over,
  }
}

describe('the ledger trail of a step', () => {
  it('is complete only when the claimed leaf is this task’s completion in the case’s log', () => {
    expect(namesStep(step())).toBe(true)
    expect(namesStep(step({ leaf: leafOf({ task: 't2' }) }))).toBe(false)
    expect(namesStep(step({ leaf: leafOf({ case: 'c2' }) }))).toBe(false)
    expect(namesStep(step({ leaf: leafOf({ type: 'task.created' }) }))).toBe(false)
    expect(namesStep(step({ leaf: leafOf({ index: 8 }) }))).toBe(false)
    // A log other than the case's city's: not its trail, whatever the leaf says.
    expect(namesStep(step({ claimed: { log: '4302', index: 7 }, leaf: leafOf({ log: '4302' }) }))).toBe(false)
    expect(namesStep(step({ leaf: null }))).toBe(false)
    expect(namesStep(step({ claimed: null, leaf: null }))).toBe(false)
    expect(namesStep(step({ leaf: '{not json' }))).toBe(false)
  })

  it('proves a miss by the entry claimed when there is one, else by the case’s submission', () => {
    const [ok, other, missing, none] = ledgerTrailFacts([
      step(),
      step({ id: 't2', leaf: leafOf({ task: 't1' }) }),
      step({ id: 't3', claimed: { log: '4301', index: 99 }, leaf: null }),
      step({ id: 't4', claimed: null, leaf: null, submitted: null }),
    ])
    expect(ok).toMatchObject({
      indicator: 'ledger_complete',
      outcome: true,
      ledger: { index: 7 },
      staffId: 's1',
    })
    expect(other).toMatchObject({ outcome: false, ledger: { index: 7 } })
    expect(missing).toMatchObject({ outcome: false, ledger: { index: 1 } })
    // Nothing at all in the ledger to point at: left out (the audit names such a case).
    expect(none).toBeUndefined()
  })
})

describe('rework', () => {
  it('is a step whose node the case visited again after it', () => {
    const facts = reworkFacts([
      step(),
      step({ id: 't2', iteration: 1, lastIteration: 2 }),
      step({ id: 't3', iteration: 2, lastIteration: 2 }),
    ])
    expect(facts.map((f) => [f.ref.id, f.outcome])).toEqual([
      ['t1', false],
      ['t2', true],
      ['t3', false],
    ])
    expect(facts[1]).toMatchObject({ indicator: 'rework_rate', ref: { kind: 'task' }, ledger: { index: 7 } })
  })
})

describe('flagged accesses', () => {
  it('hits when judged unjustified, proven by the review', () => {
    const facts = accessFacts(
      (['unjustified', 'justified'] as const).map((verdict, i) => ({
        id: `a${i}`,
        caseId: 'c1',
        staffId: 's9',
        departmentId: '4301-market_regulation',
        regionCode: '430102001',
        reviewedAt: 5,
        verdict,
        ledger: { log: '4301', index: 40 + i },
      })),
    )
    expect(facts.map((f) => f.outcome)).toEqual([true, false])
    expect(facts[0]).toMatchObject({
      ref: { kind: 'data_access', id: 'a0' },
      staffId: 's9',
      ledger: { index: 40 },
    })
    expect(indicatorValue('unjustified_access', facts)).toBe(0.5)
  })
})

describe('discrepancies per 1,000 records held', () => {
  const departments: HolderRow[] = [
    { id: '4301-public_security', kind: 'public_security', regionCode: '4301' },
    { id: '430102-public_security', kind: 'public_security', regionCode: '430102' },
    { id: '4301-tax', kind: 'tax', regionCode: '4301' },
  ]
  const record = (over: Partial<HeldRecordRow> = {}): HeldRecordRow => ({
    source: 'household',
    key: 'K1',
    ownerKind: 'public_security',
    regionCode: '430102001',
    updatedBy: 'keeper',
    updatedAt: 100,
    ...over,
  })
  const discrepant = (over: Partial<DiscrepantCaseRow> = {}): DiscrepantCaseRow => ({
    caseId: 'c1',
    submittedAt: 500,
    regionCode: '430102001',
    discrepancies: [
      { path: '/applicant/name', source: 'household', recordKey: 'K1' },
      { path: '/applicant/gender', source: 'household', recordKey: 'K1' },
    ],
    submitted: { log: '4301', index: 3 },
    ...over,
  })
  const holding = (over: Partial<HoldingRow> = {}): HoldingRow => ({
    source: 'household',
    ownerKind: 'public_security',
    regionCode: '430102001',
    keeperId: 'keeper',
    records: 400,
    updatedAt: 100,
    ledger: { log: '4301', index: 0 },
    ...over,
  })

  it('finds the holder at the record’s region or the nearest level above', () => {
    const holderOf = holdersOf(departments)
    expect(holderOf('430102001', 'public_security')?.id).toBe('430102-public_security')
    expect(holderOf('430103001', 'public_security')?.id).toBe('4301-public_security')
    expect(holderOf('430102001', 'tax')?.id).toBe('4301-tax')
    expect(holderOf('430102001', 'natural_resources')).toBeUndefined()
  })

  it('counts one per contradicted record, per 1,000 records held, and 0 when none is contradicted', () => {
    const facts = discrepancyFacts(
      [discrepant()],
      [record()],
      [holding(), holding({ keeperId: null, records: 100, regionCode: '430102002' })],
      departments,
      { prefix: '4301', by: 'place' },
    )
    const found = facts.filter((f) => f.outcome === true)
    // Two fields of one record: one discrepancy, the keeper's, the county bureau's, proven by the submission.
    expect(found).toEqual([
      expect.objectContaining({
        ref: { kind: 'discrepancy', id: 'c1/household' },
        staffId: 'keeper',
        departmentId: '430102-public_security',
        regionCode: '430102001',
        ledger: { log: '4301', index: 3 },
      }),
    ])
    expect(sampleSize('discrepancies_per_1k', facts)).toBe(500)
    expect(indicatorValue('discrepancies_per_1k', facts)).toBe(2)
    expect(
      indicatorValue(
        'discrepancies_per_1k',
        facts.filter((f) => f.outcome !== true),
      ),
    ).toBe(0)
    expect(indicatorValue('discrepancies_per_1k', found)).toBeNull()
  })

  it('does not blame who changed the record after the submission', () => {
    const [f] = discrepancyFacts(
      [discrepant()],
      [record({ updatedAt: 600, updatedBy: 'corrector' })],
      [],
      departments,
      {
        prefix: '',
        by: 'place',
      },
    )
    expect(f).toMatchObject({ outcome: true, staffId: null, departmentId: '430102-public_security' })
  })

  it('keeps by place the record’s region, by department the holder’s', () => {
    const rows = [discrepant()] as const
    const held = [holding({ regionCode: '430103001' })]
    const records = [record({ regionCode: '430103001' })]
    // The county 430103 has no bureau of its own: the city's holds its records.
    expect(
      discrepancyFacts(rows, records, held, departments, { prefix: '430103', by: 'place' }),
    ).toHaveLength(2)
    expect(
      discrepancyFacts(rows, records, held, departments, { prefix: '430103', by: 'department' }),
    ).toEqual([])
    const city = discrepancyFacts(rows, records, held, departments, { prefix: '4301', by: 'department' })
    expect(city.map((f) => f.departmentId)).toEqual(['4301-public_security', '4301-public_security'])
    // A record the platform no longer holds is not counted.
    expect(discrepancyFacts(rows, [], [], departments, { prefix: '', by: 'place' })).toEqual([])
  })
})

describe('corrections', () => {
  it('counts calendar days from the submission, or from the filing without a case', () => {
    const facts = correctionFacts([
      {
        appealId: 'a1',
        regionCode: '430102001',
        departmentId: 'd',
        handlerId: 'h',
        createdAt: 2 * DAY,
        submittedAt: DAY,
        closedAt: 4 * DAY,
        ledger: { log: '4301', index: 9 },
      },
      {
        appealId: 'a2',
        regionCode: '430102001',
        departmentId: 'd',
        handlerId: null,
        createdAt: 2 * DAY,
        submittedAt: null,
        closedAt: 3 * DAY,
        ledger: { log: '4301', index: 10 },
      },
    ])
    expect(facts.map((f) => f.outcome)).toEqual([3, 1])
    expect(facts[0]).toMatchObject({
      indicator: 'correction_days',
      ref: { kind: 'appeal', id: 'a1' },
      staffId: 'h',
    })
    expect(indicatorValue('correction_days', facts)).toBe(2)
  })
})
