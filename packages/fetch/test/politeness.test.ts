import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { claimHostSlot, fetchPolitely, holdHost, HostSlots, releaseHostSlot, SLOT_RETRY_MS } from '../src/index.ts';
import { serve, TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

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

describe("a process's host slots (HostSlots)", () => {
  const noDelay = { limit: 2, leaseMs: 60_000, delayMs: 0 };
  const slotsIn = (host: string) => redis.zrange(`${prefix}:hostslots:${host}`, 0, -1);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("gives a host's next request the slot its last request left, without claiming another", async () => {
    const slots = new HostSlots(redis, prefix, { keepMs: 60_000, holdMs: 60_000 });
    const first = await slots.claim('g.example', noDelay);
    await slots.release('g.example', first.slot!, true);
    const second = await slots.claim('g.example', noDelay);
    expect(second.slot!.token).toBe(first.slot!.token);
    expect(await slotsIn('g.example')).toEqual([first.slot!.token]);
    await slots.release('g.example', second.slot!, true);
    await slots.close();
    expect(await slotsIn('g.example')).toEqual([]);
  });

  it("keeps the host's limit across replicas: a kept slot is taken until it goes back after keepMs", async () => {
    const one = new HostSlots(redis, prefix, { keepMs: 100, holdMs: 60_000 });
    const other = new HostSlots(redis, prefix, { keepMs: 100, holdMs: 60_000 });
    const held = [await one.claim('h.example', noDelay), await one.claim('h.example', noDelay)];
    for (const { slot } of held) await one.release('h.example', slot!, true);
    expect(await other.claim('h.example', noDelay)).toEqual({ slot: null, waitMs: SLOT_RETRY_MS });
    await sleep(200);
    expect(await slotsIn('h.example')).toEqual([]);
    expect((await other.claim('h.example', noDelay)).slot).not.toBeNull();
    await Promise.all([one.close(), other.close()]);
  });

  it('claims again in Redis once a slot is older than holdMs, and so sees a Retry-After another replica got', async () => {
    const slots = new HostSlots(redis, prefix, { keepMs: 60_000, holdMs: 100 });
    const first = await slots.claim('i.example', noDelay);
    await slots.release('i.example', first.slot!, true);
    await holdHost(redis, prefix, 'i.example', 60_000);
    // Young enough: reused, the hold not seen yet.
    const reused = await slots.claim('i.example', noDelay);
    expect(reused.slot!.token).toBe(first.slot!.token);
    await sleep(150);
    await slots.release('i.example', reused.slot!, true);
    expect(await slotsIn('i.example')).toEqual([]);
    expect((await slots.claim('i.example', noDelay)).waitMs).toBeGreaterThan(50_000);
    await slots.close();
  });

  it('never reuses a slot for a host with a delay between requests, nor one whose request failed', async () => {
    const slots = new HostSlots(redis, prefix, { keepMs: 60_000, holdMs: 60_000 });
    const delayed = await slots.claim('j.example', { ...noDelay, delayMs: 1000 });
    await slots.release('j.example', delayed.slot!, false);
    expect(await slotsIn('j.example')).toEqual([]);
    expect((await slots.claim('j.example', { ...noDelay, delayMs: 1000 })).slot).toBeNull();

    const failed = await slots.claim('k.example', noDelay);
    await slots.release('k.example', failed.slot!, false);
    expect(await slotsIn('k.example')).toEqual([]);
    await slots.close();
  });

  it('gives back the slots kept for a host held off by a Retry-After, and all of them on close', async () => {
    const slots = new HostSlots(redis, prefix, { keepMs: 60_000, holdMs: 60_000 });
    for (const host of ['l.example', 'm.example']) {
      const { slot } = await slots.claim(host, noDelay);
      await slots.release(host, slot!, true);
    }
    await slots.holdHost('l.example', 60_000);
    expect(await slotsIn('l.example')).toEqual([]);
    expect(await slotsIn('m.example')).toHaveLength(1);
    await slots.close();
    expect(await slotsIn('m.example')).toEqual([]);
    // Closed: a slot is released as its request ends.
    const { slot } = await slots.claim('m.example', noDelay);
    await slots.release('m.example', slot!, true);
    expect(await slotsIn('m.example')).toEqual([]);
  });

  it('fetches through kept slots, and a Retry-After gives them back and keeps every replica away', async () => {
    const site = await serve({
      '/ok.html': (_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>'),
      '/busy.html': (_, response) => response.writeHead(429, { 'retry-after': '120' }).end(),
    });
    const host = new URL(site.url).host;
    const options = {
      userAgent: 'newsflow-test',
      timeoutMs: 5000,
      maxBytes: 1_000_000,
      maxRedirects: 3,
      allowPrivateNetworks: true,
      perHostConcurrency: 2,
      perHostDelayMs: 0,
    };
    const slots = new HostSlots(redis, prefix, { keepMs: 60_000, holdMs: 60_000 });
    try {
      for (let request = 0; request < 3; request++) {
        const { response } = await fetchPolitely(slots, `${site.url}/ok.html`, options);
        expect(response!.status).toBe(200);
      }
      // Three requests, one slot claimed: the others took it from this process.
      expect(await slotsIn(host)).toHaveLength(1);
      await expect(fetchPolitely(slots, `${site.url}/busy.html`, options)).rejects.toThrow();
      expect(await slotsIn(host)).toEqual([]);
      const other = new HostSlots(redis, prefix);
      expect((await fetchPolitely(other, `${site.url}/ok.html`, options)).waitMs).toBeGreaterThan(100_000);
      expect((await fetchPolitely(slots, `${site.url}/ok.html`, options)).waitMs).toBeGreaterThan(100_000);
    } finally {
      await slots.close();
      await site.close();
    }
  });
});
