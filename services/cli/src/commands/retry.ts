import { ALL_QUEUES, QUEUES, type QueueName, type Queues } from '@newsflow/core';
import { foldReason } from './status.ts';

/** Service names (`worker NAME`) and queue names both name a stage. */
const STAGE_ALIASES: Record<string, QueueName> = {
  'feed-fetcher': QUEUES.feedFetch,
  scraper: QUEUES.articleScrape,
  deduper: QUEUES.articleDedup,
  storage: QUEUES.articleStore,
  ...Object.fromEntries(ALL_QUEUES.map((name) => [name, name])),
};

export function stageQueue(stage: string): QueueName | null {
  return STAGE_ALIASES[stage] ?? null;
}

export const STAGE_NAMES = Object.keys(STAGE_ALIASES);

const PAGE = 500;

export interface RetryReport {
  queue: QueueName;
  retried: number;
}

/**
 * Puts failed jobs back in their queue with all their attempts again. `reason` keeps only failures whose reason
 * contains it (case-insensitive); `foldedReason` only those of one group of `status` (the dashboard's retry). Their article bodies are kept as long as failed jobs are, so a retried dedup or
 * store job finds what it needs.
 */
export async function retryFailed(
  queues: Queues,
  filter: { queue?: QueueName; reason?: string; foldedReason?: string },
): Promise<RetryReport[]> {
  const reports: RetryReport[] = [];
  const needle = filter.reason?.toLowerCase();
  for (const name of filter.queue ? [filter.queue] : ALL_QUEUES) {
    const queue = queues[name];
    let retried = 0;
    let start = 0;
    for (;;) {
      const jobs = await queue.getFailed(start, start + PAGE - 1);
      if (jobs.length === 0) break;
      let kept = 0;
      for (const job of jobs) {
        const reason = job.failedReason ?? '';
        const wanted =
          (!needle || reason.toLowerCase().includes(needle)) &&
          (filter.foldedReason === undefined || foldReason(reason) === filter.foldedReason);
        if (!wanted) {
          kept++;
          continue;
        }
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        retried++;
      }
      // Retried jobs leave the failed set; the ones we skipped stay ahead of the next page.
      start += kept;
    }
    reports.push({ queue: name, retried });
  }
  return reports;
}
