import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, type ExportRecord } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { CLI, runCli, serve, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

/**
 * `run --once` hands each scraped article straight to the deduper and storage of its process, so what a crash leaves
 * behind is the scrape job: killed with -9 halfway, the next `run --once` takes the interrupted jobs up once their
 * locks lapse (30–45 s) and every article ends up stored exactly once, its duplicate marked.
 */
const STORIES = 12;
const WORDS = (
  'council budget river harbour school teacher museum garden railway station bridge festival market farmer ' +
  'hospital nurse library author mayor election storm flood harvest factory worker union strike court judge ' +
  'police village mountain forest island ferry airport pilot engineer tunnel stadium coach league season ' +
  'concert singer theatre painter gallery castle church tower bakery bread cheese wine fisherman boat'
).split(' ');

/** Two paragraphs of words drawn at random (a fixed seed per story): no story repeats another. */
function story(n: number): string {
  let seed = n + 1;
  const word = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return WORDS[(seed >>> 16) % WORDS.length]!;
  };
  const paragraph = () => Array.from({ length: 40 }, word).join(' ') + '.';
  return (
    `<html lang="en"><head><title>Story ${n}</title></head><body><article><h1>Story ${n}</h1>` +
    `<p>${paragraph()}</p><p>${paragraph()}</p></article></body></html>`
  );
}

let site: Awaited<ReturnType<typeof serve>>;
let directory: string;
let redis: Redis;
const prefix = uniquePrefix('run-once-kill');

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-run-once-kill-'));
  redis = new Redis(TEST_REDIS_URL);
  const paths = [...Array.from({ length: STORIES }, (_, n) => `/story-${n}.html`), '/partner/story-0.html'];
  const routes: Parameters<typeof serve>[0] = {
    '/feed.xml': (_, response) =>
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<rss version="2.0"><channel><title>News</title>${paths
            .map((path) => `<item><title>${path}</title><link>${site.url}${path}</link></item>`)
            .join('')}</channel></rss>`,
        ),
  };
  // Pages answer one after another, 200 ms apart: the kill lands while most of them are still being fetched.
  paths.forEach((path, position) => {
    const n = position % STORIES;
    routes[path] = (_, response) =>
      setTimeout(() => response.writeHead(200, { 'content-type': 'text/html' }).end(story(n)), (position + 1) * 200);
  });
  site = await serve(routes);
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await site.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('run --once killed with -9 halfway', () => {
  it('stores every article exactly once on the next run', async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: `file:${join(directory, 'kill.db')}`,
      NEWSFLOW_PREFIX: prefix,
      NEWSFLOW_CONFIG: writeTestConfig(directory, [`${site.url}/feed.xml`]),
    };
    const first = spawn(process.execPath, [CLI, 'run', '--once'], {
      env: { ...process.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    const store = await openStore(env.DATABASE_URL);
    try {
      // Killed once some articles are stored and the others are in flight.
      let stored = 0;
      for (let waited = 0; stored < 3 && waited < 60_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stored = await store.countArticles().catch(() => 0);
      }
      first.kill('SIGKILL');
      await exited;
      const storedByFirst = await store.countArticles();
      expect(storedByFirst).toBeGreaterThanOrEqual(3);
      expect(storedByFirst).toBeLessThan(STORIES + 1);
    } finally {
      await store.close();
    }

    const second = await runCli(['run', '--once', '--timeout', '150'], env, 170_000);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('failed: 0');

    const exported = await runCli(['export'], env);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportRecord);
    expect(records).toHaveLength(STORIES + 1);
    expect(new Set(records.map((record) => record.url)).size).toBe(STORIES + 1);
    // The partner's copy and the original: whichever was stored first is the original, the other points at it.
    const pair = records.filter((record) => /\/story-0\.html$/.test(record.url));
    const copies = pair.filter((record) => record.duplicateOf);
    expect(copies).toHaveLength(1);
    expect(pair.map((record) => record.url)).toContain(copies[0]!.duplicateOf!.url);
    expect(records.filter((record) => record.duplicateOf)).toHaveLength(1);
  }, 240_000);
});
