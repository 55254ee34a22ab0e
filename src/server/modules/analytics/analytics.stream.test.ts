/**
 * The command hall's live stream and ticker on both dialects: a submission in a screen's region
 * arrives within a second naming the case's region, a screen of another city never sees it, a
 * submission through a second app instance on the same database arrives too (the cross-process path),
 * the ticker lists it, callers without analytics.read over the region are refused, and a stream ends
 * when the client leaves and when the server stops. The pure placement rules first.
 */
import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { createApp, type App } from '../../app.js'
import type { CaseView } from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import type { TailEvent } from '../event-tail/index.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import {
  latestFirst,
  LruMap,
  placeEvents,
  streamItem,
  unplacedCases,
  type StreamItem,
  isBookkeeping,
} from './analytics.stream.model.js'
import { SESSION_RECHECK_MS } from './analytics-stream.routes.js'
import { AnalyticsStreamHub, MAX_BUFFERED_BYTES, SLOW_SCREEN_MS } from './analytics.stream.js'

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

const ev = (over: Partial<TailEvent> & Pick<TailEvent, 'type' | 'subject' | 'data'>): TailEvent => ({
  log: '4301',
  index: 0,
  time: 0,
  actor: { id: 'st-x', roles: [], department: null, region: '4301' },
  ...over,
})

describe('stream placement (pure)', () => {
  it('places by the stated region, then by what it remembers, then by a look-up, then by the log', () => {
    const memory = new LruMap<string, string>(10)
    const page = [
      ev({ type: 'case.submitted', subject: 'case:a', data: { case: 'a', region: '430102001' } }),
      ev({ type: 'task.created', subject: 'case:a', data: { case: 'a', task: 't1' } }),
      ev({ type: 'task.completed', subject: 'case:b', data: { case: 'b', task: 't2' } }),
      ev({ type: 'appeal.filed', subject: 'appeal:p', data: { appeal: 'p', case: 'a', region: '430103' } }),
      ev({ type: 'appeal.accepted', subject: 'appeal:p', data: { appeal: 'p' } }),
      ev({ type: 'policy.published', subject: 'policy:x', data: {}, log: '43' }),
      ev({ type: 'case.completed', subject: 'case:c', data: { case: 'c' } }),
    ]
    expect(unplacedCases(page, memory)).toEqual(['b', 'c'])
    const regions = placeEvents(page, memory, new Map([['b', '430202']]))
    expect(regions).toEqual(['430102001', '430102001', '430202', '430103', '430103', '43', '4301'])
    // The appeal's region never overwrote its case's.
    expect(memory.get('case:a')).toBe('430102001')
    expect(unplacedCases(page.slice(1, 3), memory)).toEqual([])
  })

  it('leaves the platform’s bookkeeping out of a leader’s ticker', () => {
    expect(isBookkeeping('job.scheduled')).toBe(true)
    expect(isBookkeeping('ledger.checkpoint_witnessed')).toBe(true)
    for (const t of [
      'case.submitted',
      'task.created',
      'appeal.filed',
      'rating.submitted',
      'policy.published',
    ])
      expect(isBookkeeping(t)).toBe(false)
  })

  it('forgets the least recently used entity beyond its capacity', () => {
    const m = new LruMap<string, string>(2)
    m.set('a', '1')
    m.set('b', '2')
    m.get('a')
    m.set('c', '3')
    expect([m.peek('a'), m.peek('b'), m.peek('c'), m.size]).toEqual(['1', undefined, '3', 2])
  })

  it('names the type in Chinese and carries no subject, actor or data', () => {
    const e = ev({ type: 'case.submitted', subject: 'case:a', data: { case: 'a', applicant: 'ct-1' } })
    const item = streamItem(e, '4301', '星城市')
    expect(item).toEqual({
      log: '4301',
      index: 0,
      type: 'case.submitted',
      label: '办件提交',
      region: '4301',
      regionName: '星城市',
      time: 0,
    })
    const at = (time: number, index: number): StreamItem => ({ ...item, time, index })
    expect(latestFirst([at(1, 0), at(3, 1), at(3, 2), at(2, 3)], 3).map((i) => i.index)).toEqual([2, 1, 3])
  })
})

interface Screen {
  items: (StreamItem & { at: number })[]
  comments: string[]
  status: Promise<number>
  ended: Promise<void>
  close(): void
}

/** A screen: an SSE client of `/api/analytics/stream` collecting its `ledger` events. */
const opened: Screen[] = []

