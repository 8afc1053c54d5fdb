import { describe, expect, it } from 'vitest';
import { PermanentError } from '@newsflow/core';
import { parseFeed } from '../src/index.ts';

function bigFeed(count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Item ${i}</title><link>/story/${i}</link><pubDate>Tue, 02 Jan 2024 10:00:00 CET</pubDate></item>`,
  ).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>${items}</channel></rss>`;
}

describe('parseFeed on large feeds (worker thread)', () => {
  it('parses a 100,000-item feed off the main thread with every item intact', async () => {
    const feed = await parseFeed(bigFeed(100_000), 'https://big.example/feed.xml');
    expect(feed.items).toHaveLength(100_000);
    expect(feed.items[99_999]).toEqual({
      id: 'https://big.example/story/99999',
      title: 'Item 99999',
      link: 'https://big.example/story/99999',
      publishedAt: '2024-01-02T09:00:00.000Z',
      author: null,
      summary: null,
    });
  });

  it('fails with a clear error instead of exhausting memory, and reports malformed XML from the worker', async () => {
    const error = await parseFeed(bigFeed(100_000), undefined, { maxMemoryMb: 32 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).message).toBe('feed too large to parse within 32 MiB');
    await expect(
      parseFeed(`${bigFeed(10).slice(0, -20)}<item><title>x</channel>`, undefined, { offThreadChars: 0 }),
    ).rejects.toThrow(/^malformed rss feed/);
  });
});
