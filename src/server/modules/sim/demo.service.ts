/**
 * Seeds the demo province (潇湘省) through the regions and organisation services. Every demo account
 * gets the same password (XZT_DEMO_PASSWORD), so it is hashed once per seeding run: a million scrypt
 * hashes would take hours and add no security to accounts that share a published password.
 * @module
 */
import type { Clock } from '../../clock.js'
import type { CitizenTable } from '../../db/schema.js'
import type { BulkPeople } from '../org/org.service.js'
import { hashPassword } from '../../security/password.js'
import { AppError } from '../../../shared/errors.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import type { DataPlatformService } from '../dataplatform/dataplatform.service.js'
import type { OrgService } from '../org/org.service.js'
import type { RegionService } from '../regions/regions.service.js'
import { generateDemoProvince } from './demo.generator.js'
import type { DemoScale } from './demo.model.js'

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

export class DemoService {
  constructor(
    private readonly clock: Clock,
    private readonly regions: RegionService,
    private readonly org: OrgService,
    private readonly catalog: CatalogService,
    private readonly dataPlatform: DataPlatformService,
  ) {}

  /** True when no region exists yet (a fresh database). */
  isEmpty(): Promise<boolean> {
    return this.regions.isEmpty()
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
    await this.regions.importValidated(province.regions)
    progress('regions', province.regions.length, province.regions.length)

    progress('departments', 0, province.departments.length)
    const now = this.clock.now()
    await this.org.insertDepartmentsBulk(
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
      await this.org.insertPeopleBulk({ accounts, staff })
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
      await this.org.insertPeopleBulk({ accounts, citizens: rows })
      citizens += batch.length
      progress('citizens', citizens, province.citizenCount)
    }

    progress('records', 0, province.citizenCount)
    const records = await this.dataPlatform.seedDemo(province, options.seed, (done, total) =>
      progress('records', done, total),
    )
    progress('catalogue', 0, 1)
    const matters = await this.catalog.deployDemoCatalogue()
    progress('catalogue', 1, 1)

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
}
