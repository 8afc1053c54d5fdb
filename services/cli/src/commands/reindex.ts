import type { Redis } from 'ioredis';
import { SEEN_TTL_SECONDS, seenKey, type Config } from '@newsflow/core';
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
  redis: Redis,
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
  onProgress(report);
  return report;
}
