import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { ConfigError, formatDuration, loadConfig, parseConfig } from '@newsflow/core';

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
