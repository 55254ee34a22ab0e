/**
 * Runs the migrations, in timestamp order, inside Kysely's migrator (which locks against concurrent
 * runners on both dialects). Migrations are imported statically so the compiled server needs no
 * directory scanning.
 * @module
 */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely'
import { AppError } from '../../shared/errors.js'
import * as foundation from './migrations/20261127000000_foundation.js'
import * as ledger from './migrations/20261127020000_ledger.js'
import * as catalog from './migrations/20261128000000_catalog.js'
import * as cases from './migrations/20261128010000_cases.js'
import * as attachments from './migrations/20261128020000_attachments.js'
import * as accessReview from './migrations/20261128030000_access_review.js'
import * as scheduler from './migrations/20261203000000_scheduler.js'
import * as accountNameIndex from './migrations/20261203010000_account_name_index.js'
import * as policy from './migrations/20261203020000_policy.js'
import * as ratings from './migrations/20261203030000_ratings.js'
import * as appeals from './migrations/20261204000000_appeals.js'
import * as rectificationLifecycle from './migrations/20261204010000_rectification_lifecycle.js'
import * as recordKeeper from './migrations/20261204030000_record_keeper.js'
import * as rectificationChain from './migrations/20261204040000_rectification_chain.js'
import * as open311 from './migrations/20261204020000_open311.js'
import * as counterRating from './migrations/20261205000000_counter_rating.js'
import * as open311Media from './migrations/20261205010000_open311_media.js'
import * as eventConsumer from './migrations/20261205020000_event_consumer.js'
import * as policyOverride from './migrations/20261206000000_policy_override.js'
import * as orgEvaluation from './migrations/20261206010000_org_evaluation.js'
import * as assessmentPeriodIndexes from './migrations/20261206090000_assessment_period_indexes.js'
import * as factContest from './migrations/20261207041100_fact_contest.js'
import * as assessmentRegionIndexes from './migrations/20261207093117_assessment_region_indexes.js'
import * as analytics from './migrations/20261208000000_analytics.js'
import * as analyticsAppeals from './migrations/20261209000000_analytics_appeals.js'

/** Every migration of this build by name (tests undo some to rebuild an older schema). */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '20261127000000_foundation': foundation,
  '20261127020000_ledger': ledger,
  '20261128000000_catalog': catalog,
  '20261128010000_cases': cases,
  '20261128020000_attachments': attachments,
  '20261128030000_access_review': accessReview,
  '20261203000000_scheduler': scheduler,
  '20261203010000_account_name_index': accountNameIndex,
  '20261203020000_policy': policy,
  '20261203030000_ratings': ratings,
  '20261204000000_appeals': appeals,
  '20261204010000_rectification_lifecycle': rectificationLifecycle,
  '20261204030000_record_keeper': recordKeeper,
  '20261204040000_rectification_chain': rectificationChain,
  '20261204020000_open311': open311,
  '20261205000000_counter_rating': counterRating,
  '20261205010000_open311_media': open311Media,
  '20261205020000_event_consumer': eventConsumer,
  '20261206000000_policy_override': policyOverride,
  '20261206010000_org_evaluation': orgEvaluation,
  '20261206090000_assessment_period_indexes': assessmentPeriodIndexes,
  '20261207041100_fact_contest': factContest,
  '20261207093117_assessment_region_indexes': assessmentRegionIndexes,
  '20261208000000_analytics': analytics,
  '20261209000000_analytics_appeals': analyticsAppeals,
}

/** Names of all migrations this build knows, oldest first. */
export const MIGRATION_NAMES = Object.keys(MIGRATIONS).sort()

/**
 * Brings the schema up to date.
 * @returns the names of the migrations applied by this call (empty when already current).
 * @throws AppError `INTERNAL` naming the failed migration.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } })
  const result: MigrationResultSet = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new AppError(
      'INTERNAL',
      `migration ${failed} failed: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`,
      { cause: result.error },
    )
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
