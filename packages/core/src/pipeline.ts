import { createHash } from 'node:crypto';
import { DelayedError, MetricsTime, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from './redis.ts';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { errorMessage } from './errors.ts';
import { classifyFailure, retryDelayMs, UNKNOWN_ERROR_ATTEMPTS } from './retry-policy.ts';
import { jobDurationSeconds, jobsTotal } from './metrics.ts';
import {
  ALL_QUEUES,
  JOB_NAMES,
  JOB_RETENTION,
  jobOptions,
  parsePayload,
  QUEUES,
  type PayloadByQueue,
  type QueueName,
} from './queues.ts';

export type Queues = Record<QueueName, Queue>;

const JOB_NAME_BY_QUEUE: Record<QueueName, string> = {
  [QUEUES.feedFetch]: JOB_NAMES.feedFetch,
  [QUEUES.articleScrape]: JOB_NAMES.articleScrape,
  [QUEUES.articleDedup]: JOB_NAMES.articleDedup,
  [QUEUES.articleStore]: JOB_NAMES.articleStore,
};

/**
 * One Queue per stage. `log` receives their connection errors: without an `error` listener BullMQ prints each one
 * as a raw stack trace, dozens a second while Redis restarts.
 */
export function createQueues(connection: RedisClient, prefix: string, log?: Logger): Queues {
  return Object.fromEntries(
    ALL_QUEUES.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: jobOptions(name) });
      queue.on('error', quietErrorLogger(log?.child({ queue: name }), 'queue error'));
      return [name, queue];
    }),
  ) as Queues;
}

/**
 * Logs connection errors once per distinct reason per 10 seconds: a Redis restart reports the same ECONNREFUSED
 * from every client many times a second.
 */
export function quietErrorLogger(log: Logger | undefined, message: string): (error: Error) => void {
  const lastLogged = new Map<string, number>();
  return (error) => {
    const reason = errorMessage(error);
    const now = Date.now();
    if ((lastLogged.get(reason) ?? 0) > now - 10_000) return;
    lastLogged.set(reason, now);
    log?.warn({ reason }, message);
  };
}

/** Redis list the feed-fetchers append poll records to, until a storage worker writes them to the poll log. */
export function pollLogKey(prefix: string): string {
  return `${prefix}:polls`;
}

/** Short stable id for a URL: job ids and Redis keys stay small whatever the URL's length. */
export function urlKey(url: string): string {
  return createHash('sha1').update(url).digest('base64url').slice(0, 22);
}

/**
 * Adds a job after validating its payload. `jobId` makes the add idempotent: BullMQ ignores a second job with an
 * id it still holds, so an article reached twice at once is processed once.
 */
export async function enqueue<Q extends QueueName>(
  queues: Queues,
  queue: Q,
  payload: PayloadByQueue[Q],
  jobId?: string,
): Promise<void> {
  const data = parsePayload(queue, payload);
  await queues[queue].add(JOB_NAME_BY_QUEUE[queue], data, jobId ? { jobId } : {});
}

/** Several jobs of one queue in one round trip (BullMQ's addBulk: one MULTI), each with its own job id. */
export async function enqueueMany<Q extends QueueName>(
  queues: Queues,
  queue: Q,
  jobs: { payload: PayloadByQueue[Q]; jobId: string }[],
): Promise<void> {
  if (jobs.length === 0) return;
  const name = JOB_NAME_BY_QUEUE[queue];
  await queues[queue].addBulk(
    jobs.map(({ payload, jobId }) => ({ name, data: parsePayload(queue, payload), opts: { jobId } })),
  );
}

/** How long a seen article URL is remembered: longer than any feed keeps an item. */
export const SEEN_TTL_SECONDS = 90 * 24 * 3600;

/** The key that says an article URL was handed to the scraper already (by any feed). */
export function seenKey(prefix: string, url: string): string {
  return `${prefix}:seen:${urlKey(url)}`;
}

export interface StageContext {
  log: Logger;
  /** Reports progress (0–100) on the job, visible in `newsflow status` and BullMQ dashboards. */
  progress(percent: number): Promise<void>;
  /** Puts the job back for `ms` without counting an attempt (a busy host, a crawl delay). Never returns. */
  delay(ms: number): Promise<never>;
}

