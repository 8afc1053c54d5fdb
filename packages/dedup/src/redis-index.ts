import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { normalizeWords } from './normalize.ts';
import { BANDS, fingerprintWords, type Fingerprint } from './fingerprint.ts';
import { NUM_PERMUTATIONS } from './minhash.ts';
import {
  roundSimilarity,
  type ArticleDedupResult,
  type DedupIndex,
  type DedupSettings,
  type ParagraphMatch,
} from './types.ts';

const ADD_ARTICLE_LUA = readFileSync(new URL('./redis-index.lua', import.meta.url), 'utf8');

type RedisWithDedup = Redis & { newsflowDedupAddArticle(...args: (string | Buffer | number)[]): Promise<string> };

/**
 * The paragraph and article index in Redis, shared by every deduper replica. One Lua script per article does
 * lookup, decision and insertion atomically; signatures are computed here, in the replica.
 */
export class RedisDedupIndex implements DedupIndex {
  private readonly redis: RedisWithDedup;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly settings: DedupSettings,
  ) {
    if (!('newsflowDedupAddArticle' in redis)) {
      redis.defineCommand('newsflowDedupAddArticle', { numberOfKeys: 0, lua: ADD_ARTICLE_LUA });
    }
    this.redis = redis as RedisWithDedup;
  }

  async addArticle(url: string, paragraphs: string[]): Promise<ArticleDedupResult> {
    const { minWords, paragraphThreshold, articleThreshold } = this.settings;
    const words = paragraphs.map(normalizeWords);
    const args: (string | Buffer | number)[] = [
      `${this.keyPrefix}:dedup`,
      url,
      paragraphThreshold,
      articleThreshold,
      BANDS,
      NUM_PERMUTATIONS,
      paragraphs.length,
    ];
    for (const paragraphWords of words) args.push(...fingerprintArgs(fingerprintWords(paragraphWords, minWords)));
    const article = fingerprintWords(words.flat(), minWords);
    args.push(...fingerprintArgs(article.kind === 'minhash' ? article : { kind: 'empty' }));

    const raw = JSON.parse(await this.redis.newsflowDedupAddArticle(...args)) as {
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
}

function fingerprintArgs(fingerprint: Fingerprint): (string | Buffer | number)[] {
  switch (fingerprint.kind) {
    case 'empty':
      return ['x'];
    case 'exact':
      return ['e', fingerprint.hash];
    case 'minhash':
      return ['m', packUint32(fingerprint.signature), fingerprint.size, packUint32(fingerprint.buckets)];
  }
}

function packUint32(values: Uint32Array): Buffer {
  const buffer = Buffer.allocUnsafe(values.length * 4);
  values.forEach((value, i) => buffer.writeUInt32BE(value, i * 4));
  return buffer;
}
