import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEPARTMENT_KINDS, REGION_CODE_LENGTH, type RegionLevel } from '../../../shared/domain.js'
import {
  CITIZEN_AGE_RANGE,
  CITY_DEPARTMENT_KINDS,
  COUNTY_DEPARTMENT_KINDS,
  DEFAULT_DEMO_SEED,
  DEMO_CAPITAL_CODE,
  DEMO_REFERENCE_DATE,
  checkDigit,
  generateDemoProvince,
  isValidIdNumber,
  splitInteger,
} from './demo.generator.js'
import type { DemoCitizen, DemoProvince, DemoRegion } from './demo.model.js'
import {
  coordinateCount,
  multiPolygonArea,
  pointInGeometry,
  ringSignedArea,
  toMultiPolygon,
} from './geometry.js'

const small = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
const byCode = new Map(small.regions.map((r) => [r.code, r]))
const childrenOf = new Map<string, DemoRegion[]>()
for (const r of small.regions) {
  if (r.parentCode === null) continue
  const list = childrenOf.get(r.parentCode) ?? []
  list.push(r)
  childrenOf.set(r.parentCode, list)
}
const ofLevel = (level: RegionLevel): DemoRegion[] => small.regions.filter((r) => r.level === level)

function allCitizens(p: DemoProvince, batchSize?: number): DemoCitizen[] {
  const out: DemoCitizen[] = []
  for (const batch of p.citizens(batchSize)) out.push(...batch)
  return out
}

/** Independent MOD 11-2 check: Σ aᵢ·2^(17−i) ≡ 1 (mod 11), with X standing for 10. */
function checksumHolds(id: string): boolean {
  let sum = 0
  for (let i = 0; i < 18; i++) {
    const ch = id[i] as string
    const a = ch === 'X' ? 10 : Number(ch)
    sum += a * (2 ** (17 - i) % 11)
  }
  return sum % 11 === 1
}

describe('determinism', () => {
  it('gives identical output for the same seed and scale', () => {
    const again = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
    expect(JSON.stringify(again.regions)).toBe(JSON.stringify(small.regions))
    expect(again.departments).toEqual(small.departments)
    expect(again.staff).toEqual(small.staff)
    expect(allCitizens(again)).toEqual(allCitizens(small))
  })

  it('differs for a different seed', () => {
    const other = generateDemoProvince({ seed: DEFAULT_DEMO_SEED + 1, scale: 'small' })
    expect(JSON.stringify(other.regions)).not.toBe(JSON.stringify(small.regions))
    expect(other.staff.map((s) => s.name)).not.toEqual(small.staff.map((s) => s.name))
    expect(allCitizens(other)).not.toEqual(allCitizens(small))
    // The fixed skeleton stays.
    expect(other.regions.filter((r) => r.level === 'city').map((r) => r.name)).toEqual(
      ofLevel('city').map((r) => r.name),
    )
  })

  it('rejects an unknown scale', () => {
    expect(() => generateDemoProvince({ seed: 1, scale: 'huge' as never })).toThrow(RangeError)
  })
})

