/**
 * `pnpm bench storage [--pg URL] [--export N]`: articles per second stored (5 KB of text in 25 paragraphs each)
 * into SQLite and PostgreSQL, one per transaction and batched; re-storing unchanged articles; and exporting N
 * (default 100,000) articles through the export stream, with peak memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { ArticleRecord } from '@newsflow/core';
import { openStore, type ArticleStore } from '@newsflow/storage';
import { withPeakRss } from './corpus.ts';

const PARAGRAPHS = 25;
const BATCH = 50;

function makeArticle(i: number, round = 0): ArticleRecord {
  const words = [
    'council',
    'budget',
    'harbour',
    'minister',
    'election',
    'protest',
    'market',
    'energy',
    'court',
    'school',
  ];
  return {
    url: `https://bench.example/${i}`,
    feedUrl: `https://bench.example/feed${i % 4}.xml`,
    title: `Article ${i} about the ${words[i % words.length]}`,
    author: 'Bench Writer',
    publishedAt: '2024-01-02T10:00:00.000Z',
    language: 'en',
    siteName: 'Bench',
    fetchedAt: new Date(Date.UTC(2024, 0, 2) + i * 1000 + round).toISOString(),
    modifiedAt: null,
    canonicalUrl: null,
    image: `https://bench.example/${i}.jpg`,
    feedName: 'Bench',
    tags: ['bench'],
    paragraphs: Array.from({ length: PARAGRAPHS }, (_, p) => ({
      // ~200 characters a paragraph, 25 paragraphs: about 5 KB of text.
      text: `Paragraph ${p} of article ${i}: the ${words[(i + p) % words.length]} officials said on Tuesday that the plan would go ahead, while critics warned about costs and delays in the months ahead.`,
      duplicateOf: null,
    })),
    duplicateOf: null,
  };
}

async function measure(label: string, count: number, run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  const rate = count / ((performance.now() - started) / 1000);
  console.log(`  ${label.padEnd(44)} ${rate.toFixed(0).padStart(6)} articles/s`);
  return rate;
}

async function benchStore(name: string, store: ArticleStore, exportCount: number): Promise<void> {
  console.log(`${name}:`);
  const single = 1000;
  await measure(`store, one article per transaction (${single})`, single, async () => {
    for (let i = 0; i < single; i++) await store.upsertArticle(makeArticle(i));
  });
  const batched = 10_000;
  const newRate = await measure(`store, ${BATCH} per transaction (${batched})`, batched, async () => {
    for (let i = single; i < single + batched; i += BATCH) {
      await store.upsertArticles(Array.from({ length: BATCH }, (_, k) => makeArticle(i + k)));
    }
  });
  const unchangedRate = await measure(`re-store unchanged, ${BATCH} per transaction`, batched, async () => {
    for (let i = single; i < single + batched; i += BATCH) {
      await store.upsertArticles(Array.from({ length: BATCH }, (_, k) => makeArticle(i + k, 1)));
    }
  });
  console.log(`  unchanged re-store is ${(unchangedRate / newRate).toFixed(1)}× the speed of storing new`);
  const indexStarted = performance.now();
  const indexed = await store.indexPending();
  if (indexed > 0) {
    console.log(
      `  full-text indexing after the write: ${indexed} articles at ${(indexed / ((performance.now() - indexStarted) / 1000)).toFixed(0)}/s`,
    );
  }
  for (let i = single + batched; i < exportCount; i += 500) {
    await store.upsertArticles(Array.from({ length: Math.min(500, exportCount - i) }, (_, k) => makeArticle(i + k)));
  }
  const baselineMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const started = performance.now();
  const { result: exported, peakRssMiB } = await withPeakRss(async () => {
    let count = 0;
    for await (const record of store.exportArticles()) count += record.paragraphs.length > 0 ? 1 : 0;
    return count;
  });
  console.log(
    `  export of ${exported} articles: ${(exported / ((performance.now() - started) / 1000)).toFixed(0)} articles/s, RSS ${baselineMiB} MiB before, peak ${peakRssMiB} MiB during`,
  );
}

export async function benchStorage(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { pg: { type: 'string' }, export: { type: 'string' } } });
  const exportCount = Number(values.export ?? 100_000);
  const directory = mkdtempSync(join(tmpdir(), 'newsflow-bench-storage-'));
  try {
    const sqlite = await openStore(`file:${join(directory, 'bench.db')}`);
    await benchStore('SQLite (WAL, synchronous=NORMAL)', sqlite, exportCount);
    await sqlite.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const admin = values.pg ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `newsflow_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const postgres = await openStore(url.toString());
    await benchStore('PostgreSQL 15', postgres, exportCount);
    await postgres.close();
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
}
