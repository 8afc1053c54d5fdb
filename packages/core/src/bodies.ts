import type { Redis } from 'ioredis';
import { articleRecord, type ArticleRecord } from './article.ts';
import { PermanentError } from './errors.ts';
import { BODY_TTL_SECONDS } from './queues.ts';
import { urlKey } from './pipeline.ts';

/**
 * Article bodies pass between stages through Redis, with a TTL, so job payloads stay small (an id and a URL).
 * The key is derived from the URL: a retried stage overwrites, never duplicates.
 */
export function bodyKey(prefix: string, url: string): string {
  return `${prefix}:body:${urlKey(url)}`;
}

export async function saveBody(redis: Redis, key: string, article: ArticleRecord): Promise<void> {
  await redis.set(key, JSON.stringify(article), 'EX', BODY_TTL_SECONDS);
}

export async function loadBody(redis: Redis, key: string): Promise<ArticleRecord> {
  const raw = await redis.get(key);
  if (raw === null) {
    throw new PermanentError(
      `article body ${key} is gone (expired after ${BODY_TTL_SECONDS} s or already stored)`,
      'body_missing',
    );
  }
  return articleRecord.parse(JSON.parse(raw));
}
