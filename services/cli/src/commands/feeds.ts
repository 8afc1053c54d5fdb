import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import {
  ConfigError,
  errorMessage,
  formatDuration,
  loadConfig,
  parseConfig,
  type FeedConfig,
  type FetchSettings,
} from '@newsflow/core';
import { decodeBytes, fetchUrl } from '@newsflow/fetch';
import { findFeedLinks, formatOpml, parseFeed, parseOpml } from '@newsflow/feeds';
import type { ArticleStore, FeedHealth, StoredFeed } from '@newsflow/storage';

/** `newsflow feeds list`: one line per feed with its name and interval. */
export function listFeeds(configPath: string): string {
  const config = loadConfig(configPath);
  if (config.feeds.length === 0) return `no feeds in ${configPath}; add one with \`newsflow feeds add URL\``;
  return config.feeds.map((feed) => `${feed.url}\t${feed.name}\tevery ${formatDuration(feed.intervalMs)}`).join('\n');
}

/**
 * `newsflow feeds add URL [--name N]` and `feeds remove URL`: edit the feed list in place, keeping the file's
 * comments and layout, and write it only if the result is a valid config.
 */
export function addFeed(configPath: string, url: string, name?: string): string {
  const doc = parseDocument(readFileSync(configPath, 'utf8'));
  let feeds = doc.get('feeds');
  if (!isSeq(feeds)) {
    feeds = new YAMLSeq();
    doc.set('feeds', feeds);
  }
  const entry = doc.createNode(name ? { url, name } : { url });
  (feeds as YAMLSeq).items.push(entry);
  return save(doc.toString(), configPath, `added ${url}`);
}

/**
 * `newsflow feeds import FILE.opml`: adds every subscription not in the config yet (the same URL in another spelling
 * counts as there), with its title as name and its folders as tags; the file is written once, if valid.
 */
export function importFeeds(configPath: string, opmlPath: string): string {
  const imported = parseOpml(readFileSync(opmlPath, 'utf8'));
  const doc = parseDocument(readFileSync(configPath, 'utf8'));
  let feeds = doc.get('feeds');
  if (!isSeq(feeds)) {
    feeds = new YAMLSeq();
    doc.set('feeds', feeds);
  }
  const known = new Set(loadConfig(configPath).feeds.map((feed) => spelled(feed.url)));
  let added = 0;
  for (const feed of imported) {
    if (!isHttpUrl(feed.url) || known.has(spelled(feed.url))) continue;
    known.add(spelled(feed.url));
    (feeds as YAMLSeq).items.push(
      doc.createNode({
        url: feed.url,
        ...(feed.title ? { name: feed.title } : {}),
        ...(feed.tags.length > 0 ? { tags: feed.tags } : {}),
      }),
    );
    added++;
  }
  return save(doc.toString(), configPath, `imported ${added} of ${imported.length} feeds from ${opmlPath}`);
}

/**
 * `newsflow feeds import FILE --db`: an OPML file's subscriptions, or a list of URLs (one per line, `#` comments),
 * into the database's feed list, for lists too long for a config file. Feeds already there are kept as they are;
 * lines that are not http(s) URLs are reported by number and skipped.
 */
export async function importFeedsIntoDatabase(store: ArticleStore, path: string): Promise<string> {
  const text = readFileSync(path, 'utf8');
  const feeds: StoredFeed[] = [];
  const skipped: string[] = [];
  if (/<opml\b/i.test(text)) {
    for (const feed of parseOpml(text)) {
      if (isHttpUrl(feed.url))
        feeds.push({ url: spelled(feed.url), name: feed.title, intervalMs: null, tags: feed.tags });
      else skipped.push(`outline ${JSON.stringify(feed.url)}: not an http(s) URL`);
    }
  } else {
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.replace(/#.*$/, '').trim();
      if (!line) return;
      if (isHttpUrl(line)) feeds.push({ url: spelled(line), name: null, intervalMs: null, tags: [] });
      else skipped.push(`line ${index + 1}: not an http(s) URL: ${JSON.stringify(line.slice(0, 200))}`);
    });
  }
  const added = await store.addFeeds(feeds);
  const summary = `imported ${added} new of ${feeds.length} feeds from ${path} into the database (${store.description})`;
  return skipped.length === 0
    ? summary
    : `${summary}; skipped ${skipped.length}:\n${skipped.slice(0, 20).join('\n')}${skipped.length > 20 ? `\n… and ${skipped.length - 20} more` : ''}`;
}

/** `newsflow feeds list --db`: the database's feed list, as `feeds list` prints the config's. */
export async function listDatabaseFeeds(store: ArticleStore): Promise<string> {
  const feeds = await store.listFeeds();
  if (feeds.length === 0) return `no feeds in the database; add some with \`newsflow feeds import FILE --db\``;
  return feeds
    .map(
      (feed) =>
        `${feed.url}\t${feed.name ?? ''}\t${feed.intervalMs ? `every ${formatDuration(feed.intervalMs)}` : 'default interval'}`,
    )
    .join('\n');
}

