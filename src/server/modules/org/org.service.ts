/**
 * Organisation (组织): departments, staff and citizen accounts. Reads of people are scoped to the
 * caller's jurisdiction in the store; writes need an administrator whose jurisdiction covers the
 * department concerned.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { scopeFor, SYSTEM, type Principal } from '../../access.js'
import { isValidIdNumber, idNumberGender } from '../../../shared/idnumber.js'
import type { Clock } from '../../clock.js'
import { isForeignKeyViolation, isUniqueViolation, type Executor } from '../../db/database.js'
import type { AccountTable, CitizenTable, DB, DepartmentTable } from '../../db/schema.js'
import { hashPassword } from '../../security/password.js'
import type {
  AuditDifference,
  CitizenView,
  CreateStaffInput,
  RegisterCitizenInput,
  UpdateStaffInput,
} from '../../../shared/api.js'
import type { Department, DepartmentKind, Role } from '../../../shared/domain.js'
import { AppError, notFound } from '../../../shared/errors.js'
import { assertCan, can } from '../../../shared/permissions.js'
import type { RegionService } from '../regions/regions.service.js'
import { newSalt } from '../ledger/formats/index.js'
import { actorOf, diffStates, subjectOf, type LedgerEvent, type Replayer } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import {
  CITIZENS_PER_BATCH_EVENT,
  citizenBatchDigest,
  citizenLocator,
  citizenLedgerItem,
  leadingOfficeKind,
  maskIdNumber,
  maskPhone,
  staffLedgerState,
  STAFF_ROLES,
  USERNAME_PATTERN,
  type CitizenProfile,
  type LoginAccount,
  type Member,
  type StaffAppointment,
} from './org.model.js'
import * as store from './org.store.js'
import type { StaffRecord } from './org.store.js'

export interface StaffListQuery {
  regionCode: string
  q?: string
  departmentId?: string
  limit?: number
  offset?: number
}

/** Bulk rows for the demo seeder (already validated and hashed; salts are added here). */
export interface BulkPeople {
  accounts: Omit<AccountTable, 'salt'>[]
  staff?: StaffAppointment[]
  citizens?: CitizenTable[]
}