describe('regions', () => {
  it('has one province 43, 14 cities 4301–4314, ~120 counties and ~1,500 streets', () => {
    const provinces = ofLevel('province')
    expect(provinces).toHaveLength(1)
    expect(provinces[0]).toMatchObject({ code: '43', name: '潇湘省', parentCode: null })
    expect(ofLevel('city').map((c) => c.code)).toEqual(
      Array.from({ length: 14 }, (_, i) => `43${String(i + 1).padStart(2, '0')}`),
    )
    expect(byCode.get('4301')?.name).toBe('星城市')
    const counties = ofLevel('county').length
    const streets = ofLevel('street').length
    expect(counties).toBeGreaterThanOrEqual(100)
    expect(counties).toBeLessThanOrEqual(140)
    expect(streets).toBeGreaterThanOrEqual(1300)
    expect(streets).toBeLessThanOrEqual(1700)
  })

  it('gives every region a well-formed code under an existing parent', () => {
    const codes = new Set<string>()
    const parentLevel: Record<RegionLevel, RegionLevel | null> = {
      province: null,
      city: 'province',
      county: 'city',
      street: 'county',
    }
    for (const r of small.regions) {
      expect(codes.has(r.code), `duplicate ${r.code}`).toBe(false)
      codes.add(r.code)
      expect(r.code).toMatch(/^\d+$/)
      expect(r.code.length, r.code).toBe(REGION_CODE_LENGTH[r.level])
      const pl = parentLevel[r.level]
      if (pl === null) {
        expect(r.parentCode).toBeNull()
        continue
      }
      const parent = byCode.get(r.parentCode ?? '')
      expect(parent, `parent of ${r.code}`).toBeDefined()
      expect(parent?.level).toBe(pl)
      expect(r.code.startsWith(r.parentCode as string), r.code).toBe(true)
    }
  })

  it('names regions with suffixes that match their code ranges, unique among siblings', () => {
    for (const [parentCode, children] of childrenOf) {
      const names = children.map((c) => c.name)
      expect(new Set(names).size, `siblings of ${parentCode}`).toBe(names.length)
    }
    for (const r of small.regions) {
      if (r.level === 'city') expect(r.name).toMatch(/^\p{Script=Han}{2,3}市$/u)
      if (r.level === 'county') {
        const n = Number(r.code.slice(4))
        const suffix = n <= 20 ? '区' : n >= 81 ? '市' : '县'
        expect(n, r.code).toBeGreaterThanOrEqual(1)
        expect(r.name, r.code).toMatch(new RegExp(`^\\p{Script=Han}{2,3}${suffix}$`, 'u'))
      }
      if (r.level === 'street') {
        const n = Number(r.code.slice(6))
        const suffix = n < 100 ? '街道' : n < 200 ? '镇' : '乡'
        expect(n, r.code).toBeGreaterThanOrEqual(1)
        expect(n, r.code).toBeLessThan(300)
        expect(r.name, r.code).toMatch(new RegExp(`^\\p{Script=Han}{2,3}${suffix}$`, 'u'))
      }
    }
  })

  it('gives each city 5–13 counties (the capital most) and each county 8–18 streets', () => {
    const counts = ofLevel('city').map((c) => childrenOf.get(c.code)?.length ?? 0)
    for (const n of counts) {
      expect(n).toBeGreaterThanOrEqual(5)
      expect(n).toBeLessThanOrEqual(13)
    }
    expect(counts[0]).toBe(Math.max(...counts))
    for (const county of ofLevel('county')) {
      const n = childrenOf.get(county.code)?.length ?? 0
      expect(n, county.code).toBeGreaterThanOrEqual(8)
      expect(n, county.code).toBeLessThanOrEqual(18)
    }
    // Urban districts are mostly 街道, counties mostly 镇/乡.
    const share = (kind: 'district' | 'county'): number => {
      const streets = ofLevel('county')
        .filter((c) =>
          kind === 'district'
            ? Number(c.code.slice(4)) <= 20
            : Number(c.code.slice(4)) >= 21 && Number(c.code.slice(4)) < 81,
        )
        .flatMap((c) => childrenOf.get(c.code) ?? [])
      return streets.filter((s) => s.name.endsWith('街道')).length / streets.length
    }
    expect(share('district')).toBeGreaterThan(0.7)
    expect(share('county')).toBeLessThan(0.25)
  })

  it('sums populations exactly up the tree, the capital largest, ≈66 million', () => {
    for (const r of small.regions) {
      expect(Number.isInteger(r.population)).toBe(true)
      expect(r.population, r.code).toBeGreaterThan(0)
      const children = childrenOf.get(r.code)
      if (children)
        expect(
          children.reduce((s, c) => s + c.population, 0),
          r.code,
        ).toBe(r.population)
      else expect(r.level).toBe('street')
    }
    const province = byCode.get('43') as DemoRegion
    expect(province.population).toBeGreaterThan(65_000_000)
    expect(province.population).toBeLessThan(67_000_000)
    const cities = ofLevel('city')
    expect(cities[0]?.population).toBe(Math.max(...cities.map((c) => c.population)))
  })

  it('makes urban districts denser than rural counties', () => {
    const density = (pred: (n: number) => boolean): number => {
      const cs = ofLevel('county').filter((c) => pred(Number(c.code.slice(4))))
      const pop = cs.reduce((s, c) => s + c.population, 0)
      const area = cs.reduce((s, c) => s + multiPolygonArea(toMultiPolygon(c.geometry)), 0)
      return pop / area
    }
    expect(density((n) => n <= 20)).toBeGreaterThan(2 * density((n) => n >= 21 && n < 81))
  })
})

