import { SEEN_TTL_SECONDS, seenKey, type Config, type RedisClient } from '@newsflow/core';
import { RedisDedupIndex } from '@newsflow/dedup';
import type { ArticleStore } from '@newsflow/storage';

export interface ReindexReport {
  seen: number;
  indexed: number;
}

const SEEN_BATCH = 500;

/**
 * Rebuilds what Redis knew from what the database holds, after Redis lost its data: the seen-URL set (so feeds do
 * not hand every stored article to the scraper again) and the dedup index (so new articles find their originals).
 * Streams the articles in storage order, in constant memory; articles older than the dedup retention are only
 * marked seen. Safe to run twice: seen keys are set only where missing, and the index answers a URL it holds.
 */
export async function reindex(
  store: ArticleStore,
  redis: RedisClient,
  prefix: string,
  config: Config,
  onProgress: (report: ReindexReport) => void = () => {},
): Promise<ReindexReport> {
  const index = new RedisDedupIndex(redis, prefix, config.dedup);
  const indexSince = Date.now() - config.dedup.retentionMs;
  const seenSince = new Date(Date.now() - SEEN_TTL_SECONDS * 1000).toISOString();
  const report: ReindexReport = { seen: 0, indexed: 0 };
  let pending = redis.pipeline();
  let pendingCount = 0;
  for await (const article of store.exportArticles({ since: seenSince })) {
    pending.set(seenKey(prefix, article.url), '1', 'EX', SEEN_TTL_SECONDS, 'NX');
    pendingCount++;
    report.seen++;
    if (pendingCount >= SEEN_BATCH) {
      await pending.exec();
      pending = redis.pipeline();
      pendingCount = 0;
      onProgress(report);
    }
    if (Date.parse(article.fetchedAt) >= indexSince) {
      await index.addArticle(
        article.url,
        article.paragraphs.map((paragraph) => paragraph.text),
      );
      report.indexed++;
    }
  }
  if (pendingCount > 0) await pending.exec();
  await index.markReady();
  onProgress(report);
  return report;
}

/** How long one storage worker may hold the rebuild before another may take over (it died mid-rebuild). */
const REBUILD_LEASE_MS = 10 * 60_000;

/**
 * Makes sure the dedup index reflects the database: when its ready mark is missing (a new Redis, or one that lost
 * its data) one storage worker rebuilds it (dedupers wait for the mark, so no article is deduplicated against an
 * index that has forgotten what is stored). On a new install the database is empty and the mark is set at once.
 * Returns the rebuild's report, or null when there was nothing to do.
 */
export async function ensureIndexReady(
  store: ArticleStore,
  redis: RedisClient,
  prefix: string,
  config: Config,
  onRebuild: (articles: number) => void,
): Promise<ReindexReport | null> {
  const index = new RedisDedupIndex(redis, prefix, config.dedup);
  if (await index.isReady()) return null;
  const lockKey = `${prefix}:dedup:rebuilding`;
  if ((await redis.set(lockKey, `${process.pid}`, 'PX', REBUILD_LEASE_MS, 'NX')) !== 'OK') return null;
  try {
    if (await index.isReady()) return null;
    const articles = await store.countArticles();
    if (articles > 0) onRebuild(articles);
    return await reindex(store, redis, prefix, config);
  } finally {
    await redis.del(lockKey);
  }
}
