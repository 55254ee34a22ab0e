/**
 * Deterministic generator of the demo data platform's authoritative records (户籍, 企业登记, 个税,
 * 社保, 不动产), derived from the demo citizens. A citizen's records are a pure function of the seed,
 * the province's regions and the citizen, each source drawing from its own PRNG stream; so records
 * stream batch by batch next to `citizens()` in constant memory, and any batch size gives the same
 * sequence. `citizen.demo` (the first citizen) always holds one record of every source.
 * @module
 */
import { DEMO_REFERENCE_DATE } from '../../sim/citizens.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../sim/demo.generator.js'
import type { DemoCitizen, DemoOptions, DemoProvince, DemoRegion } from '../../sim/demo.model.js'
import { drawPersonName, drawPlaceStem } from '../../sim/names.js'
import { Permutation, Rng, WeightedTable, hashString, mix32, seedHash } from '../../sim/rng.js'
import {
  DATA_SOURCE_INFO,
  type BusinessData,
  type DataSource,
  type DataRecord,
  type DataRecordOf,
  type HouseholdData,
  type InsuranceType,
  type PropertyUsage,
  type RealEstateData,
  type RecordDataBySource,
  type SocialSecurityData,
  type TaxData,
} from '../dataplatform.model.js'
import { makeUscc } from '../../../../shared/uscc.js'

/** `updatedAt` of every demo record: the demo's reference day, 2026-11-27T00:00:00Z. */
export const DEMO_RECORDS_UPDATED_AT = Date.parse(`${DEMO_REFERENCE_DATE}T00:00:00Z`)

/** The tax year of the demo's annual reconciliation (汇算) records. */
export const DEMO_TAX_YEAR = 2025

/** Target shares of the optional sources (the generator draws each independently per citizen). */
export const RECORD_SHARES = {
  /** Citizens who are legal representative of a company. */
  business: 0.05,
  /** Citizens with a 2025 reconciliation record. */
  tax: 0.6,
  /** Share of tax records with a positive refund. */
  taxRefund: 0.3,
  /** Share of tax records owing a supplementary payment. */
  taxSupplementary: 0.1,
  /** Share of working-age citizens with a social-insurance record. */
  socialSecurity: 0.9,
  /** Citizens owning a registered property. */
  realEstate: 0.4,
} as const

/** Working age on the reference day: 18 up to (not including) 60 for men, 55 for women. */
export const WORKING_AGE = { min: 18, maxExclusiveM: 60, maxExclusiveF: 55 } as const

export interface DemoRecordGenerator {
  /** All records about one citizen, in `DATA_SOURCES` order (the household record first). */
  recordsOf(citizen: DemoCitizen): DataRecord[]
  /**
   * The records of every citizen of the province, one array per batch of `batchSize` citizens
   * (default 5,000), generated lazily.
   */
  batches(batchSize?: number): Generator<DataRecord[]>
}

/** The records generator of the default demo province at `scale` (and seed). */
export function generateDemoRecords(options: Partial<DemoOptions> = {}): DemoRecordGenerator {
  const seed = options.seed ?? DEFAULT_DEMO_SEED
  const province = generateDemoProvince({ seed, scale: options.scale ?? 'small' })
  return createDemoRecordGenerator(province, seed)
}

// ---------------------------------------------------------------------------------------------
// Static data

const PROVINCE_PREFIX = '潇湘省'
/** Abbreviation on property certificates. */
const PROVINCE_ABBREVIATION = '湘'
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛']

const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 895],
  ['土家族', 40],
  ['苗族', 30],
  ['侗族', 14],
  ['瑶族', 11],
  ['白族', 3],
  ['回族', 2],
  ['壮族', 2],
  ['维吾尔族', 1],
  ['蒙古族', 1],
  ['满族', 1],
]
const ETHNICITY_TABLE = new WeightedTable(ETHNICITIES.map(([, w]) => w))

const ROAD_SUFFIXES = ['路', '路', '路', '街', '大道', '巷'] as const
const COMMUNITY_SUFFIXES = ['小区', '花园', '新村', '家园', '公寓', '苑', '名城'] as const
const BUILDING_SUFFIXES = ['大厦', '广场', '商务中心', '科技园', '产业园'] as const

