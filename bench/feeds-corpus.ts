/**
 * Runs Python feedparser's test feeds (../shared/corpora/feeds/feedparser, with `expectations.json`) through
 * `parseFeed` and counts what a user of `parse-feed` sees: files parsed, and the identity expectations on the fields
 * it prints (feed title and link; item id, title, link, author), the item summary and item date expectations met. Our fields are
 * plain text where feedparser keeps sanitized HTML: its values are compared as text (tags removed, entities decoded).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes } from '@newsflow/fetch';
import { decodeHTML } from 'entities';
import { parseFeed, type ParsedFeed } from '@newsflow/feeds';
import { CORPORA_DIR } from './corpus.ts';

interface Expectation {
  path: string;
  bozo?: boolean;
  headers?: Record<string, string>;
  checks?: { scope: string; key: string; value: unknown }[];
}

export interface FeedCorpusScore {
  /** Files feedparser parses without flagging them malformed (`bozo`), i.e. the files that are feeds at all. */
  feeds: number;
  parsed: number;
  items: number;
  identityMet: number;
  identityChecks: number;
  summariesMet: number;
  summaryChecks: number;
  datesMet: number;
  dateChecks: number;
  failures: { path: string; reason: string }[];
  parseMs: number;
}

const IDENTITY_KEYS = new Set(['title', 'link', 'id', 'author']);
/** feedparser's entry `description` is its `summary` under another name; both map to our item `summary`. */
const SUMMARY_KEYS = new Set(['summary', 'description']);
/** Every entry date feedparser parses maps to our one `publishedAt` (the first of published, issued, created, updated). */
const DATE_KEYS: Record<string, boolean> = { published_parsed: true, updated_parsed: true, created_parsed: true };

/** feedparser's value as the plain text a reader sees: tags removed, then entities decoded. */
const expectedText = (value: unknown) =>
  decodeHTML(String(value ?? '').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
/** Ours is plain text already. */
const ourText = (value: unknown) =>
  String(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();

export async function scoreFeedCorpus(): Promise<FeedCorpusScore> {
  const directory = join(CORPORA_DIR, 'feeds/feedparser');
  const expectations = JSON.parse(readFileSync(join(directory, 'expectations.json'), 'utf8')) as Expectation[];
  const score: FeedCorpusScore = {
    feeds: 0,
    parsed: 0,
    items: 0,
    identityMet: 0,
    identityChecks: 0,
    summariesMet: 0,
    summaryChecks: 0,
    datesMet: 0,
    dateChecks: 0,
    failures: [],
    parseMs: 0,
  };
  for (const expectation of expectations) {
    if (expectation.bozo === true) continue;
    score.feeds++;
    const bytes = readFileSync(join(directory, expectation.path));
    let feed: ParsedFeed;
    const started = performance.now();
    try {
      feed = await parseFeed(
        decodeBytes(bytes, expectation.headers?.['content-type']).text,
        'http://example.org/feed.xml',
      );
    } catch (error) {
      score.failures.push({ path: expectation.path, reason: (error as Error).message });
      continue;
    } finally {
      score.parseMs += performance.now() - started;
    }
    score.parsed++;
    score.items += feed.items.length;
    for (const check of expectation.checks ?? []) {
      const target: Record<string, unknown> | undefined =
        check.scope === 'feed'
          ? (feed as unknown as Record<string, unknown>)
          : (feed.items[0] as unknown as Record<string, unknown> | undefined);
      // parse-feed prints a feed's title and link, and each item's id, title, link and author.
      if (IDENTITY_KEYS.has(check.key) && (check.scope !== 'feed' || check.key === 'title' || check.key === 'link')) {
        score.identityChecks++;
        if (ourText(target?.[check.key]) === expectedText(check.value)) score.identityMet++;
      } else if (SUMMARY_KEYS.has(check.key) && check.scope !== 'feed') {
        score.summaryChecks++;
        if (ourText(target?.summary) === expectedText(check.value)) score.summariesMet++;
      } else if (DATE_KEYS[check.key] && check.scope !== 'feed' && Array.isArray(check.value)) {
        score.dateChecks++;
        const [year, month, day, hour, minute, second] = check.value as number[];
        const expected = new Date(Date.UTC(year!, month! - 1, day, hour, minute, second)).toISOString();
        if (target?.publishedAt === expected) score.datesMet++;
      }
    }
  }
  return score;
}
