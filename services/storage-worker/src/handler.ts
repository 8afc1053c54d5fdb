import {
  loadBody,
  markBodyStored,
  pollLogKey,
  pollRecord,
  storageWritesTotal,
  type ArticleRecord,
  type ArticleStorePayload,
  type RedisClient,
} from '@newsflow/core';
import type { ArticleStore, UpsertOutcome } from '@newsflow/storage';

export interface StorageDeps {
  redis: RedisClient;
  /** The store itself or a WriteBatcher in front of it. */
  store: Pick<ArticleStore, 'upsertArticle'>;
}

export interface StoreResult {
  /** `already-stored`: this job was delivered again after its article was written (a redelivery is a success). */
  outcome: UpsertOutcome | 'already-stored';
  duplicateParagraphs: number;
  republication: boolean;
}

/**
 * Writes the finished article (idempotent upsert by canonical URL), then leaves a small mark in place of its body
 * so that a redelivered dedup or store job knows the article is safe.
 */
export async function storeArticle(payload: ArticleStorePayload, deps: StorageDeps): Promise<StoreResult> {
  const article = await loadBody(deps.redis, payload.bodyKey);
  if (article === 'stored') {
    storageWritesTotal.inc({ outcome: 'already-stored' });
    return { outcome: 'already-stored', duplicateParagraphs: 0, republication: false };
  }
  const result = await writeArticle(article, deps.store);
  await markBodyStored(deps.redis, payload.bodyKey);
  return result;
}

/** Writes the finished article (an idempotent upsert by canonical URL), counting the outcome. */
export async function writeArticle(
  article: ArticleRecord,
  store: Pick<ArticleStore, 'upsertArticle'>,
): Promise<StoreResult> {
  const outcome = await store.upsertArticle(article).catch((error: unknown) => {
    storageWritesTotal.inc({ outcome: 'failed' });
    throw error;
  });
  storageWritesTotal.inc({ outcome });
  return {
    outcome,
    duplicateParagraphs: article.paragraphs.filter((paragraph) => paragraph.duplicateOf).length,
    republication: article.duplicateOf !== null,
  };
}

export interface DrainResult {
  written: number;
  /** Records that were not poll records (a bug or a foreign writer): dropped, never retried forever. */
  invalid: number;
}

/**
 * Moves up to `limit` queued poll records into the poll log. They move atomically to a processing list first and
 * leave it only once written, so a database error or a crash in between loses none: the next drain (by this or
 * another storage worker) writes them again, and the poll log's unique key makes a second write a no-op.
 */
export async function drainPollLog(
  redis: RedisClient,
  prefix: string,
  store: Pick<ArticleStore, 'recordPoll'>,
  limit = 200,
): Promise<DrainResult> {
  const queued = pollLogKey(prefix);
  const processing = `${queued}:processing`;
  let records = await redis.lrange(processing, 0, limit - 1);
  if (records.length === 0) {
    const moves = redis.multi();
    for (let i = 0; i < limit; i++) moves.lmove(queued, processing, 'RIGHT', 'LEFT');
    const replies = (await moves.exec()) ?? [];
    records = replies.flatMap(([, value]) => (typeof value === 'string' ? [value] : []));
  }
  let written = 0;
  let invalid = 0;
  for (const record of records) {
    const parsed = pollRecord.safeParse(safeJson(record));
    if (parsed.success) {
      await store.recordPoll(parsed.data);
      written++;
    } else invalid++;
    await redis.lrem(processing, 1, record);
  }
  return { written, invalid };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
