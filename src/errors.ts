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
 * A delivery the platform did not accept. `retryable` failures are tried again later
 * (after `retryAfterMs` when the platform said so); the others are recorded as failed.
 */
export class DeliveryError extends SparringError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(retryable ? 'delivery_retry' : 'delivery_failed', message, options);
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

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
