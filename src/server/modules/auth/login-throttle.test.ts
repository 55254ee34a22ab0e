import { describe, expect, it } from 'vitest'
import { LoginThrottle } from './login-throttle.js'

const limits = { perUsername: 3, perAddress: 5, windowMs: 60_000 }

describe('login throttle', () => {
  it('limits one username across addresses, for no longer than the window', () => {
    let now = 1_000_000
    const t = new LoginThrottle(() => now, limits)
    for (let i = 0; i < 3; i++) t.failed('Official.Demo', `203.0.113.${i}`)
    expect(t.retryAfterSeconds('official.demo', '198.51.100.7')).toBeGreaterThan(0)
    now += 60_001
    expect(t.retryAfterSeconds('official.demo', '198.51.100.7')).toBe(0)
  })

  it('slows a spray across usernames from one address, and a success clears only its username', () => {
    const t = new LoginThrottle(() => 0, limits)
    for (let i = 0; i < 5; i++) t.failed(`user${i}`, '203.0.113.9')
    expect(t.retryAfterSeconds('someone.else', '203.0.113.9')).toBeGreaterThan(0)
    expect(t.retryAfterSeconds('someone.else', '203.0.113.10')).toBe(0)
    const u = new LoginThrottle(() => 0, limits)
    for (let i = 0; i < 3; i++) u.failed('li.si', `10.0.0.${i}`)
    u.succeeded('li.si')
    expect(u.retryAfterSeconds('li.si', '10.0.0.99')).toBe(0)
  })
})
