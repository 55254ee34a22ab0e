import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { AppError } from '../../../shared/errors.js'
import { EventRegistry, platformEvents } from './ledger.registry.js'

const actor = { id: 'system', roles: [], department: null, region: '' }

describe('event registry', () => {
  it('knows every type the platform appends and which module owns it', () => {
    const r = platformEvents()
    expect(r.get('case.submitted')?.module).toBe('cases')
    expect(r.get('data.accessed')?.module).toBe('data-access')
    expect(r.get('ledger.checkpoint_witnessed')?.module).toBe('ledger')
    expect(r.has('case.submited')).toBe(false)
  })

  it('refuses two modules declaring one type', () => {
    const r = new EventRegistry({ a: { 'x.done': 'a' } })
    expect(() => r.declare('b', { 'x.done': 'b' })).toThrow(/both a and b/)
  })
})

describe.each(DIALECTS)('appending an undeclared event type on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect, { seeded: false })
  })
  afterAll(() => app?.dispose())

  it('is refused with VALIDATION_FAILED and writes nothing', async () => {
    const before = await app.services.ledger.totalSize()
    const err = await app.database.db
      .transaction()
      .execute((trx) =>
        app.services.ledger.appendMany(trx, [
          { type: 'region.upserted', subject: 'region:4301', regionCode: '4301', actor, data: {} },
          { type: 'nobody.declared', subject: 'x:1', regionCode: '4301', actor, data: {} },
        ]),
      )
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('VALIDATION_FAILED')
    expect((err as AppError).message).toContain('nobody.declared')
    expect(await app.services.ledger.totalSize()).toBe(before)
  })
})
