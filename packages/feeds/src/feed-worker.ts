import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PermanentError } from '@newsflow/core';
import { parseFeedText, type FeedItem, type ParsedFeed } from './parse-feed.ts';

export interface ParseOptions {
  /** Feeds longer than this many characters are parsed in a worker thread. Default 512 Ki characters. */
  offThreadChars?: number;
  /** The worker is stopped after this long: a pathological feed fails instead of occupying a thread. Default 60 s. */
  timeoutMs?: number;
  /** Heap limit of the worker; a feed that needs more fails cleanly instead of aborting the process. Default 512 MiB. */
  maxMemoryMb?: number;
}

/** Messages from parse-worker.ts: items come in batches so no single message blocks the event loop to decode. */
export type WorkerMessage =
  | { type: 'items'; items: FeedItem[] }
  | { type: 'done'; feed: Omit<ParsedFeed, 'items'> }
  | { type: 'error'; message: string; code: string };

// Compiled, this module is dist/feed-worker.js and its worker dist/parse-worker.js: plain Node. From the TypeScript
// sources (development and tests) the worker needs tsx's loader, registered by a small bootstrap before the worker
// module is imported (execArgv --import does not cover a worker's entry file).
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_URL = new URL(COMPILED ? './parse-worker.js' : './parse-worker.ts', import.meta.url);

function workerEntry(): { entry: string | URL; eval: boolean } {
  if (COMPILED) return { entry: WORKER_URL, eval: false };
  const tsxApi = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return { entry: bootstrap, eval: true };
}

/**
 * Parses a feed. Large feeds (a 100k-item feed is ~20 MB and takes seconds in xml2js) are parsed in a worker thread
 * with a heap limit and a deadline, so they can neither block the event loop (BullMQ would lose its job locks) nor
 * exhaust the process's memory.
 */
export async function parseFeed(text: string, baseUrl?: string, options: ParseOptions = {}): Promise<ParsedFeed> {
  if (text.length < (options.offThreadChars ?? 512 * 1024)) return parseFeedText(text, baseUrl);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxMemoryMb = options.maxMemoryMb ?? 512;
  return new Promise<ParsedFeed>((resolve, reject) => {
    const { entry, eval: isCode } = workerEntry();
    const worker = new Worker(entry, {
      eval: isCode,
      workerData: { text, baseUrl },
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    const items: FeedItem[] = [];
    let settled = false;
    const finish = (error: Error | null, feed?: ParsedFeed) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error) reject(error);
      else resolve(feed!);
    };
    const timer = setTimeout(
      () => finish(new PermanentError(`feed parsing took longer than ${timeoutMs} ms`, 'parse_timeout')),
      timeoutMs,
    );
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'items') items.push(...message.items);
      else if (message.type === 'done') finish(null, { ...message.feed, items });
      else finish(new PermanentError(message.message, message.code));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      finish(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new PermanentError(`feed too large to parse within ${maxMemoryMb} MiB`, 'feed_too_large')
          : new PermanentError(`feed parser crashed: ${error.message}`, 'parse_crash'),
      );
    });
    worker.on('exit', (code) => finish(new PermanentError(`feed parser exited with code ${code}`, 'parse_crash')));
  });
}
