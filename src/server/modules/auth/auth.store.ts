/**
 * SQL for sessions. Tokens are stored only as SHA-256 hashes.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { SessionTable } from '../../db/schema.js'

export async function insertSession(db: Executor, row: SessionTable): Promise<void> {
  await db.insertInto('session').values(row).execute()
}

export async function findSession(db: Executor, id: string): Promise<SessionTable | undefined> {
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function touchSession(db: Executor, id: string, expiresAt: number): Promise<void> {
  await db.updateTable('session').set({ expires_at: expiresAt }).where('id', '=', id).execute()
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute()
}

export async function deleteExpiredSessions(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom('session').where('expires_at', '<', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
