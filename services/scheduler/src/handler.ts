import type { Queue } from 'bullmq';
import { jobOptions, JOB_NAMES, parsePayload, QUEUES, type FeedConfig } from '@newsflow/core';

const SCHEDULER_ID_PREFIX = 'feed:';

export interface SyncResult {
  scheduled: number;
  removed: string[];
}

export function schedulerId(feedUrl: string): string {
  return `${SCHEDULER_ID_PREFIX}${feedUrl}`;
}

/**
 * Makes the queue's job schedulers match the feed list: one scheduler per feed polling at its interval (upserted,
 * so a changed interval takes effect), and none for feeds no longer in the config.
 */
export async function syncSchedulers(queue: Queue, feeds: FeedConfig[]): Promise<SyncResult> {
  for (const feed of feeds) {
    const data = parsePayload(QUEUES.feedFetch, { feedUrl: feed.url });
    await queue.upsertJobScheduler(
      schedulerId(feed.url),
      { every: feed.intervalMs },
      {
        name: JOB_NAMES.feedFetch,
        data,
        opts: jobOptions(QUEUES.feedFetch),
      },
    );
  }
  const wanted = new Set(feeds.map((feed) => schedulerId(feed.url)));
  const removed: string[] = [];
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.key;
    if (id.startsWith(SCHEDULER_ID_PREFIX) && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id.slice(SCHEDULER_ID_PREFIX.length));
    }
  }
  return { scheduled: feeds.length, removed };
}
