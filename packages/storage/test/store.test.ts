import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ArticleRecord, ExportRecord } from '@newsflow/core';
import { LATEST_VERSION, MIGRATIONS, openStore, type ArticleStore } from '../src/index.ts';
import { createTestDatabase } from '../../../test/helpers.ts';

function article(url: string, overrides: Partial<ArticleRecord> = {}): ArticleRecord {
  return {
    url,
    feedUrl: 'https://news.example/feed.xml',
    title: 'Belarus warns the West',
    author: 'Jane Roe',
    publishedAt: '2021-02-20T09:15:00.000Z',
    language: 'en',
    siteName: 'News Example',
    fetchedAt: '2021-02-20T10:00:00.000Z',
    modifiedAt: '2021-02-20T11:30:00.000Z',
    canonicalUrl: url,
    image: 'https://news.example/lead.jpg',
    feedName: 'News Example World',
    tags: ['world', 'belarus'],
    paragraphs: [
      { text: 'First paragraph.', duplicateOf: null },
      { text: 'Mass protests have continued.', duplicateOf: null },
      { text: 'Mass protests continued for months.', duplicateOf: { url, index: 1, similarity: 0.57 } },
      {
        text: 'A paragraph from elsewhere.',
        duplicateOf: { url: 'https://other.example/x', index: 3, similarity: 0.81 },
      },
    ],
    duplicateOf: null,
    ...overrides,
  };
}

async function exportAll(store: ArticleStore, filter = {}): Promise<ExportRecord[]> {
  const records: ExportRecord[] = [];
  for await (const record of store.exportArticles(filter)) records.push(record);
  return records;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const backends: [string, () => Promise<string>][] = [
  [
    'SQLite',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'newsflow-store-'));
      cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
      return `file:${join(directory, 'nested', 'articles.db')}`;
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      cleanups.push(database.drop);
      return database.url;
    },
  ],
];

