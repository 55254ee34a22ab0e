/**
 * Configuration from the environment, validated once at start with Ajv. A bad value stops the process
 * with every offending variable named; nothing else in the server reads `process.env`.
 * @module
 */
import path from 'node:path'
import { Ajv } from 'ajv'
import { DEFAULT_ATTACHMENT_MAX_BYTES } from '../shared/attachments.js'
import { AppError } from '../shared/errors.js'

export type StorageKind = 'sqlite' | 'postgres'

export interface Config {
  /** `PORT`: TCP port of the HTTP server. Default 8080. */
  readonly port: number
  /** `HOST`: interface to listen on. Default 0.0.0.0 (all). */
  readonly host: string
  /** `XZT_DATA_DIR`: where the embedded database, keys and uploads live. Default ./data. */
  readonly dataDir: string
  /**
   * `DATABASE_URL`: absent → embedded SQLite at `<dataDir>/xzt.db`; `postgres://…` → PostgreSQL;
   * `sqlite:<path>` or `file:<path>` → SQLite at that path (`:memory:` for a throw-away database).
   */
  readonly database:
    { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string }
  /**
   * `XZT_SQLITE_SYNCHRONOUS`: SQLite durability. FULL (default): a write is acknowledged once on disk
   * (survives power loss; concurrent writes share one fdatasync of the WAL). NORMAL: survives a crash of
   * the process, may lose the last writes on power loss.
   */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL'
  /** `XZT_DEMO_PASSWORD`: password of every demo account. Default `xzt-demo`. */
  readonly demoPassword: string
  /** `XZT_DEMO`: what `serve` does with an empty database: `small` (default), `province` or `none`. */
  readonly demoOnEmpty: 'small' | 'province' | 'none'
  /** `XZT_DEMO_SEED`: seed of the demo generator. Default 20261127. */
  readonly demoSeed: number
  /**
   * `XZT_DEMO_HISTORY_DAYS`: days of simulated history `serve` gives a demo it seeds (cases, appeals,
   * ratings, ending now), so the hall and the scorecards have figures on first start. Default 7; 0 none.
   */
  readonly demoHistoryDays: number
  /** `XZT_LOG_LEVEL`: pino level (fatal…trace, silent). Default info. */
  readonly logLevel: string
  /** `XZT_LOGIN_RATE_LIMIT`: login attempts per minute per client address and username. Default 10. */
  readonly loginRateLimit: number
  /** `XZT_OPEN311_RATE_LIMIT`: Open311 requests an API key may file per minute. Default 60. */
  readonly open311RateLimit: number
  /** `XZT_SESSION_TTL_HOURS`: how long a session lives without use. Default 12. */
  readonly sessionTtlHours: number
  /** `XZT_COOKIE_SECURE`: mark cookies Secure (set true behind HTTPS) and send HSTS. Default false. */
  readonly cookieSecure: boolean
  /**
   * `XZT_TRUST_PROXY`: believe `X-Forwarded-For` (only behind a reverse proxy that sets it). Default false:
   * otherwise a client rotating that header would get a fresh rate limit per request.
   */
  readonly trustProxy: boolean
  /** `XZT_LEDGER_DOMAIN`: domain in ledger origins, `<domain>/ledger/<code>`. Default ledger.xiaoxiang.gov.cn. */
  readonly ledgerDomain: string
  /** `XZT_LEDGER_KEY_FILE`: Ed25519 PKCS#8 PEM signing the logs' checkpoints. Default <dataDir>/keys/ledger-log.pem (created if absent). */
  readonly ledgerKeyFile: string
  /** `XZT_WITNESS_KEY_FILE`: Ed25519 PKCS#8 PEM of the province witness. Default <dataDir>/keys/ledger-witness.pem. */
  readonly witnessKeyFile: string
  /** `XZT_CHECKPOINT_INTERVAL_MS`: how often growing logs get a new signed checkpoint; 0 = only on demand. Default 1000. */
  readonly checkpointIntervalMs: number
  /** `XZT_LEDGER_WITNESSES`: comma-separated verifier keys of external witnesses whose cosignatures are accepted. */
  readonly externalWitnesses: readonly string[]
  /** `XZT_CLOCK`: `system` (default) or `manual` (time moves only by `POST /api/admin/clock`, for demos and tests). */
  readonly clock: 'system' | 'manual'
  /** `XZT_TIMER_INTERVAL_MS`: how often `serve` fires due SLA timers (system clock). Default 5000. */
  readonly timerIntervalMs: number
  /**
   * `XZT_ATTACHMENT_MAX_BYTES`: largest attachment accepted, whether uploaded or inline in a submitted
   * form. Default 20 MiB (20971520). Files live in the database, so this also bounds one row's size.
   */
  readonly attachmentMaxBytes: number
}

interface RawEnv {
  PORT: number
  HOST: string
  XZT_DATA_DIR: string
  DATABASE_URL?: string
  XZT_SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL'
  XZT_DEMO_PASSWORD: string
  XZT_DEMO: 'small' | 'province' | 'none'
  XZT_DEMO_SEED: number
  XZT_DEMO_HISTORY_DAYS: number
  XZT_LOG_LEVEL: string
  XZT_LOGIN_RATE_LIMIT: number
  XZT_OPEN311_RATE_LIMIT: number
  XZT_SESSION_TTL_HOURS: number
  XZT_COOKIE_SECURE: boolean
  XZT_TRUST_PROXY: boolean
  XZT_LEDGER_DOMAIN: string
  XZT_LEDGER_KEY_FILE?: string
  XZT_WITNESS_KEY_FILE?: string
  XZT_CHECKPOINT_INTERVAL_MS: number
  XZT_LEDGER_WITNESSES?: string
  XZT_CLOCK: 'system' | 'manual'
  XZT_TIMER_INTERVAL_MS: number
  XZT_ATTACHMENT_MAX_BYTES: number
}

