/**
 * Dialect checks for the few places (migrations, locking) that need dialect-specific SQL.
 * @module
 */
import { PostgresAdapter, type Kysely } from 'kysely'

/** True when `db` talks to PostgreSQL (otherwise it is SQLite). */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}
