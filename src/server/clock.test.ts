import { describe, expect, it } from 'vitest'
import { ManualClock, parseIsoDuration } from './clock.js'

describe('parseIsoDuration', () => {
  it('reads weeks, days, hours, minutes and seconds', () => {
    expect(parseIsoDuration('P3D')).toBe(3 * 86_400_000)
    expect(parseIsoDuration('PT4H30M')).toBe(4.5 * 3_600_000)
    expect(parseIsoDuration('P1W')).toBe(7 * 86_400_000)
    expect(parseIsoDuration('P1DT2H')).toBe(26 * 3_600_000)
    expect(parseIsoDuration('PT0.5S')).toBe(500)
  })
  it('refuses what is not an elapsed-time duration', () => {
    for (const bad of ['', 'P', 'PT', '3D', 'P1M', 'P1Y', 'P-1D', 'PT1H2', 'P1.5D', 'tomorrow']) {
      expect(() => parseIsoDuration(bad), bad).toThrowError(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      )
    }
  })
})

describe('ManualClock', () => {
  it('moves only forward and runs its listeners after each advance', async () => {
    const clock = new ManualClock(1_000)
    const seen: number[] = []
    clock.onAdvance(async (now) => {
      seen.push(now)
    })
    expect(clock.now()).toBe(1_000)
    await clock.advance(500)
    expect(clock.now()).toBe(1_500)
    await expect(clock.advance(-1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(seen).toEqual([1_500])
  })
})
