export { mergeFeeds, startScheduler } from './main.ts';
export type { DatabaseFeeds, Scheduler, SchedulerOptions } from './main.ts';
export {
  enqueueDuePolls,
  nextPollDue,
  nextSlot,
  pollOffsetMs,
  pollPayload,
  scheduledFeedCount,
  scheduleKeys,
  syncSchedules,
} from './handler.ts';
export type { ScheduledFeed, SyncResult } from './handler.ts';
