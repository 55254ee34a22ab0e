import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { DEPARTMENT_KINDS } from '../../../../shared/domain.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince, isValidIdNumber } from '../../sim/demo.generator.js'
import type { DemoCitizen } from '../../sim/demo.model.js'
import {
  DEMO_RECORDS_UPDATED_AT,
  DEMO_TAX_YEAR,
  RECORD_SHARES,
  annualIncomeTax,
  createDemoRecordGenerator,
  generateDemoRecords,
  isWorkingAge,
} from './records.generator.js'
import {
  DATA_LOOKUPS,
  DATA_SOURCES,
  DATA_SOURCE_INFO,
  LOOKUP_NAMES,
  RECORD_FIELDS,
  type DataSource,
  type DemoRecord,
  type RecordFieldType,
  findLookup,
  findRecordField,
  valueAtPath,
} from './records.model.js'
import { isValidUscc } from './uscc.js'

const seed = DEFAULT_DEMO_SEED
const small = generateDemoProvince({ seed, scale: 'small' })
const smallRecords = createDemoRecordGenerator(small, seed)
const big = generateDemoProvince({ seed, scale: 'province' })
const bigRecords = createDemoRecordGenerator(big, seed)

function collect(batches: Generator<DemoRecord[]>): DemoRecord[] {
  const out: DemoRecord[] = []
  for (const b of batches) out.push(...b)
  return out
}

/** The first `n` citizens of the province scale and all their records. */
function firstOfProvince(n: number): { citizens: DemoCitizen[]; records: DemoRecord[] } {
  const citizens: DemoCitizen[] = []
  for (const batch of big.citizens(5000)) {
    citizens.push(...batch)
    if (citizens.length >= n) break
  }
  citizens.length = Math.min(citizens.length, n)
  return { citizens, records: citizens.flatMap((c) => bigRecords.recordsOf(c)) }
}

const sample = firstOfProvince(50_000)
const bySource = (s: DataSource): DemoRecord[] => sample.records.filter((r) => r.source === s)

describe('determinism', () => {
  it('gives the same records for the same seed, whatever the batch size', () => {
    const a = collect(smallRecords.batches(7))
    const b = collect(generateDemoRecords({ seed, scale: 'small' }).batches())
    expect(a.length).toBeGreaterThan(small.citizenCount)
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })

  it('gives the same records for a citizen at either scale (a citizen is a function of seed and index)', () => {
    const fromSmall = collect(smallRecords.batches())
    const fromBig = sample.records.slice(0, fromSmall.length)
    expect(JSON.stringify(fromBig)).toBe(JSON.stringify(fromSmall))
  })

  it('differs for another seed', () => {
    const other = generateDemoProvince({ seed: seed + 1, scale: 'small' })
    const a = collect(createDemoRecordGenerator(other, seed + 1).batches())
    const b = collect(smallRecords.batches())
    expect(JSON.stringify(a.slice(0, 200))).not.toBe(JSON.stringify(b.slice(0, 200)))
  })
})

