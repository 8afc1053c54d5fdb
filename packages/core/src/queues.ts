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

export const feedFetchPayload = z.object({
  feedUrl: z.string().url(),
  /** Asked for by a person (`run --once`): polls even while the feed is backing off. */
  manual: z.boolean().optional(),
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
});

/** Article bodies travel through Redis under `bodyKey` (with a TTL), never in job data. */
export const articleDedupPayload = z.object({
  url: z.string().url(),
  feedUrl: z.string().url(),
  bodyKey: z.string().min(1),
});

export const articleStorePayload = articleDedupPayload;

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

/**
 * Retries with exponential backoff for transient failures (permanent ones are thrown as UnrecoverableError and
 * never retried); finished jobs are trimmed so Redis does not grow without bound.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const;

/** How long an article body waits in Redis for the next stage before it is dropped. */
export const BODY_TTL_SECONDS = 24 * 3600;
