/**
 * Lazy, deterministic citizens of the demo province. Citizen `i` is a pure function of the seed and
 * `i` (its own PRNG stream), so batches can be produced in constant memory and any batch size yields
 * the same sequence.
 * @module
 */
import type { DemoCitizen } from './demo.model.js'
import { checkDigit } from '../../../shared/idnumber.js'
import { drawPersonName } from './names.js'
import { Permutation, Rng, WeightedTable, hashString, mix32, seedHash } from './rng.js'

/**
 * The day the demo's ages are computed against (YYYY-MM-DD). Every citizen is between 18 and 85
 * years old on this day. Fixed, so generation never depends on the clock.
 */
export const DEMO_REFERENCE_DATE = '2026-11-27'

/** Username of the first citizen, a resident of the capital. */
export const DEMO_CITIZEN_USERNAME = 'citizen.demo'

/** Age range (whole years on {@link DEMO_REFERENCE_DATE}) of generated citizens. */
export const CITIZEN_AGE_RANGE = { min: 18, max: 85 } as const

const DAY_MS = 86_400_000
/** ID-number sequences per (region, birth date, gender): 001..997 odd / 002..998 even. */
const SEQUENCES_PER_DAY = 499

interface BirthTable {
  /** YYYYMMDD */
  compact: string[]
  /** YYYY-MM-DD */
  iso: string[]
}

let birthTable: BirthTable | undefined

/** All possible birth dates, oldest first: (reference − 86 years, reference − 18 years]. */
function getBirthTable(): BirthTable {
  if (birthTable) return birthTable
  const [ry, rm, rd] = DEMO_REFERENCE_DATE.split('-').map(Number) as [number, number, number]
  const latest = Date.UTC(ry - CITIZEN_AGE_RANGE.min, rm - 1, rd)
  const earliest = Date.UTC(ry - CITIZEN_AGE_RANGE.max - 1, rm - 1, rd) + DAY_MS
  const compact: string[] = []
  const iso: string[] = []
  for (let t = earliest; t <= latest; t += DAY_MS) {
    const d = new Date(t)
    const y = String(d.getUTCFullYear())
    const m = String(d.getUTCMonth() + 1).padStart(2, '0')
    const day = String(d.getUTCDate()).padStart(2, '0')
    compact.push(y + m + day)
    iso.push(`${y}-${m}-${day}`)
  }
  birthTable = { compact, iso }
  return birthTable
}

const PHONE_SECOND_DIGITS = ['3', '3', '5', '5', '7', '8', '8', '9'] as const

/** A street where citizens may live, weighted by its population. */
export interface CitizenStreet {
  code: string
  population: number
}

/**
 * Builds the `citizens(batchSize)` generator of a demo province.
 * @param seed the province seed
 * @param count how many citizens to yield (at most 9,999,999)
 * @param streets the street-level regions, drawn with probability proportional to population
 * @param demoStreetCode street of the first citizen, `citizen.demo`
 */
export function makeCitizenStream(
  seed: number,
  count: number,
  streets: readonly CitizenStreet[],
  demoStreetCode: string,
): (batchSize?: number) => Generator<DemoCitizen[]> {
  if (!Number.isInteger(count) || count < 0 || count > 9_999_999)
    throw new RangeError(`bad citizen count ${count}`)
  const codes = streets.map((s) => s.code)
  const table = new WeightedTable(streets.map((s) => s.population))
  const base = mix32(seedHash(seed), hashString('citizens'))
  const births = getBirthTable()
  const days = births.compact.length
  // Unique (birth date, sequence) per citizen, so ID numbers never collide, whatever the region.
  const idPermutation = new Permutation(days * SEQUENCES_PER_DAY, mix32(base, 1))
  // Unique last eight digits of the phone number.
  const phonePermutation = new Permutation(100_000_000, mix32(base, 2))

  const make = (i: number): DemoCitizen => {
    const rng = Rng.fromHash(mix32(base, i + 3))
    const streetCode = i === 0 ? demoStreetCode : (codes[table.draw(rng)] as string)
    const gender: 'F' | 'M' = rng.next() < 0.5 ? 'F' : 'M'
    const name = drawPersonName(rng, gender)
    const k = idPermutation.apply(i)
    const day = k % days
    const s = Math.floor(k / days)
    const sequence = String(gender === 'M' ? 2 * s + 1 : 2 * s + 2).padStart(3, '0')
    const first17 = streetCode.slice(0, 6) + births.compact[day] + sequence
    const serial = String(i + 1).padStart(7, '0')
    const phone =
      '1' +
      PHONE_SECOND_DIGITS[rng.nextUint32() % PHONE_SECOND_DIGITS.length] +
      String(rng.nextUint32() % 10) +
      String(phonePermutation.apply(i)).padStart(8, '0')
    return {
      id: `ct-${serial}`,
      username: i === 0 ? DEMO_CITIZEN_USERNAME : `c${serial}`,
      name,
      idNumber: first17 + checkDigit(first17),
      regionCode: streetCode,
      gender,
      birthDate: births.iso[day] as string,
      phone,
    }
  }

  return function* citizens(batchSize = 5000): Generator<DemoCitizen[]> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`bad batch size ${batchSize}`)
    let batch: DemoCitizen[] = []
    for (let i = 0; i < count; i++) {
      batch.push(make(i))
      if (batch.length === batchSize) {
        yield batch
        batch = []
      }
    }
    if (batch.length > 0) yield batch
  }
}
