import type { ChainableCommander } from 'ioredis';
import {
  errorMessage,
  feedConsecutiveFailures,
  feedLastSuccessSeconds,
  SEEN_TTL_SECONDS,
  seenKey,
  TransientError,
  urlKey,
  type ArticleScrapePayload,
  type Config,
  type FeedFetchPayload,
  type PollRecord,
  type StageContext,
  type RedisClient,
} from '@newsflow/core';
import { decodeBytes, fetchUrl, nextPollDelayMs } from '@newsflow/fetch';
import { canonicalizeUrl, FeedPollState, parseFeed, type FeedItem } from '@newsflow/feeds';

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

export interface FeedFetcherDeps {
  redis: RedisClient;
  prefix: string;
  config: Config;
  /** Adds the jobs together (one round trip): a feed's new items arrive in one batch. */
  enqueueScrapes(jobs: { payload: ArticleScrapePayload; jobId: string }[]): Promise<void>;
}

/** After this many consecutive failed polls a feed is reported stale (once, until it recovers). */
export const STALE_AFTER_FAILURES = 5;

export type FeedFetchResult =
  | { status: 'not-modified' }
  | { status: 'skipped'; nextPollAt: string }
  | { status: 'fetched'; format: string; items: number; newItems: number };

/**
 * Polls one feed: a conditional GET with the validators of the last poll, then one scrape job per item whose
 * canonical URL was not seen before (from this feed or any other). Failures are recorded as the feed's health.
 */
export async function fetchFeed(
  payload: FeedFetchPayload,
  deps: FeedFetcherDeps,
  context: StageContext,
): Promise<FeedFetchResult> {
  const state = new FeedPollState(deps.redis, deps.prefix, payload.feedUrl);
  const previous = await state.read();
  const now = Date.now();
  const feedConfig = deps.config.feeds.find((feed) => feed.url === payload.feedUrl);
  const intervalMs = feedConfig?.intervalMs ?? deps.config.defaults.intervalMs;
  // A scheduled poll that comes before the time the server or the backoff asked for is skipped; a person's is not.
  if (!payload.manual && previous.nextPollAt > now)
    return { status: 'skipped', nextPollAt: new Date(previous.nextPollAt).toISOString() };
  // Schedules fire at the interval; a little slack keeps the next one from being skipped for a few milliseconds.
  const slackMs = Math.min(intervalMs / 10, 30_000);
  const report = (poll: Omit<PollRecord, 'feedUrl' | 'feedName' | 'polledAt' | 'durationMs'>) =>
    state.report({
      feedUrl: payload.feedUrl,
      feedName: feedConfig?.name ?? payload.feed?.name ?? null,
      polledAt: new Date(now).toISOString(),
      durationMs: Date.now() - now,
      ...poll,
    });
  try {
    const response = await fetchUrl(payload.feedUrl, {
      ...deps.config.fetch,
      accept: FEED_ACCEPT,
      etag: previous.etag,
      lastModified: previous.lastModified,
    });
    await context.progress(30);
    if (response.notModified) {
      const delayMs = nextPollDelayMs({ intervalMs, failures: 0, freshnessMs: response.freshnessMs });
      await state.recordSuccess(now + delayMs - slackMs);
      recordFeedHealth(payload.feedUrl, 0);
      await report({
        status: 'not-modified',
        httpStatus: response.status,
        items: null,
        newItems: null,
        error: null,
        consecutiveFailures: 0,
      });
      return { status: 'not-modified' };
    }
    const feed = await parseFeed(decodeBytes(response.body, response.contentType).text, response.url);
    await context.progress(60);
    const newItems = await enqueueNewItems(feed.items, payload, deps);
    const ttlMs = feed.ttlMinutes === null ? null : feed.ttlMinutes * 60_000;
    const delayMs = nextPollDelayMs({ intervalMs, failures: 0, freshnessMs: response.freshnessMs, ttlMs });
    await state.recordSuccess(now + delayMs - slackMs, response);
    recordFeedHealth(payload.feedUrl, 0);
    await report({
      status: 'fetched',
      httpStatus: response.status,
      items: feed.items.length,
      newItems,
      error: null,
      etag: response.etag,
      lastModified: response.lastModified,
      consecutiveFailures: 0,
    });
    return { status: 'fetched', format: feed.format, items: feed.items.length, newItems };
  } catch (error) {
    const reason = errorMessage(error);
    const retryAfterMs = error instanceof TransientError ? (error.retryAfterMs ?? null) : null;
    const delayFor = (failures: number) => nextPollDelayMs({ intervalMs, failures, retryAfterMs }) - slackMs;
    const failures = await state.recordFailure(reason, now, delayFor);
    recordFeedHealth(payload.feedUrl, failures);
    context.log.warn({ failures, nextPollInMs: delayFor(failures), reason }, 'feed poll failed');
    await report({
      status: 'failed',
      httpStatus: httpStatusOf(error),
      items: null,
      newItems: null,
      error: reason,
      consecutiveFailures: failures,
    });
    if (failures === STALE_AFTER_FAILURES) {
      context.log.error(
        { failures, lastSuccessAt: previous.lastSuccessAt, lastError: reason, nextPollInMs: delayFor(failures) },
        `feed is stale: ${failures} polls in a row failed; polling it less often until it answers again`,
      );
    }
    throw error;
  }
}

