/** One base error with a string code; small subclasses carry what a caller needs. */
export class SparringError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration (environment) is invalid; the message names the variable. */
export class ConfigError extends SparringError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

/** The database was written by a newer Sparring than this one. */
export class SchemaTooNewError extends SparringError {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      'schema_too_new',
      `the database is at schema version ${databaseVersion}, but this Sparring knows only up to ${codeVersion}: ` +
        'upgrade Sparring, or point DATABASE_PATH at another file',
    );
  }
}

/**
 * Why a delivery was not accepted, which decides what the scheduler does:
 * - 'rateLimited': the platform said slow down (429). Not counted as an attempt; the `scope` waits
 *   `retryAfterMs` for everyone (the whole platform or workspace, or only that conversation).
 * - 'outage': the platform or the network failed (5xx, timeout, reset). Not counted while the platform's
 *   circuit is open; backs off.
 * - 'rejected': the platform refused this message for good (user gone, app not installed, too large).
 * - 'failed': anything else; retried with backoff and counted.
 */
export type DeliveryFailure = 'rateLimited' | 'outage' | 'rejected' | 'failed';

/** Who a Retry-After or an outage applies to: this message only, this conversation, or the platform (workspace). */
export type DeliveryScope = 'message' | 'conversation' | 'platform';

/**
 * A delivery the platform did not accept. `retryable` failures are tried again later
 * (after `retryAfterMs` when the platform said so); the others are recorded as failed.
 */
export class DeliveryError extends SparringError {
  readonly failure: DeliveryFailure;
  readonly scope: DeliveryScope;
  /** For 'platform' or 'conversation' scope: the key shared by everyone it applies to (e.g. "slack:T1", "slack:T1:D42"). */
  readonly scopeKey: string | undefined;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options: { cause?: unknown; failure?: DeliveryFailure; scope?: DeliveryScope; scopeKey?: string } = {},
  ) {
    super(retryable ? 'delivery_retry' : 'delivery_failed', message, { cause: options.cause });
    this.failure = options.failure ?? (retryable ? (retryAfterMs !== undefined ? 'rateLimited' : 'failed') : 'rejected');
    this.scope = options.scope ?? 'message';
    this.scopeKey = options.scopeKey;
  }
}

/**
 * A platform could not say whether a message already arrived (its history could not be read):
 * the scheduler must not send it again now, and asks again later.
 */
export class UnknownDeliveryError extends SparringError {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super('delivery_unknown', message, options);
  }
}

/**
 * Input from a person or a file that does not parse. The message is for the CLI and logs; `textKey`
 * (a prompt key) is what a person in chat reads, in their own language.
 */
export class InputError extends SparringError {
  readonly textKey: string | undefined;
  constructor(message: string, options: { textKey?: string } = {}) {
    super('input_invalid', message);
    this.textKey = options.textKey;
  }
}

/** A person asked for what their role does not allow, e.g. a coordinator's action on another programme. */
export class PermissionDeniedError extends SparringError {
  constructor(
    message: string,
    readonly role: 'coordinator',
    readonly programmeId: number | null = null,
  ) {
    super('permission_denied', message);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
