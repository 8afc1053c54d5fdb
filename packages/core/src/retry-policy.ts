import { ConnectionError, PermanentError, TransientError } from './errors.ts';

/**
 * What a failure is, which decides what happens to its job:
 * - `permanent`: retrying cannot change it (404, not a feed, refused address, too large, robots): fail now.
 * - `transient`: the network, Redis or the database is down, busy or restarting: retry with backoff, long enough to
 *   ride out a restart.
 * - `unknown`: anything else (most likely a bug): retry a few times, then fail with its stack logged.
 */
export type FailureKind = 'permanent' | 'transient' | 'unknown';

/** Socket, DNS and undici error codes: the peer or the path to it is down, not the request wrong. */
const NETWORK_CODES =
  /^(?:ECONN\w*|ETIMEDOUT|ESOCKETTIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|ENETUNREACH|ENETDOWN|EHOSTUNREACH|EHOSTDOWN|EADDRNOTAVAIL|UND_ERR_(?:SOCKET|CONNECT_TIMEOUT|HEADERS_TIMEOUT|BODY_TIMEOUT|CLOSED))$/;
/** SQLite: another connection holds the lock, or the disk hiccupped. */
const SQLITE_CODES = /^SQLITE_(?:BUSY|LOCKED|IOERR|FULL|PROTOCOL)/;
/**
 * PostgreSQL SQLSTATEs: class 08 connection exceptions, 53 insufficient resources, 57P01–57P03 shutdown and
 * cannot-connect-now, 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 query canceled
 * (statement timeout).
 */
const POSTGRES_CODES = /^(?:08\w{3}|53\w{3}|57P0[123]|40001|40P01|55P03|57014)$/;
/** Redis replies that say "later": still loading its data, a failover or a cluster reshard in progress. */
const REDIS_REPLIES = /^(?:LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS)\b/;
/** Errors that carry no code but only a message (pg's and ioredis's own). */
const TRANSIENT_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Connection is closed|Client has encountered a connection error|Stream isn't writeable|max retries per request|socket hang up|Client was closed and is not queryable|terminating connection due to administrator command|Query read timeout|query_timeout/i;

export function classifyFailure(error: unknown): FailureKind {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof PermanentError) return 'permanent';
    if (current instanceof TransientError || current instanceof ConnectionError) return 'transient';
    const { name, code, message } = current as { name?: unknown; code?: unknown; message?: unknown };
    if (name === 'UnrecoverableError') return 'permanent';
    if (name === 'MaxRetriesPerRequestError') return 'transient';
    if (typeof code === 'string' && (NETWORK_CODES.test(code) || SQLITE_CODES.test(code) || POSTGRES_CODES.test(code)))
      return 'transient';
    if (typeof message === 'string' && (REDIS_REPLIES.test(message) || TRANSIENT_MESSAGES.test(message)))
      return 'transient';
    current = (current as { cause?: unknown }).cause;
  }
  return 'unknown';
}

/** An unknown error gets this many attempts in all before its job fails. */
export const UNKNOWN_ERROR_ATTEMPTS = 3;

const BACKOFF_BASE_MS = 2000;
const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Exponential backoff (2 s, 4 s, … capped at 5 min) with jitter (75–100 % of the step), so workers that failed
 * together (a database restart) do not all come back in the same second. A server's Retry-After wins when longer.
 */
export function retryDelayMs(attemptsMade: number, error?: unknown, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(step * (0.75 + 0.25 * random()));
  const retryAfterMs = error instanceof TransientError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, Math.min(retryAfterMs, BACKOFF_CAP_MS * 12));
}

/** The least total wait `attempts` attempts give, for docs and tests: every jitter at its low end. */
export function retryHorizonMs(attempts: number): number {
  let total = 0;
  for (let made = 1; made < attempts; made++) total += retryDelayMs(made, undefined, () => 0);
  return total;
}
