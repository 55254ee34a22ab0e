import { describe, expect, it } from 'vitest'
import { EVENT_TYPE_NAMES, eventTypeName } from '../../../shared/event-names.js'
import { platformEvents } from './ledger.registry.js'

const HAN = /\p{Script=Han}/u
/** Letters of the Latin alphabet: a Chinese display name holds none (no `case.completed` leaking). */
const LATIN = /[A-Za-z]/

describe('display names of ledger event types', () => {
  const declared = platformEvents()
    .list()
    .map((e) => e.type)

  it.each(declared)('%s has a Chinese and an English name', (type) => {
    const zh = eventTypeName(type, 'zh')
    const en = eventTypeName(type, 'en')
    expect(zh, `${type}: add it to src/shared/event-names.ts`).toBeDefined()
    expect(zh).toMatch(HAN)
    expect(zh).not.toMatch(LATIN)
    expect(en).toMatch(/^[A-Z][A-Za-z' ]+$/)
  })

  it('names no type that no module declares', () => {
    expect(Object.keys(EVENT_TYPE_NAMES).filter((t) => !declared.includes(t))).toEqual([])
  })

  it('answers undefined for unknown types, including inherited property names', () => {
    expect(eventTypeName('case.submited', 'zh')).toBeUndefined()
    expect(eventTypeName('toString', 'en')).toBeUndefined()
  })
})
