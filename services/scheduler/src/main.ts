import { errorMessage, followConfig, QUEUES, type FeedConfig, type ServiceRuntime } from '@newsflow/core';
import { enqueueDuePolls, syncSchedules, type ScheduledFeed } from './handler.ts';

export interface Scheduler {
  close(): Promise<void>;
}

/** How often the scheduler checks that Redis still holds its schedules (a restart without persistence, a failover). */
const REDIS_CHECK_MS = 20_000;

/** How often the database's feed list is checked for changes (`feeds import --db`, `feeds remove --db`). */
const DATABASE_FEEDS_CHECK_MS = 30_000;

/** How long closing waits for a sync or a turn under way. */
const CLOSE_WAIT_MS = 5000;

/** How often due polls are enqueued. */
const TICK_MS = 250;

/**
 * At most this many polls enqueued per second: after the scheduler was down, the feeds that came due meanwhile are
 * polled at this rate, earliest first, not all at once (100,000 feeds every 15 minutes need 111 a second).
 */
const MAX_POLLS_PER_SECOND = 1000;

/** The feed list kept in the database (@newsflow/storage's ArticleStore has these two methods). */
export interface DatabaseFeeds {
  feedsVersion(): Promise<string>;
  listFeeds(): Promise<{ url: string; name: string | null; intervalMs: number | null; tags: string[] }[]>;
}

export function registeredMarkerKey(prefix: string): string {
  return `${prefix}:scheduler:registered`;
}

export interface SchedulerOptions {
  redisCheckMs?: number;
  databaseFeeds?: DatabaseFeeds;
  databaseCheckMs?: number;
  maxPollsPerSecond?: number;
}

/**
 * Keeps the poll schedule in Redis matching the feed list, re-syncs whenever the config file changes (an invalid
 * edit is logged and ignored: the last good feed list keeps polling) and when Redis comes back empty, and enqueues
 * each feed's poll when it is due. Two schedulers on one Redis are safe (each poll is enqueued once per slot), but
 * one is enough.
 */
export async function startScheduler(
  runtime: ServiceRuntime,
  configPath?: string,
  options: SchedulerOptions = {},
): Promise<Scheduler> {
  const log = runtime.logger.child({ stage: 'scheduler' });
  const queue = runtime.queues[QUEUES.feedFetch];
  const markerKey = registeredMarkerKey(runtime.prefix);
  const { databaseFeeds } = options;
  let databaseVersion: string | null = null;
  const sync = async () => {
    let feeds = runtime.config.feeds;
    if (databaseFeeds) {
      databaseVersion = await databaseFeeds.feedsVersion();
      feeds = mergeFeeds(feeds, await databaseFeeds.listFeeds(), runtime.config.defaults.intervalMs);
    }
    const result = await syncSchedules(runtime.redis, runtime.prefix, queue, feeds);
    // One small key with no TTL: its absence later means Redis lost what we wrote.
    await runtime.redis.set(markerKey, new Date().toISOString());
    const removed = result.removed.length > 20 ? `${result.removed.length} feeds` : result.removed;
    log.info({ feeds: result.scheduled, added: result.added, removed }, 'feed schedules synced');
  };
  await sync();

  // One sync at a time: a config edit and a Redis check must not interleave their upserts.
  let running: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>) => {
    running = running.then(work).catch((error: unknown) => log.warn({ reason: errorMessage(error) }, 'sync failed'));
    return running;
  };
  const follower = configPath
    ? followConfig(configPath, runtime.config, {
        onChange: () => serially(sync),
        onInvalid: (error) => log.error({ reason: errorMessage(error) }, 'config change ignored: the file is invalid'),
      })
    : undefined;
  const check = setInterval(
    () =>
      void serially(async () => {
        if ((await runtime.redis.exists(markerKey)) === 1) return;
        log.warn(
          { feeds: runtime.config.feeds.length },
          'Redis came back without newsflow data (restarted without persistence, a new server, or a failover): ' +
            'registering the feed schedules again. Storage workers rebuild the seen-URL set and the dedup index from ' +
            'the database (`newsflow reindex` does the same by hand); articles fetched again write no new version.',
        );
        await sync();
      }),
    options.redisCheckMs ?? REDIS_CHECK_MS,
  );
  check.unref();
  const databaseCheck = setInterval(
    () =>
      void serially(async () => {
        if (databaseFeeds && (await databaseFeeds.feedsVersion()) !== databaseVersion) await sync();
      }),
    options.databaseCheckMs ?? DATABASE_FEEDS_CHECK_MS,
  );
  databaseCheck.unref();

  const pollsPerTick = Math.max(1, Math.round(((options.maxPollsPerSecond ?? MAX_POLLS_PER_SECOND) * TICK_MS) / 1000));
  let stopped = false;
  let tickTimer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let lastTickError = '';
  const tick = () => {
    ticking = enqueueDuePolls(runtime.redis, runtime.prefix, queue, pollsPerTick)
      .then(() => void (lastTickError = ''))
      .catch((error: unknown) => {
        // Redis down: the due polls stay due and are enqueued once it answers again. Logged once per outage.
        const reason = errorMessage(error);
        if (reason !== lastTickError) log.warn({ reason }, 'enqueueing due polls failed; retrying');
        lastTickError = reason;
      })
      .finally(() => {
        if (!stopped) tickTimer = setTimeout(tick, TICK_MS);
      });
  };
  tick();
  return {
    async close() {
      stopped = true;
      clearTimeout(tickTimer);
      clearInterval(check);
      clearInterval(databaseCheck);
      follower?.close();
      // A sync or a turn waiting on a Redis that is down would hold shutdown forever; what it did not finish is
      // done by the next scheduler (polls still due stay due).
      const bounded = new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref());
      await Promise.race([Promise.all([running, ticking]), bounded]);
    },
  };
}

/** The config's feeds, then the database's that the config does not list (the config's entry wins). */
export function mergeFeeds(
  configured: FeedConfig[],
  stored: Awaited<ReturnType<DatabaseFeeds['listFeeds']>>,
  defaultIntervalMs: number,
): ScheduledFeed[] {
  const listed = new Set(configured.map((feed) => new URL(feed.url).href));
  const fromDatabase = stored
    .filter((feed) => !listed.has(new URL(feed.url).href))
    .map((feed) => ({
      url: feed.url,
      name: feed.name ?? new URL(feed.url).hostname,
      intervalMs: feed.intervalMs ?? defaultIntervalMs,
      tags: feed.tags,
      listedInDatabase: true,
    }));
  return [...configured, ...fromDatabase];
}
