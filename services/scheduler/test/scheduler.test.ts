import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  createQueues,
  deleteKeysWithPrefix,
  parseConfig,
  QUEUES,
  urlKey,
  type Queues,
} from '@newsflow/core';
import {
  enqueueDuePolls,
  nextPollDue,
  nextSlot,
  pollOffsetMs,
  scheduleKeys,
  startScheduler,
  syncSchedules,
} from '../src/index.ts';
import { registeredMarkerKey } from '../src/main.ts';
import { freePort, TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';
import { RedisServer } from '../../../test/chaos/harness.ts';

const feed = (url: string, intervalMs: number) => ({ url, name: url, intervalMs, tags: [] });

let redis: Redis;
let queues: Queues;
const prefix = uniquePrefix('scheduler');

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = createQueues(redis, prefix);
});
afterAll(async () => {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
});

/** Each scheduled feed's URL and interval, from the schedule kept in Redis. */
async function schedules(ownPrefix = prefix): Promise<Record<string, number>> {
  const stored = await redis.hgetall(scheduleKeys(ownPrefix).feeds);
  return Object.fromEntries(
    Object.values(stored).map((text) => {
      const schedule = JSON.parse(text) as { every: number; data: { feedUrl: string } };
      return [schedule.data.feedUrl, schedule.every];
    }),
  );
}

async function dueTimes(ownPrefix: string): Promise<Map<string, number>> {
  const entries = await redis.zrange(scheduleKeys(ownPrefix).due, 0, -1, 'WITHSCORES');
  const due = new Map<string, number>();
  for (let i = 0; i < entries.length; i += 2) due.set(entries[i]!, Number(entries[i + 1]));
  return due;
}

describe('syncSchedules', () => {
  it('schedules each feed once, updates changed intervals and removes dropped feeds', async () => {
    const queue = queues[QUEUES.feedFetch];
    await syncSchedules(redis, prefix, queue, [
      feed('https://a.example/rss', 600_000),
      feed('https://b.example/rss', 900_000),
    ]);
    expect(await schedules()).toEqual({ 'https://a.example/rss': 600_000, 'https://b.example/rss': 900_000 });
    expect(await redis.zcard(scheduleKeys(prefix).due)).toBe(2);

    const result = await syncSchedules(redis, prefix, queue, [feed('https://a.example/rss', 60_000)]);
    expect(result).toMatchObject({ scheduled: 1, added: 0, removed: ['https://b.example/rss'] });
    expect(await schedules()).toEqual({ 'https://a.example/rss': 60_000 });
    expect(await redis.zcard(scheduleKeys(prefix).due)).toBe(1);
  });

  it("moves a feed to the shorter interval's slot when its interval shrinks", async () => {
    const own = uniquePrefix('interval');
    const queue = queues[QUEUES.feedFetch];
    const url = 'https://shrink.example/rss';
    try {
      const now = Date.now();
      await syncSchedules(redis, own, queue, [feed(url, 86_400_000)], now);
      // Past its first poll: next due a day away.
      await redis.zadd(scheduleKeys(own).due, now + 86_400_000, urlKey(url));
      await syncSchedules(redis, own, queue, [feed(url, 60_000)], now);
      expect(await nextPollDue(redis, own, url)).toBe(nextSlot(url, 60_000, now));
    } finally {
      await deleteKeysWithPrefix(redis, own);
    }
  });

  it('removes the per-feed BullMQ job schedulers of earlier versions', async () => {
    const ownPrefix = uniquePrefix('legacy');
    const own = createQueues(redis, ownPrefix);
    const queue = own[QUEUES.feedFetch];
    try {
      await queue.upsertJobScheduler(
        'feed:abc',
        { every: 60_000 },
        { name: 'poll', data: { feedUrl: 'https://x.example/' } },
      );
      await queue.upsertJobScheduler('other', { every: 60_000 }, { name: 'other', data: {} });
      await syncSchedules(redis, queue.opts.prefix!, queue, [feed('https://x.example/', 60_000)]);
      expect((await queue.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key)).toEqual(['other']);
    } finally {
      await Promise.all(Object.values(own).map((q) => q.close()));
      await deleteKeysWithPrefix(redis, ownPrefix);
    }
  });

  it('polls new feeds once soon, spread at 100 a second, and a re-sync changes nothing', async () => {
    const own = uniquePrefix('first');
    const queue = queues[QUEUES.feedFetch];
    try {
      const feeds = Array.from({ length: 200 }, (_, i) => feed(`https://site${i}.example/rss`, 600_000));
      const now = Date.now();
      expect(await syncSchedules(redis, own, queue, feeds, now)).toMatchObject({ scheduled: 200, added: 200 });
      const due = await dueTimes(own);
      expect(due.size).toBe(200);
      const delays = [...due.values()].map((time) => time - now);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(2000);
      // Spread over the two seconds, not bunched: each half holds at least a quarter of the feeds.
      expect(delays.filter((delay) => delay < 1000).length).toBeGreaterThan(50);
      expect(delays.filter((delay) => delay >= 1000).length).toBeGreaterThan(50);

      expect(await syncSchedules(redis, own, queue, feeds, now + 5000)).toMatchObject({ added: 0, removed: [] });
      expect(await dueTimes(own)).toEqual(due);
    } finally {
      await deleteKeysWithPrefix(redis, own);
    }
  });
});

