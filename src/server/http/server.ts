/**
 * Builds the Fastify server: validation, errors, authentication, OpenAPI, metrics, health, the web UI
 * and every module's routes. The only place that imports route modules.
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { sql } from 'kysely'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { systemClock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { registerAttachmentRoutes } from '../modules/attachments/attachments.routes.js'
import { registerAuditRoutes } from '../modules/audit/audit.routes.js'
import { registerAuthRoutes } from '../modules/auth/auth.routes.js'
import { registerCaseRoutes } from '../modules/cases/cases.routes.js'
import { registerDataAccessRoutes } from '../modules/data-access/data-access.routes.js'
import { registerCatalogRoutes } from '../modules/catalog/catalog.routes.js'
import { registerEventTailRoutes } from '../modules/event-tail/event-tail.routes.js'
import { registerIntakeRoutes } from '../modules/intake/intake.routes.js'
import { registerLedgerRoutes } from '../modules/ledger/ledger.routes.js'
import { OPEN311_PREFIX, registerOpen311Routes, sendOpen311Error } from '../modules/open311/open311.routes.js'
import { registerOrgRoutes } from '../modules/org/org.routes.js'
import { registerPolicyRoutes } from '../modules/policy/policy.routes.js'
import { registerRatingRoutes } from '../modules/ratings/ratings.routes.js'
import { registerAppealRoutes } from '../modules/appeals/appeals.routes.js'
import { registerAnalyticsRoutes } from '../modules/analytics/analytics.routes.js'
import { registerAnalyticsStreamRoutes } from '../modules/analytics/analytics-stream.routes.js'
import { registerAnalyticsHallRoutes } from '../modules/analytics/analytics-hall.routes.js'
import { registerAssessmentRoutes } from '../modules/assessment/assessment.routes.js'
import { registerFactContestRoutes } from '../modules/assessment/fact-contests.routes.js'
import { registerOrgEvaluationRoutes } from '../modules/assessment/org-evaluations.routes.js'
import { registerRectificationRoutes } from '../modules/ratings/rectifications.routes.js'
import { registerRegionRoutes } from '../modules/regions/regions.routes.js'
import { registerSchedulerRoutes } from '../modules/scheduler/scheduler.routes.js'
import { registerSystemRoutes } from '../modules/system/system.routes.js'
import type { Services } from '../services.js'
import { WEB_DIST } from '../paths.js'
import { AppError } from '../../shared/errors.js'
import { installAuth } from './auth.js'
import { isBinarySchema } from './download.js'
import { assertCleanInput, boundIntegers } from './input.js'
import { handleError } from './errors.js'

export interface HttpOptions {
  /** pino logger options, or false for none (tests). */
  logger: FastifyServerOptions['logger']
  /** Where the built web UI is; defaults to dist/web. Missing directory → API only. */
  webDir?: string
}

export const API_VERSION = '0.1.0'

