import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deleteKeysWithPrefix, type RedisClient } from '@newsflow/core';
import {
  fingerprintArticle,
  fingerprintSettingsOf,
  type ArticleFingerprints,
  type Fingerprint,
  type FingerprintSettings,
} from './fingerprint.ts';
import {
  checkFingerprints,
  roundSimilarity,
  type ArticleDedupResult,
  type DedupIndex,
  type DedupSettings,
  type ParagraphMatch,
} from './types.ts';

// Read from src/ both when this module runs from src/ (development) and from dist/ (compiled): tsc copies no Lua.
/**
 * Bumped whenever a paragraph's fingerprint changes (2: word 2-shingles instead of 3-shingles; 3: buckets from
 * content pairs, 24 single values; 4: each Chinese or Japanese character a word).
 */
const FINGERPRINT_VERSION = 'f4';

const ADD_ARTICLE_LUA = readFileSync(new URL('../src/redis-index.lua', import.meta.url), 'utf8');

type RedisWithDedup = RedisClient & {
  newsflowDedupAddArticle(...args: (string | Buffer | number)[]): Promise<string | null>;
};

/**
 * The paragraph and article index in Redis, shared by every deduper replica. Fingerprints are computed here, in
 * the replica; one Lua script per article then does lookup, decision and insertion atomically. Entries live in
 * generations that expire after `retentionMs` (see redis-index.lua for the layout).
 */
export class RedisDedupIndex implements DedupIndex {
  private readonly redis: RedisWithDedup;
  private readonly keyPrefix: string;
  readonly fingerprintSettings: FingerprintSettings;

  /**
   * `fingerprint` computes an article's fingerprints: in this thread by default, or in a thread pool
   * (`createFingerprintPool`) so a deduper's event loop stays free.
   */
  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly settings: DedupSettings,
    private readonly fingerprint: (
      paragraphs: string[],
      settings: FingerprintSettings,
    ) => Promise<ArticleFingerprints> | ArticleFingerprints = fingerprintArticle,
  ) {
    if (!('newsflowDedupAddArticle' in redis)) {
      redis.defineCommand('newsflowDedupAddArticle', { numberOfKeys: 5, lua: ADD_ARTICLE_LUA });
    }
    this.redis = redis as RedisWithDedup;
    this.keyPrefix = `${prefix}:dedup`;
    this.fingerprintSettings = fingerprintSettingsOf(settings);
  }

  /** Adds the article whether or not the index is ready: what rebuilding it from the database does. */
  async addArticle(url: string, paragraphs: string[], given?: ArticleFingerprints): Promise<ArticleDedupResult> {
    return (await this.add(url, paragraphs, given, false))!;
  }

  /**
   * Adds the article only if the index is ready (see isReady), in the same script call: null while it is being
   * rebuilt, so an article scraped just after Redis lost its data is never compared with an empty index.
   */
  addArticleIfReady(
    url: string,
    paragraphs: string[],
    given?: ArticleFingerprints,
  ): Promise<ArticleDedupResult | null> {
    return this.add(url, paragraphs, given, true);
  }

  private async add(
    url: string,
    paragraphs: string[],
    given: ArticleFingerprints | undefined,
    onlyWhenReady: boolean,
  ): Promise<ArticleDedupResult | null> {
    const { paragraphThreshold, articleThreshold, retentionMs } = this.settings;
    const { paragraphBanding, articleBanding } = this.fingerprintSettings;
    const fingerprints = given ?? (await this.fingerprint(paragraphs, this.fingerprintSettings));
    checkFingerprints(fingerprints, paragraphs);
    const args: (string | Buffer | number)[] = [
      `${this.keyPrefix}:gens`,
      `${this.keyPrefix}:purge`,
      `${this.keyPrefix}:forgotten`,
      this.readyKey,
      `${this.keyPrefix}:result:${createHash('sha1').update(url).digest('base64url')}`,
      this.keyPrefix,
      url,
      paragraphThreshold,
      articleThreshold,
      paragraphBanding.bands,
      articleBanding.bands,
      paragraphBanding.minHits,
      articleBanding.minHits,
      retentionMs,
      paragraphs.length,
      onlyWhenReady ? '1' : '0',
    ];
    for (const fingerprint of fingerprints.paragraphs) args.push(...fingerprintArgs(fingerprint));
    args.push(...fingerprintArgs(fingerprints.article));

    const reply = await this.redis.newsflowDedupAddArticle(...args);
    if (reply === null) return null;
    const raw = JSON.parse(reply) as {
      paragraphs: (ParagraphMatch | null)[] | Record<string, never>;
      duplicateOf: ArticleDedupResult['duplicateOf'];
    };
    // cjson encodes an empty table as an object.
    const matches = Array.isArray(raw.paragraphs) ? raw.paragraphs : [];
    return {
      paragraphs: matches.map((match) => (match ? { ...match, similarity: roundSimilarity(match.similarity) } : null)),
      duplicateOf: raw.duplicateOf
        ? { ...raw.duplicateOf, similarity: roundSimilarity(raw.duplicateOf.similarity) }
        : null,
    };
  }

  /**
   * Forgets articles removed from storage (`newsflow prune`): their paragraphs are no longer originals anything
   * can point at. The tombstones outlive every generation that can hold those articles.
   */
  async forget(urls: string[]): Promise<void> {
    if (urls.length === 0) return;
    const key = `${this.keyPrefix}:forgotten`;
    const now = Date.now();
    for (let start = 0; start < urls.length; start += 1000)
      await this.redis.zadd(key, ...urls.slice(start, start + 1000).flatMap((url) => [now, url]));
    // No generation older than twice the retention is left, so neither are tombstones that old.
    await this.redis.zremrangebyscore(key, '-inf', now - this.settings.retentionMs * 2);
    await this.redis.pexpire(key, this.settings.retentionMs * 2);
  }

  /**
   * True once the index holds what the database does: set when a storage worker (or `newsflow reindex`) has built
   * it, missing in a Redis that lost its data. One key without a TTL. The mark names the fingerprint version: after
   * an upgrade that changes how paragraphs are fingerprinted, the index is rebuilt from the database (entries of the
   * old version match nothing new and leave with their generations).
   */
  async isReady(): Promise<boolean> {
    return (await this.redis.exists(this.readyKey)) === 1;
  }

  async markReady(): Promise<void> {
    await this.redis.set(this.readyKey, new Date().toISOString());
  }

  private get readyKey(): string {
    return `${this.keyPrefix}:ready:${FINGERPRINT_VERSION}`;
  }

  /** Deletes the keys of generations that fell out of the retention window; returns how many keys went. */
  async purgeExpired(): Promise<number> {
    let deleted = 0;
    for (let generation = await this.nextExpired(); generation; generation = await this.nextExpired()) {
      deleted += await deleteKeysWithPrefix(this.redis, `${this.keyPrefix}:g${generation}`);
    }
    return deleted;
  }

  private nextExpired(): Promise<string | null> {
    return this.redis.lpop(`${this.keyPrefix}:purge`);
  }
}

function fingerprintArgs(fingerprint: Fingerprint): (string | Buffer | number)[] {
  switch (fingerprint.kind) {
    case 'empty':
      return ['x'];
    case 'exact':
      return ['e', fingerprint.hash];
    case 'minhash': {
      const buckets = Buffer.allocUnsafe(fingerprint.buckets.length * 4);
      fingerprint.buckets.forEach((bucket, i) => buckets.writeUInt32BE(bucket, i * 4));
      return ['m', Buffer.from(fingerprint.signature), fingerprint.size, buckets];
    }
  }
}