describe('enqueueDuePolls', () => {
  it('enqueues each due feed once per slot, then spreads the next polls over the interval at fixed points', async () => {
    const ownPrefix = uniquePrefix('due');
    const own = createQueues(redis, ownPrefix);
    const queue = own[QUEUES.feedFetch];
    try {
      const interval = 600_000;
      const feeds = Array.from({ length: 200 }, (_, i) => feed(`https://site${i}.example/rss`, interval));
      const now = Date.now();
      await syncSchedules(redis, ownPrefix, queue, feeds, now);
      // Nothing is due before its time.
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 1000, now - 1)).toBe(0);
      // The limit takes the earliest first; the rest wait for the next turn.
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 150, now + 2000)).toBe(150);
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 150, now + 2000)).toBe(50);
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 150, now + 2000)).toBe(0);
      const jobs = await queue.getWaiting(0, -1);
      expect(new Set(jobs.map((job) => job.data.feedUrl)).size).toBe(200);
      expect(jobs.map((job) => job.data)).toContainEqual({ feedUrl: 'https://site7.example/rss' });

      // Each feed's next poll is its own fixed point of the interval: ten equal parts of it hold 20 ± 12 each.
      const parts = Array.from({ length: 10 }, () => 0);
      for (const { url } of feeds) {
        const due = (await nextPollDue(redis, ownPrefix, url))!;
        expect(due % interval).toBe(pollOffsetMs(url, interval));
        expect(due - now).toBeGreaterThan(interval / 2);
        expect(due - now).toBeLessThanOrEqual(interval * 1.5 + 2000);
        parts[Math.floor((due % interval) / (interval / 10))]!++;
      }
      for (const count of parts) {
        expect(count).toBeGreaterThan(8);
        expect(count).toBeLessThan(32);
      }
    } finally {
      await Promise.all(Object.values(own).map((q) => q.obliterate({ force: true }).then(() => q.close())));
      await deleteKeysWithPrefix(redis, ownPrefix);
    }
  });

  it('enqueues a poll again after a crash between enqueueing and moving the schedule, and BullMQ keeps one', async () => {
    const ownPrefix = uniquePrefix('crash');
    const own = createQueues(redis, ownPrefix);
    const queue = own[QUEUES.feedFetch];
    const url = 'https://crash.example/rss';
    try {
      const now = Date.now();
      await syncSchedules(redis, ownPrefix, queue, [feed(url, 60_000)], now);
      const slot = (await nextPollDue(redis, ownPrefix, url))!;
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 10, slot)).toBe(1);
      // What a scheduler killed after its addBulk leaves: the poll enqueued, the schedule not moved.
      await redis.zadd(scheduleKeys(ownPrefix).due, slot, urlKey(url));
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 10, slot)).toBe(1);
      expect(await queue.getWaitingCount()).toBe(1);
      // A removed feed is not put back by a turn that read it before the removal.
      await syncSchedules(redis, ownPrefix, queue, [], now);
      expect(await enqueueDuePolls(redis, ownPrefix, queue, 10, slot + 120_000)).toBe(0);
      expect(await nextPollDue(redis, ownPrefix, url)).toBeNull();
    } finally {
      await Promise.all(Object.values(own).map((q) => q.obliterate({ force: true }).then(() => q.close())));
      await deleteKeysWithPrefix(redis, ownPrefix);
    }
  });
});

