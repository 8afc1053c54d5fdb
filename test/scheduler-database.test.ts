import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createLogger, createQueues, deleteKeysWithPrefix, parseConfig } from '@newsflow/core';
import { mergeFeeds, scheduleKeys, startScheduler } from '@newsflow/scheduler';
import { openStore } from '@newsflow/storage';
import { TEST_REDIS_URL, uniquePrefix } from './helpers.ts';

const directory = mkdtempSync(join(tmpdir(), 'newsflow-scheduler-db-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

it('merges the database feed list with the config, the config winning on a feed both list', () => {
  const config = parseConfig('feeds:\n  - url: https://a.example/rss\n    interval: 5m\ndefaults: { interval: 20m }\n');
  const merged = mergeFeeds(
    config.feeds,
    [
      { url: 'https://A.example/rss', name: 'ignored', intervalMs: 60_000, tags: [] },
      { url: 'https://b.example/rss', name: null, intervalMs: null, tags: ['x'] },
    ],
    config.defaults.intervalMs,
  );
  expect(merged).toEqual([
    { url: 'https://a.example/rss', name: 'a.example', intervalMs: 300_000, tags: [] },
    { url: 'https://b.example/rss', name: 'b.example', intervalMs: 1_200_000, tags: ['x'], listedInDatabase: true },
  ]);
});

it('schedules the database feed list beside the config, and follows it as it changes', async () => {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = uniquePrefix('scheduler-db');
  const queues = createQueues(redis, prefix);
  const store = await openStore(`file:${join(directory, 'feeds.db')}`);
  const config = parseConfig('feeds:\n  - url: https://config.example/rss\n');
  await store.addFeeds([{ url: 'https://db-1.example/rss', name: null, intervalMs: null, tags: [] }]);
  const scheduled = async () =>
    Object.values(await redis.hgetall(scheduleKeys(prefix).feeds))
      .map((text) => (JSON.parse(text) as { data: { feedUrl: string } }).data.feedUrl)
      .sort();
  const scheduler = await startScheduler(
    { redis, prefix, config, queues, logger: createLogger({ level: 'silent' }) },
    undefined,
    { databaseFeeds: store, databaseCheckMs: 200 },
  );
  try {
    expect(await scheduled()).toEqual(['https://config.example/rss', 'https://db-1.example/rss']);
    await store.addFeeds([{ url: 'https://db-2.example/rss', name: null, intervalMs: null, tags: [] }]);
    await store.removeFeeds(['https://db-1.example/rss']);
    let now: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      now = await scheduled();
      if (now.includes('https://db-2.example/rss') && !now.includes('https://db-1.example/rss')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(now).toEqual(['https://config.example/rss', 'https://db-2.example/rss']);
  } finally {
    await scheduler.close();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await store.close();
  }
});