/** Characters of company trade names (字号). */
const TRADE_NAME_CHARS = [
  ...'鑫隆华瑞盛达恒通宏昌兴旺泰嘉源博创新益和德信汇丰锦宇佳优科智诚卓越天利美康顺祥聚鼎峰明远航晟泓睿湘楚',
]

interface Industry {
  name: string
  scope: string
}

const INDUSTRIES: readonly Industry[] = [
  { name: '商贸', scope: '日用百货、五金交电、建筑材料、电子产品的销售；货物进出口；技术进出口。' },
  { name: '科技', scope: '软件开发；信息技术咨询服务；信息系统集成服务；网络技术服务；数据处理服务。' },
  { name: '餐饮管理', scope: '餐饮服务；餐饮管理；食品销售（仅销售预包装食品）；外卖递送服务。' },
  { name: '建筑工程', scope: '房屋建筑和市政基础设施项目工程总承包；建筑装饰装修工程施工；建筑材料销售。' },
  { name: '农业开发', scope: '蔬菜、水果、茶叶种植及销售；家禽饲养；农业技术推广服务；农产品初加工。' },
  { name: '文化传媒', scope: '组织文化艺术交流活动；广告设计、代理、制作、发布；会议及展览服务。' },
  { name: '物流', scope: '道路货物运输（不含危险货物）；普通货物仓储服务；国内货物运输代理。' },
  { name: '电子商务', scope: '互联网销售（除销售需要许可的商品）；供应链管理服务；品牌管理。' },
  { name: '家政服务', scope: '家政服务；养老服务；专业保洁、清洗、消毒服务；物业管理。' },
  { name: '教育咨询', scope: '教育咨询服务（不含涉许可审批的教育培训活动）；企业管理咨询。' },
  { name: '汽车服务', scope: '机动车修理和维护；汽车零配件零售；二手车经纪。' },
  { name: '医药', scope: '药品零售；第二类医疗器械销售；保健食品（预包装）销售。' },
]

const COMPANY_TYPES = ['有限责任公司（自然人独资）', '有限责任公司（自然人投资或控股）'] as const

/** 注册资本 choices (万元) and their weights. */
const CAPITALS: ReadonlyArray<readonly [number, number]> = [
  [3, 4],
  [5, 8],
  [10, 16],
  [20, 10],
  [30, 8],
  [50, 14],
  [100, 16],
  [200, 8],
  [300, 5],
  [500, 6],
  [1000, 4],
  [2000, 1],
]
const CAPITAL_TABLE = new WeightedTable(CAPITALS.map(([, w]) => w))

const EMPLOYEE_TYPES: readonly InsuranceType[] = [
  'pension',
  'medical',
  'unemployment',
  'work_injury',
  'maternity',
]
const RESIDENT_TYPES: readonly InsuranceType[] = ['pension', 'medical']

const USAGE_LAND_YEARS: Record<PropertyUsage, number> = { residential: 70, commercial: 40, office: 50 }

// ---------------------------------------------------------------------------------------------
// Helpers

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** ISO date (YYYY-MM-DD) of a day number (H. Hinnant's civil_from_days). */
function isoOfDay(z: number): string {
  const zz = z + 719_468
  const era = Math.floor(zz / 146_097)
  const doe = zz - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

/** Year, month, day of an ISO date. */
function ymd(iso: string): [number, number, number] {
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))]
}

/** Day number of an ISO date. */
function dayOf(iso: string): number {
  const [y, m, d] = ymd(iso)
  return daysFromCivil(y, m, d)
}

const REFERENCE_DAY = dayOf(DEMO_REFERENCE_DATE)

/** A uniformly drawn day in [from, to] (ISO dates, inclusive). */
function drawDate(rng: Rng, from: string, to: string): string {
  const a = dayOf(from)
  return isoOfDay(rng.int(a, Math.max(a, dayOf(to))))
}

/** `iso` plus `years` years (29 February becomes 1 March when needed). */
function addYears(iso: string, years: number): string {
  const [y, m, d] = ymd(iso)
  return isoOfDay(daysFromCivil(y + years, m, d))
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b
}

