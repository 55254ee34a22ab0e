/**
 * Organisation rules: who may hold which role, what a username looks like, how personal numbers are
 * shown. Pure.
 * @module
 */
import type { Principal } from '../../access.js'
import { ROLES, type Role } from '../../../shared/domain.js'

/** Roles a staff account may hold (everything but `citizen`). */
export const STAFF_ROLES = ROLES.filter((r): r is Exclude<Role, 'citizen'> => r !== 'citizen')

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,63}$'

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
  return id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`
}

/** `13912345678` → `139****5678`. */
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`
}
