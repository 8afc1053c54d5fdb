import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ArticleRecord, ExportRecord } from '@newsflow/core';
import { LATEST_VERSION, openStore, type ArticleStore } from '../src/index.ts';
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

  it('counts articles', async () => {
    expect(await store.countArticles()).toBe((await exportAll(store)).length);
  });
});

describe('schema versions', () => {
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
