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