/** Whole years between `birthDate` and `on` (default {@link DEMO_REFERENCE_DATE}). */
export function ageOn(birthDate: string, on: string = DEMO_REFERENCE_DATE): number {
  const [by, bm, bd] = ymd(birthDate)
  const [y, m, d] = ymd(on)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/** Whether a citizen is of working age (see {@link WORKING_AGE}) on the reference day. */
export function isWorkingAge(citizen: Pick<DemoCitizen, 'birthDate' | 'gender'>): boolean {
  return workingAge(ageOn(citizen.birthDate), citizen.gender)
}

function workingAge(age: number, gender: 'F' | 'M'): boolean {
  return (
    age >= WORKING_AGE.min && age < (gender === 'M' ? WORKING_AGE.maxExclusiveM : WORKING_AGE.maxExclusiveF)
  )
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

function surnameOf(name: string): string {
  const two = name.slice(0, 2)
  return COMPOUND_SURNAMES.includes(two) ? two : name.slice(0, 1)
}

/** Index of a citizen from its id `ct-0000001` (→ 0). */
function citizenIndex(citizen: DemoCitizen): number {
  const n = Number(citizen.id.slice(3))
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`unexpected citizen id ${citizen.id}`)
  return n - 1
}

/** 2025 individual income tax on annual taxable comprehensive income (综合所得税率表). */
export function annualIncomeTax(taxable: number): number {
  const brackets: ReadonlyArray<readonly [number, number, number]> = [
    [36_000, 0.03, 0],
    [144_000, 0.1, 2_520],
    [300_000, 0.2, 16_920],
    [420_000, 0.25, 31_920],
    [660_000, 0.3, 52_920],
    [960_000, 0.35, 85_920],
    [Number.POSITIVE_INFINITY, 0.45, 181_920],
  ]
  if (taxable <= 0) return 0
  for (const [upTo, rate, quick] of brackets) if (taxable <= upTo) return round2(taxable * rate - quick)
  return 0
}

// ---------------------------------------------------------------------------------------------
// Places

interface StreetPlaces {
  street: DemoRegion
  county: DemoRegion
  city: DemoRegion
  /** 潇湘省 + city + county + street */
  prefix: string
  stem: string
  rural: boolean
  roads: string[]
  communities: string[]
  buildings: string[]
  villages: string[]
}

function stemOf(region: DemoRegion): string {
  return region.name.endsWith('街道') ? region.name.slice(0, -2) : region.name.slice(0, -1)
}

class Places {
  private readonly byCode = new Map<string, DemoRegion>()
  private readonly streetsOfCounty = new Map<string, DemoRegion[]>()
  private readonly countiesOfCity = new Map<string, DemoRegion[]>()
  readonly cities: DemoRegion[] = []
  private readonly cache = new Map<string, StreetPlaces>()

  constructor(
    regions: readonly DemoRegion[],
    private readonly seed: number,
  ) {
    for (const r of regions) {
      this.byCode.set(r.code, r)
      if (r.level === 'city') this.cities.push(r)
      if (r.parentCode === null) continue
      const map =
        r.level === 'street' ? this.streetsOfCounty : r.level === 'county' ? this.countiesOfCity : undefined
      if (!map) continue
      const list = map.get(r.parentCode) ?? []
      list.push(r)
      map.set(r.parentCode, list)
    }
  }

  region(code: string): DemoRegion {
    const r = this.byCode.get(code)
    if (!r) throw new RangeError(`unknown region ${code}`)
    return r
  }

  streetsOf(countyCode: string): DemoRegion[] {
    return this.streetsOfCounty.get(countyCode) ?? []
  }

  countiesOf(cityCode: string): DemoRegion[] {
    return this.countiesOfCity.get(cityCode) ?? []
  }

  /** Road, community and village names of a street, drawn once from the street's own stream. */
  street(code: string): StreetPlaces {
    const hit = this.cache.get(code)
    if (hit) return hit
    const street = this.region(code)
    const county = this.region(street.parentCode ?? '')
    const city = this.region(county.parentCode ?? '')
    const rng = Rng.for(this.seed, `dataplatform:places:${code}`)
    const taken = new Set<string>([stemOf(street), stemOf(county)])
    const draw = (n: number, share: number, suffix: () => string): string[] =>
      Array.from({ length: n }, () => {
        const stem = drawPlaceStem(rng, taken, share)
        taken.add(stem)
        return stem + suffix()
      })
    const places: StreetPlaces = {
      street,
      county,
      city,
      prefix: PROVINCE_PREFIX + city.name + county.name + street.name,
      stem: stemOf(street),
      rural: !street.name.endsWith('街道'),
      roads: draw(6, 0.3, () => rng.pick(ROAD_SUFFIXES)),
      communities: draw(6, 0.2, () => rng.pick(COMMUNITY_SUFFIXES)),
      buildings: draw(3, 0.1, () => rng.pick(BUILDING_SUFFIXES)),
      villages: draw(8, 0.35, () => '村'),
    }
    this.cache.set(code, places)
    return places
  }

  /** A home address in the street: a flat in a residential compound, or a house in a village. */
  homeAddress(rng: Rng, streetCode: string): string {
    return this.home(rng, streetCode).address
  }

  /** A home address and whether it is a village house (on homestead land). */
  home(rng: Rng, streetCode: string): { address: string; village: boolean } {
    const p = this.street(streetCode)
    if (p.rural && rng.chance(0.75)) {
      return {
        address: `${p.prefix}${rng.pick(p.villages)}${rng.int(1, 15)}组${rng.int(1, 99)}号`,
        village: true,
      }
    }
    const floor = rng.int(1, 33)
    const room = `${floor}${String(rng.int(1, 4)).padStart(2, '0')}`
    const address = `${p.prefix}${rng.pick(p.roads)}${rng.int(1, 399)}号${rng.pick(p.communities)}${rng.int(1, 30)}栋${rng.int(1, 4)}单元${room}室`
    return { address, village: false }
  }

  /** A business address in the street: an office in a commercial building or a street-front shop. */
  businessAddress(rng: Rng, streetCode: string): string {
    const p = this.street(streetCode)
    const road = `${p.prefix}${rng.pick(p.roads)}${rng.int(1, 599)}号`
    if (rng.chance(0.55))
      return `${road}${rng.pick(p.buildings)}${rng.int(2, 28)}${String(rng.int(1, 20)).padStart(2, '0')}室`
    return `${road}${rng.int(101, 112)}门面`
  }

  /** Name of a county office, e.g. 星城市古源区市场监督管理局 or 云台县市场监督管理局. */
  countyOffice(county: DemoRegion, office: string): string {
    if (!county.name.endsWith('区')) return county.name + office
    return this.region(county.parentCode ?? '').name + county.name + office
  }

  /** 派出所 of a street. */
  policeStation(streetCode: string): string {
    const p = this.street(streetCode)
    if (p.county.name.endsWith('区'))
      return `${p.city.name}公安局${p.county.name.slice(0, -1)}分局${p.stem}派出所`
    return `${p.county.name}公安局${p.stem}派出所`
  }
}

// ---------------------------------------------------------------------------------------------
// The generator

/**
 * The records generator of a demo province built with `seed`: pass the same seed the province was
 * generated with.
 */
export function createDemoRecordGenerator(
  province: Pick<DemoProvince, 'regions' | 'citizens'>,
  seed: number,
): DemoRecordGenerator {
  const places = new Places(province.regions, seed)
  const root = mix32(seedHash(seed), hashString('dataplatform'))
  const streamBase = (label: DataSource | 'keys'): number => mix32(root, hashString(label))
  const bases = {
    household: streamBase('household'),
    business: streamBase('business'),
    tax: streamBase('tax'),
    social_security: streamBase('social_security'),
    real_estate: streamBase('real_estate'),
  } satisfies Record<DataSource, number>
  const keys = streamBase('keys')
  // Unique numbers per citizen index without remembering which were taken.
  const householdNumbers = new Permutation(1_000_000_000, mix32(keys, 1))
  const orgCodes = new Permutation(100_000_000, mix32(keys, 2))
  const certificateNumbers = new Permutation(10_000_000, mix32(keys, 3))
  const parcelNumbers = new Permutation(10_000_000_000, mix32(keys, 4))

  const streamOf = (source: DataSource, i: number): Rng => Rng.fromHash(mix32(bases[source], i))

  const record = <S extends DataSource>(
    source: S,
    key: string,
    citizen: DemoCitizen,
    regionCode: string,
    data: RecordDataBySource[S],
  ): DataRecordOf<S> => ({
    source,
    key,
    citizenId: citizen.id,
    ownerDepartmentKind: DATA_SOURCE_INFO[source].ownerDepartmentKind,
    regionCode,
    data,
    updatedAt: DEMO_RECORDS_UPDATED_AT,
  })

  const companyName = (rng: Rng, county: DemoRegion, industry: Industry): string => {
    const city = places.region(county.parentCode ?? '')
    const first = rng.pick(TRADE_NAME_CHARS)
    let second = rng.pick(TRADE_NAME_CHARS)
    while (second === first) second = rng.pick(TRADE_NAME_CHARS)
    const u = rng.next()
    const place = u < 0.5 ? city.name : u < 0.8 ? city.name + county.name : '潇湘'
    return `${place}${first}${second}${industry.name}有限公司`
  }

  const household = (c: DemoCitizen, i: number, age: number): DataRecordOf<'household'> => {
    const rng = streamOf('household', i)
    const isHead = rng.chance(age >= 25 ? 0.5 : 0.15)
    let relationship = '户主'
    let head = c.name
    if (!isHead) {
      if (age < 30 || rng.chance(0.15)) {
        relationship = c.gender === 'M' ? '子' : '女'
        const other = drawPersonName(rng, rng.chance(0.7) ? 'M' : 'F')
        head = surnameOf(c.name) + other.slice(surnameOf(other).length)
      } else if (rng.chance(0.9)) {
        relationship = '配偶'
        head = drawPersonName(rng, c.gender === 'M' ? 'F' : 'M')
      } else {
        relationship = '其他'
        head = drawPersonName(rng, rng.chance(0.5) ? 'M' : 'F')
      }
    }
    const registeredAt = rng.chance(0.75)
      ? c.birthDate
      : drawDate(rng, addYears(c.birthDate, 16), '2026-10-31')
    const data: HouseholdData = {
      name: c.name,
      idNumber: c.idNumber,
      gender: c.gender,
      birthDate: c.birthDate,
      ethnicity: (ETHNICITIES[ETHNICITY_TABLE.draw(rng)] as readonly [string, number])[0],
      address: places.homeAddress(rng, c.regionCode),
      householdNumber: String(householdNumbers.apply(i)).padStart(9, '0'),
      householdHead: head,
      relationshipToHead: relationship,
      registrationAuthority: places.policeStation(c.regionCode),
      registeredAt,
    }
    return record('household', c.id, c, c.regionCode, data)
  }

  const business = (c: DemoCitizen, i: number, force: boolean): DataRecordOf<'business'> | null => {
    const rng = streamOf('business', i)
    if (!rng.chance(RECORD_SHARES.business) && !force) return null
    const home = places.region(c.regionCode.slice(0, 6))
    const counties = places.countiesOf(home.parentCode ?? '')
    const county = force || rng.chance(0.85) || counties.length === 0 ? home : rng.pick(counties)
    const streets = places.streetsOf(county.code)
    const street = streets.length > 0 ? rng.pick(streets) : places.region(c.regionCode)
    const industry = rng.pick(INDUSTRIES)
    const u = rng.next()
    const status = force || u < 0.88 ? 'active' : u < 0.96 ? 'cancelled' : 'revoked'
    const creditCode = makeUscc(county.code, String(orgCodes.apply(i)).padStart(8, '0'))
    const data: BusinessData = {
      creditCode,
      name: companyName(rng, county, industry),
      companyType: rng.pick(COMPANY_TYPES),
      legalRepresentative: { name: c.name, idNumber: c.idNumber, citizenId: c.id },
      registeredAddress: places.businessAddress(rng, street.code),
      registeredCapital: (CAPITALS[CAPITAL_TABLE.draw(rng)] as readonly [number, number])[0],
      establishedAt: drawDate(rng, maxDate(addYears(c.birthDate, 20), '2000-01-01'), '2026-10-31'),
      industry: industry.name,
      businessScope: `一般项目：${industry.scope}（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）`,
      status,
      registrationAuthority: places.countyOffice(county, '市场监督管理局'),
    }
    return record('business', creditCode, c, county.code, data)
  }

  const tax = (c: DemoCitizen, i: number, force: boolean): DataRecordOf<'tax'> | null => {
    const rng = streamOf('tax', i)
    if (!rng.chance(RECORD_SHARES.tax) && !force) return null
    const income = round2(
      Math.min(3_000_000, Math.max(12_000, Math.exp(Math.log(72_000) + 0.65 * rng.normal()))),
    )
    const social = round2(Math.min(income, 22_000 * 12) * 0.105)
    let special = 0
    if (rng.chance(0.35)) special += rng.chance(0.3) ? 48_000 : 24_000 // 子女教育
    if (rng.chance(0.4)) special += rng.chance(0.5) ? 36_000 : 18_000 // 赡养老人
    if (rng.chance(0.25))
      special += 12_000 // 住房贷款利息
    else if (rng.chance(0.2)) special += rng.pick([18_000, 13_200, 9_600]) // 住房租金
    if (rng.chance(0.05)) special += 4_800 // 继续教育
    if (rng.chance(0.05)) special += 24_000 // 3 岁以下婴幼儿照护
    const deductions = round2(Math.min(income, 60_000 + social + special))
    const taxableIncome = round2(income - deductions)
    const taxPayable = annualIncomeTax(taxableIncome)
    let refundable = 0
    let supplementary = 0
    const u = rng.next()
    if (force || u < RECORD_SHARES.taxRefund) {
      refundable = round2(Math.min(20_000, Math.max(12, Math.exp(Math.log(600) + 0.9 * rng.normal()))))
    } else if (u < RECORD_SHARES.taxRefund + RECORD_SHARES.taxSupplementary && taxPayable > 0) {
      supplementary = round2(Math.min(taxPayable, Math.max(5, Math.exp(Math.log(800) + 0.9 * rng.normal()))))
    }
    const county = places.region(c.regionCode.slice(0, 6))
    const data: TaxData = {
      taxYear: DEMO_TAX_YEAR,
      taxpayerId: c.idNumber,
      name: c.name,
      annualIncome: income,
      deductions,
      taxableIncome,
      taxPayable,
      taxPaid: round2(taxPayable + refundable - supplementary),
      refundable,
      supplementary,
      taxAuthority: `国家税务总局${places.countyOffice(county, '税务局')}`,
    }
    return record('tax', c.id, c, county.code, data)
  }

  const socialSecurity = (
    c: DemoCitizen,
    i: number,
    age: number,
    force: boolean,
  ): DataRecordOf<'social_security'> | null => {
    const rng = streamOf('social_security', i)
    if (!force && !(workingAge(age, c.gender) && rng.chance(RECORD_SHARES.socialSecurity))) return null
    const homeCity = places.region(c.regionCode.slice(0, 4))
    const city = force || rng.chance(0.88) ? homeCity : rng.pick(places.cities)
    const employee = force || rng.chance(0.65)
    const possibleMonths = Math.max(1, (age - 18) * 12 + rng.int(0, 11))
    const monthsContributed = Math.max(1, Math.round(possibleMonths * rng.float(0.45, 1)))
    const firstInsuredAt = drawDate(
      rng,
      maxDate(addYears(c.birthDate, 18), isoOfDay(REFERENCE_DAY - Math.round((possibleMonths + 1) * 30.44))),
      isoOfDay(REFERENCE_DAY - Math.round(monthsContributed * 30.44)),
    )
    let monthlyBase: number | null = null
    let accountBalance: number
    let employer: string | null = null
    if (employee) {
      monthlyBase = Math.round(
        Math.min(30_000, Math.max(4_000, Math.exp(Math.log(6_500) + 0.45 * rng.normal()))),
      )
      accountBalance = round2(monthsContributed * monthlyBase * 0.08 * rng.float(1.05, 1.3))
      const counties = places.countiesOf(city.code)
      employer = companyName(
        rng,
        counties.length > 0 ? rng.pick(counties) : places.region(c.regionCode.slice(0, 6)),
        rng.pick(INDUSTRIES),
      )
    } else {
      const annual = rng.pick([200, 300, 500, 800, 1000, 2000, 3000])
      accountBalance = round2((monthsContributed / 12) * annual * rng.float(1.05, 1.2))
    }
    const data: SocialSecurityData = {
      socialSecurityNumber: c.idNumber,
      name: c.name,
      insuredCityCode: city.code,
      insuredCityName: city.name,
      category: employee ? 'employee' : 'resident',
      insuranceTypes: [...(employee ? (rng.chance(0.92) ? EMPLOYEE_TYPES : RESIDENT_TYPES) : RESIDENT_TYPES)],
      employer,
      monthlyBase,
      monthsContributed,
      accountBalance,
      firstInsuredAt,
      status: force || rng.chance(0.92) ? 'active' : 'suspended',
    }
    return record('social_security', c.id, c, city.code, data)
  }

  const realEstate = (c: DemoCitizen, i: number, force: boolean): DataRecordOf<'real_estate'> | null => {
    const rng = streamOf('real_estate', i)
    if (!rng.chance(RECORD_SHARES.realEstate) && !force) return null
    const home = places.region(c.regionCode.slice(0, 6))
    const city = places.region(home.parentCode ?? '')
    const counties = places.countiesOf(city.code)
    const county = force || rng.chance(0.8) || counties.length === 0 ? home : rng.pick(counties)
    const streets = places.streetsOf(county.code)
    const street = county === home ? places.region(c.regionCode) : rng.pick(streets)
    const u = rng.next()
    const usage: PropertyUsage = force || u < 0.88 ? 'residential' : u < 0.95 ? 'commercial' : 'office'
    const area =
      usage === 'residential'
        ? Math.min(240, Math.max(45, 100 + 30 * rng.normal()))
        : usage === 'commercial'
          ? rng.float(25, 300)
          : rng.float(50, 220)
    const registeredAt = drawDate(rng, maxDate(addYears(c.birthDate, 22), '1998-01-01'), '2026-10-31')
    const parcel = String(parcelNumbers.apply(i)).padStart(10, '0')
    const place =
      usage === 'residential'
        ? places.home(rng, street.code)
        : { address: places.businessAddress(rng, street.code), village: false }
    const data: RealEstateData = {
      certificateNumber: `${PROVINCE_ABBREVIATION}（${registeredAt.slice(0, 4)}）${city.name}不动产权第${String(certificateNumbers.apply(i)).padStart(7, '0')}号`,
      // county (6) + cadastral zone/subzone (6) + GB + parcel (5) + F + building/unit (8) = 28
      unitNumber: `${county.code}${parcel.slice(0, 3)}${parcel.slice(3, 6)}${place.village ? 'JC' : 'GB'}${parcel.slice(6)}${rng.int(0, 9)}F${String(rng.int(1, 99)).padStart(4, '0')}${String(rng.int(1, 3400)).padStart(4, '0')}`,
      owner: { name: c.name, idNumber: c.idNumber },
      address: place.address,
      area: round2(area),
      usage,
      rightType: place.village ? '宅基地使用权/房屋所有权' : '国有建设用地使用权/房屋所有权',
      ownership: rng.chance(0.55) ? 'sole' : 'joint',
      // Homestead land (宅基地) has no term.
      landUseEnd: place.village
        ? null
        : addYears(drawDate(rng, '1995-01-01', registeredAt), USAGE_LAND_YEARS[usage]),
      registeredAt,
    }
    return record('real_estate', c.id, c, county.code, data)
  }

  const recordsOf = (citizen: DemoCitizen): DataRecord[] => {
    const i = citizenIndex(citizen)
    const force = i === 0
    const age = ageOn(citizen.birthDate)
    const out: DataRecord[] = [household(citizen, i, age)]
    const b = business(citizen, i, force)
    if (b) out.push(b)
    const t = tax(citizen, i, force)
    if (t) out.push(t)
    const s = socialSecurity(citizen, i, age, force)
    if (s) out.push(s)
    const r = realEstate(citizen, i, force)
    if (r) out.push(r)
    return out
  }

  return {
    recordsOf,
    *batches(batchSize = 5000): Generator<DataRecord[]> {
      for (const citizens of province.citizens(batchSize)) {
        const out: DataRecord[] = []
        for (const c of citizens) for (const r of recordsOf(c)) out.push(r)
        yield out
      }
    },
  }
}
