/**
 * Opens the database for a configuration: embedded SQLite (better-sqlite3, WAL) or PostgreSQL (pg pool),
 * both behind one Kysely instance. Dialect-specific SQL lives here and in migrations only.
 * @module
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import {
  type Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from 'kysely'
import pg from 'pg'
import type { Config, StorageKind } from '../config.js'
import type { DB } from './schema.js'
import { DurableSqliteDialect, type DurabilityStats } from './sqlite-driver.js'
import { GuardedKysely, guardDialect } from './transaction-guard.js'

/** A query executor: the database itself or an open transaction. Stores take one as first argument. */
export type Executor = Kysely<DB> | Transaction<DB>

export interface Database {
  readonly db: Kysely<DB>
  readonly kind: StorageKind
  /** Human-readable location for logs (file path or URL without password). */
  readonly location: string
  close(): Promise<void>
  /** SQLite: transactions made durable and the fdatasync calls of the WAL that did it. */
  durabilityStats?(): DurabilityStats
}

// PostgreSQL returns int8 as strings; every int8 we store (epoch ms, populations) fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

/** Opens (and, for SQLite, creates) the configured database. Does not migrate. */
export async function openDatabase(
  config: Pick<Config, 'database' | 'sqliteSynchronous'>,
): Promise<Database> {
  if (config.database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.database.url, max: 10 })
    // A pooled client erroring while idle (server restart) must not crash the process.
    pool.on('error', () => undefined)
    const db: Kysely<DB> = new GuardedKysely<DB>({
      dialect: guardDialect(new PostgresDialect({ pool: withPreparedStatements(pool) })),
    })
    return {
      db,
      kind: 'postgres',
      location: redactUrl(config.database.url),
      close: () => db.destroy(),
    }
  }
  const file = config.database.file
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  const wal = sqlite.pragma('journal_mode = WAL', { simple: true }) === 'wal'
  // With the WAL, FULL durability is kept by the driver's group fdatasync of it (see sqlite-driver.ts)
  // and SQLite need not wait for the disk inside each COMMIT. Without one (an in-memory database, a
  // file system that cannot share memory), SQLite keeps the configured durability itself.
  sqlite.pragma(`synchronous = ${wal ? 'NORMAL' : config.sqliteSynchronous}`)
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const dialect = new DurableSqliteDialect(sqlite, file, {
    durableCommits: wal && config.sqliteSynchronous === 'FULL',
    checkpointWorker: wal,
  })
  const db: Kysely<DB> = new GuardedKysely<DB>({ dialect: guardDialect(dialect) })
  return {
    db,
    kind: 'sqlite',
    location: file,
    close: () => db.destroy(),
    durabilityStats: () => dialect.stats(),
  }
}

/** Statements longer than this (bulk inserts) are sent unnamed: planned once, not kept per connection. */
const MAX_PREPARED_SQL_LENGTH = 2000

/**
 * The pool as Kysely uses it, sending each short statement as a named prepared statement: PostgreSQL
 * then parses and plans it once per connection instead of on every call (planning an inbox query
 * costs more than running it). Names derive from the SQL text, so the same text reuses its plan. A
 * deploy that changes a table's columns needs a restart (as any schema change does here).
 */
function withPreparedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>()
  const nameOf = (sql: string): string | undefined => {
    if (sql.length > MAX_PREPARED_SQL_LENGTH) return undefined
    let name = names.get(sql)
    if (!name) {
      name = `xzt_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`
      names.set(sql, name)
    }
    return name
  }
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect()
      return {
        query: ((sqlOrCursor: unknown, parameters?: readonly unknown[]) => {
          if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never)
          const name = nameOf(sqlOrCursor)
          return name === undefined
            ? client.query(sqlOrCursor, parameters as unknown[])
            : client.query({ name, text: sqlOrCursor, values: parameters as unknown[] })
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      }
    },
    end: () => pool.end(),
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres'
  }
}

/** True when `err` is a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** True when `err` is a foreign-key violation on either dialect. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
}
