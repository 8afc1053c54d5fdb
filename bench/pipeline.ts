/**
 * `pnpm bench pipeline [--articles N] [--pg URL]`: N real news articles (ASB corpus bodies in page chrome) served on
 * 127.0.0.1 through four RSS feeds, carried through every stage in one process as `run --once` does.
 * Prints articles per second end to end and peak memory.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, deleteKeysWithPrefix, parseConfig } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { openRuntime, runPipelineOnce } from '@newsflow/cli';
import { loadAsbPages, withPeakRss } from './corpus.ts';

const FEEDS = 4;

export async function benchPipeline(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { articles: { type: 'string' }, pg: { type: 'string' } } });
  const pages = loadAsbPages();
  const count = Number(values.articles ?? 400);
  const articles = Array.from({ length: count }, (_, i) => {
    const page = pages[i % pages.length]!;
    const paragraphs = page.articleBody.split(/\n+/).filter((line) => line.trim());
    // Later rounds through the corpus republish earlier articles: the dedup stage has real work.
    return { path: `/a/${i}.html`, title: `Article ${i}`, paragraphs };
  });
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const pageHtml = (article: (typeof articles)[number]) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${article.title} | Bench News</title></head><body>` +
    '<header><nav><a href="/">Home</a><a href="/world">World</a></nav></header><div class="cookie-banner">We use cookies.</div>' +
    `<main><article><h1>${article.title}</h1>${article.paragraphs.map((text) => `<p>${escape(text)}</p>`).join('')}</article>` +
    '<aside class="related"><ul><li><a href="/x">Related story</a></li></ul></aside></main><footer>© Bench News</footer></body></html>';

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const feedMatch = /^\/feed(\d+)\.xml$/.exec(path);
    if (feedMatch) {
      const feed = Number(feedMatch[1]);
      const items = articles
        .filter((_, i) => i % FEEDS === feed)
        .map((article) => `<item><title>${article.title}</title><link>${base}${article.path}</link></item>`);
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>Feed ${feed}</title>${items.join('')}</channel></rss>`);
      return;
    }
    const article = articles[Number(/^\/a\/(\d+)\.html$/.exec(path)?.[1] ?? -1)];
    if (!article) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(article));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const config = parseConfig(
    `feeds:\n${Array.from({ length: FEEDS }, (_, i) => `  - url: ${base}/feed${i}.xml`).join('\n')}\n` +
      // Every page is on one host here: allow the scraper's full concurrency on it.
      'fetch: { allowPrivateNetworks: true, perHostDelayMs: 0, perHostConcurrency: 8, respectRobots: false }\n',
  );
  const directory = mkdtempSync(join(tmpdir(), 'newsflow-bench-'));
  const databaseUrl = values.pg ?? `file:${join(directory, 'bench.db')}`;
  const prefix = `newsflow-bench-${process.pid}`;
  const logger = createLogger({ level: 'silent' });
  const runtime = await openRuntime(config, {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix,
    logger,
    summaryIntervalSeconds: 0,
  });
  const store = await openStore(databaseUrl);
  try {
    const { result: summary, peakRssMiB } = await withPeakRss(() =>
      runPipelineOnce(runtime, store, config, { timeoutMs: 600_000, logger }),
    );
    const seconds = summary.durationMs / 1000;
    console.log(
      `pipeline: ${count} articles (${FEEDS} RSS feeds, ASB bodies in page chrome) → ${store.description.split(':')[0]}`,
    );
    console.log(
      `  stored ${summary.stored}, failed ${summary.failed}, duplicate paragraphs ${summary.duplicateParagraphs}, republications ${summary.republications}`,
    );
    console.log(
      `  ${seconds.toFixed(1)} s end to end: ${(summary.stored / seconds).toFixed(0)} articles/s, peak RSS ${peakRssMiB} MiB`,
    );
  } finally {
    await store.close();
    await deleteKeysWithPrefix(runtime.redis, prefix);
    await runtime.close();
    server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
