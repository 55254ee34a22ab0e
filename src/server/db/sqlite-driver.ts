/**
 * The SQLite driver behind Kysely: better-sqlite3 with prepared statements kept by SQL text, and
 * transactions committed in groups.
 *
 * Group commit. With `synchronous=FULL`, every COMMIT waits for the disk (about a millisecond here),
 * and better-sqlite3 waits synchronously, so under concurrent requests the whole process would stall
 * once per transaction. Instead, concurrent transactions share one database transaction: each runs in
 * its own SAVEPOINT (so it rolls back alone), and the group COMMITs once, when nobody is waiting to
 * join it, or when it reaches `maxGroupSize` transactions or `maxGroupMs` of age. A transaction's
 * `execute()` resolves only after the COMMIT that made it durable, so nothing is acknowledged before
 * it is on disk; if the COMMIT fails, every transaction of the group fails with it (none was
 * acknowledged). A lone transaction commits at once, as before.
 *
 * Queries outside a transaction run on the same connection, so while a group is open they see (and
 * autocommit writes join) its not yet durable changes; the services write only in transactions.
 * @module
 */
import type SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely'

export interface GroupCommitOptions {
  /** Most transactions one COMMIT covers. */
  maxGroupSize: number
  /** Oldest a group gets before it commits at the next opportunity, in ms. */
  maxGroupMs: number
}

const DEFAULTS: GroupCommitOptions = { maxGroupSize: 64, maxGroupMs: 5 }

/** How many prepared statements the connection keeps (least recently used go first). */
const STATEMENT_CACHE_SIZE = 500

/** Kysely's SQLite dialect with the group-committing driver. */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: GroupCommitOptions = DEFAULTS,
  ) {
    super({ database: sqlite })
  }

  private driver: GroupCommitDriver | undefined

  override createDriver(): Driver {
    this.driver = new GroupCommitDriver(this.sqlite, this.options)
    return this.driver
  }

  /** Transactions committed and the COMMITs that made them durable, since the database opened. */
  stats(): GroupCommitStats {
    return this.driver?.stats() ?? { transactions: 0, commits: 0 }
  }
}

export interface GroupCommitStats {
  transactions: number
  commits: number
}

interface Waiter {
  resolve(): void
  reject(err: unknown): void
}

interface Group {
  waiters: Waiter[]
  openedAt: number
}

/**
 * The one connection, with its prepared statements kept by SQL text: compiling a statement costs
 * about as much as running a simple one, and a case command repeats the same dozen. Only one query
 * runs at a time on it, so a cached statement is never in use twice.
 */
class Connection implements DatabaseConnection {
  private readonly statements = new Map<string, SQLite.Statement>()

  constructor(private readonly sqlite: SQLite.Database) {}

  prepare(sql: string): SQLite.Statement {
    let stmt = this.statements.get(sql)
    if (stmt) {
      this.statements.delete(sql)
    } else {
      stmt = this.sqlite.prepare(sql)
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value as string)
    }
    this.statements.set(sql, stmt)
    return stmt
  }

  run(sql: string): void {
    this.prepare(sql).run()
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery
    const stmt = this.prepare(sql)
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as R[] })
    const { changes, lastInsertRowid } = stmt.run(parameters)
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    })
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery
    if (!SelectQueryNode.is(query)) throw new Error('the SQLite driver streams only select queries')
    // A streaming statement stays busy while it is iterated: never share it with the cache.
    for (const row of this.sqlite.prepare(sql).iterate(parameters)) yield { rows: [row as R] }
  }
}

/** One acquisition of the connection; `released` once it gave the connection back. */
class Lease implements DatabaseConnection {
  released = false
  savepoint: string | undefined

  constructor(private readonly connection: Connection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.connection.executeQuery(compiledQuery)
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    void chunkSize
    return this.connection.streamQuery(compiledQuery)
  }
}

export class GroupCommitDriver implements Driver {
  private readonly connection: Connection
  /** Acquirers waiting for the connection, first come first served. */
  private readonly queue: (() => void)[] = []
  private busy = false
  private group: Group | undefined
  private flushScheduled = false
  private counter = 0
  private committedTransactions = 0
  private commits = 0

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: GroupCommitOptions,
  ) {
    this.connection = new Connection(sqlite)
  }

  async init(): Promise<void> {}

  stats(): GroupCommitStats {
    return { transactions: this.committedTransactions, commits: this.commits }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.busy = true
    return new Lease(this.connection)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    // SQLite ended the group's transaction itself (an I/O error, say): fail its members, start afresh.
    if (this.group && !this.sqlite.inTransaction) this.commitGroup()
    if (!this.group) {
      // IMMEDIATE: take the write lock now, so another process's writer makes us wait (busy_timeout)
      // here rather than fail half-way.
      this.connection.run('begin immediate')
      this.group = { waiters: [], openedAt: performance.now() }
    }
    lease.savepoint = `xzt_tx_${++this.counter}`
    this.connection.run(`savepoint ${lease.savepoint}`)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    const group = this.group
    if (!group || !lease.savepoint) throw new Error('commit without a transaction')
    this.connection.run(`release ${lease.savepoint}`)
    lease.savepoint = undefined
    const durable = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }))
    lease.released = true
    this.unlock()
    await durable
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    const savepoint = lease.savepoint
    lease.savepoint = undefined
    if (!savepoint || !this.sqlite.inTransaction) return
    this.connection.run(`rollback to ${savepoint}`)
    this.connection.run(`release ${savepoint}`)
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    if (lease.released) return
    lease.released = true
    this.unlock()
  }

  async destroy(): Promise<void> {
    this.commitGroup()
    this.sqlite.close()
  }

  /** Hands the connection to the next waiter, committing the open group first when it is due. */
  private unlock(): void {
    const next = this.queue.shift()
    if (this.group) {
      if (this.groupIsDue()) this.commitGroup()
      else if (!next) this.scheduleCommit()
    }
    if (next) next()
    else this.busy = false
  }

  private groupIsDue(): boolean {
    const group = this.group as Group
    return group.waiters.length >= this.options.maxGroupSize || performance.now() - group.openedAt >= this.options.maxGroupMs
  }

  /**
   * Commits on the next turn of the event loop rather than at once: requests already running get to
   * begin their transactions and join this COMMIT instead of each waiting for their own.
   */
  private scheduleCommit(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      if (!this.group) return
      // Someone holds the connection (a transaction under way): the next unlock commits.
      if (this.busy) return
      this.commitGroup()
    })
  }

  /** COMMITs the open group (synchronously: nobody else can use the connection meanwhile). */
  private commitGroup(): void {
    const group = this.group
    if (!group) return
    this.group = undefined
    try {
      if (!this.sqlite.inTransaction) throw new Error('SQLite rolled back the transaction of this commit group')
      this.connection.run('commit')
    } catch (err) {
      if (this.sqlite.inTransaction) {
        try {
          this.connection.run('rollback')
        } catch {
          // Nothing more to undo.
        }
      }
      for (const w of group.waiters) w.reject(err)
      return
    }
    this.commits++
    this.committedTransactions += group.waiters.length
    for (const w of group.waiters) w.resolve()
  }
}