const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    XZT_DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    DATABASE_URL: { type: 'string', pattern: '^(postgres(ql)?://|sqlite:|file:)' },
    XZT_SQLITE_SYNCHRONOUS: { type: 'string', enum: ['FULL', 'NORMAL'], default: 'FULL' },
    XZT_DEMO_PASSWORD: { type: 'string', minLength: 4, default: 'xzt-demo' },
    XZT_DEMO: { type: 'string', enum: ['small', 'province', 'none'], default: 'small' },
    XZT_DEMO_SEED: { type: 'integer', default: 20261127 },
    XZT_DEMO_HISTORY_DAYS: { type: 'integer', minimum: 0, maximum: 90, default: 7 },
    XZT_LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    XZT_LOGIN_RATE_LIMIT: { type: 'integer', minimum: 1, default: 10 },
    XZT_OPEN311_RATE_LIMIT: { type: 'integer', minimum: 1, default: 60 },
    XZT_SESSION_TTL_HOURS: { type: 'number', exclusiveMinimum: 0, default: 12 },
    XZT_COOKIE_SECURE: { type: 'boolean', default: false },
    XZT_TRUST_PROXY: { type: 'boolean', default: false },
    XZT_LEDGER_DOMAIN: {
      type: 'string',
      pattern: '^[a-z0-9.-]+(/[a-z0-9._-]+)*$',
      default: 'ledger.xiaoxiang.gov.cn',
    },
    XZT_LEDGER_KEY_FILE: { type: 'string', minLength: 1 },
    XZT_WITNESS_KEY_FILE: { type: 'string', minLength: 1 },
    XZT_CHECKPOINT_INTERVAL_MS: { type: 'integer', minimum: 0, default: 1000 },
    XZT_LEDGER_WITNESSES: { type: 'string' },
    XZT_CLOCK: { type: 'string', enum: ['system', 'manual'], default: 'system' },
    XZT_TIMER_INTERVAL_MS: { type: 'integer', minimum: 0, default: 5000 },
    // PostgreSQL's bytea and the HTTP body limit both stay far below 1 GiB.
    XZT_ATTACHMENT_MAX_BYTES: {
      type: 'integer',
      minimum: 1,
      maximum: 512 * 1024 * 1024,
      default: DEFAULT_ATTACHMENT_MAX_BYTES,
    },
  },
} as const

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true })
const validateEnv = ajv.compile<RawEnv>(ENV_SCHEMA)

/**
 * Reads and validates the configuration.
 * @throws AppError `INVALID_INPUT` naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(ENV_SCHEMA.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  if (!validateEnv(raw)) {
    const problems = (validateEnv.errors ?? []).map(
      (e) => `${e.instancePath.slice(1) || 'environment'} ${e.message}`,
    )
    throw new AppError('INVALID_INPUT', `invalid configuration: ${problems.join('; ')}`, {
      details: problems,
    })
  }
  const r = raw as unknown as RawEnv
  const dataDir = path.resolve(r.XZT_DATA_DIR)
  return Object.freeze({
    port: r.PORT,
    host: r.HOST,
    dataDir,
    database: parseDatabaseUrl(r.DATABASE_URL, dataDir),
    sqliteSynchronous: r.XZT_SQLITE_SYNCHRONOUS,
    demoPassword: r.XZT_DEMO_PASSWORD,
    demoOnEmpty: r.XZT_DEMO,
    demoSeed: r.XZT_DEMO_SEED,
    demoHistoryDays: r.XZT_DEMO_HISTORY_DAYS,
    logLevel: r.XZT_LOG_LEVEL,
    loginRateLimit: r.XZT_LOGIN_RATE_LIMIT,
    open311RateLimit: r.XZT_OPEN311_RATE_LIMIT,
    sessionTtlHours: r.XZT_SESSION_TTL_HOURS,
    cookieSecure: r.XZT_COOKIE_SECURE,
    trustProxy: r.XZT_TRUST_PROXY,
    ledgerDomain: r.XZT_LEDGER_DOMAIN,
    ledgerKeyFile: path.resolve(r.XZT_LEDGER_KEY_FILE ?? path.join(dataDir, 'keys', 'ledger-log.pem')),
    witnessKeyFile: path.resolve(r.XZT_WITNESS_KEY_FILE ?? path.join(dataDir, 'keys', 'ledger-witness.pem')),
    checkpointIntervalMs: r.XZT_CHECKPOINT_INTERVAL_MS,
    externalWitnesses: Object.freeze(
      (r.XZT_LEDGER_WITNESSES ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    ),
    clock: r.XZT_CLOCK,
    timerIntervalMs: r.XZT_TIMER_INTERVAL_MS,
    attachmentMaxBytes: r.XZT_ATTACHMENT_MAX_BYTES,
  })
}

function parseDatabaseUrl(url: string | undefined, dataDir: string): Config['database'] {
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'xzt.db') }
  if (url.startsWith('postgres')) return { kind: 'postgres', url }
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '')
  return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) }
}
