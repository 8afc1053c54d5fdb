export { startFeedFetcher } from './main.ts';
export { fetchFeed, STALE_AFTER_FAILURES } from './handler.ts';
export type { FeedFetchResult, FeedFetcherDeps } from './handler.ts';
