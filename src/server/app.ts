/**
 * Composition root: config → database (migrated) → services → HTTP server.
 * @module
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { systemClock, type Clock } from './clock.js'
import type { Config } from './config.js'
import { openDatabase, type Database } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { buildHttpServer } from './http/server.js'
import { loadManualClock } from './modules/system/system.service.js'
import { createServices, type Services } from './services.js'

export interface App {
  config: Config
  database: Database
  services: Services
  server: FastifyInstance
  /** Stops the HTTP server and closes the database. Idempotent. */
  close(): Promise<void>
}

export interface AppOptions {
  logger?: FastifyServerOptions['logger']
  clock?: Clock
  webDir?: string
}

/** Opens and migrates the database and builds the server (not yet listening). */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const database = await openDatabase(config)
  try {
    await migrateToLatest(database.db)
    const clock =
      options.clock ??
      (config.clock === 'manual' ? await loadManualClock(database.db, Date.now()) : systemClock)
    const services = createServices(config, database, clock)
    await services.ledger.init()
    await services.policies.loadCalendar()
    const server = await buildHttpServer(config, database, services, {
      logger: options.logger ?? { level: config.logLevel },
      ...(options.webDir ? { webDir: options.webDir } : {}),
    })
    services.scheduler.setLogger(server.log)
    let closed = false
    return {
      config,
      database,
      services,
      server,
      async close() {
        if (closed) return
        closed = true
        await services.eventConsumers.stop()
        await services.scheduler.stop()
        services.eventTail.stop()
        await services.analyticsStream.stop()
        await services.ledger.stop()
        await server.close()
        await database.close()
      },
    }
  } catch (err) {
    await database.close()
    throw err
  }
}
