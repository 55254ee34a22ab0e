/**
 * A query through the root connection inside an open transaction throws at once on both dialects
 * (it used to wait forever on SQLite and run outside the transaction on PostgreSQL), the transaction
 * rolls back, and queries of other requests while a transaction is open are not affected.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../test/support/db.js'
import { RootQueryInTransaction } from './transaction-guard.js'

describe.each(DIALECTS)('the root connection inside a transaction on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect, { seeded: false })
  })
  afterAll(() => app?.dispose())

  it('throws at once and rolls the transaction back', async () => {
    const db = app.database.db
    const started = Date.now()
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('meta').values({ key: 'guard-test', value: 'x' }).execute()
        await db.selectFrom('meta').selectAll().execute()
      }),
    ).rejects.toBeInstanceOf(RootQueryInTransaction)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await db.selectFrom('meta').selectAll().where('key', '=', 'guard-test').execute()).toEqual([])
  })

  it('lets the transaction itself and other requests query as usual', async () => {
    const db = app.database.db
    let release!: () => void
    const hold = new Promise<void>((r) => (release = r))
    const open = db.transaction().execute(async (trx) => {
      await trx.insertInto('meta').values({ key: 'guard-ok', value: '1' }).execute()
      await hold
      return (await sql<{ n: number }>`select count(*) as n from meta where key = 'guard-ok'`.execute(trx))
        .rows[0]
    })
    // Another request, outside the transaction's async context: on PostgreSQL it runs on its own
    // connection; on SQLite it waits its turn and runs once the transaction ends.
    const other = db.selectFrom('meta').select('key').where('key', '=', 'guard-none').execute()
    release()
    expect(Number((await open)!.n)).toBe(1)
    expect(await other).toEqual([])
    // After the transaction, the root connection is free again in the same async context.
    expect(await db.selectFrom('meta').select('key').where('key', '=', 'guard-ok').execute()).toHaveLength(1)
  })
})
