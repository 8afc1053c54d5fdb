import { enqueueMany, errorMessage, queuesIdle, QUEUES, urlKey, type Config, type Logger } from '@newsflow/core';
import { mergeFeeds, pollPayload } from '@newsflow/scheduler';
import type { ArticleStore } from '@newsflow/storage';
import { startServices, type Runtime } from '../services.ts';
import { foldReason } from './status.ts';

export interface RunFailure {
  stage: string;
  url: string;
  reason: string;
}

export interface RunSummary {
  feeds: number;
  feedsFailed: number;
  items: number;
  newItems: number;
  stored: number;
  unchanged: number;
  duplicateParagraphs: number;
  republications: number;
  failed: number;
  failures: RunFailure[];
  durationMs: number;
  timedOut: boolean;
}

/** Polls enqueued per round trip: a database feed list can hold a hundred thousand feeds. */
const POLLS_PER_ROUND_TRIP = 1000;

/** Cheap (one count per queue) and the wait after the last job: a quarter second per run was 4 % of a 1,000-article run. */
const IDLE_POLL_MS = 50;

/**
 * Polls every feed once and carries every job through every stage in this process; resolves when all queues
 * are drained (or `timeoutMs` passes) with what happened.
 */
export async function runPipelineOnce(
  runtime: Runtime,
  store: ArticleStore,
  config: Config,
  options: { timeoutMs: number; logger: Logger; progress?: NodeJS.WriteStream },
): Promise<RunSummary> {
  const started = performance.now();
  const summary: RunSummary = {
    feeds: 0,
    feedsFailed: 0,
    items: 0,
    newItems: 0,
    stored: 0,
    unchanged: 0,
    duplicateParagraphs: 0,
    republications: 0,
    failed: 0,
    failures: [],
    durationMs: 0,
    timedOut: false,
  };
  // The config's feeds and the database's (`feeds import --db`), as the scheduler polls them.
  const feeds = mergeFeeds(config.feeds, await store.listFeeds(), config.defaults.intervalMs);
  const counts: ProgressCounts = { feeds: feeds.length, polled: 0, scraped: 0, deduplicated: 0 };
  const fail = (stage: string, url: string, reason: string) => {
    summary.failed++;
    summary.failures.push({ stage, url, reason });
  };
  const services = await startServices(['feed-fetcher', 'scraper', 'deduper', 'storage'], runtime, {
    store,
    handOffInProcess: true,
    hooks: {
      feedFetch: (outcome) => {
        counts.polled++;
        if (!outcome.ok) {
          summary.feedsFailed++;
          return fail(QUEUES.feedFetch, outcome.payload.feedUrl, outcome.reason);
        }
        summary.feeds++;
        if (outcome.result.status === 'fetched') {
          summary.items += outcome.result.items;
          summary.newItems += outcome.result.newItems;
        }
      },
      scrape: (outcome) => {
        if (outcome.ok) counts.scraped++;
        if (!outcome.ok) fail(QUEUES.articleScrape, outcome.payload.url, outcome.reason);
      },
      dedup: (outcome) => {
        if (outcome.ok) counts.deduplicated++;
        if (!outcome.ok) fail(QUEUES.articleDedup, outcome.payload.url, outcome.reason);
      },
      store: (outcome) => {
        if (!outcome.ok) return fail(QUEUES.articleStore, outcome.payload.url, outcome.reason);
        if (outcome.result.outcome === 'unchanged' || outcome.result.outcome === 'already-stored') summary.unchanged++;
        else summary.stored++;
        summary.duplicateParagraphs += outcome.result.duplicateParagraphs;
        if (outcome.result.republication) summary.republications++;
      },
    },
  });
  try {
    const runId = Date.now().toString(36);
    for (let start = 0; start < feeds.length; start += POLLS_PER_ROUND_TRIP) {
      await enqueueMany(
        runtime.queues,
        QUEUES.feedFetch,
        feeds.slice(start, start + POLLS_PER_ROUND_TRIP).map((feed) => ({
          payload: { ...pollPayload(feed), manual: true },
          jobId: `once-${runId}-${urlKey(feed.url)}`,
        })),
      );
    }
    // On a terminal, one status line redrawn in place; never on a pipe or in logs.
    const display = options.progress?.isTTY ? options.progress : undefined;
    const redraw = () => display?.write(`\r\x1b[2K${formatProgress(counts, summary, performance.now() - started)}`);
    const timer = display ? setInterval(redraw, 500) : undefined;
    try {
      summary.timedOut = !(await waitUntilDrained(runtime, options.timeoutMs));
    } finally {
      clearInterval(timer);
      if (display) display.write(`\r\x1b[2K${formatProgress(counts, summary, performance.now() - started)}\n`);
    }
  } catch (error) {
    options.logger.error({ reason: errorMessage(error) }, 'run failed');
    throw error;
  } finally {
    await services.close(5000);
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/** Two idle readings in a row: the second lets the last job's completion event reach our counters. */
async function waitUntilDrained(runtime: Runtime, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let idleReadings = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    idleReadings = (await queuesIdle(runtime.queues)) ? idleReadings + 1 : 0;
    if (idleReadings >= 2) return true;
  }
  return false;
}

export interface ProgressCounts {
  feeds: number;
  polled: number;
  scraped: number;
  deduplicated: number;
}

/** `feeds 2/4 · scraped 120 · deduplicated 118 · stored 115 · failed 3 · 38.2/s · ETA 12 s` */
export function formatProgress(counts: ProgressCounts, summary: RunSummary, elapsedMs: number): string {
  const finished = summary.stored + summary.unchanged;
  const ratePerSec = elapsedMs > 0 ? finished / (elapsedMs / 1000) : 0;
  // Items found so far that have not been stored or failed yet; feeds still to poll may add more.
  const remaining = Math.max(0, summary.newItems - finished - (summary.failed - summary.feedsFailed));
  const eta = ratePerSec > 0 && remaining > 0 ? ` · ETA ${Math.ceil(remaining / ratePerSec)} s` : '';
  return (
    `feeds ${counts.polled}/${counts.feeds} · scraped ${counts.scraped} · deduplicated ${counts.deduplicated} · ` +
    `stored ${finished} · failed ${summary.failed} · ${ratePerSec.toFixed(1)}/s${eta}`
  );
}

/** Failures with one cause together, most frequent first, with three examples each (as Crawlee's final statistics). */
function groupFailures(failures: RunFailure[]) {
  const groups = new Map<string, { stage: string; reason: string; count: number; examples: RunFailure[] }>();
  for (const failure of failures) {
    const reason = foldReason(failure.reason);
    const key = `${failure.stage} ${reason}`;
    const group = groups.get(key) ?? { stage: failure.stage, reason, count: 0, examples: [] };
    group.count++;
    if (group.examples.length < 3) group.examples.push(failure);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export function formatSummary(summary: RunSummary): string {
  const lines = [
    `feeds: ${summary.feeds} polled${summary.feedsFailed ? `, ${summary.feedsFailed} failed` : ''}`,
    `items: ${summary.items} in feeds, ${summary.newItems} new`,
    `stored: ${summary.stored}${summary.unchanged ? ` (${summary.unchanged} unchanged)` : ''}`,
    `duplicates: ${summary.duplicateParagraphs} paragraphs, ${summary.republications} republished articles`,
    `failed: ${summary.failed}`,
    ...groupFailures(summary.failures).flatMap((group) => [
      `  ${group.count}× ${group.stage}: ${group.reason}`,
      ...group.examples.map((failure) => `      ${failure.url}: ${failure.reason}`),
    ]),
    `time: ${(summary.durationMs / 1000).toFixed(1)} s${summary.timedOut ? ' (timed out before the queues drained)' : ''}`,
  ];
  return lines.join('\n');
}
