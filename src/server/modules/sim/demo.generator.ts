/**
 * Deterministic generator of the demo province 潇湘省 (code 43): regions with synthetic geometry and
 * population, departments, staff and a lazy stream of citizens. Pure: the same seed and scale always
 * give the same province, and nothing reads the clock, the disk or `Math.random`.
 *
 * Every random decision draws from its own labelled PRNG stream (`Rng.for(seed, label)`), so
 * changing one part of the generator does not reshuffle the others.
 * @module
 */
import {
  DEPARTMENT_KINDS,
  type DepartmentKind,
  type LonLat,
  type RegionLevel,
  type Role,
} from '../../../shared/domain.js'
import { makeCitizenStream } from './citizens.js'
import type {
  DemoCitizen,
  DemoDepartment,
  DemoOptions,
  DemoProvince,
  DemoRegion,
  DemoScale,
  DemoStaff,
} from './demo.model.js'
import {
  type MultiPolygon,
  bboxOf,
  cleanMultiPolygon,
  labelPoint,
  makeOutline,
  pointInMultiPolygon,
  relaxSeeds,
  sampleSeeds,
  toGeometry,
  voronoiPartition,
} from './geometry.js'
import { CAPITAL_NAME, OTHER_CITY_NAMES, PROVINCE_NAME, drawPersonName, drawPlaceStem } from './names.js'
import { Rng } from './rng.js'

export { checkDigit, isValidIdNumber } from '../../../shared/idnumber.js'
export { CITIZEN_AGE_RANGE, DEMO_CITIZEN_USERNAME, DEMO_REFERENCE_DATE } from './citizens.js'

/** Seed of the default demo province. */
export const DEFAULT_DEMO_SEED = 20261127

/** Code of the demo province. */
export const DEMO_PROVINCE_CODE = '43'

/** Code of the capital, 星城市. */
export const DEMO_CAPITAL_CODE = '4301'

/** Number of citizens `citizens()` yields at each scale. */
export const CITIZEN_COUNT: Record<DemoScale, number> = { small: 2_000, province: 1_000_000 }

/** Box the province outline is fitted into: `[minLon, minLat, maxLon, maxLat]`. */
export const DEMO_PROVINCE_BOUNDS: [number, number, number, number] = [108.85, 24.65, 114.25, 30.05]

/** Department kinds at the province and at every city (government_office … medical_security). */
export const CITY_DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  'government_office',
  'data_bureau',
  'market_regulation',
  'tax',
  'public_security',
  'human_resources_social_security',
  'natural_resources',
  'housing_construction',
  'civil_affairs',
  'health',
  'education',
  'ecology_environment',
  'transport',
  'medical_security',
  'organisation_department',
]

/** Department kinds at every county. */
export const COUNTY_DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  'government_office',
  'data_bureau',
  'market_regulation',
  'tax',
  'public_security',
  'human_resources_social_security',
  'natural_resources',
  'housing_construction',
  'civil_affairs',
  'medical_security',
  'organisation_department',
]

/** Department kinds at every street. */
export const STREET_DEPARTMENT_KINDS: readonly DepartmentKind[] = ['street_office', 'service_center']

/** Short ASCII tags of department kinds, used in generated usernames (`u4301mkt003`). */
const KIND_TAG: Record<DepartmentKind, string> = {
  government_office: 'gov',
  data_bureau: 'data',
  market_regulation: 'mkt',
  tax: 'tax',
  public_security: 'ps',
  human_resources_social_security: 'hrss',
  natural_resources: 'nr',
  housing_construction: 'hc',
  civil_affairs: 'ca',
  health: 'hlth',
  education: 'edu',
  ecology_environment: 'eco',
  transport: 'trans',
  medical_security: 'ms',
  street_office: 'so',
  service_center: 'sc',
  organisation_department: 'org',
}

/** What kind of division a region is; decides its code range, name suffix and character. */
type DivisionKind =
  'province' | 'city' | 'district' | 'county' | 'countyCity' | 'subdistrict' | 'town' | 'township'