describe('coverage (first 50,000 citizens of the province scale)', () => {
  const n = sample.citizens.length
  const share = (s: DataSource): number => bySource(s).length / n

  it('gives every citizen exactly one household record', () => {
    expect(bySource('household')).toHaveLength(n)
    expect(new Set(bySource('household').map((r) => r.key)).size).toBe(n)
  })

  it('hits the target shares within tolerance', () => {
    expect(Math.abs(share('business') - RECORD_SHARES.business)).toBeLessThan(0.005)
    expect(Math.abs(share('tax') - RECORD_SHARES.tax)).toBeLessThan(0.01)
    expect(Math.abs(share('real_estate') - RECORD_SHARES.realEstate)).toBeLessThan(0.01)
    const tax = bySource('tax').map((r) => r.data as { refundable: number; supplementary: number })
    const refunds = tax.filter((t) => t.refundable > 0).length / tax.length
    expect(Math.abs(refunds - RECORD_SHARES.taxRefund)).toBeLessThan(0.01)
    expect(tax.filter((t) => t.supplementary > 0).length / tax.length).toBeGreaterThan(0.02)
    const working = sample.citizens.filter((c) => isWorkingAge(c))
    const insured = new Set(bySource('social_security').map((r) => r.citizenId))
    const insuredWorking = working.filter((c) => insured.has(c.id)).length / working.length
    expect(Math.abs(insuredWorking - RECORD_SHARES.socialSecurity)).toBeLessThan(0.01)
    // Only working-age citizens (and citizen.demo, who always has one) are insured.
    const byId = new Map(sample.citizens.map((c) => [c.id, c]))
    for (const r of bySource('social_security')) expect(isWorkingAge(byId.get(r.citizenId)!) || r.citizenId === 'ct-0000001').toBe(true)
  })

  it('keeps keys unique per source and the record envelope consistent', () => {
    for (const s of DATA_SOURCES) {
      const rs = bySource(s)
      expect(new Set(rs.map((r) => r.key)).size).toBe(rs.length)
      for (const r of rs.slice(0, 5000)) {
        expect(r.ownerDepartmentKind).toBe(DATA_SOURCE_INFO[s].ownerDepartmentKind)
        expect(Object.keys(DEPARTMENT_KINDS)).toContain(r.ownerDepartmentKind)
        expect(r.updatedAt).toBe(DEMO_RECORDS_UPDATED_AT)
        expect(r.key).toBe(DATA_SOURCE_INFO[s].keyKind === 'citizenId' ? r.citizenId : (r.data as { creditCode: string }).creditCode)
        const expectedLength = s === 'household' ? 9 : s === 'social_security' ? 4 : 6
        expect(r.regionCode).toHaveLength(expectedLength)
      }
    }
  })

  it('produces plausible values', () => {
    const byId = new Map(sample.citizens.map((c) => [c.id, c]))
    const regionName = new Map(big.regions.map((r) => [r.code, r.name]))
    let han = 0
    for (const r of bySource('household')) {
      if (r.source !== 'household') continue
      const c = byId.get(r.citizenId)!
      expect(r.data.idNumber).toBe(c.idNumber)
      expect(isValidIdNumber(r.data.idNumber)).toBe(true)
      expect(r.data.address.startsWith(`潇湘省${regionName.get(c.regionCode.slice(0, 4))}${regionName.get(c.regionCode.slice(0, 6))}${regionName.get(c.regionCode)}`)).toBe(true)
      expect(r.data.registeredAt >= r.data.birthDate).toBe(true)
      if (r.data.ethnicity === '汉族') han++
    }
    expect(han / sample.citizens.length).toBeGreaterThan(0.85)
    expect(han / sample.citizens.length).toBeLessThan(0.95)
    for (const r of bySource('business')) {
      if (r.source !== 'business') continue
      expect(isValidUscc(r.data.creditCode)).toBe(true)
      expect(r.data.creditCode.slice(2, 8)).toBe(r.regionCode)
      expect(r.data.name).toMatch(/有限公司$/)
      expect(r.data.legalRepresentative.citizenId).toBe(r.citizenId)
    }
    for (const r of bySource('tax')) {
      if (r.source !== 'tax') continue
      const t = r.data
      expect(t.taxYear).toBe(DEMO_TAX_YEAR)
      expect(t.refundable).toBeGreaterThanOrEqual(0)
      expect(t.supplementary).toBeGreaterThanOrEqual(0)
      expect(t.refundable * t.supplementary).toBe(0)
      expect(t.taxPaid).toBeCloseTo(t.taxPayable + t.refundable - t.supplementary, 2)
      expect(t.taxPayable).toBe(annualIncomeTax(t.taxableIncome))
      expect(t.taxableIncome).toBeCloseTo(t.annualIncome - t.deductions, 2)
    }
    const home = bySource('social_security').filter((r) => r.source === 'social_security' && r.data.insuredCityCode === byId.get(r.citizenId)!.regionCode.slice(0, 4))
    expect(home.length / bySource('social_security').length).toBeGreaterThan(0.85)
    for (const r of bySource('real_estate')) {
      if (r.source !== 'real_estate') continue
      expect(r.data.unitNumber).toHaveLength(28)
      expect(r.data.certificateNumber).toMatch(/^湘（\d{4}）.+市不动产权第\d{7}号$/)
      expect(r.data.area).toBeGreaterThan(20)
    }
  })

  it('computes the 2025 income tax with the annual bracket table', () => {
    expect(annualIncomeTax(0)).toBe(0)
    expect(annualIncomeTax(36_000)).toBe(1_080)
    expect(annualIncomeTax(100_000)).toBe(7_480)
    expect(annualIncomeTax(1_000_000)).toBe(268_080)
  })
})

describe('citizen.demo', () => {
  const demo = small.citizens(1).next().value![0]!
  const records = smallRecords.recordsOf(demo)
  const get = <S extends DataSource>(s: S): Extract<DemoRecord, { source: S }> =>
    records.find((r) => r.source === s) as Extract<DemoRecord, { source: S }>

  it('holds one record of every source', () => {
    expect(demo.id).toBe('ct-0000001')
    expect(demo.username).toBe('citizen.demo')
    expect(records.map((r) => r.source)).toEqual([...DATA_SOURCES])
  })

  it('has a company, a positive refund, insurance in 4301 and a property', () => {
    expect(get('household').data.name).toBe(demo.name)
    expect(get('business').data.status).toBe('active')
    expect(get('business').data.legalRepresentative.idNumber).toBe(demo.idNumber)
    expect(get('tax').data.refundable).toBeGreaterThan(0)
    expect(get('social_security').data.insuredCityCode).toBe('4301')
    expect(get('social_security').data.status).toBe('active')
    expect(get('real_estate').data.owner.idNumber).toBe(demo.idNumber)
    expect(get('real_estate').regionCode.startsWith('4301')).toBe(true)
  })
})

