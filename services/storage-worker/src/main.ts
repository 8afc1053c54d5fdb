import {
  errorMessage,
  QUEUES,
  startStageWorker,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import { WriteBatcher, type ArticleStore } from '@newsflow/storage';
import { drainPollLog, storeArticle, type StoreResult } from './handler.ts';

/** How often the poll log is written and new articles are added to the full-text index. */
const MAINTENANCE_INTERVAL_MS = 2000;

/**
 * Stores articles, batching concurrent jobs into one transaction, and moves the feed-fetchers' poll records into
 * the poll log. The caller has claimed the database for writing (`store.claimWriter()`).
 */
export function startStorageWorker(
  runtime: ServiceRuntime,
  store: ArticleStore,
  onFinished?: FinishedHook<'article-store', StoreResult>,
): StageWorker {
  const batcher = new WriteBatcher(store);
  const stage = startStageWorker(runtime, {
    queue: QUEUES.articleStore,
    // Many jobs in flight so the batcher has something to group; the writes themselves commit one batch at a time.
    concurrency: 32,
    handler: (payload) => storeArticle(payload, { redis: runtime.redis, store: batcher }),
    onFinished,
  });
  const log = runtime.logger.child({ stage: QUEUES.articleStore });
  const drain = () =>
    drainPollLog(runtime.redis, runtime.prefix, store).then(
      ({ invalid }) => invalid > 0 && log.error({ invalid }, 'dropped queued poll records that are not poll records'),
      (error: unknown) => log.warn({ reason: errorMessage(error) }, 'poll log not written yet; will retry'),
    );
  const index = () =>
    store
      .indexPending()
      .catch((error: unknown) => log.warn({ reason: errorMessage(error) }, 'search index not updated'));
  // One maintenance pass at a time: a slow database must not pile up overlapping passes.
  let maintenance: Promise<unknown> = Promise.resolve();
  const maintain = () => {
    maintenance = maintenance.then(() => Promise.all([drain(), index()]));
    return maintenance;
  };
  const timer = setInterval(() => void maintain(), MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return {
    ...stage,
    async close(timeoutMs) {
      clearInterval(timer);
      await stage.close(timeoutMs);
      await batcher.flush();
      await maintain();
    },
  };
}