const SUFFIX: Record<DivisionKind, string> = {
  province: '省',
  city: '市',
  district: '区',
  county: '县',
  countyCity: '市',
  subdistrict: '街道',
  town: '镇',
  township: '乡',
}

/** First code suffix of each kind within its parent (districts 01, counties 21, cities 81, …). */
const FIRST_SUFFIX: Partial<Record<DivisionKind, number>> = {
  district: 1,
  county: 21,
  countyCity: 81,
  subdistrict: 1,
  town: 100,
  township: 200,
}

interface Node {
  code: string
  name: string
  level: RegionLevel
  division: DivisionKind
  parent: Node | null
  children: Node[]
  population: number
  /** Relative population weight among siblings. */
  weight: number
  shape: MultiPolygon
  centroid: LonLat
}

const TARGET_COUNTIES = 120
const TARGET_STREETS = 1500

/**
 * Generates the demo province for a seed and scale. Deterministic and pure; `small` takes well under
 * two seconds including geometry. Citizens are produced lazily by the returned `citizens()`.
 */
export function generateDemoProvince(options: DemoOptions): DemoProvince {
  const { seed, scale } = options
  if (scale !== 'small' && scale !== 'province') throw new RangeError(`unknown demo scale ${String(scale)}`)
  const province = planRegions(seed)
  allocatePopulation(seed, province)
  buildGeometry(seed, province)

  const all = flatten(province)
  const regions: DemoRegion[] = all.map((n) => ({
    code: n.code,
    name: n.name,
    level: n.level,
    parentCode: n.parent ? n.parent.code : null,
    population: n.population,
    centroid: n.centroid,
    geometry: toGeometry(n.shape),
  }))

  const departments = buildDepartments(all)
  const staff = buildStaff(seed, scale, departments, all)

  const streets = all.filter((n) => n.level === 'street')
  const capital = province.children[0] as Node
  const demoStreet = firstStreetOfFirstDistrict(capital)
  const citizenCount = CITIZEN_COUNT[scale]
  const citizens: (batchSize?: number) => Generator<DemoCitizen[]> = makeCitizenStream(
    seed,
    citizenCount,
    streets.map((s) => ({ code: s.code, population: s.population })),
    demoStreet.code,
  )
  return { regions, departments, staff, citizenCount, citizens }
}

/** All nodes, level by level (province, cities, counties, streets), in code order within a level. */
function flatten(root: Node): Node[] {
  const out: Node[] = []
  let level: Node[] = [root]
  while (level.length > 0) {
    out.push(...level)
    level = level.flatMap((n) => n.children)
  }
  return out
}

function firstStreetOfFirstDistrict(city: Node): Node {
  const district = city.children.find((c) => c.division === 'district') ?? city.children[0]
  const street = district?.children[0]
  if (!street) throw new Error(`city ${city.code} has no streets`)
  return street
}

function makeNode(
  code: string,
  name: string,
  level: RegionLevel,
  division: DivisionKind,
  parent: Node | null,
): Node {
  const node: Node = {
    code,
    name,
    level,
    division,
    parent,
    children: [],
    population: 0,
    weight: 1,
    shape: [],
    centroid: [0, 0],
  }
  parent?.children.push(node)
  return node
}

/** Adjusts integer `counts` by ±1 steps (within [min, max]) until they sum to `target`. */
function adjustToTotal(
  rng: Rng,
  counts: number[],
  target: number,
  min: number,
  max: number,
  frozen = new Set<number>(),
): void {
  let sum = counts.reduce((a, b) => a + b, 0)
  let guard = 0
  while (sum !== target && guard++ < 100_000) {
    const i = rng.int(0, counts.length - 1)
    if (frozen.has(i)) continue
    const c = counts[i] as number
    if (sum < target && c < max) {
      counts[i] = c + 1
      sum++
    } else if (sum > target && c > min) {
      counts[i] = c - 1
      sum--
    }
  }
}

