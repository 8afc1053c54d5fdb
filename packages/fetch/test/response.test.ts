import { describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '@newsflow/core';
import { classifyResponse, isPrivateAddress, parseRetryAfter } from '../src/index.ts';

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
    ['224.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
    ['::ffff:93.184.216.34', false],
    ['not-an-ip', true],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
