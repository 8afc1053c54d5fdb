import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../src/index.ts';

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, 'feeds.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('applies defaults and per-feed intervals', () => {
    const config = parseConfig(`
feeds:
  - url: https://example.org/rss.xml
    name: Example
    interval: 10m
  - url: https://example.com/atom.xml
defaults: { interval: 1h }
fetch: { timeoutMs: 5000 }
`);
    expect(config.feeds).toEqual([
      { url: 'https://example.org/rss.xml', name: 'Example', intervalMs: 600_000, tags: [] },
      { url: 'https://example.com/atom.xml', name: 'example.com', intervalMs: 3_600_000, tags: [] },
    ]);
    expect(config.fetch.timeoutMs).toBe(5000);
    expect(config.fetch.allowPrivateNetworks).toBe(false);
    expect(config.fetch.maxBytes).toBe(10 * 1024 * 1024);
    expect(config.dedup.minWords).toBe(8);
  });

  it('takes per-stage concurrency and extraction threads, with defaults for the rest', () => {
    const config = parseConfig('workers: { scrape: 4, extractThreads: 0 }\n');
    expect(config.workers).toEqual({ feedFetch: 4, scrape: 4, dedup: 8, store: 32, extractThreads: 0 });
    expect(parseConfig('').workers.extractThreads).toBeUndefined();
    expect(problemsOf('workers:\n  scrape: 0\n')).toEqual([
      'feeds.yaml:2: workers.scrape: Too small: expected number to be >=1',
    ]);
  });

  it('accepts the shipped example', () => {
    const config = parseConfig(readFileSync(new URL('../../../config/feeds.yaml', import.meta.url), 'utf8'));
    expect(config.feeds.length).toBeGreaterThan(2);
    expect(config.feeds.every((feed) => feed.url.startsWith('https://'))).toBe(true);
  });

  it('names the line, key and allowed keys of an unknown key', () => {
    const [problem] = problemsOf('feeds:\n  - url: https://example.org/rss\n    intervall: 5m\n');
    expect(problem).toBe(
      'feeds.yaml:3: feeds[0].intervall: unknown key "intervall" (allowed: url, name, interval, tags, extract)',
    );
  });

  it('names the line and what is allowed for a bad value', () => {
    const problems = problemsOf(
      'feeds:\n  - url: https://example.org/rss\n  - url: ftp://example.org/x\n    interval: soon\n',
    );
    expect(problems).toContain('feeds.yaml:3: feeds[1].url: expected an http(s) URL (got "ftp://example.org/x")');
    expect(problems).toContain(
      'feeds.yaml:4: feeds[1].interval: expected a duration of at least 10s such as 30s, 10m or 1h (got "soon")',
    );
  });

  it('reports a missing required key at its item', () => {
    const [problem] = problemsOf('feeds:\n  - name: No URL\n');
    expect(problem).toMatch(/^feeds\.yaml:2: feeds\[0\]\.url: required key is missing/);
  });

  it('reports YAML syntax errors with their line', () => {
    const [problem] = problemsOf('feeds:\n  - url: https://example.org/rss\n   name: [unclosed\n');
    expect(problem).toMatch(/^feeds\.yaml:3: invalid YAML/);
  });

  it('rejects a feed listed twice', () => {
    const [problem] = problemsOf('feeds:\n  - url: https://example.org/rss\n  - url: https://example.org/rss\n');
    expect(problem).toBe('feeds.yaml:3: feeds[1].url: duplicate feed URL https://example.org/rss');
  });

  it('rejects the same feed spelled in another case', () => {
    const [problem] = problemsOf('feeds:\n  - url: HTTP://Example.org/rss\n  - url: http://example.org/rss\n');
    expect(problem).toBe(
      'feeds.yaml:3: feeds[1].url: duplicate feed URL http://example.org/rss (also listed as HTTP://Example.org/rss)',
    );
  });

  it('says a key has the wrong type, not that it is missing', () => {
    const [problem] = problemsOf('fetch:\n  timeoutMs: "fast"\n');
    expect(problem).toBe('feeds.yaml:2: fetch.timeoutMs: expected number (got "fast")');
  });

  it('checks types in nested sections', () => {
    const [problem] = problemsOf('fetch:\n  allowPrivateNetworks: "yes"\n');
    expect(problem).toMatch(/^feeds\.yaml:2: fetch\.allowPrivateNetworks: .*boolean/);
  });
});
