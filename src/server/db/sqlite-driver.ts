/**
 * The SQLite driver behind Kysely: better-sqlite3 with prepared statements kept by SQL text, and
 * durability made by a group fsync off the main thread.
 *
 * Group fsync. At `synchronous=FULL` every COMMIT waits for the disk (one to four milliseconds here),
 * and better-sqlite3 waits synchronously, so under concurrent requests the whole process stalled once
 * per transaction. With `durableCommits`, SQLite runs at `synchronous=NORMAL` in WAL mode (a COMMIT
 * writes its WAL frames but does not wait for the disk) and this driver makes each transaction durable
 * itself: after its COMMIT it asks for an `fdatasync` of the WAL file on libuv's thread pool, and the
 * transaction's `execute()` resolves only once an fdatasync that started after its COMMIT finished.
 * One fdatasync covers every COMMIT before it, so concurrent transactions share them and the event loop
 * keeps serving requests meanwhile. Nothing is acknowledged before it is on disk, as at FULL.
 * Autocommit writes (outside a transaction) wait the same way. Checkpoints run on a worker thread.
 *
 * The WAL is a log: recovery after a power cut keeps a prefix of the committed transactions, so a
 * transaction that became durable never lacks one that committed before it. Until its fdatasync
 * finishes, a committed transaction is already visible to other requests on this connection (for a
 * millisecond or so); a power cut in that window loses it, together with anything committed after it.
 * @module
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely'

/**
 * Checkpoints (copying the WAL back into the database file, with two fsyncs) run on a worker thread
 * with its own connection, PASSIVE so they never block a writer. SQLite's automatic checkpoint inside a
 * COMMIT would do that work on the main thread every thousand pages; it stays on, much later, only as a
 * backstop should the worker fall behind.
 */
const CHECKPOINT_INTERVAL_MS = 250
const BACKSTOP_AUTOCHECKPOINT_PAGES = 50_000

const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 1000')
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) })
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer)
    checkpoint()
    db.close()
    parentPort.close()
  }
})
`

/** The checkpointing worker of one database file. */
class Checkpointer {
  private readonly worker: Worker

  constructor(file: string) {
    this.worker = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: {
        file,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: CHECKPOINT_INTERVAL_MS,
      },
    })
    // A failed checkpoint is retried on the next tick; the backstop keeps the WAL bounded meanwhile.
    this.worker.on('error', () => undefined)
    this.worker.unref()
  }

  /** Runs a last checkpoint and ends the worker (within two seconds, whatever happens). */
  async stop(): Promise<void> {
    this.worker.ref()
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.postMessage('stop')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))])
    clearTimeout(timer)
    await this.worker.terminate()
  }
}

/** How many prepared statements the connection keeps (least recently used go first). */
const STATEMENT_CACHE_SIZE = 500

export interface DurabilityStats {
  /** Transactions and autocommit writes that waited to be durable. */
  transactions: number
  /** fdatasync calls of the WAL that made them so. */
  syncs: number
}

/** Kysely's SQLite dialect with this driver. */
export class DurableSqliteDialect extends SqliteDialect {
  private driver: DurableSqliteDriver | undefined

  /**
   * @param file the database file (`:memory:` has nothing to make durable or checkpoint)
   * @param options.durableCommits make every commit durable with a group fdatasync of the WAL (the
   *   database must be in WAL mode, SQLite at `synchronous=NORMAL`); false leaves durability to
   *   SQLite's own `synchronous` setting
   * @param options.checkpointWorker checkpoint the WAL on a worker thread (WAL mode only)
   */
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
    private readonly options: { durableCommits: boolean; checkpointWorker: boolean },
  ) {
    super({ database: sqlite })
  }

  override createDriver(): Driver {
    const onDisk = this.file !== ':memory:'
    const checkpoints = onDisk && this.options.checkpointWorker
    if (checkpoints) this.sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`)
    this.driver = new DurableSqliteDriver(
      this.sqlite,
      onDisk && this.options.durableCommits ? new WalSync(this.file) : undefined,
      checkpoints ? new Checkpointer(this.file) : undefined,
    )
    return this.driver
  }

  stats(): DurabilityStats {
    return this.driver?.stats() ?? { transactions: 0, syncs: 0 }
  }
}

/**
 * fdatasync of the WAL file, shared: `sync()` resolves after an fdatasync that started after the call,
 * so every COMMIT before the call is on disk. Callers arriving while one runs share the next.
 */
