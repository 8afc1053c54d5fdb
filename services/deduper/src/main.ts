import {
  enqueue,
  QUEUES,
  startStageWorker,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import { RedisDedupIndex } from '@newsflow/dedup';
import { dedupArticle, type DedupResult } from './handler.ts';

export function startDeduper(
  runtime: ServiceRuntime,
  onFinished?: FinishedHook<'article-dedup', DedupResult>,
): StageWorker {
  const index = new RedisDedupIndex(runtime.redis, runtime.prefix, runtime.config.dedup);
  return startStageWorker(runtime, {
    queue: QUEUES.articleDedup,
    concurrency: 4,
    handler: (payload) =>
      dedupArticle(payload, {
        redis: runtime.redis,
        index,
        enqueueStore: (store, jobId) => enqueue(runtime.queues, QUEUES.articleStore, store, jobId),
      }),
    onFinished,
  });
}
