/** What the dashboard shows, read from the queues, the poll schedule, the poll state and the database. */
import { ALL_QUEUES, QUEUES, type Config, type QueueName, type Queues, type RedisClient } from '@newsflow/core';
import { FeedPollState } from '@newsflow/feeds';
import { nextPollDue, scheduledFeedCount } from '@newsflow/scheduler';
import type { ArticleStore } from '@newsflow/storage';
import { feedHealthRows, type FeedHealthRow } from '../commands/feeds.ts';
import { readStatus, type FailureGroup } from '../commands/status.ts';

/** The stage each queue feeds, as `worker NAME` calls it. */
export const STAGE_OF_QUEUE: Record<QueueName, string> = {
  [QUEUES.feedFetch]: 'feed-fetcher',
  [QUEUES.articleScrape]: 'scraper',
  [QUEUES.articleDedup]: 'deduper',
  [QUEUES.articleStore]: 'storage',
};

/** Minutes of throughput the chart shows. */
export const THROUGHPUT_MINUTES = 15;

export interface StageOverview {
  queue: QueueName;
  stage: string;
  waiting: number;
  active: number;
  /** Retries and politeness waits. */
  delayed: number;
  /** Feeds with a scheduled poll (the feed queue only). */
  scheduled: number;
  failed: number;
  done: number;
  /** Jobs finished per minute, oldest first, the last entry the minute under way. */
  completedPerMinute: number[];
  failedPerMinute: number[];
}

export interface Overview {
  generatedAt: string;
  storedArticles: number;
  stages: StageOverview[];
}

interface QueueMetrics {
  meta: { count: number; prevTS: number; prevCount: number };
  data: number[];
}

/**
 * BullMQ's per-minute metrics as a series ending at `now`. Its list holds one count per closed minute, newest
 * first, the newest being the minute before `prevTS`'s; the jobs since `prevTS` are not in the list yet, and minutes
 * without a finished job are only filled in when the next job finishes (collectMetrics.lua).
 */
export function minuteSeries(metrics: QueueMetrics, now: number, minutes = THROUGHPUT_MINUTES): number[] {
  const series = new Array<number>(minutes).fill(0);
  if (metrics.meta.prevTS === 0) return series;
  const nowMinute = Math.floor(now / 60_000);
  const openMinute = Math.floor(metrics.meta.prevTS / 60_000);
  const place = (minute: number, count: number) => {
    const slot = minutes - 1 - (nowMinute - minute);
    if (slot >= 0 && slot < minutes) series[slot] = count;
  };
  place(openMinute, Math.max(0, metrics.meta.count - metrics.meta.prevCount));
  metrics.data.forEach((count, age) => place(openMinute - 1 - age, count));
  return series;
}

export async function readOverview(
  queues: Queues,
  store: ArticleStore,
  redis: RedisClient,
  prefix: string,
  now = Date.now(),
): Promise<Overview> {
  const stages = await Promise.all(
    ALL_QUEUES.map(async (name): Promise<StageOverview> => {
      const queue = queues[name];
      const [counts, completed, failed, scheduled] = await Promise.all([
        queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'),
        queue.getMetrics('completed', 0, THROUGHPUT_MINUTES),
        queue.getMetrics('failed', 0, THROUGHPUT_MINUTES),
        name === QUEUES.feedFetch ? scheduledFeedCount(redis, prefix) : Promise.resolve(0),
      ]);
      return {
        queue: name,
        stage: STAGE_OF_QUEUE[name],
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        scheduled,
        failed: counts.failed ?? 0,
        done: counts.completed ?? 0,
        completedPerMinute: minuteSeries(completed, now),
        failedPerMinute: minuteSeries(failed, now),
      };
    }),
  );
  return { generatedAt: new Date(now).toISOString(), storedArticles: await store.countArticles(), stages };
}

export interface FailureGroupView extends FailureGroup {
  stage: string;
}

export async function readFailures(queues: Queues): Promise<FailureGroupView[]> {
  const { groups } = await readStatus(queues, 0);
  return groups.map((group) => ({ ...group, stage: STAGE_OF_QUEUE[group.queue as QueueName] }));
}

export interface FeedView extends FeedHealthRow {
  /** When the feed is polled next: its schedule, or later when the server or the backoff asked to wait. */
  nextPollAt: string | null;
}

export async function readFeeds(
  config: Config,
  store: ArticleStore,
  redis: RedisClient,
  prefix: string,
): Promise<FeedView[]> {
  const rows = feedHealthRows(config.feeds, await store.feedHealth());
  return Promise.all(
    rows.map(async (row) => {
      const [scheduled, state] = await Promise.all([
        nextPollDue(redis, prefix, row.url),
        new FeedPollState(redis, prefix, row.url).read(),
      ]);
      const next = scheduled === null ? null : Math.max(scheduled, state.nextPollAt);
      return { ...row, nextPollAt: next === null ? null : new Date(next).toISOString() };
    }),
  );
}
