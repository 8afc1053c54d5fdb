import {
  duplicatesTotal,
  loadBody,
  saveBody,
  type ArticleDedupPayload,
  type ArticleRecord,
  type ArticleStorePayload,
  type StageContext,
  type RedisClient,
} from '@newsflow/core';
import type { ArticleDedupResult, ArticleFingerprints } from '@newsflow/dedup';

/** How long a dedup job waits, without using an attempt, while a storage worker rebuilds the index. */
const INDEX_WAIT_MS = 1000;

/** The shared index as the deduper uses it (RedisDedupIndex). */
export interface ReadyAwareIndex {
  /** Null while the index is being rebuilt from the database (Redis lost it): deciding now would be wrong. */
  addArticleIfReady(
    url: string,
    paragraphs: string[],
    fingerprints?: ArticleFingerprints,
  ): Promise<ArticleDedupResult | null>;
}

export interface DeduperDeps {
  redis: RedisClient;
  index: ReadyAwareIndex;
  enqueueStore(payload: ArticleStorePayload, jobId: string): Promise<void>;
}

export interface DedupResult {
  /** False when storage had already written the article: this job was delivered again. */
  deduplicated: boolean;
  paragraphs: number;
  duplicateParagraphs: number;
  duplicateOf: string | null;
}

/** Marks each paragraph that repeats an earlier one (in this or any earlier article), and republished articles. */
export async function dedupArticle(
  payload: ArticleDedupPayload,
  deps: DeduperDeps,
  context: Pick<StageContext, 'delay'>,
): Promise<DedupResult> {
  const article = await loadBody(deps.redis, payload.bodyKey);
  if (article === 'stored') return { deduplicated: false, paragraphs: 0, duplicateParagraphs: 0, duplicateOf: null };
  const result = await markDuplicates(article, deps.index);
  if (!result) return context.delay(INDEX_WAIT_MS);
  if (!(await saveBody(deps.redis, payload.bodyKey, article)))
    return { deduplicated: false, paragraphs: 0, duplicateParagraphs: 0, duplicateOf: null };
  await deps.enqueueStore(payload, `store-${payload.bodyKey.split(':').at(-1)}`);
  return result;
}

/**
 * Sets `duplicateOf` on the article and its paragraphs from the index; null, and the article untouched, while the
 * index is being rebuilt. Idempotent: an article added to the index again gets the answer it got the first time
 * (see DedupIndex), so a redelivered job marks the same duplicates.
 */
export async function markDuplicates(
  article: ArticleRecord,
  index: ReadyAwareIndex,
  fingerprints?: ArticleFingerprints,
): Promise<DedupResult | null> {
  const result = await index.addArticleIfReady(
    article.url,
    article.paragraphs.map((paragraph) => paragraph.text),
    fingerprints,
  );
  if (!result) return null;
  article.paragraphs = article.paragraphs.map((paragraph, position) => ({
    ...paragraph,
    duplicateOf: result.paragraphs[position] ?? null,
  }));
  article.duplicateOf = result.duplicateOf;
  const duplicateParagraphs = result.paragraphs.filter(Boolean).length;
  duplicatesTotal.inc({ kind: 'paragraph' }, duplicateParagraphs);
  if (result.duplicateOf) duplicatesTotal.inc({ kind: 'article' });
  return {
    deduplicated: true,
    paragraphs: article.paragraphs.length,
    duplicateParagraphs,
    duplicateOf: result.duplicateOf?.url ?? null,
  };
}
