/**
 * `pnpm bench scheduler [--feeds N] [--interval SECONDS] [--seconds S]`: N feeds scheduled (the scheduler's own
 * sync), then: time to register and to re-sync unchanged, Redis memory per feed, how evenly the next polls spread
 * over the interval, and the polls per second the scheduler enqueues and a worker that does nothing receives
 * (the ceiling the scheduling itself puts on polling; a real poll costs a fetch on top).
 */
import { parseArgs } from 'node:util';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger, createQueues, deleteKeysWithPrefix, parseConfig, QUEUES } from '@newsflow/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  enqueueDuePolls,
  mergeFeeds,
  pollOffsetMs,
  scheduleKeys,
  startScheduler,
  syncSchedules,
} from '@newsflow/scheduler';
import { FeedPollState } from '@newsflow/feeds';
import { openStore } from '@newsflow/storage';

export async function benchScheduler(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { feeds: { type: 'string' }, interval: { type: 'string' }, seconds: { type: 'string' } },
  });
  const count = Number(values.feeds ?? 100_000);
  const intervalMs = Number(values.interval ?? 900) * 1000;
  const seconds = Number(values.seconds ?? 20);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `newsflow-bench-scheduler-${process.pid}`;
  const queues = createQueues(redis, prefix);
  const queue = queues[QUEUES.feedFetch];
  const feeds = Array.from({ length: count }, (_, i) => ({
    url: `https://news${i % 997}.example/section/${i}/rss.xml`,
    name: `Feed ${i}`,
    intervalMs,
    tags: [],
  }));
  try {
    console.log(`scheduler: ${count} feeds, every ${intervalMs / 1000} s`);
    // The list kept in the database (`feeds import --db`): what the scheduler reads at start and when it changes.
    const directory = mkdtempSync(join(tmpdir(), 'newsflow-bench-scheduler-'));
    const store = await openStore(`file:${join(directory, 'feeds.db')}`);
    let started = performance.now();
    await store.addFeeds(feeds.map((feed) => ({ url: feed.url, name: null, intervalMs: null, tags: [] })));
    const importSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const merged = mergeFeeds([], await store.listFeeds(), intervalMs);
    const readSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await store.feedsVersion();
    const versionMs = performance.now() - started;
    await store.close();
    rmSync(directory, { recursive: true, force: true });
    console.log(
      `  database feed list (SQLite): ${merged.length} feeds imported in ${importSeconds.toFixed(1)} s, read back in ${readSeconds.toFixed(2)} s; the change check takes ${versionMs.toFixed(1)} ms`,
    );
    const memoryBefore = await usedMemory(redis);
    started = performance.now();
    const result = await syncSchedules(redis, prefix, queue, feeds);
    const registerSeconds = (performance.now() - started) / 1000;
    const bytes = (await usedMemory(redis)) - memoryBefore;
    console.log(
      `  registered in ${registerSeconds.toFixed(1)} s (${(count / registerSeconds).toFixed(0)} feeds/s; ${result.added} first polls due, spread over ${(result.added / 100).toFixed(0)} s); Redis for the schedules: ${(bytes / count).toFixed(0)} bytes per feed (${(bytes / 1024 ** 2).toFixed(0)} MiB)`,
    );
    // The feed-fetchers' state of each polled feed (validators for the conditional GET, the last poll's times).
    const beforeState = await usedMemory(redis);
    for (let start = 0; start < count; start += 500)
      await Promise.all(
        feeds.slice(start, start + 500).map((feed) =>
          new FeedPollState(redis, prefix, feed.url).recordSuccess(Date.now() + intervalMs, {
            etag: '"5f3c8a2e-1b7d4"',
            lastModified: 'Wed, 02 Dec 2026 06:40:04 GMT',
          }),
        ),
      );
    const stateBytes = (await usedMemory(redis)) - beforeState;
    console.log(
      `  poll state after a poll (ETag, Last-Modified, times): ${(stateBytes / count).toFixed(0)} bytes per feed; schedule and state together ${((bytes + stateBytes) / count).toFixed(0)} bytes per feed (${((bytes + stateBytes) / 1024 ** 2).toFixed(0)} MiB)`,
    );
    started = performance.now();
    await syncSchedules(redis, prefix, queue, feeds);
    console.log(
      `  re-sync of the unchanged list (a config edit): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // Spread: each feed's slot in its interval (where its polls fall after the first) in 60 parts of the interval.
    const parts = Array.from({ length: 60 }, () => 0);
    for (const feed of feeds) parts[Math.floor((pollOffsetMs(feed.url, intervalMs) / intervalMs) * 60)]!++;
    const total = parts.reduce((sum, part) => sum + part, 0);
    const mean = total / parts.length;
    console.log(
      `  spread of the ${total} schedules' next polls over the interval in 60 parts: busiest ${(Math.max(...parts) / mean).toFixed(2)}× the mean, quietest ${(Math.min(...parts) / mean).toFixed(2)}×`,
    );
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
  }

  // Delivery: the same feeds on a short interval, every feed due at once after the first polls, enqueued by the
  // scheduler at up to 40,000/s (its default limit is 1,000/s) and taken by a worker that does nothing.
  const shortMs = 10_000;
  const deliveryPrefix = `${prefix}-delivery`;
  const deliveryQueues = createQueues(redis, deliveryPrefix);
  const deliveryFeeds = feeds.map((feed) => ({ ...feed, intervalMs: shortMs }));
  await syncSchedules(redis, deliveryPrefix, deliveryQueues[QUEUES.feedFetch], deliveryFeeds);
  // Every feed due now (the sync spreads first polls at 100/s: here the whole backlog is the point).
  const dueKey = scheduleKeys(deliveryPrefix).due;
  const members = await redis.zrange(dueKey, 0, -1);
  for (let start = 0; start < members.length; start += 5000)
    await redis.zadd(dueKey, ...members.slice(start, start + 5000).flatMap((member) => [Date.now() - 1000, member]));
  // The scheduler alone: one turn's worth of due polls read, enqueued and moved to their next slot.
  const enqueueStarted = performance.now();
  const enqueued = await enqueueDuePolls(redis, deliveryPrefix, deliveryQueues[QUEUES.feedFetch], 10_000);
  const enqueueMs = performance.now() - enqueueStarted;
  console.log(
    `  the scheduler alone enqueues ${enqueued} due polls in ${enqueueMs.toFixed(0)} ms (${(enqueued / (enqueueMs / 1000)).toFixed(0)}/s)`,
  );
  await deliveryQueues[QUEUES.feedFetch].drain();
  let polls = 0;
  const worker = new Worker(QUEUES.feedFetch, async () => void polls++, {
    connection: redis,
    prefix: deliveryPrefix,
    concurrency: 100,
    removeOnComplete: { count: 1000 },
  });
  const scheduler = await startScheduler(
    {
      redis,
      prefix: deliveryPrefix,
      config: { ...parseConfig(''), feeds: deliveryFeeds },
      queues: deliveryQueues,
      logger: createLogger({ level: 'silent' }),
    },
    undefined,
    { maxPollsPerSecond: 40_000 },
  );
  const warmup = 3000;
  await new Promise((resolve) => setTimeout(resolve, warmup));
  const from = polls;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const delivered = (polls - from) / seconds;
  await scheduler.close();
  await worker.close();
  console.log(
    `  polls enqueued by the scheduler and delivered to a no-op worker (concurrency 100) with every feed due each ${shortMs / 1000} s: ${delivered.toFixed(0)}/s for ${(count / (shortMs / 1000)).toFixed(0)}/s due → ${((delivered / (count / (shortMs / 1000))) * 100).toFixed(0)}% kept up`,
  );
  await Promise.all(Object.values(deliveryQueues).map((q) => q.close()));
  await Promise.all(Object.values(queues).map((q) => q.close()));
  await deleteKeysWithPrefix(redis, deliveryPrefix);
  await redis.quit();
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
}
