/**
 * `pnpm bench dedup [--regenerate] [--paragraphs N] [--banding BxR[xH]]`: quality on the evaluation stream (bench/dedup-eval: WCXB paragraphs, WordNet
 * rewordings, TF-IDF hard negatives) per half, per kind and in a sweep; speed of the in-memory and Redis indexes; Redis bytes per
 * indexed paragraph at 100k paragraphs and the projection for 10M.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix, parseConfig } from '@newsflow/core';
import {
  MemoryDedupIndex,
  RedisDedupIndex,
  fingerprintArticle,
  SHINGLE_SIZE,
  chooseBanding,
  missRate,
  type DedupSettings,
} from '@newsflow/dedup';
import { generateEvaluation, type EvalItem } from './dedup-eval/generate.ts';
import { loadAsbPages, redisCpuSeconds } from './corpus.ts';
import { evaluate } from './dedup-eval/evaluate.ts';

const ARTICLE_PARAGRAPHS = 25;

export async function benchDedup(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { paragraphs: { type: 'string' }, regenerate: { type: 'boolean' }, banding: { type: 'string' } },
  });
  const settings: DedupSettings = { ...parseConfig('').dedup, ...parseBanding(values.banding) };
  const evalFile = new URL('./dedup-eval/eval.jsonl.gz', import.meta.url);
  if (values.regenerate) {
    const generated = generateEvaluation();
    writeFileSync(evalFile, gzipSync(`${generated.map((item) => JSON.stringify(item)).join('\n')}\n`));
    console.log(`dedup: wrote ${generated.length} items to bench/dedup-eval/eval.jsonl.gz`);
  }
  const items = gunzipSync(readFileSync(evalFile))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvalItem);

  // Speed first, in a fresh process state (the quality sweep below allocates many indexes); median of three runs.
  const corpus = syntheticParagraphs(Number(values.paragraphs ?? 100_000));
  // Callers hold their URLs already: formatting them is not the index's work.
  const urls = corpus.map((_, i) => `p${i}`);
  const rates = [0, 1, 2].map(() => {
    const memory = new MemoryDedupIndex(settings);
    const start = performance.now();
    for (let i = 0; i < corpus.length; i++) memory.addParagraphSync(urls[i]!, 0, corpus[i]!);
    return corpus.length / ((performance.now() - start) / 1000);
  });
  const memoryRate = rates.sort((a, b) => a - b)[1]!;

  const half = (which: 'A' | 'B') => items.filter((item) => item.half === which);
  console.log(
    `dedup: evaluation stream of ${items.length} WCXB paragraphs and rewordings (half A ${half('A').length}, half B ${half('B').length}); settings chosen on A, reported on B`,
  );
  const banding = settings.paragraphBanding ?? chooseBanding(settings.paragraphThreshold);
  const lowest = settings.paragraphThreshold / (2 - settings.paragraphThreshold);
  console.log(
    `  word ${SHINGLE_SIZE}-shingles, banding for threshold ${settings.paragraphThreshold}: ${banding.bands} bands × ${banding.rows} rows, ${banding.minHits} agreeing; ` +
      `LSH miss rate at Jaccard ${lowest.toFixed(2)} ${(missRate(lowest, banding) * 100).toFixed(1)}%, at 0.4 ${(missRate(0.4, banding) * 100).toFixed(2)}%`,
  );
  const kinds = ['synonyms', 'mixed', 'clause', 'appended', 'reorder'];
  console.log(
    `  half threshold  precision  recall  hard-neg  ${kinds.map((kind) => kind.padEnd(8)).join(' ')}  shares-sentence`,
  );
  for (const which of ['A', 'B'] as const) {
    for (const threshold of [0.35, 0.4, 0.42, 0.45, 0.5, 0.55]) {
      const score = evaluate(half(which), { ...settings, paragraphThreshold: threshold });
      const rate = (kind: string) => {
        const entry = score.byKind[kind];
        return entry ? (entry.flagged / entry.items).toFixed(3) : '-';
      };
      const marker = threshold === settings.paragraphThreshold ? ' ← configured' : '';
      const hard = `${((score.hardNegatives.flagged / Math.max(1, score.hardNegatives.items)) * 100).toFixed(1)}%`;
      console.log(
        `  ${which}    ${threshold.toFixed(2).padEnd(9)}  ${score.precision.toFixed(4)}     ${score.recall.toFixed(4)}  ${hard.padStart(8)}  ${kinds.map((kind) => rate(`reworded:${kind}`).padEnd(8)).join(' ')}  ${rate('shares-sentence')}${marker}`,
      );
    }
  }
  console.log(`  seed pair flagged: ${evaluate(items, settings).seedPairFlagged}`);
  const crowded = evaluate(half('B'), settings, corpus);
  const crowdedRate = (kind: string) => (crowded.byKind[kind]!.flagged / crowded.byKind[kind]!.items).toFixed(3);
  console.log(
    `  B after the ${corpus.length} paragraphs below: ${crowded.precision.toFixed(4)}     ${crowded.recall.toFixed(4)}  ${kinds.map((kind) => crowdedRate(`reworded:${kind}`)).join('    ')}  (pointers right ${crowded.pointerAccuracy.toFixed(4)})`,
  );
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
    await republicationCost(redis, `${prefix}-republished`, settings);
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
}

/**
 * The Redis server's CPU per article for the stream `pnpm bench pipeline` sends: ASB bodies in turn, so after the
 * first 181 articles every one is a republication (the cheap path: an exact copy ends the search).
 */
