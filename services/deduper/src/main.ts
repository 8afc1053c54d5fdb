import {
  enqueue,
  errorMessage,
  QUEUES,
  startStageWorker,
  type ArticleRecord,
  type FinishedHook,
  type ServiceRuntime,
  type StageWorker,
} from '@newsflow/core';
import {
  createFingerprintPool,
  RedisDedupIndex,
  type ArticleFingerprints,
  type FingerprintSettings,
} from '@newsflow/dedup';
import { dedupArticle, markDuplicates, type DedupResult } from './handler.ts';

/** How often a deduper deletes the keys of index generations that left the retention window. */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

export interface Deduper extends StageWorker {
  /**
   * Marks an article's duplicates without a job (stages in one process), from fingerprints computed with
   * `fingerprintSettings`; null while the index is being rebuilt.
   */
  markDuplicates(article: ArticleRecord, fingerprints: ArticleFingerprints): Promise<DedupResult | null>;
  fingerprintSettings: FingerprintSettings;
}

export function startDeduper(
  runtime: ServiceRuntime,
  onFinished?: FinishedHook<'article-dedup', DedupResult>,
): Deduper {
  const { fingerprintThreads } = runtime.config.workers;
  const fingerprints = createFingerprintPool(fingerprintThreads === undefined ? {} : { threads: fingerprintThreads });
  const index = new RedisDedupIndex(runtime.redis, runtime.prefix, runtime.config.dedup, (paragraphs, settings) =>
    fingerprints.fingerprint(paragraphs, settings),
  );
  const stage = startStageWorker(runtime, {
    queue: QUEUES.articleDedup,
    concurrency: runtime.config.workers.dedup,
    handler: (payload, context) =>
      dedupArticle(
        payload,
        {
          redis: runtime.redis,
          index,
          enqueueStore: (store, jobId) => enqueue(runtime.queues, QUEUES.articleStore, store, jobId),
        },
        context,
      ),
    onFinished,
  });
  const log = runtime.logger.child({ stage: QUEUES.articleDedup });
  const purgeExpired = () =>
    index
      .purgeExpired()
      .then((deleted) => deleted > 0 && log.info({ deletedKeys: deleted }, 'expired dedup index generation removed'))
      .catch((error: unknown) => log.warn({ reason: errorMessage(error) }, 'dedup index purge failed'));
  // At start too: a deduper that only ever runs briefly (a cron-driven `run --once`) must purge as well.
  void purgeExpired();
  const purge = setInterval(() => void purgeExpired(), PURGE_INTERVAL_MS);
  purge.unref();
  return {
    ...stage,
    markDuplicates: (article, fingerprints) => markDuplicates(article, index, fingerprints),
    fingerprintSettings: index.fingerprintSettings,
    async close(timeoutMs) {
      clearInterval(purge);
      await stage.close(timeoutMs);
      await fingerprints.close();
    },
  };
}
