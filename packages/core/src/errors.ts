/**
 * Failures carry their retry policy: a permanent failure (404, unparseable feed, refused address) must not be
 * retried, a transient one (timeout, 5xx, 429) retries with backoff. Workers translate `PermanentError` into
 * BullMQ's `UnrecoverableError`.
 */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export class TransientError extends Error {
  override readonly name: string = 'TransientError';
  constructor(
    message: string,
    readonly code: string,
    /** Set when the server told us when to come back (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A configuration file that cannot be used: names the file, line, key and what is allowed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

/** Redis or the database cannot be reached: `address` is what we tried, `hint` how to fix it. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    message: string,
    readonly address: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
