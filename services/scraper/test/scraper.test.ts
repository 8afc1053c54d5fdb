import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyKey,
  createLogger,
  createQueues,
  deleteKeysWithPrefix,
  JOB_NAMES,
  loadBody,
  parseConfig,
  QUEUES,
  seenKey,
  type ServiceRuntime,
} from '@newsflow/core';
import { startScraper } from '../src/index.ts';
import { serve, TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

let redis: Redis;
let site: Awaited<ReturnType<typeof serve>>;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  site = await serve({
    '/down.html': (_, response) => response.writeHead(503).end(),
    '/gone.html': (_, response) => response.writeHead(404).end(),
    '/mumbai.html': (_, response) =>
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<html><head><meta property="article:published_time" content="2025-12-19T01:30:00+05:30"></head><body>' +
            '<article><h1>Markets open higher</h1><p>Shares rose in early trade on Friday as investors bought banks ' +
            'and carmakers after the central bank kept its rates where they were.</p></article></body></html>',
        ),
  });
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await site.close();
});

/** Runs one scrape job with a single attempt through a real scraper worker; resolves with its final outcome. */
async function scrapeOnce(path: string) {
  const prefix = uniquePrefix('scraper');
  prefixes.push(prefix);
  const runtime: ServiceRuntime = {
    redis,
    prefix,
    config: parseConfig('fetch: { allowPrivateNetworks: true, respectRobots: false, perHostDelayMs: 0 }\n'),
    logger: createLogger({ level: 'silent' }),
    queues: createQueues(redis, prefix),
    summaryIntervalSeconds: 0,
  };
  const url = `${site.url}${path}`;
  await redis.set(seenKey(prefix, url), '1');
  const finished = new Promise<{ ok: boolean; permanent?: boolean }>((resolve) => {
    const worker = startScraper(runtime, (outcome) => {
      resolve(outcome);
      void worker.close(1000);
    });
  });
  await runtime.queues[QUEUES.articleScrape].add(
    JOB_NAMES.articleScrape,
    { url, feedUrl: `${site.url}/feed.xml`, hints: { title: null, author: null, publishedAt: null } },
    { attempts: 1 },
  );
  const outcome = await finished;
  // The hook runs before the seen key's deletion completes: give the command its round trip.
  await redis.ping();
  const stillSeen = (await redis.exists(seenKey(prefix, url))) === 1;
  await Promise.all(Object.values(runtime.queues).map((queue) => queue.close()));
  return { outcome, stillSeen, body: await loadBody(redis, bodyKey(prefix, url)).catch(() => null) };
}

describe('the scraper worker', () => {
  it('forgets a URL whose scrape used up its attempts on transient errors, so the next poll brings it back', async () => {
    const { outcome, stillSeen } = await scrapeOnce('/down.html');
    expect(outcome).toMatchObject({ ok: false, permanent: false });
    expect(stillSeen).toBe(false);
  });

  it('keeps a URL that failed for good seen, so polls do not fetch it again and again', async () => {
    const { outcome, stillSeen } = await scrapeOnce('/gone.html');
    expect(outcome).toMatchObject({ ok: false, permanent: true });
    expect(stillSeen).toBe(true);
  });

  it('hands on the publication time in UTC, though the page wrote its own offset', async () => {
    const { outcome, body } = await scrapeOnce('/mumbai.html');
    expect(outcome).toMatchObject({ ok: true });
    expect(body).toMatchObject({ publishedAt: '2025-12-18T20:00:00.000Z' });
  });
});