export async function buildHttpServer(
  config: Config,
  database: Database,
  services: Services,
  options: HttpOptions,
): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: config.trustProxy,
    // Bad URLs and over-long path parameters answer through the one error path too (under the Open311
    // prefix, in the GeoReport v2 error shape).
    frameworkErrors: (err, request, reply) => {
      if (request.url.startsWith(`${OPEN311_PREFIX}/`)) void sendOpen311Error(err, request, reply)
      else void handleError(err, request, reply)
    },
    ajv: { customOptions: { strict: false } },
  })

  // Bodies are validated strictly (a number is not a string); query strings and path parameters
  // arrive as text and are coerced.
  const bodyAjv = addFormats.default(
    new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, strict: false }),
  )
  const paramAjv = addFormats.default(
    new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, strict: false }),
  )
  // A raw binary body (an upload) is a Buffer its route's content-type parser produced: nothing to check.
  server.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' && isBinarySchema(schema)
      ? () => true
      : (httpPart === 'body' ? bodyAjv : paramAjv).compile(boundIntegers(schema)),
  )
  // Text SQL cannot hold (NUL), text that is not Unicode, and absurd nesting stop here, on every route.
  server.addHook('preValidation', async (request) => {
    assertCleanInput('params', request.params)
    assertCleanInput('querystring', request.query)
    assertCleanInput('body', request.body)
  })

  // The API speaks JSON only: other bodies get 415 rather than being parsed as text.
  server.removeContentTypeParser('text/plain')
  server.setErrorHandler(handleError)
  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  // ---- metrics ----
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpDuration = new Histogram({
    name: 'xzt_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  if (database.durabilityStats) {
    const stats = database.durabilityStats.bind(database)
    new Counter({
      name: 'xzt_sqlite_durable_writes_total',
      help: 'SQLite transactions and autocommit writes acknowledged once durable',
      registers: [registry],
      collect() {
        this.reset()
        this.inc(stats().transactions)
      },
    })
    new Counter({
      name: 'xzt_sqlite_wal_syncs_total',
      help: 'fdatasync calls of the SQLite WAL (one covers every commit before it)',
      registers: [registry],
      collect() {
        this.reset()
        this.inc(stats().syncs)
      },
    })
  }
  const scheduler = services.scheduler
  new Gauge({
    name: 'xzt_scheduler_jobs',
    help: 'Scheduled jobs and timers by status (dead: the dead letter, for an administrator to look at)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries(await scheduler.counts())) this.set({ status }, n)
    },
  })
  new Counter({
    name: 'xzt_scheduler_job_outcomes_total',
    help: 'Job attempts this process ran, by outcome (failed: retried later; dead: no attempts left)',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const [outcome, n] of Object.entries(scheduler.totals)) this.inc({ outcome }, n)
    },
  })
  const consumers = services.eventConsumers
  new Gauge({
    name: 'xzt_event_consumer_behind',
    help: 'Ledger events after each event-tail consumer’s cursor (one that keeps growing is stuck)',
    labelNames: ['consumer'] as const,
    registers: [registry],
    async collect() {
      for (const c of await consumers.status()) this.set({ consumer: c.name }, c.behind)
    },
  })
  new Gauge({
    name: 'xzt_event_consumer_failures',
    help: 'Failed passes in a row of each event-tail consumer in this process (0: the last one went through)',
    labelNames: ['consumer'] as const,
    registers: [registry],
    collect() {
      for (const [consumer, n] of consumers.failures()) this.set({ consumer }, n)
    },
  })
  server.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    )
  })

  await server.register(fastifyCookie)
  await server.register(fastifyHelmet, {
    global: true,
    // The web UI is built by Vite into module scripts and stylesheets served from here; antd writes its
    // styles into <style> elements at run time, hence 'unsafe-inline' for styles only (never scripts).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Ajv (react-jsonschema-form's validator) compiles each matter's JSON Schema into a function in
        // the browser, which needs eval; scripts still come only from the platform, never inline.
        scriptSrc: ["'self'", "'unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only when the platform is served over HTTPS (XZT_COOKIE_SECURE=true says so).
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Cross-origin isolation headers would stop auditors' tools fetching public ledger tiles.
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
  })
  await server.register(fastifyRateLimit, { global: false })
  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Xingzhengtong (星政通) API',
        version: API_VERSION,
        description:
          'REST/JSON API of the platform. Authenticate with POST /api/auth/login and send the returned token as ' +
          '`Authorization: Bearer <token>`; browsers use the session cookie plus the `x-csrf-token` header on writes. ' +
          'Every error is `{"error":{"code","message","details"}}`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  })
  await server.register(fastifySwaggerUi, { routePrefix: '/docs' })

  installAuth(server, services.auth)

  // ---- system routes ----
  server.get(
    '/healthz',
    { schema: { tags: ['system'], summary: 'Liveness and database check' } },
    async () => {
      try {
        await sql`select 1`.execute(database.db)
      } catch (err) {
        throw new AppError('UNAVAILABLE', 'the database is not reachable', { cause: err })
      }
      return { status: 'ok', storage: database.kind, version: API_VERSION }
    },
  )
  server.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  )
  server.get('/api/openapi.json', { schema: { hide: true } }, () => server.swagger())

  registerAuthRoutes(server, services.auth, {
    loginRateLimit: config.loginRateLimit,
    cookieSecure: config.cookieSecure,
    clock: systemClock,
  })
  registerRegionRoutes(server, services.regions)
  registerOrgRoutes(server, services.org)
  registerLedgerRoutes(server, services.ledger)
  registerAuditRoutes(server, services.audit)
  registerSystemRoutes(server, services.system)
  registerCatalogRoutes(server, services.catalog)
  registerCaseRoutes(server, services.cases, services.caseViews)
  registerDataAccessRoutes(server, services.dataAccess)
  registerEventTailRoutes(server, services.eventTail)
  registerSchedulerRoutes(server, services.scheduler)
  registerPolicyRoutes(server, services.policies)
  registerRatingRoutes(server, services.ratings, services.ratingInvitations)
  registerAppealRoutes(
    server,
    services.appeals,
    services.appealViews,
    services.appealHandling,
    services.chains,
  )
  registerRectificationRoutes(server, services.rectifications, services.ratingContests)
  registerIntakeRoutes(server, services.intake)
  registerAssessmentRoutes(server, services.assessment, services.assessmentWhatIf, services.assessmentExport)
  registerOrgEvaluationRoutes(server, services.orgEvaluations)
  registerFactContestRoutes(server, services.factContests)
  registerAnalyticsRoutes(server, services.analytics)
  registerAnalyticsStreamRoutes(server, services.analyticsStream)
  registerAnalyticsHallRoutes(
    server,
    services.analyticsHall,
    services.analyticsDrill,
    services.analyticsExport,
  )
  await registerOpen311Routes(server, services.open311, { rateLimit: config.open311RateLimit })
  await registerAttachmentRoutes(server, services.attachments)

  // ---- web UI ----
  const webDir = options.webDir ?? WEB_DIST
  const indexHtml = path.join(webDir, 'index.html')
  const hasWeb = fs.existsSync(indexHtml)
  if (hasWeb) {
    await server.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      setHeaders: (res, file) => {
        // Vite fingerprints everything under assets/: cache forever. index.html: always revalidate.
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
  }
  server.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/'
    const isApi = url.startsWith('/api/') || url === '/api' || url === '/metrics' || url === '/healthz'
    if (hasWeb && !isApi && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    return handleError(new AppError('NOT_FOUND', `no route ${request.method} ${url}`), request, reply)
  })

  return server
}
