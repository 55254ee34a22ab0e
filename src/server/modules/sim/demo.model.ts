/**
 * The shape of a generated demo province. The generator (`demo.generator.ts`) is pure and
 * deterministic from its seed: the same seed and scale always give the same province, byte for byte.
 * @module
 */
import type { DepartmentKind, Region, RegionGeometry, Role } from '../../../shared/domain.js'

export type DemoScale = 'small' | 'province'

export interface DemoOptions {
  /** Any integer; the default demo uses 20261127. */
  seed: number
  scale: DemoScale
}

export interface DemoRegion extends Region {
  geometry: RegionGeometry
}

export interface DemoDepartment {
  /** Deterministic, readable id: `<regionCode>-<kind>`, e.g. `4301-tax`. */
  id: string
  name: string
  regionCode: string
  kind: DepartmentKind
}

export interface DemoStaff {
  /** Deterministic id, e.g. `st-4301-tax-003`. */
  id: string
  /** Login name; the named demo accounts are `admin`, `admin.<cityCode>` and friends (see README). */
  username: string
  /** Chinese personal name. */
  name: string
  departmentId: string
  /** Chinese position title, e.g. 局长, 科长, 科员, 窗口受理员. */
  position: string
  roles: Role[]
}

export interface DemoCitizen {
  /** Deterministic id, e.g. `ct-0000001`. */
  id: string
  username: string
  name: string
  /** 18-character resident ID number (GB 11643, valid check digit), prefixed by the county code. */
  idNumber: string
  /** Street-level region code. */
  regionCode: string
  gender: 'F' | 'M'
  /** YYYY-MM-DD */
  birthDate: string
  /** 11-digit mobile number. */
  phone: string
}

export interface DemoProvince {
  regions: DemoRegion[]
  departments: DemoDepartment[]
  staff: DemoStaff[]
  /** How many citizens `citizens()` yields. */
  citizenCount: number
  /**
   * Citizens in batches of at most `batchSize`, generated lazily so a million of them never sit in
   * memory at once. Deterministic: two calls yield the same sequence. The first citizen is always
   * `citizen.demo`, a resident of 星城市 (4301).
   */
  citizens(batchSize?: number): Generator<DemoCitizen[]>
}
