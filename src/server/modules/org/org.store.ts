/**
 * SQL for departments, accounts, staff and citizens. Every read of people takes the caller's Scope
 * and applies it here, in the store, so no service can forget jurisdiction. Staff roles are JSON
 * text in the table and `Role[]` everywhere else: parsed and written here only.
 * @module
 */
import { sql } from 'kysely'
import type { Scope } from '../../access.js'
import type { Executor } from '../../db/database.js'
import type { AccountTable, CitizenTable, DepartmentTable, StaffTable } from '../../db/schema.js'
import type { StaffView } from '../../../shared/api.js'
import type { Department, DepartmentKind, Role } from '../../../shared/domain.js'
import type { CitizenProfile, LoginAccount, Member, StaffAppointment } from './org.model.js'

const BATCH = 500

function toDepartment(row: Pick<DepartmentTable, 'id' | 'name' | 'region_code' | 'kind'>): Department {
  return { id: row.id, name: row.name, regionCode: row.region_code, kind: row.kind as DepartmentKind }
}

export interface StaffRow {
  id: string
  username: string
  name: string
  region_code: string
  active: number
  department_id: string
  position: string
  roles: string
}

/** A staff member as the API shows it. */
export type StaffRecord = StaffView

/** The staff table's roles column (JSON text) as roles: the one reader of it. */
function parseRoles(text: string): Role[] {
  return JSON.parse(text) as Role[]
}

function toStaff(row: StaffRow): StaffRecord {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    departmentId: row.department_id,
    position: row.position,
    roles: parseRoles(row.roles),
    regionCode: row.region_code,
    active: row.active === 1,
  }
}

function toAppointment(row: StaffTable): StaffAppointment {
  return { ...row, roles: parseRoles(row.roles) }
}

function fromAppointment(a: StaffAppointment): StaffTable {
  return { ...a, roles: JSON.stringify(a.roles) }
}

// ---- departments -------------------------------------------------------------------------------

export async function findDepartment(db: Executor, id: string): Promise<Department | undefined> {
  const row = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toDepartment(row)
}

/** Departments by id, in one query. Unknown ids are absent. */
export async function findDepartmentsByIds(db: Executor, ids: readonly string[]): Promise<Department[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code', 'kind'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return rows.map(toDepartment)
}

export async function findDepartmentOfKind(
  db: Executor,
  regionCode: string,
  kind: string,
): Promise<Department | undefined> {
  const row = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code', 'kind'])
    .where('region_code', '=', regionCode)
    .where('kind', '=', kind)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row && toDepartment(row)
}

/**
 * For each `{regionCode, kind}` pair, the department of that kind in that region (the same one
 * `findDepartmentOfKind` picks: lowest id), in one query. Pairs with none are absent from the map,
 * whose keys are `<regionCode>/<kind>`.
 */
export async function findDepartmentsOfKinds(
  db: Executor,
  pairs: readonly { regionCode: string; kind: string }[],
): Promise<Map<string, Department>> {
  const out = new Map<string, Department>()
  if (pairs.length === 0) return out
  const rows = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code', 'kind'])
    .where((eb) =>
      eb.or(pairs.map((p) => eb.and([eb('region_code', '=', p.regionCode), eb('kind', '=', p.kind)]))),
    )
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const key = `${row.region_code}/${row.kind}`
    if (!out.has(key)) out.set(key, toDepartment(row))
  }
  return out
}

/** Names of departments and accounts by id, in one query (for timelines). Unknown ids are absent. */
export async function findNames(
  db: Executor,
  ids: { departments: readonly string[]; accounts: readonly string[] },
): Promise<{ departments: Map<string, string>; accounts: Map<string, string> }> {
  const departments = new Map<string, string>()
  const accounts = new Map<string, string>()
  const parts = [
    ...(ids.departments.length
      ? [
          db
            .selectFrom('department')
            .select([sql.lit('d').as('kind'), 'id', 'name'])
            .where('id', 'in', [...ids.departments]),
        ]
      : []),
    ...(ids.accounts.length
      ? [
          db
            .selectFrom('account')
            .select([sql.lit('a').as('kind'), 'id', 'name'])
            .where('id', 'in', [...ids.accounts]),
        ]
      : []),
  ]
  const [first, second] = parts
  if (!first) return { departments, accounts }
  for (const r of await (second ? first.unionAll(second) : first).execute())
    (r.kind === 'd' ? departments : accounts).set(r.id, r.name)
  return { departments, accounts }
}

export async function listDepartments(db: Executor, regionPrefix: string): Promise<Department[]> {
  const rows = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code', 'kind'])
    .where('region_code', 'like', `${regionPrefix}%`)
    .orderBy('region_code')
    .orderBy('id')
    .execute()
  return rows.map(toDepartment)
}

export async function insertDepartments(db: Executor, rows: readonly DepartmentTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('department')
      .values(rows.slice(i, i + BATCH))
      .execute()
}

