import { describe, expect, it } from 'vitest'
import { valueAtPath } from './dotted-path.js'

describe('valueAtPath', () => {
  it('reads nested fields of objects', () => {
    const data = { a: { b: { c: 'x' } }, n: 0, s: '' }
    expect(valueAtPath(data, 'a.b.c')).toBe('x')
    expect(valueAtPath(data, 'a.b')).toEqual({ c: 'x' })
    expect(valueAtPath(data, 'n')).toBe(0)
    expect(valueAtPath(data, 's')).toBe('')
  })

  it('returns undefined for a missing step and null for a present null', () => {
    expect(valueAtPath({ a: {} }, 'a.b')).toBeUndefined()
    expect(valueAtPath({ a: {} }, 'a.b.c')).toBeUndefined()
    expect(valueAtPath({ a: null }, 'a')).toBeNull()
    expect(valueAtPath({ a: null }, 'a.b')).toBeUndefined()
    expect(valueAtPath({ a: 'text' }, 'a.length')).toBeUndefined()
    expect(valueAtPath(undefined, 'a')).toBeUndefined()
    expect(valueAtPath(null, 'a')).toBeUndefined()
    expect(valueAtPath('text', 'length')).toBeUndefined()
  })

  it('does not step into arrays', () => {
    expect(valueAtPath({ a: [1] }, 'a.0')).toBeUndefined()
    expect(valueAtPath({ a: [{ b: 1 }] }, 'a.b')).toBeUndefined()
    expect(valueAtPath([{ a: 1 }], '0.a')).toBeUndefined()
    expect(valueAtPath({ a: [1, 2] }, 'a')).toEqual([1, 2])
  })

  // Where the two old readers diverged: the records' reader followed inherited names, the cases' did not.
  it('never reads inherited names, so no path reaches Object.prototype', () => {
    expect(valueAtPath({}, 'toString')).toBeUndefined()
    expect(valueAtPath({ a: {} }, 'a.constructor')).toBeUndefined()
    expect(valueAtPath({ a: {} }, 'a.__proto__')).toBeUndefined()
    expect(valueAtPath({ a: {} }, 'a.hasOwnProperty')).toBeUndefined()
    expect(valueAtPath(Object.create({ inherited: 1 }) as object, 'inherited')).toBeUndefined()
  })

  it('reads own properties whatever their name, `__proto__` from JSON included', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"constructor":"c"}') as unknown
    expect(valueAtPath(parsed, '__proto__.x')).toBe(1)
    expect(valueAtPath(parsed, 'constructor')).toBe('c')
    expect(valueAtPath(Object.assign(Object.create(null) as object, { a: 2 }), 'a')).toBe(2)
  })

  it('treats the empty path as the field named by the empty string', () => {
    expect(valueAtPath({ '': 1 }, '')).toBe(1)
    expect(valueAtPath({ a: 1 }, '')).toBeUndefined()
    expect(valueAtPath({ a: { '': 3 } }, 'a.')).toBe(3)
  })
})
