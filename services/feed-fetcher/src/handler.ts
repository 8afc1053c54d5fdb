import type { Redis } from 'ioredis';
import {
  errorMessage,
  pollLogKey,
  pollRecord,
  seenKey,
  SEEN_TTL_SECONDS,
  TransientError,
  urlKey,
  type ArticleScrapePayload,
  type Config,
  type FeedFetchPayload,
  type PollRecord,
  type StageContext,
} from '@newsflow/core';
import { decodeBytes, fetchUrl, nextPollDelayMs } from '@newsflow/fetch';
import { canonicalizeUrl, parseFeed } from '@newsflow/feeds';

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

export interface FeedFetcherDeps {
  redis: Redis;
  prefix: string;
  config: Config;
  enqueueScrape(payload: ArticleScrapePayload, jobId: string): Promise<void>;
}

/** After this many consecutive failed polls a feed is reported stale (once, until it recovers). */
export const STALE_AFTER_FAILURES = 5;

export type FeedFetchResult =
  | { status: 'not-modified' }
  | { status: 'skipped'; nextPollAt: string }
  | { status: 'fetched'; format: string; items: number; newItems: number };

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
  const now = Date.now();
  const feedConfig = deps.config.feeds.find((feed) => feed.url === payload.feedUrl);
  const intervalMs = feedConfig?.intervalMs ?? deps.config.defaults.intervalMs;
  // A scheduled poll that comes before the time the server or the backoff asked for is skipped; a person's is not.
  const nextPollAt = Number(state.nextPollAt ?? 0);
  if (!payload.manual && nextPollAt > now) return { status: 'skipped', nextPollAt: new Date(nextPollAt).toISOString() };
  // Schedules fire at the interval; a little slack keeps the next one from being skipped for a few milliseconds.
  const slackMs = Math.min(intervalMs / 10, 30_000);
  const feedName = feedConfig?.name ?? null;
  const logPoll = (poll: Omit<PollRecord, 'feedUrl' | 'feedName' | 'polledAt' | 'durationMs'>) =>
    appendPollLog(deps.redis, deps.prefix, {
      feedUrl: payload.feedUrl,
      feedName,
      polledAt: new Date(now).toISOString(),
      durationMs: Date.now() - now,
      ...poll,
    });
  try {
    const response = await fetchUrl(payload.feedUrl, {
      ...deps.config.fetch,
      accept: FEED_ACCEPT,
      etag: state.etag || null,
      lastModified: state.lastModified || null,
    });
    await context.progress(30);
    if (response.notModified) {
      await logPoll({ status: 'not-modified', items: null, newItems: null, error: null, consecutiveFailures: 0 });
      await recordSuccess(
        deps.redis,
        stateKey,
        now + nextPollDelayMs({ intervalMs, failures: 0, freshnessMs: response.freshnessMs }) - slackMs,
      );
      return { status: 'not-modified' };
    }
    const feed = await parseFeed(decodeBytes(response.body, response.contentType).text, response.url);
    await context.progress(60);

    let newItems = 0;
    for (const item of feed.items) {
      const url = item.link ? canonicalizeUrl(item.link) : null;
      if (!url) continue;
      const seen = seenKey(deps.prefix, url);
      if (await deps.redis.exists(seen)) continue;
      // Enqueue before marking seen: a crash in between repeats an item (the job id absorbs it), never loses one.
      await deps.enqueueScrape(
        {
          url,
          feedUrl: payload.feedUrl,
          hints: { title: item.title, author: item.author, publishedAt: item.publishedAt },
        },
        `scrape-${urlKey(url)}`,
      );
      if ((await deps.redis.set(seen, '1', 'EX', SEEN_TTL_SECONDS, 'NX')) === 'OK') newItems++;
    }
    const delayMs = nextPollDelayMs({
      intervalMs,
      failures: 0,
      freshnessMs: response.freshnessMs,
      ttlMs: feed.ttlMinutes === null ? null : feed.ttlMinutes * 60_000,
    });
    await deps.redis.hset(stateKey, { etag: response.etag ?? '', lastModified: response.lastModified ?? '' });
    await recordSuccess(deps.redis, stateKey, now + delayMs - slackMs);
    await logPoll({
      status: 'fetched',
      items: feed.items.length,
      newItems,
      error: null,
      etag: response.etag,
      lastModified: response.lastModified,
      consecutiveFailures: 0,
    });
    return { status: 'fetched', format: feed.format, items: feed.items.length, newItems };
  } catch (error) {
    const failures = await deps.redis.hincrby(stateKey, 'failures', 1);
    const retryAfterMs = error instanceof TransientError ? (error.retryAfterMs ?? null) : null;
    const delayMs = nextPollDelayMs({ intervalMs, failures, retryAfterMs });
    await deps.redis.hset(stateKey, {
      lastError: errorMessage(error),
      lastFailedAt: new Date(now).toISOString(),
      nextPollAt: now + delayMs - slackMs,
    });
    context.log.warn({ failures, nextPollInMs: delayMs, reason: errorMessage(error) }, 'feed poll failed');
    await logPoll({
      status: 'failed',
      items: null,
      newItems: null,
      error: errorMessage(error),
      consecutiveFailures: failures,
    });
    if (failures === STALE_AFTER_FAILURES) {
      context.log.error(
        { failures, lastSuccessAt: state.lastSuccessAt || null, lastError: errorMessage(error), nextPollInMs: delayMs },
        `feed is stale: ${failures} polls in a row failed; polling it less often until it answers again`,
      );
    }
    throw error;
  }
}

/** Poll records wait in a capped Redis list until a storage worker writes them to the poll log. */
const POLL_LOG_CAP = 10_000;

async function appendPollLog(redis: Redis, prefix: string, poll: PollRecord): Promise<void> {
  await redis
    .multi()
    .lpush(pollLogKey(prefix), JSON.stringify(pollRecord.parse(poll)))
    .ltrim(pollLogKey(prefix), 0, POLL_LOG_CAP - 1)
    .exec();
}

async function recordSuccess(redis: Redis, stateKey: string, nextPollAt: number): Promise<void> {
  await redis.hset(stateKey, {
    lastPolledAt: new Date().toISOString(),
    lastSuccessAt: new Date().toISOString(),
    failures: 0,
    lastError: '',
    nextPollAt: Math.round(nextPollAt),
  });
}
