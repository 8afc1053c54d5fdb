import { TransientError, type RedisClient } from '@newsflow/core';
import { fetchUrl, type FetchOptions, type FetchResult } from './http-client.ts';

/** Keeps a host off limits for `ms` (after a 429 with Retry-After, or a robots.txt Crawl-delay). */
export async function holdHost(redis: RedisClient, keyPrefix: string, host: string, ms: number): Promise<void> {
  if (ms > 0) await redis.set(`${keyPrefix}:host:${host}`, '1', 'PX', Math.ceil(ms));
}

// Slots are members of a sorted set scored by lease expiry: expired leases (a crashed replica) free themselves. The
// delay between requests is a key that lives for the delay (or for a Retry-After, which holds even without a delay);
// it is claimed only with a slot, and a slot only with it.
const CLAIM_SLOT_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local delayMs = tonumber(ARGV[6])
local free
if delayMs > 0 then free = redis.call('SET', KEYS[2], '1', 'PX', delayMs, 'NX')
else free = redis.call('EXISTS', KEYS[2]) == 0 end
if not free then
  local remaining = redis.call('PTTL', KEYS[2])
  if remaining > 0 then return remaining end
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0`;

/** How long a request waits when its host already has its concurrency's worth of requests in flight. */
export const SLOT_RETRY_MS = 500;

export type HostClaim = { token: string; waitMs: 0 } | { token: null; waitMs: number };

/**
 * Claims the right to send one request to `host` now, across every replica sharing this Redis, in one round trip:
 * one of `limit` concurrent request slots, leased for `leaseMs` (longer than a fetch can last), and the host's
 * `delayMs` since the previous request (or a Retry-After hold) passed. Returns the slot's token to release, or how
 * long to wait: until the delay has passed, or SLOT_RETRY_MS when the host is at its limit.
 */
export async function claimHostSlot(
  redis: RedisClient,
  keyPrefix: string,
  host: string,
  { limit, leaseMs, delayMs }: { limit: number; leaseMs: number; delayMs: number },
): Promise<HostClaim> {
  // A defined command runs by EVALSHA: the script text is not sent with every request.
  if (!('newsflowClaimHostSlot' in redis))
    redis.defineCommand('newsflowClaimHostSlot', { numberOfKeys: 2, lua: CLAIM_SLOT_LUA });
  const claim = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)
    .newsflowClaimHostSlot!;
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const now = Date.now();
  const outcome = await claim.call(
    redis,
    `${keyPrefix}:hostslots:${host}`,
    `${keyPrefix}:host:${host}`,
    now,
    limit,
    now + leaseMs,
    token,
    leaseMs,
    Math.ceil(delayMs),
  );
  if (outcome === 0) return { token, waitMs: 0 };
  return { token: null, waitMs: outcome < 0 ? SLOT_RETRY_MS : outcome };
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
  const { token, waitMs } = await claimHostSlot(redis, keyPrefix, host, {
    limit: options.perHostConcurrency,
    leaseMs,
    delayMs: Math.max(options.perHostDelayMs, options.crawlDelayMs ?? 0),
  });
  if (token === null) return { waitMs };
  try {
    const response = await fetchUrl(url, options).catch(async (error: unknown) => {
      if (error instanceof TransientError && error.retryAfterMs)
        await holdHost(redis, keyPrefix, host, error.retryAfterMs);
      throw error;
    });
    return { waitMs: 0, response };
  } finally {
    await releaseHostSlot(redis, keyPrefix, host, token);
  }
}
