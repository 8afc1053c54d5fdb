import {
  errorMessage,
  QUEUES,
  startStageWorker,
  type ArticleRecord,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import { WriteBatcher, type ArticleStore } from '@newsflow/storage';
import { drainPollLog, storeArticle, writeArticle, type StoreResult } from './handler.ts';
import { ensureIndexReady } from './reindex.ts';

/**
 * How often the poll log is written, new articles are added to the full-text index, and the dedup index is checked
 * (rebuilt from the database when Redis lost it).
 */
const MAINTENANCE_INTERVAL_MS = 2000;

/**
 * Stores articles, batching concurrent jobs into one transaction, and moves the feed-fetchers' poll records into
 * the poll log. The caller has claimed the database for writing (`store.claimWriter()`).
 */
export interface StorageWorker extends StageWorker {
  /** Writes an article without a job (stages in one process), batched with the jobs' writes. */
  write(article: ArticleRecord): Promise<StoreResult>;
}

export function startStorageWorker(
  runtime: ServiceRuntime,
  store: ArticleStore,
  onFinished?: FinishedHook<'article-store', StoreResult>,
): StorageWorker {
  const batcher = new WriteBatcher(store);
  const stage = startStageWorker(runtime, {
    queue: QUEUES.articleStore,
    // Many jobs in flight so the batcher has something to group; the writes themselves commit one batch at a time.
    concurrency: runtime.config.workers.store,
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
  const dedupIndex = () =>
    ensureIndexReady(store, runtime.redis, runtime.prefix, runtime.config, (articles) =>
      log.warn(
        { articles },
        'the dedup index is missing from Redis (a new server, or one that lost its data): rebuilding it and the ' +
          'seen-URL set from the database; dedupers wait until it is done',
      ),
    ).then(
      (report) => report && report.seen > 0 && log.warn(report, 'dedup index and seen-URL set rebuilt'),
      (error: unknown) => log.warn({ reason: errorMessage(error) }, 'dedup index not rebuilt yet; will retry'),
    );
  // One maintenance pass at a time: a slow database must not pile up overlapping passes.
  let maintenance: Promise<unknown> = Promise.resolve();
  const maintain = () => {
    maintenance = maintenance.then(() => Promise.all([dedupIndex(), drain(), index()]));
    return maintenance;
  };
  void maintain();
  const timer = setInterval(() => void maintain(), MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return {
    ...stage,
    write: (article) => writeArticle(article, batcher),
    async close(timeoutMs) {
      clearInterval(timer);
      await stage.close(timeoutMs);
      await batcher.flush();
      await maintain();
    },
  };
}
