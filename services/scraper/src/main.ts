import {
  enqueue,
  QUEUES,
  startStageWorker,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import { RobotsCache } from '@newsflow/fetch';
import { scrapeArticle, type ScrapeResult } from './handler.ts';

export function startScraper(
  runtime: ServiceRuntime,
  onFinished?: FinishedHook<'article-scrape', ScrapeResult>,
): StageWorker {
  const robots = new RobotsCache(runtime.config.fetch);
  return startStageWorker(runtime, {
    queue: QUEUES.articleScrape,
    concurrency: 8,
    handler: (payload, context) =>
      scrapeArticle(
        payload,
        {
          redis: runtime.redis,
          prefix: runtime.prefix,
          config: runtime.config,
          robots,
          enqueueDedup: (dedup, jobId) => enqueue(runtime.queues, QUEUES.articleDedup, dedup, jobId),
        },
        context,
      ),
    onFinished,
  });
}