/** Builds the region tree: codes, names and kinds, without population or geometry. */
function planRegions(seed: number): Node {
  const rng = Rng.for(seed, 'plan')
  const province = makeNode(DEMO_PROVINCE_CODE, PROVINCE_NAME, 'province', 'province', null)
  const cityNames = [CAPITAL_NAME, ...OTHER_CITY_NAMES]
  const cities = cityNames.map((name, i) =>
    makeNode(DEMO_PROVINCE_CODE + String(i + 1).padStart(2, '0'), name, 'city', 'city', province),
  )

  // Counties per city: the capital has 13, the others 5–12, about 120 in all.
  const countyCounts = cities.map((_, i) => (i === 0 ? 13 : rng.int(6, 11)))
  adjustToTotal(rng, countyCounts, TARGET_COUNTIES + rng.int(-2, 2), 5, 12, new Set([0]))

  const countyStems = new Set<string>(cityNames.map((n) => n.slice(0, -1)))
  countyStems.add(PROVINCE_NAME.slice(0, -1))
  const counties: Node[] = []
  cities.forEach((city, ci) => {
    const n = countyCounts[ci] as number
    let districts: number
    let countyCities: number
    if (ci === 0) {
      districts = 9
      countyCities = 2
    } else {
      districts = n >= 9 ? rng.int(2, 4) : n >= 7 ? rng.int(2, 3) : rng.int(1, 2)
      countyCities = rng.int(0, n >= 8 ? 2 : 1)
    }
    const plain = n - districts - countyCities
    const kinds: [DivisionKind, number][] = [
      ['district', districts],
      ['county', plain],
      ['countyCity', countyCities],
    ]
    for (const [division, count] of kinds) {
      for (let k = 0; k < count; k++) {
        const stem = drawPlaceStem(rng, countyStems, 0.04)
        countyStems.add(stem)
        const code = city.code + String((FIRST_SUFFIX[division] as number) + k).padStart(2, '0')
        counties.push(makeNode(code, stem + SUFFIX[division], 'county', division, city))
      }
    }
  })

  // Streets per county: 8–18, about 1,500 in all; urban districts of the capital a little more.
  const streetCounts = counties.map((c) =>
    c.division === 'district' && c.parent === cities[0] ? rng.int(11, 18) : rng.int(8, 17),
  )
  adjustToTotal(rng, streetCounts, TARGET_STREETS + rng.int(-20, 20), 8, 18)

  counties.forEach((county, i) => {
    const n = streetCounts[i] as number
    const inCapital = county.parent === cities[0]
    let subdistricts: number
    let townships: number
    if (county.division === 'district') {
      subdistricts = n - (inCapital ? (rng.chance(0.6) ? 0 : rng.int(1, 2)) : rng.int(1, 4))
      townships = 0
    } else if (county.division === 'countyCity') {
      subdistricts = rng.int(3, 6)
      townships = rng.int(0, 2)
    } else {
      subdistricts = rng.int(0, 3)
      townships = rng.int(2, 5)
    }
    const towns = Math.max(1, n - subdistricts - townships)
    townships = n - subdistricts - towns
    const stems = new Set<string>([county.name.slice(0, -1)])
    const kinds: [DivisionKind, number][] = [
      ['subdistrict', subdistricts],
      ['town', towns],
      ['township', townships],
    ]
    for (const [division, count] of kinds) {
      for (let k = 0; k < count; k++) {
        const stem = drawPlaceStem(rng, stems, 0.22)
        stems.add(stem)
        const code = county.code + String((FIRST_SUFFIX[division] as number) + k).padStart(3, '0')
        makeNode(code, stem + SUFFIX[division], 'street', division, county)
      }
    }
  })
  return province
}

/** Splits `total` into non-negative integers proportional to `weights`, summing exactly to `total`. */
export function splitInteger(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const raw = weights.map((w) => (total * w) / sum)
  const out = raw.map(Math.floor)
  let rest = total - out.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) {
    const i = (order[k] as readonly [number, number])[1]
    out[i] = (out[i] as number) + 1
  }
  return out
}

