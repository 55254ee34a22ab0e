import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { USCC_CHARSET, isValidUscc, makeUscc, orgCodeCheckChar, usccCheckChar } from './uscc.js'

const charsetChar = fc.constantFrom(...USCC_CHARSET)
const first17 = fc.array(charsetChar, { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''))

describe('unified social credit code (GB 32100)', () => {
  it('accepts published codes of real companies, both check characters included', () => {
    for (const code of [
      '914403001922038216',
      '9144030071526726XG',
      '91350100M000100Y43',
      '91330100716105852F',
    ]) {
      expect(isValidUscc(code)).toBe(true)
      expect(orgCodeCheckChar(code.slice(8, 16))).toBe(code[16])
    }
  })

  it('satisfies the defining congruence: Σ value·3^i over the first 17 plus the check value ≡ 0 (mod 31)', () => {
    fc.assert(
      fc.property(first17, (f) => {
        const check = usccCheckChar(f)
        let sum = USCC_CHARSET.indexOf(check)
        for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(f[i] as string) * (3 ** i % 31)
        expect(sum % 31).toBe(0)
      }),
    )
  })

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        first17,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 30 }),
        (f, pos, shift) => {
          const chars = [...(f + usccCheckChar(f))]
          const old = USCC_CHARSET.indexOf(chars[pos] as string)
          chars[pos] = USCC_CHARSET[(old + shift) % 31] as string
          expect(usccCheckChar(chars.slice(0, 17).join(''))).not.toBe(chars[17])
        },
      ),
    )
  })

  it('detects every transposition of two adjacent different characters', () => {
    fc.assert(
      fc.property(first17, fc.integer({ min: 0, max: 15 }), (f, pos) => {
        fc.pre(f[pos] !== f[pos + 1])
        const chars = [...(f + usccCheckChar(f))]
        ;[chars[pos], chars[pos + 1]] = [chars[pos + 1] as string, chars[pos] as string]
        expect(usccCheckChar(chars.slice(0, 17).join(''))).not.toBe(chars[17])
      }),
    )
  })

  it('builds enterprise codes that validate and rejects bad input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 110000, max: 659999 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        (div, org) => {
          const code = makeUscc(String(div), String(org).padStart(8, '0'))
          expect(code).toHaveLength(18)
          expect(code.startsWith('91')).toBe(true)
          expect(isValidUscc(code)).toBe(true)
        },
      ),
    )
    expect(() => usccCheckChar('91430101ABCDEFGHI')).toThrow(RangeError) // I is not allowed
    expect(() => usccCheckChar('123')).toThrow(RangeError)
    expect(() => makeUscc('4301', '12345678')).toThrow(RangeError)
    expect(isValidUscc('91430101669004900n')).toBe(false)
    expect(isValidUscc('')).toBe(false)
  })
})