export async function updateDepartment(
  db: Executor,
  id: string,
  patch: { name?: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('department')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute()
}

export async function countDepartments(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('department')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- staff -------------------------------------------------------------------------------------

const STAFF_COLUMNS = [
  'account.id as id',
  'account.username as username',
  'account.name as name',
  'account.region_code as region_code',
  'account.active as active',
  'staff.department_id as department_id',
  'staff.position as position',
  'staff.roles as roles',
] as const

function staffInScope(db: Executor, scope: Scope) {
  let q = db
    .selectFrom('account')
    .innerJoin('staff', 'staff.account_id', 'account.id')
    .where('account.region_code', 'like', `${scope.regionPrefix}%`)
  if (scope.departmentId !== null) q = q.where('staff.department_id', '=', scope.departmentId)
  if (scope.accountId !== null) q = q.where('account.id', '=', scope.accountId)
  return q
}

export interface StaffQuery {
  regionCode: string
  q?: string
  departmentId?: string
  limit: number
  offset: number
}

/** Staff in `query.regionCode`'s subtree that the scope allows, newest first, with the total count. */
export async function listStaff(
  db: Executor,
  scope: Scope,
  query: StaffQuery,
): Promise<{ items: StaffRecord[]; total: number }> {
  let q = staffInScope(db, scope).where('account.region_code', 'like', `${query.regionCode}%`)
  if (query.departmentId) q = q.where('staff.department_id', '=', query.departmentId)
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) =>
      eb.or([
        eb('account.username', 'like', eb.val(like)),
        eb('account.name', 'like', eb.val(like)),
        eb('staff.position', 'like', eb.val(like)),
      ]),
    )
  }
  const [rows, count] = await Promise.all([
    q
      .select(STAFF_COLUMNS)
      .orderBy('account.created_at', 'desc')
      .orderBy('account.username')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toStaff), total: Number(count.n) }
}

export async function findStaff(db: Executor, scope: Scope, id: string): Promise<StaffRecord | undefined> {
  const row = await staffInScope(db, scope)
    .select(STAFF_COLUMNS)
    .where('account.id', '=', id)
    .executeTakeFirst()
  return row && toStaff(row)
}

export async function insertAccounts(db: Executor, rows: readonly AccountTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('account')
      .values(rows.slice(i, i + BATCH))
      .execute()
}

export async function insertStaffRows(
  db: Executor,
  appointments: readonly StaffAppointment[],
): Promise<void> {
  const rows = appointments.map(fromAppointment)
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('staff')
      .values(rows.slice(i, i + BATCH))
      .execute()
}

export async function insertCitizenRows(db: Executor, rows: readonly CitizenTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('citizen')
      .values(rows.slice(i, i + BATCH))
      .execute()
}

export async function updateAccount(
  db: Executor,
  id: string,
  patch: Partial<Pick<AccountTable, 'name' | 'region_code' | 'active' | 'password_hash'>>,
  now: number,
): Promise<void> {
  await db
    .updateTable('account')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute()
}

export async function updateStaffRow(
  db: Executor,
  id: string,
  patch: Partial<Pick<StaffAppointment, 'department_id' | 'position' | 'roles'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return
  const { roles, ...rest } = patch
  await db
    .updateTable('staff')
    .set({ ...rest, ...(roles !== undefined ? { roles: JSON.stringify(roles) } : {}) })
    .where('account_id', '=', id)
    .execute()
}