/** Populations, top-down: each parent's population is split exactly among its children. */
function allocatePopulation(seed: number, province: Node): void {
  const rng = Rng.for(seed, 'population')
  province.population = 66_000_000 + rng.int(-300, 300) * 1000
  const [capital, ...others] = province.children
  if (!capital) throw new Error('no cities')
  // The capital takes 15–17 %; the others share the rest with weights 0.6–1.4 per county.
  const capitalShare = rng.float(0.15, 0.17)
  const otherWeights = others.map((c) => rng.float(0.6, 1.4) * Math.sqrt(c.children.length))
  const otherSum = otherWeights.reduce((a, b) => a + b, 0)
  capital.weight = capitalShare
  others.forEach((c, i) => (c.weight = ((otherWeights[i] as number) / otherSum) * (1 - capitalShare)))
  const inCapital = (n: Node): boolean => n.code.startsWith(capital.code)
  const weightOf = (n: Node): number => {
    switch (n.division) {
      case 'district':
        return inCapital(n) ? rng.float(2.6, 4.0) : rng.float(1.8, 3.0)
      case 'countyCity':
        return rng.float(1.0, 1.5)
      case 'county':
        return rng.float(0.6, 1.2)
      case 'subdistrict':
        return n.parent?.division === 'district' ? rng.float(1.2, 2.2) : rng.float(0.8, 1.4)
      case 'town':
        return rng.float(0.5, 1.1)
      case 'township':
        return rng.float(0.2, 0.45)
      case 'province':
      case 'city':
        return 1
    }
  }
  const visit = (n: Node): void => {
    if (n.children.length === 0) return
    if (n !== province) n.children.forEach((c) => (c.weight = weightOf(c)))
    const parts = splitInteger(
      n.population,
      n.children.map((c) => c.weight),
    )
    n.children.forEach((c, i) => {
      c.population = parts[i] as number
      visit(c)
    })
  }
  visit(province)
}

/** Clockwise angle from north of `p` seen from `center`, in [0, 2π). */
function bearing(center: readonly [number, number], p: readonly [number, number]): number {
  const a = Math.atan2(p[0] - center[0], p[1] - center[1])
  return a < 0 ? a + 2 * Math.PI : a
}

/**
 * Partitions `parent.shape` among its children. Children are grouped: the "core" group (the capital,
 * urban districts, 街道) gets seeds clustered around `center`, the others spread out. Within each
 * group, codes go clockwise from north around the centre. Retries with fresh seeds in the (rare) case
 * that a cell vanishes after rounding.
 */
function partitionChildren(
  seed: number,
  parent: Node,
  isCore: (n: Node) => boolean,
  center: readonly [number, number],
  relaxRounds: number,
): void {
  const children = parent.children
  const core = children.filter(isCore)
  const rest = children.filter((c) => !isCore(c))
  const coreShare = core.length / children.length
  for (let attempt = 0; attempt < 8; attempt++) {
    const rng = Rng.for(seed, `geometry:${parent.code}:${attempt}`)
    let seeds = sampleSeeds(rng, parent.shape, {
      core: core.length,
      rest: rest.length,
      center,
      coreRadius: 0.2 + 0.6 * coreShare,
    })
    for (let r = 0; r < relaxRounds; r++) seeds = relaxSeeds(parent.shape, seeds, core.length)
    const cells = voronoiPartition(parent.shape, seeds).map((c) => cleanMultiPolygon(c))
    if (cells.some((c) => c.length === 0)) continue
    const labels = cells.map(labelPoint)
    const indices = children.map((_, i) => i)
    const coreIdx = indices.slice(0, core.length)
    // Among the spread-out cells, the nearest to the centre go to the first group (e.g. 镇 before 乡).
    const restIdx = indices
      .slice(core.length)
      .sort((a, b) => dist(center, labels[a] as LonLat) - dist(center, labels[b] as LonLat) || a - b)
    const assign = (group: Node[], idx: number[]): void => {
      // Split the group by division (e.g. counties vs county-level cities) keeping the distance order.
      const divisions = [...new Set(group.map((g) => g.division))]
      let offset = 0
      for (const d of divisions) {
        const members = group.filter((g) => g.division === d)
        const cellIdx = idx
          .slice(offset, offset + members.length)
          .sort(
            (a, b) => bearing(center, labels[a] as LonLat) - bearing(center, labels[b] as LonLat) || a - b,
          )
        offset += members.length
        members.forEach((m, k) => {
          const ci = cellIdx[k] as number
          m.shape = cells[ci] as MultiPolygon
          m.centroid = labels[ci] as LonLat
        })
      }
    }
    assign(core, coreIdx)
    assign(rest, shuffleIfMixed(rng, rest, restIdx))
    return
  }
  throw new Error(`could not partition region ${parent.code}`)
}

