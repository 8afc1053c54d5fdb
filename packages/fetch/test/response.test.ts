import { describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '@newsflow/core';
import {
  classifyResponse,
  freshnessMs,
  isPrivateAddress,
  MAX_POLL_BACKOFF_MS,
  nextPollDelayMs,
  parseRetryAfter,
} from '../src/index.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('classifyResponse', () => {
  it.each([
    [200, {}, 'ok'],
    [204, {}, 'ok'],
    [304, {}, 'not-modified'],
    [301, { location: '/new' }, 'redirect'],
    [308, { location: 'https://example.org/' }, 'redirect'],
  ])('HTTP %i is %s', (status, headers, kind) => {
    expect(classifyResponse(status, headers, NOW).kind).toBe(kind);
  });

  it.each([
    [404, PermanentError],
    [410, PermanentError],
    [401, PermanentError],
    [302, PermanentError],
    [429, TransientError],
    [500, TransientError],
    [503, TransientError],
    [408, TransientError],
  ])('HTTP %i fails with %o', (status, errorClass) => {
    const verdict = classifyResponse(status, {}, NOW);
    expect(verdict.kind).toBe('error');
    if (verdict.kind === 'error') expect(verdict.error).toBeInstanceOf(errorClass);
  });

  it('carries Retry-After on a 429', () => {
    const verdict = classifyResponse(429, { 'retry-after': '120' }, NOW);
    expect(verdict.kind === 'error' && verdict.error instanceof TransientError && verdict.error.retryAfterMs).toBe(
      120_000,
    );
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['30', 30_000],
    ['Thu, 01 Jan 2026 00:01:00 GMT', 60_000],
    ['Wed, 31 Dec 2025 00:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['::127.0.0.1', true],
    ['::10.0.0.1', true],
    ['::169.254.169.254', true],
    ['64:ff9b::7f00:1', true],
    ['::', true],
    ['224.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
    ['::ffff:93.184.216.34', false],
    ['not-an-ip', true],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('freshnessMs', () => {
  it.each([
    [{ 'cache-control': 'public, max-age=600' }, 600_000],
    [{ 'cache-control': 'max-age=60, s-maxage=300' }, 300_000],
    [{ 'cache-control': 'no-cache' }, 0],
    [{ expires: 'Thu, 01 Jan 2026 01:00:00 GMT' }, 3_600_000],
    [{ expires: '0' }, 0],
    [{}, null],
  ])('%o → %s', (headers, expected) => {
    expect(freshnessMs(headers, NOW)).toBe(expected);
  });
});

describe('nextPollDelayMs', () => {
  const interval = 600_000;
  it.each([
    ['a healthy feed polls at its interval', { intervalMs: interval, failures: 0 }, interval],
    ['a short max-age never polls faster', { intervalMs: interval, failures: 0, freshnessMs: 60_000 }, interval],
    ['a long max-age waits', { intervalMs: interval, failures: 0, freshnessMs: 3_600_000 }, 3_600_000],
    ['the feed ttl waits', { intervalMs: interval, failures: 0, ttlMs: 7_200_000 }, 7_200_000],
    ['one failure keeps the interval', { intervalMs: interval, failures: 1 }, interval],
    ['failures back off exponentially', { intervalMs: interval, failures: 4 }, interval * 8],
    ['Retry-After beyond the backoff wins', { intervalMs: interval, failures: 2, retryAfterMs: 5_400_000 }, 5_400_000],
    ['never more than a day', { intervalMs: interval, failures: 30 }, MAX_POLL_BACKOFF_MS],
  ])('%s', (_, timing, expected) => {
    expect(nextPollDelayMs(timing)).toBe(expected);
  });
});
