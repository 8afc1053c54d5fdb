export { startFeedFetcher } from './main.ts';
export { fetchFeed, feedStateKey } from './handler.ts';
export type { FeedFetchResult, FeedFetcherDeps } from './handler.ts';