export class OrgService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly regions: RegionService,
    private readonly ledger: LedgerService,
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

  /** The department of `kind` in exactly region `regionCode` (the first by id), if any. */
  findDepartmentOfKind(
    regionCode: string,
    kind: string,
    db: Executor = this.db,
  ): Promise<Department | undefined> {
    return store.findDepartmentOfKind(db, regionCode, kind)
  }

  /** Departments by id (those that exist), read through `db`, in one query. */
  async findDepartments(ids: readonly string[], db: Executor = this.db): Promise<Map<string, Department>> {
    return new Map((await store.findDepartmentsByIds(db, ids)).map((d) => [d.id, d]))
  }

  /** Departments of several kinds in several regions at once (see `findDepartmentOfKind`); keys `<regionCode>/<kind>`. */
  findDepartmentsOfKinds(
    pairs: readonly { regionCode: string; kind: string }[],
    db: Executor = this.db,
  ): Promise<Map<string, Department>> {
    return store.findDepartmentsOfKinds(db, pairs)
  }

  /** The leading office of each region (see {@link leadingOfficeOf}), in one query, by region code. */
  async leadingOfficesOf(
    regionCodes: readonly string[],
    db: Executor = this.db,
  ): Promise<Map<string, Department>> {
    const pairs = [...new Set(regionCodes)].map((regionCode) => ({
      regionCode,
      kind: leadingOfficeKind(regionCode),
    }))
    const found = await store.findDepartmentsOfKinds(db, pairs)
    return new Map(
      pairs.flatMap((p) => {
        const d = found.get(`${p.regionCode}/${p.kind}`)
        return d ? [[p.regionCode, d] as const] : []
      }),
    )
  }

  /** Display names of departments and accounts by id, for timelines and lists (no scoping: names only). */
  namesOf(ids: {
    departments: readonly string[]
    accounts: readonly string[]
  }): Promise<{ departments: Map<string, string>; accounts: Map<string, string> }> {
    return store.findNames(this.db, ids)
  }

  /**
   * The serving members of departments, by department id (system use: responsibility chains and
   * escalations name them; names and positions only, no personal data).
   */
  async membersOf(departmentIds: readonly string[], db: Executor = this.db): Promise<Map<string, Member[]>> {
    const out = new Map<string, Member[]>(departmentIds.map((id) => [id, []]))
    for (const m of await store.listMembers(db, departmentIds)) out.get(m.departmentId)?.push(m)
    return out
  }

  /**
   * One serving staff member with their department's region (system use: whom an assessment is about;
   * names and positions only). @returns undefined for an unknown id or a citizen
   */
  async member(id: string, db: Executor = this.db): Promise<(Member & { regionCode: string }) | undefined> {
    const raw = await store.findStaffRaw(db, id)
    if (!raw) return undefined
    const department = (await store.findDepartmentsByIds(db, [raw.staff.department_id]))[0]
    if (!department) return undefined
    return {
      id,
      name: raw.account.name,
      position: raw.staff.position,
      roles: raw.staff.roles,
      departmentId: raw.staff.department_id,
      regionCode: department.regionCode,
    }
  }

  /**
   * The office that leads a region (人民政府办公室 of a county, city or province; a street's 办事处):
   * whose leaders are the region's leadership line.
   */
  leadingOfficeOf(regionCode: string, db: Executor = this.db): Promise<Department | undefined> {
    return store.findDepartmentOfKind(db, regionCode, leadingOfficeKind(regionCode))
  }

  /** @throws FORBIDDEN, NOT_FOUND (region), CONFLICT (same name in that region) */
  async createDepartment(
    principal: Principal,
    input: { name: string; regionCode: string; kind: DepartmentKind },
  ): Promise<Department> {
    assertCan(principal, 'org.manage', { regionCode: input.regionCode })
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
      await this.db.transaction().execute(async (trx) => {
        await store.insertDepartments(trx, [row])
        await this.ledger.append(trx, departmentCreated(principal, row))
      })
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError(
          'CONFLICT',
          `a department named ${row.name} already exists in region ${row.region_code}`,
          {
            details: { name: row.name, regionCode: row.region_code },
          },
        )
      }
      throw err
    }
    return { id: row.id, name: row.name, regionCode: row.region_code, kind: input.kind }
  }

  /** @throws FORBIDDEN, NOT_FOUND, CONFLICT */
  async updateDepartment(principal: Principal, id: string, patch: { name?: string }): Promise<Department> {
    assertCan(principal, 'org.manage')
    const department = await this.getDepartment(id)
    assertCan(principal, 'org.manage', { regionCode: department.regionCode })
    const name = patch.name?.trim()
    try {
      await this.db.transaction().execute(async (trx) => {
        if (name === undefined || name === department.name) return
        await store.updateDepartment(trx, id, { name }, this.clock.now())
        await this.ledger.append(trx, {
          type: 'department.renamed',
          subject: subjectOf('department', id),
          regionCode: department.regionCode,
          actor: actorOf(principal),
          data: { name },
        })
      })
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('CONFLICT', `a department named ${name} already exists there`)
      throw err
    }
    return { ...department, ...(name === undefined ? {} : { name }) }
  }

  // ---- staff -----------------------------------------------------------------------------------

  /**
   * Staff in a region's subtree, limited to what the caller's scope shows.
   * @throws FORBIDDEN (not staff, or the region is outside the caller's jurisdiction), NOT_FOUND
   */
  async listStaff(
    principal: Principal,
    query: StaffListQuery,
  ): Promise<{ items: StaffRecord[]; total: number }> {
    const scope = scopeFor(principal, 'org.read')
    assertCan(principal, 'org.read', { regionCode: query.regionCode })
    await this.regions.getRegion(query.regionCode)
    return store.listStaff(this.db, scope, {
      regionCode: query.regionCode,
      ...(query.q ? { q: query.q } : {}),
      ...(query.departmentId ? { departmentId: query.departmentId } : {}),
      limit: query.limit ?? 500,
      offset: query.offset ?? 0,
    })
  }

  /** @throws FORBIDDEN (not staff), NOT_FOUND (unknown or outside the caller's scope) */
  async getStaff(principal: Principal, id: string): Promise<StaffRecord> {
    const s = await store.findStaff(this.db, scopeFor(principal, 'org.read'), id)
    if (!s) throw notFound('staff', id)
    return s
  }

  /** @throws FORBIDDEN, NOT_FOUND (department), CONFLICT (username taken), VALIDATION_FAILED */
  async createStaff(principal: Principal, input: CreateStaffInput): Promise<StaffRecord> {
    assertCan(principal, 'org.manage')
    assertNewAccountInput(input)
    const department = await this.getDepartment(input.departmentId)
    assertCan(principal, 'org.manage', { regionCode: department.regionCode })
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
      salt: newSalt(),
      created_at: now,
      updated_at: now,
    }
    const staff: StaffAppointment = {
      account_id: id,
      department_id: department.id,
      position: input.position?.trim() || '科员',
      roles,
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await store.insertAccounts(trx, [account])
        await store.insertStaffRows(trx, [staff])
        await this.ledger.append(trx, staffEvent('staff.created', principal, account, staff))
      })
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('CONFLICT', `username ${input.username} is already taken`, {
          details: { username: input.username },
        })
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
    assertCan(principal, 'org.manage')
    const current = await this.getStaff(principal, id)
    assertCan(principal, 'org.manage', { regionCode: current.regionCode })
    let department: Department | undefined
    if (patch.departmentId !== undefined && patch.departmentId !== current.departmentId) {
      department = await this.getDepartment(patch.departmentId)
      assertCan(principal, 'org.manage', { regionCode: department.regionCode })
    }
    // Whoever manages staff must not lock themselves out of managing them.
    if (
      id === principal.accountId &&
      (patch.active === false ||
        (patch.roles !== undefined && !can({ ...principal, roles: patch.roles }, 'org.manage')))
    ) {
      throw new AppError(
        'CONFLICT',
        'administrators cannot deactivate themselves or remove their own admin role',
      )
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
        ...(roles !== undefined ? { roles } : {}),
      })
      const raw = await store.findStaffRaw(trx, id)
      if (!raw) throw notFound('staff', id)
      await this.ledger.append(trx, staffEvent('staff.updated', principal, raw.account, raw.staff))
    })
    const updated = await store.findStaff(this.db, scopeFor(SYSTEM, 'org.read'), id)
    if (!updated) throw notFound('staff', id)
    return updated
  }

  // ---- citizens --------------------------------------------------------------------------------

  /**
   * A citizen's profile: to the citizen themself, or to an administrator whose jurisdiction covers
   * their residence. @throws FORBIDDEN, NOT_FOUND
   */
  async getCitizen(principal: Principal, id: string): Promise<CitizenView> {
    assertCan(principal, 'citizen.read', { ownerId: principal.kind === 'citizen' ? id : undefined })
    const c = await store.findCitizen(this.db, scopeFor(principal, 'citizen.read'), id)
    if (!c) throw notFound('citizen', id)
    return toCitizenView(c)
  }

  /**
   * Citizens with exactly this identity number or name (at most `limit`), unscoped: for the window
   * intake service, which checks `citizen.lookup` and records the look-up as a data access.
   */
  findCitizensBy(by: { idNumber: string } | { name: string }, limit: number): Promise<CitizenProfile[]> {
    return store.findCitizensBy(this.db, by, limit)
  }

  /**
   * Registers a citizen on the spot at a service window: the account (gender and birth date from the
   * GB 11643 identity number), recorded in the ledger of the citizen's city as `citizen.registered`
   * with the same item a registration batch commits to, in one transaction. Without a password the
   * account cannot sign in until the citizen sets one.
   * @throws FORBIDDEN (no `citizen.register`), VALIDATION_FAILED (identity number, name, phone or a
   *   region that is not a street), NOT_FOUND (region), CONFLICT (identity number already registered)
   */
  async registerCitizen(principal: Principal, input: RegisterCitizenInput): Promise<CitizenProfile> {
    const regionCode = input.regionCode ?? principal.regionCode
    assertCan(principal, 'citizen.register', { regionCode })
    const idNumber = input.idNumber.trim().toUpperCase()
    const name = input.name.trim()
    const phone = input.phone.trim()
    assertCitizenInput({ idNumber, name, phone, password: input.password })
    const region = await this.regions.getRegion(regionCode)
    if (region.level !== 'street') {
      throw new AppError(
        'VALIDATION_FAILED',
        `a citizen lives in a street or township, not in ${regionCode}`,
        {
          details: [{ path: '/body/regionCode', message: 'must be the code of a street or township' }],
        },
      )
    }
    const now = this.clock.now()
    const id = `cw-${randomUUID()}`
    const account: AccountTable = {
      id,
      // Not derived from the identity number: a username is shown and typed, the number stays private.
      username: `w${randomUUID().replace(/-/g, '').slice(0, 15)}`,
      password_hash: await hashPassword(input.password ?? randomUUID() + randomUUID()),
      kind: 'citizen',
      name,
      region_code: regionCode,
      active: 1,
      salt: newSalt(),
      created_at: now,
      updated_at: now,
    }
    const citizen: CitizenTable = {
      account_id: id,
      id_number: idNumber,
      gender: idNumberGender(idNumber),
      birth_date: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      phone,
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await store.insertAccounts(trx, [account])
        await store.insertCitizenRows(trx, [citizen])
        await this.ledger.append(trx, {
          type: 'citizen.registered',
          subject: subjectOf('citizen', id),
          regionCode: regionCode.slice(0, 4),
          actor: actorOf(principal),
          data: { item: citizenItem(account, citizen), window: principal.departmentId },
        })
      })
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('CONFLICT', 'a citizen with this identity number is already registered', {
          details: { idNumberMasked: maskIdNumber(idNumber) },
        })
      }
      throw err
    }
    return {
      id,
      username: account.username,
      name,
      regionCode,
      idNumber,
      gender: citizen.gender as 'F' | 'M',
      birthDate: citizen.birth_date,
      phone,
    }
  }

  // ---- accounts for authentication and seeding -------------------------------------------------

  /** The account behind a username or id, unscoped: for authentication only. */
  findLoginAccount(by: { username: string } | { id: string }): Promise<LoginAccount | undefined> {
    return store.findLoginAccount(this.db, by)
  }

  /** Bulk insert for the demo seeder, one transaction per call, recorded as the system. */
  async insertDepartmentsBulk(rows: DepartmentTable[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await store.insertDepartments(trx, rows)
      await this.ledger.appendMany(
        trx,
        rows.map((r) => departmentCreated(SYSTEM, r)),
      )
    })
  }

  /** Bulk insert of accounts with their staff or citizen rows, one transaction per call. */
  async insertPeopleBulk(people: BulkPeople): Promise<void> {
    const accounts: AccountTable[] = people.accounts.map((a) => ({ ...a, salt: newSalt() }))
    const events: LedgerEvent[] = []
    if (people.staff) {
      const byId = new Map(accounts.map((a) => [a.id, a]))
      for (const s of people.staff)
        events.push(staffEvent('staff.created', SYSTEM, byId.get(s.account_id) as AccountTable, s))
    }
    if (people.citizens) events.push(...citizenBatchEvents(accounts, people.citizens))
    try {
      await this.db.transaction().execute(async (trx) => {
        await store.insertAccounts(trx, accounts)
        if (people.staff) await store.insertStaffRows(trx, people.staff)
        if (people.citizens) await store.insertCitizenRows(trx, people.citizens)
        await this.ledger.appendMany(trx, events)
      })
    } catch (err) {
      if (isUniqueViolation(err) || isForeignKeyViolation(err)) {
        throw new AppError('CONFLICT', `bulk insert rejected: ${(err as Error).message}`, { cause: err })
      }
      throw err
    }
  }

  /** Replays `department.*`, `staff.*` and `citizen.*` events and compares with the live tables. */
  replayers(): Replayer[] {
    const departments = new Map<string, Record<string, unknown>>()
    const staff = new Map<string, Record<string, unknown>>()
    const batches: { log: string; data: Record<string, unknown> }[] = []
    const singles: { log: string; data: Record<string, unknown> }[] = []
    return [
      {
        name: 'departments',
        types: ['department.'],
        apply: (e) => {
          const id = e.subject.slice('department:'.length)
          if (e.type === 'department.created')
            departments.set(id, { name: e.data.name, regionCode: e.data.regionCode, kind: e.data.kind })
          else if (e.type === 'department.renamed') {
            const d = departments.get(id)
            if (d) d.name = e.data.name
          }
        },
        compare: async () => {
          const live = await store.listAllDepartments(this.db)
          return diffStates(
            'department',
            departments,
            new Map(live.map((d) => [d.id, { name: d.name, regionCode: d.regionCode, kind: d.kind }])),
          )
        },
      },
      {
        name: 'staff',
        types: ['staff.'],
        apply: (e) => {
          staff.set(e.subject.slice('staff:'.length), e.data)
        },
        compare: async () => {
          const live = new Map<string, Record<string, unknown>>()
          for (const { account, staff: s } of await store.listAllStaffRaw(this.db)) {
            live.set(
              account.id,
              staffLedgerState({
                username: account.username,
                name: account.name,
                salt: account.salt ?? '',
                passwordHash: account.password_hash,
                departmentId: s.department_id,
                regionCode: account.region_code,
                position: s.position,
                roles: s.roles,
                active: account.active === 1,
              }) as unknown as Record<string, unknown>,
            )
          }
          return diffStates('staff', staff, live)
        },
      },
      {
        name: 'citizens',
        types: ['citizen.'],
        apply: (e) => {
          if (e.type === 'citizen.registered_batch') batches.push({ log: e.log, data: e.data })
          else if (e.type === 'citizen.registered') singles.push({ log: e.log, data: e.data })
        },
        compare: async () => {
          const out: AuditDifference[] = []
          let recorded = 0
          for (const b of batches) {
            const first = String(b.data.first)
            const last = String(b.data.last)
            const rows = await store.listCitizensRaw(this.db, first, last, b.log)
            recorded += Number(b.data.count)
            const items = rows.map((r) => citizenLedgerItem(r)).sort((x, y) => (x[0] < y[0] ? -1 : 1))
            const intact =
              items.length === Number(b.data.count) && citizenBatchDigest(items) === b.data.digest
            if (!intact && Array.isArray(b.data.items)) {
              out.push(...locateCitizenChanges(b.data.items as string[][], items))
              continue
            }
            if (!intact) {
              out.push({
                table: 'citizen',
                key: `${first}..${last} in ${b.log}`,
                problem: 'differs',
                field: 'registration batch digest',
                expected: b.data.digest,
                actual: citizenBatchDigest(items),
              })
            }
          }
          for (const r of singles) {
            const item = r.data.item as string[]
            const [id] = item
            const rows = await store.listCitizensRaw(this.db, String(id), String(id), r.log)
            recorded++
            const actual = rows[0] ? citizenLedgerItem(rows[0]) : null
            if (!actual || actual.join('\t') !== item.join('\t')) {
              out.push({
                table: 'citizen',
                key: String(id),
                problem: actual ? 'differs' : 'missing',
                field: 'registration',
                expected: item,
                actual,
              })
            }
          }
          const live = await store.countAccounts(this.db, 'citizen')
          if (live !== recorded) {
            out.push({
              table: 'citizen',
              key: '(all)',
              problem: 'differs',
              field: 'count',
              expected: recorded,
              actual: live,
            })
          }
          return out
        },
      },
    ]
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
    throw new AppError(
      'VALIDATION_FAILED',
      'username must be 3–64 lowercase letters, digits, ".", "_" or "-"',
      {
        details: [{ path: '/username', message: `must match ${USERNAME_PATTERN}` }],
      },
    )
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

function departmentCreated(principal: Principal, row: DepartmentTable): LedgerEvent {
  return {
    type: 'department.created',
    subject: subjectOf('department', row.id),
    regionCode: row.region_code,
    actor: actorOf(principal),
    data: { id: row.id, name: row.name, regionCode: row.region_code, kind: row.kind },
  }
}

/** Every staff event carries the account's whole ledger state, so replay keeps the last one. */
function staffEvent(
  type: 'staff.created' | 'staff.updated',
  principal: Principal,
  account: AccountTable,
  staff: StaffAppointment,
): LedgerEvent {
  return {
    type,
    subject: subjectOf('staff', account.id),
    regionCode: account.region_code,
    actor: actorOf(principal),
    data: staffLedgerState({
      username: account.username,
      name: account.name,
      salt: account.salt ?? '',
      passwordHash: account.password_hash,
      departmentId: staff.department_id,
      regionCode: account.region_code,
      position: staff.position,
      roles: staff.roles,
      active: account.active === 1,
    }) as unknown as Record<string, unknown>,
  }
}

/** Names each account of a batch whose row no longer matches what the batch event listed of it. */
function locateCitizenChanges(
  recorded: readonly (readonly string[])[],
  items: readonly [string, string, string, string][],
): AuditDifference[] {
  const live = new Map(items.map((i) => [i[0], citizenLocator(i)]))
  const out: AuditDifference[] = []
  const parts = ['region', 'personal data (commitment)', 'password (credential digest)'] as const
  for (const want of recorded) {
    const id = String(want[0])
    const got = live.get(id)
    live.delete(id)
    if (!got) {
      out.push({ table: 'citizen', key: id, problem: 'missing' })
      continue
    }
    parts.forEach((field, k) => {
      if (got[k + 1] !== want[k + 1])
        out.push({
          table: 'citizen',
          key: id,
          problem: 'differs',
          field,
          expected: want[k + 1],
          actual: got[k + 1],
        })
    })
  }
  for (const id of live.keys()) out.push({ table: 'citizen', key: id, problem: 'unexpected' })
  return out
}

/**
 * Citizens registered in bulk are recorded in events of at most {@link CITIZENS_PER_BATCH_EVENT} per
 * city: the count, the id range, a digest over each citizen's [id, region, personal commitment,
 * credential digest] sorted by id (detection), and each citizen's locator (which account changed).
 */
function citizenBatchEvents(
  accounts: readonly AccountTable[],
  citizens: readonly CitizenTable[],
): LedgerEvent[] {
  const accountById = new Map(accounts.map((a) => [a.id, a]))
  const byCity = new Map<string, [string, string, string, string][]>()
  for (const c of citizens) {
    const a = accountById.get(c.account_id) as AccountTable
    const item = citizenLedgerItem({
      id: a.id,
      username: a.username,
      name: a.name,
      regionCode: a.region_code,
      idNumber: c.id_number,
      gender: c.gender,
      birthDate: c.birth_date,
      phone: c.phone,
      salt: a.salt ?? '',
      passwordHash: a.password_hash,
    })
    const city = a.region_code.slice(0, 4)
    const list = byCity.get(city)
    if (list) list.push(item)
    else byCity.set(city, [item])
  }
  return [...byCity.entries()].flatMap(([city, all]) => {
    all.sort((x, y) => (x[0] < y[0] ? -1 : 1))
    const events: LedgerEvent[] = []
    for (let i = 0; i < all.length; i += CITIZENS_PER_BATCH_EVENT) {
      const items = all.slice(i, i + CITIZENS_PER_BATCH_EVENT)
      events.push({
        type: 'citizen.registered_batch',
        subject: subjectOf('citizen-batch', `${items[0]![0]}..${items[items.length - 1]![0]}`),
        regionCode: city,
        actor: actorOf(SYSTEM),
        data: {
          count: items.length,
          first: items[0]![0],
          last: items[items.length - 1]![0],
          digest: citizenBatchDigest(items),
          items: items.map(citizenLocator),
        },
      })
    }
    return events
  })
}

/** What the ledger records of one citizen (the item of a registration batch). */
function citizenItem(account: AccountTable, c: CitizenTable): [string, string, string, string] {
  return citizenLedgerItem({
    id: account.id,
    username: account.username,
    name: account.name,
    regionCode: account.region_code,
    idNumber: c.id_number,
    gender: c.gender,
    birthDate: c.birth_date,
    phone: c.phone,
    salt: account.salt ?? '',
    passwordHash: account.password_hash,
  })
}

const CITIZEN_NAME = /^[\p{Script=Han}·]{2,20}$/u
const MOBILE = /^1\d{10}$/

/** Checks what the HTTP schema checks too (identity number by GB 11643, not only its shape). */
function assertCitizenInput(v: { idNumber: string; name: string; phone: string; password?: string }): void {
  const problems: { path: string; message: string }[] = []
  if (!isValidIdNumber(v.idNumber))
    problems.push({ path: '/body/idNumber', message: 'must be a valid GB 11643 identity number' })
  if (!CITIZEN_NAME.test(v.name))
    problems.push({ path: '/body/name', message: 'must be 2–20 Chinese characters (· allowed)' })
  if (!MOBILE.test(v.phone))
    problems.push({ path: '/body/phone', message: 'must be an 11-digit mobile number' })
  if (v.password !== undefined && v.password.length < 8)
    problems.push({ path: '/body/password', message: 'must have at least 8 characters' })
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', problems.map((p) => `${p.path} ${p.message}`).join('; '), {
      details: problems,
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
