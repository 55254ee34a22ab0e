/**
 * Guards against a query through the root connection while the same code path holds a transaction
 * open: on SQLite (one connection) it would wait for the transaction forever, and on PostgreSQL it
 * would silently run on another connection, outside the transaction, seeing none of its changes.
 *
 * `db.transaction().execute(fn)` runs `fn` in an async-local scope; the driver refuses to hand out a
 * second connection inside that scope while the transaction holds one, so the mistake throws at once.
 * Other requests (other async contexts) are not affected.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { Kysely, type DatabaseConnection, type Dialect, type Driver, type TransactionBuilder } from 'kysely'
import { AppError } from '../../shared/errors.js'

interface Scope {
  /** The transaction holds its connection. */
  held: boolean
}

const scopes = new AsyncLocalStorage<Scope>()

/** The error of a root-connection query inside an open transaction. */
export class RootQueryInTransaction extends AppError {
  constructor() {
    super(
      'INTERNAL',
      'a query went through the root connection while this code holds a transaction open: pass the transaction (trx) instead',
    )
  }
}

function guardBuilder<DB>(builder: TransactionBuilder<DB>): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown
      if (typeof value !== 'function') return value
      if (prop === 'execute')
        return (fn: Parameters<TransactionBuilder<DB>['execute']>[0]) =>
          scopes.run({ held: false }, () => target.execute(fn))
      // setIsolationLevel, setAccessMode, … return a new builder: keep it guarded.
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args)
        return out && typeof out === 'object' && 'execute' in out
          ? guardBuilder(out as TransactionBuilder<DB>)
          : out
      }
    },
  })
}

/** Kysely whose transactions run in a guarded scope (see the module comment). */
export class GuardedKysely<DB> extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    return guardBuilder(super.transaction())
  }
}

function guardDriver(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown
      if (prop === 'acquireConnection')
        return async (): Promise<DatabaseConnection> => {
          const scope = scopes.getStore()
          if (scope?.held) throw new RootQueryInTransaction()
          const connection = await target.acquireConnection()
          if (scope) scope.held = true
          return connection
        }
      if (prop === 'releaseConnection')
        return async (connection: DatabaseConnection): Promise<void> => {
          const scope = scopes.getStore()
          if (scope) scope.held = false
          await target.releaseConnection(connection)
        }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}

/** The dialect with its driver guarded. */
export function guardDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => guardDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  }
}
