import http from 'node:http'
import { SESSION_RECHECK_MS } from './event-tail.routes.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, createTestApp, type TestApp } from '../../../../test/support/db.js'
import { declareTestEvents } from '../../../../test/support/events.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { advance, decodeCursor, encodeCursor, mergePage, type TailEvent } from '../ledger/ledger.cursor.js'

const actor = { id: 'test', roles: [], department: null, region: '43' }

async function appendTest(app: TestApp, regionCode: string, n: number, holdMs = 0): Promise<void> {
  await app.database.db.transaction().execute(async (trx) => {
    await app.services.ledger.append(trx, {
      type: 'test.tail',
      subject: `test:${n}`,
      regionCode,
      actor,
      data: { n },
    })
    // Keep the transaction open a while, so transactions commit in another order than they appended.
    if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs))
  })
}

/** Follows `next` from the start until a page comes back empty. */
async function readAll(
  app: TestApp,
  token: string,
  limit: number,
  from = '',
): Promise<{ events: TailEvent[]; next: string }> {
  const events: TailEvent[] = []
  let after = from
  for (let guard = 0; guard < 100_000; guard++) {
    const res = await api(app, 'GET', `/api/events?after=${encodeURIComponent(after)}&limit=${limit}`, {
      token,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    events.push(...res.body.events)
    if (res.body.events.length === 0) return { events, next: after }
    after = res.body.next
  }
  throw new Error('the tail never ended')
}

const key = (e: { log: string; index: number }): string => `${e.log}/${e.index}`

describe('tail cursor (pure)', () => {
  it('round-trips and refuses malformed text', () => {
    const c = decodeCursor('43:5,4301:120')
    expect(encodeCursor(advance(c, '4302', 0))).toBe('43:5,4301:120,4302:1')
    expect(encodeCursor(decodeCursor(''))).toBe('')
    for (const bad of ['x', '43:', '43:01', '4301:1,4301:2', '43:1;4301:2', '430:1', `43:${'9'.repeat(17)}`])
      expect(() => decodeCursor(bad), bad).toThrow(/cursor/)
  })

  it('merges runs in time order and never moves a log past what the page holds', () => {
    const ev = (log: string, index: number, time: number): TailEvent => ({
      log,
      index,
      time,
      type: 't.x',
      subject: 's',
      actor,
      data: {},
    })
    const runs = new Map([
      ['4301', [ev('4301', 3, 10), ev('4301', 4, 30)]],
      ['4302', [ev('4302', 0, 20), ev('4302', 1, 40)]],
    ])
    const page = mergePage(new Map([['4301', 3]]), runs, 3)
    expect(page.events.map(key)).toEqual(['4301/3', '4302/0', '4301/4'])
    expect(encodeCursor(page.next)).toBe('4301:5,4302:1')
  })
})

describe.each(DIALECTS)('event tail (%s)', (dialect) => {
  let app: TestApp
  let auditor: string
  beforeAll(async () => {
    app = await createTestApp(dialect)
    declareTestEvents(app.services.ledger)
    auditor = await login(app, 'auditor')
  }, 120_000)
  afterAll(() => app?.dispose())

  it('following next from the start yields every committed event exactly once', async () => {
    const all: string[] = []
    for await (const e of app.services.ledger.events()) all.push(key(e))
    expect(all.length).toBeGreaterThan(10)
    const { events, next } = await readAll(app, auditor, 37)
    expect(events.map(key).sort()).toEqual([...all].sort())
    expect(new Set(events.map(key)).size).toBe(events.length)
    // Each page is in (time, log, index) order within itself, the fields are the contract's.
    expect(Object.keys(events[0] as object)).toEqual(
      expect.arrayContaining(['log', 'index', 'time', 'type', 'subject', 'data']),
    )
    // Nothing new: the last cursor gives an empty page and itself back.
    const again = await api(app, 'GET', `/api/events?after=${next}`, { token: auditor })
    expect(again.body).toEqual({ events: [], next })
  })

  it('loses and repeats nothing while transactions on one log and on several logs commit out of order', async () => {
    const { next: start } = await readAll(app, auditor, 1000)
    const seen: TailEvent[] = []
    let after = start
    let writing = true
    const reader = (async () => {
      while (writing || seen.length < 60) {
        // Whether every write had committed before this read began: only then is an empty page the end.
        const afterWrites = !writing
        const res = await api(app, 'GET', `/api/events?after=${after}&limit=5`, { token: auditor })
        expect(res.status).toBe(200)
        seen.push(...res.body.events)
        after = res.body.next
        if (res.body.events.length === 0) await new Promise((r) => setTimeout(r, 5))
        if (afterWrites && res.body.events.length === 0) break
      }
    })()
    const regions = ['4301', '4301', '4302', '43', '4303']
    await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        appendTest(app, regions[n % regions.length] as string, n, (n * 7) % 23),
      ),
    )
    writing = false
    await reader
    const tests = seen.filter((e) => e.type === 'test.tail')
    expect(tests.map((e) => e.data.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 60 }, (_, n) => n),
    )
    expect(new Set(seen.map(key)).size).toBe(seen.length)
  }, 60_000)

  it('is for auditors and administrators, scoped to their logs', async () => {
    const city = await readAll(app, await login(app, 'auditor.4301'), 1000)
    expect(city.events.length).toBeGreaterThan(0)
    expect(new Set(city.events.map((e) => e.log))).toEqual(new Set(['4301']))
    for (const who of ['citizen.demo', 'official.demo', 'clerk.demo']) {
      expectError(await api(app, 'GET', '/api/events', { token: await login(app, who) }), 403, 'FORBIDDEN')
    }
    expectError(await api(app, 'GET', '/api/events'), 401, 'UNAUTHENTICATED')
    expectError(
      await api(app, 'GET', '/api/events?after=nonsense', { token: auditor }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(await api(app, 'GET', '/api/events?limit=0', { token: auditor }), 400, 'VALIDATION_FAILED')
    expectError(
      await api(app, 'GET', '/api/events/stream?after=4301:x', { token: auditor }),
      400,
      'VALIDATION_FAILED',
    )
  })

  it('streams each commit within a second, resumable with Last-Event-ID', async () => {
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.server.address() as { port: number }
    const { next: head } = await readAll(app, auditor, 1000)
    const open = (lastEventId: string) => {
      const received: { id: string; event: TailEvent; at: number }[] = []
      let buffer = ''
      const req = http.get({
        host: '127.0.0.1',
        port,
        path: '/api/events/stream',
        headers: { authorization: `Bearer ${auditor}`, 'last-event-id': lastEventId },
      })
      const ready = new Promise<http.IncomingMessage>((resolve) =>
        req.on('response', (res) => {
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            buffer += chunk
            let cut: number
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, cut)
              buffer = buffer.slice(cut + 2)
              const id = /^id: (.*)$/m.exec(block)?.[1]
              const data = /^data: (.*)$/m.exec(block)?.[1]
              if (id && data) received.push({ id, event: JSON.parse(data), at: Date.now() })
            }
          })
          resolve(res)
        }),
      )
      req.on('error', () => undefined)
      return { received, ready, close: () => req.destroy() }
    }
    const first = open(head)
    const res = await first.ready
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    const sentAt = Date.now()
    await appendTest(app, '4301', 1001)
    await appendTest(app, '4302', 1002)
    await expect.poll(() => first.received.length, { timeout: 3000, interval: 20 }).toBe(2)
    expect(first.received.map((r) => r.event.data.n)).toEqual([1001, 1002])
    expect((first.received[1] as { at: number }).at - sentAt).toBeLessThan(1000)
    first.close()

    // Reconnecting from the first event's id gets exactly what came after it.
    const second = open((first.received[0] as { id: string }).id)
    await second.ready
    await appendTest(app, '43', 1003)
    await expect.poll(() => second.received.length, { timeout: 3000, interval: 20 }).toBe(2)
    expect(second.received.map((r) => r.event.data.n)).toEqual([1002, 1003])
    second.close()
    await expect.poll(() => app.services.eventTail.streams, { timeout: 3000 }).toBe(0)
  }, 30_000)

  it('ends a stream once its session has ended', async () => {
    if (!app.server.server.listening) await app.server.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.server.address() as { port: number }
    const token = await login(app, 'auditor')
    const ended = new Promise<number>((resolve, reject) => {
      const req = http.get({
        host: '127.0.0.1',
        port,
        path: '/api/events/stream',
        headers: { authorization: `Bearer ${token}` },
      })
      req.on('response', (res) => {
        res.resume()
        void api(app, 'POST', '/api/auth/logout', { token })
        const loggedOut = Date.now()
        res.on('end', () => resolve(Date.now() - loggedOut))
      })
      req.on('error', reject)
    })
    expect(await ended).toBeLessThan(SESSION_RECHECK_MS + 2000)
    await expect.poll(() => app.services.eventTail.streams, { timeout: 3000 }).toBe(0)
  }, 30_000)
})
