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
  type DataRecord,
  type RecordFieldType,
  findLookup,
  findRecordField,
} from '../dataplatform.model.js'
import { valueAtPath } from '../../../../shared/dotted-path.js'
import { isValidUscc } from '../../../../shared/uscc.js'

const seed = DEFAULT_DEMO_SEED
const small = generateDemoProvince({ seed, scale: 'small' })
const smallRecords = createDemoRecordGenerator(small, seed)
const big = generateDemoProvince({ seed, scale: 'province' })
const bigRecords = createDemoRecordGenerator(big, seed)

function collect(batches: Generator<DataRecord[]>): DataRecord[] {
  const out: DataRecord[] = []
  for (const b of batches) out.push(...b)
  return out
}

/** The first `n` citizens of the province scale and all their records. */
function firstOfProvince(n: number): { citizens: DemoCitizen[]; records: DataRecord[] } {
  const citizens: DemoCitizen[] = []
  for (const batch of big.citizens(5000)) {
    citizens.push(...batch)
    if (citizens.length >= n) break
  }
  citizens.length = Math.min(citizens.length, n)
  return { citizens, records: citizens.flatMap((c) => bigRecords.recordsOf(c)) }
}

const sample = firstOfProvince(50_000)
const bySource = (s: DataSource): DataRecord[] => sample.records.filter((r) => r.source === s)

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
    for (const r of bySource('social_security'))
      expect(isWorkingAge(byId.get(r.citizenId)!) || r.citizenId === 'ct-0000001').toBe(true)
  })

  it('keeps keys unique per source and the record envelope consistent', () => {
    const problems: string[] = []
    const check = (ok: boolean, what: string): void => void (ok || problems.push(what))
    for (const s of DATA_SOURCES) {
      const rs = bySource(s)
      expect(new Set(rs.map((r) => r.key)).size).toBe(rs.length)
      const regionLength = s === 'household' ? 9 : s === 'social_security' ? 4 : 6
      for (const r of rs) {
        check(
          r.ownerDepartmentKind === DATA_SOURCE_INFO[s].ownerDepartmentKind &&
            r.ownerDepartmentKind in DEPARTMENT_KINDS,
          `${r.key} owner`,
        )
        check(r.updatedAt === DEMO_RECORDS_UPDATED_AT, `${r.key} updatedAt`)
        check(
          r.key ===
            (DATA_SOURCE_INFO[s].keyKind === 'citizenId'
              ? r.citizenId
              : (r.data as { creditCode: string }).creditCode),
          `${r.key} key`,
        )
        check(r.regionCode.length === regionLength, `${s} ${r.key} region ${r.regionCode}`)
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
  })

  it('produces plausible values', () => {
    const problems: string[] = []
    const check = (ok: boolean, what: string): void => void (ok || problems.push(what))
    const byId = new Map(sample.citizens.map((c) => [c.id, c]))
    const regionName = new Map(big.regions.map((r) => [r.code, r.name]))
    let han = 0
    for (const r of sample.records) {
      const c = byId.get(r.citizenId)!
      switch (r.source) {
        case 'household': {
          const prefix = `潇湘省${regionName.get(c.regionCode.slice(0, 4))}${regionName.get(c.regionCode.slice(0, 6))}${regionName.get(c.regionCode)}`
          check(r.data.idNumber === c.idNumber && isValidIdNumber(r.data.idNumber), `${r.key} id`)
          check(r.data.address.startsWith(prefix), `${r.key} address ${r.data.address}`)
          check(r.data.registeredAt >= r.data.birthDate, `${r.key} registeredAt`)
          if (r.data.ethnicity === '汉族') han++
          break
        }
        case 'business':
          check(
            isValidUscc(r.data.creditCode) && r.data.creditCode.slice(2, 8) === r.regionCode,
            `${r.key} credit code`,
          )
          check(r.data.name.endsWith('有限公司'), `${r.key} name ${r.data.name}`)
          check(
            r.data.legalRepresentative.citizenId === r.citizenId &&
              r.data.legalRepresentative.idNumber === c.idNumber,
            `${r.key} legal rep`,
          )
          check(r.data.establishedAt > c.birthDate, `${r.key} established`)
          break
        case 'tax': {
          const t = r.data
          check(t.taxYear === DEMO_TAX_YEAR, `${r.key} year`)
          check(
            t.refundable >= 0 && t.supplementary >= 0 && t.refundable * t.supplementary === 0,
            `${r.key} refund/supplement`,
          )
          check(
            Math.abs(t.taxPaid - (t.taxPayable + t.refundable - t.supplementary)) < 0.011,
            `${r.key} taxPaid`,
          )
          check(t.taxPayable === annualIncomeTax(t.taxableIncome), `${r.key} taxPayable`)
          check(Math.abs(t.taxableIncome - (t.annualIncome - t.deductions)) < 0.011, `${r.key} taxable`)
          break
        }
        case 'social_security':
          check(r.data.monthsContributed >= 1 && r.data.accountBalance > 0, `${r.key} months/balance`)
          check(r.data.firstInsuredAt > c.birthDate, `${r.key} firstInsuredAt`)
          check(
            (r.data.category === 'employee') === (r.data.employer !== null && r.data.monthlyBase !== null),
            `${r.key} employer`,
          )
          break
        case 'real_estate':
          check(r.data.unitNumber.length === 28, `${r.key} unit number`)
          check(
            /^湘（\d{4}）.+市不动产权第\d{7}号$/.test(r.data.certificateNumber),
            `${r.key} certificate ${r.data.certificateNumber}`,
          )
          check(r.data.area > 20 && r.data.owner.idNumber === c.idNumber, `${r.key} area/owner`)
          check((r.data.landUseEnd === null) === r.data.rightType.startsWith('宅基地'), `${r.key} land use`)
          break
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
    expect(han / sample.citizens.length).toBeGreaterThan(0.85)
    expect(han / sample.citizens.length).toBeLessThan(0.95)
    const social = bySource('social_security')
    const home = social.filter(
      (r) =>
        r.source === 'social_security' &&
        r.data.insuredCityCode === byId.get(r.citizenId)!.regionCode.slice(0, 4),
    )
    expect(home.length / social.length).toBeGreaterThan(0.85)
    expect(home.length / social.length).toBeLessThan(0.95)
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
  const get = <S extends DataSource>(s: S): Extract<DataRecord, { source: S }> =>
    records.find((r) => r.source === s) as Extract<DataRecord, { source: S }>

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
      if (v !== null && typeof v === 'object' && !Array.isArray(v))
        for (const [p, x] of leaves(v, `${path}.`)) out.set(p, x)
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
    const problems: string[] = []
    const seen = new Map<string, Set<string>>()
    const expected = Object.fromEntries(
      DATA_SOURCES.map((s) => [
        s,
        RECORD_FIELDS[s]
          .map((f) => f.path)
          .sort()
          .join(),
      ]),
    )
    for (const r of sample.records) {
      const ls = leaves(r.data)
      if ([...ls.keys()].sort().join() !== expected[r.source])
        problems.push(`${r.source} ${r.key}: paths ${[...ls.keys()].join()}`)
      for (const f of RECORD_FIELDS[r.source]) {
        const v = ls.get(f.path)
        if (valueAtPath(r.data, f.path) !== v) problems.push(`${r.source}.${f.path}: valueAtPath`)
        if (v === null) {
          if (!f.nullable) problems.push(`${r.source}.${f.path} is null`)
          continue
        }
        if (!hasType(v, f.type))
          problems.push(`${r.source}.${f.path} = ${JSON.stringify(v)} is not ${f.type}`)
        if (f.values)
          for (const code of Array.isArray(v) ? (v as string[]) : [v as string])
            if (!(code in f.values)) problems.push(`${r.source}.${f.path}: unknown code ${code}`)
        const key = `${r.source}.${f.path}`
        let values = seen.get(key)
        if (!values) seen.set(key, (values = new Set()))
        if (values.size < 100) values.add(JSON.stringify(v))
      }
    }
    expect(problems.slice(0, 5)).toEqual([])
    // Every field (nullable ones too) is seen with a value, and every coded value is used somewhere.
    for (const s of DATA_SOURCES) {
      for (const f of RECORD_FIELDS[s]) {
        expect(seen.get(`${s}.${f.path}`)?.size ?? 0, `${s}.${f.path} never has a value`).toBeGreaterThan(0)
        if (f.values && f.type === 'string')
          expect(seen.get(`${s}.${f.path}`)!.size).toBe(Object.keys(f.values).length)
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
