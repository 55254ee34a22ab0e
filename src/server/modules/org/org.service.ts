/**
 * Organisation (组织): departments, staff and citizen accounts. Reads of people are scoped to the
 * caller's jurisdiction in the store; writes need an administrator whose jurisdiction covers the
 * department concerned.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { assertCoversRegion, assertStaffRole, scopeOf, SYSTEM, type Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import { isForeignKeyViolation, isUniqueViolation } from '../../db/database.js'
import type { AccountTable, CitizenTable, DB, DepartmentTable, StaffTable } from '../../db/schema.js'
import { hashPassword } from '../../security/password.js'
import type { Department, DepartmentKind, Role } from '../../../shared/domain.js'
import { AppError, notFound } from '../../../shared/errors.js'
import type { RegionService } from '../regions/regions.service.js'
import { maskIdNumber, maskPhone, STAFF_ROLES, USERNAME_PATTERN, type CitizenProfile, type LoginAccount } from './org.model.js'
import * as store from './org.store.js'
import type { StaffRecord } from './org.store.js'

export interface CreateStaffInput {
  username: string
  password: string
  name: string
  departmentId: string
  position?: string
  roles: Role[]
}

export interface UpdateStaffInput {
  name?: string
  position?: string
  roles?: Role[]
  departmentId?: string
  active?: boolean
  password?: string
}

export interface StaffListQuery {
  regionCode: string
  q?: string
  departmentId?: string
  limit?: number
  offset?: number
}

/** A citizen as shown to someone allowed to see them; identity numbers masked. */
export interface CitizenView {
  id: string
  username: string
  name: string
  regionCode: string
  gender: 'F' | 'M'
  birthDate: string
  idNumberMasked: string
  phoneMasked: string
}

/** Bulk rows for the demo seeder (already validated and hashed). */
export interface BulkPeople {
  accounts: AccountTable[]
  staff?: StaffTable[]
  citizens?: CitizenTable[]
}

const ADMIN_ROLES: Role[] = ['admin']

