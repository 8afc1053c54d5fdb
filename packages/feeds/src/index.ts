export { parseFeed } from './feed-worker.ts';
export type { ParseOptions } from './feed-worker.ts';
export { parseFeedText, repairXml } from './parse-feed.ts';
export type { ParsedFeed, FeedItem, FeedFormat } from './parse-feed.ts';
export { canonicalizeUrl } from './canonical-url.ts';
export { parseFeedDate } from './dates.ts';
export { FeedPollState, feedStateKey } from './poll-state.ts';
export type { PollState } from './poll-state.ts';
