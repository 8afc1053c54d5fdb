import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, parseConfig, type ArticleScrapePayload, type StageContext } from '@newsflow/core';
import { feedStateKey } from '@newsflow/feeds';
import { fetchFeed, STALE_AFTER_FAILURES } from '../src/index.ts';
import { serve, TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

const RSS = (base: string) =>
  `<rss version="2.0"><channel><title>T</title><link>${base}/</link><ttl>90</ttl>` +
  `<item><title>A</title><link>${base}/a?utm_source=rss</link></item><item><title>B</title><link>${base}/b</link></item></channel></rss>`;

let redis: Redis;
let site: Awaited<ReturnType<typeof serve>>;
const prefix = uniquePrefix('feeds');
const logLines: Record<string, unknown>[] = [];
let busy = false;

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL);
  site = await serve({
    '/feed.xml': (request, response) => {
      if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304).end();
      response.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(RSS(site.url));
    },
    '/busy.xml': (_, response) => response.writeHead(503, { 'retry-after': '7200' }).end(),
    '/flaky.xml': (_, response) => {
      if (busy) response.writeHead(500).end();
      else response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS(site.url));
    },
  });
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await site.close();
});

function setup() {
  const config = parseConfig(
    `feeds:\n  - url: ${site.url}/feed.xml\n    interval: 10m\n  - url: ${site.url}/busy.xml\n    interval: 10m\n  - url: ${site.url}/flaky.xml\n    interval: 10m\nfetch: { allowPrivateNetworks: true }\n`,
  );
  const enqueued: ArticleScrapePayload[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const context: StageContext = {
    log: pino({ level: 'debug' }, sink),
    progress: async () => {},
    delay: async () => {
      throw new Error('not expected');
    },
  };
  const deps = {
    redis,
    prefix,
    config,
    enqueueScrapes: async (jobs: { payload: ArticleScrapePayload }[]) =>
      void enqueued.push(...jobs.map((job) => job.payload)),
  };
  return { deps, context, enqueued };
}

describe('fetchFeed', () => {
  it('enqueues canonical URLs once, then polls conditionally and waits for the feed ttl', async () => {
    const { deps, context, enqueued } = setup();
    const feedUrl = `${site.url}/feed.xml`;
    expect(await fetchFeed({ feedUrl }, deps, context)).toMatchObject({ status: 'fetched', items: 2, newItems: 2 });
    expect(enqueued.map((payload) => payload.url)).toEqual([`${site.url}/a`, `${site.url}/b`]);
    const state = await redis.hgetall(feedStateKey(prefix, feedUrl));
    expect(state.etag).toBe('"v1"');
    // <ttl>90</ttl> minutes is longer than the 10-minute interval: the next scheduled poll waits for it.
    expect(Number(state.nextPollAt) - Date.now()).toBeGreaterThan(80 * 60_000);

    expect(await fetchFeed({ feedUrl }, deps, context)).toMatchObject({ status: 'skipped' });
    expect(await fetchFeed({ feedUrl, manual: true }, deps, context)).toEqual({ status: 'not-modified' });
    expect(enqueued).toHaveLength(2);
  });

  it('honours Retry-After and backs a failing feed off, reporting it stale', async () => {
    const { deps, context } = setup();
    const feedUrl = `${site.url}/busy.xml`;
    await expect(fetchFeed({ feedUrl, manual: true }, deps, context)).rejects.toThrow(/HTTP 503/);
    const state = await redis.hgetall(feedStateKey(prefix, feedUrl));
    expect(state.failures).toBe('1');
    expect(Number(state.nextPollAt) - Date.now()).toBeGreaterThan(7000 * 1000);
    expect(await fetchFeed({ feedUrl }, deps, context)).toMatchObject({ status: 'skipped' });

    for (let poll = 2; poll <= STALE_AFTER_FAILURES; poll++)
      await fetchFeed({ feedUrl, manual: true }, deps, context).catch(() => {});
    const stale = logLines.filter((line) => String(line.msg).startsWith('feed is stale'));
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ failures: STALE_AFTER_FAILURES, lastError: expect.stringContaining('HTTP 503') });
  });

  it('resets the failure count when the feed answers again', async () => {
    const { deps, context } = setup();
    const feedUrl = `${site.url}/flaky.xml`;
    busy = true;
    await expect(fetchFeed({ feedUrl, manual: true }, deps, context)).rejects.toThrow(/HTTP 500/);
    await expect(fetchFeed({ feedUrl, manual: true }, deps, context)).rejects.toThrow(/HTTP 500/);
    expect((await redis.hgetall(feedStateKey(prefix, feedUrl))).failures).toBe('2');
    busy = false;
    await fetchFeed({ feedUrl, manual: true }, deps, context);
    const state = await redis.hgetall(feedStateKey(prefix, feedUrl));
    expect(state).toMatchObject({ failures: '0', lastError: '' });
  });
});
