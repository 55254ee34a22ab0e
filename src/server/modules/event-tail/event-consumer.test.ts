/**
 * Durable event-tail consumers on both dialects: a consumer is handed each event it wants once, in the
 * transaction that moves its cursor; a new service on the same database (a restart) resumes from the
 * stored cursor without handing anything again; a handler that throws commits nothing of its page and
 * is handed it again; two workers on one database share the work without repeating it; the background
 * loop notices new events by the logs' sizes and stops cleanly; the audit names a cursor ahead of its
 * log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, createTestApp, type TestApp } from '../../../../test/support/db.js'
import { declareTestEvents } from '../../../../test/support/events.js'
import type { Executor } from '../../db/database.js'
import { decodeCursor, type TailEvent } from '../ledger/ledger.cursor.js'
import {
  behind,
  cursorAhead,
  retryDelay,
  RETRY_MAX_MS,
  wants,
  type EventConsumer,
} from './event-consumer.model.js'
import { EventConsumerService } from './event-consumer.service.js'

const actor = { id: 'test', roles: [], department: null, region: '43' }

describe('event consumers (pure)', () => {
  it('filters by type prefix, counts what is left and spots a cursor ahead of its log', () => {
    expect(wants({}, 'case.submitted')).toBe(true)
    expect(wants({ types: ['case.', 'task.'] }, 'task.claimed')).toBe(true)
    expect(wants({ types: ['case.', 'task.'] }, 'chain.built')).toBe(false)
    const sizes = new Map([
      ['43', 10],
      ['4301', 5],
    ])
    expect(behind(decodeCursor('43:4'), sizes)).toBe(11)
    expect(behind(decodeCursor('43:10,4301:5'), sizes)).toBe(0)
    expect(cursorAhead(decodeCursor('43:10,4301:5'), sizes)).toEqual([])
    expect(cursorAhead(decodeCursor('43:11,4399:1'), sizes)).toEqual([
      { log: '43', position: 11, size: 10 },
      { log: '4399', position: 1, size: null },
    ])
    expect(retryDelay(1)).toBe(1000)
    expect(retryDelay(3)).toBe(4000)
    expect(retryDelay(100)).toBe(RETRY_MAX_MS)
  })
})

describe.each(DIALECTS)('event consumers (%s)', (dialect) => {
  let app: TestApp
  let n = 0

  beforeAll(async () => {
    app = await createTestApp(dialect)
    declareTestEvents(app.services.ledger)
  }, 120_000)
  afterAll(() => app?.dispose())

  /** Commits `count` test.consumed events spread over three logs. @returns their numbers */
  async function append(count: number): Promise<number[]> {
    const numbers: number[] = []
    await app.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) {
        const k = n++
        numbers.push(k)
        await app.services.ledger.append(trx, {
          type: 'test.consumed',
          subject: `test:${k}`,
          regionCode: ['4301', '4302', '43'][k % 3] as string,
          actor,
          data: { n: k },
        })
      }
    })
    return numbers
  }

  /** A consumer that remembers what it was handed and writes one `test.effect` per event it handles. */
  function recorder(name: string, fail?: { when: () => boolean }) {
    const seen: number[] = []
    const consumer: EventConsumer = {
      name,
      types: ['test.consumed'],
      async handle(trx: Executor, events: readonly TailEvent[]) {
        for (const e of events)
          await app.services.ledger.append(trx, {
            type: 'test.effect',
            subject: `test:${String(e.data.n)}`,
            regionCode: '43',
            actor,
            data: { consumer: name, n: e.data.n },
          })
        if (fail?.when()) throw new Error('the handler failed')
        seen.push(...events.map((e) => Number(e.data.n)))
      },
    }
    return { consumer, seen }
  }

  /** A service with a small page, so a drain runs several transactions. */
  function service(...consumers: EventConsumer[]): EventConsumerService {
    const s = new EventConsumerService(app.database.db, app.services.clock, app.services.ledger, Date.now, 7)
    for (const c of consumers) s.register(c)
    return s
  }

  /**
   * A recorder whose cursor stands at the end of every log already (earlier tests' events included):
   * caught up a full page at a time by a first process that handled nothing.
   */
  async function caughtUp(name: string, fail?: { when: () => boolean }) {
    const first = new EventConsumerService(app.database.db, app.services.clock, app.services.ledger)
    first.register({ name, types: ['test.consumed'], handle: async () => {} })
    await first.drain()
    return recorder(name, fail)
  }

  async function effects(name: string): Promise<number[]> {
    const out: number[] = []
    for await (const e of app.services.ledger.events())
      if (e.type === 'test.effect' && e.data.consumer === name) out.push(Number(e.data.n))
    return out.sort((a, b) => a - b)
  }

  it('hands each wanted event once, and a restart resumes from the stored cursor', async () => {
    const first = recorder('test.resume')
    const before = new EventConsumerService(app.database.db, app.services.clock, app.services.ledger)
    before.register(first.consumer)
    // From the start of every log: nothing of the seeded province is a test.consumed event.
    expect(await app.services.ledger.totalSize()).toBeGreaterThan(1000)
    expect(await before.drain()).toEqual({ 'test.resume': 0 })
    const batch = await append(20)
    expect(await before.drain()).toEqual({ 'test.resume': 20 })
    expect(first.seen.sort((a, b) => a - b)).toEqual(batch)
    expect(await before.drain()).toEqual({ 'test.resume': 0 })

    // The process restarts: a new service, the same database, the same name.
    const second = recorder('test.resume')
    const after = service(second.consumer)
    expect(await after.drain()).toEqual({ 'test.resume': 0 })
    const more = await append(3)
    expect(await after.drain()).toEqual({ 'test.resume': 3 })
    expect(second.seen.sort((a, b) => a - b)).toEqual(more)
    expect(await effects('test.resume')).toEqual([...batch, ...more])
    // Its own effects come after its cursor; the next pass reads past them and hands nothing.
    expect((await after.status())[0]!.behind).toBe(more.length)
    expect(await after.drain()).toEqual({ 'test.resume': 0 })
    const [status] = await after.status()
    expect(status).toMatchObject({ name: 'test.resume', behind: 0, failures: 0, lastError: null })
  })

  it('commits nothing of a page whose handler throws, and hands it again', async () => {
    let broken = true
    const flaky = await caughtUp('test.flaky', { when: () => broken })
    const s = service(flaky.consumer)
    const cursor = (await s.status())[0]!.cursor
    const batch = await append(4)
    await expect(s.drain()).rejects.toThrow(/test\.flaky failed \(1 in a row\): the handler failed/)
    expect((await s.status())[0]).toMatchObject({ cursor, failures: 1, lastError: 'the handler failed' })
    expect(await effects('test.flaky')).toEqual([])
    broken = false
    expect(await s.drain()).toEqual({ 'test.flaky': 4 })
    expect(flaky.seen.sort((a, b) => a - b)).toEqual(batch)
    expect(await effects('test.flaky')).toEqual(batch)
    expect((await s.status())[0]).toMatchObject({ failures: 0, lastError: null })
  })

  it('lets two workers on one database share the tail without repeating an event', async () => {
    const a = await caughtUp('test.shared')
    const b = recorder('test.shared')
    const one = service(a.consumer)
    const two = service(b.consumer)
    const batch = await append(40)
    await Promise.all([one.drain(), two.drain(), one.drain(), two.drain()])
    await one.drain()
    expect([...a.seen, ...b.seen].sort((x, y) => x - y)).toEqual(batch)
    expect(await effects('test.shared')).toEqual(batch)
  })

  it('runs in the background when a log grows, and stops cleanly', async () => {
    const bg = await caughtUp('test.background')
    const s = service(bg.consumer)
    const errors: unknown[] = []
    s.start(10, (err) => errors.push(err))
    const batch = await append(5)
    for (let i = 0; i < 500 && bg.seen.length < batch.length; i++) await new Promise((r) => setTimeout(r, 10))
    await s.stop()
    expect(bg.seen.sort((a, b) => a - b)).toEqual(batch)
    expect(errors).toEqual([])
    // Stopped: new events wait for the next start (or drain).
    const later = await append(1)
    await new Promise((r) => setTimeout(r, 50))
    expect(bg.seen).not.toContain(later[0])
    expect(await s.drain()).toEqual({ 'test.background': 1 })
  })

  it('refuses a second consumer of one name, and names it badly', () => {
    const s = service(recorder('test.once').consumer)
    expect(() => s.register(recorder('test.once').consumer)).toThrow(/already registered/)
    expect(() => s.register(recorder('Test Once').consumer)).toThrow(/lowercase/)
  })

  it('has the audit name a cursor ahead of its log', async () => {
    await caughtUp('test.audited')
    const check = app.services.eventConsumers.replayer()
    expect(await check.compare()).toEqual([])
    const row = await app.database.db
      .selectFrom('event_consumer')
      .select('tail_cursor')
      .where('name', '=', 'test.audited')
      .executeTakeFirstOrThrow()
    const size = (await app.services.ledger.logSizes()).get('43')!
    try {
      await app.database.db
        .updateTable('event_consumer')
        .set({ tail_cursor: `43:${size + 1000}` })
        .where('name', '=', 'test.audited')
        .execute()
      const ahead = {
        table: 'event_consumer',
        key: 'test.audited',
        problem: 'differs',
        field: 'tail_cursor[43]',
        expected: `at most ${size}`,
        actual: size + 1000,
      }
      expect(await check.compare()).toEqual([ahead])
      // The audit runs the check (it counts no events of its own).
      const report = await app.services.audit.replay()
      expect(report.differences).toEqual([ahead])
      expect(report.byModule).not.toHaveProperty('event-consumers')
    } finally {
      await app.database.db
        .updateTable('event_consumer')
        .set({ tail_cursor: row.tail_cursor })
        .where('name', '=', 'test.audited')
        .execute()
    }
    expect(await check.compare()).toEqual([])
  })
})