/** `newsflow feeds export`: the config's feeds as OPML 2.0. */
export function exportFeeds(configPath: string): string {
  return formatOpml(loadConfig(configPath).feeds);
}

function spelled(url: string): string {
  return new URL(url).href;
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, text/html;q=0.8, */*;q=0.5';

/**
 * What `feeds add` adds: the URL itself when it answers with a feed, or the first feed a web page announces
 * (`<link rel="alternate">`), with the feed's title. Anything else is refused with the reason.
 */
export async function resolveFeed(url: string, fetch: FetchSettings): Promise<{ url: string; title: string | null }> {
  const read = async (target: string) => {
    const response = await fetchUrl(target, { ...fetch, accept: FEED_ACCEPT });
    return { text: decodeBytes(response.body, response.contentType).text, finalUrl: response.url };
  };
  let page;
  try {
    page = await read(url);
  } catch (error) {
    throw new ConfigError(`cannot add ${url}: ${errorMessage(error)} (--no-check adds it without looking)`);
  }
  try {
    return { url, title: (await parseFeed(page.text, page.finalUrl)).title };
  } catch (notAFeed) {
    const announced = findFeedLinks(page.text, page.finalUrl)[0];
    if (!announced)
      throw new ConfigError(
        `cannot add ${url}: ${errorMessage(notAFeed)}, and the page announces no feed (<link rel="alternate">)`,
      );
    try {
      const feed = await read(announced);
      return { url: announced, title: (await parseFeed(feed.text, feed.finalUrl)).title };
    } catch (error) {
      throw new ConfigError(`cannot add ${announced} (announced by ${url}): ${errorMessage(error)}`);
    }
  }
}

export function removeFeed(configPath: string, url: string): string {
  const doc = parseDocument(readFileSync(configPath, 'utf8'));
  const feeds = doc.get('feeds');
  const index = isSeq(feeds) ? feeds.items.findIndex((item) => isMap(item) && item.get('url') === url) : -1;
  if (index < 0) throw new ConfigError(`${configPath}: no feed with url ${url}`);
  (feeds as YAMLSeq).items.splice(index, 1);
  return save(doc.toString(), configPath, `removed ${url}`);
}

function save(text: string, configPath: string, done: string): string {
  // Validated before writing: a rejected edit leaves the file as it was, with the reason (duplicate, bad URL…).
  parseConfig(text, configPath);
  writeFileSync(configPath, text);
  return `${done} in ${configPath}`;
}

/** After this many failed polls in a row a feed is reported stale (the feed-fetcher logs it at the same count). */
const STALE_AFTER_FAILURES = 5;

export interface FeedHealthRow extends Omit<FeedHealth, 'name'> {
  name: string | null;
  status: 'ok' | 'failing' | 'stale' | 'never polled';
}

/**
 * `newsflow feeds health`: every feed in the config or the poll log, its status, last success, failures in a row,
 * new items per day over the last week and last error. Feeds only in the database were removed from the config.
 */
export function feedHealthRows(configured: FeedConfig[], polled: FeedHealth[]): FeedHealthRow[] {
  const byUrl = new Map(polled.map((feed) => [feed.url, feed]));
  const urls = [...new Set([...configured.map((feed) => feed.url), ...polled.map((feed) => feed.url)])];
  return urls.map((url) => {
    const feed = byUrl.get(url);
    const name = configured.find((entry) => entry.url === url)?.name ?? feed?.name ?? null;
    if (!feed || feed.polls === 0)
      return {
        url,
        name,
        status: 'never polled',
        lastPolledAt: null,
        lastSuccessAt: null,
        consecutiveFailures: 0,
        lastError: null,
        newItemsPerDay: 0,
        polls: 0,
        lastPoll: null,
      };
    const status =
      feed.consecutiveFailures >= STALE_AFTER_FAILURES ? 'stale' : feed.consecutiveFailures > 0 ? 'failing' : 'ok';
    return { ...feed, name, status };
  });
}

export function formatFeedHealth(rows: FeedHealthRow[], now = Date.now()): string {
  if (rows.length === 0) return 'no feeds configured or polled yet';
  const ago = (iso: string | null) => (iso ? `${formatDuration(Math.max(0, now - Date.parse(iso)))} ago` : '-');
  const header = ['status', 'http', 'feed', 'last success', 'failures', 'new/day', 'last error'];
  const table = rows.map((row) => [
    row.status,
    String(row.lastPoll?.httpStatus ?? '-'),
    row.name && row.name !== row.url ? `${row.url} (${row.name})` : row.url,
    ago(row.lastSuccessAt),
    String(row.consecutiveFailures),
    String(row.newItemsPerDay),
    row.consecutiveFailures > 0 ? (row.lastError ?? '').slice(0, 80) : '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column]!.length)));
  return [header, ...table]
    .map((cells) =>
      cells
        .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
