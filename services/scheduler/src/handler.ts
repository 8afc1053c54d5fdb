import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { jobOptions, JOB_NAMES, parsePayload, QUEUES, urlKey, type FeedConfig } from '@newsflow/core';

const SCHEDULER_ID_PREFIX = 'feed:';

/** Upserts in flight at once: 100,000 feeds register in seconds without one command queue of 100,000. */
const REGISTER_CONCURRENCY = 64;

/** First polls of feeds new to the scheduler start at most this many per second (a burst of 100,000 new feeds). */
const FIRST_POLLS_PER_SECOND = 100;

export interface SyncResult {
  scheduled: number;
  /** Feeds that had no schedule before this sync: each gets a first poll soon, not at its slot. */
  added: number;
  removed: string[];
}

/**
 * A feed's scheduler id: short and fixed-length (BullMQ repeats it in five places per feed: its key, its next job's
 * key and id, and their options), whatever the length of the feed's URL.
 */
export function schedulerId(feedUrl: string): string {
  return `${SCHEDULER_ID_PREFIX}${urlKey(feedUrl)}`;
}

/**
 * Where in its interval a feed is polled: a fixed point (from a hash of its URL), so polls spread evenly over the
 * interval and stay where they were across restarts and re-syncs. BullMQ aligns `every` schedules to multiples of
 * the interval; without an offset, every feed with the same interval is polled at the same instant.
 */
export function pollOffsetMs(feedUrl: string, intervalMs: number): number {
  return createHash('sha1').update(feedUrl).digest().readUInt32BE(0) % intervalMs;
}

/**
 * Makes the queue's job schedulers match the feed list: one scheduler per feed polling at its interval, at the
 * feed's own point in it (upserted, so a changed interval takes effect), and none for feeds no longer in the
 * config. A feed new to the scheduler is polled once soon (the first polls of many new feeds spread at
 * FIRST_POLLS_PER_SECOND), then at its slot.
 */
export async function syncSchedulers(queue: Queue, feeds: ScheduledFeed[]): Promise<SyncResult> {
  const existing = new Map(
    (await queue.getJobSchedulers(0, -1)).map((scheduler) => [
      scheduler.key,
      (scheduler.template?.data as { feedUrl?: string } | undefined)?.feedUrl ?? scheduler.key,
    ]),
  );
  const added = feeds.filter((feed) => !existing.has(schedulerId(feed.url)));
  const firstPollWindowMs = (added.length / FIRST_POLLS_PER_SECOND) * 1000;
  await inBatches(feeds, REGISTER_CONCURRENCY, (feed) =>
    queue.upsertJobScheduler(
      schedulerId(feed.url),
      { every: feed.intervalMs, offset: pollOffsetMs(feed.url, feed.intervalMs) },
      {
        name: JOB_NAMES.feedFetch,
        data: parsePayload(QUEUES.feedFetch, pollPayload(feed)),
        opts: jobOptions(QUEUES.feedFetch),
      },
    ),
  );
  // The first poll's job id is the feed's own: a sync repeated before it ran adds nothing.
  await inBatches(added, REGISTER_CONCURRENCY, (feed) =>
    queue.add(JOB_NAMES.feedFetch, parsePayload(QUEUES.feedFetch, pollPayload(feed)), {
      ...jobOptions(QUEUES.feedFetch),
      jobId: `first-poll-${urlKey(feed.url)}`,
      delay: firstPollWindowMs < 1 ? 0 : pollOffsetMs(feed.url, Math.ceil(firstPollWindowMs)),
    }),
  );
  const wanted = new Set(feeds.map((feed) => schedulerId(feed.url)));
  const removed = [...existing].filter(([id]) => id.startsWith(SCHEDULER_ID_PREFIX) && !wanted.has(id));
  await inBatches(removed, REGISTER_CONCURRENCY, ([id]) => queue.removeJobScheduler(id));
  return { scheduled: feeds.length, added: added.length, removed: removed.map(([, feedUrl]) => feedUrl) };
}

/** A feed to poll: from the config file, or from the database's list (which no worker's config holds). */
export type ScheduledFeed = FeedConfig & { listedInDatabase?: boolean };

/** A poll's job data: the feed, and its name and tags for feeds no config file lists (see `feedListing`). */
export function pollPayload(feed: ScheduledFeed): { feedUrl: string; feed?: { name: string; tags: string[] } } {
  return feed.listedInDatabase
    ? { feedUrl: feed.url, feed: { name: feed.name, tags: feed.tags } }
    : { feedUrl: feed.url };
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size)
    await Promise.all(items.slice(start, start + size).map(work));
}
