import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyKey,
  createLogger,
  createQueues,
  deleteKeysWithPrefix,
  loadBody,
  parseConfig,
  QUEUES,
  urlKey,
  type ArticleRecord,
  type ServiceRuntime,
} from '@newsflow/core';
import type { ArticleFingerprints } from '@newsflow/dedup';
import type { Deduper, DedupResult } from '@newsflow/deduper';
import type { StorageWorker, StoreResult } from '@newsflow/storage-worker';
import { stagesInThisProcess } from '../src/in-process.ts';
import type { ServiceHooks } from '../src/services.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

let redis: Redis;
const runtimes: ServiceRuntime[] = [];

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  for (const runtime of runtimes) {
    await Promise.all(Object.values(runtime.queues).map((queue) => queue.close()));
    await deleteKeysWithPrefix(redis, runtime.prefix);
  }
  await redis.quit();
});

function runtimeFor(): ServiceRuntime {
  const prefix = uniquePrefix('in-process');
  const runtime = {
    redis,
    prefix,
    config: parseConfig(''),
    logger: createLogger({ level: 'silent' }),
    queues: createQueues(redis, prefix),
  };
  runtimes.push(runtime);
  return runtime;
}

function article(): ArticleRecord {
  return {
    url: 'https://news.example/a.html',
    feedUrl: 'https://news.example/feed.xml',
    title: 'Title',
    author: null,
    publishedAt: null,
    language: 'en',
    siteName: null,
    fetchedAt: '2026-12-02T00:00:00.000Z',
    modifiedAt: null,
    canonicalUrl: null,
    image: null,
    feedName: null,
    tags: [],
    paragraphs: [
      { text: 'First paragraph\u0000 of the story.', duplicateOf: null },
      { text: 'Second paragraph.', duplicateOf: null },
    ],
    duplicateOf: null,
  };
}

/** What the extraction thread computed; the deduper below decides without them. */
const FINGERPRINTS: ArticleFingerprints = {
  paragraphs: [{ kind: 'empty' }, { kind: 'empty' }],
  article: { kind: 'empty' },
};

const DEDUPLICATED: DedupResult = { deduplicated: true, paragraphs: 2, duplicateParagraphs: 1, duplicateOf: null };

/** A deduper that marks the second paragraph as a repeat of another article's first, and records what it saw. */
function deduper(ready = true, fails = false): Deduper & { seen: ArticleRecord[] } {
  const seen: ArticleRecord[] = [];
  return {
    seen,
    markDuplicates: async (record: ArticleRecord) => {
      if (fails) throw new Error('Connection is closed.');
      if (!ready) return null;
      seen.push(record);
      record.paragraphs[1]!.duplicateOf = { url: 'https://other.example/b.html', index: 0, similarity: 0.9 };
      return DEDUPLICATED;
    },
  } as unknown as Deduper & { seen: ArticleRecord[] };
}

function storage(fails = false): StorageWorker & { written: ArticleRecord[] } {
  const written: ArticleRecord[] = [];
  return {
    written,
    write: async (record: ArticleRecord) => {
      if (fails) throw new Error('SQLITE_BUSY: database is locked');
      written.push(record);
      return { outcome: 'inserted', duplicateParagraphs: 1, republication: false } satisfies StoreResult;
    },
  } as unknown as StorageWorker & { written: ArticleRecord[] };
}

function recordingHooks() {
  const finished: string[] = [];
  const hooks: ServiceHooks = {
    dedup: (outcome) => finished.push(`dedup ${outcome.ok}`),
    store: (outcome) => finished.push(`store ${outcome.ok}`),
  };
  return { hooks, finished };
}

describe('articles handed to the deduper and storage of the same process', () => {
  it('are deduplicated and written, cleaned, with no body or job left in Redis', async () => {
    const runtime = runtimeFor();
    const dedup = deduper();
    const store = storage();
    const { hooks, finished } = recordingHooks();
    expect(await stagesInThisProcess(runtime, dedup, store, hooks).take(article(), FINGERPRINTS)).toBe(true);
    expect(store.written).toHaveLength(1);
    expect(store.written[0]!.paragraphs[0]!.text).toBe('First paragraph of the story.');
    expect(store.written[0]!.paragraphs[1]!.duplicateOf).toMatchObject({ url: 'https://other.example/b.html' });
    expect(finished).toEqual(['dedup true', 'store true']);
    expect(await redis.exists(bodyKey(runtime.prefix, article().url))).toBe(0);
    expect(await runtime.queues[QUEUES.articleStore].count()).toBe(0);
  });

  it('are left to the dedup queue while the index is rebuilt or when the deduper fails', async () => {
    for (const dedup of [deduper(false), deduper(true, true)]) {
      const store = storage();
      const { hooks, finished } = recordingHooks();
      expect(await stagesInThisProcess(runtimeFor(), dedup, store, hooks).take(article(), FINGERPRINTS)).toBe(false);
      expect(store.written).toHaveLength(0);
      expect(finished).toEqual([]);
    }
  });

  it('go to the store queue, duplicates marked, when the database fails', async () => {
    const runtime = runtimeFor();
    const { hooks, finished } = recordingHooks();
    expect(await stagesInThisProcess(runtime, deduper(), storage(true), hooks).take(article(), FINGERPRINTS)).toBe(
      true,
    );
    const key = bodyKey(runtime.prefix, article().url);
    const saved = await loadBody(redis, key);
    expect(saved).not.toBe('stored');
    expect((saved as ArticleRecord).paragraphs[1]!.duplicateOf).toMatchObject({ url: 'https://other.example/b.html' });
    const job = await runtime.queues[QUEUES.articleStore].getJob(`store-${urlKey(article().url)}`);
    expect(job?.data).toEqual({ url: article().url, feedUrl: article().feedUrl, bodyKey: key });
    expect(finished).toEqual(['dedup true']);
  });
});
