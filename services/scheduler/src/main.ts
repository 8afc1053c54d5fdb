import { errorMessage, followConfig, QUEUES, type FeedConfig, type ServiceRuntime } from '@newsflow/core';
import { syncSchedulers, type ScheduledFeed } from './handler.ts';

export interface Scheduler {
  close(): Promise<void>;
}

/** How often the scheduler checks that Redis still holds its schedules (a restart without persistence, a failover). */
const REDIS_CHECK_MS = 20_000;

/** How often the database's feed list is checked for changes (`feeds import --db`, `feeds remove --db`). */
const DATABASE_FEEDS_CHECK_MS = 30_000;

/** The feed list kept in the database (@newsflow/storage's ArticleStore has these two methods). */
export interface DatabaseFeeds {
  feedsVersion(): Promise<string>;
  listFeeds(): Promise<{ url: string; name: string | null; intervalMs: number | null; tags: string[] }[]>;
}

export function registeredMarkerKey(prefix: string): string {
  return `${prefix}:scheduler:registered`;
}

/**
 * Registers one job scheduler per feed, re-syncs whenever the config file changes (an invalid edit is logged and
 * ignored: the last good feed list keeps polling), and registers them again when Redis comes back empty.
 */
export async function startScheduler(
  runtime: ServiceRuntime,
  configPath?: string,
  options: { redisCheckMs?: number; databaseFeeds?: DatabaseFeeds; databaseCheckMs?: number } = {},
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
    const result = await syncSchedulers(queue, feeds);
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
  return {
    async close() {
      clearInterval(check);
      clearInterval(databaseCheck);
      follower?.close();
      await running;
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
