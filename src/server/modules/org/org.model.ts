/**
 * Organisation rules: who may hold which role, what a username looks like, how personal numbers are
 * shown. Pure.
 * @module
 */
import { createHash } from 'node:crypto'
import type { Principal } from '../../access.js'
import { commitment } from '../ledger/formats/index.js'
import { ROLES, type DepartmentKind, type Role } from '../../../shared/domain.js'

/** Roles a staff account may hold (everything but `citizen`). */
export const STAFF_ROLES = ROLES.filter((r): r is Exclude<Role, 'citizen'> => r !== 'citizen')

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,63}$'

/**
 * A staff account's appointment (the `staff` row, its roles parsed): the department it serves in,
 * its position and roles. Field names are the columns'.
 */
export interface StaffAppointment {
  account_id: string
  department_id: string
  position: string
  roles: Role[]
}

/** What authentication needs to know of an account. */
export interface LoginAccount {
  passwordHash: string
  active: boolean
  principal: Principal
}

export interface CitizenProfile {
  id: string
  username: string
  name: string
  regionCode: string
  idNumber: string
  gender: 'F' | 'M'
  birthDate: string
  phone: string
}

/** `430102199001011234` → `4301**********1234`: enough to recognise, not enough to misuse. */
export function maskIdNumber(id: string): string {
  return id.length <= 8
    ? '*'.repeat(id.length)
    : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`
}

/**
 * `张三` → `张*`, `张小三` → `张*三`, `欧阳小三` → `欧**三`: the surname and the last character, enough
 * for a clerk to tell matches apart while the citizen stands at the window.
 */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** `13912345678` → `139****5678`. */
export function maskPhone(phone: string): string {
  return phone.length < 7
    ? '*'.repeat(phone.length)
    : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`
}

/** The state of a staff account as the ledger records it (and as `xzt audit` rebuilds it). */
export interface StaffLedgerState {
  departmentId: string
  regionCode: string
  position: string
  roles: string[]
  active: boolean
  /** Salted commitment to `{username, name}`: personal data stays out of the ledger. */
  personal: string
  /** Digest of the stored password hash, so a credential swapped behind the service is caught. */
  credential: string
}

/** Personal fields of a staff account, committed to with the account's salt. */
export function staffPersonal(username: string, name: string): { username: string; name: string } {
  return { username, name }
}

/** Builds the ledger state of a staff account from its stored values. */
export function staffLedgerState(v: {
  username: string
  name: string
  salt: string
  passwordHash: string
  departmentId: string
  regionCode: string
  position: string
  roles: readonly string[]
  active: boolean
}): StaffLedgerState {
  return {
    departmentId: v.departmentId,
    regionCode: v.regionCode,
    position: v.position,
    roles: [...v.roles],
    active: v.active,
    personal: commitment(staffPersonal(v.username, v.name), v.salt),
    credential: digest(v.passwordHash),
  }
}

/** What the ledger records of one citizen inside a registration batch. */
export function citizenLedgerItem(v: {
  id: string
  username: string
  name: string
  regionCode: string
  idNumber: string
  gender: string
  birthDate: string
  phone: string
  salt: string
  passwordHash: string
}): [string, string, string, string] {
  const personal = commitment(
    {
      username: v.username,
      name: v.name,
      idNumber: v.idNumber,
      gender: v.gender,
      birthDate: v.birthDate,
      phone: v.phone,
    },
    v.salt,
  )
  return [v.id, v.regionCode, personal, digest(v.passwordHash)]
}

/** base64 SHA-256 of a string. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64')
}

/** Citizens one `citizen.registered_batch` event lists (the leaf stays well under 64 KiB). */
export const CITIZENS_PER_BATCH_EVENT = 800

/**
 * What a batch event lists of one citizen to locate a change: the id, the region, and the first 8
 * base64 characters (48 bits) of the SHA-256 of the personal commitment and of the credential digest.
 * Detection does not rest on these (the batch digest covers every item in full); they say which
 * account changed, and whether its personal data or its password.
 */
export function citizenLocator(
  item: readonly [string, string, string, string],
): [string, string, string, string] {
  const short = (v: string): string => digest(v).slice(0, 8)
  return [item[0], item[1], short(item[2]), short(item[3])]
}

/** Digest of a citizen registration batch: its items (sorted by id), one tab-separated line each. */
export function citizenBatchDigest(items: readonly (readonly string[])[]): string {
  const h = createHash('sha256')
  for (const item of items) h.update(`${item.join('\t')}\n`)
  return h.digest('base64')
}

// ---- the line of responsibility ------------------------------------------------------------------

/** A serving member of a department, as responsibility chains and escalations name them. */
export interface Member {
  id: string
  name: string
  position: string
  roles: readonly Role[]
  departmentId: string
}

const has = (m: Member, role: Role): boolean => m.roles.includes(role)

/** A department's leaders (局长, 主任): its members with the `leader` role. */
export function leadersAmong(members: readonly Member[]): Member[] {
  return members.filter((m) => has(m, 'leader'))
}

/**
 * Whom a member of a department answers to: its supervisors (副局长, 科长), or its leaders when the
 * member is a supervisor or leader themself, or when the department has no supervisor. Never the
 * member themself. `personId` null: the department's supervisors (or leaders).
 */
export function superiorsAmong(members: readonly Member[], personId: string | null): Member[] {
  const person = personId === null ? undefined : members.find((m) => m.id === personId)
  const senior = person && (has(person, 'supervisor') || has(person, 'leader'))
  const supervisors = senior ? [] : members.filter((m) => has(m, 'supervisor') && m.id !== personId)
  if (supervisors.length) return supervisors
  if (person && has(person, 'leader')) return []
  return leadersAmong(members).filter((m) => m.id !== personId)
}

/** Members who work a department's inbox, in the order of the duty rota. */
function rota(members: readonly Member[]): Member[] {
  for (const role of ['official', 'clerk', 'supervisor', 'leader'] as const) {
    const on = members.filter((m) => has(m, role))
    if (on.length) return [...on].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }
  return []
}

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/**
 * The member on duty at a moment (值班): the department's officials (or, lacking any, its clerks, then
 * supervisors, then leaders) take the days in turn, in the order of their account ids, each calendar
 * day in Asia/Shanghai. Deterministic, so a chain built again names the same person.
 */
export function onDutyAt(members: readonly Member[], at: number): Member | undefined {
  const list = rota(members)
  if (!list.length) return undefined
  const day = Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS)
  return list[day % list.length]
}

/** The kind of department that leads a region: a street's office, else the government's general office. */
export function leadingOfficeKind(regionCode: string): DepartmentKind {
  return regionCode.length > 6 ? 'street_office' : 'government_office'
}
