import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DurableSqliteDialect } from './sqlite-driver.js'

interface T {
  item: { id: number; note: string }
}

describe('SQLite driver: durable commits by a shared fdatasync', () => {
  let dir: string
  let file: string
  let dialect: DurableSqliteDialect
  let db: Kysely<T>

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-durable-'))
    file = path.join(dir, 'g.db')
    const sqlite = new SQLite(file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    dialect = new DurableSqliteDialect(sqlite, file, { durableCommits: true, checkpointWorker: true })
    db = new Kysely<T>({ dialect })
    await sql`create table item (id integer primary key, note text not null)`.execute(db)
  })

  afterEach(async () => {
    await db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Rows as another connection sees them. */
  const committedIds = (): number[] => {
    const other = new SQLite(file, { readonly: true })
    try {
      return (other.prepare('select id from item order by id').all() as { id: number }[]).map((r) => r.id)
    } finally {
      other.close()
    }
  }

  it('acknowledges each transaction after an fdatasync, shared by concurrent ones', async () => {
    const before = dialect.stats()
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('item')
            .values({ id: i, note: `n${i}` })
            .execute()
          // Some work between statements, as a service does.
          await new Promise((r) => setImmediate(r))
          await trx
            .updateTable('item')
            .set({ note: `done${i}` })
            .where('id', '=', i)
            .execute()
        }),
      ),
    )
    const after = dialect.stats()
    expect(after.transactions - before.transactions).toBe(40)
    expect(after.syncs - before.syncs).toBeGreaterThan(0)
    // Fewer fdatasyncs than transactions: they were shared.
    expect(after.syncs - before.syncs).toBeLessThan(40)
    expect(committedIds()).toEqual(Array.from({ length: 40 }, (_, i) => i))
  })

  it('runs other transactions while one waits for the disk', async () => {
    const order: string[] = []
    await Promise.all([
      db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('item').values({ id: 1, note: 'a' }).execute()
        })
        .then(() => order.push('first acknowledged')),
      db.transaction().execute(async (trx) => {
        order.push('second running')
        await trx.insertInto('item').values({ id: 2, note: 'b' }).execute()
      }),
    ])
    // The second got the connection before the first's fdatasync finished.
    expect(order).toEqual(['second running', 'first acknowledged'])
  })

  it('rolls back a failing transaction alone', async () => {
    await db.insertInto('item').values({ id: 1000, note: 'existing' }).execute()
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('item').values({ id: i, note: 'x' }).execute()
          await new Promise((r) => setImmediate(r))
          if (i % 3 === 0) throw new Error(`refused ${i}`)
          // A constraint violation part-way through also undoes only this transaction.
          if (i === 5) await trx.insertInto('item').values({ id: 1000, note: 'duplicate' }).execute()
        }),
      ),
    )
    expect(results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))).toEqual([0, 3, 5, 6, 9])
    expect(committedIds()).toEqual([1, 2, 4, 7, 8, 1000])
  })

  it('checkpoints the WAL into the database file off the main thread', async () => {
    const initial = fs.statSync(file).size
    for (let batch = 0; batch < 20; batch++) {
      await db.transaction().execute((trx) =>
        trx
          .insertInto('item')
          .values(Array.from({ length: 50 }, (_, i) => ({ id: batch * 50 + i, note: 'x'.repeat(500) })))
          .execute(),
      )
    }
    // SQLite's own automatic checkpoint is far away (backstop only): only the worker moves pages over.
    await expect
      .poll(() => fs.statSync(file).size, { timeout: 5000, interval: 100 })
      .toBeGreaterThan(initial + 400_000)
  })

  it('makes autocommit writes durable too, and reuses prepared statements', async () => {
    const before = dialect.stats()
    await db.insertInto('item').values({ id: 2, note: 'b' }).execute()
    await db.updateTable('item').set({ note: 'c' }).where('id', '=', 2).execute()
    // A write that changed nothing has nothing to wait for.
    await db.updateTable('item').set({ note: 'd' }).where('id', '=', 99).execute()
    expect(dialect.stats().transactions - before.transactions).toBe(2)
    for (let i = 0; i < 3; i++)
      expect(await db.selectFrom('item').select('note').where('id', '=', 2).executeTakeFirst()).toEqual({
        note: 'c',
      })
  })
})
