import type { ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { runCli, serve, TEST_REDIS_URL, uniquePrefix, type Handler } from './helpers.ts';

/**
 * Politeness on, as users run it: every host gets one request start per delay and at most perHostConcurrency requests
 * at once. A host that stops answering takes its own slots and no more: a job for it that finds no slot goes back to
 * the queue instead of holding a scraper's, so the other hosts' articles are stored while its requests hang.
 */
const ARTICLES_PER_HOST = 4;
const FAST_HOSTS = 3;
const PER_HOST_CONCURRENCY = 2;

interface Host {
  url: string;
  close(): Promise<void>;
  inFlight: number;
  maxInFlight: number;
}

const paragraph = (host: number, article: number, index: number) =>
  `Host ${host} reports story ${article}: paragraph ${index} says the council met on Tuesday evening and voted ` +
  `${article * 7 + index} to ${host + index} on the harbour plan, after residents of ward ${host} spoke for an hour.`;

const page = (host: number, article: number) =>
  `<!DOCTYPE html><html lang="en"><head><title>Story ${article} of host ${host}</title></head><body>` +
  `<nav><a href="/">Home</a></nav><article><h1>Story ${article} of host ${host}</h1>` +
  [0, 1, 2, 3].map((index) => `<p>${paragraph(host, article, index)}</p>`).join('') +
  '</article><footer>© News</footer></body></html>';

async function startHost(host: number, answer: (response: ServerResponse, html: string) => void): Promise<Host> {
  const state = { inFlight: 0, maxInFlight: 0 };
  const routes: Record<string, Handler> = {
    '/feed.xml': (_, response) => {
      const items = Array.from(
        { length: ARTICLES_PER_HOST },
        (_, article) => `<item><title>Story ${article}</title><link>${base}/a/${article}.html</link></item>`,
      );
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>Host ${host}</title>${items.join('')}</channel></rss>`);
    },
  };
  for (let article = 0; article < ARTICLES_PER_HOST; article++) {
    routes[`/a/${article}.html`] = (_, response) => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      response.on('close', () => state.inFlight--);
      answer(response, page(host, article));
    };
  }
  const server = await serve(routes);
  const base = server.url;
  return Object.assign(state, server);
}

const sendPage = (response: ServerResponse, html: string) =>
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);

let directory: string;
let redis: Redis;
let prefix: string;
const hosts: Host[] = [];
/** The hanging host's requests, answered only when the test says so. */
const held: (() => void)[] = [];
let hanging = true;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-politeness-'));
  redis = new Redis(TEST_REDIS_URL);
  prefix = uniquePrefix('politeness');
  for (let host = 0; host < FAST_HOSTS; host++) hosts.push(await startHost(host, sendPage));
  hosts.push(
    await startHost(FAST_HOSTS, (response, html) => {
      if (hanging) held.push(() => sendPage(response, html));
      else sendPage(response, html);
    }),
  );
});

afterAll(async () => {
  hanging = false;
  for (const answer of held.splice(0)) answer();
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  for (const host of hosts) await host.close();
  rmSync(directory, { recursive: true, force: true });
});

it("stores every other host's articles while one host hangs, and that host's once it answers", async () => {
  const configPath = join(directory, 'feeds.yaml');
  writeFileSync(
    configPath,
    `feeds:\n${hosts.map((host) => `  - url: ${host.url}/feed.xml`).join('\n')}\n` +
      // The default politeness but a shorter delay, and no more scrapes at once than the hanging host has articles:
      // were its jobs to wait for its slots in place, they alone would fill the scraper.
      `fetch: { allowPrivateNetworks: true, perHostDelayMs: 200, perHostConcurrency: ${PER_HOST_CONCURRENCY} }\n` +
      'workers: { scrape: 4 }\n',
  );
  const databaseUrl = `file:${join(directory, 'politeness.db')}`;
  const run = runCli(['run', '--once', '--config', configPath], {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: databaseUrl,
    NEWSFLOW_PREFIX: prefix,
  });
  let finished = false;
  void run.finally(() => (finished = true));

  const storedUrls = async (): Promise<string[]> => {
    const store = await openStore(databaseUrl);
    try {
      const urls: string[] = [];
      for await (const record of store.exportArticles()) urls.push(record.url);
      return urls;
    } catch {
      return []; // The run has not created its tables yet.
    } finally {
      await store.close();
    }
  };
  const fastUrls = hosts.slice(0, FAST_HOSTS).map((host) => `${host.url}/`);
  const fromFastHosts = (urls: string[]) => urls.filter((url) => fastUrls.some((base) => url.startsWith(base)));
  let stored: string[] = [];
  const allFastStored = () => fromFastHosts(stored).length === FAST_HOSTS * ARTICLES_PER_HOST;
  while (!finished && !(allFastStored() && held.length === PER_HOST_CONCURRENCY)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stored = await storedUrls();
  }

  // Every fast host's article is in while the hanging host holds both its slots.
  expect(finished).toBe(false);
  expect(stored).toHaveLength(FAST_HOSTS * ARTICLES_PER_HOST);

  hanging = false;
  for (const answer of held.splice(0)) answer();
  const result = await run;
  expect(result.code, result.stderr).toBe(0);
  const all = await storedUrls();
  expect(new Set(all).size).toBe(all.length);
  expect(all).toHaveLength(hosts.length * ARTICLES_PER_HOST);
  for (const host of hosts) expect(host.maxInFlight).toBeLessThanOrEqual(PER_HOST_CONCURRENCY);
});
