import type { Redis } from 'ioredis';

/**
 * Claims the right to send one request to `host` now, across every replica sharing this Redis: the claim is a key
 * that lives `delayMs`. Returns 0 when claimed, otherwise how many milliseconds until the host is free again.
 */
export async function claimHost(redis: Redis, keyPrefix: string, host: string, delayMs: number): Promise<number> {
  if (delayMs <= 0) return 0;
  const key = `${keyPrefix}:host:${host}`;
  const claimed = await redis.set(key, '1', 'PX', delayMs, 'NX');
  if (claimed === 'OK') return 0;
  const remaining = await redis.pttl(key);
  return remaining > 0 ? remaining : 1;
}

/** Keeps a host off limits for `ms` (after a 429 with Retry-After, or a robots.txt Crawl-delay). */
export async function holdHost(redis: Redis, keyPrefix: string, host: string, ms: number): Promise<void> {
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
  redis: Redis,
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

export async function releaseHostSlot(redis: Redis, keyPrefix: string, host: string, token: string): Promise<void> {
  await redis.zrem(`${keyPrefix}:hostslots:${host}`, token);
}
