import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, all named `newsflow_…`, plus Node's defaults (`newsflow_process_…`,
 * `newsflow_nodejs_…`). Stages record into these; `/metrics` on the health server exposes them.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'newsflow_' });

export const jobsTotal = new Counter({
  name: 'newsflow_jobs_total',
  help: 'Jobs that ended an attempt, by stage, outcome (done, retried, failed) and reason code',
  labelNames: ['stage', 'outcome', 'reason'] as const,
  registers: [metricsRegistry],
});

export const jobDurationSeconds = new Histogram({
  name: 'newsflow_job_duration_seconds',
  help: 'Time a job attempt took, by stage',
  labelNames: ['stage'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const queueJobs = new Gauge({
  name: 'newsflow_queue_jobs',
  help: 'Jobs per queue and state (waiting, active, delayed, failed), read when scraped',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
});

export const httpResponsesTotal = new Counter({
  name: 'newsflow_http_responses_total',
  help: 'HTTP responses received while fetching feeds and pages, by status class (2xx, 3xx, 4xx, 5xx)',
  labelNames: ['class'] as const,
  registers: [metricsRegistry],
});

export const fetchedBytesTotal = new Counter({
  name: 'newsflow_fetched_bytes_total',
  help: 'Bytes of feeds and pages downloaded (after decompression)',
  registers: [metricsRegistry],
});

export const politenessWaitsTotal = new Counter({
  name: 'newsflow_politeness_waits_total',
  help: 'Page fetches put back because their host was busy or asked us to wait',
  registers: [metricsRegistry],
});

export const duplicatesTotal = new Counter({
  name: 'newsflow_duplicates_total',
  help: 'Paragraphs flagged as near-duplicates and articles flagged as republications',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const storageWritesTotal = new Counter({
  name: 'newsflow_storage_writes_total',
  help: 'Articles handed to the database, by outcome (inserted, updated, unchanged, already-stored, failed)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const storageBatchSize = new Histogram({
  name: 'newsflow_storage_batch_size',
  help: 'Articles per database transaction',
  buckets: [1, 2, 5, 10, 20, 50],
  registers: [metricsRegistry],
});

export const feedConsecutiveFailures = new Gauge({
  name: 'newsflow_feed_consecutive_failures',
  help: 'Polls in a row that failed, per feed (set by the feed-fetcher that polled it last)',
  labelNames: ['feed'] as const,
  registers: [metricsRegistry],
});

export const feedLastSuccessSeconds = new Gauge({
  name: 'newsflow_feed_last_success_timestamp_seconds',
  help: 'When the feed last answered a poll, as a Unix time',
  labelNames: ['feed'] as const,
  registers: [metricsRegistry],
});

/** `2xx` for 204, and so on. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
