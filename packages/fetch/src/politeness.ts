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
