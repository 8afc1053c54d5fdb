import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  clusterPrefix,
  clusterUrl,
  createLogger,
  createQueues,
  createRedis,
  deleteKeysWithPrefix,
  parseConfig,
  QUEUES,
  type ExportRecord,
} from '@newsflow/core';
import { nextPollDue, pollOffsetMs, scheduledFeedCount, startScheduler } from '@newsflow/scheduler';
import { startDemoSite } from '@newsflow/cli';
import { CORPORA_DIR, HAVE_CORPORA, runCli, serve, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';
import { startRedisCluster, type LocalRedisCluster } from './redis-cluster.ts';

/**
 * The whole pipeline on a Redis Cluster of three masters that the test starts itself, against the same pipeline on
 * one Redis server: the same articles stored once each, and the same dedup decisions, paragraph by paragraph.
 */
let cluster: LocalRedisCluster;
let demo: Awaited<ReturnType<typeof startDemoSite>>;
let news: Awaited<ReturnType<typeof serve>>;
let directory: string;

const ARTICLES = 40;

beforeAll(async () => {
  cluster = await startRedisCluster();
  demo = await startDemoSite();
  directory = mkdtempSync(join(tmpdir(), 'newsflow-cluster-test-'));
  // Real news bodies: the second half republishes the first with one paragraph reworded and one left out.
  const bodies = HAVE_CORPORA
    ? Object.values(
        JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/asb/ground-truth.json'), 'utf8')) as Record<
          string,
          { articleBody: string }
        >,
      )
        .slice(0, ARTICLES / 2)
        .map((page) => page.articleBody.split(/\n+/).filter((line) => line.trim().split(/\s+/).length > 8))
    : [];
  const articles = [
    ...bodies,
    ...bodies.map((paragraphs) =>
      paragraphs
        .filter((_, i) => i !== 1)
        .map((text, i) => (i === 0 ? text.replace(/\b(the|a)\b/, 'this').concat(' Officials confirmed it.') : text)),
    ),
  ];
  const routes: Parameters<typeof serve>[0] = {
    '/feed.xml': (_, response) =>
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          `<rss version="2.0"><channel><title>Wire</title>${articles
            .map((_, i) => `<item><title>Story ${i}</title><link>${news.url}/story/${i}.html</link></item>`)
            .join('')}</channel></rss>`,
        ),
  };
  articles.forEach((paragraphs, i) => {
    routes[`/story/${i}.html`] = (_, response) =>
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!DOCTYPE html><html lang="en"><head><title>Story ${i}</title></head><body><nav><a href="/">Home</a></nav>` +
            `<article><h1>Story ${i}</h1>${paragraphs.map((text) => `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('')}</article></body></html>`,
        );
  });
  news = await serve(routes);
}, 60_000);

afterAll(async () => {
  await news?.close();
  await demo?.close();
  await cluster?.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** What the dedup stage decided, with URLs made comparable between the two runs (same servers, so same URLs). */
function decisions(records: ExportRecord[]) {
  return records
    .map((record) => ({
      url: record.url,
      duplicateOf: record.duplicateOf,
      paragraphs: record.paragraphs.map((paragraph) => paragraph.duplicateOf),
    }))
    .sort((a, b) => a.url.localeCompare(b.url));
}

async function runPipeline(redisEnv: Record<string, string>, label: string): Promise<ExportRecord[]> {
  const env = { ...redisEnv, DATABASE_URL: `file:${join(directory, `${label}.db`)}` };
  const feeds = [...demo.feedUrls, ...(HAVE_CORPORA ? [`${news.url}/feed.xml`] : [])];
  // One scrape at a time: the order articles reach the dedup index decides which copy is the original.
  const config = writeTestConfig(
    directory,
    feeds,
    'workers: { scrape: 1, dedup: 1, feedFetch: 1, extractThreads: 1 }\n',
  );
  const run = await runCli(['run', '--once', '--config', config], env, 180_000);
  expect(run.code, run.stderr).toBe(0);
  const exported = await runCli(['export'], env);
  expect(exported.code, exported.stderr).toBe(0);
  return exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportRecord);
}

it('runs the pipeline on a Redis Cluster: every article stored once, the same dedup decisions as on one server', async () => {
  const prefix = uniquePrefix('cluster');
  const single = new Redis(TEST_REDIS_URL);
  const clustered = new Cluster(
    cluster.nodes.split(',').map((node) => ({ host: '127.0.0.1', port: Number(node.split(':')[1]) })),
  );
  try {
    const onServer = await runPipeline({ REDIS_URL: TEST_REDIS_URL, NEWSFLOW_PREFIX: prefix }, 'server');
    const onCluster = await runPipeline(
      { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: 'redis://127.0.0.1:1', NEWSFLOW_PREFIX: prefix },
      'cluster',
    );
    const expected = 3 + (HAVE_CORPORA ? ARTICLES : 0);
    expect(onCluster).toHaveLength(expected);
    expect(new Set(onCluster.map((record) => record.url)).size).toBe(expected);
    expect(decisions(onCluster)).toEqual(decisions(onServer));
    // The decisions are not trivially empty: the demo's reworded paragraph and republication, the wire copies.
    const flagged = onCluster.flatMap((record) => record.paragraphs).filter((paragraph) => paragraph.duplicateOf);
    expect(flagged.length).toBeGreaterThan(HAVE_CORPORA ? ARTICLES : 1);
    expect(onCluster.some((record) => record.duplicateOf)).toBe(true);

    // On the cluster, every key sits under the hash-tagged prefix, in one slot, and cleanup finds them on any node.
    const tagged = clusterPrefix(prefix);
    expect(tagged).toBe(`{${prefix}}`);
    expect(await deleteKeysWithPrefix(clustered, tagged)).toBeGreaterThan(0);
    expect(await deleteKeysWithPrefix(clustered, tagged)).toBe(0);
  } finally {
    await deleteKeysWithPrefix(single, prefix);
    await single.quit();
    await clustered.quit();
  }
});

it('schedules and enqueues feed polls on a Redis Cluster, the schedule in the prefix slot', async () => {
  const prefix = clusterPrefix(uniquePrefix('cluster-scheduler'));
  const redis = createRedis(clusterUrl(cluster.nodes), { forWorker: true });
  const queues = createQueues(redis, prefix);
  const config = parseConfig('feeds:\n  - url: https://a.example/rss\n  - url: https://b.example/rss\n');
  const scheduler = await startScheduler({ redis, prefix, config, queues, logger: createLogger({ level: 'silent' }) });
  try {
    const polled = async () =>
      (await queues[QUEUES.feedFetch].getWaiting(0, -1)).map((job) => job.data.feedUrl as string).sort();
    for (let attempt = 0; attempt < 40 && (await polled()).length < 2; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await polled()).toEqual(['https://a.example/rss', 'https://b.example/rss']);
    expect(await scheduledFeedCount(redis, prefix)).toBe(2);
    // Each feed moved on to its next slot, a fixed point of its interval.
    const next = await nextPollDue(redis, prefix, 'https://a.example/rss');
    expect(next! % config.defaults.intervalMs).toBe(pollOffsetMs('https://a.example/rss', config.defaults.intervalMs));
  } finally {
    await scheduler.close();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
});
