/**
 * The service container: every module's service, wired once. Routes, the CLI and tests reach the
 * platform through these, never through stores or SQL.
 * @module
 */
import { ManualClock, systemClock, type Clock } from './clock.js'
import { subjectOf } from './modules/ledger/index.js'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import { APPEAL_DISCREPANCY_JOB, AppealHandlingService } from './modules/appeals/appeal-handling.service.js'
import { rollupsConsumer, type TopicSource } from './modules/analytics/analytics.consumer.js'
import { appealTopics as topicWords } from './modules/analytics/analytics.topics.js'
import { AnalyticsService, rollupsReplayer } from './modules/analytics/analytics.service.js'
import { AnalyticsStreamHub } from './modules/analytics/analytics.stream.js'
import { AnalyticsDrillService } from './modules/analytics/analytics-drill.service.js'
import { AnalyticsHallService } from './modules/analytics/analytics-hall.service.js'
import { AnalyticsExportService } from './modules/analytics/analytics-export.service.js'
import { AppealViewService } from './modules/appeals/appeal-views.service.js'
import { appealsReplayer } from './modules/appeals/appeals.replayer.js'
import { AppealService } from './modules/appeals/appeals.service.js'
import { chainsFollowCases } from './modules/appeals/chains.follow.js'
import { CHAINS_REBUILD_JOB, ChainService } from './modules/appeals/chains.service.js'
import { AttachmentService } from './modules/attachments/attachments.service.js'
import { AuthService } from './modules/auth/auth.service.js'
import { CaseCommandService } from './modules/cases/case-commands.service.js'
import { CaseViewService } from './modules/cases/case-views.service.js'
import { CaseEngine } from './modules/cases/cases.engine.js'
import { casesReplayer } from './modules/cases/cases.replayer.js'
import { adoptPendingTimers, caseTimerHandler, caseTimerJobs } from './modules/cases/cases.timers.js'
import { DataAccessService } from './modules/data-access/data-access.service.js'
import { CatalogService } from './modules/catalog/catalog.service.js'
import { EventConsumerService } from './modules/event-tail/event-consumer.service.js'
import { EventTailService } from './modules/event-tail/event-tail.service.js'
import { IntakeService } from './modules/intake/intake.service.js'
import { DataPlatformService } from './modules/dataplatform/dataplatform.service.js'
import { AuditService } from './modules/audit/audit.service.js'
import { loadOrCreateKey } from './modules/ledger/ledger.keys.js'
import { LedgerService } from './modules/ledger/ledger.service.js'
import { Open311Service } from './modules/open311/open311.service.js'
import { OrgService } from './modules/org/org.service.js'
import { PolicyService } from './modules/policy/policy.service.js'
import { RatingService } from './modules/ratings/ratings.service.js'
import { AssessmentService } from './modules/assessment/assessment.service.js'
import { FactContestService } from './modules/assessment/fact-contests.service.js'
import { OrgEvaluationService } from './modules/assessment/org-evaluations.service.js'
import { AssessmentWhatIfService } from './modules/assessment/assessment-whatif.service.js'
import { AssessmentExportService } from './modules/assessment/assessment-export.service.js'
import { RatingInvitationService } from './modules/ratings/rating-invitations.service.js'
import { RatingContestService } from './modules/ratings/rating-contests.service.js'
import { RectificationSteps } from './modules/ratings/rectification-steps.service.js'
import { rectificationDeadlineHandler } from './modules/ratings/rectifications.deadline.js'
import { RectificationService } from './modules/ratings/rectifications.service.js'
import { RegionService } from './modules/regions/regions.service.js'
import { SchedulerService } from './modules/scheduler/scheduler.service.js'
import { SystemService } from './modules/system/system.service.js'