describe('geometry', () => {
  const [minLon, minLat, maxLon, maxLat] = [108.8, 24.6, 114.3, 30.1]
  const inBounds = ([x, y]: readonly [number, number]): boolean =>
    x >= minLon && x <= maxLon && y >= minLat && y <= maxLat

  it('gives every region a closed, counter-clockwise, rounded polygon within bounds', () => {
    for (const r of small.regions) {
      expect(['Polygon', 'MultiPolygon']).toContain(r.geometry.type)
      const polys = toMultiPolygon(r.geometry)
      expect(polys.length, r.code).toBeGreaterThan(0)
      for (const poly of polys) {
        poly.forEach((ring, i) => {
          expect(ring.length, r.code).toBeGreaterThanOrEqual(4)
          expect(ring[0], r.code).toEqual(ring[ring.length - 1])
          const area = ringSignedArea(ring)
          if (i === 0) expect(area, r.code).toBeGreaterThan(0)
          else expect(area, r.code).toBeLessThan(0)
          for (const p of ring) {
            expect(inBounds(p), `${r.code} ${p.join(',')}`).toBe(true)
            expect(Math.round(p[0] * 1e5) / 1e5).toBe(p[0])
            expect(Math.round(p[1] * 1e5) / 1e5).toBe(p[1])
          }
        })
      }
    }
  })

  it('has an irregular province outline of 80–200 vertices', () => {
    const outline = toMultiPolygon((byCode.get('43') as DemoRegion).geometry)
    expect(outline).toHaveLength(1)
    const ring = outline[0]?.[0] ?? []
    expect(ring.length).toBeGreaterThanOrEqual(81)
    expect(ring.length).toBeLessThanOrEqual(201)
    // Not a rectangle: the outline fills clearly less than its bounding box.
    const xs = ring.map((p) => p[0])
    const ys = ring.map((p) => p[1])
    const boxArea = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys))
    expect(ringSignedArea(ring) / boxArea).toBeLessThan(0.9)
  })

  it('puts every centroid inside its own region and inside its parent', () => {
    for (const r of small.regions) {
      const c = r.centroid
      expect(c, r.code).not.toBeNull()
      if (!c) continue
      expect(inBounds(c), r.code).toBe(true)
      expect(pointInGeometry(c, r.geometry), `centroid of ${r.code}`).toBe(true)
      if (r.parentCode) {
        const parent = byCode.get(r.parentCode) as DemoRegion
        expect(pointInGeometry(c, parent.geometry), `${r.code} in ${r.parentCode}`).toBe(true)
      }
    }
  })

  it('tiles each parent with its children (areas add up)', () => {
    for (const [parentCode, children] of childrenOf) {
      const parentArea = multiPolygonArea(toMultiPolygon((byCode.get(parentCode) as DemoRegion).geometry))
      const sum = children.reduce((s, c) => s + multiPolygonArea(toMultiPolygon(c.geometry)), 0)
      expect(Math.abs(sum - parentArea) / parentArea, parentCode).toBeLessThan(1e-3)
    }
  })

  it('keeps the total coordinate count moderate', () => {
    const total = small.regions.reduce((s, r) => s + coordinateCount(r.geometry), 0)
    expect(total).toBeLessThan(300_000)
  })
})

