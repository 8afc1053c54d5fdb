import { PermanentError, TransientError } from '@newsflow/core';

export type ResponseVerdict =
  | { kind: 'ok' }
  | { kind: 'not-modified' }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; error: PermanentError | TransientError };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses worth asking again later: the server is overloaded, rate limiting, or briefly broken. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

/** Decides what a response means for the fetcher, as a pure function of status and headers. */
export function classifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): ResponseVerdict {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 304) return { kind: 'not-modified' };
  if (REDIRECTS.has(status)) {
    const location = headerValue(headers, 'location');
    if (!location)
      return { kind: 'error', error: new PermanentError(`HTTP ${status} without a Location header`, 'bad_redirect') };
    return { kind: 'redirect', location };
  }
  if (TRANSIENT.has(status)) {
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), now);
    return { kind: 'error', error: new TransientError(`HTTP ${status}`, `http_${status}`, retryAfterMs) };
  }
  return { kind: 'error', error: new PermanentError(`HTTP ${status}`, `http_${status}`) };
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server says the response stays fresh: Cache-Control max-age (s-maxage for shared caches wins),
 * else Expires minus now (RFC 9111 §4.2.1). null when it says nothing usable; no-store/no-cache mean 0.
 */
export function freshnessMs(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | null {
  const cacheControl = headerValue(headers, 'cache-control')?.toLowerCase() ?? '';
  if (/\b(?:no-store|no-cache)\b/.test(cacheControl)) return 0;
  const maxAge = /\bs-maxage\s*=\s*(\d+)/.exec(cacheControl) ?? /\bmax-age\s*=\s*(\d+)/.exec(cacheControl);
  if (maxAge) return Number(maxAge[1]) * 1000;
  const expires = headerValue(headers, 'expires');
  if (!expires) return null;
  const at = Date.parse(expires);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

export interface PollTiming {
  /** The feed's configured interval. */
  intervalMs: number;
  /** Consecutive failed polls, this one included when it failed. */
  failures: number;
  /** Retry-After of the last response, if any. */
  retryAfterMs?: number | null;
  /** Freshness the server declared (Cache-Control, Expires). */
  freshnessMs?: number | null;
  /** The feed's own <ttl>, in milliseconds. */
  ttlMs?: number | null;
}

/** Polls of a broken feed slow down to at most once a day. */
export const MAX_POLL_BACKOFF_MS = 24 * 3600 * 1000;

/**
 * When the next poll may happen, as a delay from now. A healthy feed polls at its interval, or later when the
 * server (Retry-After, max-age, Expires) or the feed (<ttl>) asks for it, capped at a day; a failing feed backs off
 * exponentially from the second failure (interval × 2^(failures − 1), at most a day) instead of hammering.
 */
export function nextPollDelayMs(timing: PollTiming): number {
  const asked = Math.max(timing.retryAfterMs ?? 0, timing.freshnessMs ?? 0, timing.ttlMs ?? 0);
  const backoff = timing.failures >= 2 ? timing.intervalMs * 2 ** (timing.failures - 1) : timing.intervalMs;
  return Math.min(MAX_POLL_BACKOFF_MS, Math.max(timing.intervalMs, backoff, asked));
}
