import {
  enqueue,
  QUEUES,
  seenKey,
  startStageWorker,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import { createExtractionPool } from '@newsflow/extract/pool';
import { HostSlots, RobotsCache } from '@newsflow/fetch';
import { scrapeArticle, type InProcessStages, type ScrapeResult } from './handler.ts';

export function startScraper(
  runtime: ServiceRuntime,
  onFinished?: FinishedHook<'article-scrape', ScrapeResult>,
  nextStagesInProcess?: InProcessStages,
): StageWorker {
  const robots = new RobotsCache(runtime.config.fetch);
  const hostSlots = new HostSlots(runtime.redis, runtime.prefix);
  const { extractThreads } = runtime.config.workers;
  const extraction = createExtractionPool(extractThreads === undefined ? {} : { threads: extractThreads });
  const stage = startStageWorker(runtime, {
    queue: QUEUES.articleScrape,
    concurrency: runtime.config.workers.scrape,
    handler: (payload, context) =>
      scrapeArticle(
        payload,
        {
          redis: runtime.redis,
          prefix: runtime.prefix,
          config: runtime.config,
          robots,
          hostSlots,
          extraction,
          enqueueDedup: (dedup, jobId) => enqueue(runtime.queues, QUEUES.articleDedup, dedup, jobId),
          ...(nextStagesInProcess ? { nextStagesInProcess } : {}),
        },
        context,
      ),
    onFinished: (outcome) => {
      // A scrape that used up its attempts on transient errors (a site down for an hour) is not the article's
      // verdict: forget that its URL was seen, so the feed's next poll brings it back. A permanent failure (404,
      // robots) stays seen, or every poll would fetch it again; `newsflow retry` brings those back by hand.
      if (!outcome.ok && !outcome.permanent)
        void runtime.redis.del(seenKey(runtime.prefix, outcome.payload.url)).catch(() => {});
      onFinished?.(outcome);
    },
  });
  return {
    ...stage,
    async close(timeoutMs) {
      await stage.close(timeoutMs);
      await hostSlots.close();
      await extraction.close();
    },
  };
}
