import { describe, expect, it } from 'vitest';
import type { ArticleRecord } from '@newsflow/core';
import { WriteBatcher, type WriteResult } from '../src/index.ts';

const article = (url: string) => ({ url }) as ArticleRecord;

describe('WriteBatcher', () => {
  it('groups concurrent writes into batches and resolves each only after its batch committed', async () => {
    const batches: string[][] = [];
    let commits = 0;
    const store = {
      async upsertArticles(articles: ArticleRecord[]): Promise<WriteResult[]> {
        batches.push(articles.map((entry) => entry.url));
        await new Promise((resolve) => setTimeout(resolve, 5));
        commits++;
        return articles.map(() => ({ ok: true, outcome: 'inserted' }));
      },
    };
    const batcher = new WriteBatcher(store, 3, 10);
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(async (url) => {
        const outcome = await batcher.upsertArticle(article(url));
        return { url, outcome, committedBatches: commits };
      }),
    );
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(outcomes.map((entry) => [entry.url, entry.outcome, entry.committedBatches])).toEqual([
      ['a', 'inserted', 1],
      ['b', 'inserted', 1],
      ['c', 'inserted', 1],
      ['d', 'inserted', 2],
      ['e', 'inserted', 2],
    ]);
  });

  it('fails every write of a batch that did not commit', async () => {
    const batcher = new WriteBatcher({ upsertArticles: async () => Promise.reject(new Error('disk full')) }, 10, 1);
    const results = await Promise.allSettled([
      batcher.upsertArticle(article('a')),
      batcher.upsertArticle(article('b')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('fails only the write whose article failed, and resolves its batch-mates', async () => {
    const refused = new Error('invalid byte sequence');
    const batcher = new WriteBatcher(
      {
        upsertArticles: async (articles: ArticleRecord[]): Promise<WriteResult[]> =>
          articles.map((entry) =>
            entry.url === 'b' ? { ok: false, error: refused } : { ok: true, outcome: 'inserted' },
          ),
      },
      10,
      1,
    );
    const results = await Promise.allSettled(['a', 'b', 'c'].map((url) => batcher.upsertArticle(article(url))));
    expect(results).toEqual([
      { status: 'fulfilled', value: 'inserted' },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 'inserted' },
    ]);
  });
});