export async function countAccounts(db: Executor, kind: 'staff' | 'citizen'): Promise<number> {
  const row = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- citizens ----------------------------------------------------------------------------------

export async function findCitizen(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CitizenProfile | undefined> {
  let q = db
    .selectFrom('account')
    .innerJoin('citizen', 'citizen.account_id', 'account.id')
    .select([
      'account.id as id',
      'account.username as username',
      'account.name as name',
      'account.region_code as region_code',
      'citizen.id_number as id_number',
      'citizen.gender as gender',
      'citizen.birth_date as birth_date',
      'citizen.phone as phone',
    ])
    .where('account.id', '=', id)
    .where('account.region_code', 'like', `${scope.regionPrefix}%`)
  if (scope.accountId !== null) q = q.where('account.id', '=', scope.accountId)
  const row = await q.executeTakeFirst()
  return (
    row && {
      id: row.id,
      username: row.username,
      name: row.name,
      regionCode: row.region_code,
      idNumber: row.id_number,
      gender: row.gender as 'F' | 'M',
      birthDate: row.birth_date,
      phone: row.phone,
    }
  )
}

// ---- login -------------------------------------------------------------------------------------

/** The account behind a username, with what authentication needs; unscoped (login has no caller yet). */
export async function findLoginAccount(
  db: Executor,
  by: { username: string } | { id: string },
): Promise<LoginAccount | undefined> {
  let q = db
    .selectFrom('account')
    .leftJoin('staff', 'staff.account_id', 'account.id')
    .select([
      'account.id as id',
      'account.username as username',
      'account.name as name',
      'account.kind as kind',
      'account.region_code as region_code',
      'account.active as active',
      'account.password_hash as password_hash',
      'staff.department_id as department_id',
      'staff.roles as roles',
    ])
  q = 'username' in by ? q.where('account.username', '=', by.username) : q.where('account.id', '=', by.id)
  const row = await q.executeTakeFirst()
  return (
    row && {
      passwordHash: row.password_hash,
      active: row.active === 1,
      principal: {
        accountId: row.id,
        username: row.username,
        name: row.name,
        kind: row.kind,
        roles: row.kind === 'citizen' ? ['citizen'] : parseRoles(row.roles ?? '[]'),
        regionCode: row.region_code,
        departmentId: row.department_id ?? null,
      },
    }
  )
}

/** The account row and the appointment of a staff member (for the ledger and the audit), unscoped. */
export async function findStaffRaw(
  db: Executor,
  id: string,
): Promise<{ account: AccountTable; staff: StaffAppointment } | undefined> {
  const row = await db
    .selectFrom('account')
    .innerJoin('staff', 'staff.account_id', 'account.id')
    .selectAll(['account', 'staff'])
    .where('account.id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  const { account_id, department_id, position, roles, ...account } = row
  return {
    account: { ...account, created_at: Number(account.created_at), updated_at: Number(account.updated_at) },
    staff: toAppointment({ account_id, department_id, position, roles }),
  }
}

export async function listAllDepartments(db: Executor): Promise<Department[]> {
  const rows = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code', 'kind'])
    .orderBy('id')
    .execute()
  return rows.map(toDepartment)
}

/** Every staff account's account row and appointment (for the audit). */
export async function listAllStaffRaw(
  db: Executor,
): Promise<{ account: AccountTable; staff: StaffAppointment }[]> {
  const rows = await db
    .selectFrom('account')
    .innerJoin('staff', 'staff.account_id', 'account.id')
    .selectAll(['account', 'staff'])
    .orderBy('account.id')
    .execute()
  return rows.map(({ account_id, department_id, position, roles, ...account }) => ({
    account: { ...account, created_at: Number(account.created_at), updated_at: Number(account.updated_at) },
    staff: toAppointment({ account_id, department_id, position, roles }),
  }))
}

/**
 * Citizens with exactly this identity number or exactly this name, at most `limit`, by id (unscoped: a
 * window serves any citizen of the province; the caller checks the permission and records the look-up).
 */
export async function findCitizensBy(
  db: Executor,
  by: { idNumber: string } | { name: string },
  limit: number,
): Promise<CitizenProfile[]> {
  let q = db
    .selectFrom('account')
    .innerJoin('citizen', 'citizen.account_id', 'account.id')
    .select([
      'account.id as id',
      'account.username as username',
      'account.name as name',
      'account.region_code as region_code',
      'citizen.id_number as id_number',
      'citizen.gender as gender',
      'citizen.birth_date as birth_date',
      'citizen.phone as phone',
    ])
    .where('account.kind', '=', 'citizen')
    .where('account.active', '=', 1)
  q =
    'idNumber' in by ? q.where('citizen.id_number', '=', by.idNumber) : q.where('account.name', '=', by.name)
  const rows = await q.orderBy('account.id').limit(limit).execute()
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    name: row.name,
    regionCode: row.region_code,
    idNumber: row.id_number,
    gender: row.gender as 'F' | 'M',
    birthDate: row.birth_date,
    phone: row.phone,
  }))
}

/** Citizens with ids in [first, last] living in the city `cityCode` (for the audit of registration batches). */
export async function listCitizensRaw(db: Executor, first: string, last: string, cityCode: string) {
  const rows = await db
    .selectFrom('account')
    .innerJoin('citizen', 'citizen.account_id', 'account.id')
    .select([
      'account.id as id',
      'account.username as username',
      'account.name as name',
      'account.region_code as regionCode',
      'account.salt as salt',
      'account.password_hash as passwordHash',
      'citizen.id_number as idNumber',
      'citizen.gender as gender',
      'citizen.birth_date as birthDate',
      'citizen.phone as phone',
    ])
    .where('account.id', '>=', first)
    .where('account.id', '<=', last)
    .where('account.region_code', 'like', `${cityCode}%`)
    .execute()
  return rows.map((r) => ({ ...r, salt: r.salt ?? '' }))
}

/** Active staff of these departments, by account id, with their roles. */
export async function listMembers(db: Executor, departmentIds: readonly string[]): Promise<Member[]> {
  if (!departmentIds.length) return []
  const rows = await db
    .selectFrom('account')
    .innerJoin('staff', 'staff.account_id', 'account.id')
    .select([
      'account.id as id',
      'account.name as name',
      'staff.position as position',
      'staff.roles as roles',
      'staff.department_id as department_id',
    ])
    .where('staff.department_id', 'in', [...new Set(departmentIds)])
    .where('account.active', '=', 1)
    .orderBy('account.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    position: r.position,
    roles: parseRoles(r.roles),
    departmentId: r.department_id,
  }))
}