export type StageHandler<Q extends QueueName, R> = (payload: PayloadByQueue[Q], context: StageContext) => Promise<R>;

export interface StageStats {
  done: number;
  failed: number;
}

export interface StageWorkerOptions<Q extends QueueName, R> {
  queue: Q;
  concurrency: number;
  handler: StageHandler<Q, R>;
  /** Called once per job that finished for good: completed, or failed with no attempt left. */
  onFinished?: (
    outcome:
      | { ok: true; result: R; payload: PayloadByQueue[Q] }
      | {
          ok: false;
          reason: string;
          payload: PayloadByQueue[Q];
          /** False when the job ran out of attempts on transient errors: retrying later may still succeed. */
          permanent: boolean;
        },
  ) => void;
}

export interface StageWorker {
  worker: Worker;
  stats: StageStats;
  /** Stops taking jobs and waits up to `timeoutMs` for active ones, then stops anyway. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Runs one pipeline stage: validates payloads, logs each job's start and end with its duration, translates our
 * error classes into BullMQ's retry policy, and prints a summary line every few seconds.
 */
export function startStageWorker<Q extends QueueName, R>(
  runtime: ServiceRuntime,
  options: StageWorkerOptions<Q, R>,
): StageWorker {
  const { queue, handler } = options;
  const { redis: connection, prefix, logger } = runtime;
  const stats: StageStats = { done: 0, failed: 0 };
  const stageLog = logger.child({ stage: queue });

  const processor = async (job: Job, token?: string): Promise<R> => {
    const payload = parsePayload(queue, job.data);
    const log = stageLog.child({ jobId: job.id, ...describePayload(payload) });
    const started = performance.now();
    const attempt = job.attemptsMade + 1;
    log.debug({ attempt }, 'job started');
    const context: StageContext = {
      log,
      progress: (percent) => job.updateProgress(percent),
      delay: async (ms) => {
        await job.moveToDelayed(Date.now() + ms, token);
        throw new DelayedError();
      },
    };
    try {
      const result = await handler(payload, context);
      const durationMs = Math.round(performance.now() - started);
      jobDurationSeconds.observe({ stage: queue }, durationMs / 1000);
      jobsTotal.inc({ stage: queue, outcome: 'done', reason: '' });
      log.info({ durationMs, result }, 'job done');
      return result;
    } catch (error) {
      if (error instanceof DelayedError) {
        jobsTotal.inc({ stage: queue, outcome: 'delayed', reason: '' });
        throw error;
      }
      const durationMs = Math.round(performance.now() - started);
      jobDurationSeconds.observe({ stage: queue }, durationMs / 1000);
      const kind = classifyFailure(error);
      const attempts = job.opts.attempts ?? 1;
      // Not retried: retrying cannot help. Distinct from a transient error on the last attempt, which BullMQ fails by
      // itself and which stays "not permanent" for onFinished (the scraper un-marks such a URL).
      const giveUp = kind === 'permanent' || (kind === 'unknown' && attempt >= UNKNOWN_ERROR_ATTEMPTS);
      const final = giveUp || attempt >= attempts;
      const fields = { durationMs, attempt, attempts, kind, final, reason: errorMessage(error) };
      jobsTotal.inc({ stage: queue, outcome: final ? 'failed' : 'retried', reason: reasonCode(error, kind) });
      if (kind === 'unknown') log.error({ ...fields, stack: (error as Error | null)?.stack }, 'job failed');
      else log.warn(fields, 'job failed');
      if (giveUp) throw new UnrecoverableError(errorMessage(error));
      throw error;
    }
  };

  const worker = new Worker(queue, processor, {
    connection,
    prefix,
    concurrency: options.concurrency,
    // A job whose worker died (kill -9, OOM) or stalled is handed back once its lock lapses: lockDuration plus at
    // most one stalledInterval, 30–45 s. BullMQ's default maxStalledCount of 1 failed a job on its second stall, and
    // its URL was already marked seen: the article was lost. A stall is the worker's fault, not the job's, so a job
    // may stall as often as it may be attempted.
    lockDuration: STALL_LOCK_MS,
    stalledInterval: STALL_CHECK_MS,
    maxStalledCount: ATTEMPTS_ON_STALL,
    ...JOB_RETENTION,
    // Jobs ask for our own backoff type (jobOptions); BullMQ hands every non-builtin type to this strategy.
    settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error) },
    // Jobs done and failed per minute, kept a day: the dashboard's throughput chart (a few KB per queue).
    metrics: { maxDataPoints: MetricsTime.ONE_HOUR * 24 },
  });
  worker.on('error', quietErrorLogger(stageLog, 'worker error'));
  worker.on('completed', (job, result: R) => {
    stats.done++;
    options.onFinished?.({ ok: true, result, payload: job.data as PayloadByQueue[Q] });
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const permanent = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
    if (!permanent && job.attemptsMade < (job.opts.attempts ?? 1)) return;
    stats.failed++;
    options.onFinished?.({ ok: false, reason: error.message, payload: job.data as PayloadByQueue[Q], permanent });
  });

  const summaryQueue = new Queue(queue, { connection, prefix });
  summaryQueue.on('error', () => {});
  const summaryTimer = startSummary(summaryQueue, stats, stageLog, runtime.summaryIntervalSeconds ?? 5);

  return {
    worker,
    stats,
    async close(timeoutMs = 10_000) {
      clearInterval(summaryTimer);
      // worker.close() waits for active jobs without a limit; a stuck fetch must not block shutdown forever.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        stageLog.warn({ timeoutMs }, 'active jobs did not finish in time; closing anyway (they will be retried)');
        await worker.close(true);
      }
      await summaryQueue.close();
    },
  };
}

