import fc from 'fast-check'
import { evaluate } from 'feelin'
import { describe, expect, it } from 'vitest'
import { checkCondition, evaluateCondition, normaliseCondition } from './feel.js'

describe('FEEL conditions', () => {
  it('strips a leading "="', () => {
    expect(normaliseCondition('  = data.a > 1 ')).toBe('data.a > 1')
    expect(normaliseCondition('data.a = 1')).toBe('data.a = 1')
  })

  it('counts only boolean true as a match', () => {
    expect(evaluateCondition('data.a > 1', { data: { a: 2 } })).toEqual({ matched: true, value: true })
    expect(evaluateCondition('data.a > 1', { data: { a: 0 } })).toEqual({ matched: false, value: false })
    expect(evaluateCondition('data.a > 1', { data: {} })).toEqual({ matched: false, value: null })
    expect(evaluateCondition('data.a', { data: { a: 'yes' } })).toEqual({ matched: false, value: null })
    expect(
      evaluateCondition('count(data.items) >= 2 and case.channel = "window"', {
        data: { items: [1, 2] },
        case: { channel: 'window' },
      }),
    ).toEqual({ matched: true, value: true })
  })

  it('gives the same answer as feelin on the native outcome fast path', () => {
    const outcome = fc.constantFrom(null, undefined, 'approve', 'reject', 'supplement', 'submit')
    fc.assert(
      fc.property(
        outcome,
        outcome,
        fc.constantFrom('approve', 'reject', 'supplement'),
        (last, review, literal) => {
          const context: Record<string, unknown> = {
            outcome: last ?? null,
            outcomes: review === undefined ? {} : { review },
          }
          for (const expr of [
            `outcome = "${literal}"`,
            `outcomes.review = "${literal}"`,
            `outcomes.other = "${literal}"`,
          ]) {
            const feel = evaluate(expr, context).value
            expect(evaluateCondition(expr, context), expr).toEqual({
              matched: feel === true,
              value: feel === true ? true : feel === false ? false : null,
            })
          }
        },
      ),
    )
  })

  it('checks syntax and names at deploy time', () => {
    expect(checkCondition('data.a > 1', ['data'])).toEqual([])
    expect(checkCondition('household.registered', ['data', 'household'])).toEqual([])
    expect(checkCondition('household.registered', ['data'])[0]).toMatch(/Variable 'household' not found/)
    expect(checkCondition('data.a >', ['data'])[0]).toMatch(/not valid FEEL/)
    expect(checkCondition('today() > date("2026-01-01")', ['data'])[0]).toMatch(/clock/)
  })
})
