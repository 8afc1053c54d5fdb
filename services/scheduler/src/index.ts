export { mergeFeeds, startScheduler } from './main.ts';
export type { DatabaseFeeds, Scheduler } from './main.ts';
export { syncSchedulers, schedulerId, pollOffsetMs, pollPayload } from './handler.ts';
export type { ScheduledFeed, SyncResult } from './handler.ts';
