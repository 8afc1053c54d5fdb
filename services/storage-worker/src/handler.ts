import type { Redis } from 'ioredis';
import { loadBody, pollLogKey, type ArticleStorePayload } from '@newsflow/core';
import type { ArticleStore, PollRecord, UpsertOutcome } from '@newsflow/storage';

export interface StorageDeps {
  redis: Redis;
  /** The store itself or a WriteBatcher in front of it. */
  store: Pick<ArticleStore, 'upsertArticle'>;
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

/** Moves up to `limit` queued poll records into the poll log; returns how many. */
export async function drainPollLog(
  redis: Redis,
  prefix: string,
  store: Pick<ArticleStore, 'recordPoll'>,
  limit = 500,
): Promise<number> {
  const records = (await redis.rpop(pollLogKey(prefix), limit)) ?? [];
  for (const record of records) await store.recordPoll(JSON.parse(record) as PollRecord);
  return records.length;
}