async function republicationCost(redis: Redis, prefix: string, settings: DedupSettings): Promise<void> {
  const bodies = loadAsbPages().map((page) => page.articleBody.split(/\n+/).filter((line) => line.trim()));
  const index = new RedisDedupIndex(redis, prefix, settings);
  const articles = Array.from({ length: REPUBLISHED_ARTICLES }, (_, i) => bodies[i % bodies.length]!);
  const fingerprints = articles.map((paragraphs) => fingerprintArticle(paragraphs, index.fingerprintSettings));
  try {
    const cpuBefore = await redisCpuSeconds(redis);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < articles.length; i = next++)
          await index.addArticle(`https://bench.example/republished/${i}`, articles[i]!, fingerprints[i]);
      }),
    );
    const cpuMs = ((await redisCpuSeconds(redis)) - cpuBefore) * 1000;
    console.log(
      `  Redis, ${REPUBLISHED_ARTICLES} ASB articles (${bodies.length} bodies, the rest republished; 16 in flight): ${(cpuMs / REPUBLISHED_ARTICLES).toFixed(2)} ms of Redis CPU per article`,
    );
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
  }
}

const REPUBLISHED_ARTICLES = 2000;

/**
 * `--banding 32x2` or `32x1x2`: that many bands of that many rows (and that many of them agreeing, 1 by default) for
 * every threshold of the run, instead of the derived layout.
 */
function parseBanding(value: string | undefined): Pick<DedupSettings, 'paragraphBanding'> {
  if (value === undefined) return {};
  const match = /^(\d+)x(\d+)(?:x(\d+))?$/.exec(value);
  if (!match) throw new Error(`--banding takes BANDSxROWS[xHITS], such as 32x2 or 32x1x2 (got ${value})`);
  return { paragraphBanding: { bands: Number(match[1]), rows: Number(match[2]), minHits: Number(match[3] ?? 1) } };
}

/**
 * Distinct news-like paragraphs for the speed and memory figures: the ASB corpus's paragraphs with every word of
 * four or more letters replaced by another such word of the corpus (seeded). Short function words stay where they
 * are, so unrelated paragraphs share "of the" and "in a" as real ones do, while content words and their pairs are
 * each paragraph's own.
 */
function syntheticParagraphs(count: number): string[] {
  const originals = loadAsbPages()
    .flatMap((page) => page.articleBody.split(/\n+/))
    .map((paragraph) => paragraph.trim().split(/\s+/))
    .filter((paragraph) => paragraph.length >= 20);
  const contentWords = originals.flat().filter((word) => word.length > 3);
  let state = 42;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return Array.from({ length: count }, (_, i) =>
    originals[i % originals.length]!.map((word) =>
      word.length > 3 ? contentWords[Math.floor(next() * contentWords.length)]! : word,
    ).join(' '),
  );
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
