import {
  checkRedis,
  createQueues,
  createRedis,
  errorMessage,
  followConfig,
  type Config,
  type FinishedHook,
  type Logger,
  type ServiceRuntime,
  quietErrorLogger,
  queueJobs,
  startHealthServer,
  type HealthServer,
  type RedisClient,
} from '@newsflow/core';
import type { ArticleStore } from '@newsflow/storage';
import { startScheduler } from '@newsflow/scheduler';
import { startFeedFetcher, type FeedFetchResult } from '@newsflow/feed-fetcher';
import { startScraper, type ScrapeResult } from '@newsflow/scraper';
import { startDeduper, type Deduper, type DedupResult } from '@newsflow/deduper';
import { startStorageWorker, type StorageWorker, type StoreResult } from '@newsflow/storage-worker';
import type { ServiceName } from './usage.ts';
import { stagesInThisProcess } from './in-process.ts';

export interface Runtime extends ServiceRuntime {
  close(): Promise<void>;
}

/** Connects to Redis (failing fast with the address tried) and creates the queues. */
export async function openRuntime(
  config: Config,
  options: { redisUrl: string; prefix: string; logger: Logger; summaryIntervalSeconds?: number },
): Promise<Runtime> {
  await checkRedis(options.redisUrl);
  const redis: RedisClient = createRedis(options.redisUrl, { forWorker: true });
  redis.on('error', quietErrorLogger(options.logger, 'redis error'));
  const queues = createQueues(redis, options.prefix, options.logger);
  return {
    redis,
    prefix: options.prefix,
    config,
    logger: options.logger,
    queues,
    ...(options.summaryIntervalSeconds === undefined ? {} : { summaryIntervalSeconds: options.summaryIntervalSeconds }),
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * `/healthz`, `/readyz` (Redis, and the database where this process has one) and `/metrics` on `port`, queue
 * depths read at each scrape.
 */
export function serveHealth(port: number, runtime: ServiceRuntime, store?: ArticleStore): Promise<HealthServer> {
  return startHealthServer({
    port,
    checks: [
      { name: 'redis', check: () => runtime.redis.ping() },
      ...(store ? [{ name: 'database', check: () => store.ping() }] : []),
    ],
    beforeMetrics: async () => {
      for (const [name, queue] of Object.entries(runtime.queues)) {
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        queueJobs.set({ queue: name, state: 'waiting' }, (counts.waiting ?? 0) + (counts.prioritized ?? 0));
        for (const state of ['active', 'delayed', 'failed'] as const)
          queueJobs.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });
}

export interface ServiceHooks {
  feedFetch?: FinishedHook<'feed-fetch', FeedFetchResult>;
  scrape?: FinishedHook<'article-scrape', ScrapeResult>;
  dedup?: FinishedHook<'article-dedup', DedupResult>;
  store?: FinishedHook<'article-store', StoreResult>;
}

export interface RunningServices {
  /** Stops the services, giving active jobs up to `timeoutMs` to finish. */
  close(timeoutMs?: number): Promise<void>;
}

/** Consumers start before their producers: the scraper hands articles to a deduper and storage already running. */
const START_ORDER: readonly ServiceName[] = ['storage', 'deduper', 'scraper', 'feed-fetcher', 'scheduler'];

/**
 * Starts the named services in this process. The storage service needs `store`, the scheduler `configPath` (and
 * polls the database's feed list too when it has `store`). With `handOffInProcess`, a scraper running beside a
 * deduper and storage passes them its articles directly instead of through their queues (see `stagesInThisProcess`).
 * With `configPath`, every service follows edits of the config file (the scheduler's follower serves the whole
 * process when it runs here).
 */
export async function startServices(
  names: readonly ServiceName[],
  runtime: ServiceRuntime,
  options: { store?: ArticleStore; configPath?: string; hooks?: ServiceHooks; handOffInProcess?: boolean },
): Promise<RunningServices> {
  const closers: ((timeoutMs: number) => Promise<void>)[] = [];
  // A scraper handing articles over in process closes first: its jobs use this process's deduper and storage.
  let closeScraper: (timeoutMs: number) => Promise<void> = async () => {};
  let deduper: Deduper | undefined;
  let storage: StorageWorker | undefined;
  const hooks = options.hooks ?? {};
  if (options.configPath && !names.includes('scheduler')) {
    const log = runtime.logger.child({ stage: 'config' });
    const follower = followConfig(options.configPath, runtime.config, {
      onChange: (config) => log.info({ feeds: config.feeds.length }, 'config change applied'),
      onInvalid: (error) => log.error({ reason: errorMessage(error) }, 'config change ignored: the file is invalid'),
    });
    closers.push(async () => follower.close());
  }
  for (const name of START_ORDER.filter((service) => names.includes(service))) {
    switch (name) {
      case 'scheduler': {
        if (!options.configPath) throw new Error('the scheduler needs the config file path');
        // With a database at hand, its feed list (`feeds import --db`) is polled beside the config's.
        const scheduler = await startScheduler(
          runtime,
          options.configPath,
          options.store ? { databaseFeeds: options.store } : {},
        );
        closers.push(() => scheduler.close());
        break;
      }
      case 'feed-fetcher': {
        const worker = startFeedFetcher(runtime, hooks.feedFetch);
        closers.push((timeoutMs) => worker.close(timeoutMs));
        break;
      }
      case 'scraper': {
        const handOff =
          options.handOffInProcess && deduper && storage
            ? stagesInThisProcess(runtime, deduper, storage, hooks)
            : undefined;
        const worker = startScraper(runtime, hooks.scrape, handOff);
        if (handOff) closeScraper = (timeoutMs) => worker.close(timeoutMs);
        else closers.push((timeoutMs) => worker.close(timeoutMs));
        break;
      }
      case 'deduper': {
        const worker = startDeduper(runtime, hooks.dedup);
        deduper = worker;
        closers.push((timeoutMs) => worker.close(timeoutMs));
        break;
      }
      case 'storage': {
        if (!options.store) throw new Error('the storage service needs a database');
        await options.store.claimWriter();
        const worker = startStorageWorker(runtime, options.store, hooks.store);
        storage = worker;
        closers.push((timeoutMs) => worker.close(timeoutMs));
        break;
      }
    }
  }
  return {
    async close(timeoutMs = 10_000) {
      // Workers first, then (in Runtime.close) the queues and the connection they use.
      await closeScraper(timeoutMs);
      await Promise.all(closers.map((close) => close(timeoutMs)));
    },
  };
}
