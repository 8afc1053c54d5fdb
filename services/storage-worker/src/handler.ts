import type { Redis } from 'ioredis';
import { loadBody, type ArticleStorePayload } from '@newsflow/core';
import type { ArticleStore, UpsertOutcome } from '@newsflow/storage';

export interface StorageDeps {
  redis: Redis;
  store: ArticleStore;
}

export interface StoreResult {
  outcome: UpsertOutcome;
  duplicateParagraphs: number;
  republication: boolean;
}

/** Writes the finished article (idempotent upsert by canonical URL), then drops its body from Redis. */
export async function storeArticle(payload: ArticleStorePayload, deps: StorageDeps): Promise<StoreResult> {
  const article = await loadBody(deps.redis, payload.bodyKey);
  const outcome = await deps.store.upsertArticle(article);
  await deps.redis.del(payload.bodyKey);
  return {
    outcome,
    duplicateParagraphs: article.paragraphs.filter((paragraph) => paragraph.duplicateOf).length,
    republication: article.duplicateOf !== null,
  };
}
