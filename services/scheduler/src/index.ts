export { mergeFeeds, startScheduler } from './main.ts';
export type { DatabaseFeeds, Scheduler } from './main.ts';
export { syncSchedulers, schedulerId, pollOffsetMs } from './handler.ts';
export type { SyncResult } from './handler.ts';
