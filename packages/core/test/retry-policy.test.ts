import { describe, expect, it } from 'vitest';
import {
  ATTEMPTS,
  classifyFailure,
  ConnectionError,
  PermanentError,
  retryDelayMs,
  retryHorizonMs,
  TransientError,
} from '../src/index.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it.each([
    ['a 404', new PermanentError('HTTP 404', 'http_404'), 'permanent'],
    ['a refused address', new PermanentError('refused 10.0.0.1', 'address_refused'), 'permanent'],
    ['a 503', new TransientError('HTTP 503', 'http_503'), 'transient'],
    ['our own connection error', new ConnectionError('cannot reach PostgreSQL', 'postgres://x'), 'transient'],
    ['PostgreSQL going away', new Error('Connection terminated unexpectedly'), 'transient'],
    ['a pool timeout', new Error('timeout exceeded when trying to connect'), 'transient'],
    ['PostgreSQL shutting down (57P01)', withCode('terminating connection', '57P01'), 'transient'],
    ['PostgreSQL starting up (57P03)', withCode('the database system is starting up', '57P03'), 'transient'],
    ['a PostgreSQL connection exception (08006)', withCode('connection failure', '08006'), 'transient'],
    ['too many connections (53300)', withCode('too many clients', '53300'), 'transient'],
    ['a deadlock (40P01)', withCode('deadlock detected', '40P01'), 'transient'],
    ['a serialization failure (40001)', withCode('could not serialize', '40001'), 'transient'],
    ['SQLITE_BUSY', withCode('database is locked', 'SQLITE_BUSY'), 'transient'],
    ['SQLITE_LOCKED_SHAREDCACHE', withCode('locked', 'SQLITE_LOCKED_SHAREDCACHE'), 'transient'],
    ['DNS down (EAI_AGAIN)', withCode('getaddrinfo EAI_AGAIN', 'EAI_AGAIN'), 'transient'],
    ['DNS unknown host (ENOTFOUND)', withCode('getaddrinfo ENOTFOUND', 'ENOTFOUND'), 'transient'],
    ['a reset socket', withCode('read ECONNRESET', 'ECONNRESET'), 'transient'],
    ['undici socket error', withCode('other side closed', 'UND_ERR_SOCKET'), 'transient'],
    ['Redis gone', new Error('Connection is closed.'), 'transient'],
    ['Redis loading its data', new Error('LOADING Redis is loading the dataset in memory'), 'transient'],
    ['a cause chain', new Error('store failed', { cause: withCode('refused', 'ECONNREFUSED') }), 'transient'],
    ['invalid text for PostgreSQL (22021)', withCode('invalid byte sequence', '22021'), 'unknown'],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')"), 'unknown'],
  ])('%s is %s', (_, error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially with jitter, capped at five minutes, and honours a longer Retry-After', () => {
    expect(retryDelayMs(1, undefined, () => 1)).toBe(2000);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(8000);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(6000);
    expect(retryDelayMs(30, undefined, () => 1)).toBe(300_000);
    expect(retryDelayMs(1, new TransientError('429', 'http_429', 90_000), () => 1)).toBe(90_000);
  });

  it('lets store and dedup jobs ride out an outage of more than an hour', () => {
    expect(retryHorizonMs(ATTEMPTS['article-store'])).toBeGreaterThan(3_600_000);
    expect(retryHorizonMs(ATTEMPTS['article-dedup'])).toBeGreaterThan(3_600_000);
  });
});
