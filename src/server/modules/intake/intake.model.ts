/**
 * What a window clerk types to find a citizen: a full identity number (GB 11643, check character
 * verified) or a full name in Chinese characters. Partial numbers and name prefixes are refused, so the
 * look-up finds the person at the window and cannot be used to browse the population. Pure.
 * @module
 */
import { AppError } from '../../../shared/errors.js'
import { isValidIdNumber } from '../../../shared/idnumber.js'

/** At most this many matches are shown (people share names). */
export const LOOKUP_LIMIT = 20

export type CitizenQuery = { by: 'idNumber'; idNumber: string } | { by: 'name'; name: string }

const NAME = /^[\p{Script=Han}·]{2,20}$/u
const ID_SHAPE = /^\d{17}[\dXx]$/

/**
 * @throws AppError VALIDATION_FAILED (path `/querystring/query`) for anything but a valid identity
 *   number or a 2–20 character Chinese name; an 18-character number with a wrong check character is
 *   named as such, so a mistyped digit is caught before anyone is looked up.
 */
export function parseCitizenQuery(raw: string): CitizenQuery {
  const q = raw.trim().replace(/\s+/g, '')
  if (ID_SHAPE.test(q)) {
    const idNumber = q.toUpperCase()
    if (isValidIdNumber(idNumber)) return { by: 'idNumber', idNumber }
    throw new AppError('VALIDATION_FAILED', 'the identity number has a wrong check character or birth date', {
      details: [{ path: '/querystring/query', message: 'must be a valid GB 11643 identity number' }],
    })
  }
  if (NAME.test(q)) return { by: 'name', name: q }
  throw new AppError(
    'VALIDATION_FAILED',
    'look a citizen up by their full 18-character identity number or their full name in Chinese',
    {
      details: [
        {
          path: '/querystring/query',
          message: 'must be an 18-character identity number or a 2–20 character name',
        },
      ],
    },
  )
}