/** A low-cardinality label for a failure: our error codes (`http_404`, `timeout`, …), else its kind. */
function reasonCode(error: unknown, kind: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length <= 40 ? code : kind;
}

/** Lock renewal runs every lockDuration / 2; extraction never holds the event loop anywhere near that long. */
const STALL_LOCK_MS = 30_000;
const STALL_CHECK_MS = 15_000;
const ATTEMPTS_ON_STALL = 16;

function describePayload(payload: object): Record<string, string> {
  const fields: Record<string, string> = {};
  if ('feedUrl' in payload && typeof payload.feedUrl === 'string') fields.feed = payload.feedUrl;
  if ('url' in payload && typeof payload.url === 'string') fields.url = payload.url;
  return fields;
}

function startSummary(
  queue: Queue,
  stats: StageStats,
  log: Logger,
  intervalSeconds: number,
): NodeJS.Timeout | undefined {
  if (intervalSeconds <= 0) return undefined;
  let last = { done: 0, failed: 0, waiting: 0 };
  const timer = setInterval(() => {
    queue
      .getJobCounts('waiting', 'delayed', 'prioritized', 'active')
      .then((counts) => {
        const waiting = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
        if (stats.done === last.done && stats.failed === last.failed && waiting === last.waiting && waiting === 0)
          return;
        const ratePerSec = Math.round(((stats.done - last.done) / intervalSeconds) * 10) / 10;
        log.info(
          { done: stats.done, failed: stats.failed, ratePerSec, waiting, active: counts.active ?? 0 },
          'stage summary',
        );
        last = { done: stats.done, failed: stats.failed, waiting };
      })
      .catch(() => {});
  }, intervalSeconds * 1000);
  timer.unref();
  return timer;
}

/**
 * True when no queue holds work that is waiting, delayed or running. Scheduled polls are not jobs until they are
 * due (the scheduler keeps them apart), so `run --once` after `start` on the same prefix waits only for its own work.
 */
export async function queuesIdle(queues: Queues): Promise<boolean> {
  for (const queue of Object.values(queues)) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).some((count) => count > 0)) return false;
  }
  return true;
}

/** What every service is started with: one Redis connection for BullMQ and our keys, the queues, the config. */
export interface ServiceRuntime {
  redis: RedisClient;
  prefix: string;
  config: Config;
  logger: Logger;
  queues: Queues;
  /** Seconds between one-line progress summaries per stage (default 5); 0 turns them off. */
  summaryIntervalSeconds?: number;
}

export type FinishedHook<Q extends QueueName, R> = StageWorkerOptions<Q, R>['onFinished'];
