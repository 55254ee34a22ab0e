/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 1 registration-authority character,
 * 1 organisation-category character, 6-digit administrative division code, 9-character organisation
 * code (GB 11714-1997, with its own MOD 11 check character) and a MOD 31 check character.
 * @module
 */

/** The 31 characters a credit code may use: digits and capitals without I, O, S, V, Z. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** Weights of positions 1–17 (3^(i−1) mod 31). */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

/** Weights of the 8 body characters of a GB 11714 organisation code. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const

/** Registration authority 9 (market regulation) and category 1 (enterprise): `91…`. */
export const USCC_ENTERPRISE_PREFIX = '91'

/** A well-formed credit code: charset, 6-digit division code, check characters not verified. */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

/**
 * GB 32100 check character of the first 17 characters of a credit code.
 * @throws RangeError when `first17` is not 17 characters of {@link USCC_CHARSET}.
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${JSON.stringify(first17)}`)
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i] as string)
    if (v < 0) throw new RangeError(`character ${JSON.stringify(first17[i])} is not allowed in a credit code`)
    sum += v * (USCC_WEIGHTS[i] as number)
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31] as string
}

/**
 * GB 11714 check character of an 8-character organisation-code body (digits and capitals,
 * A = 10 … Z = 35): `'0'`–`'9'` or `'X'`.
 */
export function orgCodeCheckChar(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8))
    throw new RangeError(`expected 8 digits or capitals, got ${JSON.stringify(body8)}`)
  let sum = 0
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body8[i] as string, 36) * (ORG_WEIGHTS[i] as number)
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}

/**
 * Builds a credit code: `prefix` (authority + category, default `91`), the 6-digit division code,
 * the organisation-code body with its check character, and the final check character.
 */
export function makeUscc(divisionCode: string, orgBody8: string, prefix = USCC_ENTERPRISE_PREFIX): string {
  if (!/^\d{6}$/.test(divisionCode))
    throw new RangeError(`expected a 6-digit division code, got ${divisionCode}`)
  const first17 = prefix + divisionCode + orgBody8 + orgCodeCheckChar(orgBody8)
  return first17 + usccCheckChar(first17)
}

/** Whether `code` is a credit code with a valid GB 32100 check character. */
export function isValidUscc(code: string): boolean {
  if (!USCC_PATTERN.test(code)) return false
  return usccCheckChar(code.slice(0, 17)) === code[17]
}