/**
 * For counties vs county-level cities there is no natural distance order, so mix them; for 镇/乡 keep
 * the distance order (乡 are the remote ones).
 */
function shuffleIfMixed(rng: Rng, group: Node[], idx: number[]): number[] {
  return group.some((g) => g.division === 'countyCity') ? rng.shuffle(idx) : idx
}

function dist(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

/** Outline, then Voronoi cells level by level, each clipped to its parent. */
function buildGeometry(seed: number, province: Node): void {
  const outlineRng = Rng.for(seed, 'outline')
  const outline = makeOutline(outlineRng, DEMO_PROVINCE_BOUNDS, outlineRng.int(140, 170))
  province.shape = cleanMultiPolygon([[outline]])
  province.centroid = labelPoint(province.shape)

  // The capital sits north-east of the middle, like Changsha in Hunan.
  const [x0, y0, x1, y1] = bboxOf(province.shape)
  let capitalCenter: [number, number] = [x0 + (x1 - x0) * 0.64, y0 + (y1 - y0) * 0.66]
  if (!pointInMultiPolygon(capitalCenter, province.shape))
    capitalCenter = [province.centroid[0], province.centroid[1]]
  partitionChildren(seed, province, (c) => c.code === DEMO_CAPITAL_CODE, capitalCenter, 2)

  for (const city of province.children) {
    partitionChildren(seed, city, (c) => c.division === 'district', city.centroid, 1)
    for (const county of city.children) {
      partitionChildren(seed, county, (c) => c.division === 'subdistrict', county.centroid, 1)
    }
  }
}

/** Departments of every region, in region order. */
function buildDepartments(all: Node[]): DemoDepartment[] {
  const out: DemoDepartment[] = []
  for (const n of all) {
    const kinds =
      n.level === 'street'
        ? STREET_DEPARTMENT_KINDS
        : n.level === 'county'
          ? COUNTY_DEPARTMENT_KINDS
          : CITY_DEPARTMENT_KINDS
    for (const kind of kinds)
      out.push({ id: `${n.code}-${kind}`, name: departmentName(n, kind), regionCode: n.code, kind })
  }
  return out
}

function departmentName(n: Node, kind: DepartmentKind): string {
  if (kind === 'street_office') return n.division === 'subdistrict' ? `${n.name}办事处` : `${n.name}人民政府`
  return n.name + DEPARTMENT_KINDS[kind].zh
}

/**
 * The 科员 of the demo county's departments that work 企业开办 (BIZ_STARTUP) after the window accepts
 * it, so the README's accounts can take citizen.demo's case to the end.
 */
const COUNTY_DEMO_ACCOUNTS: Partial<Record<DepartmentKind, string>> = {
  market_regulation: 'market.demo',
  public_security: 'police.demo',
  tax: 'tax.demo',
  human_resources_social_security: 'hrss.demo',
}

/** Staff of every department; see the module README for the named demo accounts. */
function buildStaff(seed: number, scale: DemoScale, departments: DemoDepartment[], all: Node[]): DemoStaff[] {
  const byCode = new Map(all.map((n) => [n.code, n]))
  const capital = byCode.get(DEMO_CAPITAL_CODE) as Node
  const demoStreet = firstStreetOfFirstDistrict(capital)
  const clerkDept = `${demoStreet.code}-service_center`
  // The county of citizen.demo and clerk.demo: its departments work 企业开办's four parallel steps.
  const demoCounty = demoStreet.code.slice(0, 6)
  const big = scale === 'province'
  const staff: DemoStaff[] = []

  for (const dept of departments) {
    const region = byCode.get(dept.regionCode) as Node
    const rng = Rng.for(seed, `staff:${dept.id}`)
    const tag = `u${dept.regionCode}${KIND_TAG[dept.kind]}`
    let seq = 0
    const add = (position: string, roles: Role[], username?: string): DemoStaff => {
      seq++
      const nnn = String(seq).padStart(3, '0')
      const s: DemoStaff = {
        id: `st-${dept.id}-${nnn}`,
        username: username ?? `${tag}${nnn}`,
        name: drawPersonName(rng, rng.chance(0.55) ? 'M' : 'F'),
        departmentId: dept.id,
        position,
        roles,
      }
      staff.push(s)
      return s
    }

    if (dept.kind === 'service_center') {
      const clerks = big ? 3 : 1
      for (let i = 0; i < clerks; i++) {
        add('窗口受理员', ['clerk'], dept.id === clerkDept && i === 0 ? 'clerk.demo' : undefined)
      }
      continue
    }
    // The organisation department assesses cadres (组织评价); it holds no cases and oversees none.
    if (dept.kind === 'organisation_department') {
      const province = region.level === 'province'
      add('部长', ['organisation'])
      add('干部考核科科员', ['organisation'], province ? 'orgdept.demo' : undefined)
      continue
    }
    if (dept.kind === 'street_office') {
      add('主任', ['leader'])
      if (big) for (let i = 0; i < 2; i++) add('科员', ['official'])
      continue
    }

    const isCity = region.level === 'city'
    const isDemoDept = dept.id === `${DEMO_CAPITAL_CODE}-market_regulation`
    // The cities' data bureau directors lead their city; the demo county's leads the county (scoping:
    // a county leader sees the county's scorecards and cases, not the city's).
    const leaderName =
      dept.kind !== 'data_bureau'
        ? undefined
        : isCity
          ? `leader.${region.code}`
          : dept.regionCode === demoCounty
            ? `leader.${demoCounty}`
            : undefined
    add('局长', ['leader'], leaderName)
    const countyDemo = dept.regionCode === demoCounty ? COUNTY_DEMO_ACCOUNTS[dept.kind] : undefined
    // market.demo's supervisor decides the contests of its appeals' chains in the demo walk-through.
    const supervisorName = isDemoDept
      ? 'supervisor.demo'
      : countyDemo === 'market.demo'
        ? 'market.supervisor.demo'
        : undefined
    add('副局长', ['supervisor'], supervisorName)
    const upper = region.level !== 'county'
    const sectionChiefs = big ? (upper ? 2 : 1) : 0
    const officials = (upper ? 2 : 1) * (big ? 5 : 1)
    for (let i = 0; i < sectionChiefs; i++) add('科长', ['supervisor'])
    for (let i = 0; i < officials; i++)
      add('科员', ['official'], i === 0 ? (isDemoDept ? 'official.demo' : countyDemo) : undefined)

    // The capital's 12345 hotline sits in its government office: operators take calls on the fast entry form.
    if (dept.kind === 'government_office' && dept.regionCode === DEMO_CAPITAL_CODE)
      add('12345热线话务员', ['clerk'], 'hotline.demo')
    if (dept.kind === 'data_bureau' && region.level === 'province') {
      add('系统管理员', ['admin'], 'admin')
      add('安全审计员', ['auditor'], 'auditor')
      add('数据管理员', ['data_admin'], 'dataadmin')
      add('流程工程师', ['process_engineer'], 'engineer')
    } else if (dept.kind === 'data_bureau' && isCity) {
      add('系统管理员', ['admin'], `admin.${region.code}`)
      add('安全审计员', ['auditor'], `auditor.${region.code}`)
    }
  }
  return staff
}