describe('startScheduler', () => {
  it('closes when the Redis under it has gone away, instead of waiting for it forever', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'newsflow-scheduler-close-'));
    const server = new RedisServer(await freePort(), directory);
    await server.start();
    const connection = new Redis(server.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const ownQueues = createQueues(connection, 'scheduler-close');
    const scheduler = await startScheduler(
      {
        redis: connection,
        prefix: 'scheduler-close',
        config: parseConfig('feeds:\n  - url: https://k.example/rss\n'),
        queues: ownQueues,
        logger: createLogger({ level: 'silent' }),
      },
      undefined,
    );
    try {
      await server.kill();
      // A turn starts and waits on the dead server.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await scheduler.close();
    } finally {
      connection.disconnect();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 20_000);

  it('enqueues the first poll of each feed within a second of starting', async () => {
    const prefixOwn = uniquePrefix('tick');
    const ownQueues = createQueues(redis, prefixOwn);
    const config = parseConfig('feeds:\n  - url: https://g.example/rss\n  - url: https://h.example/rss\n');
    const scheduler = await startScheduler(
      { redis, prefix: prefixOwn, config, queues: ownQueues, logger: createLogger({ level: 'silent' }) },
      undefined,
    );
    try {
      const polled = async () =>
        (await ownQueues[QUEUES.feedFetch].getWaiting(0, -1)).map((job) => job.data.feedUrl as string).sort();
      for (let attempt = 0; attempt < 40 && (await polled()).length < 2; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await polled()).toEqual(['https://g.example/rss', 'https://h.example/rss']);
    } finally {
      await scheduler.close();
      await Promise.all(Object.values(ownQueues).map((queue) => queue.close()));
      await deleteKeysWithPrefix(redis, prefixOwn);
    }
  });

  it('re-syncs when the config file changes and keeps the last good list when it becomes invalid', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'newsflow-scheduler-'));
    const path = join(directory, 'feeds.yaml');
    const write = (text: string) => writeFileSync(path, text);
    write('feeds:\n  - url: https://c.example/rss\n    interval: 5m\n');
    const prefixOwn = uniquePrefix('watch');
    const ownQueues = createQueues(redis, prefixOwn);
    const config = parseConfig('feeds:\n  - url: https://c.example/rss\n    interval: 5m\n');
    const scheduler = await startScheduler(
      { redis, prefix: prefixOwn, config, queues: ownQueues, logger: createLogger({ level: 'silent' }) },
      path,
    );
    const keys = async () => Object.keys(await schedules(prefixOwn)).sort();
    const waitFor = async (expected: string[]) => {
      for (let attempt = 0; attempt < 60 && JSON.stringify(await keys()) !== JSON.stringify(expected); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return keys();
    };
    try {
      expect(await keys()).toEqual(['https://c.example/rss']);
      // mtime resolution can be coarse: make sure the edit is seen as a change.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      write('feeds:\n  - url: https://c.example/rss\n  - url: https://d.example/rss\n');
      expect(await waitFor(['https://c.example/rss', 'https://d.example/rss'])).toEqual([
        'https://c.example/rss',
        'https://d.example/rss',
      ]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      write('feeds:\n  - url: not a url\n');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await keys()).toEqual(['https://c.example/rss', 'https://d.example/rss']);
    } finally {
      await scheduler.close();
      await Promise.all(Object.values(ownQueues).map((queue) => queue.close()));
      await deleteKeysWithPrefix(redis, prefixOwn);
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('registers the schedules again when Redis comes back empty', async () => {
    const prefixOwn = uniquePrefix('empty');
    const ownQueues = createQueues(redis, prefixOwn);
    const config = parseConfig('feeds:\n  - url: https://e.example/rss\n  - url: https://f.example/rss\n');
    const scheduler = await startScheduler(
      { redis, prefix: prefixOwn, config, queues: ownQueues, logger: createLogger({ level: 'silent' }) },
      undefined,
      { redisCheckMs: 200 },
    );
    const count = () => redis.zcard(scheduleKeys(prefixOwn).due);
    const marker = () => redis.get(registeredMarkerKey(prefixOwn));
    try {
      expect(await count()).toBe(2);
      const firstRegistration = await marker();
      // What a Redis restarted without persistence looks like to us: none of our keys. (The check may already
      // register again while the deletion runs: what shows it did is a new registration mark.)
      await new Promise((resolve) => setTimeout(resolve, 5));
      await deleteKeysWithPrefix(redis, prefixOwn);
      for (let attempt = 0; attempt < 40; attempt++) {
        const mark = await marker();
        if (mark && mark !== firstRegistration && (await count()) === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await marker()).toBeTruthy();
      expect(await marker()).not.toBe(firstRegistration);
      expect(await count()).toBe(2);
    } finally {
      await scheduler.close();
      await Promise.all(Object.values(ownQueues).map((queue) => queue.close()));
      await deleteKeysWithPrefix(redis, prefixOwn);
    }
  });
});