class WalSync {
  private fd: number | undefined
  private directorySynced = false
  private running = false
  private next: { promise: Promise<void>; resolve(): void; reject(err: unknown): void } | undefined
  syncs = 0
  waiters = 0

  constructor(private readonly file: string) {}

  sync(): Promise<void> {
    this.waiters++
    if (!this.next) {
      let resolve!: () => void
      let reject!: (err: unknown) => void
      const promise = new Promise<void>((res, rej) => {
        resolve = res
        reject = rej
      })
      this.next = { promise, resolve, reject }
    }
    const mine = this.next.promise
    if (!this.running) void this.loop()
    return mine
  }

  private async loop(): Promise<void> {
    this.running = true
    try {
      while (this.next) {
        const batch = this.next
        this.next = undefined
        try {
          await this.fdatasync()
          this.syncs++
          batch.resolve()
        } catch (err) {
          batch.reject(err)
        }
      }
    } finally {
      this.running = false
    }
  }

  private async fdatasync(): Promise<void> {
    // The WAL exists from the first write on and keeps its inode (SQLite rewinds it, never replaces it
    // while a connection is open).
    this.fd ??= fs.openSync(`${this.file}-wal`, 'r')
    await new Promise<void>((resolve, reject) =>
      fs.fdatasync(this.fd as number, (err) => (err ? reject(err) : resolve())),
    )
    if (!this.directorySynced) {
      // Once: the WAL's directory entry, so the file itself survives a power cut after its creation.
      const dir = fs.openSync(path.dirname(path.resolve(this.file)), 'r')
      try {
        fs.fsyncSync(dir)
      } finally {
        fs.closeSync(dir)
      }
      this.directorySynced = true
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd)
    this.fd = undefined
  }
}

/**
 * The one connection, with its prepared statements kept by SQL text: compiling a statement costs
 * about as much as running a simple one, and a case command repeats the same dozen. Only one query
 * runs at a time on it, so a cached statement is never in use twice.
 */
class Connection implements DatabaseConnection {
  private readonly statements = new Map<string, SQLite.Statement>()

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly walSync: WalSync | undefined,
  ) {}

  prepare(sql: string): SQLite.Statement {
    let stmt = this.statements.get(sql)
    if (stmt) {
      this.statements.delete(sql)
    } else {
      stmt = this.sqlite.prepare(sql)
      if (this.statements.size >= STATEMENT_CACHE_SIZE)
        this.statements.delete(this.statements.keys().next().value as string)
    }
    this.statements.set(sql, stmt)
    return stmt
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery
    const stmt = this.prepare(sql)
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] }
    const { changes, lastInsertRowid } = stmt.run(parameters)
    // An autocommit write (outside a transaction) is acknowledged once durable, as a transaction is.
    if (this.walSync && changes > 0 && !this.sqlite.inTransaction) await this.walSync.sync()
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }
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

  constructor(private readonly connection: Connection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.connection.executeQuery(compiledQuery)
  }

  streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery(compiledQuery)
  }
}

class DurableSqliteDriver implements Driver {
  private readonly connection: Connection
  private readonly queue: (() => void)[] = []
  private busy = false
  private transactions = 0

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly walSync: WalSync | undefined,
    private readonly checkpointer: Checkpointer | undefined,
  ) {
    this.connection = new Connection(sqlite, walSync)
  }

  async init(): Promise<void> {}

  stats(): DurabilityStats {
    return this.walSync
      ? { transactions: this.walSync.waiters, syncs: this.walSync.syncs }
      : { transactions: this.transactions, syncs: this.transactions }
  }

  /** SQLite has one connection: acquirers queue for it, first come first served. */
  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.busy = true
    return new Lease(this.connection)
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.release(connection as Lease)
  }

  private release(lease: Lease): void {
    if (lease.released) return
    lease.released = true
    const next = this.queue.shift()
    if (next) next()
    else this.busy = false
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // IMMEDIATE: take the write lock now, so another process's writer makes us wait (busy_timeout)
    // here rather than fail half-way.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
    this.transactions++
    if (!this.walSync) return
    // Durable before acknowledged. The connection is handed on first, so other requests' transactions
    // run (and share the next fdatasync) while this one waits for the disk.
    this.release(connection as Lease)
    await this.walSync.sync()
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // Released: it committed and then its fdatasync failed; the connection (and any open transaction
    // on it) is someone else's now, and there is nothing of ours left to undo.
    if ((connection as Lease).released) return
    if (this.sqlite.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'))
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

  async destroy(): Promise<void> {
    await this.checkpointer?.stop()
    this.walSync?.close()
    this.sqlite.close()
  }
}
