import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { jobOptions, JOB_NAMES, parsePayload, QUEUES, urlKey, type FeedConfig, type RedisClient } from '@newsflow/core';

/**
 * The poll schedule lives in two Redis keys of the pipeline's prefix (so one hash slot on a cluster): a hash from
 * each feed's urlKey to its interval and poll job data, and a sorted set of when each feed is due next. That is
 * about 300 bytes per feed; a BullMQ job scheduler per feed (a repeat key, a hash and its next delayed job) took
 * 1.6 KB, which is 160 MB at 100,000 feeds.
 */
export function scheduleKeys(prefix: string): { feeds: string; due: string } {
  return { feeds: `${prefix}:schedule:feeds`, due: `${prefix}:schedule:due` };
}

/** Schedules read or written per Redis round trip. */
const BATCH = 1000;

/** First polls of feeds new to the schedule are due at most this many per second (a burst of 100,000 new feeds). */
const FIRST_POLLS_PER_SECOND = 100;

/** The job schedulers of earlier versions, one per feed (`feed:<urlKey>`): removed when the schedule is synced. */
const LEGACY_SCHEDULER_PREFIX = 'feed:';

export interface SyncResult {
  scheduled: number;
  /** Feeds that had no schedule before this sync: each is polled once soon, then at its slot. */
  added: number;
  removed: string[];
}

/** A feed to poll: from the config file, or from the database's list (which no worker's config holds). */
export type ScheduledFeed = FeedConfig & { listedInDatabase?: boolean };

type PollPayload = { feedUrl: string; feed?: { name: string; tags: string[] } };

interface StoredSchedule {
  every: number;
  data: PollPayload;
}

/** A poll's job data: the feed, and its name and tags for feeds no config file lists (see `feedListing`). */
export function pollPayload(feed: ScheduledFeed): PollPayload {
  return feed.listedInDatabase
    ? { feedUrl: feed.url, feed: { name: feed.name, tags: feed.tags } }
    : { feedUrl: feed.url };
}

/**
 * Where in its interval a feed is polled: a fixed point (from a hash of its URL), so the polls of feeds with one
 * interval spread evenly over it and stay where they were across restarts and re-syncs.
 */
export function pollOffsetMs(feedUrl: string, intervalMs: number): number {
  return createHash('sha1').update(feedUrl).digest().readUInt32BE(0) % intervalMs;
}

/** The feed's first slot (a multiple of its interval plus its offset) later than `after`. */
export function nextSlot(feedUrl: string, intervalMs: number, after: number): number {
  const slot = after - (after % intervalMs) + pollOffsetMs(feedUrl, intervalMs);
  return slot > after ? slot : slot + intervalMs;
}

/**
 * Makes the schedule match the feed list: feeds new to it are due once soon (spread at FIRST_POLLS_PER_SECOND),
 * a changed interval moves the next poll to the new interval's slot if that is sooner, and feeds no longer listed
 * are dropped. Unchanged feeds cost nothing but the read.
 */
export async function syncSchedules(
  redis: RedisClient,
  prefix: string,
  queue: Queue,
  feeds: ScheduledFeed[],
  now = Date.now(),
): Promise<SyncResult> {
  const keys = scheduleKeys(prefix);
  const existing = await readSchedules(redis, keys.feeds);
  const wanted = new Map(feeds.map((feed) => [urlKey(feed.url), feed]));
  const added: { key: string; feed: ScheduledFeed; stored: string }[] = [];
  const changed: { key: string; feed: ScheduledFeed; stored: string }[] = [];
  for (const [key, feed] of wanted) {
    const schedule: StoredSchedule = {
      every: feed.intervalMs,
      data: parsePayload(QUEUES.feedFetch, pollPayload(feed)),
    };
    const stored = JSON.stringify(schedule);
    const before = existing.get(key);
    if (before === undefined) added.push({ key, feed, stored });
    else if (before !== stored) changed.push({ key, feed, stored });
  }
  const firstPollWindowMs = Math.ceil((added.length / FIRST_POLLS_PER_SECOND) * 1000);
  await inPipelines(redis, added, (pipeline, { key, feed, stored }) => {
    pipeline.hset(keys.feeds, key, stored);
    const delay = firstPollWindowMs < 1 ? 0 : pollOffsetMs(feed.url, firstPollWindowMs);
    pipeline.zadd(keys.due, 'NX', now + delay, key);
  });
  await inPipelines(redis, changed, (pipeline, { key, feed, stored }) => {
    pipeline.hset(keys.feeds, key, stored);
    pipeline.zadd(keys.due, 'LT', nextSlot(feed.url, feed.intervalMs, now), key);
  });
  const removed = [...existing].filter(([key]) => !wanted.has(key));
  await inPipelines(redis, removed, (pipeline, [key]) => {
    pipeline.hdel(keys.feeds, key);
    pipeline.zrem(keys.due, key);
  });
  await removeLegacySchedulers(queue);
  return {
    scheduled: wanted.size,
    added: added.length,
    removed: removed.map(([, stored]) => (JSON.parse(stored) as StoredSchedule).data.feedUrl),
  };
}

