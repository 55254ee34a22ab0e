/**
 * The one error type of the platform. Services throw `AppError` with a code from the closed set below;
 * the HTTP layer maps the code to a status and renders `{"error":{"code","message","details"}}`; the CLI
 * prints `CODE: message` and exits non-zero. Codes are part of the API contract: never rename one.
 * @module
 */

export const ERROR_CODES = {
  /** The request body, query or parameters do not match the schema; `details` lists the failing paths. */
  VALIDATION_FAILED: 400,
  /** The body is not parseable JSON (or not the content type the route accepts). */
  MALFORMED_REQUEST: 400,
  /** An input file (e.g. a GeoJSON import) is not acceptable; `details` says where. */
  INVALID_INPUT: 400,
  /** No valid session or token was presented. */
  UNAUTHENTICATED: 401,
  /** Username or password is wrong (deliberately not saying which). */
  INVALID_CREDENTIALS: 401,
  /** A cookie-authenticated write came without the matching CSRF token. */
  CSRF_FAILED: 403,
  /** Authenticated, but the caller's role or jurisdiction does not cover the resource. */
  FORBIDDEN: 403,
  /** The resource (or route) does not exist, or is outside what the caller may know exists. */
  NOT_FOUND: 404,
  /** The HTTP method is not allowed on this route. */
  METHOD_NOT_ALLOWED: 405,
  /** The change conflicts with existing state (duplicate username, wrong state for the operation). */
  CONFLICT: 409,
  /** The request body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: 413,
  /** The content type is not one this route accepts. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many requests (login attempts); retry after the time in `details.retryAfterSeconds`. */
  RATE_LIMITED: 429,
  /** Stored data failed verification (ledger or audit): someone changed what must not change. */
  INTEGRITY_VIOLATION: 500,
  /** An unexpected fault; logged with the request id, details withheld. */
  INTERNAL: 500,
  /** A dependency (database) is unavailable. */
  UNAVAILABLE: 503,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_CODES

export interface AppErrorOptions {
  details?: unknown
  cause?: unknown
}

/** A failure with a stable code, a human-readable message (English) and optional structured details. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: unknown

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details ?? null
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_CODES[this.code]
  }
}

/** True for AppError instances, also across module copies (vitest, bundled CLI). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError || (value instanceof Error && value.name === 'AppError' && 'code' in value)
}

export const notFound = (what: string, id: string): AppError =>
  new AppError('NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`, { details: { [what]: id } })

export const forbidden = (message: string, details?: unknown): AppError =>
  new AppError('FORBIDDEN', message, { details })