function openScreen(port: number, token: string, query = ''): Screen {
  const items: Screen['items'] = []
  const comments: string[] = []
  let buffer = ''
  let ended!: () => void
  const endedP = new Promise<void>((r) => (ended = r))
  const req = http.get({
    host: '127.0.0.1',
    port,
    agent: false,
    path: `/api/analytics/stream${query}`,
    headers: { authorization: `Bearer ${token}` },
  })
  const status = new Promise<number>((resolve, reject) => {
    req.on('error', (err) => {
      ended()
      reject(err)
    })
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0)
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          if (block.startsWith(':')) comments.push(block)
          const type = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (type === 'ledger' && data) items.push({ ...(JSON.parse(data) as StreamItem), at: Date.now() })
        }
      })
      res.on('end', () => ended())
      res.on('close', () => ended())
    })
  })
  status.catch(() => undefined)
  const screen = { items, comments, status, ended: endedP, close: () => req.destroy() }
  opened.push(screen)
  return screen
}

describe.each(DIALECTS)('hall stream (%s)', (dialect) => {
  let app: TestApp
  let port: number
  let admin: string
  let citizen: string

  beforeAll(async () => {
    app = await createTestApp(dialect)
    await app.server.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.server.address() as { port: number }).port
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
  }, 120_000)
  afterAll(() => app?.dispose())
  // A failed assertion must not leave its screens connected for the next test.
  afterEach(() => {
    for (const s of opened.splice(0)) s.close()
  })

  const submit = async (on: App = app): Promise<CaseView> => {
    const prefill = await api(on, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    const res = await api(on, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!),
        channel: 'online',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as CaseView
  }

  const submittedIn = (s: Screen, region: string) =>
    s.items.find((i) => i.type === 'case.submitted' && i.region === region)

  it('sends a submission in the screen’s region within a second, naming the case’s region', async () => {
    const mine = openScreen(port, await login(app, 'leader.4301'))
    const other = openScreen(port, await login(app, 'leader.4302'))
    const narrowed = openScreen(port, admin, '?region=4301')
    for (const s of [mine, other, narrowed]) expect(await s.status).toBe(200)
    expect(mine.comments.length).toBe(0)
    const view = await submit()
    expect(view.regionCode.startsWith('4301')).toBe(true)
    await expect.poll(() => submittedIn(mine, view.regionCode), { timeout: 3000, interval: 10 }).toBeDefined()
    const got = submittedIn(mine, view.regionCode)!
    // From the append (the event's time: the system clock) to the screen.
    expect(got.at - got.time).toBeLessThan(1000)
    expect(Object.keys(got).sort()).toEqual(
      ['at', 'index', 'label', 'log', 'region', 'regionName', 'time', 'type'].sort(),
    )
    expect(got).toMatchObject({ log: '4301', label: '办件提交' })
    expect(got.regionName).toMatch(/[\u4e00-\u9fff]/)
    await expect.poll(() => submittedIn(narrowed, view.regionCode), { timeout: 3000 }).toBeDefined()
    // The case's later steps carry only its id: they are placed in its region all the same.
    for (const s of [mine, narrowed]) expect(s.items.every((i) => i.region.startsWith('4301'))).toBe(true)
    expect(mine.items.some((i) => i.type === 'task.created' && i.region === view.regionCode)).toBe(true)
    // Another city's screen sees nothing of it (give it the same time to arrive).
    await new Promise((r) => setTimeout(r, 500))
    expect(other.items.filter((i) => i.region.startsWith('4301'))).toEqual([])
    expect(app.services.analyticsStream.streams).toBe(3)
    for (const s of [mine, other, narrowed]) s.close()
    await expect.poll(() => app.services.analyticsStream.streams, { timeout: 3000 }).toBe(0)
  }, 30_000)

  it('sends what a second app instance on the same database commits (another process)', async () => {
    const second = await createApp(app.config, { logger: false })
    try {
      const screen = openScreen(port, await login(app, 'leader.4301'))
      expect(await screen.status).toBe(200)
      const view = await submit(second)
      await expect
        .poll(() => submittedIn(screen, view.regionCode), { timeout: 3000, interval: 10 })
        .toBeDefined()
      // From the append (the event's time, the system clock) to the screen.
      const got = submittedIn(screen, view.regionCode)!
      expect(got.at - got.time).toBeLessThan(1000)
      screen.close()
    } finally {
      await second.close()
    }
  }, 30_000)

  it('fills a ticker from the ledger, latest first, scoped to the region', async () => {
    const view = await submit()
    const ticker = async (token: string, q = '') => {
      const res = await api(app, 'GET', `/api/analytics/ticker${q}`, { token })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return (res.body as { items: StreamItem[] }).items
    }
    const leader = await login(app, 'leader.4301')
    const items = await ticker(leader, '?limit=20')
    expect(items.length).toBeGreaterThan(0)
    expect(items.length).toBeLessThanOrEqual(20)
    expect(items.every((i) => i.region.startsWith('4301'))).toBe(true)
    expect(items.some((i) => i.type === 'case.submitted' && i.region === view.regionCode)).toBe(true)
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.time).toBeGreaterThanOrEqual(items[i]!.time)
    const county = view.regionCode.slice(0, 6)
    const narrowed = await ticker(admin, `?region=${county}&limit=5`)
    expect(narrowed.every((i) => i.region.startsWith(county))).toBe(true)
    expect(narrowed.some((i) => i.region === view.regionCode)).toBe(true)
    const other = await ticker(await login(app, 'leader.4302'))
    expect(other.every((i) => i.region.startsWith('4302'))).toBe(true)
  })

  it('refuses callers without analytics.read over the region', async () => {
    for (const path of ['/api/analytics/stream', '/api/analytics/ticker']) {
      for (const who of ['citizen.demo', 'official.demo'])
        expectError(await api(app, 'GET', path, { token: await login(app, who) }), 403, 'FORBIDDEN')
      expectError(await api(app, 'GET', path), 401, 'UNAUTHENTICATED')
      const leader = await login(app, 'leader.4302')
      expectError(await api(app, 'GET', `${path}?region=4301`, { token: leader }), 403, 'FORBIDDEN')
      expectError(await api(app, 'GET', `${path}?region=43`, { token: leader }), 403, 'FORBIDDEN')
      expectError(await api(app, 'GET', `${path}?region=439901`, { token: admin }), 404, 'NOT_FOUND')
      expectError(await api(app, 'GET', `${path}?region=x`, { token: admin }), 400, 'VALIDATION_FAILED')
    }
    expectError(
      await api(app, 'GET', '/api/analytics/ticker?limit=0', { token: admin }),
      400,
      'VALIDATION_FAILED',
    )
    expect(app.services.analyticsStream.streams).toBe(0)
  })

  it('drops and counts for a screen that does not read, and disconnects it after a while', async () => {
    let now = 0
    const { ledger, regions } = app.services
    const hub = new AnalyticsStreamHub(app.database.db, ledger, regions, { pollMs: 20, now: () => now })
    const written: string[] = []
    let backlog = MAX_BUFFERED_BYTES + 1
    let closed = false
    const token = await login(app, 'leader.4301')
    const principal = (await app.services.auth.authenticate(token))!.principal
    await hub.subscribe(
      principal,
      {},
      {
        write: (t) => void written.push(t),
        buffered: () => backlog,
        close: () => void (closed = true),
      },
    )
    try {
      await submit()
      await expect.poll(() => hub.dropped, { timeout: 3000, interval: 10 }).toBeGreaterThan(0)
      expect(written).toEqual([])
      const dropped = hub.dropped
      backlog = 0
      await submit()
      await expect.poll(() => written.length, { timeout: 3000, interval: 10 }).toBeGreaterThan(0)
      expect(written[0]).toMatch(new RegExp(`^: dropped ${dropped}\n\n`))
      backlog = MAX_BUFFERED_BYTES + 1
      await submit()
      await expect.poll(() => hub.dropped, { timeout: 3000, interval: 10 }).toBeGreaterThan(dropped)
      expect(closed).toBe(false)
      now += SLOW_SCREEN_MS
      await submit()
      await expect.poll(() => closed, { timeout: 3000, interval: 10 }).toBe(true)
      expect(hub.streams).toBe(0)
    } finally {
      await hub.stop()
    }
  }, 30_000)

  it('ends a stream once its session has ended', async () => {
    const token = await login(app, 'leader.4301')
    const screen = openScreen(port, token)
    expect(await screen.status).toBe(200)
    await api(app, 'POST', '/api/auth/logout', { token })
    const loggedOut = Date.now()
    await screen.ended
    expect(Date.now() - loggedOut).toBeLessThan(SESSION_RECHECK_MS + 2000)
    expect(screen.comments).toContain(': session ended')
    await expect.poll(() => app.services.analyticsStream.streams, { timeout: 3000 }).toBe(0)
  }, 30_000)

  it('ends every stream when the server stops', async () => {
    const screen = openScreen(port, admin)
    expect(await screen.status).toBe(200)
    await expect.poll(() => app.services.analyticsStream.streams).toBe(1)
    await app.services.analyticsStream.stop()
    await screen.ended
    expect(app.services.analyticsStream.streams).toBe(0)
    expectError(await api(app, 'GET', '/api/analytics/stream', { token: admin }), 503, 'UNAVAILABLE')
  })
})
