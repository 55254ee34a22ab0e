/**
 * Small, fast, seedable pseudo-random number generation for the demo generator. Everything here is
 * pure and deterministic: no `Math.random`, no clock. The generator is sfc32 (Chris Doty-Humphrey's
 * Small Fast Counting generator, 128-bit state), seeded through splitmix32 so that nearby seeds give
 * unrelated streams.
 * @module
 */

/** One round of splitmix32: a strong 32-bit mixer, used to derive seeds. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
  return (z ^ (z >>> 15)) >>> 0
}

/** 32-bit FNV-1a hash of a string (UTF-16 code units), finished with splitmix32. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return splitmix32(h)
}

/** Mixes two 32-bit values into one well-distributed 32-bit value. */
export function mix32(a: number, b: number): number {
  return splitmix32((splitmix32(a) ^ Math.imul(b | 0, 0x85ebca6b)) | 0)
}

/**
 * Reduces any JavaScript integer seed (negative, or beyond 32 bits) to a 32-bit hash, so that seeds
 * differing only in their high bits still give different streams.
 */
export function seedHash(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`)
  const s = Math.trunc(seed)
  const lo = s >>> 0
  const hi = Math.floor(s / 0x1_0000_0000) >>> 0
  return mix32(mix32(lo, hi), 0x5eed)
}

/** A seeded sfc32 generator with a few convenience draws. */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  /** Builds a generator from four 32-bit words; `warmUp` rounds decorrelate weak seeds. */
  constructor(a: number, b: number, c: number, d: number, warmUp = 12) {
    this.a = a | 0
    this.b = b | 0
    this.c = c | 0
    this.d = d | 0
    for (let i = 0; i < warmUp; i++) this.nextUint32()
  }

  /** A generator for one named purpose, derived from a seed and a label (e.g. `'names:4301'`). */
  static for(seed: number, label: string): Rng {
    return Rng.fromHash(mix32(seedHash(seed), hashString(label)))
  }

  /** A generator from a single 32-bit hash (expanded to 128 bits of state with splitmix32). */
  static fromHash(h: number): Rng {
    const a = splitmix32(h)
    const b = splitmix32(a ^ 0x6a09e667)
    const c = splitmix32(b ^ 0xbb67ae85)
    const d = splitmix32(c ^ 0x3c6ef372)
    return new Rng(a, b, c, d, 4)
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Fisher–Yates shuffle of a copy of `items`. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = out[i] as T
      out[i] = out[j] as T
      out[j] = tmp
    }
    return out
  }
}

/**
 * A table for drawing indices with given non-negative weights in O(log n) per draw
 * (binary search over the cumulative sums).
 */
export class WeightedTable {
  private readonly cumulative: Float64Array
  private readonly total: number

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('WeightedTable needs at least one weight')
    this.cumulative = new Float64Array(weights.length)
    let sum = 0
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new RangeError(`weight ${i} is not a non-negative number`)
      sum += w
      this.cumulative[i] = sum
    })
    if (sum <= 0) throw new RangeError('WeightedTable needs a positive total weight')
    this.total = sum
  }

  /** Index drawn for a uniform `u` in [0, 1). */
  indexFor(u: number): number {
    const target = u * this.total
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.cumulative[mid] as number) > target) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** Index drawn with `rng`. */
  draw(rng: Rng): number {
    return this.indexFor(rng.next())
  }
}

/**
 * A keyed pseudo-random permutation of the integers [0, size), built from a balanced Feistel network
 * with cycle walking. Used to hand out unique values (ID-number sequences, phone numbers) to an
 * index without remembering which values were already taken.
 */
export class Permutation {
  private readonly halfBits: number
  private readonly halfMask: number
  private readonly keys: number[]

  constructor(
    readonly size: number,
    key: number,
    rounds = 4,
  ) {
    if (!Number.isInteger(size) || size < 1 || size > 2 ** 52)
      throw new RangeError(`bad permutation size ${size}`)
    let bits = 2
    while (2 ** bits < size) bits += 2
    this.halfBits = bits / 2
    this.halfMask = 2 ** this.halfBits - 1
    this.keys = []
    for (let i = 0; i < rounds; i++) this.keys.push(mix32(key, i + 1))
  }

  /** The image of `x` (0 ≤ x < size); distinct inputs give distinct outputs. */
  apply(x: number): number {
    if (!(x >= 0 && x < this.size)) throw new RangeError(`permutation input ${x} outside [0, ${this.size})`)
    let v = x
    do v = this.once(v)
    while (v >= this.size)
    return v
  }

  private once(x: number): number {
    const half = 2 ** this.halfBits
    let left = Math.floor(x / half)
    let right = x % half
    for (const k of this.keys) {
      const f = mix32(right, k) & this.halfMask
      const next = (left ^ f) >>> 0
      left = right
      right = next & this.halfMask
    }
    return left * half + right
  }
}
