/**
 * SQL of the event consumers' cursors (`event_consumer`). Moving a cursor is a compare-and-set on its
 * text: the UPDATE takes the row's lock (PostgreSQL) or runs under SQLite's one writer, and matches only
 * if nobody moved the cursor since it was read, so two processes never both apply one page.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { EventConsumerTable } from '../../db/schema.js'

export interface StoredCursor {
  name: string
  /** Text form of ledger.cursor.ts. */
  cursor: string
  createdAt: number
  updatedAt: number
}

/** Creates a consumer's row at the start of every log, unless it exists. */
export async function ensureCursor(db: Executor, name: string, now: number): Promise<void> {
  await db
    .insertInto('event_consumer')
    .values({ name, tail_cursor: '', created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
}

export async function findCursor(db: Executor, name: string): Promise<StoredCursor | undefined> {
  const row = await db.selectFrom('event_consumer').selectAll().where('name', '=', name).executeTakeFirst()
  return row && toCursor(row)
}

export async function listCursors(db: Executor): Promise<StoredCursor[]> {
  return (await db.selectFrom('event_consumer').selectAll().orderBy('name').execute()).map(toCursor)
}

/**
 * Moves a consumer's cursor from `from` to `to`, in the caller's transaction.
 * @returns false when the cursor is no longer at `from` (another worker moved it)
 */
export async function moveCursor(
  trx: Executor,
  name: string,
  from: string,
  to: string,
  now: number,
): Promise<boolean> {
  const r = await trx
    .updateTable('event_consumer')
    .set({ tail_cursor: to, updated_at: now })
    .where('name', '=', name)
    .where('tail_cursor', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Puts a consumer's cursor back at the start of every log, in the caller's transaction (a rebuild). */
export async function rewindCursor(trx: Executor, name: string, now: number): Promise<void> {
  await ensureCursor(trx, name, now)
  await trx
    .updateTable('event_consumer')
    .set({ tail_cursor: '', updated_at: now })
    .where('name', '=', name)
    .execute()
}

function toCursor(r: EventConsumerTable): StoredCursor {
  return {
    name: r.name,
    cursor: r.tail_cursor,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}
