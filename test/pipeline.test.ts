import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, type ExportRecord } from '@newsflow/core';
import { startDemoSite } from '@newsflow/cli';
import { createTestDatabase, runCli, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

/**
 * The whole pipeline through the CLI, as a user runs it: a local news site with an RSS and an Atom feed, pages with
 * chrome, the seed article with its [ad_N] placeholders and repeated paragraph, a follow-up story repeating the
 * protest paragraph reworded, a partner's republication, a tracking-parameter link to a listed article, a dead link.
 */
let site: Awaited<ReturnType<typeof startDemoSite>>;
let directory: string;
let configPath: string;
let redis: Redis;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  site = await startDemoSite();
  directory = mkdtempSync(join(tmpdir(), 'newsflow-e2e-'));
  configPath = writeTestConfig(directory, site.feedUrls);
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await redis.quit();
  await site.close();
  rmSync(directory, { recursive: true, force: true });
});

const databases: [string, () => Promise<string>][] = [
  ['SQLite', async () => `file:${join(directory, `e2e-${Date.now()}.db`)}`],
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      cleanups.push(database.drop);
      return database.url;
    },
  ],
];

describe.each(databases)('run --once into %s', (_, createDatabaseUrl) => {
  let env: Record<string, string>;
  beforeAll(async () => {
    const prefix = uniquePrefix('e2e');
    cleanups.push(async () => void (await deleteKeysWithPrefix(redis, prefix)));
    env = { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: await createDatabaseUrl(), NEWSFLOW_PREFIX: prefix };
  });

  it('stores each article once, clean, with duplicate pointers, and counts the dead link as failed', async () => {
    const run = await runCli(['run', '--once', '--config', configPath], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('feeds: 2 polled');
    expect(run.stdout).toContain('items: 5 in feeds, 4 new');
    expect(run.stdout).toContain('stored: 3');
    expect(run.stdout).toContain('failed: 1');
    expect(run.stdout).toMatch(/^ {2}1× article-scrape: HTTP 404 from <url>$/m);
    expect(run.stdout).toMatch(/^ {6}http:\/\/127\.0\.0\.1:\d+\/news\/story-that-was-taken-down\.html: HTTP 404/m);

    const exported = await runCli(['export'], env);
    expect(exported.code, exported.stderr).toBe(0);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportRecord);
    const byPath = new Map(records.map((record) => [new URL(record.url).pathname, record]));
    expect([...byPath.keys()].sort()).toEqual([
      '/news/belarus-military-attaches.html',
      '/news/eu-weighs-new-belarus-sanctions.html',
      '/partner/2021/02/20/belarus-warns-west.html',
    ]);
    expect(records.every((record) => !record.url.includes('utm_') && !record.url.includes('#'))).toBe(true);

    for (const record of records) {
      expect(record.text).not.toMatch(
        /\[ad_\d\]|cookies|Share on|Most read|Photo: Reuters|comments|All rights reserved|Advertisement|morning briefing/,
      );
      expect(record.paragraphs.every((paragraph) => paragraph.text.trim() !== '')).toBe(true);
    }

    const seed = byPath.get('/news/belarus-military-attaches.html')!;
    expect(seed).toMatchObject({
      author: 'Newsdesk',
      publishedAt: '2021-02-20T09:15:00.000Z',
      language: 'en',
      siteName: 'Baltic Daily',
      duplicateOf: null,
    });
    expect(seed.paragraphs[0]!.text).toMatch(/^He made such a statement/);
    const protest = seed.paragraphs.flatMap((paragraph, index) =>
      paragraph.text.startsWith('In Belarus, mass protests') ? [index] : [],
    );
    expect(protest).toHaveLength(2);
    expect(seed.paragraphs[protest[0]!]!.duplicateOf).toBeNull();
    expect(seed.paragraphs[protest[1]!]!.duplicateOf).toMatchObject({ url: seed.url, index: protest[0] });
    expect(seed.paragraphs.filter((paragraph) => paragraph.duplicateOf)).toHaveLength(1);
    // The readable text keeps the first version of the repeated paragraph only.
    expect(seed.text.match(/In Belarus, mass protests/g)).toHaveLength(1);

    const followUp = byPath.get('/news/eu-weighs-new-belarus-sanctions.html')!;
    const flagged = followUp.paragraphs.filter((paragraph) => paragraph.duplicateOf);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.text).toMatch(/^In Belarus, mass protests have continued for more than six months/);
    expect(flagged[0]!.duplicateOf).toMatchObject({ url: seed.url, index: protest[0] });
    expect(followUp.duplicateOf).toBeNull();

    const partner = byPath.get('/partner/2021/02/20/belarus-warns-west.html')!;
    expect(partner.title).toBe('Belarus warns the West of "additional actions"');
    expect(partner.duplicateOf).toMatchObject({ url: seed.url });
  });

  it('stores nothing new on a second run', async () => {
    const run = await runCli(['run', '--once', '--config', configPath], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('items: 5 in feeds, 0 new');
    expect(run.stdout).toContain('stored: 0');
    expect(run.stdout).toContain('failed: 0');
    const exported = await runCli(['export'], env);
    expect(exported.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('exports CSV and filters by feed', async () => {
    const csv = await runCli(['export', '--format', 'csv'], env);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'url,feedUrl,title,author,publishedAt,language,siteName,fetchedAt,modifiedAt,canonicalUrl,image,feedName,tags,duplicateOfUrl,duplicateSimilarity,paragraphs,duplicateParagraphs,text',
    );
    expect(csv.stdout).toContain('"Belarus warns the West of ""additional actions"""');
    const partnerOnly = await runCli(['export', '--feed', site.feedUrls[1]!], env);
    expect(partnerOnly.stdout.trim().split('\n')).toHaveLength(1);
    // The feed's name from the config (its host when it has none) and its tags travel with the article.
    expect(JSON.parse(partnerOnly.stdout)).toMatchObject({ feedName: '127.0.0.1', tags: [] });
  });

  it('searches stored articles by a phrase from their body, and exports the matches', async () => {
    const search = await runCli(['search', '"Lukashenko threatened that his country would refuse"'], env);
    expect(search.code, search.stderr).toBe(0);
    const hits = search.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { url: string; snippet: string });
    expect(hits.map((hit) => new URL(hit.url).pathname).sort()).toEqual([
      '/news/belarus-military-attaches.html',
      '/partner/2021/02/20/belarus-warns-west.html',
    ]);
    expect(hits[0]!.snippet).toContain('[');
    const filtered = await runCli(['export', '--query', 'sanctions package Tsikhanouskaya'], env);
    expect(
      filtered.stdout
        .trim()
        .split('\n')
        .map((line) => new URL((JSON.parse(line) as ExportRecord).url).pathname),
    ).toEqual(['/news/eu-weighs-new-belarus-sanctions.html']);
    const prune = await runCli(['prune', '--older-than', '1h'], env);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toMatch(/^pruned 0 articles fetched before /);
  });

  it('shows queue counts in status', async () => {
    const status = await runCli(['status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^queue\s+waiting\s+active\s+delayed\s+done\s+failed$/m);
    // `run --once` hands scraped articles to its own deduper and storage, not through their queues.
    expect(status.stdout).toMatch(/^article-scrape\s+0\s+0\s+0\s+3\s+1$/m);
    expect(status.stdout).toMatch(/^article-store\s+0\s+0\s+0\s+0\s+0$/m);
    expect(status.stdout).toContain('story-that-was-taken-down.html: HTTP 404');
  });
});
