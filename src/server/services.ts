/**
 * The service container: every module's service, wired once. Routes, the CLI and tests reach the
 * platform through these, never through stores or SQL.
 * @module
 */
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import { AuthService } from './modules/auth/auth.service.js'
import { AuditService } from './modules/audit/audit.service.js'
import { loadOrCreateKey } from './modules/ledger/ledger.keys.js'
import { LedgerService } from './modules/ledger/ledger.service.js'
import { OrgService } from './modules/org/org.service.js'
import { RegionService } from './modules/regions/regions.service.js'
import { DemoService } from './modules/sim/demo.service.js'

export interface Services {
  clock: Clock
  ledger: LedgerService
  audit: AuditService
  regions: RegionService
  org: OrgService
  auth: AuthService
  demo: DemoService
}

export function createServices(config: Config, database: Database, clock: Clock): Services {
  const ledger = new LedgerService(database.db, clock, {
    domain: config.ledgerDomain,
    logKey: loadOrCreateKey(config.ledgerKeyFile),
    witnessKey: loadOrCreateKey(config.witnessKeyFile),
    externalWitnesses: config.externalWitnesses,
  })
  const regions = new RegionService(database.db, clock, ledger)
  const org = new OrgService(database.db, clock, regions, ledger)
  const auth = new AuthService(database.db, clock, org, regions, config.sessionTtlHours)
  const demo = new DemoService(clock, regions, org)
  const audit = new AuditService(ledger, () => [regions.replayer(), ...org.replayers()])
  return { clock, ledger, audit, regions, org, auth, demo }
}
