import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { claimHostSlot, holdHost, releaseHostSlot, SLOT_RETRY_MS } from '../src/index.ts';
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

const claim = (host: string, limit: number, leaseMs: number, delayMs = 0) =>
  claimHostSlot(redis, prefix, host, { limit, leaseMs, delayMs });

describe('per-host politeness in Redis (shared by every replica)', () => {
  it('lets perHostConcurrency requests in at once and frees a slot on release or when its lease runs out', async () => {
    const first = await claim('a.example', 2, 60_000);
    const second = await claim('a.example', 2, 60_000);
    expect(first.token).not.toBeNull();
    expect(second.token).not.toBeNull();
    expect(await claim('a.example', 2, 60_000)).toEqual({ token: null, waitMs: SLOT_RETRY_MS });
    expect((await claim('b.example', 2, 60_000)).token).not.toBeNull();
    await releaseHostSlot(redis, prefix, 'a.example', first.token!);
    expect((await claim('a.example', 2, 60_000)).token).not.toBeNull();

    expect((await claim('c.example', 1, 50)).token).not.toBeNull();
    expect((await claim('c.example', 1, 50)).token).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await claim('c.example', 1, 50)).token).not.toBeNull();
  });

  it('spaces requests to a host by the delay, in the same round trip as the slot', async () => {
    const first = await claim('d.example', 4, 60_000, 1000);
    expect(first.waitMs).toBe(0);
    const second = await claim('d.example', 4, 60_000, 1000);
    expect(second.token).toBeNull();
    expect(second.waitMs).toBeGreaterThan(0);
    expect(second.waitMs).toBeLessThanOrEqual(1000);
    // Refused for the delay, it took no slot: the host still has three of its four.
    expect(await redis.zcard(`${prefix}:hostslots:d.example`)).toBe(1);
  });

  it('keeps every replica away from a host for a Retry-After, with or without a delay', async () => {
    await holdHost(redis, prefix, 'e.example', 120_000);
    expect((await claim('e.example', 4, 60_000, 1000)).waitMs).toBeGreaterThan(100_000);
    expect((await claim('e.example', 4, 60_000, 0)).waitMs).toBeGreaterThan(100_000);
    expect(await redis.zcard(`${prefix}:hostslots:e.example`)).toBe(0);
  });

  it('claims no delay for a host at its limit', async () => {
    expect((await claim('f.example', 1, 60_000, 1000)).token).not.toBeNull();
    await redis.del(`${prefix}:host:f.example`);
    expect(await claim('f.example', 1, 60_000, 1000)).toEqual({ token: null, waitMs: SLOT_RETRY_MS });
    expect(await redis.exists(`${prefix}:host:f.example`)).toBe(0);
  });
});
