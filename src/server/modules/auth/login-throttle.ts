/**
 * Failed-login throttling beyond the per-address-and-username rate limit of the login route:
 * - per username across all addresses, so a guesser rotating addresses still meets a limit; the lock is
 *   short (it lasts until the oldest counted failure leaves the window) and a success clears it, so the
 *   real user is never locked out for long;
 * - per address across usernames, so a password spray (one password tried on many accounts) slows down.
 * In memory, per process: several instances each keep their own counts, which only makes each limit a
 * multiple of itself, never absent. Pure apart from the clock it is given.
 * @module
 */

export interface LoginThrottleLimits {
  /** Failures of one username (any address) within the window before it is refused. */
  perUsername: number
  /** Failures from one address (any username) within the window before it is refused. */
  perAddress: number
  /** Window length in milliseconds. */
  windowMs: number
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleLimits = {
  perUsername: 10,
  perAddress: 30,
  windowMs: 5 * 60_000,
}

/** At most this many keys are tracked per kind; the stalest are dropped first (memory stays bounded). */
const MAX_KEYS = 100_000

export class LoginThrottle {
  private readonly byUser = new Map<string, number[]>()
  private readonly byAddress = new Map<string, number[]>()

  constructor(
    private readonly now: () => number,
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_THROTTLE,
  ) {}

  /** Seconds until another attempt is allowed for this pair, or 0 when it is allowed now. */
  retryAfterSeconds(username: string, address: string): number {
    const t = this.now()
    const waits = [
      this.wait(this.byUser, username.toLowerCase(), this.limits.perUsername, t),
      this.wait(this.byAddress, address, this.limits.perAddress, t),
    ]
    return Math.ceil(Math.max(...waits) / 1000)
  }

  /** Counts a failed attempt. */
  failed(username: string, address: string): void {
    const t = this.now()
    this.push(this.byUser, username.toLowerCase(), t)
    this.push(this.byAddress, address, t)
  }

  /** A successful login clears its username's failures (the address keeps its count). */
  succeeded(username: string): void {
    this.byUser.delete(username.toLowerCase())
  }

  private wait(map: Map<string, number[]>, key: string, limit: number, t: number): number {
    const list = this.prune(map, key, t)
    if (list.length < limit) return 0
    // Allowed again once enough failures have left the window.
    const oldestCounted = list[list.length - limit] as number
    return Math.max(1, oldestCounted + this.limits.windowMs - t)
  }

  private prune(map: Map<string, number[]>, key: string, t: number): number[] {
    const list = map.get(key)
    if (!list) return []
    const fresh = list.filter((at) => at > t - this.limits.windowMs)
    if (fresh.length === 0) map.delete(key)
    else map.set(key, fresh)
    return fresh
  }

  private push(map: Map<string, number[]>, key: string, t: number): void {
    const list = this.prune(map, key, t)
    list.push(t)
    map.delete(key)
    map.set(key, list)
    if (map.size > MAX_KEYS) map.delete(map.keys().next().value as string)
  }
}