export class OrgService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly regions: RegionService,
  ) {}

  // ---- departments -----------------------------------------------------------------------------

  /** Departments in a region's subtree (the government directory is public). @throws NOT_FOUND */
  async listDepartments(regionCode: string): Promise<Department[]> {
    await this.regions.getRegion(regionCode)
    return store.listDepartments(this.db, regionCode)
  }

  /** @throws AppError NOT_FOUND */
  async getDepartment(id: string): Promise<Department> {
    const d = await store.findDepartment(this.db, id)
    if (!d) throw notFound('department', id)
    return d
  }

  /** @throws FORBIDDEN, NOT_FOUND (region), CONFLICT (same name in that region) */
  async createDepartment(principal: Principal, input: { name: string; regionCode: string; kind: DepartmentKind }): Promise<Department> {
    assertStaffRole(principal, ADMIN_ROLES)
    assertCoversRegion(principal, input.regionCode)
    await this.regions.getRegion(input.regionCode)
    const now = this.clock.now()
    const row: DepartmentTable = {
      id: `${input.regionCode}-${input.kind}-${randomUUID().slice(0, 8)}`,
      name: input.name.trim(),
      region_code: input.regionCode,
      kind: input.kind,
      created_at: now,
      updated_at: now,
    }
    try {
      await this.db.transaction().execute((trx) => store.insertDepartments(trx, [row]))
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('CONFLICT', `a department named ${row.name} already exists in region ${row.region_code}`, {
          details: { name: row.name, regionCode: row.region_code },
        })
      }
      throw err
    }
    return { id: row.id, name: row.name, regionCode: row.region_code, kind: input.kind }
  }

  /** @throws FORBIDDEN, NOT_FOUND, CONFLICT */
  async updateDepartment(principal: Principal, id: string, patch: { name?: string }): Promise<Department> {
    assertStaffRole(principal, ADMIN_ROLES)
    const department = await this.getDepartment(id)
    assertCoversRegion(principal, department.regionCode)
    const name = patch.name?.trim()
    try {
      await this.db
        .transaction()
        .execute((trx) => store.updateDepartment(trx, id, name === undefined ? {} : { name }, this.clock.now()))
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', `a department named ${name} already exists there`)
      throw err
    }
    return { ...department, ...(name === undefined ? {} : { name }) }
  }

  // ---- staff -----------------------------------------------------------------------------------

  /**
   * Staff in a region's subtree, limited to what the caller's scope shows.
   * @throws FORBIDDEN (not staff, or the region is outside the caller's jurisdiction), NOT_FOUND
   */
  async listStaff(principal: Principal, query: StaffListQuery): Promise<{ items: StaffRecord[]; total: number }> {
    assertStaffRole(principal)
    assertCoversRegion(principal, query.regionCode)
    await this.regions.getRegion(query.regionCode)
    return store.listStaff(this.db, scopeOf(principal), {
      regionCode: query.regionCode,
      ...(query.q ? { q: query.q } : {}),
      ...(query.departmentId ? { departmentId: query.departmentId } : {}),
      limit: query.limit ?? 500,
      offset: query.offset ?? 0,
    })
  }

  /** @throws FORBIDDEN (not staff), NOT_FOUND (unknown or outside the caller's scope) */
  async getStaff(principal: Principal, id: string): Promise<StaffRecord> {
    assertStaffRole(principal)
    const s = await store.findStaff(this.db, scopeOf(principal), id)
    if (!s) throw notFound('staff', id)
    return s
  }

  /** @throws FORBIDDEN, NOT_FOUND (department), CONFLICT (username taken), VALIDATION_FAILED */
  async createStaff(principal: Principal, input: CreateStaffInput): Promise<StaffRecord> {
    assertStaffRole(principal, ADMIN_ROLES)
    assertNewAccountInput(input)
    const department = await this.getDepartment(input.departmentId)
    assertCoversRegion(principal, department.regionCode)
    const roles = normaliseRoles(input.roles)
    const now = this.clock.now()
    const id = randomUUID()
    const account: AccountTable = {
      id,
      username: input.username,
      password_hash: await hashPassword(input.password),
      kind: 'staff',
      name: input.name.trim(),
      region_code: department.regionCode,
      active: 1,
      created_at: now,
      updated_at: now,
    }
    const staff: StaffTable = {
      account_id: id,
      department_id: department.id,
      position: input.position?.trim() || '科员',
      roles: JSON.stringify(roles),
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await store.insertAccounts(trx, [account])
        await store.insertStaffRows(trx, [staff])
      })
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('CONFLICT', `username ${input.username} is already taken`, { details: { username: input.username } })
      }
      throw err
    }
    return {
      id,
      username: account.username,
      name: account.name,
      departmentId: department.id,
      position: staff.position,
      roles,
      regionCode: department.regionCode,
      active: true,
    }
  }

  /** @throws FORBIDDEN, NOT_FOUND, VALIDATION_FAILED */
  async updateStaff(principal: Principal, id: string, patch: UpdateStaffInput): Promise<StaffRecord> {
    assertStaffRole(principal, ADMIN_ROLES)
    const current = await this.getStaff(principal, id)
    let department: Department | undefined
    if (patch.departmentId !== undefined && patch.departmentId !== current.departmentId) {
      department = await this.getDepartment(patch.departmentId)
      assertCoversRegion(principal, department.regionCode)
    }
    if (id === principal.accountId && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) {
      throw new AppError('CONFLICT', 'administrators cannot deactivate themselves or remove their own admin role')
    }
    const roles = patch.roles === undefined ? undefined : normaliseRoles(patch.roles)
    if (patch.password !== undefined) assertPassword(patch.password)
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password)
    const now = this.clock.now()
    await this.db.transaction().execute(async (trx) => {
      await store.updateAccount(
        trx,
        id,
        {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(department ? { region_code: department.regionCode } : {}),
          ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
          ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
        },
        now,
      )
      await store.updateStaffRow(trx, id, {
        ...(department ? { department_id: department.id } : {}),
        ...(patch.position !== undefined ? { position: patch.position.trim() } : {}),
        ...(roles !== undefined ? { roles: JSON.stringify(roles) } : {}),
      })
    })
    const updated = await store.findStaff(this.db, scopeOf(SYSTEM), id)
    if (!updated) throw notFound('staff', id)
    return updated
  }

  // ---- citizens --------------------------------------------------------------------------------

  /**
   * A citizen's profile: to the citizen themself, or to an administrator whose jurisdiction covers
   * their residence. @throws FORBIDDEN, NOT_FOUND
   */
  async getCitizen(principal: Principal, id: string): Promise<CitizenView> {
    if (principal.kind === 'citizen' && principal.accountId !== id) {
      throw new AppError('FORBIDDEN', 'citizens can only see their own data')
    }
    if (principal.kind === 'staff') assertStaffRole(principal, ['admin', 'data_admin'])
    const c = await store.findCitizen(this.db, scopeOf(principal), id)
    if (!c) throw notFound('citizen', id)
    return toCitizenView(c)
  }

  // ---- accounts for authentication and seeding -------------------------------------------------

  /** The account behind a username or id, unscoped: for authentication only. */
  findLoginAccount(by: { username: string } | { id: string }): Promise<LoginAccount | undefined> {
    return store.findLoginAccount(this.db, by)
  }

  /** Bulk insert for the demo seeder, one transaction per call. */
  async insertDepartmentsBulk(rows: DepartmentTable[]): Promise<void> {
    await this.db.transaction().execute((trx) => store.insertDepartments(trx, rows))
  }

  /** Bulk insert of accounts with their staff or citizen rows, one transaction per call. */
  async insertPeopleBulk(people: BulkPeople): Promise<void> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await store.insertAccounts(trx, people.accounts)
        if (people.staff) await store.insertStaffRows(trx, people.staff)
        if (people.citizens) await store.insertCitizenRows(trx, people.citizens)
      })
    } catch (err) {
      if (isUniqueViolation(err) || isForeignKeyViolation(err)) {
        throw new AppError('CONFLICT', `bulk insert rejected: ${(err as Error).message}`, { cause: err })
      }
      throw err
    }
  }

  async counts(): Promise<{ departments: number; staff: number; citizens: number }> {
    const [departments, staff, citizens] = await Promise.all([
      store.countDepartments(this.db),
      store.countAccounts(this.db, 'staff'),
      store.countAccounts(this.db, 'citizen'),
    ])
    return { departments, staff, citizens }
  }
}