describe('lookups and field catalogue', () => {
  it('registers one lookup per source', () => {
    expect(DATA_LOOKUPS.map((l) => l.name)).toEqual([...LOOKUP_NAMES])
    expect(DATA_LOOKUPS.map((l) => l.source)).toEqual([...DATA_SOURCES])
    for (const l of DATA_LOOKUPS) {
      expect(l.input).toBe(DATA_SOURCE_INFO[l.source].keyKind)
      if (l.citizenPath) expect(findRecordField(l.source, l.citizenPath)).toBeDefined()
      else expect(l.input).toBe('citizenId')
      expect(findLookup(l.name)).toBe(l)
    }
    expect(findLookup('nope.lookup')).toBeUndefined()
  })

  /** Leaf paths of a data object (arrays are leaves). */
  function leaves(data: unknown, prefix = ''): Map<string, unknown> {
    const out = new Map<string, unknown>()
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      const path = prefix + k
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [p, x] of leaves(v, `${path}.`)) out.set(p, x)
      else out.set(path, v)
    }
    return out
  }

  function hasType(v: unknown, t: RecordFieldType): boolean {
    switch (t) {
      case 'string':
        return typeof v === 'string' && v.length > 0
      case 'date':
        return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))
      case 'integer':
        return Number.isInteger(v)
      case 'number':
        return typeof v === 'number' && Number.isFinite(v)
      case 'string[]':
        return Array.isArray(v) && v.every((x) => typeof x === 'string')
    }
  }

  it('matches the generated records exactly: same paths, types and coded values', () => {
    const seen = new Map<string, Set<string>>()
    for (const r of sample.records.slice(0, 40_000)) {
      const fields = RECORD_FIELDS[r.source]
      const ls = leaves(r.data)
      expect([...ls.keys()].sort()).toEqual(fields.map((f) => f.path).sort())
      for (const f of fields) {
        const v = ls.get(f.path)
        expect(valueAtPath(r.data, f.path)).toEqual(v)
        if (v === null) {
          expect(f.nullable, `${r.source}.${f.path} is null`).toBe(true)
          continue
        }
        expect(hasType(v, f.type), `${r.source}.${f.path} = ${JSON.stringify(v)} is not ${f.type}`).toBe(true)
        if (f.values) for (const code of Array.isArray(v) ? v : [v]) expect(Object.keys(f.values)).toContain(code)
        const key = `${r.source}.${f.path}`
        if (!seen.has(key)) seen.set(key, new Set())
        seen.get(key)!.add(JSON.stringify(v))
      }
    }
    // Every nullable field is also seen with a value, and every coded value is used somewhere.
    for (const s of DATA_SOURCES) {
      for (const f of RECORD_FIELDS[s]) {
        expect(seen.get(`${s}.${f.path}`)?.size ?? 0, `${s}.${f.path} never has a value`).toBeGreaterThan(0)
        if (f.values && f.type === 'string') expect(seen.get(`${s}.${f.path}`)!.size).toBe(Object.keys(f.values).length)
      }
    }
  })

  it('finds catalogue entries and values by dotted path', () => {
    expect(findRecordField('business', 'legalRepresentative.name')?.label).toBe('法定代表人姓名')
    expect(findRecordField('business', 'legalRepresentative')).toBeUndefined()
    expect(findRecordField('nope', 'name')).toBeUndefined()
    expect(valueAtPath({ a: { b: 1 } }, 'a.b')).toBe(1)
    expect(valueAtPath({ a: [1] }, 'a.0')).toBeUndefined()
  })
})

describe('streaming', () => {
  it('streams 100,000 citizens’ records in bounded memory and reasonable time', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    const before = process.memoryUsage().heapUsed
    const started = performance.now()
    let citizens = 0
    let records = 0
    let peak = 0
    let retainedMax = 0
    const counts = new Map<DataSource, number>()
    for (const batch of bigRecords.batches(5000)) {
      records += batch.length
      for (const r of batch) counts.set(r.source, (counts.get(r.source) ?? 0) + 1)
      citizens = counts.get('household') ?? 0
      // Live heap including not-yet-collected garbage, and every 25,000 citizens what survives a full GC.
      peak = Math.max(peak, process.memoryUsage().heapUsed - before)
      if (citizens % 25_000 === 0) {
        gc()
        retainedMax = Math.max(retainedMax, process.memoryUsage().heapUsed - before)
      }
      if (citizens >= 100_000) break
    }
    const ms = performance.now() - started
    gc()
    const retained = process.memoryUsage().heapUsed - before
    const mb = (x: number): string => (x / 2 ** 20).toFixed(1)
    console.log(
      `[dataplatform] 100,000 citizens → ${records} records in ${ms.toFixed(0)} ms ` +
        `(${Math.round((citizens / ms) * 1000)} citizens/s); heap: peak +${mb(peak)} MB, after GC at most +${mb(retainedMax)} MB, at the end +${mb(retained)} MB`,
    )
    expect(citizens).toBe(100_000)
    expect(records).toBeGreaterThan(200_000)
    // 230k records held at once would take well over 150 MB; streaming keeps a batch plus the street caches.
    expect(retainedMax).toBeLessThan(20 * 2 ** 20)
    expect(peak).toBeLessThan(120 * 2 ** 20)
    expect(ms).toBeLessThan(20_000)
  })
})