/** Fetch errors for an HTTP answer carry its status in their code (`http_404`); others had no answer. */
function httpStatusOf(error: unknown): number | null {
  const code = /^http_(\d{3})$/.exec((error as { code?: unknown }).code as string)?.[1];
  return code ? Number(code) : null;
}

function recordFeedHealth(feedUrl: string, failures: number): void {
  feedConsecutiveFailures.set({ feed: feedUrl }, failures);
  if (failures === 0) feedLastSuccessSeconds.set({ feed: feedUrl }, Date.now() / 1000);
}

/**
 * One scrape job per item whose canonical URL no feed brought before. The jobs go in before their URLs are marked
 * seen: a crash in between repeats items (the job ids absorb them), never loses one. Three round trips per batch of
 * items (which URLs are seen, the jobs, the marks) instead of three per item.
 */
async function enqueueNewItems(items: FeedItem[], poll: FeedFetchPayload, deps: FeedFetcherDeps): Promise<number> {
  const itemsByUrl = new Map<string, FeedItem>();
  for (const item of items) {
    const url = item.link ? canonicalizeUrl(item.link) : null;
    if (url && !itemsByUrl.has(url)) itemsByUrl.set(url, item);
  }
  const urls = [...itemsByUrl.keys()];
  let newItems = 0;
  for (let start = 0; start < urls.length; start += ENQUEUE_BATCH) {
    const batch = urls.slice(start, start + ENQUEUE_BATCH);
    const checks = deps.redis.pipeline();
    for (const url of batch) checks.exists(seenKey(deps.prefix, url));
    const seen = await pipelineReplies(checks);
    const unseen = batch.filter((_, i) => seen[i] === 0);
    if (unseen.length === 0) continue;
    await deps.enqueueScrapes(
      unseen.map((url) => {
        const item = itemsByUrl.get(url)!;
        return {
          payload: {
            url,
            feedUrl: poll.feedUrl,
            hints: { title: item.title, author: item.author, publishedAt: item.publishedAt },
            ...(poll.feed ? { feed: poll.feed } : {}),
          },
          jobId: `scrape-${urlKey(url)}`,
        };
      }),
    );
    const marks = deps.redis.pipeline();
    for (const url of unseen) marks.set(seenKey(deps.prefix, url), '1', 'EX', SEEN_TTL_SECONDS, 'NX');
    // Another feed may have marked a URL in the meantime: only this poll's own marks count as new here.
    newItems += (await pipelineReplies(marks)).filter((reply) => reply === 'OK').length;
  }
  return newItems;
}

/** Items handled per round trip: a 10,000-item feed does not become one giant MULTI. */
const ENQUEUE_BATCH = 500;

/** The replies of a pipeline, or its first error (a pipeline resolves even when commands in it failed). */
async function pipelineReplies(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
