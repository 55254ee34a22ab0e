/**
 * JSON-Schema formats for Chinese identity numbers, shared by the server's form validation and the web
 * form (so a citizen sees the error before submitting, and the server refuses it anyway):
 * - `cn-id-number`: a resident identity card number (公民身份号码, GB 11643) with a real birth date and a
 *   correct ISO 7064 MOD 11-2 check character;
 * - `cn-uscc`: a unified social credit code (统一社会信用代码, GB 32100) with a correct check character.
 * @module
 */
import { isValidIdNumber } from './idnumber.js'
import { isValidUscc } from './uscc.js'

export const IDENTITY_FORMATS = {
  'cn-id-number': (value: string): boolean => isValidIdNumber(value),
  'cn-uscc': (value: string): boolean => isValidUscc(value),
} as const
