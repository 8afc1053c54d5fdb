import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createQueues, deleteKeysWithPrefix, parseConfig, QUEUES, type Queues } from '@newsflow/core';
import { pollOffsetMs, schedulerId, startScheduler, syncSchedulers } from '../src/index.ts';
import { registeredMarkerKey } from '../src/main.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

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

async function schedules(): Promise<Record<string, number | undefined>> {
  const list = await queues[QUEUES.feedFetch].getJobSchedulers(0, -1);
  return Object.fromEntries(
    list.map((scheduler) => [(scheduler.template?.data as { feedUrl: string }).feedUrl, scheduler.every]),
  );
}

describe('syncSchedulers', () => {
  it('registers one scheduler per feed, updates changed intervals and removes dropped feeds', async () => {
    const queue = queues[QUEUES.feedFetch];
    await syncSchedulers(queue, [feed('https://a.example/rss', 600_000), feed('https://b.example/rss', 900_000)]);
    expect(await schedules()).toEqual({ 'https://a.example/rss': 600_000, 'https://b.example/rss': 900_000 });

    const result = await syncSchedulers(queue, [feed('https://a.example/rss', 60_000)]);
    expect(result.removed).toEqual(['https://b.example/rss']);
    expect(await schedules()).toEqual({ 'https://a.example/rss': 60_000 });

    const [scheduler] = await queue.getJobSchedulers(0, -1);
    expect(scheduler!.template?.data).toEqual({ feedUrl: 'https://a.example/rss' });
    // The id is short whatever the URL's length: BullMQ repeats it in every key and option of the schedule.
    expect(scheduler!.key).toBe(schedulerId('https://a.example/rss'));
    expect(schedulerId(`https://a.example/${'long/'.repeat(40)}rss`)).toHaveLength(
      schedulerId('https://a.example/rss').length,
    );
  });

  it('spreads the polls of feeds with one interval over it, and polls a new feed once soon', async () => {
    const own = createQueues(redis, uniquePrefix('spread'));
    const queue = own[QUEUES.feedFetch];
    try {
      const interval = 600_000;
      const feeds = Array.from({ length: 200 }, (_, i) => feed(`https://site${i}.example/rss`, interval));
      const before = Date.now();
      expect(await syncSchedulers(queue, feeds)).toMatchObject({ scheduled: 200, added: 200, removed: [] });
      const delayed = await queue.getDelayed(0, -1);
      const scheduled = delayed.filter((job) => job.repeatJobKey);
      expect(scheduled).toHaveLength(200);
      // Each feed's next poll is at its own point of the interval: ten equal parts of it hold 20 ± 12 each.
      const parts = Array.from({ length: 10 }, () => 0);
      for (const job of scheduled) {
        const due = job.timestamp + job.delay;
        expect(due - before).toBeLessThanOrEqual(interval + 1000);
        expect(due % interval).toBe(pollOffsetMs(job.data.feedUrl, interval));
        parts[Math.floor((due % interval) / (interval / 10))]!++;
      }
      for (const count of parts) {
        expect(count).toBeGreaterThan(8);
        expect(count).toBeLessThan(32);
      }
      // And one first poll per new feed, within two seconds at 100 first polls a second.
      const first = [...delayed, ...(await queue.getWaiting(0, -1))].filter((job) => !job.repeatJobKey);
      expect(new Set(first.map((job) => job.data.feedUrl)).size).toBe(200);
      for (const job of first) expect(job.delay).toBeLessThanOrEqual(2000);

      // A second sync changes nothing: no new first polls, the same slots.
      expect(await syncSchedulers(queue, feeds)).toMatchObject({ added: 0 });
      const again = [...(await queue.getDelayed(0, -1)), ...(await queue.getWaiting(0, -1))];
      expect(again.filter((job) => !job.repeatJobKey)).toHaveLength(200);
    } finally {
      await Promise.all(Object.values(own).map((q) => q.obliterate({ force: true }).then(() => q.close())));
    }
  });
});

describe('startScheduler', () => {
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
    const keys = async () =>
      (await ownQueues[QUEUES.feedFetch].getJobSchedulers(0, -1))
        .map((entry) => (entry.template?.data as { feedUrl: string }).feedUrl)
        .sort();
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
    const count = () => ownQueues[QUEUES.feedFetch].getJobSchedulersCount();
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
