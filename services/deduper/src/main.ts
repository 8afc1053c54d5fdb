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
  return startStageWorker({
    queue: QUEUES.articleDedup,
    connection: runtime.redis,
    prefix: runtime.prefix,
    logger: runtime.logger,
    concurrency: 4,
    summaryIntervalSeconds: runtime.summaryIntervalSeconds,
    handler: (payload) =>
      dedupArticle(payload, {
        redis: runtime.redis,
        index,
        enqueueStore: (store, jobId) => enqueue(runtime.queues, QUEUES.articleStore, store, jobId),
      }),
    onFinished,
  });
}
