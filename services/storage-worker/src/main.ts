import { QUEUES, startStageWorker, type FinishedHook, type ServiceRuntime, type StageWorker } from '@newsflow/core';
import type { ArticleStore } from '@newsflow/storage';
import { storeArticle, type StoreResult } from './handler.ts';

export function startStorageWorker(
  runtime: ServiceRuntime,
  store: ArticleStore,
  onFinished?: FinishedHook<'article-store', StoreResult>,
): StageWorker {
  return startStageWorker(runtime, {
    queue: QUEUES.articleStore,
    // SQLite has one writer; PostgreSQL takes a few at once.
    concurrency: store.description.startsWith('sqlite:') ? 1 : 4,
    handler: (payload) => storeArticle(payload, { redis: runtime.redis, store }),
    onFinished,
  });
}
