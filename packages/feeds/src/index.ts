export { parseFeed, repairXml } from './parse-feed.ts';
export type { ParsedFeed, FeedItem, FeedFormat } from './parse-feed.ts';
export { canonicalizeUrl } from './canonical-url.ts';
export { parseFeedDate } from './dates.ts';
