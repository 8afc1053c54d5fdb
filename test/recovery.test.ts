import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { runCli, serve, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

const ARTICLE = (title: string) =>
  `<html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>` +
  `<p>${title}: the council approved the budget on Tuesday after a debate that lasted well into the night.</p>` +
  '<p>Opposition members said the plan cut too deeply into spending on schools, roads and public transport.</p></article></body></html>';

let site: Awaited<ReturnType<typeof serve>>;
let directory: string;
let redis: Redis;
let lateIsUp = false;
const prefix = uniquePrefix('recovery');

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-recovery-'));
  redis = new Redis(TEST_REDIS_URL);
  const page = (path: string) => (_: unknown, response: ServerResponse) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end(ARTICLE(path));
  site = await serve({
    '/feed.xml': (_, response) => {
      const items = ['/one.html', '/two.html', '/late.html']
        .map((path) => `<item><title>${path}</title><link>${site.url}${path}</link></item>`)
        .join('');
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>News</title>${items}</channel></rss>`);
    },
    '/one.html': page('One'),
    '/two.html': page('Two'),
    // Not there on the first run (404: a permanent failure), there after an editor fixed it.
    '/late.html': (request, response) => (lateIsUp ? page('Late')(request, response) : response.writeHead(404).end()),
  });
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await site.close();
  rmSync(directory, { recursive: true, force: true });
});

const env = () => ({
  REDIS_URL: TEST_REDIS_URL,
  DATABASE_URL: `file:${join(directory, 'recovery.db')}`,
  NEWSFLOW_PREFIX: prefix,
  NEWSFLOW_CONFIG: writeTestConfig(directory, [`${site.url}/feed.xml`]),
});

describe('recovering from failures and from a Redis that lost its data', () => {
  it('groups failures by reason in status, and retry puts them back to be processed', async () => {
    const first = await runCli(['run', '--once'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^stored: 2$/m);
    expect(first.stdout).toMatch(/^failed: 1$/m);

    const status = await runCli(['status'], env());
    expect(status.stdout).toMatch(/failures by reason[^\n]*\n\s+1\s+article-scrape\s+HTTP 404/);

    lateIsUp = true;
    const retry = await runCli(['retry', '--stage', 'scraper', '--reason', '404'], env());
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toContain('article-scrape: 1 retried');
    const second = await runCli(['run', '--once'], env());
    expect(second.stdout).toMatch(/^stored: 1$/m);
    expect(second.stdout).toMatch(/^failed: 0$/m);
    const exported = await runCli(['export'], env());
    expect(exported.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('feeds health shows each feed from the poll log: ok, failing with its error, never polled', async () => {
    const withBroken = {
      ...env(),
      NEWSFLOW_CONFIG: writeTestConfig(directory, [`${site.url}/feed.xml`, `${site.url}/missing-feed.xml`]),
    };
    await runCli(['run', '--once'], withBroken);
    const health = await runCli(['feeds', 'health'], {
      ...withBroken,
      NEWSFLOW_CONFIG: writeTestConfig(directory, [
        `${site.url}/feed.xml`,
        `${site.url}/missing-feed.xml`,
        `${site.url}/new-feed.xml`,
      ]),
    });
    expect(health.code, health.stderr).toBe(0);
    const lines = health.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^status\s+http\s+feed\s+last success\s+failures\s+new\/day\s+last error$/);
    const row = (path: string) => lines.find((line) => line.includes(`${site.url}${path}`)) ?? '';
    expect(row('/feed.xml')).toMatch(/^ok\s+(200|304)\s/);
    expect(row('/feed.xml')).toMatch(/ago/);
    expect(row('/missing-feed.xml')).toMatch(/^failing\s+404\s.*\s1\s.*HTTP 404/);
    expect(row('/new-feed.xml')).toMatch(/^never polled\s+-\s/);
  });

  it('refuses an unknown stage', async () => {
    const retry = await runCli(['retry', '--stage', 'nope'], env());
    expect(retry.code).toBe(2);
    expect(retry.stderr).toContain('--stage is one of');
  });

  it('after Redis lost its data, reindex rebuilds the seen set so nothing is fetched again', async () => {
    await deleteKeysWithPrefix(redis, prefix);
    const reindex = await runCli(['reindex'], env());
    expect(reindex.code, reindex.stderr).toBe(0);
    expect(reindex.stdout).toContain('marked 3 stored articles seen, indexed 3 for dedup');
    const again = await runCli(['run', '--once'], env());
    expect(again.stdout).toMatch(/^items: 3 in feeds, 0 new$/m);
  });

  it('without reindex, the storage worker rebuilds the index itself and nothing is written twice', async () => {
    await deleteKeysWithPrefix(redis, prefix);
    const again = await runCli(['run', '--once'], { ...env(), LOG_LEVEL: 'info' });
    expect(again.code, again.stderr).toBe(0);
    // Fetched again or not, depending on whether the feed was polled before the rebuild: never stored anew.
    expect(again.stdout).toMatch(/^stored: 0( \(\d unchanged\))?$/m);
    expect(again.stderr).toContain('the dedup index is missing from Redis');
    const exported = (await runCli(['export'], env())).stdout.trim().split('\n');
    expect(exported).toHaveLength(3);
  });
});
