/**
 * Resident identity card numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit
 * sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 * @module
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

/**
 * ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number: `'0'`–`'9'` or `'X'`.
 * @throws RangeError when `first17` is not exactly 17 ASCII digits.
 */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got ${JSON.stringify(first17)}`)
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number)
  return CHECK_CHARS[sum % 11] as string
}

/**
 * Whether `id` is a well-formed 18-character ID number: digits, a real calendar birth date and a
 * correct check character. Does not check that the region code exists.
 */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false
  return checkDigit(id.slice(0, 17)) === id[17]
}

/** Gender encoded in an ID number's sequence digits: odd is male, even is female. */
export function idNumberGender(id: string): 'F' | 'M' {
  return Number(id[16]) % 2 === 1 ? 'M' : 'F'
}