describe('departments', () => {
  it('creates the right kinds at each level with readable ids and names', () => {
    const ids = new Set(small.departments.map((d) => d.id))
    expect(ids.size).toBe(small.departments.length)
    const kindsAt = new Map<string, string[]>()
    for (const d of small.departments) {
      expect(d.id).toBe(`${d.regionCode}-${d.kind}`)
      expect(byCode.has(d.regionCode)).toBe(true)
      kindsAt.set(d.regionCode, [...(kindsAt.get(d.regionCode) ?? []), d.kind])
      const region = byCode.get(d.regionCode) as DemoRegion
      if (d.kind === 'street_office') {
        expect(d.name).toBe(region.name.endsWith('街道') ? `${region.name}办事处` : `${region.name}人民政府`)
      } else {
        expect(d.name).toBe(region.name + DEPARTMENT_KINDS[d.kind].zh)
      }
    }
    for (const r of small.regions) {
      const kinds = kindsAt.get(r.code)
      if (r.level === 'province' || r.level === 'city') expect(kinds).toEqual(CITY_DEPARTMENT_KINDS)
      else if (r.level === 'county') expect(kinds).toEqual(COUNTY_DEPARTMENT_KINDS)
      else expect(kinds).toEqual(['street_office', 'service_center'])
    }
    expect(CITY_DEPARTMENT_KINDS).toHaveLength(15)
    expect(COUNTY_DEPARTMENT_KINDS).toHaveLength(11)
    const named = new Map(small.departments.map((d) => [d.id, d.name]))
    expect(named.get('4301-market_regulation')).toBe('星城市市场监督管理局')
    expect(named.get('43-government_office')).toBe('潇湘省人民政府办公室')
  })
})

describe('staff', () => {
  const byUsername = new Map(small.staff.map((s) => [s.username, s]))

  it('has the named demo accounts with the right roles and departments', () => {
    const expectAccount = (
      username: string,
      departmentId: string,
      roles: string[],
      position?: string,
    ): void => {
      const s = byUsername.get(username)
      expect(s, username).toBeDefined()
      expect(s?.departmentId, username).toBe(departmentId)
      expect(s?.roles, username).toEqual(roles)
      if (position) expect(s?.position, username).toBe(position)
    }
    expectAccount('admin', '43-data_bureau', ['admin'], '系统管理员')
    expectAccount('auditor', '43-data_bureau', ['auditor'])
    expectAccount('dataadmin', '43-data_bureau', ['data_admin'])
    expectAccount('engineer', '43-data_bureau', ['process_engineer'])
    for (const city of ofLevel('city')) {
      expectAccount(`admin.${city.code}`, `${city.code}-data_bureau`, ['admin'])
      expectAccount(`auditor.${city.code}`, `${city.code}-data_bureau`, ['auditor'])
      expectAccount(`leader.${city.code}`, `${city.code}-data_bureau`, ['leader'], '局长')
    }
    expectAccount('official.demo', '4301-market_regulation', ['official'], '科员')
    expectAccount('supervisor.demo', '4301-market_regulation', ['supervisor'], '副局长')
    const firstDistrict = (childrenOf.get('4301') ?? []).find((c) => c.name.endsWith('区')) as DemoRegion
    const firstStreet = (childrenOf.get(firstDistrict.code) ?? [])[0] as DemoRegion
    expect(firstStreet.name.endsWith('街道')).toBe(true)
    expectAccount('clerk.demo', `${firstStreet.code}-service_center`, ['clerk'], '窗口受理员')
    expectAccount('market.supervisor.demo', '430101-market_regulation', ['supervisor'], '副局长')
    expectAccount('hotline.demo', `${DEMO_CAPITAL_CODE}-government_office`, ['clerk'], '12345热线话务员')
    // The four county departments of 企业开办's parallel steps, in clerk.demo's county.
    const county = firstDistrict.code
    expectAccount('market.demo', `${county}-market_regulation`, ['official'], '科员')
    expectAccount('police.demo', `${county}-public_security`, ['official'], '科员')
    expectAccount('tax.demo', `${county}-tax`, ['official'], '科员')
    expectAccount('hrss.demo', `${county}-human_resources_social_security`, ['official'], '科员')
  })

  it('staffs departments as specified at small scale', () => {
    const byDept = new Map<string, typeof small.staff>()
    for (const s of small.staff) byDept.set(s.departmentId, [...(byDept.get(s.departmentId) ?? []), s])
    for (const d of small.departments) {
      const members = byDept.get(d.id) ?? []
      const positions = members.map((m) => m.position)
      const level = (byCode.get(d.regionCode) as DemoRegion).level
      members.forEach((m, i) => expect(m.id).toBe(`st-${d.id}-${String(i + 1).padStart(3, '0')}`))
      if (d.kind === 'service_center') expect(positions).toEqual(['窗口受理员'])
      else if (d.kind === 'street_office') expect(positions).toEqual(['主任'])
      else if (d.kind === 'organisation_department') {
        // Cadre assessment only: no leader or case roles, so it oversees no cases.
        expect(positions).toEqual(['部长', '干部考核科科员'])
        for (const m of members) expect(m.roles).toEqual(['organisation'])
      } else {
        const officials = level === 'county' ? 1 : 2
        expect(positions.slice(0, 2 + officials)).toEqual([
          '局长',
          '副局长',
          ...Array<string>(officials).fill('科员'),
        ])
        expect(members[0]?.roles).toEqual(['leader'])
        expect(members[1]?.roles).toEqual(['supervisor'])
        // The data bureaus' administrators and auditors; the capital's 12345 operator.
        const extra =
          d.kind === 'government_office'
            ? Number(d.regionCode === DEMO_CAPITAL_CODE)
            : d.kind !== 'data_bureau'
              ? 0
              : level === 'province'
                ? 4
                : level === 'city'
                  ? 2
                  : 0
        expect(members).toHaveLength(2 + officials + extra)
      }
    }
  })

  it('has unique, ASCII lowercase usernames across staff and citizens', () => {
    const names = [...small.staff.map((s) => s.username), ...allCitizens(small).map((c) => c.username)]
    expect(new Set(names).size).toBe(names.length)
    for (const n of names) expect(n).toMatch(/^[a-z0-9.]+$/)
    expect(new Set(small.staff.map((s) => s.id)).size).toBe(small.staff.length)
    for (const s of small.staff) expect(s.name).toMatch(/^\p{Script=Han}{2,4}$/u)
  })

  it('has about five times as many 科员 and some 科长 at province scale', () => {
    const big = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'province' })
    expect(JSON.stringify(big.regions)).toBe(JSON.stringify(small.regions))
    const count = (p: DemoProvince, position: string): number =>
      p.staff.filter((s) => s.position === position).length
    const ratio = count(big, '科员') / count(small, '科员')
    expect(ratio).toBeGreaterThan(4)
    expect(ratio).toBeLessThan(7)
    expect(count(small, '科长')).toBe(0)
    expect(count(big, '科长')).toBeGreaterThan(1000)
    expect(count(big, '窗口受理员')).toBe(3 * count(small, '窗口受理员'))
    const usernames = big.staff.map((s) => s.username)
    expect(new Set(usernames).size).toBe(usernames.length)
    for (const u of ['admin', 'official.demo', 'supervisor.demo', 'clerk.demo', 'leader.4314']) {
      expect(usernames).toContain(u)
    }
    expect(big.citizenCount).toBe(1_000_000)
  })
})