describe.each(backends)('%s store', (_, createDatabaseUrl) => {
  let databaseUrl: string;
  let store: ArticleStore;
  beforeAll(async () => {
    databaseUrl = await createDatabaseUrl();
    store = await openStore(databaseUrl);
    cleanups.unshift(() => store.close());
  });

  it('migrates idempotently', async () => {
    const again = await openStore(databaseUrl);
    await again.migrate();
    await again.close();
  });

  it('stores an article once, keyed by URL, and reports what changed', async () => {
    const url = 'https://news.example/a';
    expect(await store.upsertArticle(article(url))).toBe('inserted');
    expect(await store.upsertArticle(article(url, { fetchedAt: '2021-02-21T00:00:00.000Z' }))).toBe('unchanged');
    expect(await store.upsertArticle(article(url, { title: 'Belarus warns the West again' }))).toBe('updated');
    const records = (await exportAll(store)).filter((record) => record.url === url);
    expect(records).toHaveLength(1);
    expect(records[0]!.title).toBe('Belarus warns the West again');
    expect(records[0]!.paragraphs).toHaveLength(4);
  });

  it('exports the DESIGN.md record: text without in-article repeats, pointers kept on paragraphs', async () => {
    const url = 'https://news.example/export';
    await store.upsertArticle(article(url, { duplicateOf: { url: 'https://orig.example/1', similarity: 0.93 } }));
    const record = (await exportAll(store)).find((candidate) => candidate.url === url)!;
    expect(record).toEqual({
      url,
      feedUrl: 'https://news.example/feed.xml',
      title: 'Belarus warns the West',
      author: 'Jane Roe',
      publishedAt: '2021-02-20T09:15:00.000Z',
      language: 'en',
      siteName: 'News Example',
      fetchedAt: '2021-02-20T10:00:00.000Z',
      modifiedAt: '2021-02-20T11:30:00.000Z',
      canonicalUrl: url,
      image: 'https://news.example/lead.jpg',
      feedName: 'News Example World',
      tags: ['world', 'belarus'],
      text: 'First paragraph.\n\nMass protests have continued.\n\nA paragraph from elsewhere.',
      paragraphs: article(url).paragraphs,
      duplicateOf: { url: 'https://orig.example/1', similarity: 0.93 },
    });
    expect(Object.keys(record)).toEqual([
      'url',
      'feedUrl',
      'title',
      'author',
      'publishedAt',
      'language',
      'siteName',
      'fetchedAt',
      'modifiedAt',
      'canonicalUrl',
      'image',
      'feedName',
      'tags',
      'text',
      'paragraphs',
      'duplicateOf',
    ]);
  });

  it('filters the export by fetch time and feed', async () => {
    await store.upsertArticle(
      article('https://news.example/old', {
        fetchedAt: '2020-01-01T00:00:00.000Z',
        feedUrl: 'https://old.example/feed',
      }),
    );
    await store.upsertArticle(article('https://news.example/new', { fetchedAt: '2030-01-01T00:00:00.000Z' }));
    expect((await exportAll(store, { since: '2029-12-31T00:00:00.000Z' })).map((record) => record.url)).toEqual([
      'https://news.example/new',
    ]);
    expect((await exportAll(store, { feedUrl: 'https://old.example/feed' })).map((record) => record.url)).toEqual([
      'https://news.example/old',
    ]);
  });

  it('keeps null metadata null', async () => {
    await store.upsertArticle(
      article('https://news.example/bare', { author: null, publishedAt: null, language: null, siteName: null }),
    );
    const record = (await exportAll(store)).find((candidate) => candidate.url === 'https://news.example/bare')!;
    expect(record).toMatchObject({ author: null, publishedAt: null, language: null, siteName: null });
  });

  it('leaves one untorn row set when writers race on the same article', async () => {
    const url = 'https://news.example/raced';
    const writers = await Promise.all(Array.from({ length: 4 }, () => openStore(databaseUrl)));
    try {
      const versions = Array.from({ length: 12 }, (_, i) =>
        article(url, {
          title: `version ${i}`,
          paragraphs: Array.from({ length: 3 + i }, (__, p) => ({ text: `v${i} p${p}`, duplicateOf: null })),
        }),
      );
      await Promise.all(versions.map((version, i) => writers[i % writers.length]!.upsertArticle(version)));
      const records = (await exportAll(store)).filter((record) => record.url === url);
      expect(records).toHaveLength(1);
      const version = Number(records[0]!.title.split(' ')[1]);
      // Paragraphs all belong to the version whose title won: no mix of two writers.
      expect(records[0]!.paragraphs.map((paragraph) => paragraph.text)).toEqual(
        versions[version]!.paragraphs.map((paragraph) => paragraph.text),
      );
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  });

  it('keeps the previous text of a changed article as a version', async () => {
    const url = 'https://news.example/versioned';
    await store.upsertArticle(article(url, { title: 'First headline', fetchedAt: '2021-02-20T10:00:00.000Z' }));
    await store.upsertArticle(article(url, { title: 'Second headline', fetchedAt: '2021-02-20T11:00:00.000Z' }));
    await store.upsertArticle(article(url, { title: 'Second headline', fetchedAt: '2021-02-20T12:00:00.000Z' }));
    await store.upsertArticle(article(url, { title: 'Third headline', fetchedAt: '2021-02-20T13:00:00.000Z' }));
    const versions = await store.articleVersions(url);
    expect(versions.map((version) => [version.version, version.title, version.fetchedAt])).toEqual([
      [1, 'First headline', '2021-02-20T10:00:00.000Z'],
      [2, 'Second headline', '2021-02-20T11:00:00.000Z'],
    ]);
    expect(versions[0]!.text).toContain('Mass protests have continued.');
  });

  it('stores a batch in one transaction and reports each outcome', async () => {
    const outcomes = await store.upsertArticles([
      article('https://news.example/batch-1'),
      article('https://news.example/batch-2'),
      article('https://news.example/batch-1'),
    ]);
    expect(outcomes).toEqual(['inserted', 'inserted', 'unchanged'].map((outcome) => ({ ok: true, outcome })));
  });

  it('fails only the article that cannot be written and stores its batch-mates', async () => {
    const broken = article('https://news.example/batch-broken', { feedUrl: null as unknown as string });
    const results = await store.upsertArticles([
      article('https://news.example/batch-ok-1'),
      broken,
      article('https://news.example/batch-ok-2'),
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const urls = (await exportAll(store)).map((record) => record.url);
    expect(urls).toEqual(
      expect.arrayContaining(['https://news.example/batch-ok-1', 'https://news.example/batch-ok-2']),
    );
    expect(urls).not.toContain('https://news.example/batch-broken');
  });

  it('stores text with NUL bytes and lone surrogates, cleaned of them', async () => {
    const url = 'https://news.example/nul';
    const results = await store.upsertArticles([
      article(url, {
        title: 'Null\u0000 title',
        paragraphs: [{ text: 'Broken \ud800surrogate and a NUL\u0000 byte.', duplicateOf: null }],
      }),
      article('https://news.example/nul-mate'),
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    const record = (await exportAll(store)).find((candidate) => candidate.url === url)!;
    expect(record.title).toBe('Null title');
    expect(record.paragraphs[0]!.text).toBe('Broken surrogate and a NUL byte.');
  });

  it('writes nothing for the same text with other duplicate pointers, and keeps the stored pointers', async () => {
    const url = 'https://news.example/refetched';
    await store.upsertArticle(article(url));
    const refetched = article(url, {
      fetchedAt: '2021-03-01T00:00:00.000Z',
      paragraphs: article(url).paragraphs.map((paragraph) => ({ ...paragraph, duplicateOf: null })),
    });
    expect(await store.upsertArticle(refetched)).toBe('unchanged');
    expect((await store.upsertArticles([refetched]))[0]).toEqual({ ok: true, outcome: 'unchanged' });
    const record = (await exportAll(store)).find((candidate) => candidate.url === url)!;
    expect(record.paragraphs).toEqual(article(url).paragraphs);
    expect(await store.articleVersions(url)).toEqual([]);
  });

  it('writes a batch of distinct articles: new, changed and unchanged, with versions and paragraphs', async () => {
    await store.upsertArticles([article('https://news.example/b-changed'), article('https://news.example/b-same')]);
    const outcomes = await store.upsertArticles([
      article('https://news.example/b-changed', {
        title: 'Changed title',
        paragraphs: [{ text: 'Only one paragraph now.', duplicateOf: null }],
      }),
      article('https://news.example/b-same'),
      article('https://news.example/b-new'),
    ]);
    expect(outcomes).toEqual(['updated', 'unchanged', 'inserted'].map((outcome) => ({ ok: true, outcome })));
    const records = new Map((await exportAll(store)).map((record) => [record.url, record]));
    expect(records.get('https://news.example/b-changed')!.paragraphs).toEqual([
      { text: 'Only one paragraph now.', duplicateOf: null },
    ]);
    expect(records.get('https://news.example/b-new')!.paragraphs).toHaveLength(4);
    expect((await store.articleVersions('https://news.example/b-changed')).map((version) => version.title)).toEqual([
      'Belarus warns the West',
    ]);
  });

  it('leaves untorn rows when batches race', async () => {
    const writers = await Promise.all([openStore(databaseUrl), openStore(databaseUrl)]);
    try {
      const batch = (writer: number) =>
        Array.from({ length: 10 }, (_, i) =>
          article(`https://news.example/race-batch-${i}`, {
            title: `writer ${writer}`,
            paragraphs: Array.from({ length: 2 + writer }, (__, p) => ({
              text: `w${writer} p${p}`,
              duplicateOf: null,
            })),
          }),
        );
      await Promise.all([writers[0]!.upsertArticles(batch(0)), writers[1]!.upsertArticles(batch(1))]);
      const records = (await exportAll(store)).filter((record) =>
        record.url.startsWith('https://news.example/race-batch-'),
      );
      expect(records).toHaveLength(10);
      for (const record of records) {
        const writer = Number(record.title.split(' ')[1]);
        expect(record.paragraphs.map((paragraph) => paragraph.text)).toEqual(
          Array.from({ length: 2 + writer }, (_, p) => `w${writer} p${p}`),
        );
      }
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  });

  it('finds an article by a phrase from its body, ranks title matches first, and filters', async () => {
    await store.upsertArticle(
      article('https://news.example/search-body', {
        title: 'Budget debate',
        paragraphs: [
          {
            text: 'The council approved the harbour renovation after a debate that lasted all night.',
            duplicateOf: null,
          },
        ],
      }),
    );
    await store.upsertArticle(
      article('https://news.example/search-title', {
        title: 'Harbour renovation approved',
        feedUrl: 'https://other.example/feed',
        paragraphs: [{ text: 'Work begins in spring, the mayor said, and will take two years.', duplicateOf: null }],
      }),
    );
    const phrase = await store.search('"approved the harbour renovation"');
    expect(phrase.map((hit) => hit.url)).toEqual(['https://news.example/search-body']);
    expect(phrase[0]!.snippet).toMatch(/\[[^\]]*harbour[^\]]*\]/);
    const ranked = await store.search('harbour renovation');
    expect(ranked.map((hit) => hit.url)).toEqual([
      'https://news.example/search-title',
      'https://news.example/search-body',
    ]);
    expect((await store.search('harbour', { feedUrl: 'https://other.example/feed' })).map((hit) => hit.url)).toEqual([
      'https://news.example/search-title',
    ]);
    expect(await store.search('harbour', { limit: 1 })).toHaveLength(1);
    expect(await store.search('zeppelin')).toEqual([]);
    // Query syntax in the input is text, never an error.
    expect(await store.search('harbour AND (NOT title:* "')).toBeInstanceOf(Array);
    const exported = await exportAll(store, { query: 'spring mayor' });
    expect(exported.map((record) => record.url)).toEqual(['https://news.example/search-title']);
  });

  it('keeps the full-text index in step with changed articles', async () => {
    const url = 'https://news.example/reindexed';
    await store.upsertArticle(
      article(url, { paragraphs: [{ text: 'The observatory reopened after the storm.', duplicateOf: null }] }),
    );
    await store.indexPending();
    expect((await store.search('observatory')).map((hit) => hit.url)).toEqual([url]);
    await store.upsertArticle(
      article(url, { paragraphs: [{ text: 'The planetarium reopened after the storm.', duplicateOf: null }] }),
    );
    expect(await store.search('observatory')).toEqual([]);
    expect((await store.search('planetarium')).map((hit) => hit.url)).toEqual([url]);
    expect(await store.indexPending()).toBe(0);
  });

  it('indexes after the write, and keeps the index whole when an article changes or goes before it is indexed', async () => {
    await store.indexPending();
    const text = (words: string) => ({ paragraphs: [{ text: words, duplicateOf: null }] });
    const changed = 'https://news.example/changed-unindexed';
    const pruned = 'https://news.example/pruned-unindexed';
    await store.upsertArticles([
      article(changed, text('The lighthouse reopened.')),
      article(pruned, { ...text('The quarry flooded.'), fetchedAt: '2000-01-01T00:00:00.000Z' }),
      article('https://news.example/kept-unindexed', text('The ferry returned.')),
    ]);
    await store.upsertArticle(article(changed, text('The windmill reopened.')));
    expect(await store.pruneOlderThan('2001-01-01T00:00:00.000Z')).toEqual([pruned]);
    // The changed article waits once, however often it changed; the pruned one waits no more.
    expect(await store.indexPending()).toBe(2);
    expect(await store.search('lighthouse')).toEqual([]);
    expect(await store.search('quarry')).toEqual([]);
    expect((await store.search('windmill')).map((hit) => hit.url)).toEqual([changed]);
    // Changed again once indexed: its old words leave the index.
    await store.upsertArticle(article(changed, text('The granary reopened.')));
    expect(await store.search('windmill')).toEqual([]);
    expect((await store.search('granary')).map((hit) => hit.url)).toEqual([changed]);
    if (databaseUrl.startsWith('file:')) {
      // FTS5 compares its index with the articles' text: a word removed that was never added breaks it.
      const db = new Database(databaseUrl.slice('file:'.length));
      try {
        expect(() =>
          db.exec("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"),
        ).not.toThrow();
      } finally {
        db.close();
      }
    }
  });

  it('records polls in the poll log and the feed health row', async () => {
    const poll = {
      feedUrl: 'https://feeds.example/rss',
      feedName: 'Feeds',
      durationMs: 12,
      etag: '"v1"',
      lastModified: null,
    };
    await store.recordPoll({
      ...poll,
      polledAt: '2021-02-20T10:00:00.000Z',
      status: 'fetched',
      items: 10,
      newItems: 4,
      error: null,
      consecutiveFailures: 0,
    });
    await store.recordPoll({
      ...poll,
      polledAt: '2021-02-20T10:10:00.000Z',
      status: 'failed',
      httpStatus: 503,
      items: null,
      newItems: null,
      error: 'HTTP 503',
      consecutiveFailures: 1,
    });
    const { log, feed } = await readPolls(databaseUrl, poll.feedUrl);
    expect(log).toEqual([
      ['fetched', 10, 4],
      ['failed', null, null],
    ]);
    expect(feed).toMatchObject({ name: 'Feeds', etag: '"v1"', consecutive_failures: 1, last_error: 'HTTP 503' });
    const health = (await store.feedHealth()).find((entry) => entry.url === poll.feedUrl);
    // The latest poll, not the first: its outcome and HTTP status.
    expect(health?.lastPoll).toEqual({ status: 'failed', httpStatus: 503, items: null, newItems: null });
    expect(health?.lastSuccessAt).toBe('2021-02-20T10:00:00.000Z');
  });

  it('lists the latest stored articles newest first, with their paragraphs', async () => {
    await store.upsertArticle(article('https://news.example/latest-1'));
    await store.upsertArticle(article('https://news.example/latest-2'));
    const latest = await store.latestArticles(2);
    expect(latest.map((record) => record.url)).toEqual([
      'https://news.example/latest-2',
      'https://news.example/latest-1',
    ]);
    expect(latest[0]!.paragraphs.length).toBeGreaterThan(0);
    expect(latest[0]!.paragraphs).toEqual((await exportAll(store)).find((r) => r.url === latest[0]!.url)!.paragraphs);
  });

  it('prunes old articles with their paragraphs and versions, and says which', async () => {
    await store.upsertArticle(article('https://news.example/ancient', { fetchedAt: '2000-01-01T00:00:00.000Z' }));
    await store.upsertArticle(
      article('https://news.example/ancient', { fetchedAt: '2000-01-02T00:00:00.000Z', title: 'Changed' }),
    );
    const removed = await store.pruneOlderThan('2001-01-01T00:00:00.000Z');
    expect(removed).toEqual(['https://news.example/ancient']);
    expect((await exportAll(store)).some((record) => record.url === 'https://news.example/ancient')).toBe(false);
    expect(await store.articleVersions('https://news.example/ancient')).toEqual([]);
    expect(await store.pruneOlderThan('2001-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('counts articles', async () => {
    expect(await store.countArticles()).toBe((await exportAll(store)).length);
  });

  it('keeps a feed list: added once, listed, removed, with a version that changes with it', async () => {
    const empty = await store.feedsVersion();
    const feeds = Array.from({ length: 2500 }, (_, i) => ({
      url: `https://site${i}.example/rss`,
      name: i === 0 ? 'Site Zero' : null,
      intervalMs: i === 1 ? 600_000 : null,
      tags: i === 2 ? ['world', 'tech'] : [],
    }));
    expect(await store.addFeeds(feeds)).toBe(2500);
    const full = await store.feedsVersion();
    expect(full).not.toBe(empty);
    // Already there: kept as they were, not counted again.
    expect(
      await store.addFeeds([
        { ...feeds[0]!, name: 'Renamed' },
        { url: 'https://new.example/rss', name: null, intervalMs: null, tags: [] },
      ]),
    ).toBe(1);
    const listed = await store.listFeeds();
    expect(listed).toHaveLength(2501);
    const byUrl = new Map(listed.map((feed) => [feed.url, feed]));
    expect(feeds.slice(0, 3).map((feed) => byUrl.get(feed.url))).toEqual(feeds.slice(0, 3));
    expect(await store.feedsVersion()).not.toBe(full);
    const before = await store.feedsVersion();
    expect(await store.removeFeeds(['https://site5.example/rss', 'https://missing.example/rss'])).toBe(1);
    expect(await store.feedsVersion()).not.toBe(before);
    expect((await store.listFeeds()).map((feed) => feed.url)).not.toContain('https://site5.example/rss');
  });
});

async function readPolls(databaseUrl: string, feedUrl: string) {
  if (databaseUrl.startsWith('file:')) {
    const db = new Database(databaseUrl.slice('file:'.length), { readonly: true });
    try {
      const log = db
        .prepare<[string], { status: string; items: number | null; new_items: number | null }>(
          'SELECT status, items, new_items FROM poll_log WHERE feed_url = ? ORDER BY polled_at',
        )
        .all(feedUrl)
        .map((row) => [row.status, row.items, row.new_items]);
      return { log, feed: db.prepare('SELECT * FROM feeds WHERE url = ?').get(feedUrl) };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const log = (
      await client.query('SELECT status, items, new_items FROM poll_log WHERE feed_url = $1 ORDER BY polled_at', [
        feedUrl,
      ])
    ).rows.map((row: { status: string; items: number | null; new_items: number | null }) => [
      row.status,
      row.items,
      row.new_items,
    ]);
    return { log, feed: (await client.query('SELECT * FROM feeds WHERE url = $1', [feedUrl])).rows[0] };
  } finally {
    await client.end();
  }
}

describe('SQLite full-text index', () => {
  it('answers a search while another process holds the write lock, when nothing waits to be indexed', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'newsflow-fts-'));
    const store = await openStore(`file:${join(directory, 'articles.db')}`);
    const writer = new Database(join(directory, 'articles.db'));
    try {
      await store.upsertArticle(article('https://news.example/locked'));
      expect(await store.indexPending()).toBe(1);
      writer.exec('BEGIN IMMEDIATE');
      // Before indexing takes the write lock, it looks for waiting articles: none, so no wait for the lock.
      expect((await store.search('protests')).map((hit) => hit.url)).toEqual(['https://news.example/locked']);
    } finally {
      writer.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('schema versions', () => {
  it('upgrades a SQLite database made by the first schema, keeping and indexing its articles', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'newsflow-upgrade-'));
    try {
      const path = join(directory, 'old.db');
      const db = new Database(path);
      db.exec(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      db.exec(MIGRATIONS[0]!.sqlite);
      db.prepare(
        "INSERT INTO schema_migrations VALUES (1, 'articles and paragraphs', '2021-01-01T00:00:00.000Z')",
      ).run();
      db.prepare(
        `INSERT INTO articles (url, feed_url, title, fetched_at, text, content_hash) VALUES ('https://old.example/a', 'https://old.example/feed', 'Old story', '2021-01-01T00:00:00.000Z', 'A lighthouse keeper retired after forty years.', 'x')`,
      ).run();
      db.close();
      const store = await openStore(`file:${path}`);
      try {
        expect((await store.search('lighthouse keeper')).map((hit) => hit.url)).toEqual(['https://old.example/a']);
        expect(await store.upsertArticle(article('https://old.example/a'))).toBe('updated');
        // Indexed by the triggers of the schema before migration 8, its old words leave the index all the same.
        expect(await store.search('lighthouse keeper')).toEqual([]);
        expect((await store.search('mass protests')).map((hit) => hit.url)).toEqual(['https://old.example/a']);
        expect((await store.articleVersions('https://old.example/a'))[0]).toMatchObject({
          version: 1,
          title: 'Old story',
        });
      } finally {
        await store.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('upgrades a PostgreSQL database made by the first schema', async () => {
    const database = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      await client.query(MIGRATIONS[0]!.postgres);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES (1, 'articles and paragraphs')");
      await client.query(
        `INSERT INTO articles (url, feed_url, title, fetched_at, text, content_hash, language) VALUES ('https://old.example/a', 'https://old.example/feed', 'Old story', '2021-01-01T00:00:00Z', 'A lighthouse keeper retired after forty years.', 'x', 'en')`,
      );
      await client.end();
      const store = await openStore(database.url);
      try {
        // English stemming: "keepers retiring" finds "keeper retired".
        expect((await store.search('lighthouse keepers retiring')).map((hit) => hit.url)).toEqual([
          'https://old.example/a',
        ]);
        expect(await store.upsertArticle(article('https://old.example/a'))).toBe('updated');
        expect((await store.articleVersions('https://old.example/a'))[0]).toMatchObject({
          version: 1,
          title: 'Old story',
        });
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('lets one storage worker write a SQLite file and refuses a second, naming the first', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'newsflow-lock-'));
    try {
      const url = `file:${join(directory, 'one.db')}`;
      const first = await openStore(url);
      const second = await openStore(url);
      await first.claimWriter();
      await expect(second.claimWriter()).rejects.toThrow(
        new RegExp(`already has a storage worker \\(\\S+ ${process.pid}\\): SQLite takes one writer per file`),
      );
      await first.close();
      await second.claimWriter();
      await second.close();
      // A lock left by a process that no longer runs is taken over.
      writeFileSync(join(directory, 'one.db.writer.lock'), `${hostname()} 999999`);
      const third = await openStore(url);
      await third.claimWriter();
      await third.close();
      // So is one naming our own PID, left by an earlier process (a restarted container's PID 1) ...
      writeFileSync(join(directory, 'one.db.writer.lock'), `${hostname()} ${process.pid}`);
      const fourth = await openStore(url);
      await fourth.claimWriter();
      await fourth.close();
      // ... and one on another host that nobody renewed for a minute.
      const lockPath = join(directory, 'one.db.writer.lock');
      writeFileSync(lockPath, 'elsewhere 1');
      const fifth = await openStore(url);
      await expect(fifth.claimWriter()).rejects.toThrow(/already has a storage worker \(elsewhere 1\)/);
      const aMinuteAgo = new Date(Date.now() - 60_000);
      utimesSync(lockPath, aMinuteAgo, aMinuteAgo);
      await fifth.claimWriter();
      await fifth.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('records the latest migration in PostgreSQL', async () => {
    const database = await createTestDatabase();
    try {
      const store = await openStore(database.url);
      await store.close();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ version: number }>('SELECT max(version) AS version FROM schema_migrations');
      await client.end();
      expect(rows[0]!.version).toBe(LATEST_VERSION);
    } finally {
      await database.drop();
    }
  });

  it('refuses a DATABASE_URL it does not understand', async () => {
    await expect(openStore('mysql://localhost/x')).rejects.toThrow(/expected file:PATH \(SQLite\) or postgres:\/\//);
  });

  it('says which PostgreSQL it could not reach', async () => {
    await expect(openStore('postgres://postgres@127.0.0.1:1/none')).rejects.toThrow(
      /cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/none/,
    );
  });
});
