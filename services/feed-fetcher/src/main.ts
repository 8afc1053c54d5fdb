import {
  enqueueMany,
  QUEUES,
  startStageWorker,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import { fetchFeed, type FeedFetchResult } from './handler.ts';

export function startFeedFetcher(
  runtime: ServiceRuntime,
  onFinished?: FinishedHook<'feed-fetch', FeedFetchResult>,
): StageWorker {
  return startStageWorker(runtime, {
    queue: QUEUES.feedFetch,
    concurrency: runtime.config.workers.feedFetch,
    handler: (payload, context) =>
      fetchFeed(
        payload,
        {
          redis: runtime.redis,
          prefix: runtime.prefix,
          config: runtime.config,
          enqueueScrapes: (jobs) => enqueueMany(runtime.queues, QUEUES.articleScrape, jobs),
        },
        context,
      ),
    onFinished,
  });
}
