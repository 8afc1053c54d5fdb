import type { Redis } from 'ioredis';
import {
  errorMessage,
  urlKey,
  type ArticleScrapePayload,
  type Config,
  type FeedFetchPayload,
  type StageContext,
} from '@newsflow/core';
import { decodeBytes, fetchUrl } from '@newsflow/fetch';
import { canonicalizeUrl, parseFeed } from '@newsflow/feeds';

/** How long a seen article URL is remembered: longer than any feed keeps an item. */
const SEEN_TTL_SECONDS = 90 * 24 * 3600;
const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

export interface FeedFetcherDeps {
  redis: Redis;
  prefix: string;
  config: Config;
  enqueueScrape(payload: ArticleScrapePayload, jobId: string): Promise<void>;
}

export type FeedFetchResult =
  { status: 'not-modified' } | { status: 'fetched'; format: string; items: number; newItems: number };

export function feedStateKey(prefix: string, feedUrl: string): string {
  return `${prefix}:feed:${urlKey(feedUrl)}`;
}

/**
 * Polls one feed: a conditional GET with the validators of the last poll, then one scrape job per item whose
 * canonical URL was not seen before (from this feed or any other). Failures are recorded as the feed's health.
 */
export async function fetchFeed(
  payload: FeedFetchPayload,
  deps: FeedFetcherDeps,
  context: StageContext,
): Promise<FeedFetchResult> {
  const stateKey = feedStateKey(deps.prefix, payload.feedUrl);
  const state = await deps.redis.hgetall(stateKey);
  try {
    const response = await fetchUrl(payload.feedUrl, {
      ...deps.config.fetch,
      accept: FEED_ACCEPT,
      etag: state.etag ?? null,
      lastModified: state.lastModified ?? null,
    });
    await context.progress(30);
    if (response.notModified) {
      await deps.redis.hset(stateKey, { lastPolledAt: new Date().toISOString(), failures: 0 });
      return { status: 'not-modified' };
    }
    const feed = await parseFeed(decodeBytes(response.body, response.contentType).text, response.url);
    await context.progress(60);

    let newItems = 0;
    for (const item of feed.items) {
      const url = item.link ? canonicalizeUrl(item.link) : null;
      if (!url) continue;
      const seenKey = `${deps.prefix}:seen:${urlKey(url)}`;
      if (await deps.redis.exists(seenKey)) continue;
      // Enqueue before marking seen: a crash in between repeats an item (the job id absorbs it), never loses one.
      await deps.enqueueScrape(
        {
          url,
          feedUrl: payload.feedUrl,
          hints: { title: item.title, author: item.author, publishedAt: item.publishedAt },
        },
        `scrape-${urlKey(url)}`,
      );
      if ((await deps.redis.set(seenKey, '1', 'EX', SEEN_TTL_SECONDS, 'NX')) === 'OK') newItems++;
    }
    await deps.redis.hset(stateKey, {
      etag: response.etag ?? '',
      lastModified: response.lastModified ?? '',
      lastPolledAt: new Date().toISOString(),
      failures: 0,
      lastError: '',
    });
    return { status: 'fetched', format: feed.format, items: feed.items.length, newItems };
  } catch (error) {
    const failures = await deps.redis.hincrby(stateKey, 'failures', 1);
    await deps.redis.hset(stateKey, { lastError: errorMessage(error), lastFailedAt: new Date().toISOString() });
    context.log.warn({ failures, reason: errorMessage(error) }, 'feed poll failed');
    throw error;
  }
}