describe('ID numbers', () => {
  it('computes the GB 11643 check digit for known numbers', () => {
    expect(checkDigit('11010519491231002')).toBe('X')
    expect(checkDigit('44052418800101001')).toBe('4')
    expect(isValidIdNumber('11010519491231002X')).toBe(true)
    expect(isValidIdNumber('110105194912310021')).toBe(false)
    expect(isValidIdNumber('110105194902310024')).toBe(false) // 31 February
    expect(() => checkDigit('1234')).toThrow(RangeError)
  })

  it('makes the MOD 11-2 checksum hold for any 17 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        const c = checkDigit(first17)
        expect(c).toMatch(/^[\dX]$/)
        expect(checksumHolds(first17 + c)).toBe(true)
      }),
    )
  })

  it('detects any single changed digit', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{17}$/),
        fc.nat(16),
        fc.integer({ min: 1, max: 9 }),
        (s, pos, delta) => {
          const id = s + checkDigit(s)
          const changed = s.slice(0, pos) + String((Number(s[pos]) + delta) % 10) + s.slice(pos + 1)
          expect(checkDigit(changed)).not.toBe(id[17])
        },
      ),
    )
  })
})

describe('citizens', () => {
  const citizens = allCitizens(small)

  it('yields citizenCount citizens, the first being citizen.demo in 星城市', () => {
    expect(small.citizenCount).toBe(2000)
    expect(citizens).toHaveLength(2000)
    expect(citizens[0]).toMatchObject({ id: 'ct-0000001', username: 'citizen.demo' })
    expect(citizens[0]?.regionCode.startsWith('4301')).toBe(true)
    citizens.slice(1).forEach((c, i) => {
      const serial = String(i + 2).padStart(7, '0')
      expect(c.id).toBe(`ct-${serial}`)
      expect(c.username).toBe(`c${serial}`)
    })
  })

  it('is deterministic and independent of the batch size', () => {
    const batches = [...small.citizens(300)]
    expect(batches.map((b) => b.length)).toEqual([...Array<number>(6).fill(300), 200])
    expect(batches.flat()).toEqual(citizens)
    expect(allCitizens(small, 5000)).toEqual(citizens)
    expect([...small.citizens()]).toHaveLength(1)
  })

  it('gives valid ID numbers, birth dates, genders, phones and street residences', () => {
    const [ry, rm, rd] = DEMO_REFERENCE_DATE.split('-').map(Number) as [number, number, number]
    const ids = new Set<string>()
    for (const c of citizens) {
      const street = byCode.get(c.regionCode)
      expect(street?.level, c.id).toBe('street')
      expect(c.idNumber).toHaveLength(18)
      expect(isValidIdNumber(c.idNumber), c.idNumber).toBe(true)
      expect(checksumHolds(c.idNumber)).toBe(true)
      expect(c.idNumber.slice(0, 6)).toBe(c.regionCode.slice(0, 6))
      expect(c.idNumber.slice(6, 14)).toBe(c.birthDate.replaceAll('-', ''))
      expect(Number(c.idNumber[16]) % 2 === 1 ? 'M' : 'F').toBe(c.gender)
      const [y, m, d] = c.birthDate.split('-').map(Number) as [number, number, number]
      const age = ry - y - (m > rm || (m === rm && d > rd) ? 1 : 0)
      expect(age).toBeGreaterThanOrEqual(CITIZEN_AGE_RANGE.min)
      expect(age).toBeLessThanOrEqual(CITIZEN_AGE_RANGE.max)
      expect(c.phone).toMatch(/^1[35789]\d{9}$/)
      expect(c.name).toMatch(/^\p{Script=Han}{2,4}$/u)
      ids.add(c.idNumber)
    }
    expect(ids.size).toBe(citizens.length)
  })

  it('spreads citizens over streets roughly by population', () => {
    const inCapital = citizens.filter((c) => c.regionCode.startsWith('4301')).length / citizens.length
    const capitalShare =
      (byCode.get('4301') as DemoRegion).population / (byCode.get('43') as DemoRegion).population
    expect(Math.abs(inCapital - capitalShare)).toBeLessThan(0.03)
    expect(new Set(citizens.map((c) => c.regionCode.slice(0, 4))).size).toBe(14)
  })

  it('streams a million province citizens lazily', () => {
    const big = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'province' })
    const first = big.citizens(1000).next()
    expect(first.done).toBe(false)
    expect(first.value?.[0]?.username).toBe('citizen.demo')
    // Citizen i does not depend on the scale: the small province's citizens are a prefix.
    expect(first.value?.slice(0, 1000)).toEqual(citizens.slice(0, 1000))
    let n = 0
    let last: DemoCitizen | undefined
    for (const batch of big.citizens(10_000)) {
      n += batch.length
      last = batch[batch.length - 1]
    }
    expect(n).toBe(1_000_000)
    expect(last?.id).toBe('ct-1000000')
    expect(isValidIdNumber(last?.idNumber ?? '')).toBe(true)
  })
})

describe('splitInteger', () => {
  it('splits exactly and proportionally', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = splitInteger(total, weights)
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
          const sum = weights.reduce((a, b) => a + b, 0)
          parts.forEach((p, i) => {
            expect(Number.isInteger(p)).toBe(true)
            expect(Math.abs(p - (total * (weights[i] as number)) / sum)).toBeLessThanOrEqual(1)
          })
        },
      ),
    )
  })
})