function normaliseRoles(roles: readonly Role[]): Role[] {
  const invalid = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r))
  if (invalid.length > 0 || roles.length === 0) {
    throw new AppError('VALIDATION_FAILED', `unknown roles: ${invalid.join(', ') || '(none given)'}`, {
      details: [{ path: '/roles', message: `must be one or more of ${STAFF_ROLES.join(', ')}` }],
    })
  }
  return [...new Set(roles)]
}

const USERNAME_RE = new RegExp(USERNAME_PATTERN)

/** Checks what the HTTP schema checks too, so the CLI and other callers get the same answers. */
function assertNewAccountInput(input: { username: string; password: string }): void {
  if (!USERNAME_RE.test(input.username)) {
    throw new AppError('VALIDATION_FAILED', 'username must be 3–64 lowercase letters, digits, ".", "_" or "-"', {
      details: [{ path: '/username', message: `must match ${USERNAME_PATTERN}` }],
    })
  }
  assertPassword(input.password)
}

function assertPassword(password: string): void {
  if (password.length < 8) {
    throw new AppError('VALIDATION_FAILED', 'a password needs at least 8 characters', {
      details: [{ path: '/password', message: 'must have at least 8 characters' }],
    })
  }
}

function toCitizenView(c: CitizenProfile): CitizenView {
  return {
    id: c.id,
    username: c.username,
    name: c.name,
    regionCode: c.regionCode,
    gender: c.gender,
    birthDate: c.birthDate,
    idNumberMasked: maskIdNumber(c.idNumber),
    phoneMasked: maskPhone(c.phone),
  }
}
