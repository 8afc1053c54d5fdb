import { z } from 'zod';

/** One queue per arrow of the pipeline; job names are dotted, queue names kebab-case. */
export const QUEUES = {
  feedFetch: 'feed-fetch',
  articleScrape: 'article-scrape',
  articleDedup: 'article-dedup',
  articleStore: 'article-store',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

export const JOB_NAMES = {
  feedFetch: 'feed.fetch',
  articleScrape: 'article.scrape',
  articleDedup: 'article.dedup',
  articleStore: 'article.store',
} as const;

/** The default BullMQ key prefix; tests and the demo use their own so they never touch a user's queues. */
export const DEFAULT_PREFIX = 'newsflow';

/**
 * The name and tags of a feed, travelling with its jobs: a feed of the database's list (`feeds import --db`) is in
 * no config file the workers could look it up in.
 */
export const feedListing = z.object({ name: z.string(), tags: z.array(z.string()) });

export const feedFetchPayload = z.object({
  feedUrl: z.string().url(),
  /** Asked for by a person (`run --once`): polls even while the feed is backing off. */
  manual: z.boolean().optional(),
  feed: feedListing.optional(),
});

/** What the feed said about the item: used when the page itself lacks the metadata. */
export const feedItemHints = z.object({
  title: z.string().nullable(),
  author: z.string().nullable(),
  publishedAt: z.string().nullable(),
});

export const articleScrapePayload = z.object({
  url: z.string().url(),
  feedUrl: z.string().url(),
  hints: feedItemHints,
  feed: feedListing.optional(),
});

/** Article bodies travel through Redis under `bodyKey` (with a TTL), never in job data. */
export const articleDedupPayload = z.object({
  url: z.string().url(),
  feedUrl: z.string().url(),
  bodyKey: z.string().min(1),
});

export const articleStorePayload = articleDedupPayload;

/**
 * One poll of a feed, for the poll log and the feed's health row. Not a queue payload: the feed-fetchers push
 * these to a Redis list that the storage workers drain, but validated at both ends all the same.
 */
export const pollRecord = z.object({
  feedUrl: z.string(),
  feedName: z.string().nullable().optional(),
  polledAt: z.string(),
  status: z.enum(['fetched', 'not-modified', 'failed']),
  /** The HTTP status of the last response (200, 304, 404, …); null when none came (DNS, timeout, refused). */
  httpStatus: z.number().int().nullable().optional(),
  items: z.number().int().nullable(),
  newItems: z.number().int().nullable(),
  durationMs: z.number(),
  error: z.string().nullable(),
  etag: z.string().nullable().optional(),
  lastModified: z.string().nullable().optional(),
  consecutiveFailures: z.number().int(),
});
export type PollRecord = z.infer<typeof pollRecord>;

export type FeedFetchPayload = z.infer<typeof feedFetchPayload>;
export type ArticleScrapePayload = z.infer<typeof articleScrapePayload>;
export type ArticleDedupPayload = z.infer<typeof articleDedupPayload>;
export type ArticleStorePayload = z.infer<typeof articleStorePayload>;
export type FeedItemHints = z.infer<typeof feedItemHints>;

export const PAYLOADS = {
  [QUEUES.feedFetch]: feedFetchPayload,
  [QUEUES.articleScrape]: articleScrapePayload,
  [QUEUES.articleDedup]: articleDedupPayload,
  [QUEUES.articleStore]: articleStorePayload,
} as const;

export interface PayloadByQueue {
  'feed-fetch': FeedFetchPayload;
  'article-scrape': ArticleScrapePayload;
  'article-dedup': ArticleDedupPayload;
  'article-store': ArticleStorePayload;
}

/** Validates a payload on either end of a queue; a malformed payload is a bug, reported with the queue's name. */
export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): PayloadByQueue[Q] {
  const result = PAYLOADS[queue].safeParse(data);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid ${queue} payload: ${detail.join('; ')}`);
  }
  return result.data as PayloadByQueue[Q];
}

/** The backoff type our workers compute themselves (`retryDelayMs`: exponential, capped, with jitter). */
export const BACKOFF_TYPE = 'capped-exponential';

/**
 * Attempts per stage, with `retryDelayMs` between them. Dedup and store jobs carry an article that exists nowhere
 * else, so they outlast a database or Redis restart: 30 attempts wait at least 85 minutes in all. A scrape retries
 * for at least half an hour (a site's outage); a feed poll 5 times (the next scheduled poll comes anyway).
 */
export const ATTEMPTS: Record<QueueName, number> = {
  'feed-fetch': 5,
  'article-scrape': 16,
  'article-dedup': 30,
  'article-store': 30,
};

/** How long a failed job (and the article body it needs) is kept for `newsflow retry`. */
export const FAILED_RETENTION_SECONDS = 7 * 24 * 3600;

/** What each job of a stage carries: its attempts and our backoff. */
export function jobOptions(queue: QueueName) {
  return { attempts: ATTEMPTS[queue], backoff: { type: BACKOFF_TYPE } };
}

/**
 * Finished jobs are trimmed so Redis does not grow without bound; failed ones are kept a week for `retry`. Set on the
 * workers rather than on each job: a feed's schedule and its next poll would otherwise each store them again.
 */
export const JOB_RETENTION = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: FAILED_RETENTION_SECONDS, count: 5000 },
};

/**
 * How long an article body waits in Redis for the next stage: as long as a failed job that needs it is kept, so
 * `newsflow retry` finds it. Storage deletes it once written.
 */
export const BODY_TTL_SECONDS = FAILED_RETENTION_SECONDS;
