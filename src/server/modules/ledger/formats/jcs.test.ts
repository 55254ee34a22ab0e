import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LedgerFormatError } from './errors.js'
import { canonicalJson, commitment, newSalt } from './jcs.js'

const text = (v: unknown) => Buffer.from(canonicalJson(v)).toString('utf8')

describe('RFC 8785 canonical JSON', () => {
  it('sorts keys by UTF-16 code units and serializes numbers as ECMAScript does (RFC 8785 §3.2.2 examples)', () => {
    const value = {
      // The RFC's own input literal, whose last digits a double cannot hold.
      // eslint-disable-next-line no-loss-of-precision
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    }
    expect(text(value)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    )
    const sorting = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    expect(text(sorting)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
    expect(text({ b: [1, { d: -0, c: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"c":"x","d":0}]}')
  })

  it('rejects values without a faithful JSON form', () => {
    const cyclic: any = { a: 1 }
    cyclic.self = cyclic
    // eslint-disable-next-line no-sparse-arrays
    const holes = [1, , 3]
    const bad: unknown[] = [
      undefined,
      { a: undefined },
      [undefined],
      () => 1,
      { f: () => 1 },
      Symbol('s'),
      10n,
      NaN,
      Infinity,
      { n: -Infinity },
      'lone \uD800 surrogate',
      { ['\uDC00']: 1 },
      new Date(0),
      new Map(),
      cyclic,
      holes,
    ]
    for (const v of bad) expect(() => canonicalJson(v), String(typeof v)).toThrow(LedgerFormatError)
  })

  it('accepts shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { x: 1 }
    expect(text({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}')
    const bare = Object.assign(Object.create(null) as object, { z: 1, y: 2 })
    expect(text(bare)).toBe('{"y":2,"z":1}')
  })
})

describe('salted commitments', () => {
  it('is base64 SHA-256(salt ‖ JCS(value)), independent of key order', () => {
    const salt = newSalt()
    expect(Buffer.from(salt, 'base64').length).toBe(16)
    const c = commitment({ name: '张三', id: '430102199001011234' }, salt)
    const expected = createHash('sha256')
      .update(Buffer.from(salt, 'base64'))
      .update('{"id":"430102199001011234","name":"张三"}')
      .digest('base64')
    expect(c).toBe(expected)
    expect(commitment({ id: '430102199001011234', name: '张三' }, Buffer.from(salt, 'base64'))).toBe(c)
    expect(commitment({ id: '430102199001011234', name: '张三' }, newSalt())).not.toBe(c)
  })

  it('requires a real salt', () => {
    expect(() => commitment('x', 'short')).toThrow(LedgerFormatError)
    expect(() => commitment('x', Buffer.alloc(15).toString('base64'))).toThrow(/16 bytes/)
    expect(() => commitment('x', 'not base64!')).toThrow(LedgerFormatError)
    expect(() => commitment(undefined, newSalt())).toThrow(LedgerFormatError)
  })
})

describe('canonicalJson against the canonicalize package as an oracle', () => {
  it('gives the same bytes for arbitrary JSON values', async () => {
    const fc = await import('fast-check')
    const mod = (await import('canonicalize')) as unknown as { default: (v: unknown) => string }
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(Buffer.from(canonicalJson(v)).toString('utf8')).toBe(mod.default(v))
      }),
      { numRuns: 2000 },
    )
  })
})
