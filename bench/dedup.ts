/**
 * `pnpm bench dedup`: quality on the evaluation stream (bench/dedup-eval: real news paragraphs, rewordings and hard
 * negatives) at the configured thresholds and in a sweep; speed of the in-memory and Redis indexes; Redis bytes per
 * indexed paragraph at 100k paragraphs and the projection for 10M.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix, parseConfig } from '@newsflow/core';
import { MemoryDedupIndex, RedisDedupIndex, chooseBanding, missRate } from '@newsflow/dedup';
import type { EvalItem } from './dedup-eval/generate.ts';
import { evaluate } from './dedup-eval/evaluate.ts';

const ARTICLE_PARAGRAPHS = 25;

export async function benchDedup(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { paragraphs: { type: 'string' } } });
  const settings = parseConfig('').dedup;
  const items = gunzipSync(readFileSync(new URL('./dedup-eval/eval.jsonl.gz', import.meta.url)))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvalItem);
  const positives = items.filter((item) => item.duplicateOf).length;

  // Speed first, in a fresh process state (the quality sweep below allocates seven indexes); median of three runs.
  const corpus = syntheticParagraphs(items, Number(values.paragraphs ?? 100_000));
  const rates = [0, 1, 2].map(() => {
    const memory = new MemoryDedupIndex(settings);
    const start = performance.now();
    for (let i = 0; i < corpus.length; i++) memory.addParagraphSync(`p${i}`, 0, corpus[i]!);
    return corpus.length / ((performance.now() - start) / 1000);
  });
  const memoryRate = rates.sort((a, b) => a - b)[1]!;

  console.log(
    `dedup: evaluation stream of ${items.length} paragraphs (${positives} rewordings, ${items.length - positives} originals and hard negatives)`,
  );
  const banding = chooseBanding(settings.paragraphThreshold);
  const lowest = settings.paragraphThreshold / (2 - settings.paragraphThreshold);
  console.log(
    `  banding for threshold ${settings.paragraphThreshold}: ${banding.bands} bands × ${banding.rows} rows; ` +
      `LSH miss rate at Jaccard ${lowest.toFixed(2)} ${(missRate(lowest, banding) * 100).toFixed(1)}%, at 0.4 ${(missRate(0.4, banding) * 100).toFixed(2)}%`,
  );
  console.log('  threshold  precision  recall  F1      false+  false-  pointers');
  for (const threshold of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
    const score = evaluate(items, { ...settings, paragraphThreshold: threshold });
    const marker = threshold === settings.paragraphThreshold ? ' ← configured' : '';
    console.log(
      `  ${threshold.toFixed(2).padEnd(9)}  ${score.precision.toFixed(4)}     ${score.recall.toFixed(4)}  ${score.f1.toFixed(4)}  ${String(score.falsePositives).padStart(6)}  ${String(score.falseNegatives).padStart(6)}  ${score.pointerAccuracy.toFixed(3)}${marker}`,
    );
  }

  console.log(
    `  in memory: ${corpus.length} distinct paragraphs indexed and queried at ${memoryRate.toFixed(0)}/s (one core, median of 3)`,
  );

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `newsflow-bench-dedup-${process.pid}`;
  try {
    const articles: string[][] = [];
    for (let i = 0; i < corpus.length; i += ARTICLE_PARAGRAPHS) articles.push(corpus.slice(i, i + ARTICLE_PARAGRAPHS));
    const before = await usedMemory(redis);
    const index = new RedisDedupIndex(redis, prefix, settings);
    const sequentialCount = Math.min(200, articles.length);
    const sequentialStart = performance.now();
    for (let i = 0; i < sequentialCount; i++) await index.addArticle(`https://bench.example/${i}`, articles[i]!);
    const sequentialSeconds = (performance.now() - sequentialStart) / 1000;
    // Pipelined: 16 articles in flight on one connection, as a deduper with concurrency 16 would send them.
    const pipelinedStart = performance.now();
    let next = sequentialCount;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < articles.length; i = next++)
          await index.addArticle(`https://bench.example/${i}`, articles[i]!);
      }),
    );
    const pipelinedSeconds = (performance.now() - pipelinedStart) / 1000;
    const pipelinedParagraphs = corpus.length - sequentialCount * ARTICLE_PARAGRAPHS;
    const bytes = (await usedMemory(redis)) - before;
    const perParagraph = bytes / corpus.length;
    console.log(
      `  Redis, one article (${ARTICLE_PARAGRAPHS} paragraphs) per Lua call: ${((sequentialCount * ARTICLE_PARAGRAPHS) / sequentialSeconds).toFixed(0)}/s sequential, ${(pipelinedParagraphs / pipelinedSeconds).toFixed(0)}/s pipelined (16 in flight)`,
    );
    console.log(
      `  Redis memory: ${perParagraph.toFixed(0)} bytes per indexed paragraph at ${corpus.length} → ${((perParagraph * 10_000_000) / 1024 ** 3).toFixed(1)} GiB for 10M`,
    );
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
}

/**
 * Distinct news-like paragraphs: real paragraphs with every third word replaced by another word of the corpus
 * (seeded), so each has its own shingles while word and length distributions stay those of news.
 */
function syntheticParagraphs(items: EvalItem[], count: number): string[] {
  const originals = items.filter((item) => item.kind === 'original').map((item) => item.text.split(' '));
  const vocabulary = originals.flat();
  let state = 42;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return Array.from({ length: count }, (_, i) =>
    originals[i % originals.length]!.map((word, w) =>
      w % 3 === i % 3 ? vocabulary[Math.floor(next() * vocabulary.length)]! : word,
    ).join(' '),
  );
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
