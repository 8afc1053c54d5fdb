import { describe, expect, it } from 'vitest';
import { formatProgress, formatSummary, type RunSummary } from '../src/commands/run-once.ts';

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    feeds: 2,
    feedsFailed: 0,
    items: 50,
    newItems: 40,
    stored: 20,
    unchanged: 0,
    duplicateParagraphs: 3,
    republications: 1,
    failed: 0,
    failures: [],
    durationMs: 4000,
    timedOut: false,
    ...overrides,
  };
}

describe('run --once output', () => {
  it('shows progress with a rate and the time left for the items found', () => {
    const line = formatProgress({ feeds: 4, polled: 2, scraped: 25, deduplicated: 22 }, summary(), 2000);
    expect(line).toBe('feeds 2/4 · scraped 25 · deduplicated 22 · stored 20 · failed 0 · 10.0/s · ETA 2 s');
  });

  it('ends with the failures grouped by reason, three examples each, most frequent first', () => {
    const failures = [
      ...[1, 2, 3, 4].map((i) => ({
        stage: 'article-scrape',
        url: `https://a.example/${i}`,
        reason: `HTTP 404 from https://a.example/${i}`,
      })),
      { stage: 'feed-fetch', url: 'https://b.example/rss', reason: 'not a feed: expected RSS, Atom or JSON Feed' },
    ];
    const text = formatSummary(summary({ failed: 5, failures }));
    expect(text).toContain(
      [
        'failed: 5',
        '  4× article-scrape: HTTP 404 from <url>',
        '      https://a.example/1: HTTP 404 from https://a.example/1',
        '      https://a.example/2: HTTP 404 from https://a.example/2',
        '      https://a.example/3: HTTP 404 from https://a.example/3',
        '  1× feed-fetch: not a feed: expected RSS, Atom or JSON Feed',
        '      https://b.example/rss: not a feed: expected RSS, Atom or JSON Feed',
      ].join('\n'),
    );
  });
});
