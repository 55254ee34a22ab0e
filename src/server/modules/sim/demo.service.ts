/**
 * Seeds the demo province (潇湘省) through the platform's services (regions, organisation, data
 * platform, catalogue). It is not in the service container, since product code never reaches the demo:
 * its callers (the CLI's `xzt demo` and `xzt serve` on an empty database, the test template, the
 * benches) build it over an app's services. Every demo account gets the same password
 * (XZT_DEMO_PASSWORD), so it is hashed once per seeding run: a million scrypt hashes would take hours
 * and add no security to accounts that share a published password.
 * @module
 */
import type { PolicyService } from '../policy/policy.service.js'
import { DEMO_POLICIES } from './demo.policies.js'
import { SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { CitizenTable } from '../../db/schema.js'
import type { BulkPeople } from '../org/org.service.js'
import { hashPassword } from '../../security/password.js'
import { AppError } from '../../../shared/errors.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { loadDemoCatalogue } from '../catalog/demo/index.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import { createDemoRecordGenerator } from '../dataplatform/demo/records.generator.js'
import type { OrgService } from '../org/org.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { generateDemoProvince } from './demo.generator.js'
import type { DemoProvince, DemoScale } from './demo.model.js'
import type { DataRecord } from '../dataplatform/index.js'

export type SeedPhase =
  'generate' | 'regions' | 'departments' | 'staff' | 'citizens' | 'records' | 'catalogue'

export interface SeedOptions {
  scale: DemoScale
  seed: number
  password: string
  /** Called as work progresses: `done` of `total` units of `phase`. */
  onProgress?: (phase: SeedPhase, done: number, total: number) => void
}

export interface SeedResult {
  regions: number
  departments: number
  staff: number
  citizens: number
  records: number
  matters: number
  ms: number
}

const STAFF_BATCH = 2000
const CITIZEN_BATCH = 5000
/** Citizens whose records load in one transaction. */
const RECORD_BATCH = 5000

/** The services the seeding works through: an app's `Services` has them all. */
export interface DemoServices {
  clock: Clock
  regions: RegionService
  org: OrgService
  catalog: CatalogService
  dataPlatform: DataPlatformService
  policies: PolicyService
}

export class DemoService {
  constructor(private readonly services: DemoServices) {}

  /** True when no region exists yet (a fresh database). */
  isEmpty(): Promise<boolean> {
    return this.services.regions.isEmpty()
  }

  /**
   * Seeds the demo province into an empty database.
   * @throws AppError CONFLICT when the database already has regions.
   */
  async seed(options: SeedOptions): Promise<SeedResult> {
    const started = performance.now()
    const progress = options.onProgress ?? (() => undefined)
    if (!(await this.isEmpty())) {
      throw new AppError(
        'CONFLICT',
        'the database already holds regions; seed the demo into an empty database',
      )
    }
    progress('generate', 0, 1)
    const province = generateDemoProvince({ seed: options.seed, scale: options.scale })
    const passwordHash = await hashPassword(options.password)
    progress('generate', 1, 1)

    progress('regions', 0, province.regions.length)
    await this.services.regions.importValidated(province.regions)
    progress('regions', province.regions.length, province.regions.length)

    progress('departments', 0, province.departments.length)
    const now = this.services.clock.now()
    await this.services.org.insertDepartmentsBulk(
      province.departments.map((d) => ({
        id: d.id,
        name: d.name,
        region_code: d.regionCode,
        kind: d.kind,
        created_at: now,
        updated_at: now,
      })),
    )
    progress('departments', province.departments.length, province.departments.length)

    const regionOfDepartment = new Map(province.departments.map((d) => [d.id, d.regionCode]))
    for (let i = 0; i < province.staff.length; i += STAFF_BATCH) {
      const batch = province.staff.slice(i, i + STAFF_BATCH)
      const accounts: BulkPeople['accounts'] = []
      const staff: NonNullable<BulkPeople['staff']> = []
      for (const s of batch) {
        accounts.push({
          id: s.id,
          username: s.username,
          password_hash: passwordHash,
          kind: 'staff',
          name: s.name,
          region_code: regionOfDepartment.get(s.departmentId) as string,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        staff.push({
          account_id: s.id,
          department_id: s.departmentId,
          position: s.position,
          roles: s.roles,
        })
      }
      await this.services.org.insertPeopleBulk({ accounts, staff })
      progress('staff', Math.min(i + STAFF_BATCH, province.staff.length), province.staff.length)
    }

    let citizens = 0
    for (const batch of province.citizens(CITIZEN_BATCH)) {
      const accounts: BulkPeople['accounts'] = []
      const rows: CitizenTable[] = []
      for (const c of batch) {
        accounts.push({
          id: c.id,
          username: c.username,
          password_hash: passwordHash,
          kind: 'citizen',
          name: c.name,
          region_code: c.regionCode,
          active: 1,
          created_at: now,
          updated_at: now,
        })
        rows.push({
          account_id: c.id,
          id_number: c.idNumber,
          gender: c.gender,
          birth_date: c.birthDate,
          phone: c.phone,
        })
      }
      await this.services.org.insertPeopleBulk({ accounts, citizens: rows })
      citizens += batch.length
      progress('citizens', citizens, province.citizenCount)
    }

    progress('records', 0, province.citizenCount)
    if (!(await this.services.dataPlatform.isEmpty()))
      throw new AppError('CONFLICT', 'the data platform already holds records')
    const generator = createDemoRecordGenerator(province, options.seed)
    let recordCitizens = 0
    const keeperOf = recordKeepers(province)
    const kept = function* (batches: Iterable<readonly DataRecord[]>): Generator<DataRecord[]> {
      for (const batch of batches)
        yield batch.map((r) => ({ ...r, updatedBy: keeperOf(r.regionCode, r.ownerDepartmentKind) }))
    }
    const records = await this.services.dataPlatform.importRecords(
      kept(generator.batches(RECORD_BATCH)),
      () => {
        recordCitizens = Math.min(province.citizenCount, recordCitizens + RECORD_BATCH)
        progress('records', recordCitizens, province.citizenCount)
      },
    )
    progress('catalogue', 0, 1)
    const matters = await this.deployCatalogue(publisherOf(province))
    progress('catalogue', 1, 1)
    for (const [kind, body] of Object.entries(DEMO_POLICIES))
      await this.services.policies.publish(
        SYSTEM,
        kind,
        { body, note: '演示省初始规则' },
        province.regions.find((r) => r.level === 'province')?.code,
      )

    return {
      records,
      matters,
      regions: province.regions.length,
      departments: province.departments.length,
      staff: province.staff.length,
      citizens,
      ms: Math.round(performance.now() - started),
    }
  }

  /**
   * Deploys every version of the demo catalogue through the catalogue service, oldest first, as the
   * province's process engineer: their unit is the team the versions' reform scores are attributed to.
   */
  private async deployCatalogue(publisher: Principal): Promise<number> {
    let n = 0
    for (const m of loadDemoCatalogue()) {
      for (const v of m.versions) {
        await this.services.catalog.deploy(publisher, {
          matter: v.matter,
          formSchema: m.formSchema,
          processXml: v.processXml,
        })
        n++
      }
    }
    return n
  }
}

/** The demo's process engineer (`engineer`) as a principal, or the system in a province without one. */
function publisherOf(province: Pick<DemoProvince, 'departments' | 'staff'>): Principal {
  const engineer = province.staff.find((s) => s.username === 'engineer')
  const department = engineer && province.departments.find((d) => d.id === engineer.departmentId)
  if (!engineer || !department) return SYSTEM
  return {
    accountId: engineer.id,
    username: engineer.username,
    name: engineer.name,
    kind: 'staff',
    roles: engineer.roles,
    regionCode: department.regionCode,
    departmentId: department.id,
  }
}

/**
 * Who last changed a demo record: the first 科员 of the holding department, at the record's region or
 * the nearest one above that has such a department (a street's household record is kept by its
 * county's police).
 */
function recordKeepers(
  province: Pick<DemoProvince, 'departments' | 'staff'>,
): (regionCode: string, kind: string) => string | null {
  const firstOfficial = new Map<string, string>()
  for (const s of province.staff)
    if (s.position === '科员' && !firstOfficial.has(s.departmentId)) firstOfficial.set(s.departmentId, s.id)
  const memo = new Map<string, string | null>()
  return (regionCode, kind) => {
    const key = `${regionCode}/${kind}`
    let found = memo.get(key)
    if (found === undefined) {
      found = null
      for (const len of [9, 6, 4, 2]) {
        if (len > regionCode.length) continue
        const id = firstOfficial.get(`${regionCode.slice(0, len)}-${kind}`)
        if (id) {
          found = id
          break
        }
      }
      memo.set(key, found)
    }
    return found
  }
}
