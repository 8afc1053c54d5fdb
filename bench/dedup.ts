/**
 * `pnpm bench dedup`: indexing speed of the paragraph index in memory and through Redis, and Redis bytes per
 * indexed paragraph, on real news paragraphs (ASB article bodies, republished once under a second URL so half
 * the lookups find a match).
 */
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { MemoryDedupIndex, RedisDedupIndex, type DedupSettings } from '@newsflow/dedup';
import { loadAsbPages } from './corpus.ts';

const SETTINGS: DedupSettings = { paragraphThreshold: 0.45, articleThreshold: 0.8, minWords: 8 };

export async function benchDedup(): Promise<void> {
  const originals = loadAsbPages().map((page) => ({
    url: page.url,
    paragraphs: page.articleBody.split(/\n+/).filter((line) => line.trim()),
  }));
  const articles = [...originals, ...originals.map((article) => ({ ...article, url: `${article.url}#copy` }))];
  const paragraphCount = articles.reduce((sum, article) => sum + article.paragraphs.length, 0);

  const memory = new MemoryDedupIndex(SETTINGS);
  const memoryStart = performance.now();
  let flagged = 0;
  for (const article of articles)
    flagged += memory.addArticleSync(article.url, article.paragraphs).paragraphs.filter(Boolean).length;
  const memorySeconds = (performance.now() - memoryStart) / 1000;

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `newsflow-bench-dedup-${process.pid}`;
  try {
    const before = await usedMemory(redis);
    const index = new RedisDedupIndex(redis, prefix, SETTINGS);
    const redisStart = performance.now();
    // Sequential: one article after another, as one deduper replica works.
    for (const article of originals) await index.addArticle(article.url, article.paragraphs);
    const redisSeconds = (performance.now() - redisStart) / 1000;
    const originalParagraphs = originals.reduce((sum, article) => sum + article.paragraphs.length, 0);
    const bytesPerParagraph = (await usedMemory(redis)) - before;

    console.log(
      `dedup: ${articles.length} articles, ${paragraphCount} paragraphs (ASB bodies, each republished once); ${flagged} paragraphs flagged`,
    );
    console.log(`  in memory: ${(paragraphCount / memorySeconds).toFixed(0)} paragraphs/s indexed and queried`);
    console.log(`  Redis (Lua, one article per call): ${(originalParagraphs / redisSeconds).toFixed(0)} paragraphs/s`);
    console.log(
      `  Redis memory: ${(bytesPerParagraph / originalParagraphs).toFixed(0)} bytes per indexed paragraph ` +
        `(→ ${(((bytesPerParagraph / originalParagraphs) * 10_000_000) / 1024 ** 3).toFixed(1)} GiB for 10M)`,
    );
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
