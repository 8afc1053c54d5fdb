import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteKeysWithPrefix, parseConfig, type Logger } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import type { ExportRecord } from '@newsflow/core';
import { openRuntime } from '../services.ts';
import { startDemoSite } from '../demo/site.ts';
import { CHROME_MARKERS } from '../demo/pages.ts';
import { formatSummary, runPipelineOnce } from './run-once.ts';

/**
 * Serves the bundled offline site on 127.0.0.1, runs the whole pipeline on it into a scratch SQLite file under
 * its own Redis prefix, prints what a newcomer should see, and removes its Redis keys again.
 */
export async function runDemo(options: {
  redisUrl: string;
  logger: Logger;
  out: NodeJS.WritableStream;
}): Promise<void> {
  const site = await startDemoSite();
  const directory = mkdtempSync(join(tmpdir(), 'newsflow-demo-'));
  const databaseUrl = `file:${join(directory, 'demo.db')}`;
  const prefix = `newsflow-demo-${process.pid}-${Date.now().toString(36)}`;
  const config = parseConfig(
    [
      'feeds:',
      ...site.feedUrls.map((url) => `  - url: ${url}`),
      'fetch: { allowPrivateNetworks: true, perHostDelayMs: 0 }',
    ].join('\n'),
    'demo config',
  );
  const print = (line = '') => options.out.write(`${line}\n`);
  print(
    `newsflow demo: a local news site at ${site.baseUrl}, feeds ${site.feedUrls.map((url) => url.slice(site.baseUrl.length)).join(' and ')}`,
  );

  const runtime = await openRuntime(config, {
    redisUrl: options.redisUrl,
    prefix,
    logger: options.logger,
    summaryIntervalSeconds: 0,
  });
  const store = await openStore(databaseUrl);
  try {
    const summary = await runPipelineOnce(runtime, store, config, { timeoutMs: 120_000, logger: options.logger });
    print();
    print(formatSummary(summary));
    const articles: ExportRecord[] = [];
    for await (const article of store.exportArticles()) articles.push(article);
    print();
    describeArticles(articles, print);
    print();
    print(`The articles are in ${databaseUrl}. Look at them with:`);
    // From the repository the command is `pnpm -s newsflow`; in the image, `newsflow` is on the PATH.
    const newsflow = process.env.npm_lifecycle_event ? 'pnpm -s newsflow' : 'newsflow';
    print(`  DATABASE_URL=${databaseUrl} ${newsflow} export`);
  } finally {
    await store.close();
    await deleteKeysWithPrefix(runtime.redis, prefix);
    await runtime.close();
    await site.close();
  }
}

function describeArticles(articles: ExportRecord[], print: (line?: string) => void): void {
  const titleOf = new Map(articles.map((article) => [article.url, article.title]));
  for (const article of articles) {
    print(`✔ ${article.title}`);
    print(
      `  ${article.paragraphs.length} paragraphs, by ${article.author ?? 'unknown'}, ${article.publishedAt ?? 'undated'}, language ${article.language ?? '?'}`,
    );
    const leaked = CHROME_MARKERS.filter((marker) => article.text.includes(marker));
    const placeholders = article.text.match(/\[ad_\d+\]/g) ?? [];
    print(
      leaked.length === 0 && placeholders.length === 0
        ? '  clean: no [ad_N] placeholders, cookie banner, share bar, captions, related links, comments or footer'
        : `  NOT clean: ${[...leaked, ...placeholders].join(', ')}`,
    );
    if (article.duplicateOf) {
      print(
        `  republishes "${titleOf.get(article.duplicateOf.url) ?? article.duplicateOf.url}" (similarity ${article.duplicateOf.similarity})`,
      );
    }
    article.paragraphs.forEach((paragraph, index) => {
      const original = paragraph.duplicateOf;
      if (!original || article.duplicateOf) return;
      const where =
        original.url === article.url ? 'paragraph' : `"${titleOf.get(original.url) ?? original.url}", paragraph`;
      print(`  paragraph ${index + 1} repeats ${where} ${original.index + 1} (similarity ${original.similarity}):`);
      print(`    "${paragraph.text.slice(0, 110)}…"`);
    });
  }
}
