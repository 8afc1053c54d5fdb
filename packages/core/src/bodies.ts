import type { RedisClient } from './redis.ts';
import { articleRecord, cleanArticle, type ArticleRecord } from './article.ts';
import { PermanentError } from './errors.ts';
import { BODY_TTL_SECONDS } from './queues.ts';
import { urlKey } from './pipeline.ts';

/** What a body key holds once storage wrote its article: a redelivered dedup or store job then knows it is done. */
const STORED_MARK = 'stored';
/**
 * How long the mark stays: longer than a redelivery takes to come (a stalled job is back within a minute, a
 * retried one within the retry horizon), small enough (a few dozen bytes) to keep a day of articles.
 */
const STORED_MARK_TTL_SECONDS = 24 * 3600;

/**
 * Article bodies pass between stages through Redis, with a TTL, so job payloads stay small (an id and a URL).
 * The key is derived from the URL: a retried stage overwrites, never duplicates.
 */
export function bodyKey(prefix: string, url: string): string {
  return `${prefix}:body:${urlKey(url)}`;
}

const SAVE_UNLESS_STORED_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/**
 * Saves the article, cleaned of what no database takes (NUL, lone surrogates). Returns false, saving nothing, when
 * storage already wrote it: a redelivered scrape or dedup job must not put back a body nobody will collect.
 */
export async function saveBody(redis: RedisClient, key: string, article: ArticleRecord): Promise<boolean> {
  const json = JSON.stringify(cleanArticle(article));
  // A defined command runs by EVALSHA: the script text is not sent with every article.
  if (!('newsflowSaveUnlessStored' in redis))
    redis.defineCommand('newsflowSaveUnlessStored', { numberOfKeys: 1, lua: SAVE_UNLESS_STORED_LUA });
  const save = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)
    .newsflowSaveUnlessStored!;
  return (await save.call(redis, key, json, BODY_TTL_SECONDS, STORED_MARK)) === 1;
}

/** The article, or `'stored'` when storage already wrote it (this job is a redelivery). */
export async function loadBody(redis: RedisClient, key: string): Promise<ArticleRecord | 'stored'> {
  const raw = await redis.get(key);
  if (raw === STORED_MARK) return 'stored';
  if (raw === null) {
    throw new PermanentError(
      `article body ${key} is gone (it expired after ${BODY_TTL_SECONDS} s, or Redis lost its data)`,
      'body_missing',
    );
  }
  return articleRecord.parse(JSON.parse(raw));
}

/** Replaces a stored article's body with the small mark that tells redelivered jobs it is done. */
export async function markBodyStored(redis: RedisClient, key: string): Promise<void> {
  await redis.set(key, STORED_MARK, 'EX', STORED_MARK_TTL_SECONDS);
}
