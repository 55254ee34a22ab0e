import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GroupCommitSqliteDialect } from './sqlite-driver.js'

interface T {
  item: { id: number; note: string }
}

describe('SQLite group commit', () => {
  let dir: string
  let file: string
  let dialect: GroupCommitSqliteDialect
  let db: Kysely<T>

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-group-'))
    file = path.join(dir, 'g.db')
    const sqlite = new SQLite(file)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = FULL')
    dialect = new GroupCommitSqliteDialect(sqlite)
    db = new Kysely<T>({ dialect })
    await sql`create table item (id integer primary key, note text not null)`.execute(db)
  })

  afterEach(async () => {
    await db.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Rows as another connection sees them: only what was committed. */
  const committedIds = (): number[] => {
    const other = new SQLite(file, { readonly: true })
    try {
      return (other.prepare('select id from item order by id').all() as { id: number }[]).map((r) => r.id)
    } finally {
      other.close()
    }
  }

  it('commits concurrent transactions together, each acknowledged only once on disk', async () => {
    const before = dialect.stats()
    const seenAtAck: number[][] = []
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('item').values({ id: i, note: `n${i}` }).execute()
          // Some work between statements, as a service does.
          await new Promise((r) => setImmediate(r))
          await trx.updateTable('item').set({ note: `done${i}` }).where('id', '=', i).execute()
        }).then(() => seenAtAck.push(committedIds())),
      ),
    )
    const after = dialect.stats()
    expect(after.transactions - before.transactions).toBe(40)
    // Fewer COMMITs than transactions: they were grouped.
    expect(after.commits - before.commits).toBeLessThan(40)
    // When each transaction was acknowledged, another connection already saw its row.
    expect(seenAtAck.every((ids) => ids.length > 0)).toBe(true)
    expect(committedIds()).toEqual(Array.from({ length: 40 }, (_, i) => i))
    const notes = await db.selectFrom('item').select('note').execute()
    expect(notes.every((r) => r.note.startsWith('done'))).toBe(true)
  })

  it('rolls a failing transaction back alone; the rest of its group commits', async () => {
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
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))
    expect(failed).toEqual([0, 3, 5, 6, 9])
    expect(committedIds()).toEqual([1, 2, 4, 7, 8, 1000])
  })

  it('commits a lone transaction at once and keeps autocommit writes working', async () => {
    await db.transaction().execute((trx) => trx.insertInto('item').values({ id: 1, note: 'a' }).execute())
    expect(committedIds()).toEqual([1])
    await db.insertInto('item').values({ id: 2, note: 'b' }).execute()
    await new Promise((r) => setImmediate(r))
    expect(committedIds()).toEqual([1, 2])
  })

  it('fails every member of a group whose COMMIT fails, and recovers for the next', async () => {
    // A deferred foreign key is checked only at COMMIT: its violation fails the whole group.
    await sql`create table child (id integer primary key, parent integer references item(id) deferrable initially deferred)`.execute(db)
    await sql`pragma foreign_keys = on`.execute(db)
    const results = await Promise.allSettled([
      db.transaction().execute(async (trx) => {
        await trx.insertInto('item').values({ id: 1, note: 'ok' }).execute()
        await new Promise((r) => setImmediate(r))
      }),
      db.transaction().execute(async (trx) => {
        await sql`insert into child (id, parent) values (1, 999)`.execute(trx)
        await new Promise((r) => setImmediate(r))
      }),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(committedIds()).toEqual([])
    await db.transaction().execute((trx) => trx.insertInto('item').values({ id: 2, note: 'after' }).execute())
    expect(committedIds()).toEqual([2])
  })
})
