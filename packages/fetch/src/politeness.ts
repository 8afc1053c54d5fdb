import { TransientError, type RedisClient } from '@newsflow/core';
import { fetchUrl, type FetchOptions, type FetchResult } from './http-client.ts';

/**
 * Claims the right to send one request to `host` now, across every replica sharing this Redis: the claim is a key
 * that lives `delayMs`. Returns 0 when claimed, otherwise how many milliseconds until the host is free again.
 */
export async function claimHost(redis: RedisClient, keyPrefix: string, host: string, delayMs: number): Promise<number> {
  if (delayMs <= 0) return 0;
  const key = `${keyPrefix}:host:${host}`;
  const claimed = await redis.set(key, '1', 'PX', delayMs, 'NX');
  if (claimed === 'OK') return 0;
  const remaining = await redis.pttl(key);
  return remaining > 0 ? remaining : 1;
}

/** Keeps a host off limits for `ms` (after a 429 with Retry-After, or a robots.txt Crawl-delay). */
export async function holdHost(redis: RedisClient, keyPrefix: string, host: string, ms: number): Promise<void> {
  if (ms > 0) await redis.set(`${keyPrefix}:host:${host}`, '1', 'PX', Math.ceil(ms));
}

// Slots are members of a sorted set scored by lease expiry: expired leases (a crashed replica) free themselves.
const ACQUIRE_SLOT_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

/**
 * Takes one of `limit` concurrent request slots for `host`, shared by every replica, leased for `leaseMs` (longer
 * than a fetch can last). Returns a token to release, or null when the host is at its limit.
 */
export async function acquireHostSlot(
  redis: RedisClient,
  keyPrefix: string,
  host: string,
  limit: number,
  leaseMs: number,
): Promise<string | null> {
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const now = Date.now();
  const acquired = (await redis.eval(
    ACQUIRE_SLOT_LUA,
    1,
    `${keyPrefix}:hostslots:${host}`,
    now,
    limit,
    now + leaseMs,
    token,
    leaseMs,
  )) as number;
  return acquired === 1 ? token : null;
}

export async function releaseHostSlot(
  redis: RedisClient,
  keyPrefix: string,
  host: string,
  token: string,
): Promise<void> {
  await redis.zrem(`${keyPrefix}:hostslots:${host}`, token);
}

/** A slot outlives the longest fetch by this much before it frees itself (a replica that died mid-request). */
const SLOT_MARGIN_MS = 5000;
/** How long a request waits when its host already has its concurrency's worth of requests in flight. */
const SLOT_RETRY_MS = 500;

export type PoliteFetch = { waitMs: number; response?: undefined } | { waitMs: 0; response: FetchResult };

/**
 * Fetches `url` as a polite crawler does, across every replica sharing this Redis: at most `perHostConcurrency`
 * requests in flight per host, one start per `max(perHostDelayMs, crawlDelayMs)`, and a 429 or 503 with
 * Retry-After keeps every replica away from the host for that long. When the host is busy, returns how long to
 * wait instead (the caller reschedules rather than holding a worker slot).
 */
export async function fetchPolitely(
  redis: RedisClient,
  keyPrefix: string,
  url: string,
  options: FetchOptions & { perHostConcurrency: number; perHostDelayMs: number; crawlDelayMs?: number },
): Promise<PoliteFetch> {
  const host = new URL(url).host;
  const leaseMs = options.timeoutMs + SLOT_MARGIN_MS;
  const slot = await acquireHostSlot(redis, keyPrefix, host, options.perHostConcurrency, leaseMs);
  if (!slot) return { waitMs: SLOT_RETRY_MS };
  try {
    const waitMs = await claimHost(redis, keyPrefix, host, Math.max(options.perHostDelayMs, options.crawlDelayMs ?? 0));
    if (waitMs > 0) return { waitMs };
    const response = await fetchUrl(url, options).catch(async (error: unknown) => {
      if (error instanceof TransientError && error.retryAfterMs)
        await holdHost(redis, keyPrefix, host, error.retryAfterMs);
      throw error;
    });
    return { waitMs: 0, response };
  } finally {
    await releaseHostSlot(redis, keyPrefix, host, slot);
  }
}