export interface Services {
  clock: Clock
  ledger: LedgerService
  audit: AuditService
  regions: RegionService
  org: OrgService
  auth: AuthService
  system: SystemService
  dataPlatform: DataPlatformService
  catalog: CatalogService
  attachments: AttachmentService
  /** Case commands: submit, complete, claim, release, reassign. */
  cases: CaseCommandService
  /** Reading cases: a case, its files and receipts, my cases, the inbox. */
  caseViews: CaseViewService
  /** Durable jobs and timers (SLA timers of cases, and whatever else a module schedules). */
  scheduler: SchedulerService
  /** Governance policies: published versions, and which governs when. */
  policies: PolicyService
  /** 好差评 of finished cases and the rectifications bad ones open. */
  ratings: RatingService
  /** 好差评 at the window: one-time counter rating links (the counter tablet, a QR code). */
  ratingInvitations: RatingInvitationService
  /** Filing appeals (诉求): citizens, the hotline, windows, and discrepancies found in submissions. */
  appeals: AppealService
  /** Reading appeals: one with its timeline, lists, the responsibility chain. */
  appealViews: AppealViewService
  /** Handling appeals: accept, return, respond, resolve, rate, merge; deadline escalations. */
  appealHandling: AppealHandlingService
  /** Responsibility chains: building, rebuilding, contests of links. */
  chains: ChainService
  /** Rectifications after a bad rating: call-back, measures, deadline escalation, citizen's verdict. */
  rectifications: RectificationService
  /** Contests of bad ratings as false reviews, and their decisions. */
  ratingContests: RatingContestService
  /**
   * Schedules jobs for SLA timers recorded before the scheduler existed, and for the deadlines of
   * rectifications opened before their job existed (at start). @returns how many
   */
  adoptPendingTimers(): Promise<number>
  dataAccess: DataAccessService
  /** The ledger's event tail: pages and streams for auditors and administrators. */
  eventTail: EventTailService
  /**
   * Durable consumers of the event tail (responsibility chains following their cases): `serve` runs
   * them in the background (`start`), tests and commands `drain()` them.
   */
  eventConsumers: EventConsumerService
  /** Window intake: finding citizens (masked, recorded) and registering them on the spot. */
  intake: IntakeService
  /** Open311 GeoReport v2 over appeals: API keys, services, filing and reading service requests. */
  open311: Open311Service
  /** Assessment (考核): scorecards computed from facts, and the facts behind each number. */
  assessment: AssessmentService
  /** The organisation evaluation (组织评价) of officials, entered by the organisation department. */
  orgEvaluations: OrgEvaluationService
  /** Scorecards recomputed under a candidate formula or promotion policy, side by side (what-if). */
  assessmentWhatIf: AssessmentWhatIfService
  /** Scorecards and the promotion ranking as an Excel workbook (organisation department). */
  assessmentExport: AssessmentExportService
  /** Contests of facts on one's own scorecard (decided in the chain-contest queue). */
  factContests: FactContestService
  /** The command hall: rollups kept from the event tail, the heatmap, `xzt analytics rebuild`. */
  analytics: AnalyticsService
  /** The topic words of appeals (their texts segmented), which the rollups and the audit count. */
  appealTopics: TopicSource
  /** The command hall's live feed: one follower of the tail fanning events out to the screens. */
  analyticsStream: AnalyticsStreamHub
  /** The hall's read side: series, topics, response speed, officials' spread. */
  analyticsHall: AnalyticsHallService
  /** The lists behind the hall's charts (cases, appeals; no personal data). */
  analyticsDrill: AnalyticsDrillService
  /** The hall's views as workbooks or CSV. */
  analyticsExport: AnalyticsExportService
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
  // Sessions expire in wall-clock time, whatever the platform clock says (a demo advancing the manual
  // clock by days must not log everyone out).
  const auth = new AuthService(database.db, systemClock, org, regions, config.sessionTtlHours)
  const dataPlatform = new DataPlatformService(database.db, clock, ledger)
  const catalog = new CatalogService(database.db, clock, ledger, regions, dataPlatform)
  const system = new SystemService(database.db, clock, ledger)
  const attachments = new AttachmentService(database.db, clock, org, config.attachmentMaxBytes)
  const dataAccess = new DataAccessService(database.db, clock, ledger, catalog, org)
  const scheduler = new SchedulerService(database.db, clock, ledger)
  const policies = new PolicyService(database.db, clock, ledger, regions)
  const caseEngine = new CaseEngine(
    database.db,
    clock,
    ledger,
    catalog,
    dataPlatform,
    org,
    attachments,
    caseTimerJobs(scheduler),
    policies.calendar,
  )
  scheduler.register(caseTimerHandler(caseEngine))
  const caseViews = new CaseViewService(database.db, ledger, catalog, org, attachments, dataAccess)
  const cases = new CaseCommandService(
    database.db,
    clock,
    ledger,
    catalog,
    dataPlatform,
    org,
    attachments,
    caseEngine,
    caseViews,
    dataAccess,
  )
  const rectificationSteps = new RectificationSteps(database.db, ledger, org, scheduler)
  const rectifications = new RectificationService(
    database.db,
    clock,
    ledger,
    org,
    scheduler,
    rectificationSteps,
  )
  const ratingContests = new RatingContestService(clock, org, rectificationSteps)
  scheduler.register(rectificationDeadlineHandler(rectifications))
  const orgEvaluations = new OrgEvaluationService(database.db, clock, ledger, org)
  const assessment = new AssessmentService(database.db, clock, policies, org, regions, orgEvaluations)
  // Contests of scorecard facts join the chain-contest queue, decided there by the same rule.
  const factContests = new FactContestService(database.db, clock, ledger, org, assessment)
  const chains = new ChainService(
    database.db,
    clock,
    ledger,
    org,
    caseViews,
    dataPlatform,
    policies,
    factContests,
  )
  const ratings = new RatingService(
    database.db,
    clock,
    ledger,
    caseViews,
    policies,
    rectifications,
    chains,
    catalog,
    org,
  )
  const ratingInvitations = new RatingInvitationService(
    database.db,
    clock,
    ledger,
    caseViews,
    catalog,
    org,
    ratings,
  )
  const appealViews = new AppealViewService(database.db, org, regions, attachments, chains)
  const appeals = new AppealService(
    database.db,
    clock,
    ledger,
    org,
    regions,
    attachments,
    policies,
    scheduler,
    chains,
    appealViews,
  )
  const appealHandling = new AppealHandlingService(
    database.db,
    clock,
    ledger,
    org,
    policies,
    scheduler,
    appeals,
    appealViews,
    chains,
  )
  scheduler.register(chains.rebuildHandler())
  // A new chain policy rebuilds the open appeals' chains when it takes effect.
  policies.onPublished(async (trx, v) => {
    // Version 1 has no chains before it to rebuild.
    if (v.kind !== 'responsibility.chain' || v.version === 1) return
    await scheduler.schedule(
      trx,
      { regionCode: v.ledger.log, subject: subjectOf('policy', `${v.kind}@${v.version}`) },
      [
        {
          kind: CHAINS_REBUILD_JOB,
          key: `${v.kind}@${v.version}`,
          dueAt: v.effectiveAt,
          payload: { policy: `${v.kind}@${v.version}` },
        },
      ],
    )
  })
  // Chains follow their cases: a case's steps after filing rebuild the chains of its open appeals.
  const eventConsumers = new EventConsumerService(database.db, clock, ledger)
  eventConsumers.register(chainsFollowCases(chains))
  // The command hall's rollups follow the ledger too.
  const appealTopics: TopicSource = async (db, ids) => {
    const texts = await appealViews.textsOf(ids, db)
    return new Map([...texts].map(([id, text]) => [id, topicWords(text)]))
  }
  eventConsumers.register(rollupsConsumer(appealTopics))
  const analytics = new AnalyticsService(database.db, clock, regions, ledger, eventConsumers, catalog)
  const analyticsHall = new AnalyticsHallService(database.db, clock, regions, org)
  const open311 = new Open311Service(database.db, clock, ledger, regions, appeals, appealViews)
  scheduler.register(appealHandling.deadlineHandler())
  scheduler.register(appealHandling.discrepancyHandler())
  // A submission whose values contradict the records opens a discrepancy appeal: scheduled with the
  // case, run before the submission answers.
  cases.onSubmitted({
    inTransaction: (trx, c) =>
      c.discrepancies === 0
        ? Promise.resolve([])
        : scheduler.schedule(trx, { regionCode: c.regionCode, subject: subjectOf('case', c.id) }, [
            { kind: APPEAL_DISCREPANCY_JOB, key: c.id, dueAt: clock.now(), payload: { caseId: c.id } },
          ]),
    afterCommit: async (ids) => void (await scheduler.runNow(ids)),
  })
  const audit = new AuditService(ledger, () => [
    regions.replayer(),
    ...org.replayers(),
    catalog.replayer(),
    casesReplayer(database.db, catalog, attachments),
    attachments.replayer(),
    dataAccess.replayer(),
    scheduler.replayer(),
    policies.replayer(),
    orgEvaluations.replayer(),
    factContests.replayer(),
    ratings.replayer(),
    appealsReplayer(database.db),
    open311.replayer(),
    eventConsumers.replayer(),
    rollupsReplayer(database.db, eventConsumers, appealTopics),
  ])
  // With a manual clock, whatever falls due while time is advanced fires right then.
  if (clock instanceof ManualClock) clock.onAdvance(async (now) => void (await scheduler.runDue(now)))
  return {
    clock,
    ledger,
    audit,
    regions,
    org,
    auth,
    system,
    dataPlatform,
    catalog,
    attachments,
    cases,
    caseViews,
    scheduler,
    policies,
    ratings,
    ratingInvitations,
    appeals,
    appealViews,
    appealHandling,
    chains,
    rectifications,
    ratingContests,
    adoptPendingTimers: async () =>
      (await adoptPendingTimers(database.db, scheduler)) + (await rectifications.adoptDeadlines()),
    dataAccess,
    eventTail: new EventTailService(ledger),
    eventConsumers,
    intake: new IntakeService(org, dataAccess, regions),
    open311,
    assessment,
    orgEvaluations,
    assessmentWhatIf: new AssessmentWhatIfService(assessment, policies),
    assessmentExport: new AssessmentExportService(assessment, regions, clock),
    factContests,
    analytics,
    appealTopics,
    analyticsStream: new AnalyticsStreamHub(database.db, ledger, regions),
    analyticsHall,
    analyticsDrill: new AnalyticsDrillService(clock, regions, catalog, caseViews, appealViews),
    analyticsExport: new AnalyticsExportService(analytics, analyticsHall, regions, clock),
  }
}
