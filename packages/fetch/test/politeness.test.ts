import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { acquireHostSlot, claimHost, holdHost, releaseHostSlot } from '../src/index.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

let redis: Redis;
const prefix = uniquePrefix('polite');
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
});

describe('per-host politeness in Redis (shared by every replica)', () => {
  it('lets perHostConcurrency requests in at once and frees a slot on release or when its lease runs out', async () => {
    const first = await acquireHostSlot(redis, prefix, 'a.example', 2, 60_000);
    const second = await acquireHostSlot(redis, prefix, 'a.example', 2, 60_000);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(await acquireHostSlot(redis, prefix, 'a.example', 2, 60_000)).toBeNull();
    expect(await acquireHostSlot(redis, prefix, 'b.example', 2, 60_000)).not.toBeNull();
    await releaseHostSlot(redis, prefix, 'a.example', first!);
    expect(await acquireHostSlot(redis, prefix, 'a.example', 2, 60_000)).not.toBeNull();

    const short = await acquireHostSlot(redis, prefix, 'c.example', 1, 50);
    expect(short).not.toBeNull();
    expect(await acquireHostSlot(redis, prefix, 'c.example', 1, 50)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await acquireHostSlot(redis, prefix, 'c.example', 1, 50)).not.toBeNull();
  });

  it('spaces requests to a host by the delay and holds it for a Retry-After', async () => {
    expect(await claimHost(redis, prefix, 'd.example', 1000)).toBe(0);
    const wait = await claimHost(redis, prefix, 'd.example', 1000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    await holdHost(redis, prefix, 'e.example', 120_000);
    expect(await claimHost(redis, prefix, 'e.example', 1000)).toBeGreaterThan(100_000);
  });
});