/**
 * Sets a due poll's next slot unless someone else moved it first (another scheduler, or a sync): compare and set,
 * so two schedulers on one Redis never skip a feed's poll and a removed feed is not scheduled again.
 */
const ADVANCE_LUA = `
for i = 1, #ARGV, 3 do
  local current = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if current and tonumber(current) == tonumber(ARGV[i + 1]) then
    redis.call('ZADD', KEYS[1], ARGV[i + 2], ARGV[i])
  end
end
return 0`;

/**
 * Enqueues a poll for each feed due by `now` (at most `limit`, the earliest first) and moves each to its next slot.
 * The polls are enqueued before the schedule moves, with an id naming the feed and the slot: a scheduler that dies
 * in between enqueues the same polls again on its next turn, and BullMQ drops the copies it still holds.
 */
export async function enqueueDuePolls(
  redis: RedisClient,
  prefix: string,
  queue: Queue,
  limit: number,
  now = Date.now(),
): Promise<number> {
  const keys = scheduleKeys(prefix);
  const due = await redis.zrangebyscore(keys.due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit);
  if (due.length === 0) return 0;
  const members: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < due.length; i += 2) {
    members.push(due[i]!);
    scores.push(Number(due[i + 1]));
  }
  const stored = await redis.hmget(keys.feeds, ...members);
  const jobs: Parameters<Queue['addBulk']>[0] = [];
  const advances: (string | number)[] = [];
  const orphans: string[] = [];
  stored.forEach((text, i) => {
    const key = members[i]!;
    if (text === null) return void orphans.push(key);
    const schedule = JSON.parse(text) as StoredSchedule;
    jobs.push({
      name: JOB_NAMES.feedFetch,
      data: schedule.data,
      opts: { ...jobOptions(QUEUES.feedFetch), jobId: `poll-${key}-${scores[i]}` },
    });
    // Half an interval at least before the next poll: a poll that ran late is not followed at once by its slot.
    const after = Math.max(scores[i]!, now) + schedule.every / 2;
    advances.push(key, scores[i]!, nextSlot(schedule.data.feedUrl, schedule.every, after));
  });
  if (jobs.length > 0) await queue.addBulk(jobs);
  if (advances.length > 0) await redis.eval(ADVANCE_LUA, 1, keys.due, ...advances);
  if (orphans.length > 0) await redis.zrem(keys.due, ...orphans);
  return jobs.length;
}

/** When the feed's next poll is due (ms since the epoch), or null when it has no schedule. */
export async function nextPollDue(redis: RedisClient, prefix: string, feedUrl: string): Promise<number | null> {
  const score = await redis.zscore(scheduleKeys(prefix).due, urlKey(feedUrl));
  return score === null ? null : Number(score);
}

export async function scheduledFeedCount(redis: RedisClient, prefix: string): Promise<number> {
  return redis.zcard(scheduleKeys(prefix).due);
}

async function readSchedules(redis: RedisClient, key: string): Promise<Map<string, string>> {
  const schedules = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, entries] = await redis.hscan(key, cursor, 'COUNT', BATCH);
    cursor = next;
    for (let i = 0; i < entries.length; i += 2) schedules.set(entries[i]!, entries[i + 1]!);
  } while (cursor !== '0');
  return schedules;
}

type Pipeline = ReturnType<RedisClient['pipeline']>;

async function inPipelines<T>(redis: RedisClient, items: T[], add: (pipeline: Pipeline, item: T) => void) {
  for (let start = 0; start < items.length; start += BATCH) {
    const pipeline = redis.pipeline();
    for (const item of items.slice(start, start + BATCH)) add(pipeline, item);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }
}

async function removeLegacySchedulers(queue: Queue): Promise<void> {
  if ((await queue.getJobSchedulersCount()) === 0) return;
  const legacy = (await queue.getJobSchedulers(0, -1)).filter((scheduler) =>
    scheduler.key.startsWith(LEGACY_SCHEDULER_PREFIX),
  );
  for (const scheduler of legacy) await queue.removeJobScheduler(scheduler.key);
}
