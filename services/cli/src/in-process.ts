import {
  bodyKey,
  cleanArticle,
  enqueue,
  errorMessage,
  QUEUES,
  saveBody,
  urlKey,
  type ArticleRecord,
  type ServiceRuntime,
} from '@newsflow/core';
import type { ArticleFingerprints } from '@newsflow/dedup';
import type { Deduper } from '@newsflow/deduper';
import type { InProcessStages } from '@newsflow/scraper';
import type { StorageWorker } from '@newsflow/storage-worker';
import type { ServiceHooks } from './services.ts';

/**
 * The scraper's next stages when the deduper and storage run in the same process (`run --once`): the article goes
 * straight to them, with no queue hop and no body passing through Redis, and with the fingerprints its extraction
 * thread computed (the event loop, which runs every stage's I/O, is the busier one). A step that cannot run now (the
 * dedup index is being rebuilt, the database is away) hands the article to that step's queue instead, where it
 * retries as usual. A crash before the article is stored leaves its scrape job to be redelivered: both steps are
 * idempotent.
 */
export function stagesInThisProcess(
  runtime: ServiceRuntime,
  deduper: Deduper,
  storage: StorageWorker,
  hooks: ServiceHooks,
): InProcessStages {
  const log = runtime.logger.child({ stage: 'in-process' });
  const take = async (scraped: ArticleRecord, fingerprints: ArticleFingerprints): Promise<boolean> => {
    // What saveBody does on the queue path: no database takes NUL or lone surrogates.
    const article = cleanArticle(scraped);
    const payload = { url: article.url, feedUrl: article.feedUrl, bodyKey: bodyKey(runtime.prefix, article.url) };
    let deduplicated;
    try {
      deduplicated = await deduper.markDuplicates(article, fingerprints);
    } catch (error) {
      log.warn({ url: article.url, reason: errorMessage(error) }, 'dedup failed; the article goes to its queue');
      return false;
    }
    if (!deduplicated) return false;
    hooks.dedup?.({ ok: true, result: deduplicated, payload });
    let stored;
    try {
      stored = await storage.write(article);
    } catch (error) {
      log.warn({ url: article.url, reason: errorMessage(error) }, 'store failed; the article goes to its queue');
      if (await saveBody(runtime.redis, payload.bodyKey, article))
        await enqueue(runtime.queues, QUEUES.articleStore, payload, `store-${urlKey(article.url)}`);
      return true;
    }
    hooks.store?.({ ok: true, result: stored, payload });
    return true;
  };
  return { fingerprintSettings: deduper.fingerprintSettings, take };
}
